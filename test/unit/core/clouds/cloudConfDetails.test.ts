/**
 * cloud.conf details the real consumers decide (kubernetes/cloud-provider-openstack@c453fb7):
 * - with `use-clouds`, ReadClouds (pkg/client/client.go:206-239) copies no TLS setting from clouds.yaml; only a gcfg
 *   `tls-insecure` turns verification off (:272). So `verify: false` is warned about (CS174) and the clouds-yaml workload
 *   Secret carries a use-clouds cloud.conf with `tls-insecure=true`. Nor a trust (clientconfig.AuthInfo has none): a
 *   `trust_id` is warned about (CS175) and that cloud.conf carries `trust-id`, which survives ReadClouds (replaceEmpty)
 *   and takes the trust path (:296-309). The real Keystone agrees: test/conformance/keystone-auth.test.ts.
 * - a token with `trust_id`: the trust path takes the trustee's user and password only (ToAuth3Options, client.go:170-194,
 *   :296-309), so gophercloud refuses it ("You must provide a password to authenticate", test/conformance/cloudConfDetails
 *   .test.ts): CS110, an error.
 * - `interface`: gophercloud knows only public, internal and admin (endpoint_location.go ErrInvalidAvailabilityProvided),
 *   and gcfg scans `os-endpoint-type` as gophercloud.Availability up to the first space: any other value is CS176, an error
 *   with a quick fix for the spellings that mean one of them (the real CCM client agrees:
 *   test/conformance/keystone-auth.test.ts).
 * - `[LoadBalancer] lbclasses` binds the untagged map field LoadBalancerOpts.LBClasses (pkg/openstack/openstack.go:104):
 *   fatal for gcfg, so it is refused in extra sections and an error in the linter (the real gcfg agrees:
 *   test/conformance/cloudConfDetails.test.ts).
 */
import * as assert from 'node:assert/strict';
import { analyzeClouds, convertCloud, identitySecretPayload } from '../../../../src/core/clouds';
import { validateExtraSections } from '../../../../src/core/gcfg/validate';
import { lintCloudConf } from '../../../../src/core/gcfg/lint';
import { cloudsYamlSecret, unb64 } from '../../../../src/core/manifests/credentials';

const CLOUDS = `clouds:
  openstack:
    auth:
      auth_url: https://keystone.example.com:5000/v3
      application_credential_id: "id1"
      application_credential_secret: "sec"
    region_name: RegionOne
    auth_type: v3applicationcredential
    verify: false
`;
const input = (text: string) => ({ clouds: { path: '/p/clouds.yaml', text } });

describe('cloud.conf details the consumers decide', () => {
  it('verify: false warns that use-clouds ignores it (CS174) and still converts to tls-insecure=true', () => {
    const a = analyzeClouds(input(CLOUDS));
    const f = a.findingsByCloud.get('openstack')?.find((x) => x.code === 'CS174');
    assert.equal(f?.severity, 'warning');
    assert.match(f?.message ?? '', /use-clouds .* take no TLS setting from it/);
    assert.equal(f?.range.start.line, 8, 'located at the verify key');
    const r = convertCloud(input(CLOUDS), 'openstack');
    assert.ok(r.ok);
    if (r.ok) assert.match(r.text, /^tls-insecure="true"$/m);
    assert.equal(
      analyzeClouds(input(CLOUDS.replace('    verify: false\n', '')))
        .findingsByCloud.get('openstack')
        ?.some((x) => x.code === 'CS174'),
      false,
    );
  });

  it('the clouds-yaml workload Secret of a verify:false cloud carries a use-clouds cloud.conf with tls-insecure=true', () => {
    const p = identitySecretPayload(input(CLOUDS), 'openstack');
    assert.ok(p.ok);
    if (!p.ok) return;
    const conf = unb64(cloudsYamlSecret(p.payload).data['cloud.conf']);
    assert.equal(conf, '[Global]\nuse-clouds=true\nclouds-file="/etc/openstack/clouds.yaml"\ncloud="openstack"\ntls-insecure="true"\n');
    const verified = identitySecretPayload(input(CLOUDS.replace('    verify: false\n', '')), 'openstack');
    assert.ok(verified.ok);
    if (verified.ok) assert.equal(cloudsYamlSecret(verified.payload).data['cloud.conf'], undefined);
  });

  it('[LoadBalancer] lbclasses is refused in extra sections and by the converter (any spelling gcfg folds to LBClasses)', () => {
    for (const key of ['lbclasses', 'LBClasses']) {
      const [p] = validateExtraSections([{ name: 'LoadBalancer', entries: [{ key, value: 'x' }] }]);
      assert.equal(p.severity, 'error');
      assert.match(p.message, /untagged map field LoadBalancerOpts\.LBClasses: gcfg cannot set it/);
    }
    assert.equal(validateExtraSections([{ name: 'LoadBalancer', entries: [{ key: 'lb-classes', value: 'x' }] }])[0].severity, 'warning');
    const r = convertCloud(input(CLOUDS), 'openstack', {
      extraSections: [{ name: 'LoadBalancer', entries: [{ key: 'lbclasses', value: 'x' }] }],
    });
    assert.equal(r.ok, false);
    assert.deepEqual(
      [...r.findings.values()]
        .flat()
        .filter((f) => f.severity === 'error')
        .map((f) => f.code),
      ['CS181'],
    );
  });

  it('the linter says lbclasses is fatal (CC030), with or without a value', () => {
    for (const text of ['[LoadBalancer]\nlbclasses = x\n', '[LoadBalancer]\nLBClasses\n']) {
      const f = lintCloudConf(text).filter((x) => x.severity === 'error');
      assert.deepEqual(
        f.map((x) => x.code),
        ['CC030'],
        text,
      );
    }
  });

  const TRUST = `clouds:
  openstack:
    auth:
      auth_url: https://keystone.example.com:5000/v3
      user_id: "trustee"
      password: "pw"
      trust_id: "t-1"
    region_name: RegionOne
    auth_type: password
`;

  it('trust_id warns that use-clouds ignores it (CS175); the clouds-yaml Secret carries a use-clouds cloud.conf with trust-id', () => {
    const f = analyzeClouds(input(TRUST))
      .findingsByCloud.get('openstack')
      ?.find((x) => x.code === 'CS175');
    assert.equal(f?.severity, 'warning');
    assert.equal(f?.range.start.line, 6, 'located at the trust_id key');
    const p = identitySecretPayload(input(TRUST), 'openstack');
    assert.ok(p.ok);
    if (!p.ok) return;
    assert.equal(
      unb64(cloudsYamlSecret(p.payload).data['cloud.conf']),
      '[Global]\nuse-clouds=true\nclouds-file="/etc/openstack/clouds.yaml"\ncloud="openstack"\ntrust-id="t-1"\n',
    );
    const both = identitySecretPayload(input(`${TRUST}    verify: false\n`), 'openstack');
    assert.ok(both.ok);
    if (both.ok) assert.match(unb64(cloudsYamlSecret(both.payload).data['cloud.conf']), /^tls-insecure="true"\ntrust-id="t-1"\n$/m);
  });

  it('a token with trust_id is refused (CS110, located at trust_id): the CCM authenticates a trust without the token', () => {
    const text = TRUST.replace('      user_id: "trustee"\n      password: "pw"\n', '      token: "tok"\n').replace(
      'auth_type: password',
      'auth_type: token',
    );
    const r = convertCloud(input(text), 'openstack');
    assert.equal(r.ok, false);
    const errors = [...r.findings.values()].flat().filter((x) => x.severity === 'error');
    assert.deepEqual(
      errors.map((x) => [x.code, x.range.start.line]),
      [['CS110', 5]],
    );
    assert.match(errors[0].message, /trustee's user and password only/);
    assert.equal(convertCloud(input(TRUST), 'openstack').ok, true, 'the trustee password with trust_id converts');
  });

  it('an interface other than public/internal/admin is refused (CS176, on the value), with a fix for what it means', () => {
    const withInterface = (v: string) => CLOUDS.replace('    verify: false\n', `    interface: ${v}\n`);
    for (const ok of ['public', 'internal', 'admin']) {
      const r = convertCloud(input(withInterface(ok)), 'openstack');
      assert.ok(r.ok, ok);
      if (r.ok) assert.match(r.text, new RegExp(`^os-endpoint-type="${ok}"$`, 'm'));
    }
    const cases: [string, string | undefined][] = [
      ['publicURL', 'Use public'],
      ['"Internal"', 'Use internal'],
      ['adminurl', 'Use admin'],
      ['"internal "', 'Use internal'],
      ['"pub lic"', undefined],
      ['private', undefined],
    ];
    for (const [value, fixTitle] of cases) {
      const r = convertCloud(input(withInterface(value)), 'openstack');
      assert.equal(r.ok, false, value);
      const f = [...r.findings.values()].flat().find((x) => x.code === 'CS176');
      assert.equal(f?.severity, 'error', value);
      assert.equal(f?.range.start.line, 8, `${value}: located at the interface line`);
      assert.equal(f?.range.start.character, 15, `${value}: on the value`);
      assert.equal(f?.fixes?.[0]?.title, fixTitle, value);
    }
  });
});

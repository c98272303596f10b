/**
 * The real gcfg (test/conformance/gcfg-checker, structs mirroring kubernetes/cloud-provider-openstack@c453fb7) on the two
 * cloud.conf details of issue #11: `lbclasses` in [LoadBalancer] is fatal for OCCM (untagged map field LBClasses,
 * pkg/openstack/openstack.go:104), and the use-clouds cloud.conf written for a `verify: false` cloud turns TLS
 * verification off through the gcfg key that NewOpenStackClient reads (pkg/client/client.go:272). And the CCM's own
 * client (test/conformance/occm-auth, requestOnly) on a token with a trust: the trust path (client.go:296-309) takes no
 * token (ToAuth3Options, :170-194), so gophercloud refuses it — which is why the converter refuses it (CS110).
 */
import * as assert from 'node:assert/strict';
import { GCFG_FATAL_CODES, lintCloudConf } from '../../src/core/gcfg/lint';
import { convertCloud, identitySecretPayload } from '../../src/core/clouds';
import { cloudsYamlSecret, unb64 } from '../../src/core/manifests/credentials';
import { occmTokenRequest } from './authOracles';
import { gcfgParseMany } from './gcfg';

describe('cloud.conf details against the real gcfg', () => {
  it('[LoadBalancer] lbclasses (any value, or none) is fatal for OCCM, and the linter says so', async () => {
    const texts = ['[LoadBalancer]\nlbclasses = x\n', '[LoadBalancer]\nLBClasses\n', '[loadbalancer]\nLbClasses = "a"\n'];
    const results = await gcfgParseMany(texts);
    results.forEach((r, i) => {
      assert.equal(r.ok, false, texts[i]);
      assert.match(r.error ?? '', /at section "(LoadBalancer|loadbalancer)", variable "(lbclasses|LBClasses|LbClasses)"$/);
      assert.ok(
        lintCloudConf(texts[i]).some((f) => f.severity === 'error' && GCFG_FATAL_CODES.has(f.code)),
        texts[i],
      );
    });
    // what people mean instead is read fine
    const [ok] = await gcfgParseMany(['[LoadBalancerClass "public"]\nfloating-network-id = "n1"\n']);
    assert.deepEqual(ok.sections, { 'LoadBalancerClass "public"': { 'floating-network-id': 'n1' } });
  });

  it('the clouds-yaml Secret of a verify:false cloud carries a cloud.conf gcfg reads as use-clouds + tls-insecure "true"', async () => {
    const clouds =
      'clouds:\n  openstack:\n    auth:\n      auth_url: https://keystone.example.com:5000/v3\n      application_credential_id: "id1"\n      application_credential_secret: "sec"\n    region_name: RegionOne\n    auth_type: v3applicationcredential\n    verify: false\n';
    const p = identitySecretPayload({ clouds: { path: '/p/clouds.yaml', text: clouds } }, 'openstack');
    assert.ok(p.ok);
    if (!p.ok) return;
    const [r] = await gcfgParseMany([unb64(cloudsYamlSecret(p.payload).data['cloud.conf'])]);
    assert.equal(r.ok, true, r.error);
    assert.deepEqual(r.global, {
      'use-clouds': true,
      'clouds-file': '/etc/openstack/clouds.yaml',
      cloud: 'openstack',
      'tls-insecure': 'true',
    });
  });

  it("a token with trust_id: the CCM's client refuses the cloud.conf it would need, so the converter refuses the cloud", async () => {
    const head = '[Global]\nauth-url="https://keystone.example.com:5000/v3"\nregion="RegionOne"\n';
    const [token, trustee, tokenProject] = await occmTokenRequest([
      `${head}token="tok"\ntrust-id="t-1"\n`,
      `${head}user-id="trustee"\npassword="pw"\ntrust-id="t-1"\n`,
      `${head}token="tok"\ntenant-id="p-1"\n`,
    ]);
    assert.deepEqual([token.ok, token.stage, token.error], [false, 'auth', 'You must provide a password to authenticate']);
    assert.deepEqual([trustee.ok, trustee.scope], [true, 'trust'], 'the trustee password with the trust is what works');
    assert.deepEqual([tokenProject.ok, tokenProject.scope], [true, 'project'], 'a token without a trust is fine');
    const clouds =
      'clouds:\n  c:\n    auth_type: token\n    auth:\n      auth_url: https://keystone.example.com:5000/v3\n      token: "tok"\n      trust_id: "t-1"\n    region_name: RegionOne\n';
    const r = convertCloud({ clouds: { path: '/p/clouds.yaml', text: clouds } }, 'c');
    assert.equal(r.ok, false);
    assert.deepEqual(
      [...r.findings.values()]
        .flat()
        .filter((f) => f.severity === 'error')
        .map((f) => f.code),
      ['CS110'],
    );
  });
});

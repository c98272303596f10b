/**
 * The real gcfg (test/conformance/gcfg-checker, structs mirroring kubernetes/cloud-provider-openstack@c453fb7) on the two
 * cloud.conf details of issue #11: `lbclasses` in [LoadBalancer] is fatal for OCCM (untagged map field LBClasses,
 * pkg/openstack/openstack.go:104), and the use-clouds cloud.conf written for a `verify: false` cloud turns TLS
 * verification off through the gcfg key that NewOpenStackClient reads (pkg/client/client.go:272).
 */
import * as assert from 'node:assert/strict';
import { identitySecretPayload } from '../../src/core/clouds';
import { GCFG_FATAL_CODES, lintCloudConf } from '../../src/core/gcfg/lint';
import { cloudsYamlSecret, unb64 } from '../../src/core/manifests/credentials';
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
});

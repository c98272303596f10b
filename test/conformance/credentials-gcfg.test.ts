import * as assert from 'node:assert/strict';
import { cloudsYamlSecret, unb64, useCloudsCloudConf } from '../../src/core/manifests/credentials';
import { gcfgParseMany } from './gcfg';

// The cloud.conf files the credential commands produce, read by the real gcfg (OCCM and Cinder CSI configs).
describe('credential cloud.conf files through the real gcfg checker', () => {
  const lb = [
    {
      name: 'LoadBalancer',
      entries: [
        { key: 'lb-provider', value: 'ovn' },
        { key: 'lb-method', value: 'SOURCE_IP_PORT' },
        { key: 'create-monitor', value: true },
        { key: 'floating-network-id', value: 'a; b # not a comment' },
      ],
    },
  ];

  it('use-clouds cloud.conf with per-cluster [LoadBalancer] parses for OCCM and Cinder CSI (cluster-stacks #241)', async () => {
    const conf = unb64(
      cloudsYamlSecret({ 'clouds.yaml': 'clouds:\n  prod "eu":\n    auth: {auth_url: https://k}\n', cloudName: 'prod "eu"' }, lb).data[
        'cloud.conf'
      ],
    );
    const [r] = await gcfgParseMany([conf]);
    assert.equal(r.ok, true, r.error);
    assert.deepEqual(r.global, { 'use-clouds': true, 'clouds-file': '/etc/openstack/clouds.yaml', cloud: 'prod "eu"' });
    assert.deepEqual(r.sections.LoadBalancer, {
      'lb-provider': 'ovn',
      'lb-method': 'SOURCE_IP_PORT',
      'create-monitor': true,
      'floating-network-id': 'a; b # not a comment',
    });
    assert.equal(r.csi.ok, true, r.csi.error);
  });

  it('without per-cluster options the Global section alone parses', async () => {
    const [r] = await gcfgParseMany([useCloudsCloudConf('openstack')]);
    assert.equal(r.ok, true, r.error);
    assert.deepEqual(r.global, { 'use-clouds': true, 'clouds-file': '/etc/openstack/clouds.yaml', cloud: 'openstack' });
  });
});

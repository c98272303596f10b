import * as assert from 'node:assert/strict';
import { decodeCloudConf } from '../../../../src/core/gcfg/decode';
import { parseGcfg } from '../../../../src/core/gcfg/parse';

describe('reading a whole cloud.conf into a consumer (decode.ts)', () => {
  it('decodeCloudConf: OCCM ignores [Global "x"], Cinder CSI reads it; fatal errors carry gcfg location text', () => {
    const doc = parseGcfg(
      '[Global]\nregion=One\n[Global "two"]\nregion=Two\n[LoadBalancerClass "ext"]\nsubnet-id=s\n[BlockStorage]\nrescan-on-resize=on\n',
    );
    assert.deepEqual(decodeCloudConf(doc, 'occm'), {
      ok: true,
      global: { region: 'One' },
      sections: { 'LoadBalancerClass "ext"': { 'subnet-id': 's' } },
    });
    assert.deepEqual(decodeCloudConf(doc, 'csi'), {
      ok: true,
      global: { region: 'One' },
      sections: { 'Global "two"': { region: 'Two' }, BlockStorage: { 'rescan-on-resize': true } },
    });
    const bad = parseGcfg('[Global]\nregion=x\n[LoadBalancer]\ncreate-monitor=maybe\n');
    assert.equal(decodeCloudConf(bad, 'occm').error, 'failed to parse bool `maybe` at section "LoadBalancer", variable "create-monitor"');
    assert.equal(decodeCloudConf(bad, 'csi').ok, true, 'Cinder CSI has no [LoadBalancer]: extra data');
    assert.equal(
      decodeCloudConf(parseGcfg('[Global]\nregion\n'), 'csi').error,
      'blank value not supported for type at section "Global", subsection "", variable "region"',
    );
  });

  it('decodeCloudConf: multi-valued keys append, a blank one resets the list', () => {
    const doc = parseGcfg('[Networking]\npublic-network-name=a\npublic-network-name\npublic-network-name=b\npublic-network-name=c\n');
    assert.deepEqual(decodeCloudConf(doc, 'occm').sections, { Networking: { 'public-network-name': ['b', 'c'] } });
  });
});

import * as assert from 'node:assert/strict';
import { findKey, findSection, SECTIONS } from '../../../../src/core/gcfg/keys';

const global = SECTIONS.find((s) => s.name === 'Global');

describe('the OCCM / Cinder CSI key catalogue (keys.ts)', () => {
  it('binds keys the way gcfg matches fields: tags case-insensitively, untagged fields by Go field name', () => {
    assert.ok(global);
    assert.equal(findKey(global, 'Auth-URL')?.name, 'auth-url');
    assert.equal(findKey(global, 'USERNAME')?.name, 'username');
    assert.equal(findKey(global, 'user-name'), undefined, 'Username has no tag, so user-name does not match');
    assert.equal(findKey(global, 'project-id'), undefined, 'there is no project-id key');
    assert.equal(findKey(global, '\u212aey-file')?.name, 'key-file', 'Go EqualFold folds the Kelvin sign to k');
    assert.equal(findSection('loadbalancer')?.name, 'LoadBalancer');
    assert.equal(findSection('load-balancer'), undefined);
    assert.equal(findKey(SECTIONS.find((s) => s.name === 'LoadBalancer') ?? global, 'use-octavia'), undefined);
  });

  it('knows each key type and reader', () => {
    const lb = findSection('LoadBalancer');
    assert.equal(lb && findKey(lb, 'monitor-delay')?.type, 'duration');
    assert.equal(lb && findKey(lb, 'monitor-max-retries')?.goType, 'uint');
    assert.equal(findKey(global ?? lb!, 'tls-insecure')?.type, 'string');
    assert.deepEqual(findSection('BlockStorage')?.consumers, { csi: 'struct' });
    assert.deepEqual(findSection('Global')?.consumers, { occm: 'struct', csi: 'map' });
    assert.equal(findKey(findSection('Networking')!, 'public-network-name')?.type, 'multi-string');
    assert.ok(
      global?.keys
        .filter((k) => k.secret)
        .map((k) => k.name)
        .includes('application-credential-secret'),
    );
  });
});

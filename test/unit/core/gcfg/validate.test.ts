import * as assert from 'node:assert/strict';
import { validateExtraSections } from '../../../../src/core/gcfg/validate';

describe('validateExtraSections (user-supplied sections for the converter)', () => {
  it('accepts known keys with valid values', () => {
    assert.deepEqual(
      validateExtraSections([
        {
          name: 'LoadBalancer',
          entries: [
            { key: 'monitor-delay', value: '5s' },
            { key: 'create-monitor', value: true },
            { key: 'max-shared-lb', value: '3' },
          ],
        },
        { name: 'LoadBalancerClass', subsection: 'ext', entries: [{ key: 'floating-network-id', value: 'f' }] },
        { name: 'Global', entries: [{ key: 'tls-insecure', value: 'true' }] },
      ]),
      [],
    );
  });

  it('flags unknown sections/keys, wrong types and durations without a unit', () => {
    const problems = validateExtraSections([
      { name: 'Foo', entries: [] },
      {
        name: 'LoadBalancer',
        entries: [
          { key: 'monitor-delay', value: '5' },
          { key: 'create-monitor', value: 'maybe' },
          { key: 'use-octavia', value: true },
          { key: 'max-shared-lb', value: true },
        ],
      },
      {
        name: 'Global',
        entries: [
          { key: 'tls-insecure', value: 'yes' },
          { key: 'project-id', value: 'p' },
        ],
      },
      { name: 'Route', subsection: 'x', entries: [] },
    ]);
    assert.deepEqual(
      problems.map((p) => [p.section, p.entry, p.severity]),
      [
        [0, undefined, 'warning'],
        [1, 0, 'error'],
        [1, 1, 'error'],
        [1, 2, 'warning'],
        [1, 3, 'error'],
        [2, 0, 'warning'],
        [2, 1, 'warning'],
        [3, undefined, 'warning'],
      ],
    );
    assert.match(problems[1].message, /write a unit, e\.g\. 5s/);
    assert.match(problems[6].message, /no project-id key/);
  });

  it('never echoes the value of a secret entry or key', () => {
    const problems = validateExtraSections([
      { name: 'LoadBalancer', entries: [{ key: 'monitor-delay', value: 'Hunter2', secret: true }] },
      { name: 'Global', entries: [{ key: 'tls-insecure', value: 'Hunter3', secret: true }] },
    ]);
    assert.equal(problems.length, 2);
    for (const p of problems) assert.ok(!p.message.includes('Hunter'), p.message);
  });
});

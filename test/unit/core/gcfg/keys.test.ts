import * as assert from 'node:assert/strict';
import { parseGcfg } from '../../../../src/core/gcfg/parse';
import { decodeCloudConf } from '../../../../src/core/gcfg/decode';
import { decodeValue } from '../../../../src/core/gcfg/goValues';
import { findKey, findSection, SECTIONS } from '../../../../src/core/gcfg/keys';
import { validateExtraSections } from '../../../../src/core/gcfg/validate';

const global = SECTIONS.find((s) => s.name === 'Global');

describe('OCCM / Cinder CSI key schema (schema.ts)', () => {
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

  describe('decodeValue (gcfg setters)', () => {
    const cases: [Parameters<typeof decodeValue>, ReturnType<typeof decodeValue>][] = [
      [['util.MyDuration', false, '5s'], { ok: true, value: '5000000000' }],
      [['util.MyDuration', false, '1h2m3.5s'], { ok: true, value: '3723500000000' }],
      [['util.MyDuration', false, '-1.5m'], { ok: true, value: '-90000000000' }],
      [['util.MyDuration', false, '0'], { ok: true, value: '0' }],
      [['util.MyDuration', false, '5'], { ok: false, error: 'time: missing unit in duration "5"' }],
      [['util.MyDuration', false, '5 s'], { ok: false, error: 'time: unknown unit " s" in duration "5 s"' }],
      [['util.MyDuration', false, '5q'], { ok: false, error: 'time: unknown unit "q" in duration "5q"' }],
      [['util.MyDuration', true, ''], { ok: false, error: 'blank value not supported for type' }],
      [['bool', false, 'YES'], { ok: true, value: true }],
      [['bool', false, 'off'], { ok: true, value: false }],
      [['bool', true, ''], { ok: true, value: true }],
      [['bool', false, 'Maybe'], { ok: false, error: 'failed to parse bool `maybe`' }],
      [['uint', false, ' 3 '], { ok: true, value: '3' }],
      [['uint', false, '0x10'], { ok: true, value: '16' }],
      [['uint', false, '-1'], { ok: false, error: 'failed to parse "-1" as uint: expected integer' }],
      [['int', false, '-1'], { ok: true, value: '-1' }],
      [['int', false, '1_000'], { ok: false, error: 'failed to parse "1_000" as int: extra characters "_000"' }],
      [
        ['int', false, '9223372036854775808'],
        {
          ok: false,
          error: 'failed to parse "9223372036854775808" as int: strconv.ParseInt: parsing "9223372036854775808": value out of range',
        },
      ],
      [['int64', false, ''], { ok: false, error: 'failed to parse "" as int64: EOF' }],
      [['gophercloud.Availability', false, ' internal '], { ok: true, value: 'internal' }],
      [
        ['gophercloud.Availability', false, 'a b'],
        { ok: false, error: 'failed to parse "a b" as gophercloud.Availability: extra characters "b"' },
      ],
      [['string', false, ''], { ok: true, value: '' }],
      [['string', true, ''], { ok: false, error: 'blank value not supported for type' }],
    ];
    for (const [args, expected] of cases)
      it(`${args[0]} ${args[1] ? '(blank)' : JSON.stringify(args[2])}`, () => assert.deepEqual(decodeValue(...args), expected));
  });

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
});

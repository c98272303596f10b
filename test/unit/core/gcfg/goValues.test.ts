import * as assert from 'node:assert/strict';
import { decodeValue } from '../../../../src/core/gcfg/goValues';

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

import * as assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { scrub, Secret } from '../../../src/openstack/secret';

describe('openstack: Secret and scrub', () => {
  const value = 'p@ss "word" \\ é';

  it('a Secret shows a mask however it is printed; reveal() gives the value', () => {
    const s = new Secret(value);
    const holder = { password: s, nested: [s] };
    for (const printed of [String(s), `${s}`, JSON.stringify(holder), inspect(holder, { depth: 5 }), s.toString()]) {
      assert.equal(printed.includes(value), false, printed);
      assert.match(printed, /••••••/);
    }
    assert.equal(s.reveal(), value);
    assert.equal(s.length, value.length);
  });

  it('scrub masks every occurrence, also JSON-escaped, and leaves short secrets and other text alone', () => {
    const s = new Secret(value);
    const text = `a ${value} b ${JSON.stringify(value)} c`;
    const out = scrub(text, [s, undefined, new Secret('ab')]);
    assert.equal(out, 'a •••••• b "••••••" c');
    assert.equal(scrub('ab cd', [new Secret('ab')]), 'ab cd');
  });
});

import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeSubsection, encodeValue, GcfgEncodeError, renderCloudConf, type ConfSection } from '../../src/core/gcfg/encode';
import { parseGcfg } from '../../src/core/gcfg/parse';
import { SECTIONS } from '../../src/core/gcfg/keys';
import { gcfgParseMany } from './gcfg';

const SEED = Number(process.env.GCFG_SEED ?? Date.now() % 2147483647);
/** Values per checker run, and how many random values (GCFG_VALUES overrides). */
const BATCH = 2500;
const VALUES = Number(process.env.GCFG_VALUES ?? 20000);

/** Why encodeValue must refuse a value (the encoder contract of domain.md §(b)), computed independently. */
function mustRefuse(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a) || c === 0xfeff) return true;
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = value.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return true;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

const unit = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '"',
      '\\',
      ';',
      '#',
      '\t',
      '\n',
      ' ',
      '=',
      '[',
      ']',
      'a',
      'ü',
      '€',
      '😀',
      '\r',
      '\0',
      '\ufeff',
      '\u0001',
      '\u001f',
      '\ud800',
      '\udc00',
      '\u2028',
    ),
  },
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)) },
  { weight: 2, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((cp) => String.fromCharCode(cp)) },
);

describe(`encoder round trip through the real gcfg (seed ${SEED})`, function () {
  this.timeout(600000);

  it('encodeValue: random Unicode values are refused exactly when gcfg cannot carry them, else parse back exactly', async () => {
    const values = fc.sample(fc.string({ unit, maxLength: 24 }), { numRuns: VALUES, seed: SEED });
    const accepted: string[] = [];
    let refused = 0;
    for (const v of values) {
      let encoded: string | undefined;
      try {
        encoded = encodeValue('password', v);
      } catch (e) {
        assert.ok(e instanceof GcfgEncodeError);
        // Only fixed wording: the refusal never echoes the value.
        assert.match(
          e.message,
          /^cannot write "password" to cloud\.conf: it (contains a NUL character, which gcfg rejects|contains a carriage return \(CR\), which gcfg silently strips even inside quotes|contains the control character U\+[0-9A-F]{4}|contains a byte-order mark \(U\+FEFF\), which gcfg rejects|is not valid Unicode \(a lone surrogate\))$/,
        );
      }
      assert.equal(encoded === undefined, mustRefuse(v), `refusal mismatch for ${JSON.stringify(v)}`);
      if (encoded === undefined) refused++;
      else accepted.push(v);
    }
    let roundTripped = 0;
    for (let i = 0; i < accepted.length; i += BATCH) {
      const batch = accepted.slice(i, i + BATCH);
      const texts = batch.map((v) => `[Global]\npassword=${encodeValue('password', v)}\n`);
      const results = await gcfgParseMany(texts);
      results.forEach((r, j) => {
        assert.equal(r.ok, true, `gcfg refused the encoding of ${JSON.stringify(batch[j])}: ${r.error}`);
        assert.equal(r.global.password, batch[j], `gcfg read back a different value for ${JSON.stringify(batch[j])}`);
        assert.equal(r.csi.global.password, batch[j]);
        assert.equal(parseGcfg(texts[j]).variables[0].value, batch[j], 'the TypeScript parser disagrees');
        roundTripped++;
      });
    }
    console.log(
      `      ${values.length} random values: ${refused} refused (CR/NUL/C0/BOM/lone surrogate), ${roundTripped} round-tripped exactly through the real gcfg`,
    );
    assert.ok(roundTripped > VALUES / 3 && refused > VALUES / 20, 'the sample must exercise both outcomes');
  });

  it('renderCloudConf: random whole files (every string key, CSI [Global "name"] and [LoadBalancerClass "name"] subsections) read back exactly', async () => {
    const text = fc.string({ unit, maxLength: 12 }).filter((v) => !mustRefuse(v));
    const name = text.filter((v) => v !== '' && !v.includes('\n'));
    const stringKeys = (section: string): string[] =>
      SECTIONS.find((s) => s.name === section)
        ?.keys.filter((k) => k.goType === 'string')
        .map((k) => k.name) ?? [];
    const entries = (section: string) =>
      fc
        .uniqueArray(fc.tuple(fc.constantFrom(...stringKeys(section)), text), { selector: ([k]) => k, maxLength: 6 })
        .map((a) => a.map(([key, value]) => ({ key, value })));
    const file = fc
      .tuple(entries('Global'), name, entries('Global'), name, entries('LoadBalancerClass'))
      .map(([g, sub, g2, cls, lb]): ConfSection[] => [
        { name: 'Global', entries: g },
        { name: 'Global', subsection: sub, entries: g2 },
        { name: 'LoadBalancerClass', subsection: cls, entries: lb },
      ]);
    const files = fc.sample(file, { numRuns: Math.max(200, VALUES / 10), seed: SEED });
    const results = await gcfgParseMany(files.map((f) => renderCloudConf(f)));
    let keys = 0;
    results.forEach((r, i) => {
      const [g, g2, lb] = files[i];
      const asObject = (s: ConfSection): Record<string, unknown> => Object.fromEntries(s.entries.map((e) => [e.key, e.value]));
      assert.equal(r.ok && r.csi.ok, true, r.error ?? r.csi.error);
      assert.deepEqual(r.global, asObject(g));
      assert.deepEqual(r.csi.global, asObject(g));
      assert.deepEqual(r.csi.sections[`Global "${g2.subsection}"`], asObject(g2));
      assert.deepEqual(r.sections[`LoadBalancerClass "${lb.subsection}"`], asObject(lb));
      keys += g.entries.length * 2 + g2.entries.length + lb.entries.length;
    });
    console.log(`      ${files.length} rendered files: ${keys} keys read back exactly by gcfg (OCCM and Cinder CSI)`);
  });

  it('encodeSubsection refuses what a subsection name cannot carry (newline, empty, CR, NUL)', () => {
    for (const bad of ['', 'a\nb', 'a\rb', 'a\0b']) assert.throws(() => encodeSubsection('Global', bad), GcfgEncodeError);
    assert.equal(encodeSubsection('Global', 'a\t"b\\'), '"a\t\\"b\\\\"');
  });
});

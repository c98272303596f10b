import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeValue, GcfgEncodeError } from '../../src/core/gcfg/encode';
import { GCFG_FATAL_CODES, lintCloudConf } from '../../src/core/gcfg/lint';
import { parseGcfg } from '../../src/core/gcfg/parse';
import { decodeCloudConf, type DecodedConf } from '../../src/core/gcfg/schema';
import { gcfgParseMany, type GcfgParsed } from './gcfg';
import { HANDWRITTEN, peerLintCases, randomTexts } from './gcfg-corpus';

const SEED = Number(process.env.GCFG_SEED ?? Date.now() % 2147483647);
const BATCH = 2500;
/** How many random values / texts (defaults keep the stage under ~15 s). */
const VALUES = Number(process.env.GCFG_VALUES ?? 20000);
const TEXTS = Number(process.env.GCFG_TEXTS ?? 10000);

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
  { weight: 3, arbitrary: fc.constantFrom('"', '\\', ';', '#', '\t', '\n', ' ', '=', '[', ']', 'a', 'ü', '€', '😀', '\r', '\0', '\ufeff', '\u0001', '\u001f', '\ud800', '\udc00', '\u2028') },
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)) },
  { weight: 2, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((cp) => String.fromCharCode(cp)) },
);

function sameAsGo(ts: DecodedConf, go: GcfgParsed): boolean {
  try {
    assert.deepStrictEqual({ ok: ts.ok, error: ts.error, global: ts.global, sections: ts.sections }, { ok: go.ok, error: go.error, global: go.global, sections: go.sections });
    return true;
  } catch {
    return false;
  }
}

describe(`gcfg conformance: TypeScript model vs real gcfg (seed ${SEED})`, function () {
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
        assert.ok(!e.message.includes(v) || v.length < 2, 'the refusal must not echo the value');
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
        assert.equal(parseGcfg(texts[j]).variables[1 - 1].value, batch[j], 'the TypeScript parser disagrees');
        roundTripped++;
      });
    }
    console.log(`      ${values.length} random values: ${refused} refused (CR/NUL/C0/BOM/lone surrogate), ${roundTripped} round-tripped exactly through the real gcfg`);
    assert.ok(roundTripped > VALUES / 3 && refused > VALUES / 20, 'the sample must exercise both outcomes');
  });

  it('parseGcfg + decodeCloudConf agree with gcfg (verdict, error text, every value) for OCCM and Cinder CSI, and lint errors ⇔ gcfg fatal', async () => {
    const corpus: (string | Uint8Array)[] = [...peerLintCases().map((c) => c.text), ...HANDWRITTEN, ...randomTexts(TEXTS, SEED)];
    let occmAgree = 0;
    let csiAgree = 0;
    let lintAgree = 0;
    let fatal = 0;
    const mismatches: string[] = [];
    for (let i = 0; i < corpus.length; i += BATCH) {
      const batch = corpus.slice(i, i + BATCH);
      const results = await gcfgParseMany(batch);
      batch.forEach((text, j) => {
        const go = results[j];
        const doc = parseGcfg(text);
        const occm = decodeCloudConf(doc, 'occm');
        const csi = decodeCloudConf(doc, 'csi');
        const shown = typeof text === 'string' ? JSON.stringify(text) : `bytes ${Buffer.from(text).toString('hex')}`;
        if (sameAsGo(occm, go)) occmAgree++;
        else mismatches.push(`OCCM ${shown}\n  ts: ${JSON.stringify(occm)}\n  go: ${JSON.stringify({ ok: go.ok, error: go.error, global: go.global, sections: go.sections })}`);
        if (sameAsGo(csi, go.csi)) csiAgree++;
        else mismatches.push(`CSI ${shown}\n  ts: ${JSON.stringify(csi)}\n  go: ${JSON.stringify(go.csi)}`);
        const goFatal = !go.ok || !go.csi.ok;
        if (goFatal) fatal++;
        const lintFatal = lintCloudConf(text).some((f) => f.severity === 'error' && GCFG_FATAL_CODES.has(f.code));
        if (lintFatal === goFatal) lintAgree++;
        else mismatches.push(`lint ${shown}: lint fatal ${lintFatal}, gcfg fatal ${goFatal} (${go.error ?? go.csi.error ?? ''})`);
      });
    }
    console.log(`      ${corpus.length} cloud.conf texts (${fatal} fatal for gcfg): OCCM model agreed on ${occmAgree}, Cinder CSI model on ${csiAgree}, lint error ⇔ fatal on ${lintAgree}`);
    assert.deepEqual(mismatches.slice(0, 10), []);
  });
});

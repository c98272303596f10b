import * as assert from 'node:assert/strict';
import { GCFG_FATAL_CODES, lintCloudConf } from '../../src/core/gcfg/lint';
import { parseGcfg } from '../../src/core/gcfg/parse';
import { decodeCloudConf, type DecodedConf } from '../../src/core/gcfg/decode';
import { gcfgParseMany, type GcfgParsed } from './gcfg';
import { HANDWRITTEN, peerLintCases, randomTexts } from './gcfg-corpus';

const SEED = Number(process.env.GCFG_SEED ?? Date.now() % 2147483647);
const BATCH = 2500;
/** How many random texts (the default keeps this under ~15 s). */
const TEXTS = Number(process.env.GCFG_TEXTS ?? 10000);

function sameAsGo(ts: DecodedConf, go: GcfgParsed): boolean {
  try {
    assert.deepStrictEqual(
      { ok: ts.ok, error: ts.error, global: ts.global, sections: ts.sections },
      { ok: go.ok, error: go.error, global: go.global, sections: go.sections },
    );
    return true;
  } catch {
    return false;
  }
}

describe(`gcfg conformance: TypeScript model vs real gcfg (seed ${SEED})`, function () {
  this.timeout(600000);

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
        else
          mismatches.push(
            `OCCM ${shown}\n  ts: ${JSON.stringify(occm)}\n  go: ${JSON.stringify({ ok: go.ok, error: go.error, global: go.global, sections: go.sections })}`,
          );
        if (sameAsGo(csi, go.csi)) csiAgree++;
        else mismatches.push(`CSI ${shown}\n  ts: ${JSON.stringify(csi)}\n  go: ${JSON.stringify(go.csi)}`);
        const goFatal = !go.ok || !go.csi.ok;
        if (goFatal) fatal++;
        const lintFatal = lintCloudConf(text).some((f) => f.severity === 'error' && GCFG_FATAL_CODES.has(f.code));
        if (lintFatal === goFatal) lintAgree++;
        else mismatches.push(`lint ${shown}: lint fatal ${lintFatal}, gcfg fatal ${goFatal} (${go.error ?? go.csi.error ?? ''})`);
      });
    }
    console.log(
      `      ${corpus.length} cloud.conf texts (${fatal} fatal for gcfg): OCCM model agreed on ${occmAgree}, Cinder CSI model on ${csiAgree}, lint error ⇔ fatal on ${lintAgree}`,
    );
    assert.deepEqual(mismatches.slice(0, 10), []);
  });
});

import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { escapeControls, firstErrorLine, formatFinding, type Finding } from '../../../src/core/findings';
import { sourceFromBytes } from '../../../src/core/source';
import { decodeUtf8 } from '../../../src/core/text';

const SEED = Number(process.env.CS_SEED ?? Date.now() % 2 ** 31);
const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const accepts = (b: Uint8Array) => {
  try {
    fatal.decode(b);
    return true;
  } catch {
    return false;
  }
};

describe(`decoding without altering (seed ${SEED})`, () => {
  it('decodeUtf8 accepts exactly what TextDecoder (fatal) accepts, and locates the first bad sequence', () => {
    // Mostly UTF-8 text with a few raw bytes spliced in: overlongs, surrogates, truncated and stray continuation bytes.
    const chunk = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 4 }).map((s) => [...Buffer.from(s, 'utf8')]),
      fc.constantFrom([0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0x80], [0xef, 0xbb, 0xbf]),
    );
    fc.assert(
      fc.property(fc.array(chunk, { maxLength: 12 }), (parts) => {
        const bytes = Uint8Array.from(parts.flat());
        const d = decodeUtf8(bytes);
        assert.equal(d.ok, accepts(bytes));
        if (d.ok) {
          assert.equal(d.text, Buffer.from(bytes).toString('utf8'));
          return;
        }
        assert.ok(accepts(bytes.subarray(0, d.byte)), 'the bytes before the reported one are UTF-8');
        assert.ok(!accepts(bytes.subarray(0, Math.min(d.byte + 4, bytes.length))), 'the reported sequence is not');
        assert.equal(d.at, fatal.decode(bytes.subarray(0, d.byte)).length);
        assert.equal(d.value, bytes[d.byte]);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('a source that is not UTF-8 is refused with CS180 at the line and column of the bad byte; a BOM is kept', () => {
    const s = sourceFromBytes(
      '/p/clouds.yaml',
      Buffer.concat([Buffer.from('clouds:\n  c:\n    x: "ü'), Buffer.from([0xc3]), Buffer.from('"\n')]),
    );
    assert.equal(s.refused?.code, 'CS180');
    assert.deepEqual(s.refused?.range.start, { line: 2, character: 9 });
    assert.match(s.refused?.message ?? '', /byte 0xC3 at offset 23/);
    assert.equal(sourceFromBytes('/p/x', Buffer.from('\ufeffa: 1\n')).text, '\ufeffa: 1\n');
  });

  it('messages are one line: control, separator and bidi characters are escaped, other text is kept', () => {
    assert.equal(
      escapeControls('a\nb\rc\td\u0000e\u001b[31mf\u0085g\u2028h\u202ei\u2066j'),
      'a\\nb\\rc\\td\\u0000e\\u001b[31mf\\u0085g\\u2028h\\u202ei\\u2066j',
    );
    assert.equal(escapeControls('ü€😀 "quoted" \\ back'), 'ü€😀 "quoted" \\ back');
    const line = formatFinding('dir\n/clouds.yaml', {
      code: 'CS151',
      severity: 'error',
      range: { start: { line: 1, character: 2 }, end: { line: 1, character: 3 } },
      message: 'Cloud "x\ny" is not defined',
    });
    assert.equal(line, 'dir\\n/clouds.yaml:2:3: error CS151: Cloud "x\\ny" is not defined');
  });

  it('the refusal line of a notification: the first error by code, file name and line, how many more, escaped', () => {
    const at = (line: number, code: string, severity: Finding['severity'], message: string): Finding => ({
      code,
      severity,
      range: { start: { line, character: 0 }, end: { line, character: 1 } },
      message,
    });
    const findings = new Map<string, Finding[]>([
      ['/w/clouds\u202e.yaml', [at(3, 'CS121', 'warning', 'w'), at(6, 'CS103', 'error', 'no secret\nfor it')]],
      ['/w/secure.yaml', [at(0, 'CS180', 'error', 'x'), at(1, 'CS180', 'error', 'y')]],
    ]);
    // On the old notification code the U+202E (right-to-left override) of the file name reached the notification raw.
    assert.equal(firstErrorLine(findings), 'CS103 at clouds\\u202e.yaml:7: no secret for it (and 2 more errors)');
    assert.equal(firstErrorLine(new Map([['/w/c.yaml', [at(0, 'CS101', 'error', 'm')]]])), 'CS101 at c.yaml:1: m');
    assert.equal(firstErrorLine(new Map()), 'the cloud cannot be converted');
  });
});

import * as assert from 'node:assert/strict';
import { parseGcfg } from '../../../../src/core/gcfg/parse';

const G = '[Global]\n';
/** The value gcfg stores for the only variable of `[Global]\n<line>`. */
const valueOf = (line: string): string => {
  const doc = parseGcfg(G + line);
  assert.equal(doc.error, undefined, doc.error?.goError);
  return doc.variables[0].value;
};

describe('gcfg reader model (parse.ts)', () => {
  describe('values as gcfg stores them (domain.md §5.5)', () => {
    const cases: [string, string][] = [
      ['name = value', 'value'],
      ['name=value ; cmnt', 'value'],
      ['name=value#x', 'value'],
      ['name=pa;ss', 'pa'],
      ['name = \t value \t ', 'value'],
      ['name="val" "ue"', 'val ue'],
      ['name=" value "', ' value '],
      ['name="va ; lue#x"', 'va ; lue#x'],
      ['name="p@ss \\"w0rd\\" \\\\ #1; ü€ "', 'p@ss "w0rd" \\ #1; ü€ '],
      ['name="line1\\nline2\\ttab"', 'line1\nline2\ttab'],
      ['name=\\"quoted\\"', '"quoted"'],
      ['name=value \\\n value', 'value  value'],
      ['name="a\rb"', 'ab'],
      ['name=a=b[c]', 'a=b[c]'],
      ['name=', ''],
      ['name=😀 ü', '😀 ü'],
    ];
    for (const [line, value] of cases) it(`${JSON.stringify(line)} → ${JSON.stringify(value)}`, () => assert.equal(valueOf(line), value));

    it('a name without "=" is blank', () => {
      const v = parseGcfg(`${G}use-clouds ; c\n`).variables[0];
      assert.equal(v.blank, true);
      assert.equal(v.value, '');
    });
  });

  describe("fatal errors with gcfg's wording and position", () => {
    const cases: [string | Uint8Array, string][] = [
      [`${G}password=va\\lue\n`, "2:10: unquoted '\\' must be followed by new line or double quote"],
      [`${G}password="value\nregion=x\n`, '2:10: string not terminated'],
      [`${G}password="pa"ss"\n`, '2:10: string not terminated'],
      [`${G}password="\\a"\n`, '2:12: unknown escape sequence'],
      [`${G}password="a\\\nb"\n`, '2:13: unknown escape sequence'],
      ['\ufeff[Global]\n', '1:1: illegal character U+FEFF'],
      [`${G}auth_url=x\n`, "2:5: illegal character U+005F '_'"],
      [`${G}password=a\0b\n`, '2:11: illegal character NUL'],
      ['[sec ""]\n', '1:6: empty subsection name'],
      ['[sec.sub]\n', "1:5: illegal character U+002E '.'"],
      ['[sec\n', '1:5: expected subsection name or right bracket'],
      ['[sec "x"\n', '1:9: expected right bracket'],
      ['[]\n', '1:2: expected section name'],
      ['[sec] x\n', '1:7: expected EOL, EOF, or comment'],
      ['auth-url = x\n[Global]\n', '1:1: expected section header'],
      [`${G}region x\n`, "2:8: expected '='"],
      [`${G}= x\n`, '2:1: expected section header or variable declaration'],
      [Uint8Array.from([...Buffer.from(`${G}password=a`), 0xff, 0x0a]), '2:11: illegal UTF-8 encoding'],
      [`${G}password=\ud800\n`, '2:10: illegal UTF-8 encoding'],
      [Uint8Array.from([...Buffer.from(`${G}password="`), 0xed, 0xa0, 0x80, 0x0a]), '2:11: illegal UTF-8 encoding (and 3 more errors)'],
    ];
    for (const [text, goError] of cases) {
      it(goError, () => assert.equal(parseGcfg(text).error?.goError, goError));
    }

    it('points the range at the culprit, in UTF-16 columns', () => {
      const bs = parseGcfg(`${G}password=😀va\\lue\n`).error;
      assert.deepEqual(bs?.range, { start: { line: 1, character: 13 }, end: { line: 1, character: 15 } });
      const esc = parseGcfg(`${G}password="\\a"\n`).error;
      assert.deepEqual(esc?.range, { start: { line: 1, character: 10 }, end: { line: 1, character: 12 } });
      const illegal = parseGcfg(`${G}auth_url=x\n`).error;
      assert.deepEqual(illegal?.range, { start: { line: 1, character: 4 }, end: { line: 1, character: 5 } });
    });

    it('stops at the first fatal error: nothing after it is read', () => {
      const doc = parseGcfg(`${G}region=a\nauth_url=x\nusername=u\n`);
      assert.deepEqual(
        doc.variables.map((v) => v.name),
        ['region'],
      );
    });
  });

  describe('structure and ranges', () => {
    it('reads headers with subsections and binds variables to them', () => {
      const doc = parseGcfg('[Global]\nregion=a\n[Global "two"]\nregion=b\n');
      assert.deepEqual(
        doc.headers.map((h) => [h.name, h.subsection]),
        [
          ['Global', undefined],
          ['Global', 'two'],
        ],
      );
      assert.deepEqual(
        doc.variables.map((v) => [v.header.subsection, v.value]),
        [
          [undefined, 'a'],
          ['two', 'b'],
        ],
      );
      assert.deepEqual(doc.headers[1].range, { start: { line: 2, character: 0 }, end: { line: 2, character: 14 } });
      assert.deepEqual(doc.headers[1].subsectionRange, { start: { line: 2, character: 8 }, end: { line: 2, character: 13 } });
    });

    it('gives the raw value range (trailing blanks excluded) and the comment that cut it', () => {
      const v = parseGcfg(`${G}  password = 😀a#rest  \n`).variables[0];
      assert.equal(v.raw, '😀a');
      assert.deepEqual(v.nameRange, { start: { line: 1, character: 2 }, end: { line: 1, character: 10 } });
      assert.deepEqual(v.valueRange, { start: { line: 1, character: 13 }, end: { line: 1, character: 16 } });
      assert.deepEqual(v.commentRange?.start, { line: 1, character: 16 });
      assert.equal(v.quoted, false);
    });

    it('flags quoting and continuation lines', () => {
      const [q, c] = parseGcfg(`${G}a="x"\nb=x\\\ny\n`).variables;
      assert.equal(q.quoted, true);
      assert.equal(c.continued, true);
      assert.equal(c.value, 'xy');
    });

    it('strips CR (CRLF files) from values, like gcfg', () => {
      const doc = parseGcfg('[Global]\r\nregion = a \r\nauth-url="b"\r\n');
      assert.deepEqual(
        doc.variables.map((v) => v.value),
        ['a', 'b'],
      );
    });
  });
});

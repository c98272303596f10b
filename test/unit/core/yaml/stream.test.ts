import * as assert from 'node:assert/strict';
import { parseLocatedDocuments } from '../../../../src/core/stacks/located';
import { getPair, parseYamlStream, YAML_LIMITS, type YMap } from '../../../../src/core/yaml/parse';
import type { Range } from '../../../../src/core/findings';

const slice = (text: string, r: Range): string => {
  const lines = text.split('\n');
  if (r.start.line === r.end.line) return lines[r.start.line].slice(r.start.character, r.end.character);
  return [
    lines[r.start.line].slice(r.start.character),
    ...lines.slice(r.start.line + 1, r.end.line),
    lines[r.end.line]?.slice(0, r.end.character) ?? '',
  ].join('\n');
};

describe('positioned YAML streams (js-yaml loadAll with the listener)', () => {
  it('gives each document its own tree, value and positions', () => {
    const text = 'kind: A\nname: first\n---\n# second\nkind: B\nspec:\n  size: 3\n';
    const { documents } = parseYamlStream(text);
    assert.deepEqual(
      documents.map((d) => d.value),
      [
        { kind: 'A', name: 'first' },
        { kind: 'B', spec: { size: 3 } },
      ],
    );
    const size = getPair(getPair(documents[1].root as YMap, 'spec')?.value as YMap, 'size');
    assert.deepEqual(size?.value?.range, { start: { line: 6, character: 8 }, end: { line: 6, character: 9 } });
    assert.equal(slice(text, documents[0].range), 'kind: A\nname: first\n');
    assert.equal(slice(text, documents[1].range), '---\n# second\nkind: B\nspec:\n  size: 3\n');
    assert.deepEqual(
      documents.map((d) => d.findings),
      [[], []],
    );
  });

  it('separators: a leading `---`, an `...` end marker and comments between documents', () => {
    const text = '# header\n---\na: 1\n...\n# between\n---\nb: 2\n';
    const { documents } = parseYamlStream(text);
    assert.deepEqual(
      documents.map((d) => d.value),
      [{ a: 1 }, { b: 2 }],
    );
    assert.deepEqual(
      documents.map((d) => [d.range.start.line, d.range.end.line]),
      [
        [1, 5],
        [5, 7],
      ],
    );
  });

  it('empty documents are null documents; an empty text has none', () => {
    const text = '---\n---\n# only a comment\n---\nc: 3\n';
    const { documents } = parseYamlStream(text);
    assert.deepEqual(
      documents.map((d) => d.value),
      [null, null, { c: 3 }],
    );
    assert.deepEqual(
      documents.map((d) => d.range.start.line),
      [0, 1, 3],
    );
    assert.deepEqual(parseYamlStream('').documents, []);
  });

  it('a syntax error is reported in the document it is in; the documents after it still parse', () => {
    const text = 'a: 1\n---\nb: [1, 2\nc: 3\n---\nd: 4\n';
    const { documents } = parseYamlStream(text);
    assert.equal(documents.length, 3);
    assert.deepEqual(documents[0].value, { a: 1 });
    assert.deepEqual(documents[0].findings, []);
    assert.equal(documents[1].value, undefined);
    assert.deepEqual(
      documents[1].findings.map((f) => f.code),
      ['CS001'],
    );
    const err = documents[1].findings[0].range;
    assert.ok(err.start.line >= 2 && err.start.line < 4, `error at line ${err.start.line}`);
    assert.deepEqual([documents[1].range.start.line, documents[1].range.end.line], [1, 4]);
    assert.deepEqual(documents[2].value, { d: 4 });
    assert.deepEqual(documents[2].findings, []);
    const size = getPair(documents[2].root as YMap, 'd')?.value;
    assert.deepEqual(size?.range, { start: { line: 5, character: 3 }, end: { line: 5, character: 4 } });
  });

  it('content after a finished document without a separator is an error of that document', () => {
    const { documents } = parseYamlStream('a: 1\n- b\n---\nc: 2\n');
    assert.deepEqual(
      documents.map((d) => d.findings.map((f) => f.code)),
      [['CS001'], []],
    );
    assert.deepEqual(documents[1].value, { c: 2 });
  });

  it('an alias bomb in the second document is reported there, bounded, and the first keeps its value', () => {
    let bomb = '---\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i <= 10; i++)
      bomb += `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    const text = `kind: Fine\n${bomb}---\nkind: After\n`;
    const started = Date.now();
    const { documents } = parseYamlStream(text);
    assert.ok(Date.now() - started < 2000);
    assert.deepEqual(documents[0].value, { kind: 'Fine' });
    assert.equal(documents[1].value, undefined);
    assert.deepEqual(
      documents[1].findings.map((f) => f.code),
      ['CS002'],
    );
    assert.match(documents[1].findings[0].message, new RegExp(String(YAML_LIMITS.maxExpandedNodes)));
    assert.equal(documents[1].findings[0].range.start.line, 1);
    assert.deepEqual(documents[2].value, { kind: 'After' });
  });

  it('a self-referencing anchor is reported, not walked forever; aliases within bounds are fine', () => {
    const { documents } = parseYamlStream('a: &x [1, *x]\n---\nb: &y {k: v}\nc: *y\n');
    assert.deepEqual(
      documents[0].findings.map((f) => f.code),
      ['CS002'],
    );
    assert.deepEqual(documents[1].value, { b: { k: 'v' }, c: { k: 'v' } });
    assert.deepEqual(documents[1].findings, []);
  });

  it('a byte order mark does not shift positions', () => {
    const text = '\ufeffa: 1\n---\nb: 22\n';
    const b = getPair(parseYamlStream(text).documents[1].root as YMap, 'b')?.value;
    assert.equal(b && slice(text, b.range), '22');
  });

  it('stacks: located documents point rules at fields per document (Kubernetes reading: core schema, last key wins)', () => {
    const text = 'kind: A\n---\nkind: B\nspec:\n  versions: [v1, v2]\n  date: 2024-01-01\n  empty:\n  name: x\n  name: y\n';
    const docs = parseLocatedDocuments(text);
    assert.deepEqual(docs[1].value, { kind: 'B', spec: { versions: ['v1', 'v2'], date: '2024-01-01', empty: null, name: 'y' } });
    assert.equal(slice(text, docs[1].locate(['spec', 'versions', 1])), 'v2');
    assert.equal(slice(text, docs[1].locate(['spec', 'versions'], true)), 'versions');
    assert.deepEqual(
      docs[1].locate(['spec', 'missing']).start,
      { line: 4, character: 2 },
      'a missing field points at the mapping it belongs in',
    );
    assert.equal(slice(text, docs[1].locate(['spec', 'empty'])), 'empty', 'an empty value points at its key');
    assert.deepEqual(docs[1].locate(['spec', 'name']).start.line, 8);
    assert.equal(slice(text, docs[0].locate(['kind'])), 'A');
  });
});

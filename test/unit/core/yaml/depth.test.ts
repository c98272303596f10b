/**
 * Attacker-controlled depth: a 4 KB file of nested collections used to end in
 * `RangeError: Maximum call stack size exceeded` inside js-yaml's recursive composer, and aliases or
 * `<<` merges could stack anchors deeper than the text (or expand exponentially). Each is a located
 * CS002 now, for the single-document reader (clouds files) and the stream reader (manifests).
 */
import * as assert from 'node:assert/strict';
import { convertCloud } from '../../../../src/core/clouds';
import { parseLocatedDocuments } from '../../../../src/core/stacks/located';
import { getPair, parseYaml, parseYamlStream, YAML_LIMITS, type YMap } from '../../../../src/core/yaml/parse';

const DEPTH = 2000;
/** The four shapes of the report (4–5 KB each, except block mappings, whose indentation grows with depth). */
const DEEP: Record<string, string> = {
  'flow sequences': '['.repeat(DEPTH) + ']'.repeat(DEPTH),
  'flow mappings': '{a: '.repeat(DEPTH / 2) + '1' + '}'.repeat(DEPTH / 2),
  'block mappings': Array.from({ length: DEPTH / 2 }, (_, i) => `${' '.repeat(i)}k:\n`).join('') + ' '.repeat(DEPTH / 2) + 'k: 1\n',
  'compact sequences (- - -)': '- '.repeat(DEPTH) + 'x\n',
};

describe('YAML nesting depth is bounded (CS002, located)', () => {
  for (const [shape, text] of Object.entries(DEEP)) {
    it(`${shape}, depth ${DEPTH}: one CS002 at the first node too deep, no stack overflow`, () => {
      const doc = parseYaml(text);
      assert.equal(doc.root, undefined);
      assert.equal(doc.findings.length, 1);
      const [f] = doc.findings;
      assert.equal(f.code, 'CS002');
      assert.equal(f.severity, 'error');
      assert.match(f.message, /nests deeper than 128 levels/);
      // Located inside the text, past the first levels (not a file-level 1:1 finding).
      assert.ok(f.range.start.line > 0 || f.range.start.character > 0, JSON.stringify(f.range));
      const stream = parseYamlStream(text);
      assert.equal(stream.documents.length, 1);
      assert.equal(stream.documents[0].findings[0].code, 'CS002');
    });
  }

  it('the limit is on nesting, not on size: depth 100 parses, in every shape', () => {
    const ok = [
      '['.repeat(100) + ']'.repeat(100),
      '{a: '.repeat(50) + '1' + '}'.repeat(50),
      Array.from({ length: 50 }, (_, i) => `${' '.repeat(i)}k:\n`).join('') + ' '.repeat(50) + 'k: 1\n',
      '- '.repeat(100) + 'x\n',
    ];
    for (const text of ok) assert.deepEqual(parseYaml(text).findings, [], text.slice(0, 40));
    assert.ok(YAML_LIMITS.maxDepth >= 100);
  });

  it('in a stream the deep document is refused and the next one after --- still parses', () => {
    const text = 'kind: A\n---\n' + DEEP['flow sequences'] + '\n---\nkind: B\n';
    const docs = parseLocatedDocuments(text);
    assert.equal(docs.length, 3);
    assert.deepEqual(docs[0].value, { kind: 'A' });
    assert.equal(docs[1].syntaxErrors[0].code, 'CS002');
    assert.equal(docs[1].syntaxErrors[0].range.start.line, 2);
    assert.deepEqual(docs[2].value, { kind: 'B' });
  });

  /** Each anchor nests 100 levels around the previous one: 40 lines of text, depth 4,000 when expanded. */
  const stacked = (use: string) => {
    const parts = ['a0: &a0 [x]'];
    for (let i = 1; i < 40; i++) parts.push(`a${i}: &a${i} ${'['.repeat(100)}*a${i - 1}${']'.repeat(100)}`);
    return 'defs:\n' + parts.map((p) => `  ${p}\n`).join('') + use;
  };

  it('aliases stacking anchors below each other: a stream value deeper than the limit is CS002, not handed to walkers', () => {
    const stream = parseYamlStream(stacked('v: *a39\n'));
    assert.equal(stream.documents[0].value, undefined);
    assert.equal(stream.documents[0].findings[0].code, 'CS002');
    assert.match(stream.documents[0].findings[0].message, /aliases nest deeper than 128 levels/);
  });

  it('aliases stacking anchors below each other in a clouds.yaml: CS002 on the cloud, no stack overflow', () => {
    const r = convertCloud({ clouds: { path: '/p/clouds.yaml', text: stacked('clouds:\n  c:\n    x: *a39\n') } }, 'c');
    assert.equal(r.ok, false);
    const [f] = [...r.findings.values()].flat();
    assert.equal(f.code, 'CS002');
    assert.match(f.message, /Cloud "c" nests deeper than 128 levels through aliases or merges/);
  });

  it('a fan of `<<` merges (4 sources × 30 levels) is bounded by the expansion budget instead of running for hours', () => {
    const lines = ['x0: &a0 {k0: 1}'];
    for (let i = 1; i < 30; i++)
      lines.push(
        `x${i}: &a${i} {<<: [${Array(4)
          .fill(`*a${i - 1}`)
          .join(', ')}], k${i}: 1}`,
      );
    const text =
      'defs:\n' +
      lines.map((l) => `  ${l}\n`).join('') +
      'clouds:\n  c:\n    <<: *a29\n    auth: {auth_url: "https://k/v3"}\n    region_name: R\n';
    const started = Date.now();
    const r = convertCloud({ clouds: { path: '/p/clouds.yaml', text } }, 'c');
    assert.ok(Date.now() - started < 5000);
    assert.equal(r.ok, false);
    assert.match([...r.findings.values()].flat()[0].message, /expands to more than 200000 YAML nodes through aliases or merges/);
  });

  it('a chain of 5,000 `<<` merges: lookups are iterative (no stack overflow), each mapping searched once', () => {
    const lines = ['x0: &a0 {k0: found}'];
    for (let i = 1; i < 5000; i++) lines.push(`x${i}: &a${i} {<<: [*a${i - 1}, *a${i - 1}]}`);
    const doc = parseYaml('defs:\n' + lines.map((l) => `  ${l}\n`).join('') + 'last: *a4999\n');
    assert.deepEqual(doc.findings, []);
    const last = getPair(doc.root as YMap, 'last')?.value;
    const target = last?.kind === 'alias' ? last.target : undefined;
    assert.equal(target?.kind, 'map');
    const started = Date.now();
    const k0 = getPair(target as YMap, 'k0');
    assert.equal(k0?.value?.kind === 'scalar' && k0.value.value, 'found');
    assert.equal(getPair(target as YMap, 'missing'), undefined);
    assert.ok(Date.now() - started < 2000);
  });

  it('merges deeper than the limit are refused, not silently cut at some depth', () => {
    const lines = ['x0: &a0 {k0: 1}'];
    for (let i = 1; i < 200; i++) lines.push(`x${i}: &a${i} {<<: *a${i - 1}}`);
    const text = 'defs:\n' + lines.map((l) => `  ${l}\n`).join('') + 'clouds:\n  c:\n    <<: *a199\n';
    const r = convertCloud({ clouds: { path: '/p/clouds.yaml', text } }, 'c');
    assert.equal(r.ok, false);
    assert.match([...r.findings.values()].flat()[0].message, /nests deeper than 128 levels through aliases or merges/);
  });
});

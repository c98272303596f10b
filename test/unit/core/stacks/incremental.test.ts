import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { stackManifest } from '../../../../bench/data';
import { diagnoseStackText } from '../../../../src/core/stacks/diagnose';
import { StackDiagnoser } from '../../../../src/core/stacks/incremental';
import { classOffer, type TenantFacts } from '../../../../src/core/stacks/topology';
import { splitDocuments, YamlStream } from '../../../../src/core/yamlStream';

const FIXTURES = path.resolve(__dirname, '../../../fixtures');
const SCS2_CLASS = yaml.loadAll(
  fs.readFileSync(path.join(FIXTURES, 'clusterclass/openstack-scs2-1-34-v1-clusterclass-derived.yaml'), 'utf8'),
)[0];

/** A tenant with class openstack-scs2-1-33-v1 (the 1-34 fixture class renamed) and no releases: the live checks report on it. */
function tenant(): TenantFacts {
  const offer = { ...classOffer(SCS2_CLASS), name: 'openstack-scs2-1-33-v1' };
  return { classes: new Map([[offer.name, offer]]), releases: new Map() };
}

describe('stacks: per-document diagnostics of a manifest', () => {
  it('gives the findings the whole-stream rules give, at the same places, across edits', () => {
    const m = stackManifest(200_000);
    const file = '/w/cluster-stacks.yaml';
    const d = new StackDiagnoser();
    const lines = m.text.split('\n');
    const variants = [
      m.text,
      [...lines.slice(0, m.toggle.line), m.toggle.to, ...lines.slice(m.toggle.line + 1)].join('\n'),
      m.text.replace('kind: ClusterStack', 'kind: ClusterStack\nspec: [broken'),
      m.text.replace('  provider: openstack', '  provider: 42'),
      m.text,
    ];
    for (const text of variants) {
      const whole = diagnoseStackText(file, text, { schemaRunsToo: true });
      assert.deepEqual(d.diagnose(file, new YamlStream(text), { schemaRunsToo: true }).findings, whole);
      assert.ok(whole.length > 0);
    }
  });

  it('checks a document again when the facts of its namespace change, and reports the namespaces asked about', () => {
    const m = stackManifest(50_000);
    const file = '/w/cluster-stacks.yaml';
    const d = new StackDiagnoser();
    const stream = new YamlStream(m.text);
    const without = d.diagnose(file, stream);
    assert.ok(without.namespaces.includes('tenant-0000'));
    assert.ok(!without.findings.some((f) => f.code === 'CSK205'));
    const facts = tenant();
    const factsFor = (ns: string | undefined) => (ns === 'tenant-0000' ? facts : undefined);
    const withFacts = d.diagnose(file, stream, { factsFor });
    assert.deepEqual(withFacts.findings, diagnoseStackText(file, m.text, { factsFor }));
    assert.notDeepEqual(withFacts.findings, without.findings, 'the live checks ran with the new facts');
  });

  it('leaves files without cluster-stack documents alone, and checks authoring files whole', () => {
    const d = new StackDiagnoser();
    assert.deepEqual(d.diagnose('/w/other.yaml', new YamlStream('a: 1\n---\nb: 2\n')), { findings: [], namespaces: [] });
    const csctl = 'apiVersion: csctl.clusterstack.x-k8s.io/v1alpha1\nconfig:\n  kubernetesVersion: 1.33\n---\nx: 1\n';
    assert.deepEqual(d.diagnose('/w/csctl.yaml', new YamlStream(csctl)).findings, diagnoseStackText('/w/csctl.yaml', csctl));
  });
});

/** A small deterministic PRNG (mulberry32): the same seed gives the same edits. */
function random(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

interface Edit {
  readonly offset: number;
  readonly length: number;
  readonly text: string;
  readonly what: string;
}

/** Where `needle` occurs in `text`. */
function occurrences(text: string, needle: string): number[] {
  const out: number[] = [];
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) out.push(at);
  return out;
}

const SNIPPETS = [
  '\n',
  '-',
  '---',
  '\n---',
  '--- ',
  '---\n',
  '%',
  ' ',
  '\t',
  'x',
  '\r\n',
  ':',
  '"',
  '[',
  'kind: Cluster\n',
  '...\n',
  '\u0007',
];
const BROKEN = ['spec: [broken\n', '  : :\n', 'kind: ClusterStack\n', '\t- x\n', 'a: &x 1\nb: *y\n', '"unclosed\n'];

/** One random edit of `text`: the benchmark's toggle, markers and directives added or removed, YAML broken, text cut or replaced. */
function randomEdit(text: string, pick: (n: number) => number, original: string): Edit {
  const any = <T>(xs: readonly T[]): T => xs[pick(xs.length)];
  const lineStart = () => any([0, ...occurrences(text, '\n').map((at) => at + 1)]);
  const at = () => pick(text.length + 1);
  const kind = pick(12);
  switch (kind) {
    case 0: {
      const spots = [...occurrences(text, 'version: v1.33.4'), ...occurrences(text, 'version: v1.34.4')];
      if (!spots.length) break;
      const spot = any(spots) + 'version: v1.3'.length;
      return { offset: spot, length: 1, text: text[spot] === '3' ? '4' : '3', what: 'toggle a Cluster version' };
    }
    case 1:
      return { offset: lineStart(), length: 0, text: '---\n', what: 'add a --- line' };
    case 2: {
      const markers = occurrences(text, '\n---');
      if (!markers.length) break;
      const m = any(markers);
      return pick(2)
        ? { offset: m + 1, length: 4, text: '', what: 'remove a --- line' }
        : { offset: m, length: 1, text: '', what: 'join a --- line to the one before' };
    }
    case 3:
      return { offset: lineStart(), length: 0, text: any(['%YAML 1.2\n', '%TAG !e! tag:example.com,2000:\n']), what: 'add a directive' };
    case 4: {
      const directives = occurrences(text, '\n%');
      if (!directives.length) break;
      const d = any(directives) + 1;
      const end = text.indexOf('\n', d);
      return { offset: d, length: (end < 0 ? text.length : end + 1) - d, text: '', what: 'remove a directive line' };
    }
    case 5:
      return { offset: lineStart(), length: 0, text: any(BROKEN), what: 'break the YAML' };
    case 6: {
      const offset = at();
      return { offset, length: Math.min(pick(300), text.length - offset), text: '', what: 'delete a range' };
    }
    case 7:
      return { offset: at(), length: 0, text: any(SNIPPETS), what: 'insert a snippet' };
    case 8: {
      const spots = occurrences(text, 'namespace: tenant-000');
      if (!spots.length) break;
      const spot = any(spots) + 'namespace: tenant-000'.length;
      return { offset: spot, length: 1, text: String(pick(3)), what: 'move a document to another namespace' };
    }
    case 9: {
      const markers = occurrences(text, '---');
      if (!markers.length) break;
      const m = any(markers);
      const around = [m - 1, m + 3].filter((p) => p >= 0 && p < text.length);
      if (!around.length) break;
      return { offset: any(around), length: pick(2), text: any(['', 'x', ' ', '\n']), what: 'edit next to a ---' };
    }
    case 10:
      if (pick(8)) break;
      return { offset: 0, length: text.length, text: pick(2) ? original : text.slice(pick(text.length)), what: 'replace the whole text' };
    case 11: {
      const offset = at();
      const length = Math.min(pick(40), text.length - offset);
      return { offset, length, text: text.slice(offset, offset + length).toUpperCase(), what: 'retype a range' };
    }
  }
  return { offset: at(), length: 0, text: any(SNIPPETS), what: 'insert a snippet' };
}

describe('stacks: the per-document path against the whole-stream path under random edits', () => {
  const file = '/w/cluster-stacks.yaml';
  const original = stackManifest(8_000).text;
  const facts = [undefined, tenant(), tenant()];

  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`seed ${seed}: after every edit the stream, its documents and the findings equal those of the edited text`, () => {
      const pick = random(seed);
      const stream = new YamlStream(original);
      const d = new StackDiagnoser();
      let text = original;
      for (let step = 0; step < 120; step++) {
        const edits: Edit[] = [];
        // Sometimes several changes before one analysis (one edit with several changes, or a burst).
        for (let n = 1 + (pick(4) ? 0 : pick(3)); n > 0; n--) {
          const e = randomEdit(text, pick, original);
          edits.push(e);
          text = text.slice(0, e.offset) + e.text + text.slice(e.offset + e.length);
          assert.ok(stream.replace(e.offset, e.length, e.text));
        }
        const tenantFacts = facts[pick(facts.length)];
        const factsFor = (ns: string | undefined) => (ns === 'tenant-0000' ? tenantFacts : undefined);
        const schemaRunsToo = pick(10) > 0;
        const where = `seed ${seed}, step ${step} (${edits.map((e) => `${e.what} at ${e.offset}`).join('; ')})`;
        try {
          assert.equal(stream.length, text.length);
          assert.equal(stream.text, text);
          assert.deepEqual(stream.documents, splitDocuments(text));
          const asked = new Set<string>();
          const whole = diagnoseStackText(file, text, {
            schemaRunsToo,
            factsFor: (ns) => {
              if (ns) asked.add(ns);
              return factsFor(ns);
            },
          });
          const got = d.diagnose(file, stream, { schemaRunsToo, factsFor });
          assert.deepEqual(got.findings, whole);
          assert.deepEqual(got.namespaces, [...asked]);
        } catch (e) {
          // The seed and the edits first, so that a failure can be replayed.
          if (e instanceof Error) [e.message, e.stack] = [`${where}: ${e.message}`, `${where}\n${e.stack}`];
          throw e;
        }
      }
    });
  }
});

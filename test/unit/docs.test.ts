// The repository's own map stands alone: every `domain.md §N` the code, the tests and the schemas cite
// is a section of docs/domain.md, and nothing points at research notes outside the repository.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

function files(dir: string, exts: RegExp): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...files(rel, exts));
    else if (exts.test(e.name)) out.push(rel);
  }
  return out;
}

/** `5.1` → `5.1`; `5.1–5.3` → 5.1, 5.2, 5.3; `(a)` → `(a)`. */
function expand(from: string, to: string | undefined): string[] {
  if (!to) return [from];
  const [major, a] = from.split('.').map(Number);
  const b = Number(to.split('.')[1]);
  return Array.from({ length: b - a + 1 }, (_, i) => `${major}.${a + i}`);
}

describe('the docs the code cites', () => {
  const sources = [...files('src', /\.ts$/), ...files('test', /\.ts$/), ...files('schemas', /\.json$/)];
  const headings = new Set(
    [...fs.readFileSync(path.join(ROOT, 'docs', 'domain.md'), 'utf8').matchAll(/^#{2,3} §(\([a-z]\)|\d+(?:\.\d+)?) /gm)].map((m) => m[1]),
  );

  it('every "domain.md §N" points at a section of docs/domain.md', () => {
    const cited = new Map<string, string[]>();
    for (const file of sources) {
      const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
      for (const m of text.matchAll(/domain\.md/g)) {
        // The citation list after the file name: `§1.2, §3, §(c)`, `§5.1–5.3`, `§(d) step 7`.
        const window = text.slice(m.index + 'domain.md'.length, m.index + 120).split('domain.md')[0];
        for (const ref of window.matchAll(/§(\([a-z]\)|\d+(?:\.\d+)?)(?:[–-](\d+\.\d+))?/g))
          for (const section of expand(ref[1], ref[2])) cited.set(section, [...(cited.get(section) ?? []), file]);
      }
    }
    assert.ok(cited.size >= 20, `found ${cited.size} cited sections`);
    const missing = [...cited].filter(([s]) => !headings.has(s)).map(([s, where]) => `§${s} (${[...new Set(where)].join(', ')})`);
    assert.deepEqual(missing, [], 'cited sections that docs/domain.md does not have');
  });

  it('nothing in the repository points at the research notes outside it', () => {
    const outside = [...sources, ...files('docs', /\.md$/), 'README.md', 'CONTRIBUTING.md'].filter((f) =>
      /\.\.\/shared\/|\/work\/shared/.test(fs.readFileSync(path.join(ROOT, f), 'utf8')),
    );
    assert.deepEqual(outside, []);
  });
});

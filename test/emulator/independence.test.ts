// The emulator and its controller models must be an oracle independent of the code under test: no file
// under test/emulator may reach src/, directly or through another test file it imports (static imports,
// re-exports, `import()` and `require`). A model that imported src/ would pass whatever src/ does.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const REPO = resolve(__dirname, '..', '..');
const SRC = join(REPO, 'src') + sep;

const SPECIFIERS = [
  /\bimport\s+(?:type\s+)?[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g,
  /\bexport\s+(?:type\s+)?[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g,
  /\bimport\s*['"]([^'"]+)['"]/g,
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
];

/** The relative specifiers of a TypeScript source (comments removed so that citations in them do not count). */
export function relativeImports(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  const out = new Set<string>();
  for (const re of SPECIFIERS) for (const m of code.matchAll(re)) if (m[1].startsWith('.')) out.add(m[1]);
  return [...out];
}

function resolveModule(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  for (const p of [base, `${base}.ts`, join(base, 'index.ts')]) if (existsSync(p) && statSync(p).isFile()) return p;
  return undefined;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every chain from `start` that ends in src/, as `a.ts → b.ts → src/x.ts`. */
export function chainsIntoSrc(start: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const walk = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of relativeImports(readFileSync(file, 'utf8'))) {
      const target = resolveModule(file, spec) ?? resolve(dirname(file), spec);
      const next = [...chain, relative(REPO, target)];
      if (target.startsWith(SRC)) found.push(next.join(' → '));
      else if (target.endsWith('.ts') && existsSync(target)) walk(target, next);
    }
  };
  walk(start, [relative(REPO, start)]);
  return found;
}

describe('emulator independence from src/', () => {
  it('no file under test/emulator reaches src/, directly or transitively', () => {
    const files = filesUnder(__dirname);
    assert.ok(files.some((f) => f.endsWith('crsController.ts')) && files.some((f) => f.endsWith('topologyController.ts')));
    assert.deepEqual(files.flatMap(chainsIntoSrc), []);
  });

  it('the check sees every import form (it would fail on the old models)', () => {
    // Built at run time so that this file's own text holds no such import.
    const imp = 'imp' + 'ort';
    const old = `${imp} { resourceSetHash } from '../../src/core/manifests/propagation';\n// ${imp} { x } from '../../src/not/this';\n`;
    assert.deepEqual(relativeImports(old), ['../../src/core/manifests/propagation']);
    const forms = `export * from './a';\nconst b = ${'req' + 'uire'}('./b');\nawait ${imp}('./c');\n${imp} './d';\n${imp} type { E } from './e';`;
    assert.deepEqual(relativeImports(forms).sort(), ['./a', './b', './c', './d', './e']);
  });
});

/** Builds what the integration suites need; shared by run.ts (code-server) and electron.ts (desktop). */
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, runProcess, SetupError, tempDir } from '../vscode/codeServer';

/**
 * The launches: each runs the tests of one folder under test/integration/ in a fresh window, with the
 * workspace trust and extra environment it names. The three `lazy-*` launches run the same folder,
 * each starting with a different first use of the Kubernetes bundle (see lazy/lazyKube.test.ts).
 */
export const SUITES: readonly { name: string; folder: string; trusted: boolean; env?: Record<string, string> }[] = [
  { name: 'suite', folder: 'suite', trusted: true },
  { name: 'restricted', folder: 'restricted', trusted: false },
  ...['explorer', 'command', 'lens'].map((first) => ({
    name: `lazy-${first}`,
    folder: 'lazy',
    trusted: true,
    env: { CLUSTER_STACKS_LAZY_FIRST: first },
  })),
];

const OUT = path.join(REPO_ROOT, 'out', 'integration');

/** The compiled suite index of one test folder (the `extensionTestsPath`). */
export const suiteIndex = (name: string) => path.join(OUT, name, 'index.js');

/** Builds the extension (scripts/build.mjs) and bundles each named test folder. */
export async function buildForTests(folders: readonly string[]): Promise<void> {
  const build = await runProcess(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build.mjs')]);
  if (build.code !== 0) throw new SetupError(`extension build failed:\n${build.out}`);
  for (const folder of new Set(folders)) await bundleSuite(folder);
}

/** Bundles test/integration/<name>/*.test.ts and the suite index into out/integration/<name>/. */
async function bundleSuite(name: string): Promise<void> {
  const srcDir = path.join(REPO_ROOT, 'test', 'integration', name);
  const tests = fs.existsSync(srcDir) ? fs.readdirSync(srcDir).filter((f) => f.endsWith('.test.ts')) : [];
  if (tests.length === 0) throw new SetupError(`no *.test.ts in ${srcDir}`);
  const outDir = path.dirname(suiteIndex(name));
  fs.rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [
      { in: path.join(REPO_ROOT, 'test', 'integration', 'suite', 'index.ts'), out: 'index' },
      ...tests.map((f) => ({ in: path.join(srcDir, f), out: path.basename(f, '.ts') })),
    ],
    outdir: outDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}

/** A fresh copy of test/integration/workspace (removed at cleanup), so tests may edit it. */
export function copyWorkspace(): string {
  const dir = path.join(tempDir('workspace'), 'sample-project'); // the name shows in screenshots
  fs.cpSync(path.join(REPO_ROOT, 'test', 'integration', 'workspace'), dir, { recursive: true });
  return dir;
}

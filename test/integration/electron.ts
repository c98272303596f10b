/**
 * The same integration suites in a desktop VS Code that @vscode/test-electron downloads (needs
 * internet access to update.code.visualstudio.com, so it runs on a workstation, not in CI here):
 *   npm run test:electron [-- --grep <regexp>]
 * Set VSCODE_TEST_VERSION to pick a version (default: the latest stable). On Linux without a
 * display, run it under xvfb-run.
 */
import { runTests } from '@vscode/test-electron';
import { parseArgs } from 'node:util';
import { cleanupAll, REPO_ROOT } from '../vscode/codeServer';
import { buildForTests, copyWorkspace, SUITES, suiteIndex } from './build';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { grep: { type: 'string' } } });
  await buildForTests(SUITES.map((s) => s.folder));
  let failed = 0;
  for (const s of SUITES) {
    console.log(`\n--- ${s.name} (${s.trusted ? 'trusted workspace' : 'Restricted Mode'})`);
    const code = await runTests({
      ...(process.env.VSCODE_TEST_VERSION ? { version: process.env.VSCODE_TEST_VERSION } : {}),
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: suiteIndex(s.folder),
      launchArgs: [copyWorkspace(), '--disable-extensions', ...(s.trusted ? ['--disable-workspace-trust'] : [])],
      extensionTestsEnv: { ...s.env, ...(values.grep ? { CLUSTER_STACKS_TEST_GREP: values.grep } : {}) },
    }).then(
      () => 0,
      (e: unknown) => {
        console.error(`${s.name}: ${String(e)}`);
        return 1;
      },
    );
    if (code !== 0) failed++;
  }
  return failed ? 1 : 0;
}

void main()
  .catch((e: unknown) => {
    console.error(e);
    return 2;
  })
  .then(async (code) => {
    await cleanupAll();
    process.exit(code);
  });

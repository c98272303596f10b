/**
 * Runs the integration suites inside a real VS Code (code-server + headless Chromium), offline.
 *   npm run test:integration [-- --grep <regexp>] [-- --only suite|restricted|lazy-explorer|lazy-command|lazy-lens|lazy]
 * Each launch of SUITES (build.ts) gets its own code-server: `suite` with a trusted workspace,
 * `restricted` in Restricted Mode, the `lazy-*` ones in fresh windows (`--only lazy` runs the three). Streams the extension host's mocha output, exits
 * non-zero when a test failed, when no test ran, or when anything is missing or times out.
 * Environment: INTEGRATION_TIMEOUT_S (per launch, default 300); everything in the environment
 * reaches the extension host (e.g. KUBECONFIG); see also test/vscode/codeServer.ts.
 */
import { parseArgs } from 'node:util';
import type { Browser } from 'playwright-core';
import {
  cleanupAll,
  isNoise,
  launchBrowser,
  launchCodeServer,
  openWithPayload,
  PINNED,
  prepareToolchain,
  REPO_ROOT,
  SetupError,
  verbose,
  withTimeout,
  type Toolchain,
} from '../vscode/codeServer';
import { buildForTests, copyWorkspace, SUITES, suiteIndex } from './build';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { grep: { type: 'string' }, only: { type: 'string' } } });
  const timeoutMs = Number(process.env.INTEGRATION_TIMEOUT_S || 300) * 1000;
  const suites = SUITES.filter((s) => !values.only || s.name === values.only || s.folder === values.only);
  if (suites.length === 0) throw new SetupError(`--only ${values.only}: no such suite (${SUITES.map((s) => s.name).join(', ')})`);

  let t = Date.now();
  const tc = await prepareToolchain((l) => console.log(`[prepare] ${l}`));
  console.log(`VS Code ${tc.vscodeVersion} (code-server ${PINNED.codeServer}, Node ${PINNED.node}), ready in ${secs(t)}`);

  t = Date.now();
  await buildForTests(suites.map((s) => s.folder));
  console.log(`extension and suites built in ${secs(t)}`);

  const browser = await launchBrowser();
  let failed = 0;
  for (const s of suites) {
    t = Date.now();
    console.log(`\n--- ${s.name} (${s.trusted ? 'trusted workspace' : 'Restricted Mode'})`);
    const code = await withTimeout(`integration suite ${s.name}`, timeoutMs, runSuite(tc, browser, s, values.grep));
    console.log(`--- ${s.name}: exit ${code} in ${secs(t)}`);
    if (code !== 0) failed++;
  }
  return failed ? 1 : 0;
}

async function runSuite(tc: Toolchain, browser: Browser, suite: (typeof SUITES)[number], grep: string | undefined): Promise<number> {
  const { name, folder, trusted } = suite;
  const workspace = copyWorkspace();
  const server = await launchCodeServer(tc, {
    workspace,
    trusted,
    env: { ...suite.env, ...(grep ? { CLUSTER_STACKS_TEST_GREP: grep } : {}) },
  });
  let sawTests = false;
  const wb = await openWithPayload(
    browser,
    server,
    [
      ['extensionDevelopmentPath', server.remoteUri(REPO_ROOT)],
      ['extensionTestsPath', server.remoteUri(suiteIndex(folder))],
      ['skipWelcome', 'true'],
    ],
    {
      // The extension host's console (mocha's reporter) arrives here, mixed with the workbench's.
      onLog: (message) => {
        if (closing) return; // the workbench shutting down after a timeout
        if (!verbose && isNoise(message)) return;
        if (/^\s*[1-9]\d* passing\b/m.test(message)) sawTests = true;
        console.log(message);
      },
    },
  );
  try {
    const code = await wb.exit;
    if (code === 0 && !sawTests) {
      console.error(`${name}: VS Code reported success but no "N passing" line arrived: counting it as a failure`);
      return 1;
    }
    return code;
  } finally {
    await wb.close();
    await server.stop();
  }
}

/** Set once the run is over (also after a timeout): later workbench messages are shutdown noise. */
let closing = false;
const secs = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

void main()
  .then(
    (code) => code,
    (e: unknown) => {
      console.error(`\nintegration tests could not run: ${e instanceof SetupError ? e.message : (e as Error).stack}`);
      return 2;
    },
  )
  .then(async (code) => {
    closing = true;
    await cleanupAll();
    process.exit(code);
  });

/**
 * Runs the integration suites inside a real VS Code (code-server + headless Chromium), offline.
 *   npm run test:integration [-- --grep <regexp>] [-- --only suite|restricted|lazy-explorer|lazy-command|lazy-lens|lazy]
 * Each launch of SUITES (build.ts) gets its own code-server: `suite` with a trusted workspace,
 * `restricted` in Restricted Mode, the `lazy-*` ones in fresh windows (`--only lazy` runs the three). Streams the
 * extension host's mocha output, exits non-zero when a test failed, when no test ran, when the leak check after a
 * launch found a test secret anywhere (leak/check.ts), or when anything is missing or times out.
 * Environment: INTEGRATION_TIMEOUT_S (per launch, default 900: the trusted suite runs rotations against Keystone and
 * takes minutes on a loaded machine); everything in the environment
 * reaches the extension host (e.g. KUBECONFIG); see also test/vscode/codeServer.ts.
 *
 * A real Keystone (test/keystone) is started here, while the toolchain is prepared and the extension
 * built, bounded by KEYSTONE_START_TIMEOUT_S (default 150), and stopped at the end; the suites find it
 * through CLUSTER_STACKS_TEST_KEYSTONE (JSON: url, region, adminPassword — a throwaway admin of a
 * throwaway Keystone on loopback) or, when it could not start, the reason in
 * CLUSTER_STACKS_TEST_KEYSTONE_ERROR (the tests that need it fail with that reason, the others run).
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
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
  tempDir,
  verbose,
  withTimeout,
  type Toolchain,
} from '../vscode/codeServer';
import { startKeystone, type Keystone } from '../keystone/harness';
import { buildForTests, copyWorkspace, SUITES, suiteIndex } from './build';
import { checkLeaks, describeReport, dumpBrowserStorage } from './leak/check';

/** The run id the secrets of test/integration/secrets.ts derive from, shared with the extension host. */
const TEST_RUN = randomBytes(4).toString('hex');

let keystone: Keystone | undefined;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { grep: { type: 'string' }, only: { type: 'string' } } });
  const timeoutMs = Number(process.env.INTEGRATION_TIMEOUT_S || 900) * 1000;
  const suites = SUITES.filter((s) => !values.only || s.name === values.only || s.folder === values.only);
  if (suites.length === 0) throw new SetupError(`--only ${values.only}: no such suite (${SUITES.map((s) => s.name).join(', ')})`);

  let t = Date.now();
  const ksStart = Number(process.env.KEYSTONE_START_TIMEOUT_S || 150) * 1000;
  const ks = startKeystone({ timeoutMs: ksStart }).then(
    (k) => {
      keystone = k;
      console.log(`[keystone] started in ${(k.startMs / 1000).toFixed(1)} s at ${k.url}`);
      return { CLUSTER_STACKS_TEST_KEYSTONE: JSON.stringify({ url: k.url, region: k.region, adminPassword: k.adminPassword }) };
    },
    (e: unknown) => {
      const reason = (e as Error).message.split('\n')[0];
      console.log(`[keystone] not started: ${reason}`);
      return { CLUSTER_STACKS_TEST_KEYSTONE_ERROR: reason };
    },
  );
  const tc = await prepareToolchain((l) => console.log(`[prepare] ${l}`));
  console.log(`VS Code ${tc.vscodeVersion} (code-server ${PINNED.codeServer}, Node ${PINNED.node}), ready in ${secs(t)}`);

  t = Date.now();
  await buildForTests(suites.map((s) => s.folder));
  console.log(`extension and suites built in ${secs(t)}`);

  const keystoneEnv = await ks;
  const browser = await launchBrowser();
  let failed = 0;
  for (const s of suites) {
    t = Date.now();
    console.log(`\n--- ${s.name} (${s.trusted ? 'trusted workspace' : 'Restricted Mode'})`);
    const code = await withTimeout(`integration suite ${s.name}`, timeoutMs, runSuite(tc, browser, s, values.grep, keystoneEnv));
    console.log(`--- ${s.name}: exit ${code} in ${secs(t)}`);
    if (code !== 0) failed++;
  }
  return failed ? 1 : 0;
}

async function runSuite(
  tc: Toolchain,
  browser: Browser,
  suite: (typeof SUITES)[number],
  grep: string | undefined,
  keystoneEnv: Record<string, string>,
): Promise<number> {
  const { name, folder, trusted } = suite;
  const workspace = copyWorkspace();
  const ledgerFile = path.join(tempDir('leak-ledger'), 'ledger.json');
  const server = await launchCodeServer(tc, {
    workspace,
    trusted,
    env: {
      ...suite.env,
      ...keystoneEnv,
      CLUSTER_STACKS_TEST_RUN: TEST_RUN,
      CLUSTER_STACKS_LEAK_LEDGER: ledgerFile,
      ...(grep ? { CLUSTER_STACKS_TEST_GREP: grep } : {}),
    },
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
  let code: number;
  let storage: [string, string][];
  try {
    code = await wb.exit;
    if (code === 0 && !sawTests) {
      console.error(`${name}: VS Code reported success but no "N passing" line arrived: counting it as a failure`);
      code = 1;
    }
    storage = await dumpBrowserStorage(wb.page);
  } finally {
    await wb.close();
    await server.stop();
  }
  // After stop(): code-server and the extension host have flushed their logs and storage.
  // The Keystone admin password reaches the extension host in CLUSTER_STACKS_TEST_KEYSTONE: searched for too.
  const extra = keystone ? [{ id: 'keystone admin password', value: keystone.adminPassword }] : [];
  const report = checkLeaks({ ledgerFile, storage, userDataDir: server.userDataDir, workspace, extra });
  for (const line of describeReport(name, report)) (report.hits.length ? console.error : console.log)(line);
  return report.hits.length ? 1 : code;
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
    await keystone?.stop();
    await cleanupAll();
    process.exit(code);
  });

/**
 * Suite index with the @vscode/test-electron contract: the extension host loads this module (the
 * `extensionTestsPath`) and awaits `run()`; resolving exits VS Code with 0, rejecting with 1.
 * The same index runs inside code-server here (`npm run test:integration`, test/integration/run.ts)
 * and inside a downloaded desktop VS Code (`npm run test:electron`, test/integration/electron.ts).
 *
 * Layout (follow it when adding integration tests):
 *   test/integration/suite/<topic>.test.ts   mocha BDD (`describe`/`it` globals), runs with the trusted
 *                                            workspace; `import * as vscode from 'vscode'`; may import
 *                                            from src/ and test/emulator/.
 *   test/integration/restricted/<topic>.test.ts  the same, but the workspace opens in Restricted Mode
 *                                            (no workspace trust); a second code-server launch.
 *   test/integration/workspace/              the folder VS Code opens (sample clouds.yaml, ...); the
 *                                            runner copies it to a fresh temp dir per launch, so tests
 *                                            may edit files there (find it via workspaceFolders[0]).
 *   test/integration/helpers.ts              shared helpers for tests (the manifest, waiting for a condition).
 *   test/integration/secrets.ts              every secret a test uses comes from here (the leak check searches for them);
 *                                            call `trackEmulator(em)` (leak/ledger.ts) on every emulator a test starts.
 * The runner bundles each *.test.ts of a suite folder, and this index, with esbuild (vscode and npm
 * packages external, platform node, cjs) into out/integration/<folder>/; this index then adds every
 * `*.test.js` beside it. The extension under test is the repo itself (dist/ built by scripts/build.mjs).
 *
 * Environment read here (code-server hands its environment to the extension host; set it before
 * `npm run test:integration`, e.g. a KUBECONFIG for a suite that talks to the emulator):
 *   CLUSTER_STACKS_TEST_GREP   only tests whose full title matches this regular expression
 *   CLUSTER_STACKS_LEAK_LEDGER where to write what the extension showed and returned (leak/ledger.ts)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { plainJson, record, writeLedger } from '../leak/ledger';

/**
 * Records every notification and modal and every `clusterStacks.*` command's result or error for the
 * leak check, passing the call on (tests that capture messages record through helpers.ts themselves).
 */
function installRecorders(): void {
  const w = vscode.window as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const kind of ['showInformationMessage', 'showWarningMessage', 'showErrorMessage']) {
    const original = w[kind]!.bind(vscode.window);
    w[kind] = (...args: unknown[]) => {
      record(kind, plainJson(args));
      return original(...args);
    };
  }
  const commands = vscode.commands as unknown as Record<string, (id: string, ...args: unknown[]) => Thenable<unknown>>;
  const execute = commands.executeCommand!.bind(vscode.commands);
  commands.executeCommand = async (id: string, ...args: unknown[]) => {
    if (!id.startsWith('clusterStacks.')) return execute(id, ...args);
    try {
      const result = await execute(id, ...args);
      record(`result of ${id}`, plainJson(result));
      return result;
    } catch (e) {
      record(`error of ${id}`, e instanceof Error ? e.message : String(e));
      throw e;
    }
  };
}

export async function run(): Promise<void> {
  // mocha is an ES module package: load it with import(), which the cjs bundle keeps as is.
  const { default: Mocha } = await import('mocha');
  installRecorders();
  const grep = process.env.CLUSTER_STACKS_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 30_000, ...(grep ? { grep: new RegExp(grep) } : {}) });
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  if (files.length === 0) throw new Error(`no *.test.js files in ${__dirname}`);
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  await mocha.loadFilesAsync();
  await new Promise<void>((resolve, reject) => {
    const runner = mocha.run((failures) => {
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else if (runner.stats?.passes === 0) reject(new Error('no integration test ran' + (grep ? ` (grep: ${grep})` : '')));
      else resolve();
    });
  }).finally(writeLedger);
}

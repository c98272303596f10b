/**
 * A real VS Code for tests, offline: code-server (VS Code's server build, from npm) run by Node 24
 * (from npm), driven by the machine's headless Chromium through playwright-core.
 * Recipe and pitfalls: the project's real-vscode-tests notes. Used by the integration runner
 * (test/integration/run.ts) and the UI tests (test/ui/); nothing here is bundled into the extension.
 *
 * Knobs (environment):
 *   CLUSTER_STACKS_CACHE   base folder of the prepared toolchain (default ~/.cache/cluster-stacks)
 *   CHROMIUM_PATH          the Chromium binary (default /usr/bin/chromium)
 *   VSCODE_TEST_VERBOSE=1  also print code-server's own output and the workbench's console
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';

export const PINNED = { codeServer: '4.139.1', node: '24.21.0' } as const;
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const verbose = process.env.VSCODE_TEST_VERBOSE === '1';

/** Thrown for anything the tests need but cannot find or start; the message says what to do. */
export class SetupError extends Error {}

// ---------------------------------------------------------------------------------------------
// Cleanup: every process and temp dir registers here; runs on success, failure, timeout, SIGINT.

type CleanupFn = () => void | Promise<void>;
const cleanups: CleanupFn[] = [];
let signalsHooked = false;

/** Registers `fn` to run (latest first) at `cleanupAll()` or on SIGINT/SIGTERM. */
export function onCleanup(fn: CleanupFn): void {
  cleanups.push(fn);
  if (!signalsHooked) {
    signalsHooked = true;
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      process.once(sig, () => {
        console.error(`\n${sig}: cleaning up`);
        void cleanupAll().finally(() => process.exit(130));
      });
    }
  }
}

export async function cleanupAll(): Promise<void> {
  while (cleanups.length) {
    const fn = cleanups.pop()!;
    try {
      await fn();
    } catch (e) {
      console.error(`cleanup: ${(e as Error).message}`);
    }
  }
}

/** A fresh temp dir, removed at cleanup. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cluster-stacks-${prefix}-`));
  onCleanup(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs `fn` with an overall deadline; on expiry rejects with a message naming `what`. */
export async function withTimeout<T>(what: string, ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SetupError(`${what}: timed out after ${Math.round(ms / 1000)} s`)), ms);
  });
  try {
    return await Promise.race([p, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------
// The toolchain: Node 24 + code-server with its native modules, prepared once into a cache dir.

export interface Toolchain {
  /** Node 24's binary. */
  node: string;
  /** code-server's entry script. */
  entry: string;
  /** The VS Code version code-server embeds. */
  vscodeVersion: string;
}

const cacheBase = () => process.env.CLUSTER_STACKS_CACHE || path.join(os.homedir(), '.cache', 'cluster-stacks');
const cacheName = `vscode-cs${PINNED.codeServer}-node${PINNED.node}`;

/** Prepares (or reuses) the pinned toolchain. A lock dir keeps two runs from preparing at once. */
export async function prepareToolchain(log: (line: string) => void = console.log): Promise<Toolchain> {
  const base = cacheBase();
  const dir = path.join(base, cacheName);
  const ready = path.join(dir, 'ready.json');
  if (fs.existsSync(ready)) return readToolchain(dir);
  fs.mkdirSync(base, { recursive: true });
  const release = await lock(path.join(base, `${cacheName}.lock`), log);
  try {
    if (fs.existsSync(ready)) return readToolchain(dir);
    const started = Date.now();
    log(`preparing code-server ${PINNED.codeServer} + Node ${PINNED.node} into ${dir} (first run only)`);
    const staging = `${dir}.partial`;
    fs.rmSync(staging, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
    // Node 24: the `node` package's postinstall installs the platform package (bin/node + include/node).
    const nodeDir = path.join(staging, 'node');
    await npmInstall(nodeDir, [`node@${PINNED.node}`], process.env);
    const platformPkgs = path.join(nodeDir, 'node_modules', 'node', 'node_modules');
    const nodePkg = fs
      .readdirSync(platformPkgs)
      .map((name) => path.join(platformPkgs, name))
      .find((p) => fs.existsSync(path.join(p, 'include', 'node', 'node.h')) && fs.existsSync(path.join(p, 'bin', 'node')));
    if (!nodePkg)
      throw new SetupError(`Node ${PINNED.node} from npm: no platform package with bin/node and include/node in ${platformPkgs}`);
    const nodeBin = path.join(nodePkg, 'bin', 'node');
    // Native modules are built against Node 24's headers, with Node 24 first on PATH.
    const env24 = {
      ...process.env,
      PATH: `${path.dirname(nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
      npm_config_nodedir: nodePkg,
    };
    const csDir = path.join(staging, 'cs');
    // code-server's own postinstall fails here (argon2, only for password auth): do its steps by hand.
    await npmInstall(csDir, ['--ignore-scripts', `code-server@${PINNED.codeServer}`], env24);
    const vscodeDir = path.join(csDir, 'node_modules', 'code-server', 'lib', 'vscode');
    await npmInstall(vscodeDir, ['--omit=dev'], env24);
    await npmInstall(path.join(vscodeDir, 'extensions'), ['--omit=dev'], env24);
    const rel = (p: string) => path.relative(staging, p);
    fs.writeFileSync(
      path.join(staging, 'ready.json'),
      JSON.stringify(
        { node: rel(nodeBin), entry: path.join('cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js'), pinned: PINNED },
        null,
        2,
      ),
    );
    fs.renameSync(staging, dir);
    removeStaleToolchains(base);
    log(`prepared in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return readToolchain(dir);
  } finally {
    release();
  }
}

function readToolchain(dir: string): Toolchain {
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'ready.json'), 'utf8')) as { node: string; entry: string };
  const node = path.join(dir, meta.node);
  const entry = path.join(dir, meta.entry);
  for (const f of [node, entry]) {
    if (!fs.existsSync(f)) throw new SetupError(`${f} is missing: delete ${dir} and run again to prepare it afresh`);
  }
  const vscodePkg = path.join(path.dirname(entry), '..', '..', 'lib', 'vscode', 'package.json');
  const vscodeVersion = (JSON.parse(fs.readFileSync(vscodePkg, 'utf8')) as { version: string }).version;
  return { node, entry, vscodeVersion };
}

/** Other pinned versions' toolchains are of no further use: remove them (not while locked). */
function removeStaleToolchains(base: string): void {
  for (const name of fs.readdirSync(base)) {
    if (!name.startsWith('vscode-') || name === cacheName || name.endsWith('.lock')) continue;
    if (fs.existsSync(path.join(base, `${name.replace(/\.partial$/, '')}.lock`))) continue;
    fs.rmSync(path.join(base, name), { recursive: true, force: true });
  }
}

async function lock(lockDir: string, log: (line: string) => void): Promise<() => void> {
  const deadline = Date.now() + 30 * 60_000;
  let told = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      return () => fs.rmSync(lockDir, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = Number(readOr(path.join(lockDir, 'pid'), '0'));
    if (owner && !isAlive(owner)) {
      log(`removing stale lock of process ${owner}`);
      fs.rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new SetupError(`${lockDir} is held by process ${owner} for more than 30 min`);
    if (!told) log(`waiting for process ${owner} to finish preparing code-server`);
    told = true;
    await new Promise((r) => setTimeout(r, 2000));
  }
}

function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function npmInstall(cwd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  fs.mkdirSync(cwd, { recursive: true });
  if (!fs.existsSync(path.join(cwd, 'package.json'))) fs.writeFileSync(path.join(cwd, 'package.json'), '{ "private": true }\n');
  const full = ['install', '--no-audit', '--no-fund', '--no-update-notifier', ...args];
  const { code, out } = await runProcess('npm', full, { cwd, env });
  if (code !== 0) throw new SetupError(`npm ${full.join(' ')} in ${cwd} failed (exit ${code}):\n${out.slice(-4000)}`);
}

/** Runs a command to completion, collecting its output (printed live when verbose). */
export function runProcess(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: opts.cwd ?? REPO_ROOT, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const collect = (chunk: Buffer) => {
      out += chunk.toString();
      if (verbose) process.stderr.write(chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (e) => resolve({ code: 127, out: `${out}${e.message}` }));
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

// ---------------------------------------------------------------------------------------------
// code-server

/** User settings that keep the workbench quiet and offline (checked against VS Code 1.139). */
export const QUIET_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
  // The palette lists exactly what matches what was typed (no "similar commands", no history).
  'workbench.commandPalette.experimental.enableNaturalLanguageSearch': false,
  'workbench.commandPalette.experimental.suggestCommands': false,
  'workbench.commandPalette.showAskInChat': false,
  'workbench.commandPalette.history': 0,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  // Restricted Mode launches show the banner instead of a modal trust dialog.
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.emptyWindow': false,
};

export interface LaunchOptions {
  /** The folder the workbench opens. */
  workspace: string;
  /** false: launch without --disable-workspace-trust, so the workspace opens in Restricted Mode. */
  trusted?: boolean;
  /** Extra environment for code-server, which hands its environment to the extension host. */
  env?: Record<string, string>;
  /** An extensions dir (e.g. one a VSIX was installed into); default: a fresh empty one. */
  extensionsDir?: string;
  /** Settings merged over QUIET_SETTINGS. */
  settings?: Record<string, unknown>;
}

export interface CodeServer {
  readonly port: number;
  readonly origin: string;
  readonly workspace: string;
  /** The workbench URL for `workspace`, with an optional `payload` (the smoke-test driver's entries). */
  url(payload?: [string, string][]): string;
  /** A `vscode-remote://` URI of an absolute path on this machine, for payload entries. */
  remoteUri(absPath: string): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Installs a VSIX into `extensionsDir` the way a user would (`code-server --install-extension`). */
export async function installVsix(tc: Toolchain, vsix: string, extensionsDir: string): Promise<void> {
  const userData = tempDir('install-user');
  const { code, out } = await runProcess(tc.node, [
    tc.entry,
    '--user-data-dir',
    userData,
    '--extensions-dir',
    extensionsDir,
    '--install-extension',
    vsix,
  ]);
  if (code !== 0 || !/successfully installed/i.test(out)) {
    throw new SetupError(`code-server --install-extension ${vsix} failed (exit ${code}):\n${out.slice(-3000)}`);
  }
}

/** Starts code-server on a free loopback port with fresh user-data (and extensions) dirs. */
export async function launchCodeServer(tc: Toolchain, opts: LaunchOptions): Promise<CodeServer> {
  const port = await freePort();
  const userData = tempDir('user-data');
  const extensionsDir = opts.extensionsDir ?? tempDir('extensions');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...opts.settings }, null, 2));
  const args = [
    tc.entry,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    ...(opts.trusted === false ? [] : ['--disable-workspace-trust']),
    '--user-data-dir',
    userData,
    '--extensions-dir',
    extensionsDir,
    '--vscode-option',
    'enable-smoke-test-driver',
    opts.workspace,
  ];
  const child = spawn(tc.node, args, {
    cwd: opts.workspace,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so stop() also ends the extension host and helpers
  });
  const stop = () => killGroup(child);
  onCleanup(stop);
  let out = '';
  const listening = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (verbose) process.stderr.write(`[code-server] ${chunk.toString()}`);
      if (out.includes(`HTTP server listening on http://127.0.0.1:${port}`)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', (e) => reject(new SetupError(`could not start code-server: ${e.message}`)));
    child.once('exit', (code) => reject(new SetupError(`code-server exited (${code}) before listening:\n${out.slice(-3000)}`)));
  });
  await withTimeout('code-server start', 60_000, listening);
  const origin = `http://127.0.0.1:${port}`;
  const remoteUri = (p: string) => `vscode-remote://127.0.0.1:${port}${p.split(path.sep).join('/')}`;
  return {
    port,
    origin,
    workspace: opts.workspace,
    remoteUri,
    url: (payload) =>
      `${origin}/?folder=${encodeURIComponent(opts.workspace)}` +
      (payload ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''),
    stop,
  };
}

async function killGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
  signal('SIGKILL'); // leftovers of the group (extension host, watchers)
}

// ---------------------------------------------------------------------------------------------
// Chromium

export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    throw new SetupError(`no Chromium at ${executablePath}: install Debian's chromium (scripts/system-deps.sh) or set CHROMIUM_PATH`);
  }
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  onCleanup(() => browser.close());
  return browser;
}

/**
 * Workbench console noise: its own status lines and its attempts to reach the internet (harmless
 * offline). Mocha's reporter indents everything it prints, so indented messages are never noise.
 */
const NOISE = new RegExp(
  [
    String.raw`^\[[\w .:/-]+\]`, // [lifecycle], [AgentHost:remote], [Service Worker], ...
    '^(?:Resolving|Resolved) connection token',
    '^Creating a socket',
    '^Updating additional builtin extensions cache',
    "^Unable to read file 'vscode-remote:",
    'ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|ENOTFOUND|Failed to fetch|Failed to load resource',
    "authentication provider 'github'|open-vsx|marketplace|telemetry",
    '^Canceled\\b',
    '^Aborted onWillSaveTextDocument-event',
    '^Creation of workbench contribution',
  ].join('|'),
);

/** Is this console message (its first line) workbench noise rather than output of the tests? */
export function isNoise(message: string): boolean {
  if (/^(?:\s|$)/.test(message)) return false;
  return NOISE.test(message.split('\n', 1)[0]!);
}

/** A workbench page opened with a smoke-test payload (a suite or agent running in the extension host). */
export interface PayloadPage {
  readonly page: Page;
  /** The code the extension host exits with once the `extensionTestsPath` module's run() settled (0: resolved). */
  readonly exit: Promise<number>;
  close(): Promise<void>;
}

/**
 * Opens `server`'s workbench in a new browser context with `payload` (extensionDevelopmentPath,
 * extensionTestsPath, ...). The extension host's console reaches `onLog` (formatted, until it exits).
 * Shared by the integration runner and the benchmark.
 */
export async function openWithPayload(
  browser: Browser,
  server: CodeServer,
  payload: [string, string][],
  opts: { onLog: (message: string) => void; viewport?: { width: number; height: number } },
): Promise<PayloadPage> {
  const context = await browser.newContext(opts.viewport ? { viewport: opts.viewport } : {});
  try {
    const page = await context.newPage();
    traceConsole(page);
    let exited = false;
    const exit = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => {
        exited = true;
        resolve(code);
      });
    });
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
      if (!exited) opts.onLog(format(...args)); // later messages are the workbench shutting down
    });
    // The suite's own exit is the thing to wait for, not the load event.
    await page.goto(server.url(payload), { waitUntil: 'commit' });
    return { page, exit, close: () => context.close() };
  } catch (e) {
    await context.close();
    throw e;
  }
}

/** Prints the workbench's console when verbose (for debugging a page that does not load). */
export function traceConsole(page: Page): void {
  if (!verbose) return;
  page.on('console', (m) => process.stderr.write(`[page:${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => process.stderr.write(`[page:error] ${e.message}\n`));
}

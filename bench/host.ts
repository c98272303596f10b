/**
 * The benchmarks that need the real extension host: code-server (VS Code's server build) run by the
 * test infrastructure (test/vscode/codeServer.ts), the workbench in headless Chromium, and an agent
 * (bench/host/agent.ts) loaded as the `extensionTestsPath`, which measures inside the host on this
 * driver's request. The Kubernetes API emulators run in this process, outside the extension host, so
 * the host's heap and thread hold only VS Code and the extensions.
 *
 *  - activation: VS Code's own record (Running Extensions: code loading + activate() call) for ours and
 *    for a trivial peer extension activated in the same host; one sample per launch;
 *  - edits: per edit, the host thread's busy time and edit → onDidChangeDiagnostics (agent);
 *  - explorer: the tree clicked open in the workbench (context → tenants → one tenant's clusters) until
 *    the rows are on screen, requests counted at the emulator, the host's heap after GC (agent), and
 *    `kubectl get clusters -A -o json` against the same emulator.
 */
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Browser, Locator, Page } from 'playwright-core';
import { type Emulator } from '../test/emulator';
import { call } from '../test/emulator/helpers';
import {
  installVsix,
  isNoise,
  launchBrowser,
  launchCodeServer,
  openWithPayload,
  prepareToolchain,
  REPO_ROOT,
  SetupError,
  tempDir,
  verbose,
  withTimeout,
  type CodeServer,
  type PayloadPage,
  type Toolchain,
} from '../test/vscode/codeServer';
import { clusterName, tenantName } from './data';
import {
  type ActivationResult,
  type Answer,
  CONTROL_ENV,
  type EditArgs,
  type EditResult,
  type HeapResult,
  type Task,
} from './host/protocol';

const run = promisify(execFile);
const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  publisher: string;
  name: string;
  displayName: string;
};
export const OUR_ID = `${manifest.publisher}.${manifest.name}`;
const PEER = { publisher: 'cluster-stacks-bench', name: 'bench-peer', displayName: 'Benchmark peer' };
export const PEER_ID = `${PEER.publisher}.${PEER.name}`;
const VIEWPORT = { width: 1280, height: 1600 };
const AGENT_OUT = path.join(REPO_ROOT, 'out', 'bench', 'agent.js');

// ---------------------------------------------------------------------------------------------
// The driver's end of the agent protocol: a loopback server the agent long-polls.

class Control {
  private readonly server = http.createServer((req, res) => this.onRequest(req, res));
  private waiting?: http.ServerResponse;
  private readonly queue: Task[] = [];
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private helloResolve?: (a: Extract<Answer, { hello: true }>) => void;
  readonly hello = new Promise<Extract<Answer, { hello: true }>>((r) => (this.helloResolve = r));
  url = '';

  async listen(): Promise<void> {
    // A task may take minutes (a kubectl run in between): no server-side timeouts on the long poll.
    this.server.requestTimeout = 0;
    this.server.headersTimeout = 0;
    this.server.keepAliveTimeout = 0;
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}/agent`;
  }

  close(): void {
    this.waiting?.end(JSON.stringify({ id: 0, op: 'exit' }));
    this.server.close();
    for (const p of this.pending.values()) p.reject(new SetupError('the benchmark agent went away'));
  }

  /** Runs `op` in the extension host and returns its result. */
  call<T>(op: Exclude<Task['op'], 'exit'>, args: unknown): Promise<T> {
    const id = this.nextId++;
    const p = new Promise<T>((resolve, reject) => this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject }));
    this.queue.push({ id, op, args } as Task);
    this.flush();
    return p;
  }

  exit(): void {
    this.queue.push({ id: this.nextId++, op: 'exit' });
    this.flush();
  }

  private flush(): void {
    if (!this.waiting || this.queue.length === 0) return;
    const res = this.waiting;
    this.waiting = undefined;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.queue.shift()));
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let answer: Answer;
      try {
        answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Answer;
      } catch {
        res.writeHead(400).end();
        return;
      }
      if ('hello' in answer) this.helloResolve?.(answer);
      else {
        const p = this.pending.get(answer.id);
        this.pending.delete(answer.id);
        if ('error' in answer) p?.reject(new Error(`in the extension host: ${answer.error}`));
        else p?.resolve(answer.result);
      }
      this.waiting = res;
      this.flush();
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Launches

export interface HostSetup {
  readonly tc: Toolchain;
  readonly browser: Browser;
  readonly peerDir: string;
  readonly extensionsDir: string;
}

/**
 * The toolchain, Chromium, the bundled agent, our packaged VSIX installed the way a user installs it
 * (`npm run package` must have run), and the peer extension (loaded in development mode: a workbench
 * honours only one extensionDevelopmentPath, so ours is the installed one).
 */
export async function prepareHost(log: (line: string) => void): Promise<HostSetup> {
  const tc = await prepareToolchain((l) => log(`[prepare] ${l}`));
  const extensionsDir = tempDir('bench-extensions');
  await installVsix(tc, path.join(REPO_ROOT, 'dist', 'cluster-stacks.vsix'), extensionsDir);
  await esbuild.build({
    entryPoints: [path.join(__dirname, 'host', 'agent.ts')],
    outfile: AGENT_OUT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    logLevel: 'warning',
  });
  const peerDir = tempDir('bench-peer');
  fs.writeFileSync(
    path.join(peerDir, 'package.json'),
    JSON.stringify({
      ...PEER,
      description: 'The activation benchmark\u2019s yardstick: activate() only registers one command.',
      version: '0.0.1',
      engines: { vscode: '^1.95.0' },
      activationEvents: ['onCommand:clusterStacksBench.peer'],
      main: './extension.js',
      contributes: { commands: [{ command: 'clusterStacksBench.peer', title: 'Benchmark peer' }] },
    }),
  );
  fs.writeFileSync(
    path.join(peerDir, 'extension.js'),
    "const vscode = require('vscode');\nexports.activate = (context) => {\n  context.subscriptions.push(vscode.commands.registerCommand('clusterStacksBench.peer', () => 'peer'));\n};\n",
  );
  return { tc, browser: await launchBrowser(), peerDir, extensionsDir };
}

export interface Session {
  readonly agent: Control;
  readonly page: Page;
  readonly server: CodeServer;
  readonly vscodeVersion: string;
  close(): Promise<void>;
}

/** Launches code-server on `workspace` with both extensions and the agent; resolves when the agent said hello. */
export async function launch(setup: HostSetup, workspace: string, env: Record<string, string>): Promise<Session> {
  const agent = new Control();
  await agent.listen();
  const server = await launchCodeServer(setup.tc, {
    workspace,
    extensionsDir: setup.extensionsDir,
    env: { ...env, [CONTROL_ENV]: agent.url },
  });
  let wb: PayloadPage | undefined;
  try {
    wb = await openWithPayload(
      setup.browser,
      server,
      [
        ['extensionDevelopmentPath', server.remoteUri(setup.peerDir)],
        ['extensionTestsPath', server.remoteUri(AGENT_OUT)],
        ['skipWelcome', 'true'],
      ],
      { viewport: VIEWPORT, onLog: (m) => (verbose || !isNoise(m)) && console.log(`    [host] ${m}`) },
    );
    const exit = wb.exit;
    const hello = await withTimeout('the extension host starting the benchmark agent', 240_000, agent.hello);
    const page = wb.page;
    const close = wb.close;
    return {
      agent,
      page,
      server,
      vscodeVersion: hello.vscode,
      close: async () => {
        agent.exit();
        await withTimeout('the extension host exiting', 30_000, exit).catch(() => undefined);
        agent.close();
        await close();
        await server.stop();
      },
    };
  } catch (e) {
    agent.close();
    await wb?.close();
    await server.stop();
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Activation

export interface ActivationSample {
  /** VS Code's record: code loading + activate() call, ms (what Running Extensions shows). */
  readonly ours: number;
  readonly peer: number;
  readonly oursWallMs: number;
  readonly peerWallMs: number;
  readonly wasActive: boolean;
}

/** Activates the peer and ours (order alternating by `order`), then reads VS Code's record from Running Extensions. */
export async function measureActivation(s: Session, order: number): Promise<ActivationSample> {
  const ids = order % 2 ? [OUR_ID, PEER_ID] : [PEER_ID, OUR_ID];
  const results = await s.agent.call<ActivationResult[]>('activate', { ids });
  const byId = new Map(results.map((r) => [r.id, r]));
  await s.agent.call('command', { command: 'workbench.action.showRuntimeExtensions' });
  const recorded = await runningExtensionTimes(s.page, [
    { id: OUR_ID, names: [OUR_ID, manifest.displayName] },
    { id: PEER_ID, names: [PEER_ID, PEER.displayName] },
  ]);
  await s.agent.call('command', { command: 'workbench.action.closeAllEditors' });
  return {
    ours: recorded.get(OUR_ID)!,
    peer: recorded.get(PEER_ID)!,
    oursWallMs: byId.get(OUR_ID)!.wallMs,
    peerWallMs: byId.get(PEER_ID)!.wallMs,
    wasActive: byId.get(OUR_ID)!.wasActive,
  };
}

/**
 * The "Activation: N ms" of each extension in the Running Extensions editor (rows matched by name). The
 * list is sorted by that time and only its visible rows exist, so it is scrolled until all are seen.
 */
async function runningExtensionTimes(page: Page, wanted: { id: string; names: string[] }[]): Promise<Map<string, number>> {
  const list = page.locator('.runtime-extensions-editor .monaco-list');
  await list.waitFor({ timeout: 60_000 });
  const found = new Map<string, number>();
  const seen = new Map<string, string>();
  const deadline = Date.now() + 60_000;
  for (let scrolls = 0; ; scrolls++) {
    const rows = await list.locator('.monaco-list-row').evaluateAll((els) =>
      els.map((e) => ({
        name: e.querySelector('.name')?.textContent ?? '',
        time: e.querySelector('.activation-time')?.textContent ?? '',
      })),
    );
    for (const r of rows) seen.set(r.name, r.time);
    for (const w of wanted) {
      const row = rows.find((r) => w.names.some((n) => r.name.trim().toLowerCase() === n.toLowerCase()));
      const ms = row && /Activation:\s*(\d+)\s*ms/i.exec(row.time);
      if (ms) found.set(w.id, Number(ms[1]));
    }
    if (found.size === wanted.length) return found;
    if (Date.now() > deadline)
      throw new SetupError(
        `Running Extensions did not show the activation times of ${wanted.map((w) => w.id).join(', ')}: ${JSON.stringify([...seen])}`,
      );
    const box = await list.boundingBox();
    if (box) {
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.wheel(0, scrolls % 20 < 19 ? box.height / 2 : -1e5); // down, and back to the top now and then
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

// ---------------------------------------------------------------------------------------------
// Edits

export function measureEdits(s: Session, args: EditArgs): Promise<EditResult> {
  return s.agent.call<EditResult>('edits', args);
}

// ---------------------------------------------------------------------------------------------
// Explorer

export interface ExplorerScale {
  readonly em: Emulator;
  readonly tenants: number;
  readonly clustersPer: number;
  /** Expansions (refreshes) measured; 0 = requests only (one expansion). */
  readonly runs: number;
  readonly kubectlRuns: number;
  /** Measure the extension host's heap around the first expansion. */
  readonly heap: boolean;
  /** Where to write heap snapshots (before, expanded, collapsed) when `heap` is set; none when absent. */
  readonly snapshotDir?: string;
  readonly timeoutMs: number;
}

export interface ExplorerSample {
  readonly tenantsMs: number[];
  readonly expandedMs: number[];
  /** Requests that reached the emulator per expansion (discovery, lists, watches). */
  readonly requests: number[];
  readonly kubectlMs: number[];
  readonly kubectlItems: number;
  readonly kubectlBytes: number;
  readonly kubectlRequests: number;
  readonly heapHeldMiB?: number;
  readonly heapAfterCollapseMiB?: number;
  readonly heapBeforeMiB?: number;
  /** Requests that reached the emulator from the last collapse until the heap was measured after it. */
  readonly requestsAfterCollapse?: number;
}

/** Opens the Cluster Stacks view (activates the extension when it is not active yet). */
export async function openExplorer(s: Session): Promise<void> {
  await s.agent.call('command', { command: 'workbench.view.extension.clusterStacks' });
  await s.page.locator('.part.sidebar .composite.title h2', { hasText: 'Cluster Stacks' }).waitFor();
}

export async function measureExplorer(s: Session, x: ExplorerScale, log: (line: string) => void): Promise<ExplorerSample> {
  const page = s.page;
  const sidebar = page.locator('.part.sidebar');
  const row = (label: string): Locator => sidebar.locator('.monaco-list-row').filter({ has: page.getByText(label, { exact: true }) });
  const expand = async (r: Locator) => {
    await r.waitFor({ timeout: x.timeoutMs });
    if ((await r.getAttribute('aria-expanded')) !== 'true') await r.click();
  };
  const context = row(x.em.name);
  const firstTenant = row(tenantName(0));
  const lastCluster = sidebar.locator('.monaco-list-row', { hasText: clusterName(x.clustersPer - 1) });
  await context.waitFor({ timeout: 60_000 });

  // The emulator's first list of 100,000 objects is slower than the next ones, for the explorer and kubectl alike.
  await call(x.em, 'GET', '/apis/cluster.x-k8s.io/v1beta2/clusters');

  const out = { tenantsMs: [] as number[], expandedMs: [] as number[], requests: [] as number[] };
  const total = () => [...x.em.requestCount.values()].reduce((a, b) => a + b, 0);
  let atCollapse = 0;
  let heapBefore: HeapResult | undefined;
  let heapAfter: HeapResult | undefined;
  const heapAt = (stage: string) =>
    s.agent.call<HeapResult>('heap', x.snapshotDir ? { snapshot: path.join(x.snapshotDir, `${x.em.name}-${stage}.heapsnapshot`) } : {});
  if (x.heap) heapBefore = await heapAt('before');
  for (let i = 0; i < Math.max(1, x.runs); i++) {
    x.em.resetRequests();
    const t0 = performance.now();
    await context.click();
    await firstTenant.waitFor({ timeout: x.timeoutMs });
    for (const busy of ['Loading…', 'Connecting…']) await row(busy).waitFor({ state: 'hidden', timeout: x.timeoutMs });
    const tenantsMs = performance.now() - t0;
    await expand(firstTenant);
    await expand(row('Workload clusters'));
    await lastCluster.waitFor({ timeout: x.timeoutMs });
    const expandedMs = performance.now() - t0;
    const requests = await settledRequests(x.em);
    if (x.runs > 0) {
      out.tenantsMs.push(tenantsMs);
      out.expandedMs.push(expandedMs);
    }
    out.requests.push(requests);
    log(
      `  ${x.em.name}: tenants ${tenantsMs.toFixed(0)} ms, one tenant expanded ${expandedMs.toFixed(0)} ms, ${requests} requests (run ${i + 1})`,
    );
    if (i === 0 && x.heap) heapAfter = await heapAt('expanded');
    atCollapse = total();
    await context.click(); // collapse: the explorer stops the context's watches
    await firstTenant.waitFor({ state: 'hidden', timeout: x.timeoutMs });
    await watchesClosed(x.em);
  }
  const heapCollapsed = x.heap ? await heapAt('collapsed') : undefined;
  const requestsAfterCollapse = total() - atCollapse;

  const k = { ms: [] as number[], items: 0, bytes: 0, requests: 0 };
  for (let i = 0; i < x.kubectlRuns; i++) {
    const r = await kubectlGetClusters(x.em);
    k.ms.push(r.ms);
    Object.assign(k, { items: r.items, bytes: r.bytes, requests: r.requests });
    log(`  ${x.em.name}: kubectl get clusters -A -o json ${r.ms.toFixed(0)} ms, ${r.items} items, ${r.requests} requests`);
  }
  if (x.kubectlRuns && k.items !== x.tenants * x.clustersPer)
    throw new SetupError(`kubectl listed ${k.items} Clusters, the emulator holds ${x.tenants * x.clustersPer}`);
  return {
    ...out,
    kubectlMs: k.ms,
    kubectlItems: k.items,
    kubectlBytes: k.bytes,
    kubectlRequests: k.requests,
    ...(heapBefore && heapAfter && heapCollapsed
      ? {
          heapBeforeMiB: heapBefore.heapUsedMiB,
          heapHeldMiB: heapAfter.heapUsedMiB - heapBefore.heapUsedMiB,
          heapAfterCollapseMiB: heapCollapsed.heapUsedMiB - heapBefore.heapUsedMiB,
          requestsAfterCollapse,
        }
      : {}),
  };
}

/** Requests that reached the emulator, once no new one arrived for 2 s and the watches are open. */
async function settledRequests(em: Emulator): Promise<number> {
  const total = () => [...em.requestCount.values()].reduce((a, b) => a + b, 0);
  const deadline = Date.now() + 60_000;
  let last = -1;
  let stableSince = Date.now();
  for (;;) {
    const n = total();
    if (n !== last) {
      last = n;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= 2000 && em.openWatches > 0) return n;
    if (Date.now() > deadline) throw new SetupError(`requests to ${em.name} did not settle within 60 s (${n} so far)`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Waits until the emulator has no watch open (the collapsed context's cache has stopped). */
async function watchesClosed(em: Emulator): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (em.openWatches > 0) {
    if (Date.now() > deadline) throw new SetupError(`${em.openWatches} watches on ${em.name} still open 60 s after collapsing the context`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function kubectlGetClusters(em: Emulator): Promise<{ ms: number; items: number; bytes: number; requests: number }> {
  const dir = tempDir('bench-kubectl');
  const env = { ...process.env, KUBECONFIG: em.kubeconfigPath, KUBECACHEDIR: path.join(dir, 'cache') };
  em.resetRequests();
  const t0 = performance.now();
  const { stdout } = await run('kubectl', ['get', 'clusters.cluster.x-k8s.io', '-A', '-o', 'json'], {
    env,
    maxBuffer: 2 ** 31 - 1,
    timeout: 1_200_000,
  });
  const ms = performance.now() - t0;
  const requests = [...em.requestCount.values()].reduce((a, b) => a + b, 0);
  return { ms, items: (JSON.parse(stdout) as { items: unknown[] }).items.length, bytes: Buffer.byteLength(stdout), requests };
}

/**
 * The benchmark's agent inside the real extension host, loaded as the `extensionTestsPath` (the
 * @vscode/test-electron contract: VS Code awaits `run()` and exits when it settles). It does what only
 * code in the extension host can measure — activation, the thread's busy time per edit, diagnostics
 * arrival, the host's heap — on the driver's request (bench/host.ts; protocol in ./protocol.ts).
 */
import * as http from 'node:http';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as vscode from 'vscode';
import {
  type ActivationResult,
  type Answer,
  CONTROL_ENV,
  type EditArgs,
  type EditResult,
  type EditSample,
  type HeapArgs,
  type HeapResult,
  type Task,
} from './protocol';

export async function run(): Promise<void> {
  const url = process.env[CONTROL_ENV];
  if (!url) throw new Error(`${CONTROL_ENV} is not set: the agent runs only under bench/host.ts`);
  let answer: Answer = { hello: true, vscode: vscode.version, pid: process.pid };
  for (;;) {
    const task = (await post(url, answer)) as Task;
    if (task.op === 'exit') return;
    try {
      answer = { id: task.id, result: await perform(task) };
    } catch (e) {
      answer = { id: task.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    }
  }
}

function perform(task: Exclude<Task, { op: 'exit' }>): Promise<unknown> {
  switch (task.op) {
    case 'activate':
      return activate(task.args.ids);
    case 'command':
      return Promise.resolve(vscode.commands.executeCommand(task.args.command, ...(task.args.args ?? []))).then(() => null);
    case 'edits':
      return edits(task.args);
    case 'heap':
      return Promise.resolve(heap(task.args));
  }
}

function post(url: string, body: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

async function activate(ids: string[]): Promise<ActivationResult[]> {
  const out: ActivationResult[] = [];
  for (const id of ids) {
    const ext = vscode.extensions.getExtension(id);
    if (!ext) {
      const others = vscode.extensions.all.filter((e) => !e.id.startsWith('vscode.')).map((e) => e.id);
      throw new Error(`extension ${id} is not installed in this extension host (there are: ${others.join(', ')})`);
    }
    const wasActive = ext.isActive;
    const started = performance.now();
    await ext.activate();
    out.push({ id, wasActive, wallMs: performance.now() - started });
  }
  return out;
}

// `--expose-gc` cannot be passed to the extension host; the flag set at run time gives a `gc` to new contexts.
let gcFn: (() => void) | undefined;
function heap(a: HeapArgs): HeapResult {
  if (!gcFn) {
    v8.setFlagsFromString('--expose-gc');
    gcFn = vm.runInNewContext('gc') as (() => void) | undefined;
  }
  gcFn?.();
  gcFn?.();
  const m = process.memoryUsage();
  if (a.snapshot) v8.writeHeapSnapshot(a.snapshot);
  return { heapUsedMiB: m.heapUsed / 2 ** 20, rssMiB: m.rss / 2 ** 20, gc: typeof gcFn === 'function' };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

async function edits(a: EditArgs): Promise<EditResult> {
  const ours = await editRun(vscode.Uri.file(a.file), a, true);
  const peer = await editRun(vscode.Uri.file(a.peerFile), a, false);
  const cpu = (process as { threadCpuUsage?: unknown }).threadCpuUsage ? 'thread' : 'process';
  return { ours: ours.samples, peer: peer.samples, analysedOnOpen: ours.onOpen, chars: ours.chars, cpu };
}

const hasFinding = (uri: vscode.Uri, f: { code: string; line: number }) =>
  vscode.languages.getDiagnostics(uri).some((d) => {
    const code = typeof d.code === 'object' ? d.code.value : d.code;
    return String(code) === f.code && d.range.start.line === f.line;
  });

const describe = (uri: vscode.Uri) =>
  vscode.languages
    .getDiagnostics(uri)
    .slice(0, 10)
    .map((d) => `${String(typeof d.code === 'object' ? d.code.value : d.code)}@${d.range.start.line}`)
    .join(' ') || 'none';

/** CPU time of this thread (Node ≥ 23.9), else of the whole process. */
const threadCpu: () => NodeJS.CpuUsage =
  (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.bind(process) ?? (() => process.cpuUsage());
const cpuMs = (since: NodeJS.CpuUsage) => {
  const now = threadCpu();
  return (now.user - since.user + now.system - since.system) / 1000;
};

/**
 * Opens `uri` in an editor, then per edit toggles the line between `from` and `to` and measures, from
 * just before the edit until the window ends: the host thread's CPU time and busy time, the longest
 * block, and when onDidChangeDiagnostics reported the file with the toggled finding present (after `to`)
 * or gone, the sentinel finding present (so "gone" is an analysis, not a cleared file).
 */
async function editRun(
  uri: vscode.Uri,
  a: EditArgs,
  analysed: boolean,
): Promise<{ samples: EditSample[]; onOpen: boolean; chars: number }> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  if (doc.lineAt(a.toggle.line).text !== a.toggle.from) throw new Error(`${uri.fsPath}:${a.toggle.line + 1} is not "${a.toggle.from}"`);
  // Whatever opening costs (first analysis, lenses, tokenisation) is over before the first edit.
  // Opening analyses the file at once, often before this subscribes: what is there already counts.
  const onOpen = analysed && (await diagnosticsOf(uri, () => hasFinding(uri, a.sentinel), a.diagnosticsTimeoutMs, true)) !== undefined;
  await sleep(a.minWindowMs);
  const timeoutMs = onOpen ? a.diagnosticsTimeoutMs : a.unanalysedTimeoutMs;

  const eld = monitorEventLoopDelay({ resolution: 20 });
  eld.enable();
  const samples: EditSample[] = [];
  try {
    for (let i = 0; i < a.edits; i++) {
      const toggled = i % 2 === 0;
      const line = doc.lineAt(a.toggle.line);
      // Diagnostics of this edit: the toggled finding present (or gone) while the sentinel is there.
      const arrived = analysed
        ? diagnosticsOf(uri, () => hasFinding(uri, a.sentinel) && hasFinding(uri, a.toggle) === toggled, timeoutMs)
        : undefined;
      eld.reset();
      const elu = performance.eventLoopUtilization();
      const cpu = threadCpu();
      const t0 = performance.now();
      const ok = await editor.edit((e) => e.replace(line.range, toggled ? a.toggle.to : a.toggle.from));
      const editMs = performance.now() - t0;
      if (!ok) throw new Error(`the edit of ${uri.fsPath} was not applied`);
      const at = arrived ? await arrived : undefined;
      const end = Math.max(t0 + a.minWindowMs, (at ?? performance.now()) + (at === undefined ? 0 : a.settleMs));
      await sleep(end - performance.now());
      const threadCpuMs = cpuMs(cpu);
      const busy = performance.eventLoopUtilization(elu);
      samples.push({
        threadCpuMs,
        busyMs: busy.active,
        longestBlockMs: eld.max / 1e6,
        diagnosticsMs: at === undefined ? null : at - t0,
        ...(analysed && at === undefined ? { lateState: `v${doc.version}: ${describe(uri)}` } : {}),
        editMs,
        windowMs: performance.now() - t0,
      });
    }
  } finally {
    eld.disable();
  }
  const chars = doc.getText().length;
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  return { samples, onOpen, chars };
}

/**
 * Resolves with the time of the first onDidChangeDiagnostics for `uri` at which `accept()` holds (or at
 * once when `now` and it holds already); undefined after `timeoutMs`.
 */
function diagnosticsOf(uri: vscode.Uri, accept: () => boolean, timeoutMs: number, now = false): Promise<number | undefined> {
  const key = uri.toString();
  return new Promise((resolve) => {
    const done = (at: number | undefined) => {
      clearTimeout(timer);
      sub.dispose();
      resolve(at);
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === key) && accept()) done(performance.now());
    });
    const timer = setTimeout(() => done(undefined), timeoutMs);
    if (now && accept()) done(performance.now());
  });
}

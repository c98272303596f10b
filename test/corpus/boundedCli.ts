/**
 * Runs CLI invocations in a child process (worker.ts) under a time and a memory bound: the parent
 * times each request and samples the child's resident memory (/proc/PID/status VmRSS) every 10 ms,
 * and kills the child when either bound is crossed — a blocking read of a named pipe or an unbounded
 * read of /dev/zero ends as a reported outcome, not as a hung or aborted test run. The next request
 * starts a fresh child.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface CliRequest {
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env?: Record<string, string>;
}

export type CliOutcome =
  | { readonly kind: 'exit'; readonly code: number; readonly out: string; readonly err: string; readonly ms: number; readonly rss: number }
  | {
      readonly kind: 'threw';
      readonly stack: string;
      readonly out: string;
      readonly err: string;
      readonly ms: number;
      readonly rss: number;
    }
  | { readonly kind: 'timeout'; readonly ms: number; readonly rss: number }
  | { readonly kind: 'memory'; readonly ms: number; readonly rss: number }
  | { readonly kind: 'crashed'; readonly detail: string; readonly ms: number; readonly rss: number };

export interface Bounds {
  readonly timeoutMs: number;
  readonly maxRssBytes: number;
}

export const DEFAULT_BOUNDS: Bounds = { timeoutMs: 10_000, maxRssBytes: 768 * 1024 * 1024 };

const WORKER = path.join(__dirname, 'worker.ts');

function rssOf(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export class BoundedCli {
  private child?: ChildProcessWithoutNullStreams;
  private ready?: Promise<void>;
  private lineHandler?: (msg: Record<string, unknown>) => void;
  private childErr = '';
  private nextId = 1;
  /** Children started (1 + one per killed or crashed child). */
  starts = 0;

  constructor(readonly bounds: Bounds = DEFAULT_BOUNDS) {}

  private start(): Promise<void> {
    this.starts++;
    this.childErr = '';
    const child = spawn(process.execPath, ['--max-old-space-size=512', '--require', require.resolve('tsx/cjs'), WORKER], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    });
    this.child = child;
    let buf = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buf += chunk;
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        this.lineHandler?.(JSON.parse(line) as Record<string, unknown>);
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (t: string) => (this.childErr = (this.childErr + t).slice(-4000)));
    return new Promise((resolve, reject) => {
      this.lineHandler = (msg) => (msg.ready ? resolve() : undefined);
      child.once('exit', (code, signal) =>
        reject(new Error(`CLI worker exited before it was ready (${code ?? signal}): ${this.childErr}`)),
      );
    });
  }

  private kill(): void {
    const child = this.child;
    this.child = undefined;
    this.ready = undefined;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  async run(req: CliRequest): Promise<CliOutcome> {
    if (!this.child) this.ready = this.start();
    await this.ready;
    const child = this.child as ChildProcessWithoutNullStreams;
    const id = this.nextId++;
    const started = Date.now();
    let peak = rssOf(child.pid);
    return new Promise<CliOutcome>((resolve) => {
      let done = false;
      const finish = (o: CliOutcome, kill: boolean) => {
        if (done) return;
        done = true;
        clearInterval(sampler);
        child.removeListener('exit', onExit);
        this.lineHandler = undefined;
        if (kill) this.kill();
        resolve(o);
      };
      const sampler = setInterval(() => {
        peak = Math.max(peak, rssOf(child.pid));
        const ms = Date.now() - started;
        if (peak > this.bounds.maxRssBytes) finish({ kind: 'memory', ms, rss: peak }, true);
        else if (ms > this.bounds.timeoutMs) finish({ kind: 'timeout', ms, rss: peak }, true);
      }, 10);
      const onExit = (code: number | null, signal: string | null) => {
        this.child = undefined;
        finish({ kind: 'crashed', detail: `exit ${code ?? signal}: ${this.childErr}`, ms: Date.now() - started, rss: peak }, false);
      };
      child.once('exit', onExit);
      this.lineHandler = (msg) => {
        if (msg.id !== id) return;
        peak = Math.max(peak, rssOf(child.pid));
        const ms = Date.now() - started;
        const out = String(msg.out ?? '');
        const err = String(msg.err ?? '');
        if (typeof msg.threw === 'string') finish({ kind: 'threw', stack: msg.threw, out, err, ms, rss: peak }, false);
        else finish({ kind: 'exit', code: Number(msg.code), out, err, ms, rss: peak }, false);
      };
      child.stdin.write(JSON.stringify({ id, args: req.args, cwd: req.cwd, env: req.env ?? {} }) + '\n');
    });
  }

  close(): void {
    this.kill();
  }
}

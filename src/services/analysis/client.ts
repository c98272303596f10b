/**
 * The host's side of the analysis worker (worker.ts), without `vscode`: one Worker, started on the first
 * request (never at activation), fed with the documents' text once and their changes after that; answers
 * are matched to requests by id. A request whose document changed before it ran resolves `undefined`
 * (stale), so callers publish only results for the version they asked about.
 *
 * When the worker dies (an exception, an out-of-memory exit, or no answer within `hangMs`) every waiting
 * request is sent once more to a new worker, which gets every mirrored document again; a request that
 * was already retried rejects, so a document that crashes the worker cannot loop. `onRestart` gets one
 * line per restart. Nothing waits forever: disposing rejects what is still waiting.
 */
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { type IDisposable, timeout } from '../../lifecycle';
import type { FromWorker, Job, JobResults, TextChange, ToWorker, WorkerInit } from './protocol';

export interface MirroredText {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
}

export interface AnalysisClientOptions {
  /** dist/analysis-worker.js. */
  readonly workerFile: string;
  readonly init: Omit<WorkerInit, 'port'>;
  /** Every document to mirror: when a worker starts, and again after the worker's copy missed a change. */
  readonly documents: () => Iterable<MirroredText>;
  readonly onRestart: (line: string) => void;
  /** A request unanswered this long ends the worker as hung (default 60 s). */
  readonly hangMs?: number;
}

/** Why a request has no answer: the worker failed twice on it, or the client was disposed. */
export class AnalysisUnavailable extends Error {
  override readonly name = 'AnalysisUnavailable';
}

interface Waiting {
  readonly message: Extract<ToWorker, { type: 'request' }>;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: Error) => void;
  attempts: number;
  desyncs: number;
  hang?: IDisposable;
}

export class AnalysisClient implements IDisposable {
  private worker: Worker | undefined;
  private port: MessagePort | undefined;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  private disposed = false;
  private readonly kinds = new Map<string, string | undefined>();
  /** Workers started so far (tests and the log read it). */
  starts = 0;

  constructor(private readonly opts: AnalysisClientOptions) {}

  get running(): boolean {
    return this.worker !== undefined;
  }

  open(doc: MirroredText): void {
    this.post({ type: 'open', ...doc });
  }

  change(uri: string, version: number, changes: readonly TextChange[], length: number): void {
    this.post({ type: 'change', uri, version, changes, length });
  }

  close(uri: string): void {
    this.kinds.delete(uri);
    this.post({ type: 'close', uri });
  }

  /** The schema of `uri` for the YAML service; kept here too, for a restarted worker. */
  schemaKind(uri: string, kind: string | undefined): void {
    if (this.kinds.has(uri) && this.kinds.get(uri) === kind) return;
    this.kinds.set(uri, kind);
    this.post({ type: 'schemaKind', uri, kind });
  }

  /** Runs `job` in the worker; undefined when it went stale first. `key`: a later request with it replaces this one. */
  request<M extends Job['method']>(
    job: Extract<Job, { method: M }>,
    key?: string,
    signal?: AbortSignal,
  ): Promise<JobResults[M] | undefined> {
    if (this.disposed) return Promise.reject(new AnalysisUnavailable('the analysis worker is disposed'));
    this.ensure();
    const id = this.nextId++;
    const message: Waiting['message'] = { type: 'request', id, ...(key === undefined ? {} : { key }), job };
    return new Promise<JobResults[M] | undefined>((resolve, reject) => {
      const w: Waiting = { message, resolve: resolve as (v: unknown) => void, reject, attempts: 1, desyncs: 0 };
      this.waiting.set(id, w);
      try {
        this.send(w);
      } catch (e) {
        // Arguments that cannot be cloned (a function): a bug of the caller, not of the worker.
        this.waiting.delete(id);
        w.hang?.dispose();
        reject(e instanceof Error ? e : new Error(String(e)));
        return;
      }
      signal?.addEventListener(
        'abort',
        () => {
          this.post({ type: 'cancel', id });
          this.settle(id, { id, stale: true });
        },
        { once: true },
      );
    });
  }

  /**
   * The YAML service in the worker: every method is forwarded by name with its (plain JSON) arguments,
   * so a method added to the service works here without a change. A later call of the same method for
   * the same first argument (the document's URI) replaces one still waiting (it resolves `undefined`).
   */
  yamlService<T extends object>(): T {
    return new Proxy({} as T, {
      // Not `then`: the proxy is returned from async functions, and a thenable would be awaited.
      get: (_, name) =>
        typeof name !== 'string' || name === 'then'
          ? undefined
          : (...args: unknown[]) =>
              this.request({ method: 'yaml', name, args }, typeof args[0] === 'string' ? `yaml:${name}:${args[0]}` : undefined),
    });
  }

  /** Test hook: makes the worker throw outside any request. */
  crashForTest(): void {
    this.post({ type: 'crash' });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stop();
    for (const [id, w] of this.waiting) {
      w.hang?.dispose();
      this.waiting.delete(id);
      w.reject(new AnalysisUnavailable('the analysis worker is disposed'));
    }
  }

  private post(m: ToWorker): void {
    this.port?.postMessage(m);
  }

  private send(w: Waiting): void {
    w.hang?.dispose();
    const hangMs = this.opts.hangMs ?? 60_000;
    w.hang = timeout(hangMs, () => this.died(`it did not answer within ${hangMs / 1000} s`));
    this.post(w.message);
  }

  private ensure(): void {
    if (this.worker) return;
    const { port1, port2 } = new MessageChannel();
    const init: WorkerInit = { ...this.opts.init, port: port2 };
    const worker = new Worker(this.opts.workerFile, { workerData: init, transferList: [port2] });
    this.worker = worker;
    this.port = port1;
    this.starts++;
    port1.on('message', (m: FromWorker) => this.answer(m));
    worker.on('error', (e) => this.died(`it failed (${e.name})`, worker));
    worker.on('exit', (code) => this.died(`it exited (code ${code})`, worker));
    for (const doc of this.opts.documents()) this.open(doc);
    for (const [uri, kind] of this.kinds) this.post({ type: 'schemaKind', uri, kind });
  }

  private stop(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.port?.close();
    this.port = undefined;
    void worker?.terminate();
  }

  private died(reason: string, which?: Worker): void {
    if (this.disposed || !this.worker || (which && which !== this.worker)) return;
    this.stop();
    const retry = [...this.waiting.values()].filter((w) => w.attempts < 2);
    for (const [id, w] of this.waiting) {
      if (w.attempts < 2) continue;
      w.hang?.dispose();
      this.waiting.delete(id);
      w.reject(new AnalysisUnavailable(`the analysis worker stopped twice on this request: ${reason}`));
    }
    this.opts.onRestart(
      `The Cluster Stacks analysis worker stopped (${reason}); ${retry.length ? 'restarted' : 'it restarts with the next analysis'}.`,
    );
    if (!retry.length) return;
    this.ensure();
    for (const w of retry) {
      w.attempts++;
      this.send(w);
    }
  }

  private answer(m: FromWorker): void {
    const w = this.waiting.get(m.id);
    if (!w) return;
    if ('desync' in m) {
      // The mirror missed a change: open the documents again and ask once more (twice is a bug: reject).
      if (w.desyncs++ === 0) {
        for (const d of this.opts.documents()) this.open(d);
        this.send(w);
        return;
      }
    }
    this.settle(m.id, m);
  }

  private settle(id: number, m: FromWorker): void {
    const w = this.waiting.get(id);
    if (!w) return;
    this.waiting.delete(id);
    w.hang?.dispose();
    if ('result' in m) w.resolve(m.result);
    else if ('stale' in m) w.resolve(undefined);
    else if ('desync' in m) w.reject(new AnalysisUnavailable('the analysis worker lost a document twice'));
    else w.reject(new AnalysisUnavailable(`the analysis failed (${m.error})`));
  }
}

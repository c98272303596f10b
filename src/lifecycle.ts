/**
 * Lifetimes, shared by every room (pure: no `vscode`, no cluster access).
 *
 * - `Disposable` / `DisposableStore`, after vscode-pull-request-github's `common/lifecycle.ts`: an
 *   owner registers what it creates and disposes all of it at once, the last registered first (what
 *   was created later may depend on what was created earlier). Registering on a disposed owner
 *   disposes the newcomer at once, so late async work cannot leak. Entries can be removed again.
 * - `timeout` / `delay`: every timer of the extension goes through these, so a timer is always
 *   cancellable and `liveTimers()` can count the ones still pending (the lifetime tests read it).
 * - `TaskSet`: background work (polling after a write, waiting for a token) owned by somebody:
 *   each task gets an AbortSignal, disposing the set aborts every running task.
 */

export interface IDisposable {
  dispose(): unknown;
}

function disposeAll(disposables: IDisposable[]): void {
  // Last in, first out; one failing dispose must not keep the others alive.
  while (disposables.length) {
    try {
      disposables.pop()?.dispose();
    } catch {
      // ignored on purpose
    }
  }
}

/** A removable, ordered collection of disposables; disposing it disposes the entries last-first. */
export class DisposableStore implements IDisposable {
  private readonly entries: IDisposable[] = [];
  private disposed = false;

  get isDisposed(): boolean {
    return this.disposed;
  }

  add<T extends IDisposable>(d: T): T {
    if (this.disposed) d.dispose();
    else this.entries.push(d);
    return d;
  }

  /** Forgets `d` without disposing it (its owner changed, or it was disposed elsewhere). */
  delete(d: IDisposable): void {
    const i = this.entries.lastIndexOf(d);
    if (i >= 0) this.entries.splice(i, 1);
  }

  get size(): number {
    return this.entries.length;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    disposeAll(this.entries);
  }
}

export abstract class Disposable implements IDisposable {
  private readonly _store = new DisposableStore();

  protected get isDisposed(): boolean {
    return this._store.isDisposed;
  }

  protected _register<T extends IDisposable>(d: T): T {
    return this._store.add(d);
  }

  /** Takes `d` back from this owner without disposing it. */
  protected _unregister(d: IDisposable): void {
    this._store.delete(d);
  }

  dispose(): void {
    this._store.dispose();
  }
}

/** A plain `{dispose}` from a function (called at most once). */
export function toDisposable(fn: () => void): IDisposable {
  let done = false;
  return {
    dispose: () => {
      if (done) return;
      done = true;
      fn();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Timers

let pendingTimers = 0;

/** Timers created with `timeout`/`delay` that have neither fired nor been cancelled. */
export function liveTimers(): number {
  return pendingTimers;
}

/** Runs `fn` after `ms`; disposing the result cancels it. */
export function timeout(ms: number, fn: () => void): IDisposable {
  pendingTimers++;
  let pending = true;
  const settle = () => {
    if (!pending) return false;
    pending = false;
    pendingTimers--;
    return true;
  };
  const handle = setTimeout(() => {
    if (settle()) fn();
  }, ms);
  return toDisposable(() => {
    if (settle()) clearTimeout(handle);
  });
}

/** The error `delay` (and everything built on it) rejects with once its signal aborts. */
export class AbortedError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'AbortedError';
  }
}

/**
 * Resolves after `ms`, or early (resolving) when `wake` is called; rejects with AbortedError when
 * `signal` aborts. The timer never outlives the wait.
 */
export function delay(ms: number, signal?: AbortSignal, wake?: (wakeUp: () => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError());
    const finish = (aborted: boolean) => {
      timer.dispose();
      signal?.removeEventListener('abort', onAbort);
      if (aborted) reject(new AbortedError());
      else resolve();
    };
    const onAbort = () => finish(true);
    const timer = timeout(ms, () => finish(false));
    signal?.addEventListener('abort', onAbort, { once: true });
    wake?.(() => finish(false));
  });
}

// ---------------------------------------------------------------------------------------------
// Owned background tasks

/** Background tasks with one owner: each runs with an AbortSignal; `dispose` aborts all of them. */
export class TaskSet implements IDisposable {
  private readonly running = new Set<AbortController>();
  private disposed = false;

  /** Number of tasks still running. */
  get size(): number {
    return this.running.size;
  }

  /**
   * Runs `fn`; its signal aborts when `cancel` (if given) aborts or the set is disposed. The returned
   * promise settles like `fn`'s.
   */
  async run<T>(fn: (signal: AbortSignal) => Promise<T>, cancel?: AbortSignal): Promise<T> {
    const ac = new AbortController();
    if (this.disposed) ac.abort();
    const onCancel = () => ac.abort();
    cancel?.addEventListener('abort', onCancel, { once: true });
    if (cancel?.aborted) ac.abort();
    this.running.add(ac);
    try {
      return await fn(ac.signal);
    } finally {
      this.running.delete(ac);
      cancel?.removeEventListener('abort', onCancel);
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const ac of this.running) ac.abort();
  }
}

/**
 * One list+watch of one resource type (cluster-wide or in one namespace), after client-go's reflector:
 * list, then watch from the list's resourceVersion with bookmarks; a stream the server ends normally is
 * resumed from the last version; `410 Gone` (as a status or an ERROR event) relists at once; any other
 * failure backs off exponentially (0.5 s … 30 s, never shorter than the server's Retry-After) and relists,
 * so a dropped watch always ends in a resync.
 */
import type { KubeObject } from '../core/capi/types';
import { delay } from '../lifecycle';
import { NO_RETRY, type KubeClient, type WatchEvent } from './client';
import { KubeError } from './errors';

export type ReflectorStatus = 'loading' | 'ready' | 'error';

export interface ReflectorOptions {
  client: KubeClient;
  /** Collection path, e.g. `/apis/cluster.x-k8s.io/v1beta2/clusters`. */
  path: string;
  fieldSelector?: string;
  /** Reduces an object to what the cache may hold (e.g. secrets without values). */
  transform: (o: KubeObject) => KubeObject;
  /** Called with the namespaces whose objects changed (`''` for cluster-scoped objects). */
  onChange: (namespaces: Set<string>) => void;
  /** Called when status or error changes. */
  onStatus: () => void;
  watchTimeoutSeconds?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

interface ListResult {
  metadata?: { resourceVersion?: string };
  items?: KubeObject[];
  apiVersion?: string;
  kind?: string;
}

const key = (o: KubeObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

export class Reflector {
  status: ReflectorStatus = 'loading';
  error?: KubeError;
  /** Number of lists done (first list + resyncs). */
  lists = 0;
  private readonly items = new Map<string, KubeObject>();
  private readonly abort = new AbortController();
  private resourceVersion = '';
  private wakeUp?: () => void;

  constructor(private readonly o: ReflectorOptions) {}

  start(): void {
    void this.run();
  }

  stop(): void {
    this.abort.abort();
    this.wakeUp?.();
  }

  get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  /** Ends a backoff wait early (manual refresh / retry). */
  retryNow(): void {
    this.wakeUp?.();
  }

  list(): KubeObject[] {
    return [...this.items.values()];
  }

  private query(extra: Record<string, string>): string {
    const q = new URLSearchParams(extra);
    if (this.o.fieldSelector) q.set('fieldSelector', this.o.fieldSelector);
    return `${this.o.path}?${q.toString()}`;
  }

  private setStatus(status: ReflectorStatus, error?: KubeError): void {
    if (this.status === status && this.error?.message === error?.message) return;
    this.status = status;
    this.error = error;
    this.o.onStatus();
  }

  private async relist(): Promise<void> {
    const list = await this.o.client.getJson<ListResult>(this.query({}), { signal: this.abort.signal, retry: NO_RETRY });
    this.lists++;
    const changed = new Set<string>();
    const seen = new Set<string>();
    const itemKind = list.kind?.replace(/List$/, '');
    for (const raw of list.items ?? []) {
      // List items carry no apiVersion/kind; the status model needs the version.
      const obj = this.o.transform({ apiVersion: list.apiVersion, kind: itemKind, ...raw });
      const k = key(obj);
      seen.add(k);
      const old = this.items.get(k);
      if (!old || old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) changed.add(obj.metadata?.namespace ?? '');
      this.items.set(k, obj);
    }
    for (const [k, old] of this.items) {
      if (!seen.has(k)) {
        this.items.delete(k);
        changed.add(old.metadata?.namespace ?? '');
      }
    }
    this.resourceVersion = list.metadata?.resourceVersion ?? '';
    this.setStatus('ready');
    if (changed.size > 0 || this.lists === 1) this.o.onChange(changed);
  }

  private apply(ev: WatchEvent): void {
    if (ev.type === 'ERROR') {
      const status = ev.object as { code?: number; message?: string };
      if (status.code === 410) throw new KubeError('gone', `Gone (410): ${status.message ?? 'resource version too old'}`, 410);
      throw new KubeError('server', `Watch error ${status.code ?? ''}: ${status.message ?? ''}`, status.code);
    }
    const rv = (ev.object.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    if (ev.type === 'BOOKMARK') return;
    const obj = this.o.transform(ev.object as KubeObject);
    const k = key(obj);
    if (ev.type === 'DELETED') this.items.delete(k);
    else this.items.set(k, obj);
    this.o.onChange(new Set([obj.metadata?.namespace ?? '']));
  }

  private async watchOnce(): Promise<void> {
    const streamAbort = new AbortController();
    const onStop = () => streamAbort.abort();
    this.abort.signal.addEventListener('abort', onStop);
    let failure: unknown;
    try {
      await this.o.client.watch(
        this.query({
          watch: '1',
          resourceVersion: this.resourceVersion,
          allowWatchBookmarks: 'true',
          timeoutSeconds: String(this.o.watchTimeoutSeconds ?? 300),
        }),
        (ev) => {
          if (failure) return;
          try {
            this.apply(ev);
          } catch (e) {
            failure = e;
            streamAbort.abort();
          }
        },
        streamAbort.signal,
        ((this.o.watchTimeoutSeconds ?? 300) + 30) * 1000,
      );
    } catch (e) {
      if (!failure) failure = e;
    } finally {
      this.abort.signal.removeEventListener('abort', onStop);
    }
    if (failure) throw failure;
  }

  /** The backoff wait: ends early on `retryNow()`, and at once on `stop()` (which also wakes it). */
  private sleep(ms: number): Promise<void> {
    return delay(ms, undefined, (wake) => (this.wakeUp = wake));
  }

  private async run(): Promise<void> {
    const min = this.o.minBackoffMs ?? 500;
    const max = this.o.maxBackoffMs ?? 30_000;
    let backoff = min;
    let needList = true;
    while (!this.stopped) {
      let listing = false;
      try {
        if (needList) {
          listing = true;
          await this.relist();
          listing = false;
          backoff = min;
          needList = false;
        }
        await this.watchOnce();
        // The server ended the stream normally (timeout): resume from the last resourceVersion.
      } catch (e) {
        if (this.stopped) break;
        const err = e instanceof KubeError ? e : new KubeError('server', String(e));
        needList = true;
        if (err.kind === 'gone') continue; // resync at once
        // A failed list is an error state; a dropped watch keeps the (stale) items and resyncs.
        if (listing || err.kind === 'forbidden' || err.kind === 'unauthorized' || err.kind === 'auth') this.setStatus('error', err);
        // A 429/503 says when to come back (client-go's reflector waits as its rest client tells it).
        await this.sleep(Math.max(backoff, err.retryAfterMs ?? 0));
        backoff = Math.min(max, backoff * 2);
      }
    }
  }
}

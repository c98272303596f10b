/**
 * The resource cache of one management-cluster context: API discovery, then one list+watch
 * (`Reflector`) per resource type for all namespaces, so a full refresh costs a constant number of
 * requests however many tenants there are. Change events are debounced and name the kinds and
 * namespaces that changed. A type whose CRD is not installed is `missing`, not an error. When the user
 * may not list a type cluster-wide (403), the cache falls back to one list+watch per known namespace,
 * and namespaces that still answer 403 are reported as such (a tenant-level error, the others work).
 */
import { slimObject, StringPool } from '../core/capi/slim';
import { RESOURCE_KINDS, type ResourceKind, type Snapshot } from '../core/capi/tenants';
import type { KubeObject } from '../core/capi/types';
import { timeout, type IDisposable } from '../lifecycle';
import type { KubeClient } from './client';
import { KubeError } from './errors';
import type { Lease } from './pool';
import { Reflector } from './reflector';
import { RESOURCE_DEFS, collectionPath, discover, type ExplorerDiscovery } from './resources';

export type KindStatus = 'loading' | 'ready' | 'missing' | 'error';
export interface KindState {
  status: KindStatus;
  message?: string;
}

export interface CacheChange {
  kinds: Set<ResourceKind>;
  /** Namespaces whose content changed (`''` = cluster-scoped objects). */
  namespaces: Set<string>;
  /** The context state or a kind/namespace error state changed. */
  statusChanged: boolean;
}

export interface NamespaceError {
  message: string;
  kinds: ResourceKind[];
  all: boolean;
}

export type ContextState = 'idle' | 'connecting' | 'ready' | 'error';

export interface ContextCacheOptions {
  debounceMs?: number;
  /** Namespaces to try when the user may not list namespaces (e.g. the context's namespace). */
  fallbackNamespaces?: string[];
  watchTimeoutSeconds?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

/**
 * The cache holds a lease on its context's client (from the connection pool, shared with the commands)
 * and releases it when disposed.
 */
export class ContextCache implements IDisposable {
  readonly client: KubeClient;
  state: ContextState = 'idle';
  error?: KubeError;
  discovery?: ExplorerDiscovery;
  private readonly clusterWide = new Map<ResourceKind, Reflector>();
  /** kind → namespace → reflector, for kinds in per-namespace mode after a 403. */
  private readonly perNamespace = new Map<ResourceKind, Map<string, Reflector>>();
  private readonly listeners = new Set<(c: CacheChange) => void>();
  private pending?: CacheChange;
  private timer?: IDisposable;
  private generation = 0;
  private reconnectTimer?: IDisposable;
  /** Ends the discovery of the current connection attempt: a stop leaves no request running. */
  private connecting?: AbortController;
  private readonly syncWaiters: (() => void)[] = [];
  /** The strings the cached objects share (core/capi/slim.ts); renewed when the data is forgotten. */
  private strings = new StringPool();

  constructor(
    readonly contextName: string,
    private readonly lease: Lease,
    private readonly opts: ContextCacheOptions = {},
  ) {
    this.client = lease.client;
  }

  onDidChange(listener: (c: CacheChange) => void): IDisposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  get started(): boolean {
    return this.state !== 'idle';
  }

  /** Starts discovery and all list+watches; idempotent while running. */
  start(): void {
    if (this.state !== 'idle') return;
    void this.connect(++this.generation);
  }

  /** Stops the discovery and every list and watch, and forgets the data (the context was collapsed or the view hidden). */
  stop(): void {
    this.generation++;
    this.connecting?.abort();
    this.connecting = undefined;
    this.reconnectTimer?.dispose();
    for (const r of this.allReflectors()) r.stop();
    this.clusterWide.clear();
    this.perNamespace.clear();
    this.discovery = undefined;
    this.strings = new StringPool();
    this.error = undefined;
    this.state = 'idle';
    this.emit({ kinds: new Set(), namespaces: new Set(), statusChanged: true }, true);
  }

  /** Manual refresh / retry: a fresh discovery and relist of everything. */
  refresh(): void {
    this.stop();
    this.start();
  }

  dispose(): void {
    this.stop();
    this.timer?.dispose();
    this.listeners.clear();
    this.resolveSyncWaiters();
    this.lease.dispose();
  }

  private async connect(gen: number, attempt = 0): Promise<void> {
    if (attempt === 0) {
      this.state = 'connecting';
      this.emit({ kinds: new Set(), namespaces: new Set(), statusChanged: true }, true);
    }
    let discovery: ExplorerDiscovery;
    try {
      // A refresh asks the server again: a CRD may have been installed meanwhile.
      if (attempt === 0) this.client.discovery.reset();
      this.connecting = new AbortController();
      discovery = await discover(this.client, this.connecting.signal);
    } catch (e) {
      if (gen !== this.generation) return;
      const err = e instanceof KubeError ? e : new KubeError('server', String(e));
      if (this.state !== 'error' || this.error?.message !== err.message) {
        this.state = 'error';
        this.error = err;
        this.emit({ kinds: new Set(), namespaces: new Set(), statusChanged: true }, true);
      }
      this.resolveSyncWaiters();
      // Keep trying while the context is shown (the server may come back); retry() skips the wait.
      const backoff = Math.min(this.opts.maxBackoffMs ?? 30_000, (this.opts.minBackoffMs ?? 500) * 4 * 2 ** attempt);
      const delay = Math.max(backoff, err.retryAfterMs ?? 0);
      this.reconnectTimer = timeout(delay, () => gen === this.generation && void this.connect(gen, attempt + 1));
      return;
    }
    if (gen !== this.generation) return;
    this.connecting = undefined;
    this.error = undefined;
    this.discovery = discovery;
    this.state = 'ready';
    for (const kind of RESOURCE_KINDS) {
      if (!discovery.has(kind)) continue;
      this.clusterWide.set(kind, this.reflector(kind));
    }
    this.emit({ kinds: new Set(), namespaces: new Set(), statusChanged: true }, true);
    this.checkSynced();
  }

  private reflector(kind: ResourceKind, namespace?: string): Reflector {
    const def = RESOURCE_DEFS[kind];
    const gv = this.discovery?.get(kind) ?? 'v1';
    const r = new Reflector({
      client: this.client,
      path: collectionPath(def, gv, namespace),
      fieldSelector: def.fieldSelector,
      transform: (o) => slimObject(kind, o, this.strings),
      watchTimeoutSeconds: this.opts.watchTimeoutSeconds,
      minBackoffMs: this.opts.minBackoffMs,
      maxBackoffMs: this.opts.maxBackoffMs,
      onChange: (namespaces) => {
        this.emit({ kinds: new Set([kind]), namespaces, statusChanged: false });
        if (kind === 'namespaces') this.reconcilePerNamespace();
        this.checkSynced();
      },
      onStatus: () => {
        if (!namespace && r.status === 'error' && r.error?.kind === 'forbidden' && def.namespaced) this.switchToPerNamespace(kind, r);
        else if (!namespace && kind === 'namespaces' && r.status === 'error' && r.error?.kind === 'forbidden') this.reconcilePerNamespace();
        this.emit({ kinds: new Set([kind]), namespaces: new Set(), statusChanged: true });
        this.checkSynced();
      },
    });
    r.start();
    return r;
  }

  private switchToPerNamespace(kind: ResourceKind, r: Reflector): void {
    r.stop();
    this.clusterWide.delete(kind);
    this.perNamespace.set(kind, new Map());
    this.reconcilePerNamespace();
  }

  /** The namespaces to watch one by one: the namespace list if allowed, else the configured fallbacks. */
  private knownNamespaces(): string[] {
    const ns = this.clusterWide.get('namespaces');
    const names = new Set<string>(this.opts.fallbackNamespaces ?? []);
    if (ns?.status === 'ready') for (const o of ns.list()) if (o.metadata?.name) names.add(o.metadata.name);
    return [...names];
  }

  private reconcilePerNamespace(): void {
    if (this.perNamespace.size === 0) return;
    const wanted = new Set(this.knownNamespaces());
    for (const [kind, byNs] of this.perNamespace) {
      for (const [ns, r] of byNs) {
        if (!wanted.has(ns)) {
          r.stop();
          byNs.delete(ns);
        }
      }
      for (const ns of wanted) if (!byNs.has(ns)) byNs.set(ns, this.reflector(kind, ns));
    }
  }

  private allReflectors(): Reflector[] {
    return [...this.clusterWide.values(), ...[...this.perNamespace.values()].flatMap((m) => [...m.values()])];
  }

  private emit(change: CacheChange, immediate = false): void {
    const p = (this.pending ??= { kinds: new Set(), namespaces: new Set(), statusChanged: false });
    for (const k of change.kinds) p.kinds.add(k);
    for (const n of change.namespaces) p.namespaces.add(n);
    p.statusChanged ||= change.statusChanged;
    const flush = () => {
      this.timer = undefined;
      const c = this.pending;
      this.pending = undefined;
      if (c) for (const l of [...this.listeners]) l(c);
    };
    if (immediate) {
      this.timer?.dispose();
      flush();
    } else if (!this.timer) {
      this.timer = timeout(this.opts.debounceMs ?? 150, flush);
    }
  }

  kindState(kind: ResourceKind): KindState {
    if (this.state !== 'ready' || !this.discovery) return { status: 'loading' };
    if (!this.discovery.has(kind))
      return {
        status: 'missing',
        message: `${RESOURCE_DEFS[kind].plural}.${RESOURCE_DEFS[kind].group || 'core'} is not installed (${RESOURCE_DEFS[kind].provides})`,
      };
    const r = this.clusterWide.get(kind);
    if (r) return r.status === 'error' ? { status: 'error', message: r.error?.message } : { status: r.status };
    const byNs = this.perNamespace.get(kind);
    if (byNs) {
      const rs = [...byNs.values()];
      if (rs.some((x) => x.status === 'loading')) return { status: 'loading' };
      if (rs.length > 0 && rs.every((x) => x.status === 'error')) return { status: 'error', message: rs[0].error?.message };
      if (rs.length === 0)
        return { status: 'error', message: `Forbidden (403) to list ${kind} in all namespaces, and no namespace is known to try` };
      return { status: 'ready' };
    }
    return { status: 'loading' };
  }

  /**
   * Namespaces where per-namespace lists failed (e.g. 403): the first message, the kinds that failed,
   * and whether every kind failed there (no access to the tenant at all).
   */
  namespaceErrors(): Map<string, NamespaceError> {
    const out = new Map<string, NamespaceError>();
    for (const [kind, byNs] of this.perNamespace) {
      for (const [ns, r] of byNs) {
        if (r.status !== 'error') continue;
        const e = out.get(ns) ?? { message: r.error?.message ?? 'error', kinds: [], all: false };
        e.kinds.push(kind);
        out.set(ns, e);
      }
    }
    for (const e of out.values()) e.all = e.kinds.length === this.perNamespace.size;
    return out;
  }

  snapshot(): Snapshot {
    const snap: Record<string, KubeObject[]> = {};
    for (const kind of RESOURCE_KINDS) {
      const r = this.clusterWide.get(kind);
      const byNs = this.perNamespace.get(kind);
      if (r) snap[kind] = r.list();
      else if (byNs) snap[kind] = [...byNs.values()].flatMap((x) => x.list());
    }
    // Without permission to list namespaces, the namespaces are the ones tried one by one.
    if (this.clusterWide.get('namespaces')?.status === 'error') {
      snap.namespaces = this.knownNamespaces().map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
    }
    return snap as Snapshot;
  }

  /** Lists done and HTTP requests made, for tests and the benchmark. */
  stats(): { requests: number; lists: number; reflectors: number } {
    const rs = this.allReflectors();
    return { requests: this.client.requestCount, lists: rs.reduce((n, r) => n + r.lists, 0), reflectors: rs.length };
  }

  /** Resolves once discovery is done and no list+watch is still loading its first list. */
  whenSynced(): Promise<void> {
    return new Promise((resolve) => {
      this.syncWaiters.push(resolve);
      this.checkSynced();
    });
  }

  private isSynced(): boolean {
    if (this.state === 'error') return true;
    if (this.state !== 'ready') return false;
    return (
      this.allReflectors().every((r) => r.status !== 'loading') &&
      (this.perNamespace.size === 0 || this.knownNamespaces().length === 0 || [...this.perNamespace.values()].every((m) => m.size > 0))
    );
  }

  private checkSynced(): void {
    if (this.syncWaiters.length > 0 && this.isSynced()) this.resolveSyncWaiters();
  }

  private resolveSyncWaiters(): void {
    for (const w of this.syncWaiters.splice(0)) w();
  }

  /** Ends every backoff wait (the retry action). */
  retryNow(): void {
    for (const r of this.allReflectors()) r.retryNow();
  }
}

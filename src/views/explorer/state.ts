/**
 * What the explorer knows: the kubeconfig (contexts), one `ContextCache` per expanded context (created
 * on expand, disposed with its leased connection on collapse or when the view is hidden, gitlens'
 * subscribe-while-visible), the
 * tenants of each context memoised until the next cache change, the tenant filter, and the results of
 * on-demand credential checks. The caches of one kubeconfig reading live in one store: a reload (a
 * settings change, the refresh button) disposes that store — caches, their subscriptions and their
 * leased connections — before the next reading starts. The kubeconfig files are watched: an edit re-reads
 * them and restarts only the contexts it changed. Change events name the context and the
 * namespaces that changed; the provider turns them into tree refreshes.
 */
import * as vscode from 'vscode';
import { isTenant, tenantsOf, type TenantContent } from '../../core/capi/tenants';
import type { KubeObject } from '../../core/capi/types';
import type { DriftRow } from '../../core/manifests/clusterCredentialState';
import type { ContextCache, LoadedKubeconfig } from '../../kube/api';
import { Disposable, DisposableStore, type IDisposable } from '../../lifecycle';
import type { ExplorerSettings } from '../../services/config';
import type { Connections } from '../../services/connections';
import { kube } from '../../services/kube';

/** What a credential check found for the clusters of one tenant. */
export interface CredentialCheck {
  readonly checkedAt: string;
  readonly drift: ReadonlyMap<string, DriftRow>;
  readonly push: ReadonlyMap<string, { outcome: string; reason?: string }>;
}

export type StateChange =
  | { readonly kind: 'all' }
  | { readonly kind: 'context'; readonly context: string }
  | { readonly kind: 'tenants'; readonly context: string; readonly namespaces: ReadonlySet<string> };

const checkKey = (context: string, namespace: string) => `${context}\u0000${namespace}`;

export class ExplorerState extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<StateChange>());
  readonly onDidChange = this.changed.event;
  private loaded: LoadedKubeconfig | undefined;
  /** Per context of `loaded`, the digest of what its client is built from (to tell what a file change touched). */
  private digests: ReadonlyMap<string, string> = new Map();
  /** Watches the files of `loaded`; re-created with every full reading. */
  private watcher: IDisposable | undefined;
  /** The current kubeconfig reading; none until somebody asks (`ready`). */
  private reading: Promise<void> | undefined;
  /** Caches of the current kubeconfig reading, and everything attached to them. */
  private generation = new DisposableStore();
  private readonly caches = new Map<string, ContextCache>();
  /** Per watched context: its cache and its subscription (disposed on collapse, hide or reload). */
  private readonly stores = new Map<string, DisposableStore>();
  private readonly starting = new Map<string, Promise<ContextCache>>();
  /** The latest start request per context; a stop removes it, so a creation still in flight knows it is not wanted. */
  private readonly wanted = new Map<string, object>();
  /**
   * Contexts the user collapsed and has not expanded since. VS Code may still ask for such a context's
   * children (a request that crossed the collapse, or a refresh it answers for a collapsed node); that
   * request gets no cache, so nothing is listed or watched for a context nobody looks at.
   */
  private readonly collapsed = new Set<string>();
  private readonly models = new Map<string, Map<string, TenantContent>>();
  private readonly checks = new Map<string, CredentialCheck>();
  filter = '';

  constructor(
    private settings: ExplorerSettings,
    private readonly connections: Connections,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this._register({ dispose: () => this.generation.dispose() });
    this._register({ dispose: () => this.watcher?.dispose() });
  }

  /**
   * The current kubeconfig reading (await it before reading `kubeconfig`), started on first use: the
   * tree asks when the view is first shown, so the files (and the Kubernetes bundle that reads them)
   * are not touched at activation.
   */
  get ready(): Promise<void> {
    return (this.reading ??= this.read());
  }

  /** The kubeconfig of the last completed reading. */
  get kubeconfig(): LoadedKubeconfig | undefined {
    return this.loaded;
  }

  get showAllNamespaces(): boolean {
    return this.settings.showAllNamespaces;
  }

  /** Number of live caches (the lifetime tests read it). */
  get cacheCount(): number {
    return this.caches.size;
  }

  private async read(): Promise<void> {
    const loaded = await this.connections.kubeconfig();
    if (this.isDisposed) return;
    const k = await kube();
    this.loaded = loaded;
    this.digests = k.contextDigests(loaded);
    this.watcher?.dispose();
    this.watcher = k.watchKubeconfigFiles(loaded.files, () => {
      if (!this.reading) return;
      this.reading = this.reading
        .then(() => this.followFiles())
        .catch((e: unknown) =>
          this.log.warn(`Explorer: could not re-read the kubeconfig files (${e instanceof Error ? e.name : 'error'})`),
        );
    });
    this.log.info(`Explorer: ${loaded.contexts.length} context(s) from ${loaded.files.length} kubeconfig file(s)`);
    this.changed.fire({ kind: 'all' });
  }

  /**
   * A kubeconfig file was edited, added or removed: re-read the files and restart only the contexts whose
   * context, cluster or user changed (and drop removed ones); the others keep their caches, watches and
   * connections — nothing of theirs is listed again.
   */
  private async followFiles(): Promise<void> {
    const before = this.loaded;
    if (!before || this.isDisposed) return;
    const loaded = await this.connections.kubeconfig();
    if (this.isDisposed) return;
    const k = await kube();
    const digests = k.contextDigests(loaded);
    const c = k.contextChanges(this.digests, digests);
    const listChanged =
      c.added.length > 0 ||
      c.removed.length > 0 ||
      loaded.currentContext !== before.currentContext ||
      JSON.stringify(loaded.errors) !== JSON.stringify(before.errors);
    this.loaded = loaded;
    this.digests = digests;
    if (!listChanged && !c.changed.length) return;
    this.log.info(
      `Explorer: kubeconfig changed: ${c.added.length} context(s) added, ${c.removed.length} removed, ${c.changed.length} changed`,
    );
    const touched = new Set([...c.removed, ...c.changed]);
    this.connections.invalidateContexts(touched);
    for (const context of touched) this.stopContext(context);
    if (listChanged) this.changed.fire({ kind: 'all' });
  }

  /**
   * Re-reads the kubeconfig files and restarts from collapsed contexts; the previous caches are disposed.
   * Before the first reading there is nothing to re-read: the new settings apply when the view is shown.
   */
  reload(settings: ExplorerSettings = this.settings): Promise<void> {
    if (!this.reading) {
      this.settings = settings;
      return Promise.resolve();
    }
    this.settings = settings;
    this.generation.dispose();
    this.generation = new DisposableStore();
    this.caches.clear();
    this.stores.clear();
    this.starting.clear();
    this.wanted.clear();
    this.models.clear();
    this.reading = this.read();
    return this.reading;
  }

  cache(context: string): ContextCache | undefined {
    return this.caches.get(context);
  }

  /** The cache of a context, created and started on first use (it leases the context's connection). */
  startContext(context: string): Promise<ContextCache> {
    const existing = this.caches.get(context);
    if (existing) return Promise.resolve(existing);
    let starting = this.starting.get(context);
    if (!starting) {
      const token = {};
      this.wanted.set(context, token);
      starting = this.create(context, this.generation, token).finally(() => {
        if (this.starting.get(context) === starting) this.starting.delete(context);
      });
      this.starting.set(context, starting);
    }
    return starting;
  }

  private async create(context: string, generation: DisposableStore, token: object): Promise<ContextCache> {
    const store = generation.add(new DisposableStore());
    await this.ready;
    const loaded = this.loaded;
    if (!loaded) throw new Error('The kubeconfig could not be read');
    const k = await kube();
    const conn = await this.connections.context(context, loaded);
    const ctxNs = loaded.merged.getContextObject(context)?.namespace;
    const cache = new k.ContextCache(context, conn, { fallbackNamespaces: [...this.settings.namespaces, ...(ctxNs ? [ctxNs] : [])] });
    store.add(cache);
    // Collapsed, hidden or reloaded while the connection was being leased: nobody wants this cache any more.
    if (store.isDisposed || this.wanted.get(context) !== token) {
      generation.delete(store);
      store.dispose();
      return cache;
    }
    store.add(
      cache.onDidChange((change) => this.onCacheChange(context, change.namespaces, change.statusChanged || change.kinds.has('namespaces'))),
    );
    this.caches.set(context, cache);
    this.stores.set(context, store);
    this.log.info(`Explorer: watching context ${context}`);
    cache.start();
    return cache;
  }

  /** The user expanded the context (or a command reveals something in it): its cache, started on first use. */
  expandContext(context: string): Promise<ContextCache> {
    this.collapsed.delete(context);
    return this.startContext(context);
  }

  /** The user collapsed the context: its cache ends, and until it is expanded again no children request starts one. */
  collapseContext(context: string): void {
    this.collapsed.add(context);
    this.stopContext(context);
  }

  /** The cache for a children request of VS Code; undefined while the context is collapsed. */
  cacheForChildren(context: string): Promise<ContextCache> | undefined {
    return this.collapsed.has(context) ? undefined : this.startContext(context);
  }

  /** Stops watching: the cache, its subscription and its leased connection are disposed (a new expand starts afresh). */
  stopContext(context: string): void {
    this.starting.delete(context);
    this.wanted.delete(context);
    const store = this.stores.get(context);
    if (!store) return;
    this.log.info(`Explorer: stopped watching context ${context}`);
    this.stores.delete(context);
    this.caches.delete(context);
    this.generation.delete(store);
    store.dispose();
    this.models.delete(context);
    this.changed.fire({ kind: 'context', context });
  }

  stopAll(): void {
    for (const c of [...this.stores.keys(), ...this.starting.keys()]) this.stopContext(c);
  }

  /**
   * After a write of ours: the watches deliver it, so nothing is re-listed (a relist empties the context for
   * a moment and VS Code forgets which rows were expanded); only a watch waiting in its backoff is woken.
   */
  nudge(context: string): void {
    this.caches.get(context)?.retryNow();
  }

  retry(context: string): void {
    const cache = this.caches.get(context);
    if (!cache) return;
    this.models.delete(context);
    cache.refresh();
  }

  /** Tenant filter or show-all changed: the tenant level of every context re-renders. */
  setView(opts: { filter?: string; showAllNamespaces?: boolean }): void {
    if (opts.filter !== undefined) this.filter = opts.filter;
    if (opts.showAllNamespaces !== undefined) this.settings = { ...this.settings, showAllNamespaces: opts.showAllNamespaces };
    this.models.clear();
    this.changed.fire({ kind: 'all' });
  }

  /** The workload clusters of a tenant as the cache holds them. */
  tenantClusters(context: string, namespace: string): readonly KubeObject[] {
    return this.tenant(context, namespace)?.clusters ?? [];
  }

  /** Shows the result of a drift check (and the last direct push) on the tenant's cluster nodes. */
  setCredentialCheck(context: string, namespace: string, check: CredentialCheck): void {
    this.checks.set(checkKey(context, namespace), check);
    this.changed.fire({ kind: 'tenants', context, namespaces: new Set([namespace]) });
  }

  credentialCheck(context: string, namespace: string): CredentialCheck | undefined {
    return this.checks.get(checkKey(context, namespace));
  }

  private onCacheChange(context: string, namespaces: Set<string>, structural: boolean): void {
    const before = this.models.get(context);
    this.models.delete(context);
    if (structural || !before) return this.changed.fire({ kind: 'context', context });
    const after = this.tenants(context);
    const same = before.size === after.size && [...before.keys()].every((k) => after.has(k));
    if (!same) return this.changed.fire({ kind: 'context', context });
    this.changed.fire({ kind: 'tenants', context, namespaces });
  }

  /** Tenants of a context (before the text filter), memoised until the next cache change. */
  tenants(context: string): Map<string, TenantContent> {
    let m = this.models.get(context);
    if (m) return m;
    const cache = this.caches.get(context);
    m = new Map();
    if (cache) {
      const errors = cache.namespaceErrors();
      const all = tenantsOf(cache.snapshot(), { showAll: true });
      for (const t of all) if (this.settings.showAllNamespaces || errors.get(t.namespace)?.all || isTenant(t)) m.set(t.namespace, t);
    }
    this.models.set(context, m);
    return m;
  }

  tenant(context: string, ns: string): TenantContent | undefined {
    return this.tenants(context).get(ns);
  }
}

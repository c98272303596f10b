/**
 * The management-cluster explorer: kubeconfig contexts → tenants → groups (workload clusters, cluster
 * stacks, credentials, ClusterResourceSets). Each context's `ContextCache` starts when the context is
 * expanded and stops when it is collapsed or the view is hidden (gitlens' subscribe-while-visible);
 * cache changes refresh only the tenant nodes whose namespace changed, or the context node when the
 * tenant set or a state changed. Errors are nodes with a retry action, never thrown.
 */
import * as vscode from 'vscode';
import { clusterCredentials, resourceSetFailure } from '../core/capi/credentials';
import { credentialNodeView, type DriftRow } from '../core/manifests/clusterCredentialState';
import { type ClusterStatus, clusterStatus } from '../core/capi/status';
import { clusterStackState, releaseState } from '../core/capi/stacks';
import { RESOURCE_KINDS, type SecretSummary, type TenantContent, isKubeconfigSecret, isTenant, tenantsOf } from '../core/capi/tenants';
import { type KubeObject, field, oneLine } from '../core/capi/types';
import { ContextCache } from '../kube/cache';
import { type LoadedKubeconfig, forContext, kubeconfigPaths, loadKubeconfigs } from '../kube/kubeconfig';
import { Disposable } from '../lifecycle';
import { clusterLabel, clusterTooltip, credentialsIcon, healthIcon, readinessIcon, severityIcon } from './items';
import { type ExplorerNode, type GroupKind, NodeRegistry, ids } from './nodes';

export interface ExplorerSettings {
  kubeconfigPaths: string[];
  showAllNamespaces: boolean;
  /** Namespaces to try one by one when the user may not list namespaces. */
  namespaces: string[];
}

const GROUPS: { group: GroupKind; label: string; icon: string }[] = [
  { group: 'clusters', label: 'Workload clusters', icon: 'server' },
  { group: 'stacks', label: 'Cluster stacks', icon: 'layers' },
  { group: 'credentials', label: 'Credentials', icon: 'key' },
  { group: 'resourceSets', label: 'ClusterResourceSets', icon: 'package' },
];

/** A plain, serialisable view of the rendered tree (tests and the benchmark read it). */
export interface TreeSnapshot {
  id?: string;
  label: string;
  description?: string;
  tooltip?: string;
  contextValue?: string;
  icon?: string;
  color?: string;
  children?: TreeSnapshot[];
}

const statusMemo = new WeakMap<KubeObject, ClusterStatus>();
function statusOf(o: KubeObject): ClusterStatus {
  let s = statusMemo.get(o);
  if (!s) statusMemo.set(o, (s = clusterStatus(o)));
  return s;
}

export class ExplorerProvider extends Disposable implements vscode.TreeDataProvider<ExplorerNode> {
  private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<ExplorerNode | undefined>());
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private loaded: LoadedKubeconfig;
  private readonly caches = new Map<string, ContextCache>();
  private readonly models = new Map<string, Map<string, TenantContent>>();
  private readonly registry = new NodeRegistry();
  /** Results of the last on-demand credential check per tenant (states and reasons only, never values). */
  private readonly checks = new Map<string, CredentialCheck>();
  filter = '';

  constructor(
    private settings: ExplorerSettings,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.loaded = loadKubeconfigs(kubeconfigPaths(settings.kubeconfigPaths));
  }

  /** Re-reads the kubeconfig files and restarts from collapsed contexts. */
  reload(settings: ExplorerSettings): void {
    this.settings = settings;
    for (const c of this.caches.values()) c.dispose();
    this.caches.clear();
    this.models.clear();
    this.loaded = loadKubeconfigs(kubeconfigPaths(settings.kubeconfigPaths));
    this.log.info(`Explorer: ${this.loaded.contexts.length} context(s) from ${this.loaded.files.length} kubeconfig file(s)`);
    this._onDidChangeTreeData.fire(undefined);
  }

  /** The workload clusters of a tenant as the cache holds them. */
  tenantClusters(context: string, namespace: string): readonly KubeObject[] {
    return this.tenant(context, namespace)?.clusters ?? [];
  }

  /** Shows the result of a drift check (and the last direct push) on the tenant's cluster nodes. */
  setCredentialCheck(context: string, namespace: string, check: CredentialCheck): void {
    this.checks.set(checkKey(context, namespace), check);
    const node = this.registry.find(ids.tenant(context, namespace));
    this._onDidChangeTreeData.fire(node);
  }

  /** Tenant filter or show-all changed: the tenant level of every context re-renders. */
  setView(opts: { filter?: string; showAllNamespaces?: boolean }): void {
    if (opts.filter !== undefined) this.filter = opts.filter;
    if (opts.showAllNamespaces !== undefined) this.settings = { ...this.settings, showAllNamespaces: opts.showAllNamespaces };
    this.models.clear();
    this._onDidChangeTreeData.fire(undefined);
  }

  get showAllNamespaces(): boolean {
    return this.settings.showAllNamespaces;
  }

  cache(context: string): ContextCache | undefined {
    return this.caches.get(context);
  }

  /** The cache of a context, created (not started) on first use. */
  cacheFor(context: string): ContextCache {
    let cache = this.caches.get(context);
    if (cache) return cache;
    const kc = forContext(this.loaded, context);
    const ctxNs = this.loaded.merged.getContextObject(context)?.namespace;
    cache = new ContextCache(context, kc, { fallbackNamespaces: [...this.settings.namespaces, ...(ctxNs ? [ctxNs] : [])] });
    this.caches.set(context, cache);
    this._register(cache);
    this._register(
      cache.onDidChange((change) => this.onCacheChange(context, change.namespaces, change.statusChanged || change.kinds.has('namespaces'))),
    );
    return cache;
  }

  startContext(context: string): ContextCache {
    const cache = this.cacheFor(context);
    if (!cache.started) {
      this.log.info(`Explorer: watching context ${context}`);
      cache.start();
    }
    return cache;
  }

  stopContext(context: string): void {
    const cache = this.caches.get(context);
    if (!cache?.started) return;
    this.log.info(`Explorer: stopped watching context ${context}`);
    cache.stop();
    this.models.delete(context);
    this.registry.dropContext(context);
    const node = this.registry.find(ids.context(context));
    if (node) this._onDidChangeTreeData.fire(node);
  }

  stopAll(): void {
    for (const c of this.caches.keys()) this.stopContext(c);
  }

  retry(context: string): void {
    const cache = this.caches.get(context);
    if (!cache) return;
    this.models.delete(context);
    cache.refresh();
  }

  private onCacheChange(context: string, namespaces: Set<string>, structural: boolean): void {
    const before = this.models.get(context);
    this.models.delete(context);
    const ctxNode = this.registry.find(ids.context(context));
    if (!ctxNode) return;
    if (structural || !before) return this._onDidChangeTreeData.fire(ctxNode);
    const after = this.model(context);
    const same = before.size === after.size && [...before.keys()].every((k) => after.has(k));
    if (!same) return this._onDidChangeTreeData.fire(ctxNode);
    for (const ns of namespaces) {
      const node = this.registry.find(ids.tenant(context, ns));
      if (node) this._onDidChangeTreeData.fire(node);
    }
  }

  /** Tenants of a context (before the text filter), memoised until the next cache change. */
  private model(context: string): Map<string, TenantContent> {
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

  private tenant(context: string, ns: string): TenantContent | undefined {
    return this.model(context).get(ns);
  }

  // ---- TreeDataProvider ---------------------------------------------------------------------

  getChildren(node?: ExplorerNode): ExplorerNode[] {
    if (!node) return this.rootChildren();
    switch (node.type) {
      case 'context':
        return this.contextChildren(node.context);
      case 'tenant':
        return this.tenantChildren(node.context, node.namespace);
      case 'group':
        return this.groupChildren(node.context, node.namespace, node.group);
      case 'object':
        return this.objectChildren(node);
      default:
        return [];
    }
  }

  private rootChildren(): ExplorerNode[] {
    const out: ExplorerNode[] = this.loaded.errors.map((e, i) =>
      this.registry.get({
        type: 'message',
        id: `kubeconfig-error:${i}`,
        severity: 'error',
        label: `Cannot read ${e.file}`,
        detail: e.message,
      }),
    );
    if (this.loaded.contexts.length === 0) {
      out.push(
        this.registry.get({
          type: 'message',
          id: 'no-contexts',
          severity: 'info',
          label: 'No kubeconfig contexts found',
          detail: `Looked in: ${this.loaded.files.join(', ')}. Set KUBECONFIG or the setting clusterStacks.kubeconfigPaths.`,
        }),
      );
    }
    for (const c of this.loaded.contexts) out.push(this.registry.get({ type: 'context', id: ids.context(c.name), context: c.name }));
    return out;
  }

  private message(
    context: string,
    key: string,
    severity: 'info' | 'error' | 'loading',
    label: string,
    detail?: string,
    retry = false,
  ): ExplorerNode {
    return this.registry.get({ type: 'message', id: `${ids.context(context)}/msg:${key}`, context, severity, label, detail, retry });
  }

  private contextChildren(context: string): ExplorerNode[] {
    let cache: ContextCache;
    try {
      cache = this.startContext(context);
    } catch (e) {
      return [this.message(context, 'config', 'error', e instanceof Error ? e.message : String(e))];
    }
    if (cache.state === 'connecting' || cache.state === 'idle') return [this.message(context, 'connecting', 'loading', 'Connecting…')];
    if (cache.state === 'error')
      return [this.message(context, 'error', 'error', cache.error?.message ?? 'Cannot connect', undefined, true)];
    const out: ExplorerNode[] = [];
    const clusters = cache.kindState('clusters');
    const stacks = cache.kindState('clusterstacks');
    if (clusters.status === 'missing')
      out.push(this.message(context, 'no-capi', 'info', 'Cluster API is not installed on this cluster', clusters.message));
    if (stacks.status === 'missing')
      out.push(this.message(context, 'no-cso', 'info', 'The cluster-stack operator is not installed on this cluster', stacks.message));
    for (const kind of RESOURCE_KINDS) {
      const st = cache.kindState(kind);
      if (st.status !== 'error') continue;
      if (kind === 'namespaces') {
        out.push(
          this.message(
            context,
            'err-namespaces',
            'info',
            'Namespaces cannot be listed with these credentials',
            `Showing the context's namespace and the setting clusterStacks.explorer.namespaces. ${st.message ?? ''}`,
          ),
        );
      } else {
        out.push(this.message(context, `err-${kind}`, 'error', `Cannot list ${kind}: ${st.message ?? 'error'}`, undefined, true));
      }
    }
    const loading = ['namespaces', 'clusters', 'secrets'].some((k) => cache.kindState(k as 'clusters').status === 'loading');
    if (loading) out.push(this.message(context, 'loading', 'loading', 'Loading…'));
    const filter = this.filter.trim().toLowerCase();
    const tenants = [...this.model(context).values()].filter((t) => !filter || t.namespace.toLowerCase().includes(filter));
    for (const t of tenants)
      out.push(this.registry.get({ type: 'tenant', id: ids.tenant(context, t.namespace), context, namespace: t.namespace }));
    if (!loading && tenants.length === 0) {
      out.push(
        this.message(
          context,
          'no-tenants',
          'info',
          filter ? `No tenant matches "${this.filter}"` : 'No tenants',
          'Tenants are namespaces holding a ClusterStack, ClusterClass, Cluster or a Secret with a clouds.yaml key. Use "Show All Namespaces" to list every namespace.',
        ),
      );
    }
    return out;
  }

  private tenantChildren(context: string, ns: string): ExplorerNode[] {
    const out: ExplorerNode[] = [];
    const err = this.caches.get(context)?.namespaceErrors().get(ns);
    if (err)
      out.push(
        this.message(
          context,
          `ns-err:${ns}`,
          'error',
          err.all ? err.message : `Cannot list ${err.kinds.join(', ')} here`,
          err.all ? undefined : err.message,
          true,
        ),
      );
    for (const g of GROUPS)
      out.push(this.registry.get({ type: 'group', id: ids.group(context, ns, g.group), context, namespace: ns, group: g.group }));
    return out;
  }

  private groupChildren(context: string, ns: string, group: GroupKind): ExplorerNode[] {
    const t = this.tenant(context, ns);
    if (!t) return [];
    const obj = (kind: Extract<ExplorerNode, { type: 'object' }>['kind'], o: KubeObject): ExplorerNode =>
      this.registry.get({
        type: 'object',
        id: ids.object(context, ns, kind, o.metadata?.name ?? ''),
        context,
        namespace: ns,
        kind,
        name: o.metadata?.name ?? '',
      });
    switch (group) {
      case 'clusters':
        return byName(t.clusters).map((o) => obj('clusters', o));
      case 'stacks': {
        const owned = new Set(t.clusterStacks.map((s) => s.metadata?.name));
        const orphanReleases = t.releases.filter((r) => !owned.has(releaseState(r).owner));
        return [
          ...byName(t.clusterStacks).map((o) => obj('clusterstacks', o)),
          ...byName(orphanReleases).map((o) => obj('clusterstackreleases', o)),
          ...byName(t.clusterClasses).map((o) => obj('clusterclasses', o)),
        ];
      }
      case 'credentials':
        return byName(t.credentials).map((o) => obj('secrets', o));
      case 'resourceSets':
        return byName(t.resourceSets).map((o) => obj('clusterresourcesets', o));
    }
  }

  private objectChildren(node: Extract<ExplorerNode, { type: 'object' }>): ExplorerNode[] {
    const t = this.tenant(node.context, node.namespace);
    if (!t) return [];
    if (node.kind === 'clusters') {
      const c = t.clusters.find((o) => o.metadata?.name === node.name);
      if (!c) return [];
      const base = `${node.id}/`;
      const out: ExplorerNode[] = [
        this.registry.get({
          type: 'clusterCredentials',
          id: `${base}credentials`,
          context: node.context,
          namespace: node.namespace,
          cluster: node.name,
        }),
      ];
      for (const g of statusOf(c).issues) {
        for (const cond of g.conditions) {
          out.push(
            this.registry.get({
              type: 'condition',
              id: `${base}cond:${cond.type}`,
              context: node.context,
              namespace: node.namespace,
              cluster: node.name,
              group: g.group,
              condition: cond.type,
            }),
          );
        }
      }
      return out;
    }
    if (node.kind === 'clusterstacks') {
      return byName(t.releases.filter((r) => releaseState(r).owner === node.name)).map((r) =>
        this.registry.get({
          type: 'release',
          id: `${node.id}/release:${r.metadata?.name}`,
          context: node.context,
          namespace: node.namespace,
          name: r.metadata?.name ?? '',
        }),
      );
    }
    return [];
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    const None = vscode.TreeItemCollapsibleState.None;
    const Collapsed = vscode.TreeItemCollapsibleState.Collapsed;
    switch (node.type) {
      case 'context': {
        const ctx = this.loaded.merged.getContextObject(node.context);
        const server = ctx ? this.loaded.merged.getCluster(ctx.cluster)?.server : undefined;
        const item = new vscode.TreeItem(node.context, Collapsed);
        item.id = node.id;
        const started = this.caches.get(node.context)?.started;
        item.description = [node.context === this.loaded.currentContext ? 'current' : undefined, server].filter(Boolean).join(' · ');
        item.tooltip = `Context ${node.context}${server ? `\nServer ${server}` : ''}${ctx?.namespace ? `\nNamespace ${ctx.namespace}` : ''}`;
        item.iconPath = new vscode.ThemeIcon(started ? 'vm-active' : 'vm-outline');
        item.contextValue = started ? 'context watching' : 'context';
        return item;
      }
      case 'tenant':
        return this.tenantItem(node);
      case 'group':
        return this.groupItem(node);
      case 'object':
        return this.objectItem(node);
      case 'condition': {
        const c = this.tenant(node.context, node.namespace)?.clusters.find((o) => o.metadata?.name === node.cluster);
        const issue =
          c &&
          statusOf(c)
            .issues.find((g) => g.group === node.group)
            ?.conditions.find((x) => x.type === node.condition);
        const item = new vscode.TreeItem(node.condition, None);
        item.id = node.id;
        if (issue) {
          item.description = `${node.group} · ${issue.status}${issue.reason ? ` · ${issue.reason}` : ''}${issue.message ? ` · ${oneLine(issue.message)}` : ''}`;
          item.tooltip = `${node.group} / ${issue.type} = ${issue.status}${issue.reason ? ` (${issue.reason})` : ''}\n\n${issue.message ?? ''}`;
          item.iconPath = severityIcon(issue.severity);
        }
        item.contextValue = 'condition';
        return item;
      }
      case 'clusterCredentials': {
        const t = this.tenant(node.context, node.namespace);
        const c = t?.clusters.find((o) => o.metadata?.name === node.cluster);
        const item = new vscode.TreeItem('Cloud credentials', None);
        item.id = node.id;
        if (t && c) {
          const check = this.checks.get(checkKey(node.context, node.namespace));
          const drift = check?.drift.get(node.cluster);
          const push = check?.push.get(node.cluster);
          const v = credentialNodeView({
            cluster: c,
            resourceSets: t.resourceSets,
            bindings: t.bindings,
            secrets: t.secrets,
            ...(drift && check ? { drift: { ...drift, checkedAt: check.checkedAt } } : {}),
            ...(push ? { push } : {}),
          });
          item.label = v.label;
          item.description = v.description;
          item.iconPath = credentialsIcon(v.state);
          item.tooltip = v.tooltip;
          item.contextValue = `credentials credentials-${v.state}`;
          return item;
        }
        item.contextValue = 'credentials';
        return item;
      }
      case 'release': {
        const r = this.tenant(node.context, node.namespace)?.releases.find((o) => o.metadata?.name === node.name);
        const item = new vscode.TreeItem(node.name, None);
        item.id = node.id;
        if (r) {
          const st = releaseState(r);
          item.description = [st.readiness, st.kubernetesVersion].filter(Boolean).join(' · ');
          item.tooltip = st.reason;
          item.iconPath = readinessIcon(st.readiness);
        }
        item.contextValue = 'object release';
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.label, None);
        item.id = node.id;
        item.description = node.detail;
        item.tooltip = [node.label, node.detail].filter(Boolean).join('\n\n');
        item.iconPath =
          node.severity === 'error'
            ? new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'))
            : node.severity === 'loading'
              ? new vscode.ThemeIcon('loading~spin')
              : new vscode.ThemeIcon('info');
        item.contextValue = node.retry ? 'message retry' : 'message';
        if (node.retry && node.context) item.command = { command: 'clusterStacks.explorer.retry', title: 'Retry', arguments: [node] };
        return item;
      }
    }
  }

  private tenantItem(node: Extract<ExplorerNode, { type: 'tenant' }>): vscode.TreeItem {
    const t = this.tenant(node.context, node.namespace);
    const err = this.caches.get(node.context)?.namespaceErrors().get(node.namespace);
    const item = new vscode.TreeItem(node.namespace, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = node.id;
    item.contextValue = 'tenant';
    if (err?.all) {
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
      item.description = 'no access';
      item.tooltip = err.message;
      return item;
    }
    const statuses = (t?.clusters ?? []).map(statusOf);
    const failed = statuses.filter((s) => s.health === 'failed').length;
    const progressing = statuses.filter((s) => s.health === 'progressing').length;
    const parts = [`${statuses.length} cluster${statuses.length === 1 ? '' : 's'}`];
    if (failed) parts.push(`${failed} failed`);
    if (progressing) parts.push(`${progressing} progressing`);
    if (err) parts.push(`no access to ${err.kinds.join(', ')}`);
    item.description = parts.join(' · ');
    item.iconPath = new vscode.ThemeIcon('organization', failed ? new vscode.ThemeColor('testing.iconFailed') : undefined);
    item.tooltip = `Tenant namespace ${node.namespace}\n${t?.clusterStacks.length ?? 0} cluster stack(s), ${t?.credentials.length ?? 0} credentials secret(s)`;
    return item;
  }

  private groupItem(node: Extract<ExplorerNode, { type: 'group' }>): vscode.TreeItem {
    const t = this.tenant(node.context, node.namespace);
    const g = GROUPS.find((x) => x.group === node.group) ?? GROUPS[0];
    const count =
      node.group === 'clusters'
        ? t?.clusters.length
        : node.group === 'stacks'
          ? (t?.clusterStacks.length ?? 0) + (t?.clusterClasses.length ?? 0)
          : node.group === 'credentials'
            ? t?.credentials.length
            : t?.resourceSets.length;
    const item = new vscode.TreeItem(g.label, count ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = String(count ?? 0);
    item.iconPath = new vscode.ThemeIcon(g.icon);
    item.contextValue = `group ${node.group}`;
    return item;
  }

  private objectItem(node: Extract<ExplorerNode, { type: 'object' }>): vscode.TreeItem {
    const t = this.tenant(node.context, node.namespace);
    const None = vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(node.name, None);
    item.id = node.id;
    item.contextValue = `object ${node.kind}`;
    if (!t) return item;
    switch (node.kind) {
      case 'clusters': {
        const c = t.clusters.find((o) => o.metadata?.name === node.name);
        if (!c) return item;
        const s = statusOf(c);
        const cred = clusterCredentials(c, t.resourceSets, t.bindings);
        item.label = clusterLabel(s);
        item.description = s.phase ?? s.health;
        item.iconPath = healthIcon(s.health);
        item.tooltip = clusterTooltip(s, cred);
        item.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
        const hasKubeconfig = t.secrets.some((x) => x.metadata?.name === `${node.name}-kubeconfig` && isKubeconfigSecret(x));
        item.contextValue = `object clusters health-${s.health}${hasKubeconfig ? ' hasKubeconfig' : ''}`;
        return item;
      }
      case 'clusterstacks': {
        const o = t.clusterStacks.find((x) => x.metadata?.name === node.name);
        if (!o) return item;
        const st = clusterStackState(o);
        item.description = `${st.stack} · ${st.readiness}`;
        item.tooltip = `${st.reason}${st.latestRelease ? `\nLatest release: ${st.latestRelease}` : ''}${st.usableVersions ? `\nUsable versions: ${st.usableVersions}` : ''}`;
        item.iconPath = readinessIcon(st.readiness);
        item.collapsibleState = t.releases.some((r) => releaseState(r).owner === node.name)
          ? vscode.TreeItemCollapsibleState.Collapsed
          : None;
        return item;
      }
      case 'clusterstackreleases': {
        const o = t.releases.find((x) => x.metadata?.name === node.name);
        if (!o) return item;
        const st = releaseState(o);
        item.description = `ClusterStackRelease · ${st.readiness}`;
        item.tooltip = st.reason;
        item.iconPath = readinessIcon(st.readiness);
        return item;
      }
      case 'clusterclasses':
        item.description = 'ClusterClass';
        item.iconPath = new vscode.ThemeIcon('symbol-class');
        return item;
      case 'secrets': {
        const s: SecretSummary | undefined = t.secrets.find((x) => x.metadata?.name === node.name);
        item.description = s ? s.keys.join(', ') : undefined;
        item.tooltip = s
          ? `Secret ${node.namespace}/${node.name}\nType: ${s.type ?? 'Opaque'}\nKeys: ${s.keys.join(', ')}\n(values are never shown)`
          : undefined;
        item.iconPath = new vscode.ThemeIcon('key');
        return item;
      }
      case 'clusterresourcesets': {
        const o = t.resourceSets.find((x) => x.metadata?.name === node.name);
        if (!o) return item;
        const failure = resourceSetFailure(o);
        const sel = field(o, 'spec', 'clusterSelector', 'matchLabels') as Record<string, string> | undefined;
        const bound = t.bindings.filter((b) =>
          JSON.stringify(field(b, 'spec', 'bindings') ?? []).includes(`"clusterResourceSetName":"${node.name}"`),
        ).length;
        item.description = [
          sel
            ? Object.entries(sel)
                .map(([k, v]) => `${k}=${v}`)
                .join(',')
            : undefined,
          `${bound} bound`,
          failure ? 'failed' : undefined,
        ]
          .filter(Boolean)
          .join(' · ');
        item.tooltip = failure ?? `ClusterResourceSet ${node.name}`;
        item.iconPath = failure
          ? new vscode.ThemeIcon('package', new vscode.ThemeColor('testing.iconFailed'))
          : new vscode.ThemeIcon('package');
        return item;
      }
      default:
        return item;
    }
  }

  /** Renders the tree; contexts listed in `expand` (all when omitted) are started and awaited first. */
  async snapshot(opts: { expand?: string[]; timeoutMs?: number } = {}): Promise<TreeSnapshot[]> {
    const targets = opts.expand ?? this.loaded.contexts.map((c) => c.name);
    await Promise.all(
      targets.map(async (name) => {
        const cache = this.startContext(name);
        await Promise.race([cache.whenSynced(), new Promise((r) => setTimeout(r, opts.timeoutMs ?? 20_000))]);
      }),
    );
    const walk = (node: ExplorerNode): TreeSnapshot => {
      const item = this.getTreeItem(node);
      const icon = item.iconPath instanceof vscode.ThemeIcon ? item.iconPath : undefined;
      const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
      const tooltip = typeof item.tooltip === 'string' ? item.tooltip : item.tooltip?.value;
      const expand = node.type !== 'context' || targets.includes(node.context);
      const children =
        item.collapsibleState !== vscode.TreeItemCollapsibleState.None && expand ? this.getChildren(node).map(walk) : undefined;
      return {
        id: item.id,
        label,
        description: typeof item.description === 'string' ? item.description : undefined,
        tooltip,
        contextValue: item.contextValue,
        icon: icon?.id,
        color: icon?.color?.id,
        children,
      };
    };
    return this.getChildren().map(walk);
  }
}

/** What a credential check found for the clusters of one tenant. */
export interface CredentialCheck {
  readonly checkedAt: string;
  readonly drift: ReadonlyMap<string, DriftRow>;
  readonly push: ReadonlyMap<string, { outcome: string; reason?: string }>;
}

const checkKey = (context: string, namespace: string) => `${context}\u0000${namespace}`;

function byName<T extends KubeObject>(list: readonly T[]): T[] {
  return [...list].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}

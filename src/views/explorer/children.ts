/**
 * The explorer's tree structure: the children of each node, from the explorer state. Node objects come
 * from the registry (one object per id, so VS Code matches refreshed elements); errors are message
 * nodes (with a retry action where a retry can help), never thrown.
 */
import { blockingHooks, hookReason } from '../../core/capi/status';
import { RESOURCE_KINDS } from '../../core/capi/tenants';
import type { KubeObject } from '../../core/capi/types';
import { releaseState } from '../../core/capi/stacks';
import { pauseState } from '../../core/ops/pause';
import type { ContextCache } from '../../kube/api';
import { type ExplorerNode, type GroupKind, type NodeRegistry, ids } from './nodes';
import { GROUPS, healthOf } from './render';
import type { ExplorerState } from './state';

function byName<T extends KubeObject>(list: readonly T[]): T[] {
  return [...list].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}

export class Children {
  constructor(
    private readonly state: ExplorerState,
    private readonly registry: NodeRegistry,
  ) {}

  root(): ExplorerNode[] {
    const loaded = this.state.kubeconfig;
    if (!loaded) return [];
    const out: ExplorerNode[] = loaded.errors.map((e, i) =>
      this.registry.get({
        type: 'message',
        id: `kubeconfig-error:${i}`,
        severity: 'error',
        label: `Cannot read ${e.file}`,
        detail: e.message,
      }),
    );
    if (loaded.contexts.length === 0) {
      out.push(
        this.registry.get({
          type: 'message',
          id: 'no-contexts',
          severity: 'info',
          label: 'No kubeconfig contexts found',
          detail: `Looked in: ${loaded.files.join(', ')}. Set KUBECONFIG or the setting clusterStacks.kubeconfigPaths.`,
        }),
      );
    }
    for (const c of loaded.contexts) out.push(this.registry.get({ type: 'context', id: ids.context(c.name), context: c.name }));
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

  /**
   * The children of a context from its cache (`ExplorerState.cacheForChildren`); a collapsed context (no
   * cache) and a stopped one show as connecting until an expansion starts the cache.
   */
  async context(context: string, starting: Promise<ContextCache> | undefined): Promise<ExplorerNode[]> {
    let cache: ContextCache | undefined;
    try {
      cache = await starting;
    } catch (e) {
      return [this.message(context, 'config', 'error', e instanceof Error ? e.message : String(e))];
    }
    if (!cache || cache.state === 'connecting' || cache.state === 'idle')
      return [this.message(context, 'connecting', 'loading', 'Connecting…')];
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
      if (kind === 'openstackclusteridentities') {
        // Cluster-scoped: a tenant's user usually may not list them; only clusters that use one lose their source.
        out.push(
          this.message(
            context,
            'err-identities',
            'info',
            'OpenStackClusterIdentities cannot be listed with these credentials',
            `Clusters whose identityRef is a ClusterIdentity show their credentials as unresolved. ${st.message ?? ''}`,
          ),
        );
      } else if (kind === 'namespaces') {
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
    const filter = this.state.filter.trim().toLowerCase();
    const tenants = [...this.state.tenants(context).values()].filter((t) => !filter || t.namespace.toLowerCase().includes(filter));
    for (const t of tenants)
      out.push(this.registry.get({ type: 'tenant', id: ids.tenant(context, t.namespace), context, namespace: t.namespace }));
    if (!loading && tenants.length === 0) {
      out.push(
        this.message(
          context,
          'no-tenants',
          'info',
          filter ? `No tenant matches "${this.state.filter}"` : 'No tenants',
          'Tenants are namespaces holding a ClusterStack, ClusterClass, Cluster or a Secret with a clouds.yaml key. Use "Show All Namespaces" to list every namespace.',
        ),
      );
    }
    return out;
  }

  tenant(context: string, ns: string): ExplorerNode[] {
    const out: ExplorerNode[] = [];
    const err = this.state.cache(context)?.namespaceErrors().get(ns);
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

  group(context: string, ns: string, group: GroupKind): ExplorerNode[] {
    const t = this.state.tenant(context, ns);
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

  object(node: Extract<ExplorerNode, { type: 'object' }>): ExplorerNode[] {
    const t = this.state.tenant(node.context, node.namespace);
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
      const paused = pauseState(c);
      // What pausing means, on the node itself (the confirmation said it once; the tree keeps saying it).
      if (paused.paused) out.push(this.message(node.context, `${base}paused`, 'info', 'Reconciliation paused', paused.effect));
      const { issues } = healthOf(c, t).status;
      for (const g of issues) {
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
      // A blocking lifecycle hook on its own row, with what it waits for (the cluster-stack operator's hook: the
      // ClusterAddon): Cluster API's TopologyReconciled message names the hook only.
      const topology = issues.flatMap((g) => g.conditions).find((x) => x.type === 'TopologyReconciled');
      const hooks = blockingHooks(topology);
      if (hooks.length)
        out.push(
          this.message(
            node.context,
            `${base}hook`,
            'info',
            `Held by ${hooks.join(', ')}`,
            // What it waits for, without the hook's name (the label has it).
            hookReason(c, hooks, { clusterAddons: t.clusterAddons })
              .replace(/^TopologyReconciled: lifecycle hook .* is blocking[:;] /, '')
              .replace(/^TopologyReconciled: /, ''),
          ),
        );
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
}

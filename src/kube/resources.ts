/**
 * Where each resource type the explorer watches lives in the API, and which version a server prefers
 * (Cluster API serves v1beta1 and v1beta2; older servers v1alpha3/4) and whether a CRD is installed at
 * all — read through the client's discovery cache (discovery.ts), in one attempt each: the explorer's
 * cache has its own reconnect backoff.
 */
import type { ResourceKind } from '../core/capi/tenants';
import { NO_RETRY, type KubeClient } from './client';

export interface ResourceDef {
  kind: ResourceKind;
  group: string; // '' = core
  plural: string;
  namespaced: boolean;
  /** Human name of what is missing when the group or resource is absent. */
  provides: string;
  /** Extra query for the list/watch (secrets: skip types the tree never shows). */
  fieldSelector?: string;
}

export const RESOURCE_DEFS: Record<ResourceKind, ResourceDef> = {
  namespaces: { kind: 'namespaces', group: '', plural: 'namespaces', namespaced: false, provides: 'Kubernetes core' },
  secrets: {
    kind: 'secrets',
    group: '',
    plural: 'secrets',
    namespaced: true,
    provides: 'Kubernetes core',
    fieldSelector: 'type!=kubernetes.io/service-account-token,type!=helm.sh/release.v1,type!=bootstrap.kubernetes.io/token',
  },
  clusters: { kind: 'clusters', group: 'cluster.x-k8s.io', plural: 'clusters', namespaced: true, provides: 'Cluster API' },
  clusterclasses: {
    kind: 'clusterclasses',
    group: 'cluster.x-k8s.io',
    plural: 'clusterclasses',
    namespaced: true,
    provides: 'Cluster API',
  },
  clusterresourcesets: {
    kind: 'clusterresourcesets',
    group: 'addons.cluster.x-k8s.io',
    plural: 'clusterresourcesets',
    namespaced: true,
    provides: 'Cluster API ClusterResourceSets',
  },
  clusterresourcesetbindings: {
    kind: 'clusterresourcesetbindings',
    group: 'addons.cluster.x-k8s.io',
    plural: 'clusterresourcesetbindings',
    namespaced: true,
    provides: 'Cluster API ClusterResourceSets',
  },
  clusterstacks: {
    kind: 'clusterstacks',
    group: 'clusterstack.x-k8s.io',
    plural: 'clusterstacks',
    namespaced: true,
    provides: 'the cluster-stack operator',
  },
  clusteraddons: {
    kind: 'clusteraddons',
    group: 'clusterstack.x-k8s.io',
    plural: 'clusteraddons',
    namespaced: true,
    provides: 'the cluster-stack operator',
  },
  clusterstackreleases: {
    kind: 'clusterstackreleases',
    group: 'clusterstack.x-k8s.io',
    plural: 'clusterstackreleases',
    namespaced: true,
    provides: 'the cluster-stack operator',
  },
  openstackclusters: {
    kind: 'openstackclusters',
    group: 'infrastructure.cluster.x-k8s.io',
    plural: 'openstackclusters',
    namespaced: true,
    provides: 'Cluster API Provider OpenStack',
  },
  // Cluster-scoped (CAPO ≥ v0.14): listed once for all tenants; a tenant user may not list them (children.ts says so).
  openstackclusteridentities: {
    kind: 'openstackclusteridentities',
    group: 'infrastructure.cluster.x-k8s.io',
    plural: 'openstackclusteridentities',
    namespaced: false,
    provides: 'Cluster API Provider OpenStack ≥ v0.14',
  },
};

/** `kind → groupVersion` for the installed kinds; absent = not served by this server. */
export type ExplorerDiscovery = Map<ResourceKind, string>;

/**
 * One request for `/apis` plus one per needed group's preferred version — and, for a kind that version does not
 * serve, one per further version of its group until one does (OpenStackClusterIdentity is v1alpha1 only, next to
 * CAPO's preferred v1beta2): a constant number of requests, independent of the amount of data.
 */
export async function discover(client: KubeClient, signal?: AbortSignal): Promise<ExplorerDiscovery> {
  const result: ExplorerDiscovery = new Map();
  for (const def of Object.values(RESOURCE_DEFS)) if (def.group === '') result.set(def.kind, 'v1');
  const opts = { signal, retry: NO_RETRY };
  const groups = await client.discovery.groups(opts);
  const needed = [
    ...new Set(
      Object.values(RESOURCE_DEFS)
        .filter((d) => d.group !== '')
        .map((d) => d.group),
    ),
  ];
  await Promise.all(
    needed.map(async (group) => {
      const g = groups.groups?.find((x) => x.name === group);
      const preferred = g?.preferredVersion?.groupVersion ?? g?.versions?.[0]?.groupVersion;
      if (!preferred) return;
      const versions = [preferred, ...(g?.versions ?? []).map((v) => v.groupVersion).filter((v) => v && v !== preferred)];
      const defs = Object.values(RESOURCE_DEFS).filter((d) => d.group === group);
      for (const gv of versions) {
        if (defs.every((d) => result.has(d.kind))) break;
        const list = await client.discovery.resources(gv, opts);
        if (!list) continue;
        const served = new Set((list.resources ?? []).map((r) => r.name));
        for (const def of defs) if (!result.has(def.kind) && served.has(def.plural)) result.set(def.kind, gv);
      }
    }),
  );
  return result;
}

/** The collection path, cluster-wide or in one namespace. */
export function collectionPath(def: ResourceDef, groupVersion: string, namespace?: string): string {
  const base = def.group === '' ? `/api/${groupVersion}` : `/apis/${groupVersion}`;
  return namespace && def.namespaced ? `${base}/namespaces/${encodeURIComponent(namespace)}/${def.plural}` : `${base}/${def.plural}`;
}

/**
 * Tenants of a management cluster: namespaces holding tenant content (domain.md §(c)): a ClusterStack,
 * a ClusterClass, a Cluster, or a Secret with a `clouds.yaml` key. SCS puts no label on tenant
 * namespaces, so they are recognised by content.
 */
import { RESOURCE_SET_SECRET_TYPE } from '../manifests/credentials';
import { readRecord, type RotationRecord } from './rotation';
import { resourceSetHash } from '../manifests/propagation';
import type { KubeObject } from './types';

/** The resource types the explorer lists and watches, per management cluster. */
export const RESOURCE_KINDS = [
  'namespaces',
  'clusters',
  'clusterstacks',
  'clusterstackreleases',
  'clusterclasses',
  'clusterresourcesets',
  'clusterresourcesetbindings',
  'clusteraddons',
  'secrets',
  'openstackclusters',
  'openstackclusteridentities',
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/**
 * What the tree keeps of a Secret: names, type, labels and data keys, never values.
 * `keys` lists the data/stringData keys.
 */
export interface SecretSummary extends KubeObject {
  type?: string;
  keys: string[];
  /** For a ClusterResourceSet resource Secret: the content hash CAPI records in bindings (never a value). */
  resourceSetHash?: string;
  /** For a tenant identity secret a rotation wrote: its record (ids, names, times, step; never a secret). */
  rotation?: RotationRecord;
}

export const CLOUDS_YAML_KEY = 'clouds.yaml';

/** Strips a Secret down to what the tree may hold; the values are dropped here (a resource-set Secret keeps its hash). */
export function summarizeSecret(
  secret: KubeObject & { type?: string; data?: Record<string, unknown>; stringData?: Record<string, unknown> },
): SecretSummary {
  const keys = [...new Set([...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})])].sort();
  const m = secret.metadata ?? {};
  return {
    apiVersion: secret.apiVersion ?? 'v1',
    kind: 'Secret',
    metadata: {
      name: m.name,
      namespace: m.namespace,
      labels: m.labels,
      resourceVersion: m.resourceVersion,
      uid: m.uid,
      deletionTimestamp: m.deletionTimestamp,
      ownerReferences: m.ownerReferences,
    },
    type: secret.type,
    keys,
    ...rotationOf(m.annotations),
    ...(secret.type === RESOURCE_SET_SECRET_TYPE
      ? { resourceSetHash: resourceSetHash(secret.data as Record<string, string> | undefined) }
      : {}),
  };
}

function rotationOf(annotations: unknown): { rotation?: RotationRecord } {
  const r = readRecord(annotations as Record<string, string> | undefined);
  return r && !('error' in r) ? { rotation: r } : {};
}

export function isCredentialsSecret(s: SecretSummary): boolean {
  return s.keys.includes(CLOUDS_YAML_KEY);
}

/** A CAPI kubeconfig secret `<cluster>-kubeconfig` (type cluster.x-k8s.io/secret, key `value`). */
export function isKubeconfigSecret(s: SecretSummary): boolean {
  return (s.metadata?.name ?? '').endsWith('-kubeconfig') && s.keys.includes('value');
}

export type Snapshot = { [K in ResourceKind]?: readonly (K extends 'secrets' ? SecretSummary : KubeObject)[] };

export interface TenantContent {
  namespace: string;
  clusters: KubeObject[];
  clusterStacks: KubeObject[];
  releases: KubeObject[];
  clusterClasses: KubeObject[];
  resourceSets: KubeObject[];
  bindings: KubeObject[];
  /** The cluster-stack operator's ClusterAddons: the health of a cluster held by its hook names the one it waits for. */
  clusterAddons: KubeObject[];
  credentials: SecretSummary[];
  secrets: SecretSummary[];
  /** CAPO's OpenStackClusters: their spec.identityRef says which credentials a cluster uses (identity.ts). */
  infraClusters: KubeObject[];
  /** The cluster-scoped OpenStackClusterIdentities (the same list in every tenant). */
  clusterIdentities: readonly KubeObject[];
  /** The Namespace object (its labels are what an identity's namespaceSelector matches), when it could be read. */
  namespaceObject?: KubeObject;
}

function emptyTenant(namespace: string): TenantContent {
  return {
    namespace,
    clusters: [],
    clusterStacks: [],
    releases: [],
    clusterClasses: [],
    resourceSets: [],
    bindings: [],
    clusterAddons: [],
    credentials: [],
    secrets: [],
    infraClusters: [],
    clusterIdentities: [],
  };
}

export function isTenant(t: TenantContent): boolean {
  return t.clusters.length + t.clusterStacks.length + t.clusterClasses.length + t.credentials.length > 0;
}

/**
 * Groups a snapshot by namespace. With `showAll`, every namespace (from the namespace list and from the
 * objects) is returned; otherwise only tenants. Sorted by name. `filter` keeps names containing it.
 */
export function tenantsOf(snapshot: Snapshot, opts: { showAll?: boolean; filter?: string } = {}): TenantContent[] {
  const map = new Map<string, TenantContent>();
  const get = (ns: string | undefined) => {
    const key = ns ?? '';
    let t = map.get(key);
    if (!t) map.set(key, (t = emptyTenant(key)));
    return t;
  };
  for (const n of snapshot.namespaces ?? []) get(n.metadata?.name);
  const add = <T extends KubeObject>(list: readonly T[] | undefined, pick: (t: TenantContent) => T[]) => {
    for (const o of list ?? []) pick(get(o.metadata?.namespace)).push(o);
  };
  add(snapshot.clusters, (t) => t.clusters);
  add(snapshot.clusterstacks, (t) => t.clusterStacks);
  add(snapshot.clusterstackreleases, (t) => t.releases);
  add(snapshot.clusterclasses, (t) => t.clusterClasses);
  add(snapshot.clusterresourcesets, (t) => t.resourceSets);
  add(snapshot.clusterresourcesetbindings, (t) => t.bindings);
  add(snapshot.clusteraddons, (t) => t.clusterAddons);
  add(snapshot.secrets, (t) => t.secrets);
  add(snapshot.openstackclusters, (t) => t.infraClusters);
  const identities = snapshot.openstackclusteridentities ?? [];
  const namespaces = new Map((snapshot.namespaces ?? []).map((n) => [n.metadata?.name, n]));
  for (const t of map.values()) {
    t.credentials = t.secrets.filter(isCredentialsSecret);
    t.clusterIdentities = identities;
    const n = namespaces.get(t.namespace);
    if (n) t.namespaceObject = n;
  }
  map.delete('');
  const filter = opts.filter?.trim().toLowerCase();
  return [...map.values()]
    .filter((t) => opts.showAll || isTenant(t))
    .filter((t) => !filter || t.namespace.toLowerCase().includes(filter))
    .sort((a, b) => a.namespace.localeCompare(b.namespace));
}

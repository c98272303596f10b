/**
 * Which credentials CAPO reads for the clusters of a tenant (core/capi/identity.ts), from the live objects: the
 * Clusters, their ClusterClasses and OpenStackClusters in the namespace, the cluster-scoped OpenStackClusterIdentities
 * they name and the Namespace (whose labels an identity's namespaceSelector matches). Read by the pushes before they
 * write. What cannot be read (CAPO not installed, a tenant user without access to cluster-scoped objects) is left out,
 * and the identity then says what is unknown instead of guessing.
 */
import { identityOfCluster, type ClusterIdentity } from '../core/capi/identity';
import type { KubeObject } from '../core/capi/types';
import type { KubeClient } from './client';
import { KubeError } from './errors';
import { getObject, listObjects } from './objects';

const CAPO_GROUP = 'infrastructure.cluster.x-k8s.io';
/** The only version of OpenStackClusterIdentity (cluster-api-provider-openstack@e52de58 api/v1alpha1/openstackclusteridentity_types.go). */
const IDENTITY_API_VERSION = `${CAPO_GROUP}/v1alpha1`;

/** Absent and unreadable are the same here: the identity model reports what it could not see. */
async function readable<T>(read: () => Promise<T>, otherwise: T): Promise<T> {
  try {
    return await read();
  } catch (e) {
    if (e instanceof KubeError && (e.kind === 'forbidden' || e.kind === 'notFound')) return otherwise;
    throw e;
  }
}

/** The identity of each Cluster of `namespace` (all of them, or those named), by cluster name. */
export async function readClusterIdentities(
  client: KubeClient,
  namespace: string,
  names?: readonly string[],
  signal?: AbortSignal,
): Promise<Map<string, ClusterIdentity>> {
  const capi = await client.discovery.preferredVersion('cluster.x-k8s.io', { signal });
  if (!capi) return new Map();
  const all = (await listObjects(client, capi, 'Cluster', namespace, undefined, signal)) as KubeObject[];
  const clusters = names ? all.filter((c) => names.includes(c.metadata?.name ?? '')) : all;
  if (!clusters.length) return new Map();
  const clusterClasses = (await listObjects(client, capi, 'ClusterClass', namespace, undefined, signal)) as KubeObject[];
  const capo = await client.discovery.preferredVersion(CAPO_GROUP, { signal });
  const infraClusters = capo
    ? ((await readable(() => listObjects(client, capo, 'OpenStackCluster', namespace, undefined, signal), [])) as KubeObject[])
    : [];
  const base = { infraClusters, clusterClasses, clusterIdentities: [] as KubeObject[] };
  const wanted = [
    ...new Set(
      clusters
        .map((c) => identityOfCluster(c, base))
        .filter((id) => id.type === 'ClusterIdentity')
        .map((id) => id.identityName),
    ),
  ];
  const clusterIdentities: KubeObject[] = [];
  for (const name of wanted) {
    const o = await readable(() => getObject(client, IDENTITY_API_VERSION, 'OpenStackClusterIdentity', undefined, name, signal), undefined);
    if (o) clusterIdentities.push(o as KubeObject);
  }
  const namespaceObject = wanted.length
    ? ((await readable(() => getObject(client, 'v1', 'Namespace', undefined, namespace, signal), undefined)) as KubeObject | undefined)
    : undefined;
  const objects = { ...base, clusterIdentities, ...(namespaceObject ? { namespaceObject } : {}) };
  return new Map(clusters.map((c) => [c.metadata?.name ?? '', identityOfCluster(c, objects)]));
}

/**
 * What is live in a tenant namespace for the cluster-stack rules (src/core/stacks/topology.ts): its
 * ClusterClasses (what each offers) and the Kubernetes version of each ClusterStackRelease. Read by
 * the order and apply commands before they write, and by the editor's live checks.
 */
import { CLUSTER_STACK_API_VERSION } from '../core/stacks/clusterStack';
import { classOffer, type TenantFacts } from '../core/stacks/topology';
import type { KubeClient } from './client';
import { listObjects } from './objects';

export interface LiveTenantFacts extends TenantFacts {
  /** The preferred served Cluster API version (`cluster.x-k8s.io/v1beta2`); undefined when CAPI is not installed. */
  readonly capiVersion?: string;
  readonly classObjects: readonly Record<string, unknown>[];
}

export async function readTenantFacts(client: KubeClient, namespace: string): Promise<LiveTenantFacts> {
  const capiVersion = await client.discovery.preferredVersion('cluster.x-k8s.io');
  const classObjects = capiVersion ? await listObjects(client, capiVersion, 'ClusterClass', namespace) : [];
  // Without the cluster-stack operator there is no release to check against.
  const releases = await listObjects(client, CLUSTER_STACK_API_VERSION, 'ClusterStackRelease', namespace).catch(
    (): Record<string, unknown>[] => [],
  );
  return {
    capiVersion,
    classObjects,
    classes: new Map(
      classObjects.map((c) => {
        const o = classOffer(c);
        return [o.name, o];
      }),
    ),
    releases: new Map(
      releases.map((r) => [
        String((r.metadata as { name?: string }).name),
        ((r.status ?? {}) as { kubernetesVersion?: string }).kubernetesVersion,
      ]),
    ),
  };
}

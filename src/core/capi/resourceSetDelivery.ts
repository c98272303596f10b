/**
 * Delivering a rotated credential through the tenant's ClusterResourceSet instead of pushing it to each
 * workload cluster: the rotation writes the resource-set Secret once, and Cluster API's controller — the
 * engine that scales — re-applies it to every selected cluster. The editor only watches the
 * ClusterResourceSetBindings until each records the new Secret's hash. Pure: which clusters go which way,
 * and what the bindings say while waiting (the hash itself is resourceSetHash in core/manifests/propagation.ts).
 *
 * Upstream (kubernetes-sigs/cluster-api@ae7ff047, core/reconcilers/clusterresourceset/):
 * - the controller watches the resource Secrets and re-reconciles the ClusterResourceSets that name them
 *   (clusterresourceset_controller.go:95-109);
 * - under strategy Reconcile a resource is re-applied when the binding has no entry for it, it is not
 *   applied, or its hash differs (clusterresourceset_scope.go:110-114); under ApplyOnce only when never
 *   applied (clusterresourceset_scope.go:155-157), so a rotation never reaches an existing cluster;
 * - after applying, the binding's entry records the hash and whether the apply succeeded
 *   (clusterresourceset_controller.go:438-443; before it, `applied: false` without a hash, :415-420), so
 *   `applied: true` with the new hash is the controller's word that the new content reached the cluster.
 */
import { crsPropagation, type PropagationState } from '../manifests/propagation';
import { resourceSetFailure, resourceSetStrategy } from './credentials';
import { type KubeObject, type LabelSelector, field, selectorMatches, stringField } from './types';

/** Why ApplyOnce cannot carry a rotation, and what to do instead (keepInSync's refusal says the same). */
export const APPLY_ONCE_REASON =
  'Under ApplyOnce a rotation never reaches existing clusters; delete the ClusterResourceSet and create it again with strategy Reconcile (deleting it leaves the objects it applied in the workload clusters), or push to the workload clusters directly.';

export interface ResourceRef {
  readonly kind: 'Secret' | 'ConfigMap';
  readonly name: string;
}

/** The tenant's ClusterResourceSet and the resource-set Secret of it that the rotation rewrites. */
export interface ResourceSetTarget {
  readonly crs: string;
  readonly resource: ResourceRef;
}

/**
 * Push to each cluster. `wrapper`: a ClusterResourceSet lists the Secret but selects none of the clusters,
 * or the user chose the push over ApplyOnce; the Secret is rewritten too, so clusters it selects later
 * get the new credential and not the deleted one.
 */
export interface PushPlan {
  readonly mode: 'push';
  readonly push: readonly string[];
  readonly wrapper?: ResourceSetTarget;
}

/** How the rotation reaches its workload clusters. */
export type DeliveryPlan =
  | PushPlan
  /** Through the ClusterResourceSet (strategy Reconcile) for `viaSet`; direct push for the clusters it does not select. */
  | (ResourceSetTarget & { readonly mode: 'resource-set'; readonly viaSet: readonly string[]; readonly push: readonly string[] })
  /** The ClusterResourceSet cannot carry a rotation (ApplyOnce): refused unless the user chooses the direct push (`pushInstead`). */
  | (ResourceSetTarget & { readonly mode: 'refused'; readonly message: string; readonly pushInstead: PushPlan });

/**
 * Which way each of `clusters` gets the new credential. `crs` is the tenant's ClusterResourceSet for the
 * workload secret (undefined: none), `clusterObjects` the tenant's Clusters (for the selector),
 * `resource` the resource-set Secret the rotation rewrites. A ClusterResourceSet that does not list
 * that Secret leaves the delivery to the direct push.
 */
export function deliveryPlan(o: {
  crs: KubeObject | undefined;
  resource: ResourceRef;
  clusters: readonly string[];
  clusterObjects: readonly { readonly name: string; readonly labels: Readonly<Record<string, string>> }[];
}): DeliveryPlan {
  const { crs, resource, clusters } = o;
  if (!crs) return { mode: 'push', push: [...clusters] };
  const name = crs.metadata?.name ?? '';
  const resources = field(crs, 'spec', 'resources');
  const lists =
    Array.isArray(resources) &&
    resources.some((r) => stringField(r, 'name') === resource.name && (stringField(r, 'kind') ?? 'Secret') === resource.kind);
  if (!lists) return { mode: 'push', push: [...clusters] };
  const wrapper = { crs: name, resource };
  const selector = field(crs, 'spec', 'clusterSelector') as LabelSelector | undefined;
  const labels = new Map(o.clusterObjects.map((c) => [c.name, c.labels]));
  const viaSet = clusters.filter((c) => selectorMatches(selector, { ...(labels.get(c) ?? {}) }));
  const pushAll: PushPlan = { mode: 'push', push: [...clusters], wrapper };
  if (!viaSet.length) return pushAll;
  const strategy = resourceSetStrategy(crs);
  if (strategy !== 'Reconcile')
    return {
      mode: 'refused',
      ...wrapper,
      message: `ClusterResourceSet ${crs.metadata?.namespace ?? ''}/${name} delivers the credentials with strategy ${strategy} (it selects ${viaSet.length} of the ${clusters.length} clusters). ${APPLY_ONCE_REASON}`,
      pushInstead: pushAll,
    };
  return { mode: 'resource-set', ...wrapper, viaSet, push: clusters.filter((c) => !viaSet.includes(c)) };
}

/** A cluster the set has not yet delivered the new content to, and why (names only). */
export interface PendingCluster {
  readonly cluster: string;
  readonly reason: string;
}

/** One look at the bindings while waiting: the clusters done, the ones still waiting, and whether to stop. */
export interface WaitStep {
  readonly delivered: readonly string[];
  readonly pending: readonly PendingCluster[];
  /** done: every cluster delivered; timeout: the deadline passed first; wait: look again. */
  readonly decision: 'done' | 'timeout' | 'wait';
}

const WHY: Record<Exclude<PropagationState, 'current'>, string> = {
  pending: 'its binding has no entry for the Secret yet',
  stale: 'its binding still records the hash of the old content',
  failed: 'the controller recorded applied: false (it retries)',
};

/**
 * The wait decision for one read of the bindings: a cluster is delivered when its binding records the
 * hash of the Secret's new content (`current` in crsPropagation, the explorer's own reading of the
 * bindings); done when every cluster is; past the deadline, timeout, with each waiting cluster and why.
 */
export function waitStep(o: {
  crs: KubeObject;
  resource: ResourceRef;
  /** The live resource-set Secret's hash (resourceSetHash of what was written). */
  hash: string;
  clusters: readonly { readonly name: string; readonly labels: Readonly<Record<string, string>> }[];
  bindings: readonly KubeObject[];
  now: number;
  deadline: number;
}): WaitStep {
  const states = crsPropagation({
    crs: o.crs,
    resourceSecret: { metadata: { name: o.resource.name }, resourceSetHash: o.hash },
    clusters: o.clusters,
    bindings: o.bindings,
  });
  const byName = new Map(states.map((s) => [s.cluster, s.state]));
  const delivered: string[] = [];
  const pending: PendingCluster[] = [];
  for (const { name } of o.clusters) {
    const state = byName.get(name);
    if (state === 'current') delivered.push(name);
    else pending.push({ cluster: name, reason: state ? WHY[state] : 'the ClusterResourceSet no longer selects it' });
  }
  return { delivered, pending, decision: !pending.length ? 'done' : o.now < o.deadline ? 'wait' : 'timeout' };
}

/** The waiting clusters' reasons with the ClusterResourceSet's own ResourcesApplied=False message, when it has one. */
export function explainPending(pending: readonly PendingCluster[], crs: KubeObject | undefined): PendingCluster[] {
  const failure = crs ? resourceSetFailure(crs) : undefined;
  return pending.map((s) => (failure ? { ...s, reason: `${s.reason}; ${crs?.metadata?.name ?? ''}: ${failure}` } : s));
}

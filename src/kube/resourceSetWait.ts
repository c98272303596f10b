/**
 * Waiting for Cluster API's ClusterResourceSet controller to deliver a changed resource: reads the
 * resource back (its hash as the controller computes it, src/core/capi/resourceSetDelivery.ts), then
 * lists the namespace's ClusterResourceSetBindings — one request per look, whatever the number of
 * clusters — until every selected cluster's binding records that hash (bounded, cancellable). Reads
 * only; nothing here returns, logs or throws a secret value (the hash is of the content, not the content).
 */
import { type PendingCluster, type ResourceRef, explainPending, waitStep } from '../core/capi/resourceSetDelivery';
import { resourceSetHash } from '../core/manifests/propagation';
import { delay } from '../lifecycle';
import type { KubeClient } from './client';
import { KubeError } from './errors';
import { getObject, listObjects } from './objects';

const ADDONS = 'addons.cluster.x-k8s.io';
/** Between two reads of the bindings (one list request each): what noticing the last cluster may lag. */
export const DELIVERY_POLL_MS = 250;

/** The hash of the live resource (what the controller will record), or undefined when it does not exist. */
export async function liveResourceHash(
  mgmt: KubeClient,
  namespace: string,
  resource: ResourceRef,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const live = await getObject(mgmt, 'v1', resource.kind, namespace, resource.name, signal);
  return live ? resourceSetHash(live.data as Record<string, string> | undefined) : undefined;
}

export interface ResourceSetWait {
  /** done: every cluster's binding has the hash; timeout; cancelled. */
  readonly outcome: 'done' | 'timeout' | 'cancelled';
  readonly delivered: readonly string[];
  readonly pending: readonly PendingCluster[];
  /** Binding lists read (the requests the wait cost). */
  readonly reads: number;
}

export interface ResourceSetWaitOptions {
  readonly namespace: string;
  readonly crs: string;
  readonly resource: ResourceRef;
  readonly hash: string;
  /** The clusters the set selects (with their labels: the selector is checked again on every read). */
  readonly clusters: readonly { readonly name: string; readonly labels: Readonly<Record<string, string>> }[];
  /** Upper bound; default 300 s. */
  readonly timeoutMs?: number;
  /** Between reads; default DELIVERY_POLL_MS. */
  readonly pollMs?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (delivered: number, total: number) => void;
}

/** Waits until every cluster's ClusterResourceSetBinding records `hash` for the resource (bounded, cancellable). */
export async function waitForResourceSet(mgmt: KubeClient, o: ResourceSetWaitOptions): Promise<ResourceSetWait> {
  const gv = await mgmt.discovery.preferredVersion(ADDONS, { signal: o.signal });
  if (!gv) throw new KubeError('notFound', `Cluster API's addons (${ADDONS}) are not served by this cluster`);
  const crs = await getObject(mgmt, gv, 'ClusterResourceSet', o.namespace, o.crs, o.signal);
  if (!crs) throw new KubeError('notFound', `ClusterResourceSet ${o.namespace}/${o.crs} is gone`);
  const deadline = Date.now() + (o.timeoutMs ?? 300_000);
  const pollMs = o.pollMs ?? DELIVERY_POLL_MS;
  let reads = 0;
  let last = -1;
  for (;;) {
    const bindings = await listObjects(mgmt, gv, 'ClusterResourceSetBinding', o.namespace, undefined, o.signal);
    reads++;
    const step = waitStep({
      crs,
      clusters: o.clusters,
      bindings,
      resource: o.resource,
      hash: o.hash,
      now: Date.now(),
      deadline,
    });
    if (step.delivered.length !== last) o.onProgress?.((last = step.delivered.length), o.clusters.length);
    if (step.decision === 'done') return { outcome: 'done', delivered: step.delivered, pending: [], reads };
    if (step.decision === 'timeout') {
      // The ClusterResourceSet's own condition says why, when the controller knows (e.g. an unreachable cluster).
      const now = await getObject(mgmt, gv, 'ClusterResourceSet', o.namespace, o.crs, o.signal).catch(() => undefined);
      return { outcome: 'timeout', delivered: step.delivered, pending: explainPending(step.pending, now), reads };
    }
    try {
      await delay(Math.min(pollMs, Math.max(0, deadline - Date.now())), o.signal);
    } catch {
      return { outcome: 'cancelled', delivered: step.delivered, pending: step.pending, reads };
    }
  }
}

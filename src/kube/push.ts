/**
 * Fan-out over the workload clusters of a tenant, each reached through the connection pool (its CAPI
 * kubeconfig secret): pushing objects (bounded concurrency, cancellation, one outcome per cluster; a
 * failed cluster never stops the others; within one cluster every object is dry-run before any is
 * written; re-running is idempotent), reading them back to report drift, and finding and watching the
 * workloads that cache the credentials (OpenStack CCM, Cinder CSI). Nothing here returns, logs or throws
 * a secret value.
 */
import { CONSUMER_NAMESPACE, findConsumers, rolloutState, type ConsumerRef, type RolloutState } from '../core/capi/consumers';
import { drift, type Drift } from '../core/manifests/propagation';
import { delay } from '../lifecycle';
import { applyObjects, reportForError, type ApplyReport, type KubeManifest, type WriteItem } from './apply';
import type { KubeClient, RetryPolicy } from './client';
import { KubeError } from './errors';
import { getObject, listObjects } from './objects';
import { ClientPool, type Lease } from './pool';

export const DEFAULT_CONCURRENCY = 8;

/** Runs `fn` over `items` with at most `limit` in flight; results keep the input order. Stops starting new work once `signal` aborts. */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  onCancelled: (item: T) => R,
  signal?: AbortSignal,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      results[i] = signal?.aborted ? onCancelled(items[i]) : await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

export interface FanOutOptions {
  readonly namespace: string;
  readonly clusters: readonly string[];
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  /** The shared pool (the extension's); without one a private pool lives for this call. */
  readonly pool?: ClientPool;
  /** Retry policy of a private pool. */
  readonly retry?: RetryPolicy;
}

/** Runs `fn` with a leased client of every cluster (bounded, cancellable); a private pool is disposed at the end. */
async function eachCluster<R>(
  mgmt: KubeClient,
  opts: FanOutOptions,
  fn: (cluster: string, client: KubeClient, started: number) => Promise<R>,
  failed: (cluster: string, e: unknown, started: number) => R,
  cancelled: (cluster: string) => R,
): Promise<R[]> {
  const pool = opts.pool ?? new ClientPool(opts.retry);
  try {
    return await mapBounded(
      opts.clusters,
      opts.concurrency ?? DEFAULT_CONCURRENCY,
      async (cluster) => {
        const started = Date.now();
        let lease: Lease | undefined;
        try {
          lease = await pool.workload(mgmt, opts.namespace, cluster, opts.signal);
          return await fn(cluster, lease.client, started);
        } catch (e) {
          return failed(cluster, e, started);
        } finally {
          lease?.dispose();
        }
      },
      cancelled,
      opts.signal,
    );
  } finally {
    if (!opts.pool) pool.dispose();
  }
}

export interface ClusterPushResult extends ApplyReport {
  readonly cluster: string;
  readonly durationMs: number;
}

export interface PushOptions extends FanOutOptions {
  /** The objects for one cluster (same for all in the usual case). */
  readonly objectsFor: (cluster: string) => readonly WriteItem[];
  readonly force?: boolean;
  readonly dryRunOnly?: boolean;
  /** Called as each cluster finishes (for progress). */
  readonly onResult?: (r: ClusterPushResult, done: number, total: number) => void;
}

/** Pushes to every listed workload cluster; resolves with one result per cluster, in input order. */
export async function pushToWorkloadClusters(mgmt: KubeClient, opts: PushOptions): Promise<ClusterPushResult[]> {
  let done = 0;
  const finish = (cluster: string, started: number, report: ApplyReport): ClusterPushResult => {
    const r = { cluster, durationMs: Date.now() - started, ...report };
    opts.onResult?.(r, ++done, opts.clusters.length);
    return r;
  };
  return eachCluster(
    mgmt,
    opts,
    async (cluster, client, started) =>
      finish(
        cluster,
        started,
        await applyObjects(client, opts.objectsFor(cluster), { force: opts.force, signal: opts.signal, dryRunOnly: opts.dryRunOnly }),
      ),
    (cluster, e, started) => finish(cluster, started, reportForError(e)),
    (cluster) => ({ cluster, durationMs: 0, outcome: 'cancelled', objects: [], reason: 'cancelled before it started' }),
  );
}

export interface ClusterInfo {
  readonly name: string;
  readonly apiVersion: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** The CAPI Clusters of a tenant namespace (any served version). */
export async function listClusters(mgmt: KubeClient, namespace: string, signal?: AbortSignal): Promise<ClusterInfo[]> {
  const gv = await mgmt.discovery.preferredVersion('cluster.x-k8s.io', { signal });
  if (!gv) throw new KubeError('notFound', 'Cluster API (cluster.x-k8s.io) is not installed in this cluster');
  const items = await listObjects(mgmt, gv, 'Cluster', namespace, undefined, signal);
  return items
    .map((o) => {
      const m = (o.metadata ?? {}) as { name?: string; labels?: Record<string, string> };
      return { name: m.name ?? '', apiVersion: gv, labels: m.labels ?? {} };
    })
    .filter((c) => c.name)
    .sort((a, b) => a.name.localeCompare(b.name));
}

export interface ClusterDrift {
  readonly cluster: string;
  /** undefined when the cluster could not be read; then `reason` says why. */
  readonly drift?: Drift;
  readonly reason?: string;
}

/** Reads the workload secret of each cluster and compares it (by hash) with what is expected. */
export function checkDrift(
  mgmt: KubeClient,
  opts: FanOutOptions & { expected: (cluster: string) => KubeManifest },
): Promise<ClusterDrift[]> {
  return eachCluster<ClusterDrift>(
    mgmt,
    opts,
    async (cluster, client) => {
      const want = opts.expected(cluster);
      const live = await getObject(client, want.apiVersion, want.kind, want.metadata.namespace, want.metadata.name, opts.signal);
      return { cluster, drift: drift(want, live) };
    },
    (cluster, e) => ({ cluster, reason: reportForError(e).reason }),
    (cluster) => ({ cluster, reason: 'cancelled' }),
  );
}

export interface ClusterConsumers {
  readonly cluster: string;
  /** undefined when the cluster could not be read; then `reason` says why. */
  readonly consumers?: readonly ConsumerRef[];
  readonly reason?: string;
}

/** The consumer workloads (OpenStack CCM, Cinder CSI) in kube-system of every cluster, by their chart selectors. */
export function findClusterConsumers(mgmt: KubeClient, opts: FanOutOptions): Promise<ClusterConsumers[]> {
  return eachCluster<ClusterConsumers>(
    mgmt,
    opts,
    async (cluster, client) => {
      const found: unknown[] = [];
      for (const kind of ['Deployment', 'DaemonSet'])
        for (const o of await listObjects(client, 'apps/v1', kind, CONSUMER_NAMESPACE, undefined, opts.signal)) found.push({ ...o, kind });
      return { cluster, consumers: findConsumers(found) };
    },
    (cluster, e) => ({ cluster, reason: reportForError(e).reason }),
    (cluster) => ({ cluster, reason: 'cancelled' }),
  );
}

export interface ConsumerRollout {
  readonly consumer: ConsumerRef;
  readonly state: RolloutState | { readonly done: false; readonly message: string; readonly failed: string };
}

export interface ClusterRollouts {
  readonly cluster: string;
  /** complete: every rollout done; failed: one cannot complete or the cluster could not be read; timeout; cancelled. */
  readonly outcome: 'complete' | 'failed' | 'timeout' | 'cancelled';
  readonly rollouts: readonly ConsumerRollout[];
  readonly reason?: string;
}

export interface RolloutWaitOptions extends FanOutOptions {
  readonly consumersFor: (cluster: string) => readonly ConsumerRef[];
  /** Upper bound per cluster; default 300 s. */
  readonly timeoutMs?: number;
  /** Between reads; default 1 s. */
  readonly pollMs?: number;
  readonly onResult?: (r: ClusterRollouts, done: number, total: number) => void;
}

/** Waits, per cluster, until every consumer's rollout is complete as `kubectl rollout status` decides (bounded, cancellable). */
export function waitForRollouts(mgmt: KubeClient, opts: RolloutWaitOptions): Promise<ClusterRollouts[]> {
  const timeoutMs = opts.timeoutMs ?? 300_000;
  const pollMs = opts.pollMs ?? 1000;
  let done = 0;
  const finish = (r: ClusterRollouts): ClusterRollouts => {
    opts.onResult?.(r, ++done, opts.clusters.length);
    return r;
  };
  return eachCluster<ClusterRollouts>(
    mgmt,
    opts,
    async (cluster, client) => {
      const deadline = Date.now() + timeoutMs;
      const consumers = opts.consumersFor(cluster);
      for (;;) {
        const rollouts: ConsumerRollout[] = [];
        for (const c of consumers) {
          const live = await getObject(client, c.apiVersion, c.kind, c.namespace, c.name, opts.signal);
          rollouts.push({
            consumer: c,
            state: live
              ? rolloutState({ ...live, kind: c.kind })
              : { done: false, message: 'not found', failed: `${c.kind} ${c.name} is gone` },
          });
        }
        const failed = rollouts.find((r) => r.state.failed && !r.state.done) ?? rollouts.find((r) => r.state.failed);
        if (failed) return finish({ cluster, outcome: 'failed', rollouts, reason: failed.state.failed });
        if (rollouts.every((r) => r.state.done)) return finish({ cluster, outcome: 'complete', rollouts });
        if (Date.now() >= deadline) {
          const waiting = rollouts.filter((r) => !r.state.done).map((r) => r.state.message);
          return finish({
            cluster,
            outcome: 'timeout',
            rollouts,
            reason: `not complete after ${Math.round(timeoutMs / 1000)} s: ${waiting.join('; ')}`,
          });
        }
        try {
          await delay(Math.min(pollMs, Math.max(0, deadline - Date.now())), opts.signal);
        } catch {
          return finish({ cluster, outcome: 'cancelled', rollouts, reason: 'cancelled while waiting for the rollout' });
        }
      }
    },
    (cluster, e) => finish({ cluster, outcome: 'failed', rollouts: [], reason: reportForError(e).reason }),
    (cluster) => finish({ cluster, outcome: 'cancelled', rollouts: [], reason: 'cancelled before it started' }),
  );
}

/** Counts per outcome, e.g. `3 updated, 1 unchanged, 1 failed`. */
export function summarizeResults(results: readonly { outcome: string }[]): string {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(', ') || 'nothing to do';
}

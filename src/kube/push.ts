/**
 * Pushing credential objects into the workload clusters of a tenant, each reached through its CAPI
 * kubeconfig secret `<cluster>-kubeconfig` (key `value`) in the tenant namespace (domain.md §7).
 * Bounded concurrency, cancellation, one outcome per cluster; a failed cluster never stops the
 * others; within one cluster every object is dry-run before any is written; re-running is
 * idempotent (unchanged objects are not written). Also reads the workload secrets back to report
 * drift. Nothing here returns, logs or throws a secret value.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { drift, type Drift } from '../core/manifests/propagation';
import {
  applyObjects,
  DEFAULT_RETRY,
  getObject,
  KubeClient,
  listObjects,
  reportForError,
  type ApplyReport,
  type KubeManifest,
  type RetryPolicy,
} from './apply';
import { KubeError } from './http';
import { kubeconfigOfSecret, kubeconfigSecretName } from './objects';

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

/** A client for a workload cluster, from the kubeconfig secret in the management cluster. */
export async function workloadClient(
  mgmt: KubeClient,
  namespace: string,
  cluster: string,
  retry: RetryPolicy = DEFAULT_RETRY,
  signal?: AbortSignal,
): Promise<KubeClient> {
  const text = kubeconfigOfSecret(
    await getObject(mgmt, 'v1', 'Secret', namespace, kubeconfigSecretName(cluster), signal),
    namespace,
    cluster,
  );
  const kc = new KubeConfig();
  try {
    kc.loadFromString(text);
  } catch {
    throw new KubeError('auth', `secret ${namespace}/${kubeconfigSecretName(cluster)} does not hold a readable kubeconfig`);
  }
  return new KubeClient(kc, retry);
}

export interface ClusterPushResult extends ApplyReport {
  readonly cluster: string;
  readonly durationMs: number;
}

export interface PushOptions {
  readonly namespace: string;
  readonly clusters: readonly string[];
  /** The objects for one cluster (same for all in the usual case). */
  readonly objectsFor: (cluster: string) => readonly KubeManifest[];
  readonly concurrency?: number;
  readonly force?: boolean;
  readonly dryRunOnly?: boolean;
  readonly signal?: AbortSignal;
  readonly retry?: RetryPolicy;
  /** Called as each cluster finishes (for progress). */
  readonly onResult?: (r: ClusterPushResult, done: number, total: number) => void;
}

/** Pushes to every listed workload cluster; resolves with one result per cluster, in input order. */
export async function pushToWorkloadClusters(mgmt: KubeClient, opts: PushOptions): Promise<ClusterPushResult[]> {
  let done = 0;
  const one = async (cluster: string): Promise<ClusterPushResult> => {
    const started = Date.now();
    let report: ApplyReport;
    let client: KubeClient | undefined;
    try {
      client = await workloadClient(mgmt, opts.namespace, cluster, opts.retry, opts.signal);
      report = await applyObjects(client, opts.objectsFor(cluster), {
        force: opts.force,
        signal: opts.signal,
        dryRunOnly: opts.dryRunOnly,
      });
    } catch (e) {
      report = reportForError(e);
    } finally {
      client?.dispose();
    }
    const r = { cluster, durationMs: Date.now() - started, ...report };
    opts.onResult?.(r, ++done, opts.clusters.length);
    return r;
  };
  const cancelled = (cluster: string): ClusterPushResult => ({
    cluster,
    durationMs: 0,
    outcome: 'cancelled',
    objects: [],
    reason: 'cancelled before it started',
  });
  return mapBounded(opts.clusters, opts.concurrency ?? DEFAULT_CONCURRENCY, one, cancelled, opts.signal);
}

export interface ClusterInfo {
  readonly name: string;
  readonly apiVersion: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** The preferred served version of `group` (e.g. cluster.x-k8s.io → cluster.x-k8s.io/v1beta2). */
export async function preferredVersion(client: KubeClient, group: string, signal?: AbortSignal): Promise<string | undefined> {
  const res = await client.request('GET', `/apis/${group}`, { signal });
  if (res.status === 404) return undefined;
  if (res.status < 200 || res.status >= 300) throw new KubeError('server', `discovery of ${group} failed with ${res.status}`, res.status);
  try {
    const g = JSON.parse(res.body) as { preferredVersion?: { groupVersion?: string } };
    return g.preferredVersion?.groupVersion;
  } catch {
    throw new KubeError('server', `discovery of ${group} returned invalid JSON`);
  }
}

/** The CAPI Clusters of a tenant namespace (any served version). */
export async function listClusters(mgmt: KubeClient, namespace: string, signal?: AbortSignal): Promise<ClusterInfo[]> {
  const gv = await preferredVersion(mgmt, 'cluster.x-k8s.io', signal);
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
export async function checkDrift(
  mgmt: KubeClient,
  opts: {
    namespace: string;
    clusters: readonly string[];
    expected: (cluster: string) => KubeManifest;
    concurrency?: number;
    signal?: AbortSignal;
    retry?: RetryPolicy;
  },
): Promise<ClusterDrift[]> {
  const one = async (cluster: string): Promise<ClusterDrift> => {
    let client: KubeClient | undefined;
    try {
      client = await workloadClient(mgmt, opts.namespace, cluster, opts.retry, opts.signal);
      const want = opts.expected(cluster);
      const live = await getObject(client, want.apiVersion, want.kind, want.metadata.namespace, want.metadata.name, opts.signal);
      return { cluster, drift: drift(want, live) };
    } catch (e) {
      return { cluster, reason: reportForError(e).reason };
    } finally {
      client?.dispose();
    }
  };
  return mapBounded(
    opts.clusters,
    opts.concurrency ?? DEFAULT_CONCURRENCY,
    one,
    (cluster) => ({ cluster, reason: 'cancelled' }),
    opts.signal,
  );
}

/** Counts per outcome, e.g. `3 updated, 1 unchanged, 1 failed`. */
export function summarizeResults(results: readonly { outcome: string }[]): string {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(', ') || 'nothing to do';
}

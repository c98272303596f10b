/**
 * The connection pool: one `KubeClient` per kubeconfig context, and one per workload cluster reached
 * through its CAPI kubeconfig secret `<cluster>-kubeconfig` (key `value`, docs/domain.md §7), shared by
 * everybody who needs that cluster at the same time (the explorer watching a context, a command
 * writing to it). Users take a `Lease` and dispose it when done; a client lives while it is leased and
 * is disposed (its keep-alive connections closed) with its last lease, so nothing outlives its users.
 * `invalidate()` (the kubeconfig changed) lets running users finish on their client while new leases get
 * a fresh one. `stats()` counts live clients and leases for the lifetime tests.
 */
import { KubeConfig } from '@kubernetes/client-node';
import type { IDisposable } from '../lifecycle';
import { DEFAULT_RETRY, KubeClient, type RetryPolicy } from './client';
import { KubeError } from './errors';
import { kubeconfigSecretName, workloadKubeconfig } from './objects';

export interface Lease extends IDisposable {
  readonly client: KubeClient;
}

interface Entry {
  readonly client: KubeClient;
  refs: number;
}

/** A lease on a client nobody else shares (tests, tools): disposing it disposes the client. */
export function ownedLease(client: KubeClient): Lease {
  return { client, dispose: () => client.dispose() };
}

/** A client for a workload cluster, from the kubeconfig secret in the management cluster (not pooled). */
export async function workloadClient(
  mgmt: KubeClient,
  namespace: string,
  cluster: string,
  retry: RetryPolicy = DEFAULT_RETRY,
  signal?: AbortSignal,
): Promise<KubeClient> {
  const text = await workloadKubeconfig(mgmt, namespace, cluster, signal);
  const kc = new KubeConfig();
  try {
    kc.loadFromString(text);
  } catch {
    throw new KubeError('auth', `secret ${namespace}/${kubeconfigSecretName(cluster)} does not hold a readable kubeconfig`);
  }
  return new KubeClient(kc, retry);
}

/** The pool's key of a kubeconfig context's client (workload clients have their own keys). */
const contextKey = (name: string) => `context\u0000${name}`;

export class ClientPool implements IDisposable {
  /** Entries new leases may join, by key. */
  private readonly current = new Map<string, Entry>();
  /** Workload clients being created, by key (concurrent users wait for the same one). */
  private readonly creating = new Map<string, Promise<Entry>>();
  /** Every live entry, also those `invalidate()` took out of `current`. */
  private readonly live = new Set<Entry>();
  private disposed = false;

  constructor(private readonly retry: RetryPolicy = DEFAULT_RETRY) {}

  /** The client of kubeconfig context `name`; `config` builds its one-context KubeConfig when a client is needed. */
  context(name: string, config: () => KubeConfig): Lease {
    const key = contextKey(name);
    let entry = this.current.get(key);
    if (!entry) entry = this.add(key, new KubeClient(config(), this.retry));
    return this.lease(entry);
  }

  /** The client of workload cluster `namespace/cluster`, reached through `mgmt`. */
  async workload(mgmt: KubeClient, namespace: string, cluster: string, signal?: AbortSignal): Promise<Lease> {
    const key = `workload\u0000${mgmt.server}\u0000${namespace}\u0000${cluster}`;
    const existing = this.current.get(key);
    if (existing) return this.lease(existing);
    let creating = this.creating.get(key);
    if (!creating) {
      creating = workloadClient(mgmt, namespace, cluster, this.retry, signal).then((client) => this.add(key, client));
      this.creating.set(key, creating);
      void creating.then(
        () => this.creating.delete(key),
        () => this.creating.delete(key),
      );
    }
    return this.lease(await creating);
  }

  /**
   * New leases get new clients from now on — of every client, or only of the kubeconfig `contexts` given
   * (the ones a kubeconfig change touched); clients in use stay until their last lease ends.
   */
  invalidate(contexts?: ReadonlySet<string>): void {
    const keys = contexts && new Set([...contexts].map(contextKey));
    for (const [key, entry] of this.current) {
      if (keys && !keys.has(key)) continue;
      this.current.delete(key);
      if (entry.refs === 0) this.drop(entry);
    }
  }

  stats(): { clients: number; leases: number } {
    let leases = 0;
    for (const e of this.live) leases += e.refs;
    return { clients: this.live.size, leases };
  }

  dispose(): void {
    this.disposed = true;
    for (const e of this.live) e.client.dispose();
    this.live.clear();
    this.current.clear();
  }

  private add(key: string, client: KubeClient): Entry {
    const entry: Entry = { client, refs: 0 };
    if (this.disposed) {
      client.dispose();
      throw new KubeError('aborted', 'Cancelled: the extension is shutting down');
    }
    this.current.set(key, entry);
    this.live.add(entry);
    return entry;
  }

  private lease(entry: Entry): Lease {
    // An entry invalidated between its creation and this lease is tracked again until released.
    this.live.add(entry);
    entry.refs++;
    let released = false;
    return {
      client: entry.client,
      dispose: () => {
        if (released) return;
        released = true;
        if (--entry.refs > 0) return;
        for (const [k, e] of this.current) if (e === entry) this.current.delete(k);
        this.drop(entry);
      },
    };
  }

  private drop(entry: Entry): void {
    this.live.delete(entry);
    entry.client.dispose();
  }
}

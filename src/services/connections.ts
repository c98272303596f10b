/**
 * The extension's connections to clusters: the kubeconfig as the user configured it, and the one
 * connection pool (src/kube/pool.ts) that the explorer, the commands and the editor share. A user
 * takes a `ContextConnection` (or a workload lease) and disposes it when done; the pool closes a
 * cluster's connections with its last user. A change of `clusterStacks.kubeconfigPaths` invalidates
 * the pool: running users finish on their client, new users get one for the new kubeconfig.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { ClientPool, KubeClient, Lease, LoadedKubeconfig } from '../kube/api';
import { Disposable, type IDisposable } from '../lifecycle';
import type { Config } from './config';
import { kube } from './kube';

/** A leased client of one kubeconfig context. */
export interface ContextConnection extends IDisposable {
  readonly context: string;
  readonly client: KubeClient;
  /** The one-context kubeconfig of the client. */
  readonly kc: KubeConfig;
  /** The namespace the kubeconfig context sets, if any. */
  readonly defaultNamespace?: string;
}

export class Connections extends Disposable {
  private pool: ClientPool | undefined;

  constructor(private readonly config: Config) {
    super();
    this._register(config.onDidChange((e) => e.kubeconfig && this.pool?.invalidate()));
    this._register({ dispose: () => this.pool?.dispose() });
  }

  /** The shared pool (for fan-out over workload clusters). */
  async sharedPool(): Promise<ClientPool> {
    const k = await kube();
    if (this.isDisposed) throw new k.KubeError('aborted', 'Cancelled: the extension is shutting down');
    this.pool ??= new k.ClientPool();
    return this.pool;
  }

  /**
   * The kubeconfig files of `clusterStacks.kubeconfigPaths`, else KUBECONFIG, else ~/.kube/config,
   * merged like kubectl. Read on every call (the files may change), never written.
   */
  async kubeconfig(): Promise<LoadedKubeconfig> {
    const k = await kube();
    return k.loadKubeconfigs(k.kubeconfigPaths(this.config.kubeconfigPaths));
  }

  /** The kubeconfig files changed for these contexts: their next lease gets a client built from the new reading. */
  invalidateContexts(contexts: ReadonlySet<string>): void {
    this.pool?.invalidate(contexts);
  }

  /** A client of context `name` (throws with a clear message when the kubeconfig does not have it). */
  async context(name: string, loaded?: LoadedKubeconfig): Promise<ContextConnection> {
    const k = await kube();
    const pool = await this.sharedPool();
    const config = loaded ?? (await this.kubeconfig());
    const lease: Lease = pool.context(name, () => k.forContext(config, name));
    const kc = lease.client.config;
    return {
      context: name,
      client: lease.client,
      kc,
      defaultNamespace: kc.getContextObject(name)?.namespace,
      dispose: () => lease.dispose(),
    };
  }

  /** A client of workload cluster `namespace/cluster`, through its kubeconfig secret read with `mgmt`. */
  async workload(mgmt: KubeClient, namespace: string, cluster: string, signal?: AbortSignal): Promise<Lease> {
    return (await this.sharedPool()).workload(mgmt, namespace, cluster, signal);
  }

  /** Live clients and leases (the lifetime tests read them). */
  stats(): { clients: number; leases: number } {
    return this.pool?.stats() ?? { clients: 0, leases: 0 };
  }
}

// Cluster API's ClusterCache (kubernetes-sigs/cluster-api@ae7ff047 controllers/clustercache/): one connection
// per workload cluster, made from the `<cluster>-kubeconfig` Secret (key `value`) once the Cluster's
// infrastructure is provisioned (cluster_cache.go Reconcile), kept healthy by probing `GET /`
// (cluster_accessor.go HealthCheck) and dropped after `failureThreshold` consecutive failed probes. Other
// reconcilers ask it for a client (`getClient`, cluster_cache.go:400) and for the probe state
// (`healthCheckingState`, what setRemoteConnectionProbeCondition reads). `reconcile` is one pass of its
// controller for one Cluster; the real one requeues on its own timers (probe interval 10 s, connection
// retry 30 s), the model probes on every pass.
import { ControllerClient, type Obj } from './controllerClient';

export interface HealthCheckingState {
  lastProbeTime?: number;
  lastProbeSuccessTime?: number;
  consecutiveFailures: number;
}

interface Accessor {
  client?: ControllerClient;
  health: HealthCheckingState;
}

/** cluster_cache.go:201 ErrClusterNotConnected, wrapped as GetClient wraps it. */
export const NOT_CONNECTED = 'error getting client: connection to the workload cluster is down';

/** v1beta2 `status.initialization.infrastructureProvisioned`, or v1beta1 `status.infrastructureReady` (what conversion maps it to). */
export const infrastructureProvisioned = (c: Obj): boolean =>
  c.status?.initialization?.infrastructureProvisioned === true || c.status?.infrastructureReady === true;

export class ClusterCache {
  private readonly accessors = new Map<string, Accessor>();

  constructor(
    private readonly mgmt: ControllerClient,
    private readonly userAgent: string,
    private readonly failureThreshold = 5,
  ) {}

  private accessor(namespace: string, name: string): Accessor {
    const key = `${namespace}/${name}`;
    let a = this.accessors.get(key);
    if (!a) {
      a = { health: { consecutiveFailures: 0 } };
      this.accessors.set(key, a);
    }
    return a;
  }

  healthCheckingState(namespace: string, name: string): HealthCheckingState {
    return { ...this.accessor(namespace, name).health };
  }

  /** One Reconcile of the cache for a Cluster (undefined = the Cluster is gone: disconnect). */
  async reconcile(namespace: string, name: string, cluster: Obj | undefined): Promise<void> {
    const key = `${namespace}/${name}`;
    if (!cluster) {
      this.accessors.get(key)?.client?.close();
      this.accessors.delete(key);
      return;
    }
    const a = this.accessor(namespace, name);
    if (!infrastructureProvisioned(cluster)) return;
    if (!a.client) {
      try {
        const secret = await this.mgmt.get('v1', 'Secret', namespace, `${name}-kubeconfig`);
        const value = secret?.data?.value;
        if (!value) throw new Error('kubeconfig secret not found');
        const client = new ControllerClient(Buffer.from(String(value), 'base64').toString('utf8'), {
          userAgent: this.userAgent,
          timeoutMs: 5000,
        });
        await client.request('GET', '/');
        a.client = client;
      } catch {
        // Connection creation failed: retried on the next pass (ConnectionCreationRetryInterval upstream).
        return;
      }
    }
    a.health.lastProbeTime = Date.now();
    try {
      await a.client.request('GET', '/');
      a.health.consecutiveFailures = 0;
      a.health.lastProbeSuccessTime = a.health.lastProbeTime;
    } catch (e) {
      a.health.consecutiveFailures++;
      const unauthorized = (e as { code?: number }).code === 401;
      if (a.health.consecutiveFailures >= this.failureThreshold || unauthorized) {
        a.client.close();
        a.client = undefined;
      }
    }
  }

  /** The connected client, or the error GetClient returns while there is no connection. */
  getClient(namespace: string, name: string): ControllerClient {
    const c = this.accessors.get(`${namespace}/${name}`)?.client;
    if (!c) throw new Error(NOT_CONNECTED);
    return c;
  }

  close(): void {
    for (const a of this.accessors.values()) a.client?.close();
    this.accessors.clear();
  }
}

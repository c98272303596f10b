/**
 * A model of Cluster API's ClusterResourceSet controller (kubernetes-sigs/cluster-api,
 * `exp/addons` / `core/reconcilers/clusterresourceset`), strategy `Reconcile`, for tests: it talks to
 * the management emulator over its HTTPS API exactly like the upstream controller talks to a
 * management cluster, and reaches each workload cluster through its `<cluster>-kubeconfig` secret
 * (what CAPI's ClusterCache does). No hook into the emulator is needed.
 *
 * Modelled behaviour (upstream semantics):
 * - A CRS selects the Clusters of its own namespace whose labels match `spec.clusterSelector`; an
 *   empty selector matches nothing; Clusters being deleted are skipped.
 * - Each `spec.resources[]` Secret must have type `addons.cluster.x-k8s.io/resource-set`, otherwise
 *   `ResourcesApplied=False` with reason `WrongSecretType`; a missing resource is skipped.
 * - Every data key of the Secret may hold several YAML/JSON documents; each is created in the
 *   workload cluster, or updated when it exists (strategy `Reconcile`).
 * - The resource's hash is `sha256:` over the decoded data values in key order; a resource is
 *   re-applied when the hash recorded in the ClusterResourceSetBinding differs or it was not applied.
 * - The ClusterResourceSetBinding is named after the Cluster, has `spec.clusterName`, an owner
 *   reference to each CRS, and per CRS `resources[] {name, kind, hash, applied, lastAppliedTime}`.
 * - If the workload cluster cannot be reached the CRS gets `ResourcesApplied=False`
 *   (`RemoteClusterClientFailed`) and the binding keeps what it had.
 * Not modelled: ConfigMap resources' owner references, ApplyOnce, deletion of bindings with the CRS.
 * Reconciliation is by periodic resync (`start`) or explicit `reconcileOnce()` instead of watches.
 */
import { DEFAULT_RETRY, KubeClient, type RetryPolicy } from '../../src/kube/client';
import { getObject, listObjects } from '../../src/kube/objects';
import { workloadClient } from '../../src/kube/pool';
import { RESOURCE_SET_SECRET_TYPE, unwrapResourceSet } from '../../src/core/manifests/credentials';
import { resourceSetHash } from '../../src/core/manifests/propagation';
import { selectorMatches, type LabelSelector } from '../../src/core/capi/types';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ADDONS = 'addons.cluster.x-k8s.io/v1beta1';
/** controller-runtime's default field manager (the binary name of the CAPI controller manager). */
export const CRS_FIELD_MANAGER = 'manager';

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

function pathFor(apiVersion: string, kind: string, namespace: string | undefined, name?: string): string {
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const plural = kind.toLowerCase().endsWith('s') ? `${kind.toLowerCase()}es` : `${kind.toLowerCase()}s`;
  return `${base}${namespace ? `/namespaces/${namespace}` : ''}/${plural}${name ? `/${name}` : ''}`;
}

export interface ReconcileLog {
  crs: string;
  cluster: string;
  resource: string;
  applied: boolean;
  error?: string;
}

export class CrsController {
  /** What each reconcile did (names only), for assertions. */
  readonly log: ReconcileLog[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly mgmt: KubeClient,
    private readonly retry: RetryPolicy = { ...DEFAULT_RETRY, retries: 0, timeoutMs: 3000 },
  ) {}

  private async ok(method: string, path: string, body?: unknown): Promise<Obj> {
    const res = await this.mgmt.request(method, path, { body, contentType: 'application/json' });
    if (res.status < 200 || res.status >= 300) throw new Error(`${method} ${path}: ${res.status}`);
    return JSON.parse(res.body) as Obj;
  }

  /** One pass over every ClusterResourceSet of every namespace. */
  async reconcileOnce(): Promise<void> {
    const capi = await this.mgmt.discovery.preferredVersion('cluster.x-k8s.io');
    if (!capi) return;
    const sets = await listObjects(this.mgmt, ADDONS, 'ClusterResourceSet');
    for (const crs of sets as Obj[]) await this.reconcileSet(crs, capi);
  }

  private async reconcileSet(crs: Obj, capi: string): Promise<void> {
    const ns: string = crs.metadata.namespace;
    if (crs.spec?.strategy && crs.spec.strategy !== 'Reconcile') return; // ApplyOnce is not modelled
    const clusters = ((await listObjects(this.mgmt, capi, 'Cluster', ns)) as Obj[]).filter(
      (c) => !c.metadata.deletionTimestamp && selectorMatches(crs.spec?.clusterSelector as LabelSelector | undefined, c.metadata.labels),
    );
    const resources: { ref: { name: string; kind: string }; secret?: Obj; wrongType?: boolean }[] = [];
    for (const ref of (crs.spec?.resources ?? []) as { name: string; kind: string }[]) {
      if (ref.kind !== 'Secret') continue; // ConfigMaps are not modelled
      const secret = await getObject(this.mgmt, 'v1', 'Secret', ns, ref.name);
      if (!secret) continue;
      resources.push({ ref, secret, wrongType: secret.type !== RESOURCE_SET_SECRET_TYPE });
    }
    let condition: { status: 'True' | 'False'; reason?: string; message?: string } = { status: 'True' };
    const wrong = resources.find((r) => r.wrongType);
    if (wrong) {
      condition = { status: 'False', reason: 'WrongSecretType', message: `Secret type of resource ${wrong.ref.name} is not supported` };
    } else {
      for (const cluster of clusters) {
        const c = await this.applyToCluster(crs, cluster, resources as { ref: { name: string; kind: string }; secret: Obj }[]);
        if (c) condition = c;
      }
    }
    await this.setCondition(crs, condition);
  }

  private async applyToCluster(
    crs: Obj,
    cluster: Obj,
    resources: { ref: { name: string; kind: string }; secret: Obj }[],
  ): Promise<{ status: 'False'; reason: string; message: string } | undefined> {
    const ns: string = cluster.metadata.namespace;
    const name: string = cluster.metadata.name;
    let binding = await getObject(this.mgmt, ADDONS, 'ClusterResourceSetBinding', ns, name);
    if (!binding) {
      binding = await this.ok('POST', pathFor(ADDONS, 'ClusterResourceSetBinding', ns), {
        apiVersion: ADDONS,
        kind: 'ClusterResourceSetBinding',
        metadata: { name, namespace: ns },
        spec: { clusterName: name, bindings: [] },
      });
    }
    const b = binding as Obj;
    const owners: Obj[] = b.metadata.ownerReferences ?? [];
    if (!owners.some((o) => o.kind === 'ClusterResourceSet' && o.name === crs.metadata.name)) {
      owners.push({ apiVersion: ADDONS, kind: 'ClusterResourceSet', name: crs.metadata.name, uid: crs.metadata.uid });
    }
    b.metadata.ownerReferences = owners;
    b.spec = b.spec ?? {};
    b.spec.clusterName = name;
    b.spec.bindings = b.spec.bindings ?? [];
    let entry = (b.spec.bindings as Obj[]).find((x) => x.clusterResourceSetName === crs.metadata.name);
    if (!entry) {
      entry = { clusterResourceSetName: crs.metadata.name, resources: [] };
      b.spec.bindings.push(entry);
    }
    const e = entry as Obj;
    e.resources = e.resources ?? [];
    let failure: { status: 'False'; reason: string; message: string } | undefined;
    let client: KubeClient | undefined;
    try {
      client = await workloadClient(this.mgmt, ns, name, this.retry);
    } catch (err) {
      failure = { status: 'False', reason: 'RemoteClusterClientFailed', message: String((err as Error).message) };
    }
    if (client) {
      for (const r of resources) {
        const hash = resourceSetHash(r.secret.data ?? {});
        const prev = (e.resources as Obj[]).find((x) => x.kind === r.ref.kind && x.name === r.ref.name);
        if (prev && prev.applied && prev.hash === hash) continue; // needsApply() is false
        let applied = true;
        let error: string | undefined;
        try {
          for (const obj of unwrapResourceSet(r.secret.data ?? {})) await createOrUpdate(client, obj);
        } catch (err) {
          applied = false;
          error = (err as Error).message;
          failure = { status: 'False', reason: 'ApplyFailed', message: 'Failed to apply ClusterResourceSet resources to Cluster' };
        }
        const rec = { name: r.ref.name, kind: r.ref.kind, hash, applied, lastAppliedTime: now() };
        e.resources = [...(e.resources as Obj[]).filter((x) => !(x.kind === r.ref.kind && x.name === r.ref.name)), rec];
        this.log.push({ crs: crs.metadata.name, cluster: name, resource: r.ref.name, applied, ...(error ? { error } : {}) });
      }
    }
    await this.ok('PUT', pathFor(ADDONS, 'ClusterResourceSetBinding', ns, name), b);
    return failure;
  }

  private async setCondition(crs: Obj, c: { status: 'True' | 'False'; reason?: string; message?: string }): Promise<void> {
    const fresh = await getObject(this.mgmt, ADDONS, 'ClusterResourceSet', crs.metadata.namespace, crs.metadata.name);
    if (!fresh) return;
    const f = fresh as Obj;
    const old = ((f.status?.conditions ?? []) as Obj[]).find((x) => x.type === 'ResourcesApplied');
    if (old && old.status === c.status && old.reason === c.reason) return;
    f.status = {
      ...(f.status ?? {}),
      conditions: [{ type: 'ResourcesApplied', lastTransitionTime: now(), ...c, ...(c.status === 'False' ? { severity: 'Warning' } : {}) }],
    };
    const res = await this.mgmt.request('PUT', `${pathFor(ADDONS, 'ClusterResourceSet', f.metadata.namespace, f.metadata.name)}/status`, {
      body: f,
      contentType: 'application/json',
    });
    if (res.status >= 300 && res.status !== 409) throw new Error(`updating CRS status: ${res.status}`);
  }

  /** Resync every `intervalMs` until stop(). Errors of one pass are recorded and the next pass retries. */
  start(intervalMs = 200): void {
    const tick = () => {
      this.running = this.reconcileOnce()
        .catch((e: Error) => {
          this.log.push({ crs: '*', cluster: '*', resource: '*', applied: false, error: e.message });
        })
        .finally(() => {
          if (this.timer !== undefined) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}

/** Create, or update when it exists (the Reconcile strategy's apply), as field manager `manager`. */
async function createOrUpdate(client: KubeClient, obj: Obj): Promise<void> {
  const apiVersion: string = obj.apiVersion;
  const kind: string = obj.kind;
  const ns: string | undefined = obj.metadata?.namespace;
  const name: string = obj.metadata?.name;
  const q = `?fieldManager=${CRS_FIELD_MANAGER}`;
  const live = await client.request('GET', pathFor(apiVersion, kind, ns, name));
  let res;
  if (live.status === 404) {
    res = await client.request('POST', pathFor(apiVersion, kind, ns) + q, { body: obj, contentType: 'application/json' });
  } else {
    const current = JSON.parse(live.body) as Obj;
    const { managedFields: _managedFields, ...meta } = current.metadata as Obj;
    const next = { ...obj, metadata: { ...meta, ...obj.metadata, resourceVersion: current.metadata.resourceVersion } };
    res = await client.request('PUT', pathFor(apiVersion, kind, ns, name) + q, { body: next, contentType: 'application/json' });
  }
  if (res.status < 200 || res.status >= 300) throw new Error(`${kind} ${ns ?? ''}/${name}: ${res.status}`);
}

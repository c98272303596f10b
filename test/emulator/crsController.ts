// A model of Cluster API's ClusterResourceSet and ClusterResourceSetBinding controllers, written from
// kubernetes-sigs/cluster-api@ae7ff047 (paths below are in that tree):
//   core/reconcilers/clusterresourceset/clusterresourceset_controller.go   (C)
//   core/reconcilers/clusterresourceset/clusterresourceset_scope.go        (S)
//   core/reconcilers/clusterresourceset/clusterresourceset_helpers.go      (H)
//   core/reconcilers/clusterresourcesetbinding/clusterresourcesetbinding_controller.go (B)
//   api/addons/v1beta2/clusterresourcesetbinding_types.go                   (T)
// It imports nothing from src/: it talks to the management emulator over HTTPS like the controller manager
// (User-Agent `manager/…`, so the API server records field manager `manager`) and reaches workload clusters
// through the ClusterCache model (clusterCache.ts). One `reconcileOnce()` reconciles every ClusterResourceSet
// and every binding once; steps the real controller splits over several reconciles (adding the finalizer,
// setting the Paused condition, each a separate event) are done in the same pass.
//
// Behaviour, with its source:
// - Finalizer `addons.cluster.x-k8s.io` first (C:138). Paused condition (util/paused EnsurePausedCondition:
//   the `cluster.x-k8s.io/paused` annotation stops reconciliation, C:148).
// - Clusters: the CRS's namespace, its selector (empty selects nothing, C:272), not being deleted (C:285).
// - Per Cluster (C:299 ApplyClusterResourceSet): each resource (Secret of type
//   `addons.cluster.x-k8s.io/resource-set`, or ConfigMap) is fetched; a wrong Secret type is WrongSecretType
//   (C:311), a missing one RetrievingResourceFailed and skipped (C:320-330); each gets an ownerReference to
//   the CRS (C:496, so the garbage collector deletes resources that only the CRS owns). The binding
//   `<cluster>` (owner CRS, spec.clusterName, H:110) gets an entry per CRS (T:91); without a connection to the
//   cluster: RemoteClusterClientFailed (C:376). Resources are applied when `needsApply`: ApplyOnce only until
//   applied once (S:155), Reconcile when not applied or the hash changed (S:110). ApplyOnce creates and
//   tolerates AlreadyExists (S:163), Reconcile gets and merge-patches from the live object (S:120).
// - Hash: `sha256:` over the data values in sorted key order, Secrets base64-decoded (H:166 computeHash,
//   H:181 normalizeData). Values are split into YAML documents or a JSON list (H:51); a value shorter than
//   32 bytes fails (H:85 isJSONList peeks 32 bytes and gets EOF), and such a resource is recorded unapplied.
// - Conditions in both layouts: v1beta2 `ResourcesApplied` (Applied / NotApplied / WrongSecretType /
//   InternalError) and the deprecated v1beta1 one (RemoteClusterClientFailed / ApplyFailed /
//   RetrievingResourceFailed / WrongSecretType with severities), written where the stored apiVersion keeps
//   them (v1beta2: status.conditions + status.deprecated.v1beta1.conditions; v1beta1: status.conditions +
//   status.v1beta2.conditions). Each Cluster overwrites them, so the last Cluster's outcome shows (C:191).
// - Deletion: the CRS is removed from the bindings of the selected Clusters, an empty binding is deleted,
//   then the finalizer goes (C:222; like upstream it stops at the first selected Cluster without a binding).
// - Bindings of Clusters that are gone or being deleted are deleted (B), for topology Clusters only once
//   the `runtime.cluster.x-k8s.io/ok-to-delete` annotation is there (RuntimeSDK enabled).
import { createHash } from 'node:crypto';
import { loadAll } from 'js-yaml';
import { ClusterCache } from './clusterCache';
import { setCondition, setV1Beta1, type Condition, type V1Beta1Condition } from './conditions';
import {
  ApiStatusError,
  ControllerClient,
  Resync,
  isAlreadyExists,
  isNotFound,
  mergePatchBetween,
  nowRfc3339,
  type ClusterSource,
  type Obj,
} from './controllerClient';

const ADDONS = 'addons.cluster.x-k8s.io/v1beta2';
const CAPI = 'cluster.x-k8s.io/v1beta2';
export const RESOURCE_SET_TYPE = 'addons.cluster.x-k8s.io/resource-set';
const FINALIZER = 'addons.cluster.x-k8s.io';
/**
 * controller-runtime sets no field manager, so the API server takes the binary name from the User-Agent:
 * `manager` (controllers/remote/restconfig.go DefaultClusterAPIUserAgent).
 */
const USER_AGENT = 'manager/v1.12.0 cluster-api-controller-manager (linux/amd64) cluster.x-k8s.io/ae7ff04';

export interface ReconcileLog {
  crs: string;
  cluster: string;
  resource: string;
  applied: boolean;
  error?: string;
}

/** `sha256:` + hex of the data values in sorted key order, Secret values base64-decoded (H:166, H:181). */
export function resourceHash(resource: Obj): string {
  return `sha256:${createHash('sha256')
    .update(Buffer.concat(normalizedData(resource)))
    .digest('hex')}`;
}

function normalizedData(resource: Obj): Buffer[] {
  const data = resource.data;
  if (!data || typeof data !== 'object')
    throw new Error(`failed to get data field from resource ${resource.metadata.namespace}/${resource.metadata.name}`);
  return Object.keys(data)
    .sort()
    .map((k) => (resource.kind === 'Secret' ? Buffer.from(String(data[k]), 'base64') : Buffer.from(String(data[k]), 'utf8')));
}

/** util/resource SortForCreate: Namespaces, CRDs, … before the rest, stable otherwise. */
const CREATE_ORDER: Record<string, number> = {
  Namespace: -100,
  CustomResourceDefinition: -99,
  StorageClass: -98,
  PersistentVolume: -97,
  PersistentVolumeClaim: -96,
  Secret: -95,
  ConfigMap: -94,
  ServiceAccount: -93,
  LimitRange: -92,
  Pod: -91,
  ReplicaSet: -90,
  Endpoint: -89,
};

/** H:51 objsFromYamlData: per data value a JSON list or YAML documents, each sorted for creation. */
function objectsOf(values: Buffer[]): Obj[] {
  const out: Obj[] = [];
  for (const v of values) {
    if (v.length < 32) throw new Error('EOF');
    const text = v.toString('utf8');
    let objs: Obj[] = [];
    if (text.trimStart().startsWith('[')) {
      try {
        objs = (JSON.parse(text) as unknown[]).filter((o): o is Obj => !!o && typeof o === 'object' && !Array.isArray(o));
      } catch {
        objs = []; // H:63: a JSON list that does not unmarshal yields nothing
      }
    } else {
      let n = 1;
      for (const d of loadAll(text)) {
        if (d === null || d === undefined) continue;
        if (typeof d !== 'object' || Array.isArray(d))
          throw new Error(`failed converting data to unstructured objects: failed to unmarshal the ${ordinal(n)} yaml document`);
        objs.push(d as Obj);
        n++;
      }
    }
    out.push(
      ...objs
        .map((o, i) => ({ o, i }))
        .sort((a, b) => (CREATE_ORDER[a.o.kind] ?? 0) - (CREATE_ORDER[b.o.kind] ?? 0) || a.i - b.i)
        .map((x) => x.o),
    );
  }
  return out;
}

const ordinal = (n: number): string =>
  `${n}${n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th'}`;

/** metav1.LabelSelectorAsSelector(...).String(), for the list request. */
function selectorString(sel: Obj | undefined): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries((sel?.matchLabels ?? {}) as Record<string, string>)) parts.push(`${k}=${v}`);
  for (const e of (sel?.matchExpressions ?? []) as Obj[]) {
    const vals = ((e.values ?? []) as string[]).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${vals})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${vals})`);
    else if (e.operator === 'Exists') parts.push(String(e.key));
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

/** schema.GroupVersionKind.String() and klog.KObj, as the wrapped errors print them. */
const gvkOf = (o: Obj): string => {
  const av = String(o.apiVersion ?? '');
  const [g, v] = av.includes('/') ? av.split('/') : ['', av];
  return `${g}/${v}, Kind=${o.kind}`;
};
const kobj = (o: Obj): string => (o.metadata?.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : String(o.metadata?.name ?? ''));

/** kerrors.NewAggregate(...).Error(): one error bare, several as `[a, b]`. */
const aggregate = (errs: string[]): string => (errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);

interface Outcome {
  v1beta1: V1Beta1Condition;
  v1beta2: Omit<Condition, 'observedGeneration' | 'lastTransitionTime'>;
}

const INTERNAL = 'Please check controller logs for errors';

export interface CrsControllerOptions {
  /** A ClusterCache shared with other models (default: an own one). */
  cache?: ClusterCache;
}

export class CrsController {
  /** What each reconcile did (names only, never data), for assertions. */
  readonly log: ReconcileLog[] = [];
  private readonly mgmt: ControllerClient;
  private readonly cache: ClusterCache;
  private readonly ownCache: boolean;
  private readonly resync = new Resync(
    () => this.reconcileOnce(),
    (e) => this.log.push({ crs: '*', cluster: '*', resource: '*', applied: false, error: e.message }),
  );

  constructor(management: ClusterSource, options: CrsControllerOptions = {}) {
    this.mgmt = new ControllerClient(management, { userAgent: USER_AGENT });
    this.ownCache = !options.cache;
    this.cache = options.cache ?? new ClusterCache(this.mgmt, USER_AGENT);
  }

  /** One pass: the cache connects to the Clusters (also when it is shared), then every ClusterResourceSet and every binding is reconciled once. */
  async reconcileOnce(): Promise<void> {
    const clusters = await this.mgmt.list(CAPI, 'Cluster');
    for (const c of clusters) await this.cache.reconcile(c.metadata.namespace, c.metadata.name, c);
    for (const crs of await this.mgmt.list(ADDONS, 'ClusterResourceSet')) {
      try {
        await this.reconcileSet(crs);
      } catch (e) {
        this.log.push({ crs: crs.metadata.name, cluster: '*', resource: '*', applied: false, error: (e as Error).message });
      }
    }
    for (const b of await this.mgmt.list(ADDONS, 'ClusterResourceSetBinding')) await this.reconcileBinding(b);
  }

  private async reconcileSet(listed: Obj): Promise<void> {
    let crs = listed;
    const ns: string = crs.metadata.namespace;
    if (!(crs.metadata.finalizers ?? []).includes(FINALIZER) && !crs.metadata.deletionTimestamp) {
      crs = await this.mgmt.mergePatch(crs, { metadata: { finalizers: [...(crs.metadata.finalizers ?? []), FINALIZER] } });
    }
    const paused = crs.metadata.annotations?.['cluster.x-k8s.io/paused'] !== undefined;
    const status = new StatusWriter(crs);
    status.setPaused(paused);
    if (paused) return status.write(this.mgmt, false);
    const selector = selectorString(crs.spec?.clusterSelector);
    const clusters = selector ? (await this.mgmt.list(CAPI, 'Cluster', ns, selector)).filter((c) => !c.metadata.deletionTimestamp) : [];
    if (crs.metadata.deletionTimestamp) {
      await this.reconcileDelete(clusters, crs);
      return;
    }
    let ok = true;
    for (const cluster of clusters) {
      const outcome = await this.applyToCluster(cluster, crs, status);
      if (outcome === 'error') ok = false;
    }
    await status.write(this.mgmt, ok);
  }

  private async reconcileDelete(clusters: Obj[], crs: Obj): Promise<void> {
    const removeFinalizer = () =>
      this.mgmt.mergePatch(crs, { metadata: { finalizers: (crs.metadata.finalizers ?? []).filter((f: string) => f !== FINALIZER) } });
    for (const cluster of clusters) {
      const binding = await this.mgmt.get(ADDONS, 'ClusterResourceSetBinding', cluster.metadata.namespace, cluster.metadata.name);
      if (!binding) {
        await removeFinalizer();
        return;
      }
      const bindings = ((binding.spec?.bindings ?? []) as Obj[]).filter((b) => b.clusterResourceSetName !== crs.metadata.name);
      const owners = ((binding.metadata.ownerReferences ?? []) as Obj[]).filter(
        (o) =>
          !(o.kind === 'ClusterResourceSet' && o.name === crs.metadata.name && String(o.apiVersion).startsWith('addons.cluster.x-k8s.io/')),
      );
      if (bindings.length === 0) {
        try {
          await this.mgmt.delete(ADDONS, 'ClusterResourceSetBinding', binding.metadata.namespace, binding.metadata.name);
        } catch {
          // C:250: logged only
        }
      } else await this.mgmt.mergePatch(binding, { metadata: { ownerReferences: owners }, spec: { bindings } });
    }
    await removeFinalizer();
  }

  /** C:299 ApplyClusterResourceSet for one Cluster; 'error' when it returns an error. */
  private async applyToCluster(cluster: Obj, crs: Obj, status: StatusWriter): Promise<'ok' | 'error'> {
    const ns: string = cluster.metadata.namespace;
    const refs = (crs.spec?.resources ?? []) as Obj[];
    const objs: (Obj | undefined)[] = [];
    const errs: string[] = [];
    for (const ref of refs) {
      const resource = await this.mgmt.get('v1', ref.kind, ns, ref.name);
      if (!resource) {
        status.outcome({
          v1beta1: {
            type: 'ResourcesApplied',
            status: 'False',
            reason: 'RetrievingResourceFailed',
            severity: 'Warning',
            message: `${ref.kind === 'Secret' ? 'secrets' : 'configmaps'} "${ref.name}" not found`,
          },
          v1beta2: { type: 'ResourcesApplied', status: 'False', reason: 'InternalError', message: INTERNAL },
        });
        objs.push(undefined);
        continue;
      }
      if (ref.kind === 'Secret' && resource.type !== RESOURCE_SET_TYPE) {
        status.outcome({
          v1beta1: {
            type: 'ResourcesApplied',
            status: 'False',
            reason: 'WrongSecretType',
            severity: 'Warning',
            message: 'unsupported secret type',
          },
          v1beta2: {
            type: 'ResourcesApplied',
            status: 'False',
            reason: 'WrongSecretType',
            message: `Secret type of resource ${ref.name} is not supported`,
          },
        });
        errs.push('unsupported secret type');
        objs.push(undefined);
        continue;
      }
      const owner = { apiVersion: ADDONS, kind: 'ClusterResourceSet', name: crs.metadata.name, uid: crs.metadata.uid };
      const owners = (resource.metadata.ownerReferences ?? []) as Obj[];
      if (!owners.some((o) => o.kind === owner.kind && o.name === owner.name && o.uid === owner.uid && o.apiVersion === owner.apiVersion)) {
        const others = owners.filter(
          (o) => !(o.kind === owner.kind && o.name === owner.name && String(o.apiVersion).split('/')[0] === 'addons.cluster.x-k8s.io'),
        );
        await this.mgmt.mergePatch(resource, { metadata: { ownerReferences: [...others, owner] } });
      }
      objs.push(resource);
    }
    if (errs.length) return 'error';

    // H:110 getOrCreateClusterResourceSetBinding
    const owner = { apiVersion: ADDONS, kind: 'ClusterResourceSet', name: crs.metadata.name, uid: crs.metadata.uid };
    let binding = await this.mgmt.get(ADDONS, 'ClusterResourceSetBinding', ns, cluster.metadata.name);
    if (!binding) {
      try {
        binding = await this.mgmt.create({
          apiVersion: ADDONS,
          kind: 'ClusterResourceSetBinding',
          metadata: { name: cluster.metadata.name, namespace: ns, ownerReferences: [owner] },
          spec: { clusterName: cluster.metadata.name },
        });
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
        binding = (await this.mgmt.get(ADDONS, 'ClusterResourceSetBinding', ns, cluster.metadata.name)) as Obj;
      }
    }
    const original = structuredClone(binding);
    const b = structuredClone(binding);
    const owners = (b.metadata.ownerReferences ?? []) as Obj[];
    const at = owners.findIndex(
      (o) => o.kind === owner.kind && o.name === owner.name && String(o.apiVersion).split('/')[0] === 'addons.cluster.x-k8s.io',
    );
    if (at >= 0) owners[at] = owner;
    else owners.push(owner);
    b.metadata.ownerReferences = owners;
    b.spec ??= {};
    b.spec.bindings ??= [];
    let entry = (b.spec.bindings as Obj[]).find((x) => x.clusterResourceSetName === crs.metadata.name);
    if (!entry) {
      entry = { clusterResourceSetName: crs.metadata.name, resources: [] };
      b.spec.bindings.push(entry);
    }
    const e = entry as Obj;
    e.resources ??= [];
    const setBinding = (ref: Obj, hash: string, applied: boolean) => {
      const rec: Obj = { name: ref.name, kind: ref.kind, applied, lastAppliedTime: nowRfc3339() };
      if (hash) rec.hash = hash;
      const i = (e.resources as Obj[]).findIndex((x) => x.name === ref.name && x.kind === ref.kind);
      if (i >= 0) e.resources[i] = rec;
      else e.resources.push(rec);
    };
    const run = async (): Promise<'ok' | 'error'> => {
      let client: ControllerClient;
      try {
        client = this.cache.getClient(ns, cluster.metadata.name);
      } catch (err) {
        status.outcome({
          v1beta1: {
            type: 'ResourcesApplied',
            status: 'False',
            reason: 'RemoteClusterClientFailed',
            severity: 'Error',
            message: (err as Error).message,
          },
          v1beta2: { type: 'ResourcesApplied', status: 'False', reason: 'InternalError', message: INTERNAL },
        });
        this.log.push({
          crs: crs.metadata.name,
          cluster: cluster.metadata.name,
          resource: '*',
          applied: false,
          error: (err as Error).message,
        });
        return 'error';
      }
      const applyErrs: string[] = [];
      for (let i = 0; i < refs.length; i++) {
        const ref = refs[i];
        const resource = objs[i];
        if (!resource) continue;
        let hash: string;
        let toApply: Obj[];
        try {
          if (crs.spec?.strategy !== 'ApplyOnce' && crs.spec?.strategy !== 'Reconcile')
            throw new Error(`unsupported or empty resource strategy: ${JSON.stringify(String(crs.spec?.strategy ?? ''))}`);
          const data = normalizedData(resource);
          toApply = objectsOf(data);
          hash = resourceHash(resource);
        } catch (err) {
          setBinding(ref, '', false);
          applyErrs.push((err as Error).message);
          continue;
        }
        const prev = (e.resources as Obj[]).find((x) => x.name === ref.name && x.kind === ref.kind);
        const needsApply =
          crs.spec.strategy === 'ApplyOnce' ? prev?.applied !== true : !prev || prev.applied !== true || prev.hash !== hash;
        if (!needsApply) continue;
        setBinding(ref, '', false);
        const failed: string[] = [];
        for (const obj of toApply) {
          try {
            if (crs.spec.strategy === 'ApplyOnce') await applyOnce(client, obj);
            else await reconcileApply(client, obj);
          } catch (err) {
            failed.push((err as Error).message);
          }
        }
        if (failed.length) {
          applyErrs.push(aggregate(failed));
          status.outcome({
            v1beta1: { type: 'ResourcesApplied', status: 'False', reason: 'ApplyFailed', severity: 'Warning', message: aggregate(failed) },
            v1beta2: {
              type: 'ResourcesApplied',
              status: 'False',
              reason: 'NotApplied',
              message: 'Failed to apply ClusterResourceSet resources to Cluster',
            },
          });
        }
        setBinding(ref, hash, failed.length === 0);
        this.log.push({
          crs: crs.metadata.name,
          cluster: cluster.metadata.name,
          resource: ref.name,
          applied: failed.length === 0,
          ...(failed.length ? { error: aggregate(failed) } : {}),
        });
      }
      if (applyErrs.length) return 'error';
      status.outcome({
        v1beta1: { type: 'ResourcesApplied', status: 'True' },
        v1beta2: { type: 'ResourcesApplied', status: 'True', reason: 'Applied', message: '' },
      });
      return 'ok';
    };
    const patchBinding = async () => {
      // C:355-364: the binding is always patched, as a merge patch with the optimistic lock. Empty lists are
      // left out as Go's encoder does with `omitempty` (T:58, T:137).
      for (const x of b.spec.bindings as Obj[]) if (!x.resources?.length) delete x.resources;
      const patch = mergePatchBetween(original, b);
      if (Object.keys(patch).length) {
        try {
          await this.mgmt.mergePatch(b, {
            ...patch,
            metadata: { ...(patch.metadata ?? {}), resourceVersion: original.metadata.resourceVersion },
          });
        } catch (err) {
          // C:207-214: a conflict is retried on the next pass.
          if (!(err instanceof ApiStatusError) || err.code !== 409) throw err;
        }
      }
    };
    let result: 'ok' | 'error';
    try {
      result = await run();
    } catch (err) {
      await patchBinding();
      throw err;
    }
    await patchBinding();
    return result;
  }

  /** B: the binding of a Cluster that is gone or being deleted goes. */
  private async reconcileBinding(binding: Obj): Promise<void> {
    const ns: string = binding.metadata.namespace;
    const cluster = await this.mgmt.get(CAPI, 'Cluster', ns, binding.spec?.clusterName ?? '');
    const topologyHoldsIt =
      cluster?.spec?.topology && cluster.metadata.annotations?.['runtime.cluster.x-k8s.io/ok-to-delete'] === undefined;
    if (cluster && (!cluster.metadata.deletionTimestamp || topologyHoldsIt)) return;
    try {
      await this.mgmt.delete(ADDONS, 'ClusterResourceSetBinding', ns, binding.metadata.name);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  /** Resync every `intervalMs` until stop(); a failing pass is logged and the next one retries. */
  start(intervalMs = 200): this {
    this.resync.start(intervalMs);
    return this;
  }

  async stop(): Promise<void> {
    await this.resync.stop();
    if (this.ownCache) this.cache.close();
    this.mgmt.close();
  }
}

/** S:163: create; AlreadyExists is fine. */
async function applyOnce(client: ControllerClient, obj: Obj): Promise<void> {
  try {
    await client.create(obj);
  } catch (e) {
    if (isAlreadyExists(e)) return;
    throw new Error(`creating object ${gvkOf(obj)} ${kobj(obj)}: ${(e as Error).message}`, { cause: e });
  }
}

/** S:120: create when missing, else a merge patch from the live object to the desired one (client.MergeFrom). */
async function reconcileApply(client: ControllerClient, obj: Obj): Promise<void> {
  let current: Obj | undefined;
  try {
    current = await client.get(obj.apiVersion, obj.kind, obj.metadata?.namespace, obj.metadata?.name);
  } catch (e) {
    throw new Error(`reading object ${gvkOf(obj)} ${kobj(obj)}: ${(e as Error).message}`, { cause: e });
  }
  if (!current) {
    try {
      await client.create(obj);
    } catch (e) {
      throw new Error(`creating object ${gvkOf(obj)} ${kobj(obj)}: ${(e as Error).message}`, { cause: e });
    }
    return;
  }
  const desired = { ...obj, metadata: { ...obj.metadata, resourceVersion: current.metadata.resourceVersion } };
  try {
    await client.mergePatch(desired, mergePatchBetween(current, desired));
  } catch (e) {
    throw new Error(`patching object ${gvkOf(obj)} ${kobj(obj)}: ${(e as Error).message}`, { cause: e });
  }
}

/** The CRS status as the patch helper writes it at the end of Reconcile (C:152-170), in the stored layout. */
class StatusWriter {
  private v1beta1: V1Beta1Condition[];
  private v1beta2: Condition[];
  private readonly layoutV1Beta2: boolean;

  constructor(private readonly crs: Obj) {
    this.layoutV1Beta2 = crs.apiVersion !== 'addons.cluster.x-k8s.io/v1beta1';
    const st = crs.status ?? {};
    this.v1beta1 = (this.layoutV1Beta2 ? st.deprecated?.v1beta1?.conditions : st.conditions) ?? [];
    this.v1beta2 = (this.layoutV1Beta2 ? st.conditions : st.v1beta2?.conditions) ?? [];
  }

  setPaused(paused: boolean): void {
    this.v1beta2 = setCondition(
      this.v1beta2,
      paused
        ? { type: 'Paused', status: 'True', reason: 'Paused', message: 'ClusterResourceSet has the cluster.x-k8s.io/paused annotation' }
        : { type: 'Paused', status: 'False', reason: 'NotPaused', message: '' },
      this.crs.metadata.generation,
    );
  }

  outcome(o: Outcome): void {
    this.v1beta1 = setV1Beta1(this.v1beta1, o.v1beta1);
    this.v1beta2 = setCondition(this.v1beta2, { ...o.v1beta2, message: o.v1beta2.message }, this.crs.metadata.generation);
  }

  async write(mgmt: ControllerClient, observed: boolean): Promise<void> {
    const st: Obj = structuredClone(this.crs.status ?? {});
    if (this.layoutV1Beta2) {
      st.conditions = this.v1beta2;
      if (this.v1beta1.length)
        st.deprecated = { ...(st.deprecated ?? {}), v1beta1: { ...(st.deprecated?.v1beta1 ?? {}), conditions: this.v1beta1 } };
    } else {
      if (this.v1beta1.length) st.conditions = this.v1beta1;
      st.v1beta2 = { ...(st.v1beta2 ?? {}), conditions: this.v1beta2 };
    }
    if (observed) st.observedGeneration = this.crs.metadata.generation;
    if (JSON.stringify(st) === JSON.stringify(this.crs.status ?? {})) return;
    try {
      await mgmt.mergePatch(this.crs, { status: mergePatchBetween(this.crs.status ?? {}, st) }, 'status');
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

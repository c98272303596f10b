// A model of Cluster API's topology, cluster, KubeadmControlPlane and MachineDeployment controllers as far as
// a topology Cluster shows them, importing nothing from src/. Control plane, MachineDeployments and Machines
// are not objects in the emulator; the model keeps them in memory and writes what the Cluster reflects:
// spec.infrastructureRef/controlPlaneRef, the finalizer, phase, initialization, replica counters and the
// v1beta2 conditions (plus the deprecated v1beta1 ones) in the layout of the stored apiVersion.
//
// Sources (kubernetes-sigs/cluster-api; `v1.11.11` and `ae7ff047` are tags/commits of the mirror):
//   core/reconcilers/cluster/cluster_controller_status.go@ae7ff047  (ST: phase, counters, conditions, Available)
//   core/reconcilers/cluster/cluster_controller.go@ae7ff047         (CC: deletion, Deleting reasons, v1beta1 Ready)
//   exp/topology/desiredstate/desired_state.go@v1.11.11             (DS: control plane / MD version sequencing, hooks)
//   internal/controllers/topology/cluster/conditions.go@v1.11.11    (C11: TopologyReconciled up to CAPI v1.11)
//   core/reconcilers/topology/cluster/status.go@ae7ff047            (C12: TopologyReconciled from CAPI v1.12 on)
//   exp/topology/scope/hookresponsetracker.go (both)                (hook messages)
//   controlplane/kubeadm/reconcilers/kubeadmcontrolplane/status.go, core/reconcilers/machinedeployment/
//   machinedeployment_status.go@ae7ff047                            (RollingOut/ScalingUp/ScalingDown/Available texts)
//   controllers/clustercache (clusterCache.ts)                       (RemoteConnectionProbe)
//
// Behaviour:
// - Lifecycle: Pending (no refs) → the topology controller sets the refs → Provisioning → after
//   `infraSteps` passes the infrastructure is provisioned with an endpoint → Provisioned (ST setPhase). The
//   control plane starts its first Machine; once it is ready the control plane is initialized (and, if
//   `provisionWorkload` is given, the workload cluster and its `<cluster>-kubeconfig` Secret appear, as KCP
//   creates it), then the MachineDeployments are created (DS: creation waits for a stable control plane).
// - Upgrade (topology.version): the control plane first (held while it provisions or while MDs roll out, and
//   while a BeforeClusterUpgrade hook blocks: the `before-upgrade.hook.cluster.cluster.x-k8s.io/*` annotations
//   or the `hooks.beforeClusterUpgrade` function), then MachineDeployments one at a time. Class changes roll
//   out new Machines (new templates) without version sequencing. A ClusterClass that does not exist is
//   ReconcileFailed (the ClusterClass controller itself is not modelled: existing classes count as reconciled). TopologyReconciled as the chosen CAPI
//   version writes it: `capiVersion: '1.11'` (default; ControlPlaneUpgradePending, MachineDeploymentsUpgradePending,
//   MachineDeploymentsCreatePending, LifecycleHookBlocking with `hook "BeforeClusterUpgrade" is blocking…`) or
//   `'1.12'` (ClusterUpgrading with a bulleted message, the hook as a detail).
// - Scale: control-plane replicas (one Machine at a time) and MD replicas (all missing at once): ScalingUp /
//   ScalingDown, RollingOut while Machines are not up to date, counters in status.controlPlane/workers.
// - Deletion (deletionTimestamp + finalizer): Deleting WaitingForWorkersDeletion → WaitingForControlPlaneDeletion
//   → WaitingForInfrastructureDeletion → finalizer removed; topology Clusters get
//   `runtime.cluster.x-k8s.io/ok-to-delete` first (no BeforeClusterDelete hook blocks).
// - Paused (spec.paused or the cluster.x-k8s.io/paused annotation): Paused True, TopologyReconciled Paused,
//   nothing moves.
// Driven by `step()` (one pass over every topology Cluster, for tests) or `start(intervalMs)`.
import { randomBytes } from 'node:crypto';
import { ClusterCache, infrastructureProvisioned } from './clusterCache';
import {
  aggregate,
  defaultPriority,
  falseCondition,
  getCondition,
  setCondition,
  setSummary,
  setV1Beta1,
  summarize,
  trueCondition,
  type Condition,
  type Owned,
  type V1Beta1Condition,
} from './conditions';
import { ControllerClient, isNotFound, mergePatchBetween, Resync, type ClusterSource, type Obj } from './controllerClient';

const CAPI = 'cluster.x-k8s.io/v1beta2';
const FINALIZER = 'cluster.cluster.x-k8s.io';
const USER_AGENT = 'manager/v1.12.0 cluster-api-controller-manager (linux/amd64) cluster.x-k8s.io/ae7ff04';
const HOOK_ANNOTATION_PREFIX = 'before-upgrade.hook.cluster.cluster.x-k8s.io';
const OK_TO_DELETE = 'runtime.cluster.x-k8s.io/ok-to-delete';

interface Machine {
  name: string;
  version: string;
  template: string;
  /** Passes until it has a node and is ready (0 = ready). */
  bootsIn: number;
  /** Marked for deletion: gone on the next pass (drain and delete take a pass). */
  deleting?: boolean;
}

interface Workers {
  name: string;
  topologyName: string;
  class: string;
  version: string;
  replicas: number;
  template: string;
  machines: Machine[];
}

interface State {
  infraName: string;
  infraIn: number;
  provisioned: boolean;
  cp: { name: string; version: string; replicas: number; template: string; machines: Machine[]; initialized: boolean };
  mds: Workers[];
  workloadProvisioned: boolean;
  deleting?: { workersIn: number; cpIn: number; infraIn: number };
}

/** A hook's answer: `retryAfterSeconds` > 0 blocks, with an optional message (runtime hooks v1alpha1). */
export interface HookResponse {
  retryAfterSeconds: number;
  message?: string;
  /** ResponseStatusFailure: the hook call fails and the topology reconcile with it. */
  failure?: boolean;
}

export interface TopologyOptions {
  /** Which CAPI's TopologyReconciled texts to write (default 1.11, what SCS management clusters run). */
  capiVersion?: '1.11' | '1.12';
  /** Passes until the infrastructure is provisioned (default 2). */
  infraSteps?: number;
  /** Passes until a new Machine has a ready node (default 1). */
  machineSteps?: number;
  /** RemoteConnectionGracePeriod (default 50 s, as the cluster controller's flag). */
  remoteConnectionGracePeriodMs?: number;
  /** Runtime extensions: BeforeClusterUpgrade is asked before the control plane takes a new version. */
  hooks?: { beforeClusterUpgrade?: (cluster: Obj, from: string, to: string) => HookResponse | Promise<HookResponse> };
  /** Called once the control plane is initialized: make the workload cluster reachable (`Emulator.addWorkloadCluster`). */
  provisionWorkload?: (namespace: string, name: string) => Promise<unknown>;
  /** A ClusterCache shared with the ClusterResourceSet model. */
  cache?: ClusterCache;
  /** Which topology Clusters the model runs (default all); the others are left as they are. */
  manages?: (cluster: Obj) => boolean;
}

const rand5 = (): string => [...randomBytes(5)].map((b) => 'bcdfghjklmnpqrstvwxz2456789'[b % 27]).join('');

/** semver-ish compare of `v1.33.4` strings. */
function cmpVersion(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split('.').map(Number);
  const pb = b.replace(/^v/, '').split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

const classOf = (c: Obj): string => String(c.spec?.topology?.classRef?.name ?? c.spec?.topology?.class ?? '');
/** clog.StringListToString: at most 10 names. */
const nameList = (names: string[]): string =>
  names.length > 10 ? `${names.slice(0, 10).join(', ')}, ... (${names.length - 10} more)` : names.join(', ');

interface Upgrade {
  cpPending: boolean;
  cpStarting: boolean;
  cpUpgrading: boolean;
  cpProvisioning: boolean;
  mdPending: string[];
  mdUpgrading: string[];
  mdPendingCreate: string[];
  blocking: { hook: string; message: string }[];
  /** The reconcile failed (a hook call failed): TopologyReconciled ReconcileFailed. */
  error?: string;
}

export class TopologyController {
  private readonly client: ControllerClient;
  private readonly cache: ClusterCache;
  private readonly ownCache: boolean;
  private readonly states = new Map<string, State>();
  private readonly resync = new Resync(
    () => this.step(),
    (e) => this.errors.push(e.message),
  );
  readonly errors: string[] = [];

  /** The options; tests may change them between passes (e.g. the CAPI version or the hooks). */
  readonly opts: TopologyOptions;

  constructor(source: ClusterSource, opts: TopologyOptions = {}) {
    this.opts = { ...opts };
    this.client = new ControllerClient(source, { userAgent: USER_AGENT });
    this.ownCache = !opts.cache;
    this.cache = opts.cache ?? new ClusterCache(this.client, USER_AGENT);
  }

  /** One pass over every Cluster with a topology: topology controller, KCP/MD controllers, cluster status. */
  async step(): Promise<void> {
    for (const c of await this.client.list(CAPI, 'Cluster')) {
      if (!c.spec?.topology || (this.opts.manages && !this.opts.manages(c))) continue;
      try {
        await this.reconcile(c);
      } catch (e) {
        this.errors.push(`${c.metadata.namespace}/${c.metadata.name}: ${(e as Error).message}`);
      }
    }
  }

  start(intervalMs = 500): this {
    this.resync.start(intervalMs);
    return this;
  }

  async stop(): Promise<void> {
    await this.resync.stop();
    if (this.ownCache) this.cache.close();
    this.client.close();
  }

  private async reconcile(listed: Obj): Promise<void> {
    let cluster = listed;
    const ns: string = cluster.metadata.namespace;
    const name: string = cluster.metadata.name;
    const key = `${ns}/${name}/${cluster.metadata.uid}`;
    const topo = cluster.spec.topology;
    const paused = cluster.spec?.paused === true || cluster.metadata.annotations?.['cluster.x-k8s.io/paused'] !== undefined;
    if (!(cluster.metadata.finalizers ?? []).includes(FINALIZER) && !cluster.metadata.deletionTimestamp)
      cluster = await this.client.mergePatch(cluster, { metadata: { finalizers: [...(cluster.metadata.finalizers ?? []), FINALIZER] } });

    let state = this.states.get(key);
    const refsSet = !!(cluster.spec.infrastructureRef && cluster.spec.controlPlaneRef);
    if (!state && refsSet) state = this.adopt(cluster);
    const mdSteps = this.opts.machineSteps ?? 1;
    let upgrade: Upgrade | undefined;

    if (!paused && !cluster.metadata.deletionTimestamp) {
      // --- topology controller: the infrastructure and control plane objects, then the desired versions.
      if (!state) {
        state = {
          infraName: `${name}-${rand5()}`,
          infraIn: this.opts.infraSteps ?? 2,
          provisioned: false,
          cp: {
            name: `${name}-${rand5()}`,
            version: String(topo.version),
            replicas: topo.controlPlane?.replicas ?? 1,
            template: classOf(cluster),
            machines: [],
            initialized: false,
          },
          mds: [],
          workloadProvisioned: false,
        };
        this.states.set(key, state);
        await this.writeStatus(cluster, state, undefined); // the cluster controller saw it first: Pending
        await this.client.mergePatch(cluster, {
          metadata: { labels: { 'cluster.x-k8s.io/cluster-name': name, 'topology.cluster.x-k8s.io/owned': '' } },
          spec: this.refs(cluster, state),
        });
        return;
      }
      // topology/cluster/cluster_controller.go@v1.11.11:324: no ClusterClass, no desired state (ReconcileFailed).
      const classNs = String(topo.classNamespace ?? topo.classRef?.namespace ?? ns);
      const cc = await this.client.get(CAPI, 'ClusterClass', classNs, classOf(cluster));
      upgrade = cc
        ? await this.desiredState(cluster, state)
        : {
            ...this.noUpgrade(),
            error: `failed to retrieve ClusterClass ${classNs}/${classOf(cluster)}: clusterclasses.cluster.x-k8s.io "${classOf(cluster)}" not found`,
          };
      // --- infrastructure provider, KCP and MachineDeployment controllers: one step each.
      if (!state.provisioned && --state.infraIn <= 0) {
        state.provisioned = true;
        if (!cluster.spec.controlPlaneEndpoint?.host)
          cluster = await this.client.mergePatch(cluster, {
            spec: { controlPlaneEndpoint: { host: `203.0.113.${10 + (this.states.size % 200)}`, port: 6443 } },
          });
      }
      if (state.provisioned) {
        this.rollControlPlane(state.cp, mdSteps);
        for (const md of state.mds) this.rollWorkers(md, mdSteps);
      }
      for (const m of [...state.cp.machines, ...state.mds.flatMap((d) => d.machines)]) if (m.bootsIn > 0) m.bootsIn--;
      if (!state.cp.initialized && state.cp.machines.some((m) => m.bootsIn === 0)) state.cp.initialized = true;
      if (state.cp.initialized && !state.workloadProvisioned) {
        state.workloadProvisioned = true;
        if (this.opts.provisionWorkload && !(await this.client.get('v1', 'Secret', ns, `${name}-kubeconfig`)))
          await this.opts.provisionWorkload(ns, name);
      }
    } else if (cluster.metadata.deletionTimestamp && !state) {
      // Nothing was provisioned: the cluster controller has nothing to wait for.
      await this.client.mergePatch(cluster, {
        metadata: { finalizers: (cluster.metadata.finalizers ?? []).filter((f: string) => f !== FINALIZER) },
      });
      return;
    } else if (cluster.metadata.deletionTimestamp && state) {
      if (topo && cluster.metadata.annotations?.[OK_TO_DELETE] === undefined)
        cluster = await this.client.mergePatch(cluster, { metadata: { annotations: { [OK_TO_DELETE]: '' } } });
      state.deleting ??= { workersIn: mdSteps + 1, cpIn: mdSteps + 1, infraIn: this.opts.infraSteps ?? 2 };
      const d = state.deleting;
      if (state.mds.length) {
        if (--d.workersIn <= 0) state.mds = [];
      } else if (state.cp.machines.length) {
        if (--d.cpIn <= 0) state.cp.machines = [];
      } else if (state.provisioned) {
        if (--d.infraIn <= 0) state.provisioned = false;
      }
    }
    await this.cache.reconcile(ns, name, cluster);
    if (cluster.metadata.deletionTimestamp && state && !state.mds.length && !state.cp.machines.length && !state.provisioned) {
      try {
        await this.client.delete('v1', 'Secret', ns, `${name}-kubeconfig`); // owned by the KCP upstream: GC
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      await this.client.mergePatch(cluster, {
        metadata: { finalizers: (cluster.metadata.finalizers ?? []).filter((f: string) => f !== FINALIZER) },
      });
      this.states.delete(key);
      await this.cache.reconcile(ns, name, undefined);
      return;
    }
    await this.writeStatus(cluster, state, upgrade, paused);
  }

  /** A Cluster seeded with refs but unknown to this model: taken as provisioned with its topology's shape. */
  private adopt(cluster: Obj): State {
    const topo = cluster.spec.topology;
    const version = String(topo.version);
    const template = classOf(cluster);
    const machines = (prefix: string, n: number): Machine[] =>
      Array.from({ length: n }, () => ({ name: `${prefix}-${rand5()}`, version, template, bootsIn: 0 }));
    const cpName = String(cluster.spec.controlPlaneRef.name);
    const state: State = {
      infraName: String(cluster.spec.infrastructureRef.name),
      infraIn: 0,
      provisioned: infrastructureProvisioned(cluster),
      cp: {
        name: cpName,
        version,
        replicas: topo.controlPlane?.replicas ?? 1,
        template,
        machines: infrastructureProvisioned(cluster) ? machines(cpName, topo.controlPlane?.replicas ?? 1) : [],
        initialized: infrastructureProvisioned(cluster),
      },
      mds: infrastructureProvisioned(cluster)
        ? ((topo.workers?.machineDeployments ?? []) as Obj[]).map((md) => {
            const mdName = `${cluster.metadata.name}-${md.name}-${rand5()}`;
            return {
              name: mdName,
              topologyName: md.name,
              class: md.class,
              version,
              replicas: md.replicas ?? 1,
              template: `${template}/${md.class}`,
              machines: machines(`${mdName}-${rand5()}`, md.replicas ?? 1),
            };
          })
        : [],
      workloadProvisioned: true,
    };
    this.states.set(`${cluster.metadata.namespace}/${cluster.metadata.name}/${cluster.metadata.uid}`, state);
    return state;
  }

  /** spec.infrastructureRef / controlPlaneRef in the stored layout (v1beta2 apiGroup, v1beta1 apiVersion). */
  private refs(cluster: Obj, s: State): Obj {
    const v1beta1 = cluster.apiVersion === 'cluster.x-k8s.io/v1beta1';
    const ref = (group: string, version: string, kind: string, name: string) =>
      v1beta1 ? { apiVersion: `${group}/${version}`, kind, name, namespace: cluster.metadata.namespace } : { apiGroup: group, kind, name };
    return {
      infrastructureRef: ref('infrastructure.cluster.x-k8s.io', 'v1beta1', 'OpenStackCluster', s.infraName),
      controlPlaneRef: ref('controlplane.cluster.x-k8s.io', v1beta1 ? 'v1beta1' : 'v1beta2', 'KubeadmControlPlane', s.cp.name),
    };
  }

  /** DS computeControlPlaneVersion / computeMachineDeploymentVersion, replicas and templates. */
  private async desiredState(cluster: Obj, s: State): Promise<Upgrade> {
    const topo = cluster.spec.topology;
    const desired = String(topo.version);
    const cls = classOf(cluster);
    const cpStatusVersion = this.cpStatusVersion(s);
    const u: Upgrade = {
      cpPending: s.cp.version !== desired,
      cpStarting: false,
      cpUpgrading: cpStatusVersion !== undefined && cmpVersion(s.cp.version, cpStatusVersion) > 0,
      cpProvisioning: cpStatusVersion === undefined,
      mdPending: [],
      mdUpgrading: s.mds.filter((d) => d.machines.some((m) => m.version !== d.version)).map((d) => d.name),
      mdPendingCreate: [],
      blocking: [],
    };
    if (u.cpPending && !u.cpProvisioning && !u.cpUpgrading && !u.mdUpgrading.length) {
      const hookAnnotations = Object.keys(cluster.metadata.annotations ?? {})
        .filter((k) => k.startsWith(HOOK_ANNOTATION_PREFIX))
        .sort();
      if (hookAnnotations.length)
        u.blocking.push({
          hook: 'BeforeClusterUpgrade',
          message:
            hookAnnotations.length === 1
              ? `annotation [${hookAnnotations[0]}] is set`
              : `annotations [${hookAnnotations.join(', ')}] are set`,
        });
      else if (this.opts.hooks?.beforeClusterUpgrade) {
        const r = await this.opts.hooks.beforeClusterUpgrade(cluster, s.cp.version, desired);
        // internal/runtime/client CallAllExtensions: a Failure response is an error of the reconcile.
        if (r.failure)
          u.error = `error reconciling the Cluster topology: failed to call extension handlers for hook "BeforeClusterUpgrade.hooks.runtime.cluster.x-k8s.io": ${r.message ?? ''}`;
        else if (r.retryAfterSeconds > 0) u.blocking.push({ hook: 'BeforeClusterUpgrade', message: r.message ?? '' });
      }
      if (!u.blocking.length && !u.error) {
        s.cp.version = desired;
        u.cpPending = false;
        u.cpStarting = true;
      }
    }
    // reconcile_state.go@v1.11.11:313: a control plane pending an upgrade is not touched at all (no double rollout).
    if (!u.cpPending) {
      s.cp.replicas = topo.controlPlane?.replicas ?? 1;
      s.cp.template = cls;
    }
    const cpStable = !u.cpProvisioning && !u.cpUpgrading && !u.cpStarting && !u.cpPending;
    const wanted = (topo.workers?.machineDeployments ?? []) as Obj[];
    s.mds = s.mds.filter((d) => wanted.some((w) => w.name === d.topologyName));
    for (const w of wanted) {
      let md = s.mds.find((d) => d.topologyName === w.name);
      if (!md) {
        if (!cpStable) {
          u.mdPendingCreate.push(String(w.name));
          continue;
        }
        md = {
          name: `${cluster.metadata.name}-${w.name}-${rand5()}`,
          topologyName: w.name,
          class: w.class,
          version: desired,
          replicas: 0,
          template: '',
          machines: [],
        };
        s.mds.push(md);
      }
      md.replicas = w.replicas ?? 1;
      md.class = w.class;
      md.template = `${cls}/${w.class}`;
      if (md.version === desired) continue;
      if (u.mdUpgrading.length >= 1 && !u.mdUpgrading.includes(md.name))
        u.mdPending.push(md.name); // upgrade concurrency 1
      else if (!cpStable) u.mdPending.push(md.name);
      else {
        md.version = desired;
        if (!u.mdUpgrading.includes(md.name)) u.mdUpgrading.push(md.name);
      }
    }
    return u;
  }

  private noUpgrade(): Upgrade {
    return {
      cpPending: false,
      cpStarting: false,
      cpUpgrading: false,
      cpProvisioning: false,
      mdPending: [],
      mdUpgrading: [],
      mdPendingCreate: [],
      blocking: [],
    };
  }

  /** KCP status.version: the lowest version among Machines with a node; undefined while none has one. */
  private cpStatusVersion(s: State): string | undefined {
    const ready = s.cp.machines.filter((m) => m.bootsIn === 0).map((m) => m.version);
    return ready.length ? ready.sort(cmpVersion)[0] : undefined;
  }

  /** KCP: one Machine at a time, scale up only with every Machine ready; rollout surge 1. */
  private rollControlPlane(cp: State['cp'], steps: number): void {
    cp.machines = cp.machines.filter((m) => !m.deleting);
    const upToDate = (m: Machine) => m.version === cp.version && m.template === cp.template;
    const allReady = cp.machines.every((m) => m.bootsIn === 0);
    const stale = cp.machines.filter((m) => !upToDate(m));
    if (cp.machines.length < cp.replicas || (stale.length && cp.machines.length === cp.replicas)) {
      if (allReady) cp.machines.push({ name: `${cp.name}-${rand5()}`, version: cp.version, template: cp.template, bootsIn: steps + 1 });
    } else if (cp.machines.length > cp.replicas && allReady) (stale[0] ?? cp.machines[0]).deleting = true;
  }

  /** MachineDeployment (rollout maxSurge 1, maxUnavailable 0) and its MachineSets: missing Machines at once. */
  private rollWorkers(md: Workers, steps: number): void {
    md.machines = md.machines.filter((m) => !m.deleting);
    const upToDate = (m: Machine) => m.version === md.version && m.template === md.template;
    const fresh = md.machines.filter(upToDate);
    const stale = md.machines.filter((m) => !upToDate(m));
    const surge = 1;
    const total = md.machines.length;
    const missing = Math.max(0, Math.min(md.replicas - fresh.length, md.replicas + surge - total));
    for (let i = 0; i < missing; i++)
      md.machines.push({ name: `${md.name}-${rand5()}-${rand5()}`, version: md.version, template: md.template, bootsIn: steps + 1 });
    const available = md.machines.filter((m) => m.bootsIn === 0).length;
    let removable = Math.max(0, available - md.replicas);
    for (const m of stale) {
      if (removable <= 0) break;
      m.deleting = true;
      removable--;
    }
    if (!stale.length) for (const m of md.machines.slice(0, Math.max(0, md.machines.length - md.replicas))) m.deleting = true;
  }

  // ---------------------------------------------------------------- status

  private topologyReconciled(
    cluster: Obj,
    s: State | undefined,
    u: Upgrade | undefined,
    paused: boolean,
  ): { v2: Omit<Condition, 'observedGeneration' | 'lastTransitionTime'>; severity: 'Info' | 'Error' | '' } {
    const f12 = this.opts.capiVersion === '1.12';
    if (paused) {
      const msgs = [
        ...(cluster.spec?.paused === true ? ['Cluster spec.paused is set to true'] : []),
        ...(cluster.metadata.annotations?.['cluster.x-k8s.io/paused'] !== undefined
          ? ['Cluster has the cluster.x-k8s.io/paused annotation']
          : []),
      ];
      return { v2: { type: 'TopologyReconciled', status: 'False', reason: 'Paused', message: msgs.join(', ') }, severity: 'Info' };
    }
    if (cluster.metadata.deletionTimestamp)
      return { v2: { type: 'TopologyReconciled', status: 'False', reason: 'Deleting', message: 'Cluster is deleting' }, severity: 'Info' };
    if (u?.error)
      return { v2: { type: 'TopologyReconciled', status: 'False', reason: 'ReconcileFailed', message: u.error }, severity: 'Error' };
    if (!u || !s) return { v2: { type: 'TopologyReconciled', status: 'True', reason: 'ReconcileSucceeded', message: '' }, severity: '' };
    const version = String(cluster.spec.topology.version);
    const kcp = 'KubeadmControlPlane';
    if (!f12) {
      // C11:141-161: a blocking hook first.
      if (u.blocking.length) {
        const message = u.blocking
          .map((b) => (b.message ? `hook "${b.hook}" is blocking: ${b.message}` : `hook "${b.hook}" is blocking`))
          .join('; ');
        return { v2: { type: 'TopologyReconciled', status: 'False', reason: 'LifecycleHookBlocking', message }, severity: 'Info' };
      }
      // C11:169-267
      if (u.cpPending || u.mdPendingCreate.length || u.mdPending.length) {
        let msg: string;
        let reason: string;
        const list = (names: string[]) => (names.length > 5 ? `${names.slice(0, 5).join(', ')}, ...` : names.join(', '));
        if (u.cpPending) {
          msg = `Control plane rollout and upgrade to version ${version} on hold.`;
          reason = 'ControlPlaneUpgradePending';
        } else if (u.mdPending.length) {
          msg = `MachineDeployment(s) ${list(u.mdPending)} rollout and upgrade to version ${version} on hold.`;
          reason = 'MachineDeploymentsUpgradePending';
        } else {
          msg = `MachineDeployment(s) for Topologies ${list(u.mdPendingCreate)} creation on hold.`;
          reason = 'MachineDeploymentsCreatePending';
        }
        if (u.cpProvisioning) msg += ' Control plane is completing initial provisioning';
        else if (u.cpUpgrading || u.cpStarting) msg += ` Control plane is upgrading to version ${s.cp.version}`;
        else if (u.mdUpgrading.length) msg += ` MachineDeployment(s) ${list(u.mdUpgrading)} are upgrading`;
        return { v2: { type: 'TopologyReconciled', status: 'False', reason, message: msg }, severity: 'Info' };
      }
      return { v2: { type: 'TopologyReconciled', status: 'True', reason: 'ReconcileSucceeded', message: '' }, severity: '' };
    }
    // C12:212-323
    if (u.cpPending || u.cpStarting || u.cpUpgrading || u.mdPending.length || u.mdUpgrading.length || u.mdPendingCreate.length) {
      const names = (one: string, many: string, n: string[]) => {
        const sorted = [...n].sort();
        return sorted.length === 1
          ? `${one} ${sorted[0]}`
          : sorted.length <= 3
            ? `${many} ${sorted.join(', ')}`
            : `${many} ${sorted.slice(0, 3).join(', ')}, ... (${sorted.length - 3} more)`;
      };
      let msg = `Cluster is upgrading to ${version}`;
      if (u.blocking.length)
        msg += `\n  * Following hooks are blocking upgrade: ${u.blocking.map((b) => (b.message ? `${b.hook}: ${b.message}` : b.hook)).join('; ')}`;
      if (u.cpStarting || u.cpUpgrading) msg += `\n  * ${kcp} upgrading to version ${s.cp.version}`;
      else if (u.cpPending) msg += `\n  * ${kcp} pending upgrade to version ${version}`;
      const upgrading = u.mdUpgrading.filter(
        (n) => s.mds.find((d) => d.name === n)?.machines.some((m) => m.version !== version) || !u.mdPending.includes(n),
      );
      const pending = u.mdPending.filter((n) => !upgrading.includes(n));
      if (upgrading.length)
        msg += `\n  * ${names('MachineDeployment', 'MachineDeployments', upgrading)} upgrading to version ${s.cp.version}`;
      if (pending.length) msg += `\n  * ${names('MachineDeployment', 'MachineDeployments', pending)} pending upgrade to version ${version}`;
      if (u.mdPendingCreate.length)
        msg += `\n  * ${names('MachineDeployment', 'MachineDeployments', u.mdPendingCreate)} creation deferred while control plane upgrade is in progress`;
      return { v2: { type: 'TopologyReconciled', status: 'False', reason: 'ClusterUpgrading', message: msg }, severity: 'Info' };
    }
    return { v2: { type: 'TopologyReconciled', status: 'True', reason: 'ReconcileSucceeded', message: '' }, severity: '' };
  }

  private async writeStatus(cluster: Obj, s: State | undefined, u: Upgrade | undefined, paused = false): Promise<void> {
    const v1beta1Layout = cluster.apiVersion === 'cluster.x-k8s.io/v1beta1';
    const old: Obj = cluster.status ?? {};
    const gen: number | undefined = cluster.metadata.generation;
    let v2: Condition[] = (v1beta1Layout ? old.v1beta2?.conditions : old.conditions) ?? [];
    let v1: V1Beta1Condition[] = (v1beta1Layout ? old.conditions : old.deprecated?.v1beta1?.conditions) ?? [];
    const set = (c: Omit<Condition, 'observedGeneration' | 'lastTransitionTime'>) => (v2 = setCondition(v2, { ...c }, gen));
    const deleting = !!cluster.metadata.deletionTimestamp;
    const refs = !!(cluster.spec.infrastructureRef && cluster.spec.controlPlaneRef) && !!s;
    const provisioned = !!s?.provisioned;
    const initialized = !!s?.cp.initialized;
    const cpKind = 'KubeadmControlPlane';
    const infraKind = 'OpenStackCluster';

    // ST setPhase
    let phase = old.phase || 'Pending';
    if (refs) phase = 'Provisioning';
    if (provisioned && cluster.spec.controlPlaneEndpoint?.host) phase = 'Provisioned';
    if (deleting) phase = 'Deleting';

    const cpMachines = s?.cp.machines ?? [];
    const wMachines = s?.mds.flatMap((d) => d.machines) ?? [];
    const cpUpToDate = (m: Machine) => !!s && m.version === s.cp.version && m.template === s.cp.template;
    const mdOf = (m: Machine) => s?.mds.find((d) => d.machines.includes(m));
    const wUpToDate = (m: Machine) => {
      const d = mdOf(m);
      return !!d && m.version === d.version && m.template === d.template;
    };
    const count = (ms: Machine[], f: (m: Machine) => boolean) => ms.filter(f).length;
    /** The Machine's UpToDate message lines (machine_controller_status.go): the version, then changed templates. */
    const staleReasons = (m: Machine): string[] => {
      const owner = cpMachines.includes(m) ? { version: s?.cp.version, template: s?.cp.template } : mdOf(m);
      const lines: string[] = [];
      if (owner && m.version !== owner.version) lines.push(`* Version ${m.version}, ${owner.version} required`);
      if (owner && m.template !== owner.template) lines.push('* OpenStackMachine is not up-to-date');
      return lines;
    };
    const controlPlane: Obj = refs
      ? {
          desiredReplicas: s?.cp.replicas,
          replicas: cpMachines.length,
          readyReplicas: count(cpMachines, (m) => m.bootsIn === 0),
          availableReplicas: count(cpMachines, (m) => m.bootsIn === 0),
          upToDateReplicas: count(cpMachines, cpUpToDate),
        }
      : {};
    const workers: Obj = s?.mds.length
      ? {
          desiredReplicas: s.mds.reduce((n, d) => n + d.replicas, 0),
          replicas: wMachines.length,
          readyReplicas: count(wMachines, (m) => m.bootsIn === 0),
          availableReplicas: count(wMachines, (m) => m.bootsIn === 0),
          upToDateReplicas: count(wMachines, wUpToDate),
        }
      : {};

    // RemoteConnectionProbe (ST:311)
    const health = this.cache.healthCheckingState(cluster.metadata.namespace, cluster.metadata.name);
    const grace = this.opts.remoteConnectionGracePeriodMs ?? 50_000;
    if (!health.lastProbeSuccessTime && health.consecutiveFailures < 5) {
      if (!getCondition(v2, 'RemoteConnectionProbe'))
        set({ type: 'RemoteConnectionProbe', status: 'False', reason: 'ProbeFailed', message: 'Remote connection not established yet' });
    } else if (!health.lastProbeSuccessTime || Date.now() - health.lastProbeSuccessTime > grace) {
      set({
        type: 'RemoteConnectionProbe',
        status: 'False',
        reason: 'ProbeFailed',
        message: health.lastProbeSuccessTime
          ? `Remote connection probe failed, probe last succeeded at ${new Date(health.lastProbeSuccessTime).toISOString().replace(/\.\d{3}Z$/, 'Z')}`
          : 'Remote connection probe failed',
      });
    } else set({ type: 'RemoteConnectionProbe', status: 'True', reason: 'ProbeSucceeded', message: '' });

    const waiting = deleting ? '' : 'Waiting for cluster topology to be reconciled';
    // InfrastructureReady (ST:349, the fallback of the mirror)
    if (!refs) set({ type: 'InfrastructureReady', status: 'False', reason: 'InfrastructureDoesNotExist', message: waiting });
    else if (deleting && !provisioned)
      set({ type: 'InfrastructureReady', status: 'False', reason: 'InfrastructureDeleted', message: `${infraKind} has been deleted` });
    else
      set(
        provisioned
          ? { type: 'InfrastructureReady', status: 'True', reason: 'Ready', message: '' }
          : {
              type: 'InfrastructureReady',
              status: 'False',
              reason: 'NotReady',
              message: `${infraKind} status.initialization.provisioned is false`,
            },
      );
    // ControlPlaneInitialized (ST:551; stays True once True)
    if (getCondition(v2, 'ControlPlaneInitialized')?.status !== 'True') {
      if (!refs) set({ type: 'ControlPlaneInitialized', status: 'Unknown', reason: 'ControlPlaneDoesNotExist', message: waiting });
      else
        set(
          initialized
            ? { type: 'ControlPlaneInitialized', status: 'True', reason: 'Initialized', message: '' }
            : { type: 'ControlPlaneInitialized', status: 'False', reason: 'NotInitialized', message: 'Control plane not yet initialized' },
        );
    }
    // ControlPlaneAvailable (ST:450 mirrors KCP Available)
    if (!refs) set({ type: 'ControlPlaneAvailable', status: 'False', reason: 'ControlPlaneDoesNotExist', message: waiting });
    else if (deleting && !cpMachines.length)
      set({ type: 'ControlPlaneAvailable', status: 'False', reason: 'ControlPlaneDeleted', message: `${cpKind} has been deleted` });
    else if (!initialized)
      set({ type: 'ControlPlaneAvailable', status: 'False', reason: 'NotAvailable', message: '* Control plane not yet initialized' });
    else set({ type: 'ControlPlaneAvailable', status: 'True', reason: 'Available', message: '' });
    // WorkersAvailable (ST:660, aggregate of the MDs' Available)
    if (!s?.mds.length) set({ type: 'WorkersAvailable', status: 'True', reason: 'NoWorkers', message: '' });
    else
      set(
        aggregate(
          'WorkersAvailable',
          s.mds.map((d) => {
            const avail = d.machines.filter((m) => m.bootsIn === 0).length;
            return {
              kind: 'MachineDeployment',
              name: d.name,
              condition:
                avail >= d.replicas
                  ? { type: 'Available', status: 'True', reason: 'Available', message: '' }
                  : {
                      type: 'Available',
                      status: 'False',
                      reason: 'NotAvailable',
                      message: deleting
                        ? 'Deletion in progress'
                        : `${avail} available replicas, at least ${d.replicas} required (spec.strategy.rollout.maxUnavailable is 0, spec.replicas is ${d.replicas})`,
                    },
            };
          }),
          { issue: 'NotAvailable', unknown: 'AvailableUnknown', info: 'Available' },
        ),
      );
    set(this.topologyReconciled(cluster, s, u, paused).v2);

    // Machines ready / up-to-date (ST:719-790)
    const machineConds = (type: string, ms: Machine[], upToDate?: (m: Machine) => boolean) => {
      if (!ms.length) {
        set({ type, status: 'True', reason: 'NoReplicas', message: '' });
        return;
      }
      const owned: Owned[] = ms.map((m) => ({
        kind: 'Machine',
        name: m.name,
        condition: upToDate
          ? upToDate(m)
            ? { type: 'UpToDate', status: 'True', reason: 'UpToDate', message: '' }
            : { type: 'UpToDate', status: 'False', reason: 'NotUpToDate', message: staleReasons(m).join('\n') }
          : m.bootsIn === 0
            ? { type: 'Ready', status: 'True', reason: 'Ready', message: '' }
            : {
                type: 'Ready',
                status: 'Unknown',
                reason: 'ReadyUnknown',
                message: '* NodeHealthy: Waiting for OpenStackMachine to report spec.providerID',
              },
      }));
      const r = upToDate
        ? { issue: 'NotUpToDate', unknown: 'UpToDateUnknown', info: 'UpToDate' }
        : { issue: 'NotReady', unknown: 'ReadyUnknown', info: 'Ready' };
      set(aggregate(type, owned, r));
    };
    machineConds('ControlPlaneMachinesReady', cpMachines);
    machineConds('WorkerMachinesReady', wMachines);
    machineConds('ControlPlaneMachinesUpToDate', cpMachines, cpUpToDate);
    machineConds('WorkerMachinesUpToDate', wMachines, wUpToDate);

    // RollingOut / ScalingUp / ScalingDown (ST:891-1114 over KCP and MDs)
    const owners: { kind: string; name: string; machines: Machine[]; replicas: number; upToDate: (m: Machine) => boolean }[] = [];
    if (refs && s)
      owners.push({ kind: cpKind, name: s.cp.name, machines: cpMachines, replicas: deleting ? 0 : s.cp.replicas, upToDate: cpUpToDate });
    for (const d of s?.mds ?? [])
      owners.push({
        kind: 'MachineDeployment',
        name: d.name,
        machines: d.machines,
        replicas: deleting ? 0 : d.replicas,
        upToDate: wUpToDate,
      });
    const ownerCond = (type: 'RollingOut' | 'ScalingUp' | 'ScalingDown', o: (typeof owners)[number]): Condition => {
      if (type === 'RollingOut') {
        const stale = o.machines.filter((m) => !o.upToDate(m));
        if (!stale.length) return { type, status: 'False', reason: 'NotRollingOut', message: '' };
        // KCP status.go:250-280: the distinct reasons of the Machines, version lines first.
        const reasons = [...new Set(stale.flatMap(staleReasons))].sort((a, b) =>
          a.startsWith('* Version') !== b.startsWith('* Version') ? (a.startsWith('* Version') ? -1 : 1) : a < b ? -1 : a > b ? 1 : 0,
        );
        return {
          type,
          status: 'True',
          reason: 'RollingOut',
          message: [`Rolling out ${stale.length} not up-to-date replicas`, ...reasons].join('\n'),
        };
      }
      const cur = o.machines.length;
      if (type === 'ScalingUp')
        return cur < o.replicas
          ? { type, status: 'True', reason: 'ScalingUp', message: `Scaling up from ${cur} to ${o.replicas} replicas` }
          : { type, status: 'False', reason: 'NotScalingUp', message: '' };
      return cur > o.replicas
        ? { type, status: 'True', reason: 'ScalingDown', message: `Scaling down from ${cur} to ${o.replicas} replicas` }
        : { type, status: 'False', reason: 'NotScalingDown', message: '' };
    };
    for (const [type, reasons] of [
      ['RollingOut', { issue: 'RollingOut', unknown: 'RollingOutUnknown', info: 'NotRollingOut' }],
      ['ScalingUp', { issue: 'ScalingUp', unknown: 'ScalingUpUnknown', info: 'NotScalingUp' }],
      ['ScalingDown', { issue: 'ScalingDown', unknown: 'ScalingDownUnknown', info: 'NotScalingDown' }],
    ] as const) {
      if (!owners.length) set({ type, status: 'False', reason: reasons.info, message: '' });
      else
        set(
          aggregate(
            type,
            owners.map((o) => ({ kind: o.kind, name: o.name, condition: ownerCond(type, o) })),
            reasons,
            { negative: true },
          ),
        );
    }
    set({ type: 'Remediating', status: 'False', reason: 'NotRemediating', message: '' });
    set(
      paused
        ? {
            type: 'Paused',
            status: 'True',
            reason: 'Paused',
            message: [
              cluster.spec?.paused === true ? 'Cluster spec.paused is set to true' : '',
              cluster.metadata.annotations?.['cluster.x-k8s.io/paused'] !== undefined
                ? 'Cluster has the cluster.x-k8s.io/paused annotation'
                : '',
            ]
              .filter(Boolean)
              .join(', '),
          }
        : { type: 'Paused', status: 'False', reason: 'NotPaused', message: '' },
    );
    // Deleting (CC:399-490)
    if (!deleting) set({ type: 'Deleting', status: 'False', reason: 'NotDeleting', message: '' });
    else if (s?.mds.length) {
      const lines = [
        `MachineDeployments: ${nameList(s.mds.map((d) => d.name).sort())}`,
        ...(wMachines.length ? [`Worker Machines: ${nameList(wMachines.map((m) => m.name).sort())}`] : []),
      ];
      set({ type: 'Deleting', status: 'True', reason: 'WaitingForWorkersDeletion', message: lines.map((l) => `* ${l}`).join('\n') });
    } else if (cpMachines.length)
      set({ type: 'Deleting', status: 'True', reason: 'WaitingForControlPlaneDeletion', message: `Waiting for ${cpKind} to be deleted` });
    else if (provisioned)
      set({
        type: 'Deleting',
        status: 'True',
        reason: 'WaitingForInfrastructureDeletion',
        message: `Waiting for ${infraKind} to be deleted`,
      });
    else set({ type: 'Deleting', status: 'True', reason: 'DeletionCompleted', message: 'Deletion completed' });
    // Available (ST:1167): summary with TopologyReconciled other than failures as info
    const base = defaultPriority(['Deleting']);
    const prio = (c: Condition) => {
      if (
        deleting &&
        ((c.type === 'InfrastructureReady' && ['InfrastructureDeleted', 'InfrastructureDoesNotExist'].includes(c.reason)) ||
          (c.type === 'ControlPlaneAvailable' && ['ControlPlaneDeleted', 'ControlPlaneDoesNotExist'].includes(c.reason)))
      )
        return 'info' as const;
      if (
        c.type === 'TopologyReconciled' &&
        c.status === 'False' &&
        c.reason !== 'ReconcileFailed' &&
        c.reason !== 'ClusterClassNotReconciled'
      )
        return 'info' as const;
      return base(c);
    };
    set(
      summarize(
        'Available',
        v2,
        ['Deleting', 'RemoteConnectionProbe', 'InfrastructureReady', 'ControlPlaneAvailable', 'WorkersAvailable', 'TopologyReconciled'],
        prio,
        { issue: 'NotAvailable', unknown: 'AvailableUnknown', info: 'Available' },
      ),
    );

    // The deprecated v1beta1 conditions (cluster_controller_phases.go, CC:232 Ready summary)
    if (refs) {
      v1 = setV1Beta1(
        v1,
        provisioned
          ? trueCondition('InfrastructureReady')
          : deleting
            ? falseCondition('InfrastructureReady', 'Deleted', 'Info', '')
            : falseCondition('InfrastructureReady', 'WaitingForInfrastructure', 'Info', ''),
      );
      if (!v1.some((c) => c.type === 'ControlPlaneInitialized' && c.status === 'True'))
        v1 = setV1Beta1(
          v1,
          initialized
            ? trueCondition('ControlPlaneInitialized')
            : falseCondition(
                'ControlPlaneInitialized',
                'WaitingForControlPlaneProviderInitialized',
                'Info',
                'Waiting for control plane provider to indicate the control plane has been initialized',
              ),
        );
      const cpReady = initialized && cpMachines.length >= (s?.cp.replicas ?? 1) && cpMachines.every((m) => m.bootsIn === 0);
      v1 = setV1Beta1(
        v1,
        cpReady
          ? trueCondition('ControlPlaneReady')
          : deleting && !cpMachines.length
            ? falseCondition('ControlPlaneReady', 'Deleted', 'Info', '')
            : falseCondition('ControlPlaneReady', 'WaitingForControlPlane', 'Info', ''),
      );
    }
    const tr = this.topologyReconciled(cluster, s, u, paused);
    v1 = setV1Beta1(
      v1,
      tr.v2.status === 'True'
        ? trueCondition('TopologyReconciled')
        : falseCondition('TopologyReconciled', tr.v2.reason, tr.severity, tr.v2.message),
    );
    v1 = setSummary(v1, ['ControlPlaneReady', 'InfrastructureReady']);

    const st: Obj = structuredClone(old);
    st.phase = phase;
    st.observedGeneration = gen;
    if (v1beta1Layout) {
      st.conditions = v1;
      st.infrastructureReady = provisioned;
      st.controlPlaneReady = initialized;
      st.v1beta2 = { ...(st.v1beta2 ?? {}), conditions: v2, controlPlane, workers };
    } else {
      st.conditions = v2;
      st.deprecated = { ...(st.deprecated ?? {}), v1beta1: { ...(st.deprecated?.v1beta1 ?? {}), conditions: v1 } };
      st.initialization = { infrastructureProvisioned: provisioned, controlPlaneInitialized: initialized };
      st.controlPlane = controlPlane;
      st.workers = workers;
    }
    if (JSON.stringify(st) === JSON.stringify(old)) return;
    try {
      await this.client.mergePatch(cluster, { status: mergePatchBetween(old, st) }, 'status');
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

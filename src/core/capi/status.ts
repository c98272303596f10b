/**
 * Health of a CAPI `Cluster` of any served version, computed from its status the way an operator reads
 * `clusterctl describe cluster`:
 * - v1alpha3 / v1beta1: `status.conditions` are CAPI v1beta1 conditions (`Ready`, `InfrastructureReady`,
 *   `ControlPlaneReady`, … with `severity`), optionally backported v1beta2 conditions in `status.v1beta2`.
 * - v1beta2: `status.conditions` are metav1 conditions (`Available`, `ControlPlaneAvailable`,
 *   `WorkersAvailable`, …), the old ones in `status.deprecated.v1beta1`.
 * v1beta2 conditions win when present: a v1beta1 `Ready=True` next to `Available=False` is not healthy.
 */
import { type Condition, type KubeObject, conditionsAt, field, findCondition, oneLine, stringField } from './types';

export type Health = 'healthy' | 'progressing' | 'failed' | 'deleting' | 'paused' | 'unknown';

/** The rows of `clusterctl describe cluster` a cluster-level condition belongs to. */
export type ConditionGroup = 'Cluster' | 'ClusterInfrastructure' | 'ControlPlane' | 'Workers';
export const CONDITION_GROUPS: readonly ConditionGroup[] = ['Cluster', 'ClusterInfrastructure', 'ControlPlane', 'Workers'];

export interface ConditionIssue {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  severity: 'error' | 'warning' | 'info';
  /** Which condition set it came from. */
  source: 'v1beta2' | 'v1beta1';
}

export interface ClusterStatus {
  name: string;
  namespace?: string;
  apiVersion?: string;
  phase?: string;
  kubernetesVersion?: string;
  className?: string;
  health: Health;
  /** One line, suitable for a tooltip or description. */
  reason: string;
  /** Conditions that are not in their good state, grouped like clusterctl's tree rows, in a stable order. */
  issues: { group: ConditionGroup; conditions: ConditionIssue[] }[];
}

/** v1beta2 conditions whose *True* state means "something is going on" (negative polarity). */
const NEGATIVE_POLARITY = new Set(['RollingOut', 'ScalingUp', 'ScalingDown', 'Remediating', 'Deleting', 'Paused']);

/** Order in which transient activities explain a "progressing" cluster. */
const PROGRESS_ORDER = ['TopologyReconciled', 'RollingOut', 'ScalingUp', 'ScalingDown', 'Remediating'];

/**
 * TopologyReconciled reasons that are an availability problem, not activity: the Available summary treats every
 * other False reason as info (kubernetes-sigs/cluster-api@ae7ff047 core/reconcilers/cluster/cluster_controller_status.go:1152-1155;
 * api/core/v1beta2/cluster_types.go:48-51). `TopologyReconcileFailed` is the v1beta1 spelling of `ReconcileFailed`
 * (api/core/v1beta1/condition_consts.go:294-296, severity Error), written by core/reconcilers/topology/cluster/status.go:113-131.
 */
const TOPOLOGY_FAILURE_REASONS = new Set(['ReconcileFailed', 'TopologyReconcileFailed', 'ClusterClassNotReconciled']);

/** The cluster-stack operator's ClusterAddon per Cluster and the condition its BeforeClusterUpgrade hook waits for. */
const CLUSTER_ADDON_API_GROUP = 'clusterstack.x-k8s.io/';
const HELM_CHART_APPLIED = 'HelmChartApplied';

/** What the status model may read besides the Cluster itself. */
export interface StatusContext {
  /** ClusterAddons (clusterstack.x-k8s.io) of the cluster's namespace: names the one a blocking CSO hook waits for. */
  readonly clusterAddons?: readonly KubeObject[];
}

function groupOf(type: string): ConditionGroup {
  if (type === 'InfrastructureReady') return 'ClusterInfrastructure';
  if (type.startsWith('ControlPlane')) return 'ControlPlane';
  if (type.startsWith('Worker')) return 'Workers';
  return 'Cluster';
}

/** The two condition sets of a Cluster, by version layout. */
export function clusterConditions(obj: KubeObject): { v1beta2?: Condition[]; v1beta1?: Condition[] } {
  const native = /\/v1beta2$/.test(obj.apiVersion ?? '');
  if (native) {
    return {
      v1beta2: conditionsAt(obj, 'status', 'conditions'),
      v1beta1: conditionsAt(obj, 'status', 'deprecated', 'v1beta1', 'conditions'),
    };
  }
  return {
    v1beta2: conditionsAt(obj, 'status', 'v1beta2', 'conditions'),
    v1beta1: conditionsAt(obj, 'status', 'conditions'),
  };
}

function isIssue(c: Condition, source: 'v1beta2' | 'v1beta1'): boolean {
  if (source === 'v1beta2' && NEGATIVE_POLARITY.has(c.type)) return c.status === 'True';
  return c.status !== 'True';
}

function issueSeverity(c: Condition, source: 'v1beta2' | 'v1beta1'): ConditionIssue['severity'] {
  if (source === 'v1beta1') {
    if (c.severity === 'Error') return 'error';
    if (c.severity === 'Info') return 'info';
    return 'warning';
  }
  if (NEGATIVE_POLARITY.has(c.type)) return 'info';
  // A pending topology (an upgrade held by a hook or waiting for the control plane) is activity, not a failure.
  if (c.type === 'TopologyReconciled' && c.status === 'False' && !TOPOLOGY_FAILURE_REASONS.has(c.reason ?? '')) return 'info';
  return c.status === 'False' ? 'error' : 'warning';
}

function collectIssues(conditions: Condition[], source: 'v1beta2' | 'v1beta1'): ClusterStatus['issues'] {
  const byGroup = new Map<ConditionGroup, ConditionIssue[]>();
  for (const c of conditions) {
    if (!isIssue(c, source)) continue;
    const g = groupOf(c.type);
    const list = byGroup.get(g) ?? [];
    list.push({
      type: c.type,
      status: c.status,
      reason: c.reason || undefined,
      message: c.message || undefined,
      severity: issueSeverity(c, source),
      source,
    });
    byGroup.set(g, list);
  }
  return CONDITION_GROUPS.filter((g) => byGroup.has(g)).map((g) => ({ group: g, conditions: byGroup.get(g) ?? [] }));
}

function describe(c: Condition): string {
  const msg = oneLine(c.message);
  if (msg) return msg.startsWith(`${c.type}:`) ? msg : `${c.type}: ${msg}`;
  return c.reason ? `${c.type}: ${c.reason}` : `${c.type} is ${c.status}`;
}

export function isTopologyFailure(c: Condition | undefined): boolean {
  return !!c && c.status === 'False' && TOPOLOGY_FAILURE_REASONS.has(c.reason ?? '');
}

/**
 * The lifecycle hooks a TopologyReconciled message names as blocking. Two spellings: CAPI ≤ v1.10 writes reason
 * `LifecycleHookBlocking` with `hook "BeforeClusterUpgrade" is blocking[: msg]` (v1.10.0 exp/topology/scope/hookresponsetracker.go:95-97),
 * newer ones reason `ClusterUpgrading` with `* Following hooks are blocking upgrade: BeforeClusterUpgrade[: msg]; …`
 * (ae7ff047 exp/topology/scope/hookresponsetracker.go:105, core/reconcilers/topology/cluster/status.go:241-243).
 */
export function blockingHooks(c: Condition | undefined): string[] {
  if (!c || c.status !== 'False' || !c.message) return [];
  const old = [...c.message.matchAll(/hook "([A-Za-z]+)" is blocking/g)].map((m) => m[1]);
  if (old.length) return [...new Set(old)];
  const m = /Following hooks are blocking [^:\n]*: ([^\n]*)/.exec(c.message);
  if (!m) return [];
  return [
    ...new Set(
      m[1]
        .split('; ')
        .map((part) => /^([A-Za-z]+)(?::|$)/.exec(part)?.[1])
        .filter((h): h is string => !!h),
    ),
  ];
}

/**
 * Why a blocking hook blocks, where the cluster-stack operator's hook is the one: its BeforeClusterUpgrade handler asks
 * for a retry while ClusterAddon `cluster-addon-<cluster>` lacks HelmChartApplied=True
 * (SovereignCloudStack/cluster-stack-operator@b3680fb extension/hooks.go:59, :92-94).
 */
export function hookReason(cluster: KubeObject, hooks: string[], ctx: StatusContext): string {
  const list = hooks.join(', ');
  const head = `TopologyReconciled: lifecycle hook ${list} is blocking`;
  if (!hooks.includes('BeforeClusterUpgrade') || !ctx.clusterAddons?.length) return head;
  const name = `cluster-addon-${cluster.metadata?.name ?? ''}`;
  const addon = ctx.clusterAddons.find(
    (a) =>
      a.kind === 'ClusterAddon' &&
      (a.apiVersion ?? '').startsWith(CLUSTER_ADDON_API_GROUP) &&
      a.metadata?.namespace === cluster.metadata?.namespace &&
      (a.metadata?.name === name || stringField(a, 'spec', 'clusterRef', 'name') === cluster.metadata?.name),
  );
  if (!addon) return `${head}; the cluster-stack operator waits for ClusterAddon ${name}, which is not in the input`;
  const applied = findCondition(conditionsAt(addon, 'status', 'conditions'), HELM_CHART_APPLIED);
  const addonName = addon.metadata?.name ?? name;
  if (applied?.status === 'True')
    return `${head}; ClusterAddon ${addonName} has ${HELM_CHART_APPLIED}=True, so the hook lets the upgrade go on at its next call`;
  const why = applied
    ? `${HELM_CHART_APPLIED}=${applied.status}${applied.reason ? ` ${applied.reason}` : ''}${applied.message ? `: ${oneLine(applied.message)}` : ''}`
    : `no ${HELM_CHART_APPLIED} condition yet`;
  return `${head}: the cluster-stack operator waits for ClusterAddon ${addonName} (${why})`;
}

/** The first transient activity (rollout, scaling, pending topology change, blocking hook), if any, with its one-line reason. */
function activity(
  cluster: KubeObject,
  conditions: Condition[],
  source: 'v1beta2' | 'v1beta1',
  ctx: StatusContext,
): { reason: string } | undefined {
  for (const t of PROGRESS_ORDER) {
    const c = findCondition(conditions, t);
    if (!c || !isIssue(c, source) || isTopologyFailure(c)) continue;
    const hooks = t === 'TopologyReconciled' ? blockingHooks(c) : [];
    return { reason: hooks.length ? hookReason(cluster, hooks, ctx) : describe(c) };
  }
  return undefined;
}

function isProvisioning(phase: string | undefined): boolean {
  return phase === 'Pending' || phase === 'Provisioning';
}

/**
 * A cluster that is still coming up: phase Pending/Provisioning (setPhase, cluster_controller_status.go:97-119), or
 * Provisioned — which only needs the infrastructure and the endpoint (:107-110) — while ControlPlaneInitialized is not
 * True yet ("Control plane not yet initialized" / "Waiting for the first control plane machine…", :620-657). In that
 * window RemoteConnectionProbe is False "Remote connection not established yet" (:311-323) and Available False: that
 * is the normal bootstrap, not a failure. Returns the condition that explains it.
 */
function bootstrapping(conditions: Condition[], phase: string | undefined, obj: KubeObject): Condition | undefined | false {
  const infra = findCondition(conditions, 'InfrastructureReady');
  const init = findCondition(conditions, 'ControlPlaneInitialized');
  const initField = field(obj, 'status', 'initialization', 'controlPlaneInitialized');
  const initialized = init ? init.status === 'True' : typeof initField === 'boolean' ? initField : undefined;
  if (!isProvisioning(phase) && initialized !== false) return false;
  if (infra && infra.status !== 'True') return infra;
  return init && init.status !== 'True' ? init : undefined;
}

/** v1beta1 `Ready` False with severity Error: a provider reported a hard failure (also while bootstrapping). */
function hardFailure(v1beta1: Condition[] | undefined): Condition | undefined {
  const ready = findCondition(v1beta1, 'Ready');
  return ready && ready.status === 'False' && ready.severity === 'Error' ? ready : undefined;
}

function healthFromV1beta2(
  obj: KubeObject,
  v1beta2: Condition[],
  v1beta1: Condition[] | undefined,
  phase: string | undefined,
  ctx: StatusContext,
): { health: Health; reason: string } | undefined {
  const available = findCondition(v1beta2, 'Available');
  if (!available) return undefined;
  const topology = findCondition(v1beta2, 'TopologyReconciled');
  if (isTopologyFailure(topology)) return { health: 'failed', reason: describe(topology as Condition) };
  const act = activity(obj, v1beta2, 'v1beta2', ctx);
  if (available.status === 'True') {
    if (act) return { health: 'progressing', reason: act.reason };
    const machines = ['ControlPlaneMachinesReady', 'WorkerMachinesReady']
      .map((t) => findCondition(v1beta2, t))
      .find((c) => c && c.status !== 'True');
    if (machines) return { health: 'progressing', reason: describe(machines) };
    return { health: 'healthy', reason: 'Available' };
  }
  // Not available: the first not-true positive condition is the most specific explanation.
  const cause = v1beta2.find((c) => c.type !== 'Available' && !NEGATIVE_POLARITY.has(c.type) && c.status !== 'True');
  const reason = oneLine(available.message) || (cause ? describe(cause) : describe(available));
  const hard = hardFailure(v1beta1);
  if (hard) return { health: 'failed', reason: describe(hard) };
  const boot = bootstrapping(v1beta2, phase, obj);
  if (boot !== false)
    return { health: 'progressing', reason: `Bootstrapping (phase ${phase ?? 'unset'}): ${boot ? describe(boot) : reason}` };
  if (act) return { health: 'progressing', reason: act.reason.startsWith('TopologyReconciled: lifecycle hook') ? act.reason : reason };
  if (available.status === 'Unknown') return { health: 'unknown', reason };
  return { health: 'failed', reason };
}

function healthFromV1beta1(
  obj: KubeObject,
  v1beta1: Condition[],
  phase: string | undefined,
  ctx: StatusContext,
): { health: Health; reason: string } | undefined {
  const ready = findCondition(v1beta1, 'Ready');
  if (!ready) return undefined;
  // CAPI ≤ v1.8 summarises Ready from ControlPlaneReady and InfrastructureReady only
  // (v1.8.0 internal/controllers/cluster/cluster_controller.go:163-168): a failed topology leaves Ready True.
  const topology = findCondition(v1beta1, 'TopologyReconciled');
  if (isTopologyFailure(topology)) return { health: 'failed', reason: describe(topology as Condition) };
  if (ready.status === 'True') {
    const act = activity(obj, v1beta1, 'v1beta1', ctx);
    if (act) return { health: 'progressing', reason: act.reason };
    const pending = v1beta1.find((c) => c.status !== 'True');
    if (pending) return { health: 'progressing', reason: describe(pending) };
    return { health: 'healthy', reason: 'Ready' };
  }
  const reason = describe(ready);
  if (ready.status === 'Unknown') return { health: 'unknown', reason };
  if (ready.severity === 'Error') return { health: 'failed', reason };
  const boot = bootstrapping(v1beta1, phase, obj);
  if (boot !== false)
    return { health: 'progressing', reason: `Bootstrapping (phase ${phase ?? 'unset'}): ${boot ? describe(boot) : reason}` };
  if (ready.severity === 'Warning') return { health: 'failed', reason };
  return { health: 'progressing', reason };
}

function healthFromPhase(obj: KubeObject, phase: string | undefined): { health: Health; reason: string } {
  if (isProvisioning(phase)) return { health: 'progressing', reason: `Phase ${phase}` };
  if (phase === 'Provisioned') {
    const infra = field(obj, 'status', 'infrastructureReady') ?? field(obj, 'status', 'initialization', 'infrastructureProvisioned');
    if (infra === true) return { health: 'healthy', reason: 'Provisioned' };
    return { health: 'progressing', reason: 'Provisioned, infrastructure not ready' };
  }
  return { health: 'unknown', reason: phase ? `Phase ${phase}` : 'No status reported yet' };
}

export function clusterStatus(obj: KubeObject, ctx: StatusContext = {}): ClusterStatus {
  const phase = stringField(obj, 'status', 'phase');
  const { v1beta2, v1beta1 } = clusterConditions(obj);
  const preferred = v1beta2 && v1beta2.length > 0 ? { list: v1beta2, source: 'v1beta2' as const } : undefined;
  const fallback = v1beta1 && v1beta1.length > 0 ? { list: v1beta1, source: 'v1beta1' as const } : undefined;
  const shown = preferred ?? fallback;

  const failureMessage =
    stringField(obj, 'status', 'failureMessage') ?? stringField(obj, 'status', 'deprecated', 'v1beta1', 'failureMessage');
  const failureReason = stringField(obj, 'status', 'failureReason') ?? stringField(obj, 'status', 'deprecated', 'v1beta1', 'failureReason');
  const readyCondition = findCondition(v1beta1, 'Ready');

  let verdict: { health: Health; reason: string } | undefined;
  if (obj.metadata?.deletionTimestamp || phase === 'Deleting') {
    const deleting = findCondition(v1beta2, 'Deleting');
    verdict = {
      health: 'deleting',
      reason: deleting?.message ? oneLine(deleting.message) : `Deleting since ${obj.metadata?.deletionTimestamp ?? 'unknown time'}`,
    };
  } else if (field(obj, 'spec', 'paused') === true || findCondition(v1beta2, 'Paused')?.status === 'True') {
    verdict = { health: 'paused', reason: 'Cluster is paused (spec.paused)' };
  } else if (phase === 'Failed' || failureReason || failureMessage) {
    const msg = oneLine(failureMessage) || (readyCondition && readyCondition.status !== 'True' ? describe(readyCondition) : '');
    verdict = { health: 'failed', reason: msg || failureReason || 'Phase Failed' };
  } else {
    verdict =
      (v1beta2 && v1beta2.length > 0 ? healthFromV1beta2(obj, v1beta2, v1beta1, phase, ctx) : undefined) ??
      (v1beta1 && v1beta1.length > 0 ? healthFromV1beta1(obj, v1beta1, phase, ctx) : undefined) ??
      healthFromPhase(obj, phase);
  }

  return {
    name: obj.metadata?.name ?? '',
    namespace: obj.metadata?.namespace,
    apiVersion: obj.apiVersion,
    phase,
    kubernetesVersion: stringField(obj, 'spec', 'topology', 'version'),
    className: stringField(obj, 'spec', 'topology', 'class') ?? stringField(obj, 'spec', 'topology', 'classRef', 'name'),
    health: verdict.health,
    reason: verdict.reason,
    issues: shown ? collectIssues(shown.list, shown.source) : [],
  };
}

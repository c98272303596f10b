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

/** The first transient activity (rollout, scaling, pending topology change), if any. */
function activity(v1beta2: Condition[]): Condition | undefined {
  for (const t of PROGRESS_ORDER) {
    const c = findCondition(v1beta2, t);
    if (c && isIssue(c, 'v1beta2')) return c;
  }
  return undefined;
}

function isProvisioning(phase: string | undefined): boolean {
  return phase === 'Pending' || phase === 'Provisioning';
}

function healthFromV1beta2(v1beta2: Condition[], phase: string | undefined): { health: Health; reason: string } | undefined {
  const available = findCondition(v1beta2, 'Available');
  if (!available) return undefined;
  const act = activity(v1beta2);
  if (available.status === 'True') {
    if (act) return { health: 'progressing', reason: describe(act) };
    const machines = ['ControlPlaneMachinesReady', 'WorkerMachinesReady']
      .map((t) => findCondition(v1beta2, t))
      .find((c) => c && c.status !== 'True');
    if (machines) return { health: 'progressing', reason: describe(machines) };
    return { health: 'healthy', reason: 'Available' };
  }
  // Not available: the first not-true positive condition is the most specific explanation.
  const cause = v1beta2.find((c) => c.type !== 'Available' && !NEGATIVE_POLARITY.has(c.type) && c.status !== 'True');
  const reason = oneLine(available.message) || (cause ? describe(cause) : describe(available));
  if (isProvisioning(phase) || act) return { health: 'progressing', reason };
  if (available.status === 'Unknown') return { health: 'unknown', reason };
  return { health: 'failed', reason };
}

function healthFromV1beta1(v1beta1: Condition[]): { health: Health; reason: string } | undefined {
  const ready = findCondition(v1beta1, 'Ready');
  if (!ready) return undefined;
  if (ready.status === 'True') {
    const pending = v1beta1.find((c) => c.status !== 'True');
    if (pending) return { health: 'progressing', reason: describe(pending) };
    return { health: 'healthy', reason: 'Ready' };
  }
  const reason = describe(ready);
  if (ready.status === 'Unknown') return { health: 'unknown', reason };
  if (ready.severity === 'Error' || ready.severity === 'Warning') return { health: 'failed', reason };
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

export function clusterStatus(obj: KubeObject): ClusterStatus {
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
      (v1beta2 && v1beta2.length > 0 ? healthFromV1beta2(v1beta2, phase) : undefined) ??
      (v1beta1 && v1beta1.length > 0 ? healthFromV1beta1(v1beta1) : undefined) ??
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

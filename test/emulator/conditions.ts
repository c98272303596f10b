// The two condition libraries the modelled controllers write with, re-implemented from their source:
//
// - Cluster API's v1beta1 conditions (`clusterv1.Conditions`: type, status, severity, reason, message,
//   lastTransitionTime), used by the cluster-stack operator (which vendors CAPI v1.8.1) and, as deprecated
//   conditions, by CAPI itself: kubernetes-sigs/cluster-api@v1.8.1 util/conditions/setter.go (Set,
//   lexicographicLess, hasSameState), merge.go + merge_strategies.go (SetSummary's Ready).
// - metav1.Condition as CAPI's v1beta2 util/conditions.Set writes it: observedGeneration of the object,
//   lastTransitionTime changes only with the status (apimachinery meta.SetStatusCondition), sorted by the
//   fixed order of kubernetes-sigs/cluster-api@ae7ff047 util/conditions/sort.go:98.
import { nowRfc3339, type Obj } from './controllerClient';

export type Severity = 'Error' | 'Warning' | 'Info' | '';

export interface V1Beta1Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  severity?: Severity;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export const trueCondition = (type: string): V1Beta1Condition => ({ type, status: 'True' });
export const falseCondition = (type: string, reason: string, severity: Severity, message: string): V1Beta1Condition => ({
  type,
  status: 'False',
  severity,
  reason,
  message,
});

const sameState = (a: V1Beta1Condition, b: V1Beta1Condition): boolean =>
  a.type === b.type &&
  a.status === b.status &&
  (a.reason ?? '') === (b.reason ?? '') &&
  (a.severity ?? '') === (b.severity ?? '') &&
  (a.message ?? '') === (b.message ?? '');

/** Ready first, then by type (setter.go lexicographicLess). */
const lexicographicLess = (i: V1Beta1Condition, j: V1Beta1Condition): boolean =>
  (i.type === 'Ready' || i.type < j.type) && j.type !== 'Ready';

/** Sets a condition; the transition time changes only when its state does (setter.go Set). Returns the new list. */
export function setV1Beta1(list: V1Beta1Condition[] | undefined, c: V1Beta1Condition): V1Beta1Condition[] {
  const out = [...(list ?? [])];
  const i = out.findIndex((x) => x.type === c.type);
  const next: V1Beta1Condition = { ...c };
  for (const k of ['severity', 'reason', 'message'] as const) if (!next[k]) delete next[k];
  if (i >= 0) {
    next.lastTransitionTime = sameState(out[i], next) ? out[i].lastTransitionTime : nowRfc3339();
    out[i] = next;
  } else {
    next.lastTransitionTime ??= nowRfc3339();
    out.push(next);
  }
  return out.sort((a, b) => (lexicographicLess(a, b) ? -1 : lexicographicLess(b, a) ? 1 : 0));
}

export const getV1Beta1 = (list: V1Beta1Condition[] | undefined, type: string): V1Beta1Condition | undefined =>
  (list ?? []).find((c) => c.type === type);
export const isTrue = (list: V1Beta1Condition[] | undefined, type: string): boolean => getV1Beta1(list, type)?.status === 'True';
export const isFalse = (list: V1Beta1Condition[] | undefined, type: string): boolean => getV1Beta1(list, type)?.status === 'False';

/** merge.go mergePriority: False/Error, False/Warning, False/Info, True, Unknown. */
function priority(c: V1Beta1Condition): number {
  if (c.status === 'False') return c.severity === 'Error' ? 0 : c.severity === 'Warning' ? 1 : c.severity === 'Info' ? 2 : 99;
  if (c.status === 'True') return 3;
  return c.status === 'Unknown' ? 4 : 99;
}

/**
 * SetSummary without options: Ready from every other condition (getter.go summary + merge.go merge). The top
 * group (status, severity) decides; its first condition in lexicographic order gives reason and message. No
 * condition in scope → no Ready is set.
 */
export function setSummary(list: V1Beta1Condition[] | undefined): V1Beta1Condition[] {
  const scope = (list ?? []).filter((c) => c.type !== 'Ready');
  if (!scope.length) return [...(list ?? [])];
  const groups = new Map<string, V1Beta1Condition[]>();
  for (const c of scope) {
    const key = `${c.status}/${c.severity ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const top = [...groups.values()].sort((a, b) => priority(a[0]) - priority(b[0]))[0];
  top.sort((a, b) => (lexicographicLess(a, b) ? -1 : lexicographicLess(b, a) ? 1 : 0));
  const first = top[0];
  if (first.status === 'True') return setV1Beta1(list, trueCondition('Ready'));
  const ready: V1Beta1Condition =
    first.status === 'False'
      ? falseCondition('Ready', first.reason ?? '', first.severity ?? '', first.message ?? '')
      : { type: 'Ready', status: 'Unknown', reason: first.reason, message: first.message };
  return setV1Beta1(list, ready);
}

// ---------------------------------------------------------------- metav1.Condition (CAPI v1beta2)

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
}

/** util/conditions/sort.go:98 `order` (the Cluster's and KCP/MD's types among them). */
const ORDER = [
  'Available',
  'Ready',
  'UpToDate',
  'RemoteConnectionProbe',
  'BootstrapConfigReady',
  'InfrastructureReady',
  'ControlPlaneInitialized',
  'ControlPlaneAvailable',
  'WorkersAvailable',
  'CertificatesAvailable',
  'Initialized',
  'EtcdClusterHealthy',
  'ControlPlaneComponentsHealthy',
  'NodeHealthy',
  'NodeReady',
  'NodeKubeadmLabelsAndTaintsSet',
  'EtcdPodHealthy',
  'EtcdMemberHealthy',
  'APIServerPodHealthy',
  'ControllerManagerPodHealthy',
  'SchedulerPodHealthy',
  'HealthCheckSucceeded',
  'OwnerRemediated',
  'TopologyReconciled',
  'Updating',
  'RollingOut',
  'Remediating',
  'ScalingDown',
  'ScalingUp',
  'MachinesReady',
  'ControlPlaneMachinesReady',
  'WorkerMachinesReady',
  'MachinesUpToDate',
  'ControlPlaneMachinesUpToDate',
  'WorkerMachinesUpToDate',
  '<readinessAndAvailabilityGates>',
  'Paused',
  'Deleting',
];
const rank = (t: string): number => {
  const i = ORDER.indexOf(t);
  return i >= 0 ? i : ORDER.indexOf('<readinessAndAvailabilityGates>');
};

/** conditions.Set: observedGeneration from the object, transition time kept while the status stays, fixed order. */
export function setCondition(list: Condition[] | undefined, c: Condition, generation: number | undefined): Condition[] {
  const out = [...(list ?? [])];
  const next: Condition = { ...c, observedGeneration: generation };
  if (generation === undefined) delete next.observedGeneration;
  const i = out.findIndex((x) => x.type === c.type);
  if (i >= 0) {
    next.lastTransitionTime = out[i].status === next.status ? out[i].lastTransitionTime : nowRfc3339();
    out[i] = next;
  } else {
    next.lastTransitionTime = nowRfc3339();
    out.push(next);
  }
  return out.sort((a, b) => rank(a.type) - rank(b.type) || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
}

export const getCondition = (list: Condition[] | undefined, type: string): Condition | undefined =>
  (list ?? []).find((c) => c.type === type);

/** Conditions as read from an object's status (v1beta1 or metav1 lists are both arrays of objects). */
export const conditionsOf = (o: Obj | undefined, path: string[] = ['status', 'conditions']): Obj[] =>
  (path.reduce<Obj | undefined>((x, k) => x?.[k], o) as Obj[] | undefined) ?? [];

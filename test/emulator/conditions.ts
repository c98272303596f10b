// The two condition libraries the modelled controllers write with, re-implemented from their source:
//
// - Cluster API's v1beta1 conditions (`clusterv1.Conditions`: type, status, severity, reason, message,
//   lastTransitionTime), used by the cluster-stack operator (which vendors CAPI v1.8.1) and, as deprecated
//   conditions, by CAPI itself: kubernetes-sigs/cluster-api@v1.8.1 util/conditions/setter.go (Set,
//   lexicographicLess, hasSameState), merge.go + merge_strategies.go (SetSummary's Ready).
// - metav1.Condition as CAPI's v1beta2 util/conditions.Set writes it: observedGeneration of the object,
//   lastTransitionTime changes only with the status (apimachinery meta.SetStatusCondition), sorted by the
//   fixed order of kubernetes-sigs/cluster-api@ae7ff047 util/conditions/sort.go:98.
import { nowRfc3339 } from './controllerClient';

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

const getV1Beta1 = (list: V1Beta1Condition[] | undefined, type: string): V1Beta1Condition | undefined =>
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
 * SetSummary: Ready from every other condition, or from `types` only (WithConditions) (getter.go summary +
 * merge.go merge). The top group (status, severity) decides; its first condition (in `types` order, else
 * lexicographic) gives reason and message. No condition in scope → no Ready is set.
 */
export function setSummary(list: V1Beta1Condition[] | undefined, types?: string[]): V1Beta1Condition[] {
  const scope = (list ?? []).filter((c) => c.type !== 'Ready' && (!types || types.includes(c.type)));
  if (!scope.length) return [...(list ?? [])];
  const groups = new Map<string, V1Beta1Condition[]>();
  for (const c of scope) {
    const key = `${c.status}/${c.severity ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const top = [...groups.values()].sort((a, b) => priority(a[0]) - priority(b[0]))[0];
  top.sort((a, b) => (lexicographicLess(a, b) ? -1 : lexicographicLess(b, a) ? 1 : 0));
  const first = (types && top.length > 1 ? types.map((t) => top.find((c) => c.type === t)).find((c) => c) : undefined) ?? top[0];
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

// ---------------------------------------------------------------- CAPI v1beta2 merge (util/conditions/merge_strategies.go)

const BULLET = /\s*\*\s+/;

/** indentIfMultiline (merge_strategies.go:561): a multi-line or bulleted message goes on indented lines. */
export function indentIfMultiline(m: string): string {
  if (!m.includes('\n') && !BULLET.test(m)) return ` ${m}`;
  const lines = m.split('\n');
  const withoutBullet = lines.some((l) => !BULLET.test(l));
  return `\n${lines.map((l) => `  ${withoutBullet ? (BULLET.test(l) ? '  ' : '* ') : ''}${l}`).join('\n')}`;
}

export type Priority = 'issue' | 'unknown' | 'info';

/** GetDefaultMergePriorityFunc: False is an issue (True for negative polarity), Unknown unknown, else info. */
export const defaultPriority =
  (negative: string[] = []) =>
  (c: Condition): Priority =>
    c.status === 'Unknown' ? 'unknown' : (c.status === 'True') === negative.includes(c.type) ? 'issue' : 'info';

export interface Owned {
  kind: string;
  name: string;
  condition: Condition;
}

/**
 * NewAggregateCondition with the default merge strategy: status from the worst priority (issue > unknown > info,
 * inverted for a negative-polarity target), the given reasons, and the message grouping the objects per kind and
 * message (`* Kind name: msg`, `* Kinds a, b: msg`), at most three entries (aggregateMessages).
 */
export function aggregate(
  type: string,
  owned: Owned[],
  reasons: { issue: string; unknown: string; info: string },
  opts: { negative?: boolean } = {},
): Omit<Condition, 'lastTransitionTime' | 'observedGeneration'> {
  const prio = defaultPriority(opts.negative ? [owned[0]?.condition.type ?? ''] : []);
  const issues = owned.filter((o) => prio(o.condition) === 'issue');
  const unknown = owned.filter((o) => prio(o.condition) === 'unknown');
  const infos = owned.filter((o) => prio(o.condition) === 'info');
  const positive = !opts.negative;
  const status: Condition['status'] = issues.length
    ? positive
      ? 'False'
      : 'True'
    : unknown.length
      ? 'Unknown'
      : positive
        ? 'True'
        : 'False';
  const reason = issues.length ? reasons.issue : unknown.length ? reasons.unknown : reasons.info;
  const shown = issues.length || unknown.length ? [...issues, ...unknown] : infos.filter((o) => o.condition.message);
  const byMessage = new Map<string, Owned[]>();
  for (const o of shown)
    byMessage.set(`${o.kind}\u0000${o.condition.message}`, [...(byMessage.get(`${o.kind}\u0000${o.condition.message}`) ?? []), o]);
  const lines: string[] = [];
  for (const group of [...byMessage.values()].slice(0, 3)) {
    const names = group.map((o) => o.name).sort();
    const kind = group[0].kind;
    const who =
      names.length === 1
        ? `${kind} ${names[0]}`
        : names.length <= 3
          ? `${kind}s ${names.join(', ')}`
          : `${kind}s ${names.slice(0, 3).join(', ')}, ... (${names.length - 3} more)`;
    lines.push(`* ${who}:${indentIfMultiline(group[0].condition.message)}`);
  }
  return { type, status, reason, message: lines.join('\n') };
}

/**
 * NewSummaryCondition with the default merge strategy (summaryMessage, merge_strategies.go:357): `* Type: msg`
 * for every issue and unknown condition in `types` order, info conditions only when the result is True and they
 * have a message.
 */
export function summarize(
  type: string,
  conditions: Condition[],
  types: string[],
  priority: (c: Condition) => Priority,
  reasons: { issue: string; unknown: string; info: string },
): Omit<Condition, 'lastTransitionTime' | 'observedGeneration'> {
  const inScope = types.map((t) => conditions.find((c) => c.type === t)).filter((c): c is Condition => !!c);
  const issues = inScope.filter((c) => priority(c) === 'issue');
  const unknown = inScope.filter((c) => priority(c) === 'unknown');
  const status: Condition['status'] = issues.length ? 'False' : unknown.length ? 'Unknown' : 'True';
  const reason = issues.length ? reasons.issue : unknown.length ? reasons.unknown : reasons.info;
  const lines: string[] = [];
  for (const c of inScope) {
    if (priority(c) === 'info' && (status !== 'True' || !c.message)) continue;
    lines.push(`* ${c.type}:${c.message ? indentIfMultiline(c.message) : ` ${c.reason}`}`);
  }
  return { type, status, reason, message: lines.join('\n') };
}

/**
 * Pausing and resuming a Cluster's reconciliation with `spec.paused`. v1beta1 has `paused: bool` (false
 * is omitted, so resuming removes the field); v1beta2 has `paused: *bool` (resuming writes false)
 * (kubernetes-sigs/cluster-api@ae7ff047 api/core/v1beta1/cluster_types.go:464, api/core/v1beta2/cluster_types.go:482-484).
 * `util/annotations.IsPaused` (util/annotations/helpers.go:30-36) also treats the `cluster.x-k8s.io/paused`
 * annotation as paused, so resuming removes it as well.
 */
import { field, type KubeObject } from '../capi/types';
import type { TenantFacts } from '../stacks/topology';
import { isV1beta2, makeChange, PatchBuilder, type ClusterChange } from './change';

export const PAUSED_ANNOTATION = 'cluster.x-k8s.io/paused';

/** What pausing does, for the confirmation and the tree. */
export const PAUSE_EFFECT =
  'Cluster API stops reconciling the cluster and its objects: the topology controller, KubeadmControlPlane, ' +
  'MachineDeployments, MachineSets, Machines, MachineHealthChecks and the OpenStack provider (CAPO) skip it, so ' +
  'no rollout, upgrade, scaling, remediation or deletion progresses. The workload cluster keeps running; ' +
  'TopologyReconciled turns False with reason Paused.';

export interface PauseState {
  readonly paused: boolean;
  /** Which of the two mechanisms pause it. */
  readonly by: readonly ('spec.paused' | 'annotation')[];
  /** One line for the tree. */
  readonly effect: string;
}

export function pauseState(cluster: KubeObject): PauseState {
  const by: ('spec.paused' | 'annotation')[] = [];
  if (field(cluster, 'spec', 'paused') === true) by.push('spec.paused');
  if (cluster.metadata?.annotations && PAUSED_ANNOTATION in cluster.metadata.annotations) by.push('annotation');
  return {
    paused: by.length > 0,
    by,
    effect: by.length
      ? `Reconciliation paused (${by.map((b) => (b === 'annotation' ? `${PAUSED_ANNOTATION} annotation` : b)).join(', ')}): nothing is rolled out, scaled, repaired or deleted`
      : 'Reconciled by Cluster API',
  };
}

export function planPause(cluster: KubeObject, paused: boolean, facts?: TenantFacts): ClusterChange {
  const name = cluster.metadata?.name ?? '';
  const state = pauseState(cluster);
  const b = new PatchBuilder(cluster);
  const warnings: string[] = [];
  let apply: Record<string, unknown> | undefined;
  if (paused) {
    if (state.by.includes('spec.paused')) warnings.push(`${name} is already paused`);
    else b.set(['spec', 'paused'], true);
    if (cluster.metadata?.deletionTimestamp) warnings.push(`${name} is being deleted: while paused, the deletion does not progress`);
    apply = { spec: { paused: true } };
  } else {
    if (!state.paused) warnings.push(`${name} is not paused`);
    if (state.by.includes('spec.paused')) {
      if (isV1beta2(cluster)) b.set(['spec', 'paused'], false);
      else b.remove(['spec', 'paused']);
    }
    apply = { spec: { paused: false } };
    if (state.by.includes('annotation')) {
      b.remove(['metadata', 'annotations', PAUSED_ANNOTATION]);
      warnings.push(`the ${PAUSED_ANNOTATION} annotation also pauses it and is removed too`);
      apply = undefined;
    }
  }
  return makeChange(cluster, {
    summary: `${paused ? 'Pause' : 'Resume'} reconciliation of ${name}`,
    effect: paused
      ? PAUSE_EFFECT
      : 'Cluster API reconciles the cluster again: pending topology changes, rollouts, scaling and repairs resume.',
    ops: b.ops,
    apply,
    facts,
    warnings,
  });
}

/**
 * The explorer's "Check Credential Drift" action on a tenant or a workload cluster: runs the
 * credential propagation command with `drift: true` (it reaches every workload cluster of the tenant
 * through the push layer, with bounded concurrency) and shows each cluster's state on its
 * "Cloud credentials" node. Only states, descriptions and reasons travel here, never a value.
 */
import * as vscode from 'vscode';
import { MANAGED_SECRET_LABEL } from '../../core/capi/credentials';
import type { WorkloadStyle } from '../../core/manifests/credentials';
import { COMMAND } from '../../services/commandIds';
import type { ExplorerState } from './state';

/** The parts of the `clusterStacks.showPropagation` result this action reads (names, states, reasons). */
export interface PropagationResult {
  readonly outcome: string;
  readonly drift?: readonly { cluster: string; state?: string; description?: string; reason?: string }[];
  readonly lastPush?: readonly { cluster: string; outcome: string; reason?: string }[];
}

export interface CheckDriftTarget {
  readonly context: string;
  readonly namespace: string;
  /** Set when started from a cluster node (its label picks the style). */
  readonly cluster?: string;
}

/** Runs the check for the tenant of `target`; the result also lands in the tree. */
export async function checkDrift(
  state: ExplorerState,
  target: CheckDriftTarget,
  opts: { readonly style?: WorkloadStyle; readonly [k: string]: unknown } = {},
): Promise<PropagationResult | undefined> {
  // The cluster's own managed-secret label says which secret it should have (cloud-config / clouds-yaml).
  const clusters = state.tenantClusters(target.context, target.namespace);
  const labelled =
    clusters.find((c) => c.metadata?.name === target.cluster) ?? clusters.find((c) => c.metadata?.labels?.[MANAGED_SECRET_LABEL]);
  const label = labelled?.metadata?.labels?.[MANAGED_SECRET_LABEL];
  const style = opts.style ?? (label === 'cloud-config' || label === 'clouds-yaml' ? label : undefined);
  const result = await vscode.commands.executeCommand<PropagationResult | undefined>(COMMAND.showPropagation, {
    ...opts,
    context: target.context,
    namespace: target.namespace,
    drift: true,
    ...(style ? { style } : {}),
  });
  if (result?.outcome !== 'done') return result;
  state.setCredentialCheck(target.context, target.namespace, {
    checkedAt: new Date().toISOString(),
    drift: new Map((result.drift ?? []).map((d) => [d.cluster, d])),
    push: new Map((result.lastPush ?? []).map((p) => [p.cluster, { outcome: p.outcome, ...(p.reason ? { reason: p.reason } : {}) }])),
  });
  return result;
}

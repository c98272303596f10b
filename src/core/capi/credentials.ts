/**
 * Whether a workload cluster gets its OpenStack cloud credentials the SCS way: the Cluster carries the
 * label `managed-secret` (`cloud-config` for series scs, `clouds-yaml` for scs2), a ClusterResourceSet in
 * its namespace selects it, and the ClusterResourceSetBinding named after the cluster lists that CRS with
 * its resources applied (domain.md §8, §(c)).
 */
import { type KubeObject, type LabelSelector, conditionsAt, field, findCondition, oneLine, selectorMatches, stringField } from './types';

export const MANAGED_SECRET_LABEL = 'managed-secret';

export type ResourceSetStrategy = 'ApplyOnce' | 'Reconcile';

/**
 * A ClusterResourceSet's strategy as the controller runs it: the webhook defaults a missing one to ApplyOnce
 * (kubernetes-sigs/cluster-api@ae7ff047 core/webhooks/admission/clusterresourceset.go:51-58), so an object without
 * `spec.strategy` (e.g. read from a file, or stored before the webhook ran) is ApplyOnce.
 */
export function resourceSetStrategy(crs: unknown): ResourceSetStrategy | string {
  return stringField(crs, 'spec', 'strategy') ?? 'ApplyOnce';
}

export type CredentialsState = 'applied' | 'pending' | 'failed' | 'unmatched' | 'none';

export interface ClusterCredentials {
  state: CredentialsState;
  /** Value of the `managed-secret` label, if any. */
  label?: string;
  /** ClusterResourceSets in the cluster's namespace whose selector matches the cluster. */
  resourceSets: string[];
  /** Of those, the ones the cluster's binding lists with every resource applied. */
  applied: string[];
  summary: string;
}

interface BindingEntry {
  clusterResourceSetName: string;
  allApplied: boolean;
}

function bindingEntries(binding: KubeObject | undefined): BindingEntry[] {
  const raw = field(binding, 'spec', 'bindings');
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((b): b is Record<string, unknown> => b !== null && typeof b === 'object' && typeof b.clusterResourceSetName === 'string')
    .map((b) => {
      const resources = Array.isArray(b.resources) ? (b.resources as Record<string, unknown>[]) : [];
      return {
        clusterResourceSetName: b.clusterResourceSetName as string,
        allApplied: resources.length > 0 && resources.every((r) => r !== null && typeof r === 'object' && r.applied === true),
      };
    });
}

/** The binding for `clusterName`: CAPI names it after the cluster; newer ones also set `spec.clusterName`. */
export function bindingFor(clusterName: string, bindings: readonly KubeObject[]): KubeObject | undefined {
  return (
    bindings.find((b) => stringField(b, 'spec', 'clusterName') === clusterName) ?? bindings.find((b) => b.metadata?.name === clusterName)
  );
}

/** Whether the CRS reports ResourcesApplied=False (v1beta2 layout first, then v1beta1). */
export function resourceSetFailure(crs: KubeObject): string | undefined {
  const v1beta2 = /\/v1beta2$/.test(crs.apiVersion ?? '');
  const cond =
    findCondition(conditionsAt(crs, 'status', 'conditions'), 'ResourcesApplied') ??
    (v1beta2 ? findCondition(conditionsAt(crs, 'status', 'deprecated', 'v1beta1', 'conditions'), 'ResourcesApplied') : undefined);
  if (cond?.status !== 'False') return undefined;
  return oneLine(cond.message) || cond.reason || 'ResourcesApplied is False';
}

/**
 * `resourceSets` and `bindings` are the objects of the cluster's namespace (others are ignored, since a CRS
 * only selects clusters of its own namespace).
 */
export function clusterCredentials(
  cluster: KubeObject,
  resourceSets: readonly KubeObject[],
  bindings: readonly KubeObject[],
): ClusterCredentials {
  const ns = cluster.metadata?.namespace;
  const name = cluster.metadata?.name ?? '';
  const labels = cluster.metadata?.labels;
  const label = labels?.[MANAGED_SECRET_LABEL];
  const sameNs = (o: KubeObject) => o.metadata?.namespace === ns;
  const matching = resourceSets.filter(
    (crs) => sameNs(crs) && selectorMatches(field(crs, 'spec', 'clusterSelector') as LabelSelector | undefined, labels),
  );
  const entries = bindingEntries(bindingFor(name, bindings.filter(sameNs)));
  const matchingNames = matching.map((c) => c.metadata?.name ?? '');
  const applied = matchingNames.filter((n) => entries.some((e) => e.clusterResourceSetName === n && e.allApplied));
  const failures = matching.map((crs) => ({ name: crs.metadata?.name ?? '', failure: resourceSetFailure(crs) })).filter((f) => f.failure);

  let state: CredentialsState;
  let summary: string;
  if (applied.length > 0) {
    state = 'applied';
    summary = `Credentials applied by ${applied.join(', ')}`;
  } else if (failures.length > 0) {
    state = 'failed';
    summary = `${failures[0].name}: ${failures[0].failure}`;
  } else if (matching.length > 0) {
    state = 'pending';
    summary = `Selected by ${matchingNames.join(', ')}, not applied yet`;
  } else if (label !== undefined) {
    state = 'unmatched';
    summary = `Label ${MANAGED_SECRET_LABEL}=${label}, but no ClusterResourceSet selects it`;
  } else {
    state = 'none';
    summary = `No ${MANAGED_SECRET_LABEL} label and no ClusterResourceSet selects it`;
  }
  return { state, label, resourceSets: matchingNames, applied, summary };
}

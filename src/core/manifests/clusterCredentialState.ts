/**
 * What the explorer's "Cloud credentials" node of a workload cluster says: the result of the last
 * drift check (in sync / drifted / missing, read from the workload cluster on demand), else how far
 * the ClusterResourceSets selecting the cluster have propagated the current resource-set content
 * (binding hash current / stale, lastAppliedTime, under the CRS's strategy), else the CAPI binding state.
 * `clusterCredentialState` is that last part on its own (the tree, `cluster-stacks health` and the tests
 * share it). Built from names, states and hashes only, so every string here is safe to show.
 *
 * Pure: no `vscode`, no network.
 */
import { clusterCredentials, type ClusterCredentials } from '../capi/credentials';
import { identityRefusal, identitySourceText, type ClusterIdentity } from '../capi/identity';
import type { SecretSummary } from '../capi/tenants';
import { field, type KubeObject } from '../capi/types';
import { crsPropagation, type ClusterPropagation, type DriftState } from './propagation';

/**
 * `applied`: CAPI's binding says applied, but the resource Secret's hash could not be compared. `refused`: CAPO would not
 * read the cluster's OpenStackClusterIdentity for this namespace (or cannot resolve it).
 */
export type CredentialNodeState = DriftState | 'applied' | 'stale' | 'pending' | 'failed' | 'unknown' | 'none' | 'refused';

/** One cluster's row of a drift check (as the propagation command returns it). */
export interface DriftRow {
  readonly state?: string;
  readonly description?: string;
  readonly reason?: string;
}

export interface CredentialNodeView {
  readonly state: CredentialNodeState;
  readonly label: string;
  readonly description?: string;
  readonly tooltip: string;
}

export interface ResourceSetRow extends ClusterPropagation {
  readonly resourceSet: string;
  readonly secret: string;
}

/** How a row reads; a stale row depends on the strategy (clusterresourceset_scope.go:110-114 vs :155-157). */
function propagationText(r: ClusterPropagation): string {
  switch (r.state) {
    case 'current':
      return 'applied hash current';
    case 'failed':
      return 'apply failed';
    case 'pending':
      return 'not applied yet';
    case 'stale':
      return r.strategy === 'Reconcile'
        ? 'applied hash stale (rotation not applied yet; the controller re-applies it on its next reconcile)'
        : `applied hash stale (${APPLY_ONCE_STALE})`;
  }
}

/** What an ApplyOnce ClusterResourceSet does with a rotation, and what to do instead (strategy is immutable). */
export const APPLY_ONCE_STALE =
  'ApplyOnce: a rotation never reaches existing clusters; push the credentials to those clusters directly, or recreate the ClusterResourceSet with strategy Reconcile';

/** The credential state of a cluster without a drift check: `cluster-stacks health` prints it, the tree shows it. */
export type CredentialState = 'current' | 'stale' | 'pending' | 'failed' | 'none';

export interface ClusterCredentialState {
  readonly state: CredentialState;
  /** One line, names and states only. */
  readonly reason: string;
  readonly rows: readonly ResourceSetRow[];
  readonly base: ClusterCredentials;
}

/**
 * Per ClusterResourceSet selecting `cluster` and per Secret it delivers: the propagation state.
 * A Secret that is not in `secrets` (absent, or not a resource-set Secret) has no hash to compare
 * and gives no row.
 */
export function resourceSetRows(
  cluster: KubeObject,
  resourceSets: readonly KubeObject[],
  bindings: readonly KubeObject[],
  secrets: readonly SecretSummary[],
): ResourceSetRow[] {
  const name = cluster.metadata?.name ?? '';
  const ns = cluster.metadata?.namespace;
  const sameNs = (o: KubeObject) => o.metadata?.namespace === ns;
  const out: ResourceSetRow[] = [];
  for (const crs of resourceSets.filter(sameNs)) {
    const resources = field(crs, 'spec', 'resources');
    for (const r of Array.isArray(resources) ? resources : []) {
      if (!r || typeof r !== 'object' || (r as { kind?: unknown }).kind !== 'Secret') continue;
      const secretName = String((r as { name?: unknown }).name ?? '');
      const resourceSecret = secrets.find((s) => sameNs(s) && s.metadata?.name === secretName && s.resourceSetHash);
      if (!resourceSecret) continue;
      for (const row of crsPropagation({
        crs,
        resourceSecret,
        clusters: [{ name, labels: cluster.metadata?.labels }],
        bindings: bindings.filter(sameNs),
      })) {
        out.push({ ...row, resourceSet: crs.metadata?.name ?? '', secret: secretName });
      }
    }
  }
  return out;
}

function driftState(row: DriftRow): CredentialNodeState {
  return row.state === 'in-sync' || row.state === 'drifted' || row.state === 'missing' ? row.state : 'unknown';
}

function rowLine(r: ResourceSetRow): string {
  return `ClusterResourceSet ${r.resourceSet}, Secret ${r.secret}: ${propagationText(r)}${r.lastAppliedTime ? `, last applied ${r.lastAppliedTime}` : ''}`;
}

/**
 * Whether the ClusterResourceSets selecting `cluster` have delivered the current content of their resource Secrets:
 * the worst row (failed, stale, pending) wins; without comparable rows, CAPI's binding state (an `applied` binding
 * whose Secret is not in `secrets` counts as current, and says so).
 */
export function clusterCredentialState(opts: {
  cluster: KubeObject;
  resourceSets: readonly KubeObject[];
  bindings: readonly KubeObject[];
  secrets: readonly SecretSummary[];
}): ClusterCredentialState {
  const base = clusterCredentials(opts.cluster, opts.resourceSets, opts.bindings);
  const rows = resourceSetRows(opts.cluster, opts.resourceSets, opts.bindings, opts.secrets);
  for (const s of ['failed', 'stale', 'pending'] as const) {
    const worst = rows.find((r) => r.state === s);
    if (worst) return { state: s, reason: rowLine(worst), rows, base };
  }
  if (rows.length) return { state: 'current', reason: rows.map(rowLine).join('; '), rows, base };
  const fromBase: Record<ClusterCredentials['state'], CredentialState> = {
    applied: 'current',
    pending: 'pending',
    failed: 'failed',
    unmatched: 'none',
    none: 'none',
  };
  const reason = base.state === 'applied' ? `${base.summary} (content hash not compared: the resource Secret is not known)` : base.summary;
  return { state: fromBase[base.state], reason, rows, base };
}

const STATE_TEXT: Record<CredentialNodeState, string> = {
  'in-sync': 'in sync',
  applied: 'applied',
  drifted: 'drifted',
  missing: 'missing',
  stale: 'stale',
  pending: 'pending',
  failed: 'failed',
  unknown: 'unknown',
  none: 'none',
  refused: 'refused by CAPO',
};

export function credentialNodeView(opts: {
  cluster: KubeObject;
  resourceSets: readonly KubeObject[];
  bindings: readonly KubeObject[];
  secrets: readonly SecretSummary[];
  /** The cluster's row of the last drift check, with when it ran. */
  drift?: DriftRow & { readonly checkedAt: string };
  /** The cluster's outcome of the last direct push from this window. */
  push?: { readonly outcome: string; readonly reason?: string };
  /** Which credentials CAPO reads for the cluster (identity.ts `clusterIdentity`). */
  identity?: ClusterIdentity;
}): CredentialNodeView {
  const cs = clusterCredentialState(opts);
  const id = opts.identity;
  // A ClusterIdentity CAPO refuses (or that cannot be resolved) outranks everything else: without it the cluster gets no
  // OpenStack credentials, whatever the workload cluster holds.
  const refusal = id && id.type !== 'Secret' ? identityRefusal(id) : undefined;
  if (id && refusal) {
    const state: CredentialNodeState = id.allowed === false ? 'refused' : 'unknown';
    return {
      state,
      label: `Cloud credentials: ${state === 'refused' ? STATE_TEXT.refused : 'identity unresolved'}`,
      description: id.problems[0] ?? refusal,
      tooltip: [
        `${state === 'refused' ? 'Refused' : 'Unresolved'}: ${refusal}`,
        `Credential source: ${identitySourceText(id)}`,
        cs.base.summary,
      ].join('\n'),
    };
  }
  const { base, rows } = cs;
  const fromState: Record<CredentialState, CredentialNodeState> = {
    current: rows.length ? 'in-sync' : 'applied',
    stale: 'stale',
    pending: 'pending',
    failed: 'failed',
    none: 'none',
  };
  const state = opts.drift ? driftState(opts.drift) : opts.push?.outcome === 'failed' && !rows.length ? 'failed' : fromState[cs.state];

  const what = opts.drift
    ? (opts.drift.description ?? STATE_TEXT[state])
    : state === 'none' && base.state === 'unmatched'
      ? 'no ClusterResourceSet'
      : STATE_TEXT[state];
  const description = [
    ...(id?.type === 'ClusterIdentity' && id.secret ? [`from ${id.secret.namespace}/${id.secret.name} (cloud ${id.cloudName})`] : []),
    // A stale row says its strategy: under ApplyOnce it stays stale (clusterresourceset_scope.go:155-157).
    ...rows.map(
      (r) =>
        `${r.resourceSet}: ${r.state}${r.state === 'stale' && r.strategy ? ` (${r.strategy})` : ''}${r.lastAppliedTime ? ` ${r.lastAppliedTime}` : ''}`,
    ),
    ...(opts.push ? [`last push: ${opts.push.outcome}`] : []),
  ].join(' · ');

  const lines: string[] = [];
  if (opts.drift) {
    lines.push(
      `Drift check ${opts.drift.checkedAt}: ${opts.drift.description ?? STATE_TEXT[state]}${opts.drift.reason ? ` (${opts.drift.reason})` : ''}`,
    );
  }
  for (const r of rows) lines.push(rowLine(r));
  if (opts.push) lines.push(`Last direct push: ${opts.push.outcome}${opts.push.reason ? ` (${opts.push.reason})` : ''}`);
  if (id) lines.push(`Credential source: ${identitySourceText(id)}`);
  lines.push(base.summary);
  lines.push(
    opts.drift
      ? 'Values are compared by SHA-256 and never shown.'
      : 'Run "Check Credential Drift" to compare with the workload cluster (values are never shown).',
  );
  return { state, label: `Cloud credentials: ${what}`, ...(description ? { description } : {}), tooltip: lines.join('\n') };
}

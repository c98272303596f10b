/**
 * What the explorer's "Cloud credentials" node of a workload cluster says: the result of the last
 * drift check (in sync / drifted / missing, read from the workload cluster on demand), else how far
 * the ClusterResourceSets selecting the cluster have propagated the current resource-set content
 * (binding hash current / stale, lastAppliedTime), else the CAPI binding state. Built from names,
 * states and hashes only, so every string here is safe to show.
 *
 * Pure: no `vscode`, no network.
 */
import { clusterCredentials } from '../capi/credentials';
import type { SecretSummary } from '../capi/tenants';
import { field, type KubeObject } from '../capi/types';
import { crsPropagation, type ClusterPropagation, type DriftState } from './propagation';

/** `applied`: CAPI's binding says applied, but the resource Secret's hash could not be compared. */
export type CredentialNodeState = DriftState | 'applied' | 'stale' | 'pending' | 'failed' | 'unknown' | 'none';

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

const PROPAGATION_TEXT: Record<ClusterPropagation['state'], string> = {
  current: 'applied hash current',
  stale: 'applied hash stale (rotation not applied yet)',
  failed: 'apply failed',
  pending: 'not applied yet',
};

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

function propagationState(rows: readonly ResourceSetRow[]): CredentialNodeState | undefined {
  if (rows.length === 0) return undefined;
  for (const s of ['failed', 'stale', 'pending'] as const) if (rows.some((r) => r.state === s)) return s;
  return 'in-sync';
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
}): CredentialNodeView {
  const base = clusterCredentials(opts.cluster, opts.resourceSets, opts.bindings);
  const rows = resourceSetRows(opts.cluster, opts.resourceSets, opts.bindings, opts.secrets);
  const fromBase: Record<typeof base.state, CredentialNodeState> = {
    applied: 'applied',
    pending: 'pending',
    failed: 'failed',
    unmatched: 'none',
    none: 'none',
  };
  const state = opts.drift
    ? driftState(opts.drift)
    : (propagationState(rows) ?? (opts.push?.outcome === 'failed' ? 'failed' : fromBase[base.state]));

  const what = opts.drift
    ? (opts.drift.description ?? STATE_TEXT[state])
    : state === 'none' && base.state === 'unmatched'
      ? 'no ClusterResourceSet'
      : STATE_TEXT[state];
  const description = [
    ...rows.map((r) => `${r.resourceSet}: ${r.state}${r.lastAppliedTime ? ` ${r.lastAppliedTime}` : ''}`),
    ...(opts.push ? [`last push: ${opts.push.outcome}`] : []),
  ].join(' · ');

  const lines: string[] = [];
  if (opts.drift) {
    lines.push(
      `Drift check ${opts.drift.checkedAt}: ${opts.drift.description ?? STATE_TEXT[state]}${opts.drift.reason ? ` (${opts.drift.reason})` : ''}`,
    );
  }
  for (const r of rows) {
    lines.push(
      `ClusterResourceSet ${r.resourceSet}, Secret ${r.secret}: ${PROPAGATION_TEXT[r.state]}${r.lastAppliedTime ? `, last applied ${r.lastAppliedTime}` : ''}`,
    );
  }
  if (opts.push) lines.push(`Last direct push: ${opts.push.outcome}${opts.push.reason ? ` (${opts.push.reason})` : ''}`);
  lines.push(base.summary);
  lines.push(
    opts.drift
      ? 'Values are compared by SHA-256 and never shown.'
      : 'Run "Check Credential Drift" to compare with the workload cluster (values are never shown).',
  );
  return { state, label: `Cloud credentials: ${what}`, ...(description ? { description } : {}), tooltip: lines.join('\n') };
}

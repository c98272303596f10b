/**
 * Comparing credential objects without showing them: masked diffs (paths and key names only),
 * drift of a workload Secret against what the tenant's credentials convert to, and how far a
 * rotation has propagated through ClusterResourceSetBindings. Values are compared by SHA-256 and
 * never returned, so every result here is safe to log, notify or show in the tree.
 *
 * Pure: no `vscode`, no network.
 */
import { createHash } from 'node:crypto';
import { bindingFor, resourceSetStrategy, type ResourceSetStrategy } from '../capi/credentials';
import { selectorMatches, type KubeObject, type LabelSelector } from '../capi/types';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The hash Cluster API's ClusterResourceSet controller records in a binding for a Secret resource:
 * the base64-decoded data values in the sorted order of their keys, concatenated, SHA-256, `sha256:<hex>`
 * (kubernetes-sigs/cluster-api@ae7ff047 core/reconcilers/clusterresourceset/clusterresourceset_helpers.go:166-175
 * computeHash, :181-215 normalizeData: keys sorted at :193, Secret values decoded at :208). Go's
 * `sort.Strings` orders by bytes, as JavaScript's sort does for the ASCII keys a Secret allows. The
 * rotation compares it with the bindings to know when the new credential reached every cluster
 * (core/capi/resourceSetDelivery.ts).
 */
export function resourceSetHash(data: Readonly<Record<string, string>> | undefined): string {
  const h = createHash('sha256');
  for (const key of Object.keys(data ?? {}).sort()) h.update(Buffer.from((data ?? {})[key], 'base64'));
  return `sha256:${h.digest('hex')}`;
}

function dataOf(obj: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const data = isObj(obj) && isObj(obj.data) ? obj.data : {};
  for (const [k, v] of Object.entries(data)) if (typeof v === 'string') out[k] = v;
  // stringData is write-only on a real API server, but a manifest may still carry it.
  const sd = isObj(obj) && isObj(obj.stringData) ? obj.stringData : {};
  for (const [k, v] of Object.entries(sd)) if (typeof v === 'string') out[k] = Buffer.from(v, 'utf8').toString('base64');
  return out;
}

const valueHash = (b64: string) => sha256(Buffer.from(b64, 'base64'));

export interface KeyDiff {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  readonly unchanged: readonly string[];
}

/** Which data keys differ between two Secrets, by decoded-value hash. Names only. */
export function secretKeyDiff(before: unknown, after: unknown): KeyDiff {
  const a = dataOf(before);
  const b = dataOf(after);
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const added: string[] = [];
  const changed: string[] = [];
  const removed: string[] = [];
  const unchanged: string[] = [];
  for (const k of keys) {
    if (!(k in a)) added.push(k);
    else if (!(k in b)) removed.push(k);
    else if (valueHash(a[k]) !== valueHash(b[k])) changed.push(k);
    else unchanged.push(k);
  }
  return { added, changed, removed, unchanged };
}

export type ChangeKind = 'added' | 'changed' | 'removed';
export interface PathChange {
  /** e.g. `data.cloud.conf`, `metadata.labels.managed-secret`, `spec.clusterSelector`. */
  readonly path: string;
  readonly change: ChangeKind;
}

const COMPARED_META = ['labels', 'annotations'] as const;
const IGNORED_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

/**
 * Leaf paths of `v` → JSON of the leaf (arrays are leaves). Iterative over objects; what reaches a
 * leaf's JSON.stringify came from a manifest (nesting bounded by the YAML reader) or from the server.
 */
function flatten(v: unknown, prefix: string, out: Map<string, string>): void {
  const pending: [string, unknown][] = [[prefix, v]];
  while (pending.length) {
    const [p, x] = pending.pop() as [string, unknown];
    if (isObj(x) && Object.keys(x).length) {
      const entries = Object.entries(x);
      for (let i = entries.length - 1; i >= 0; i--) pending.push([`${p}.${entries[i][0]}`, entries[i][1]]);
    } else {
      out.set(p, JSON.stringify(x));
    }
  }
}

/**
 * What a write changes, path by path, without any value: the live object against the server's
 * dry-run result. Compares `type`, `data` (by hash), labels, annotations and `spec`; server-owned
 * metadata (resourceVersion, managedFields, …) is ignored. `live` undefined = the object is new.
 */
export function maskedDiff(live: unknown, result: unknown): PathChange[] {
  const flat = (obj: unknown): Map<string, string> => {
    const m = new Map<string, string>();
    if (!isObj(obj)) return m;
    if (obj.type !== undefined) m.set('type', JSON.stringify(obj.type));
    for (const [k, v] of Object.entries(dataOf(obj))) m.set(`data.${k}`, valueHash(v));
    const meta = isObj(obj.metadata) ? obj.metadata : {};
    for (const f of COMPARED_META) {
      const entries = isObj(meta[f]) ? meta[f] : {};
      for (const [k, v] of Object.entries(entries)) if (!IGNORED_ANNOTATIONS.has(k)) m.set(`metadata.${f}.${k}`, JSON.stringify(v));
    }
    if (obj.spec !== undefined) flatten(obj.spec, 'spec', m);
    return m;
  };
  const a = flat(live);
  const b = flat(result);
  const out: PathChange[] = [];
  for (const p of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    if (!a.has(p)) out.push({ path: p, change: 'added' });
    else if (!b.has(p)) out.push({ path: p, change: 'removed' });
    else if (a.get(p) !== b.get(p)) out.push({ path: p, change: 'changed' });
  }
  return out;
}

/** One line per change, e.g. `~ data.cloud.conf (value changed)`; never a value. */
export function formatDiff(changes: readonly PathChange[]): string[] {
  const sign: Record<ChangeKind, string> = { added: '+', changed: '~', removed: '-' };
  return changes.map((c) => `${sign[c.change]} ${c.path}${c.path.startsWith('data.') ? ` (value ${c.change})` : ''}`);
}

// ---------------------------------------------------------------------------------------------
// Drift

export type DriftState = 'in-sync' | 'drifted' | 'missing';
export interface Drift {
  readonly state: DriftState;
  /** Keys whose value differs from what the tenant's credentials convert to. */
  readonly changed: readonly string[];
  /** Expected keys the live Secret lacks. */
  readonly missingKeys: readonly string[];
  /** Keys the live Secret has that the conversion does not produce. */
  readonly extraKeys: readonly string[];
}

/** Drift of a workload Secret (`live`, undefined when absent) against the expected manifest. */
export function drift(expected: unknown, live: unknown): Drift {
  if (live === undefined || live === null)
    return { state: 'missing', changed: [], missingKeys: Object.keys(dataOf(expected)).sort(), extraKeys: [] };
  const d = secretKeyDiff(expected, live);
  const state: DriftState = d.added.length || d.changed.length || d.removed.length ? 'drifted' : 'in-sync';
  return { state, changed: d.changed, missingKeys: d.removed, extraKeys: d.added };
}

/** A short label for the tree (`in sync`, `drifted: cloud.conf changed`, `missing`). */
export function describeDrift(d: Drift): string {
  if (d.state === 'missing') return 'missing';
  if (d.state === 'in-sync') return 'in sync';
  const parts = [
    d.changed.length ? `${d.changed.join(', ')} changed` : '',
    d.missingKeys.length ? `${d.missingKeys.join(', ')} missing` : '',
    d.extraKeys.length ? `${d.extraKeys.join(', ')} extra` : '',
  ].filter(Boolean);
  return `drifted: ${parts.join('; ')}`;
}

// ---------------------------------------------------------------------------------------------
// ClusterResourceSet propagation

export type PropagationState = 'current' | 'stale' | 'failed' | 'pending';
export interface ClusterPropagation {
  readonly cluster: string;
  readonly state: PropagationState;
  readonly lastAppliedTime?: string;
  /** The CRS's strategy (missing = ApplyOnce): under ApplyOnce `stale` is final, the controller never re-applies. */
  readonly strategy: ResourceSetStrategy | string;
}

interface BindingResource {
  name?: unknown;
  kind?: unknown;
  hash?: unknown;
  applied?: unknown;
  lastAppliedTime?: unknown;
}

function bindingResources(binding: unknown, crsName: string): BindingResource[] {
  const spec = isObj(binding) && isObj(binding.spec) ? binding.spec : {};
  const bindings = Array.isArray(spec.bindings) ? spec.bindings : [];
  const b = bindings.find((x): x is Json => isObj(x) && x.clusterResourceSetName === crsName);
  return b && Array.isArray(b.resources) ? b.resources.filter(isObj) : [];
}

/**
 * Per selected Cluster: has the current content of the resource-set Secret been applied?
 * `current` = binding hash equals the Secret's hash; `stale` = an older content was applied;
 * `failed` = the controller recorded `applied: false`; `pending` = no binding entry yet.
 * Under Reconcile a stale binding is re-applied (needsApply: hash differs); under ApplyOnce never — the resource is
 * applied once, and even then only created, never updated (kubernetes-sigs/cluster-api@ae7ff047
 * core/reconcilers/clusterresourceset/clusterresourceset_scope.go:110-114, :155-157, :163-171).
 */
export function crsPropagation(opts: {
  crs: unknown;
  resourceSecret: unknown;
  clusters: readonly { name: string; labels?: Readonly<Record<string, string>> }[];
  bindings: readonly KubeObject[];
}): ClusterPropagation[] {
  const crs = isObj(opts.crs) ? opts.crs : {};
  const crsName = isObj(crs.metadata) && typeof crs.metadata.name === 'string' ? crs.metadata.name : '';
  const spec = isObj(crs.spec) ? crs.spec : {};
  const selector = isObj(spec.clusterSelector) ? (spec.clusterSelector as LabelSelector) : undefined;
  const secretName = isObj(opts.resourceSecret) && isObj(opts.resourceSecret.metadata) ? opts.resourceSecret.metadata.name : undefined;
  // A Secret summary from the explorer's cache carries only the hash; a full Secret is hashed here.
  const summaryHash = isObj(opts.resourceSecret) ? opts.resourceSecret.resourceSetHash : undefined;
  const want = typeof summaryHash === 'string' ? summaryHash : resourceSetHash(dataOf(opts.resourceSecret));
  const strategy = resourceSetStrategy(crs);
  return opts.clusters
    .filter((c) => selectorMatches(selector, c.labels))
    .map((c) => {
      const r = bindingResources(bindingFor(c.name, opts.bindings), crsName).find((x) => x.kind === 'Secret' && x.name === secretName);
      if (!r) return { cluster: c.name, state: 'pending' as const, strategy };
      const lastAppliedTime = typeof r.lastAppliedTime === 'string' ? r.lastAppliedTime : undefined;
      const state: PropagationState = r.applied === false ? 'failed' : r.hash === want ? 'current' : 'stale';
      return { cluster: c.name, state, strategy, ...(lastAppliedTime ? { lastAppliedTime } : {}) };
    });
}

/**
 * The cluster side of the write path (docs/architecture.md "The write path"): a list of operations is
 *  1. planned: every target object is read and every operation is run as a server-side dry run
 *     (`dryRun=All`), nothing is written yet;
 *  2. described as a masked diff (paths and key names only) between the live object and the dry-run
 *     result;
 *  3. committed: only then, in order, only the operations that change something.
 * Operations: server-side apply (the default; field manager `cluster-stacks-vscode`; a conflict with
 * another manager is an ApplyConflictError naming it, never forced unless the caller says `force`),
 * JSON merge patch of a live object (fields server-side apply may not touch, e.g. immutable ones
 * rebuilt from the live object), JSON patch (RFC 6902: the workload-cluster actions of src/core/ops, whose
 * first operation tests the resourceVersion read, so a Cluster changed since is refused, not overwritten),
 * delete, and restart of a workload (the pod-template annotation `kubectl rollout restart` sets). No error message ever contains a value of the objects in flight.
 */
import { maskedDiff, type PathChange } from '../core/manifests/propagation';
import type { JsonPatchOp } from '../core/ops/jsonPatch';
import { parseJson, type KubeClient } from './client';
import { describeRef, type ObjectRef } from './discovery';
import {
  ApplyConflictError,
  errorForStatus,
  KubeError,
  parseConflicts,
  parseStatus,
  reasonOf,
  secretWords,
  type FieldConflict,
} from './errors';
import { getObject } from './objects';

export const FIELD_MANAGER = 'cluster-stacks-vscode';
/**
 * The pod-template annotation `kubectl rollout restart` sets, with an RFC 3339 time in seconds
 * (kubernetes/kubectl@dee3483a3 pkg/polymorphichelpers/objectrestarter.go:41).
 */
export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/** `time.Now().Format(time.RFC3339)` of Go: seconds, `Z` for UTC. */
const rfc3339 = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface KubeManifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Readonly<Record<string, string>> };
  readonly [k: string]: unknown;
}

export type NamedRef = ObjectRef & { readonly name: string };

export type Operation =
  | { readonly op: 'apply'; readonly manifest: KubeManifest }
  | { readonly op: 'mergePatch'; readonly target: NamedRef; readonly patch: Readonly<Record<string, unknown>> }
  | { readonly op: 'jsonPatch'; readonly target: NamedRef; readonly patch: readonly JsonPatchOp[] }
  | { readonly op: 'delete'; readonly target: NamedRef }
  | { readonly op: 'restart'; readonly target: NamedRef; readonly at?: string };

/** What a write plan takes: operations, or manifests (server-side apply). */
export type WriteItem = KubeManifest | Operation;

export const operations = {
  apply: (manifest: KubeManifest): Operation => ({ op: 'apply', manifest }),
  mergePatch: (target: NamedRef, patch: Readonly<Record<string, unknown>>): Operation => ({ op: 'mergePatch', target, patch }),
  jsonPatch: (target: NamedRef, patch: readonly JsonPatchOp[]): Operation => ({ op: 'jsonPatch', target, patch }),
  delete: (target: NamedRef): Operation => ({ op: 'delete', target }),
  /** `at`: the restartedAt time; give one to dry-run and write with the same (default: when planned). */
  restart: (target: NamedRef, at?: string): Operation => ({ op: 'restart', target, ...(at ? { at } : {}) }),
};

export function toOperation(item: WriteItem): Operation {
  return 'op' in item && typeof item.op === 'string' ? (item as Operation) : { op: 'apply', manifest: item as KubeManifest };
}

/** The object an operation acts on. */
export function targetOf(o: Operation): NamedRef {
  if (o.op !== 'apply') return o.target;
  const m = o.manifest;
  return { apiVersion: m.apiVersion, kind: m.kind, namespace: m.metadata.namespace, name: m.metadata.name };
}

// ---------------------------------------------------------------------------------------------
// One request per operation

interface Call {
  readonly dryRun: boolean;
  readonly force: boolean;
  readonly signal?: AbortSignal;
}

const VERBS: Readonly<Record<Operation['op'], [string, string]>> = {
  apply: ['dry-run of', 'applying'],
  mergePatch: ['dry-run patch of', 'patching'],
  jsonPatch: ['dry-run patch of', 'patching'],
  delete: ['dry-run delete of', 'deleting'],
  restart: ['dry-run restart of', 'restarting'],
};

/** The restart patch: the pod template annotation, so the controller rolls the pods. */
function restartPatch(at: string): Record<string, unknown> {
  return { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: at } } } } };
}

/** Runs one operation (for real or as a dry run); resolves with the resulting object (undefined after a delete). */
async function send(client: KubeClient, o: Operation, c: Call): Promise<Record<string, unknown> | undefined> {
  const target = targetOf(o);
  const ref = describeRef(target);
  const q = new URLSearchParams();
  if (o.op !== 'delete') q.set('fieldManager', FIELD_MANAGER);
  if (o.op === 'apply' && c.force) q.set('force', 'true');
  if (c.dryRun) q.set('dryRun', 'All');
  const query = q.toString();
  const path = `${await client.discovery.path(target, c.signal)}${query ? `?${query}` : ''}`;
  const res =
    o.op === 'apply'
      ? await client.request('PATCH', path, { body: o.manifest, contentType: 'application/apply-patch+yaml', signal: c.signal })
      : o.op === 'delete'
        ? await client.request('DELETE', path, { signal: c.signal })
        : o.op === 'jsonPatch'
          ? await client.request('PATCH', path, { body: o.patch, contentType: 'application/json-patch+json', signal: c.signal })
          : await client.request('PATCH', path, {
              body: o.op === 'restart' ? restartPatch(o.at ?? rfc3339(new Date())) : o.patch,
              contentType: 'application/merge-patch+json',
              signal: c.signal,
            });
  if (res.status === 409 && o.op === 'apply' && !res.uncertain) {
    const conflicts = parseConflicts(parseStatus(res.body));
    if (conflicts.length) throw new ApplyConflictError(ref, conflicts);
  }
  const words = secretWords([o.op === 'apply' ? o.manifest : o.op === 'mergePatch' ? o.patch : {}]);
  if (res.status === 404 && o.op === 'delete') return undefined; // gone already: what delete wants
  if (res.status < 200 || res.status >= 300)
    throw errorForStatus(res.status, res.body, ref, { action: `${VERBS[o.op][c.dryRun ? 0 : 1]} ${ref}`, words, uncertain: res.uncertain });
  if (o.op === 'delete') return undefined;
  return parseJson(res.body, ref);
}

// ---------------------------------------------------------------------------------------------
// Plan (dry run) and commit

/** create/update/unchanged for apply and patches; delete/absent for deletes; restart for restarts. */
export type ObjectAction = 'create' | 'update' | 'unchanged' | 'delete' | 'absent' | 'restart';

export interface PlannedObject {
  readonly ref: string;
  readonly action: ObjectAction;
  /** Masked: paths only. */
  readonly changes: readonly PathChange[];
  /** True when the server could not dry-run it because its namespace is created in the same apply. */
  readonly dryRunSkipped?: boolean;
  readonly operation: Operation;
}

export interface ApplyOptions {
  readonly force?: boolean;
  readonly signal?: AbortSignal;
}

/** Does the plan change anything? */
export const changes = (p: PlannedObject): boolean => p.action !== 'unchanged' && p.action !== 'absent';

/**
 * Reads every target and dry-runs every operation. Throws ApplyConflictError on the first conflict
 * (unless `force`) and KubeError on any other failure; writes nothing.
 */
export async function planApply(client: KubeClient, items: readonly WriteItem[], opts: ApplyOptions = {}): Promise<PlannedObject[]> {
  const plans: PlannedObject[] = [];
  const newNamespaces = new Set<string>();
  const call: Call = { dryRun: true, force: !!opts.force, signal: opts.signal };
  for (const item of items) {
    let o = toOperation(item);
    const t = targetOf(o);
    const ref = describeRef(t);
    if (o.op === 'apply' && t.namespace && newNamespaces.has(t.namespace)) {
      plans.push({ ref, action: 'create', changes: maskedDiff(undefined, o.manifest), dryRunSkipped: true, operation: o });
      continue;
    }
    const live = await getObject(client, t.apiVersion, t.kind, t.namespace, t.name, opts.signal);
    if (o.op !== 'apply' && !live) {
      if (o.op === 'delete') {
        plans.push({ ref, action: 'absent', changes: [], operation: o });
        continue;
      }
      throw new KubeError('notFound', `${ref} does not exist`, 404);
    }
    // A restart is planned and committed with the same timestamp.
    if (o.op === 'restart') o = { ...o, at: o.at ?? rfc3339(new Date()) };
    const result = await send(client, o, call);
    const diff = maskedDiff(live, result);
    const action: ObjectAction =
      o.op === 'delete' ? 'delete' : o.op === 'restart' ? 'restart' : !live ? 'create' : diff.length ? 'update' : 'unchanged';
    if (o.op === 'apply' && t.kind === 'Namespace' && !live) newNamespaces.add(t.name);
    plans.push({ ref, action, changes: diff, operation: o });
  }
  return plans;
}

export type ApplyOutcome = 'created' | 'updated' | 'deleted' | 'restarted' | 'unchanged' | 'conflict' | 'failed' | 'cancelled';

export interface ApplyReport {
  readonly outcome: ApplyOutcome;
  readonly objects: readonly PlannedObject[];
  readonly conflicts?: readonly FieldConflict[];
  /** Safe to show: no values. */
  readonly reason?: string;
  /** Objects written before a failure (only when a write after a successful dry run failed). */
  readonly written?: readonly string[];
  /**
   * The object whose write failed after an attempt got no answer: it may or may not have been written
   * (read it back to know).
   */
  readonly unknown?: readonly string[];
}

const OUTCOME_BY_ACTION: readonly [ObjectAction, ApplyOutcome][] = [
  ['create', 'created'],
  ['update', 'updated'],
  ['delete', 'deleted'],
  ['restart', 'restarted'],
];

export function outcomeOf(plans: readonly PlannedObject[]): ApplyOutcome {
  for (const [action, outcome] of OUTCOME_BY_ACTION) if (plans.some((p) => p.action === action)) return outcome;
  return 'unchanged';
}

/** Writes the planned operations that change something (in order). */
export async function commitPlan(client: KubeClient, plans: readonly PlannedObject[], opts: ApplyOptions = {}): Promise<ApplyReport> {
  const written: string[] = [];
  let current: string | undefined;
  try {
    for (const p of plans) {
      if (!changes(p)) continue;
      current = p.ref;
      await send(client, p.operation, { dryRun: false, force: !!opts.force, signal: opts.signal });
      written.push(p.ref);
    }
  } catch (e) {
    const unknown = e instanceof KubeError && e.uncertain && current !== undefined ? { unknown: [current] } : {};
    return { ...reportForError(e, plans), written, ...unknown };
  }
  return { outcome: outcomeOf(plans), objects: plans };
}

export function reportForError(e: unknown, objects: readonly PlannedObject[] = []): ApplyReport {
  if (e instanceof ApplyConflictError) return { outcome: 'conflict', objects, conflicts: e.conflicts, reason: e.message };
  if (e instanceof KubeError && e.kind === 'aborted') return { outcome: 'cancelled', objects, reason: 'cancelled' };
  return { outcome: 'failed', objects, reason: reasonOf(e) };
}

/** Dry-run everything, then write what changes; any failure before the first write writes nothing. */
export async function applyObjects(
  client: KubeClient,
  items: readonly WriteItem[],
  opts: ApplyOptions & { dryRunOnly?: boolean } = {},
): Promise<ApplyReport> {
  let plans: PlannedObject[];
  try {
    plans = await planApply(client, items, opts);
  } catch (e) {
    return reportForError(e);
  }
  if (opts.dryRunOnly) return { outcome: outcomeOf(plans), objects: plans };
  return commitPlan(client, plans, opts);
}

// managedFields at field granularity: maps are tracked per key, lists and scalars as atomic leaves
// (the emulator has no schemas, so associative lists are not split per item). Server-side apply
// conflicts are reported with kube-apiserver's message format.
import { isPlainObject } from './patch';
import { errors, StatusCause } from './status';
import { KubeObject } from './store';

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: KubeObject;
  subresource?: string;
}

type Path = string[];

const IGNORED_METADATA = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
  'generateName',
]);

/** Leaf paths of an object (what a manager would own), ignoring server-owned and identity fields. */
export function leafPaths(obj: KubeObject, skipStatus: boolean): Path[] {
  const out: Path[] = [];
  const walk = (v: unknown, path: Path): void => {
    if (isPlainObject(v) && Object.keys(v).length > 0) {
      for (const [k, child] of Object.entries(v)) {
        if (path.length === 0 && (k === 'apiVersion' || k === 'kind' || (skipStatus && k === 'status'))) continue;
        if (path.length === 1 && path[0] === 'metadata' && IGNORED_METADATA.has(k)) continue;
        walk(child, [...path, k]);
      }
    } else if (path.length > 0 && v !== undefined && v !== null) out.push(path);
  };
  walk(obj, []);
  return out;
}

const STRUCTS = new Set(['metadata', 'spec', 'status']);

export function toFieldsV1(paths: Path[]): KubeObject {
  const root: KubeObject = {};
  for (const p of paths) {
    let node = root;
    p.forEach((seg, i) => {
      const key = `f:${seg}`;
      node[key] ??= {};
      node = node[key];
      if (i < p.length - 1 && !(i === 0 && STRUCTS.has(seg))) node['.'] ??= {};
    });
  }
  return root;
}

export function fromFieldsV1(f: KubeObject): Path[] {
  const out: Path[] = [];
  const walk = (node: KubeObject, path: Path): void => {
    const children = Object.keys(node).filter((k) => k !== '.');
    if (children.length === 0) {
      if (path.length) out.push(path);
      return;
    }
    for (const k of children) walk(node[k], [...path, k.replace(/^[fkvi]:/, '')]);
  };
  walk(f, []);
  return out;
}

export function getPath(obj: unknown, p: Path): unknown {
  let cur = obj;
  for (const seg of p) cur = isPlainObject(cur) ? cur[seg] : undefined;
  return cur;
}

export function pathString(p: Path): string {
  return p.map((s) => `.${s}`).join('');
}

const keyOf = (p: Path) => JSON.stringify(p);

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function printManager(e: ManagedFieldsEntry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion}`;
  return s;
}

function entryIdentity(e: ManagedFieldsEntry): string {
  return `${e.manager}\u0000${e.operation}\u0000${e.subresource ?? ''}\u0000${e.operation === 'Update' ? e.apiVersion : ''}`;
}

function withPaths(e: ManagedFieldsEntry, paths: Path[]): ManagedFieldsEntry {
  return { ...e, fieldsV1: toFieldsV1(paths) };
}

/** Ownership after a non-apply write: the writer takes every changed field; removed fields are dropped. */
export function updateManagedFields(
  entries: ManagedFieldsEntry[],
  oldObj: KubeObject | undefined,
  newObj: KubeObject,
  manager: string,
  apiVersion: string,
  skipStatus: boolean,
  now: string,
  subresource?: string,
): ManagedFieldsEntry[] {
  const newLeaves = leafPaths(newObj, skipStatus);
  const newKeys = new Set(newLeaves.map(keyOf));
  const changed = oldObj ? newLeaves.filter((p) => !sameValue(getPath(oldObj, p), getPath(newObj, p))) : newLeaves;
  const changedKeys = new Set(changed.map(keyOf));
  const me: ManagedFieldsEntry = { manager, operation: 'Update', apiVersion, time: now, fieldsType: 'FieldsV1', fieldsV1: {} };
  if (subresource) me.subresource = subresource;
  const out: ManagedFieldsEntry[] = [];
  let mine: Path[] = [];
  for (const e of entries) {
    const kept = fromFieldsV1(e.fieldsV1).filter((p) => newKeys.has(keyOf(p)) && !changedKeys.has(keyOf(p)));
    if (entryIdentity(e) === entryIdentity(me)) mine = kept;
    else if (kept.length) out.push(withPaths(e, kept));
  }
  const all = [...mine, ...changed];
  if (all.length) out.push(withPaths(me, all));
  return out;
}

export interface ApplyResult {
  object: KubeObject;
  managedFields: ManagedFieldsEntry[];
}

/** Server-side apply of `applied` by `manager` onto `live` (undefined when creating). */
export function serverSideApply(
  live: KubeObject | undefined,
  applied: KubeObject,
  manager: string,
  apiVersion: string,
  force: boolean,
  skipStatus: boolean,
  now: string,
): ApplyResult {
  const entries: ManagedFieldsEntry[] = live?.metadata?.managedFields ?? [];
  const me: ManagedFieldsEntry = { manager, operation: 'Apply', apiVersion, time: now, fieldsType: 'FieldsV1', fieldsV1: {} };
  const applyLeaves = leafPaths(applied, skipStatus);
  const applyKeys = new Set(applyLeaves.map(keyOf));
  const conflicts: { entry: ManagedFieldsEntry; path: Path }[] = [];
  let previous: Path[] = [];
  const others: { entry: ManagedFieldsEntry; paths: Path[] }[] = [];
  for (const e of entries) {
    const paths = fromFieldsV1(e.fieldsV1);
    if (entryIdentity(e) === entryIdentity(me)) {
      previous = paths;
      continue;
    }
    for (const p of paths) {
      if (applyKeys.has(keyOf(p)) && !sameValue(getPath(live, p), getPath(applied, p))) conflicts.push({ entry: e, path: p });
    }
    others.push({ entry: e, paths });
  }
  if (conflicts.length && !force) throw conflictError(conflicts);
  const forced = new Set(conflicts.map((c) => keyOf(c.path)));
  const remaining = others
    .map(({ entry, paths }) => ({ entry, paths: paths.filter((p) => !forced.has(keyOf(p))) }))
    .filter((o) => o.paths.length);
  const ownedByOthers = new Set(remaining.flatMap((o) => o.paths.map(keyOf)));

  let result: KubeObject = live ? structuredClone(live) : {};
  for (const p of previous) {
    if (!applyKeys.has(keyOf(p)) && !ownedByOthers.has(keyOf(p))) result = removePath(result, p);
  }
  result = deepMerge(result, applied) as KubeObject;
  const managedFields = [...remaining.map((o) => withPaths(o.entry, o.paths)), withPaths(me, applyLeaves)];
  return { object: result, managedFields };
}

function conflictError(conflicts: { entry: ManagedFieldsEntry; path: Path }[]) {
  const causes: StatusCause[] = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(c.entry)}`,
    field: pathString(c.path),
  }));
  if (conflicts.length === 1) {
    const c = conflicts[0];
    return errors.applyConflict(`Apply failed with 1 conflict: conflict with ${printManager(c.entry)}: ${pathString(c.path)}`, causes);
  }
  const byManager = new Map<string, Path[]>();
  for (const c of conflicts) {
    const m = printManager(c.entry);
    byManager.set(m, [...(byManager.get(m) ?? []), c.path]);
  }
  const lines: string[] = [];
  for (const m of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${m}:`);
    for (const p of byManager.get(m) ?? []) lines.push(`- ${pathString(p)}`);
  }
  return errors.applyConflict(`Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`, causes);
}

function removePath(obj: KubeObject, p: Path): KubeObject {
  if (p.length === 0 || !isPlainObject(obj)) return obj;
  const [head, ...rest] = p;
  if (!(head in obj)) return obj;
  const out = { ...obj };
  if (rest.length === 0) delete out[head];
  else {
    const child = removePath(out[head], rest);
    if (isPlainObject(child) && Object.keys(child).length === 0) delete out[head];
    else out[head] = child;
  }
  return out;
}

function deepMerge(target: unknown, src: unknown): unknown {
  if (!isPlainObject(src) || !isPlainObject(target)) return structuredClone(src);
  const out: KubeObject = { ...target };
  for (const [k, v] of Object.entries(src)) {
    if (v === null || v === undefined) continue;
    out[k] = deepMerge(out[k], v);
  }
  return out;
}

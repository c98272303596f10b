/**
 * RFC 6902 JSON Patch: the operations the cluster actions produce (`test`, `add`, `replace`, `remove`),
 * their JSON Pointer paths (RFC 6901), and a local apply so that every action can show and check the
 * object it will leave behind before anything is sent. `test` guards make the server refuse the patch
 * when the object changed since it was read.
 */

export type JsonPatchOp =
  | { readonly op: 'test'; readonly path: string; readonly value: unknown }
  | { readonly op: 'add'; readonly path: string; readonly value: unknown }
  | { readonly op: 'replace'; readonly path: string; readonly value: unknown }
  | { readonly op: 'remove'; readonly path: string };

export type PathSegment = string | number;

/** `['spec', 'topology', 'workers', 'machineDeployments', 0]` → `/spec/topology/workers/machineDeployments/0`. */
export function pointer(path: readonly PathSegment[]): string {
  return path.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

function segments(p: string): string[] {
  if (p === '') return [];
  if (!p.startsWith('/')) throw new Error(`JSON pointer "${p}" must start with "/"`);
  return p
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Deep equality of JSON values (object key order does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

function index(arr: unknown[], seg: string, forAdd: boolean, p: string): number {
  if (forAdd && seg === '-') return arr.length;
  if (!/^(0|[1-9]\d*)$/.test(seg)) throw new Error(`${p}: "${seg}" is not an array index`);
  const i = Number(seg);
  if (i > arr.length || (!forAdd && i === arr.length)) throw new Error(`${p}: index ${i} is out of range`);
  return i;
}

/** Applies the operations to a copy of `doc`; throws a one-line error at the first operation that cannot apply. */
export function applyJsonPatch<T>(doc: T, ops: readonly JsonPatchOp[]): T {
  let root: unknown = clone(doc);
  for (const op of ops) {
    const segs = segments(op.path);
    if (segs.length === 0) {
      if (op.op === 'test') {
        if (!jsonEqual(root, op.value)) throw new Error(`test failed at the document root`);
        continue;
      }
      if (op.op === 'remove') throw new Error('cannot remove the document root');
      root = clone(op.value);
      continue;
    }
    let parent: unknown = root;
    for (const seg of segs.slice(0, -1)) {
      if (Array.isArray(parent)) parent = parent[index(parent, seg, false, op.path)];
      else if (isObject(parent) && Object.prototype.hasOwnProperty.call(parent, seg)) parent = parent[seg];
      else throw new Error(`${op.path}: "${seg}" does not exist`);
    }
    const last = segs[segs.length - 1];
    if (Array.isArray(parent)) {
      const i = index(parent, last, op.op === 'add', op.path);
      if (op.op === 'test') {
        if (!jsonEqual(parent[i], op.value)) throw new Error(`test failed at ${op.path}`);
      } else if (op.op === 'add') parent.splice(i, 0, clone(op.value));
      else if (op.op === 'replace') parent[i] = clone(op.value);
      else parent.splice(i, 1);
    } else if (isObject(parent)) {
      const has = Object.prototype.hasOwnProperty.call(parent, last);
      if (op.op !== 'add' && !has) throw new Error(`${op.path} does not exist`);
      if (op.op === 'test') {
        if (!jsonEqual(parent[last], op.value)) throw new Error(`test failed at ${op.path}`);
      } else if (op.op === 'remove') delete parent[last];
      else parent[last] = clone(op.value);
    } else throw new Error(`${op.path}: the parent is not an object or array`);
  }
  return root as T;
}

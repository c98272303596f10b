// JSON merge patch (RFC 7386), the subset of strategic merge patch kubectl sends for the emulator's core
// types (maps merge, lists replace, `$patch`/`$retainKeys`/`$setElementOrder`/`$deleteFromPrimitiveList`
// directives, `metadata.finalizers` merged as a set), and JSON patch (RFC 6902).
import { errors } from './status';
import { KubeObject } from './store';

export function isPlainObject(v: unknown): v is KubeObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const out: KubeObject = isPlainObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export function strategicMergePatch(target: unknown, patch: unknown, path: string[] = []): unknown {
  if (!isPlainObject(patch)) return patch;
  if (patch.$patch === 'replace') {
    const { $patch: _p, ...rest } = patch;
    return rest;
  }
  if (patch.$patch === 'delete') return undefined;
  const out: KubeObject = isPlainObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$retainKeys' || k.startsWith('$setElementOrder/') || k === '$patch') continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(out[field]) && Array.isArray(v)) out[field] = out[field].filter((x: unknown) => !v.includes(x));
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    const here = [...path, k];
    if (here.join('.') === 'metadata.finalizers' && Array.isArray(v) && Array.isArray(out[k])) {
      out[k] = [...out[k], ...v.filter((x) => !out[k].includes(x))];
      continue;
    }
    const merged = strategicMergePatch(out[k], v, here);
    if (merged === undefined) delete out[k];
    else out[k] = merged;
  }
  if (Array.isArray(patch.$retainKeys)) {
    for (const k of Object.keys(out)) if (!patch.$retainKeys.includes(k)) delete out[k];
  }
  return out;
}

interface JsonPatchOp {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

export function jsonPatch(target: KubeObject, ops: unknown): KubeObject {
  if (!Array.isArray(ops)) throw errors.badRequest('the server rejected our request due to an error in our request');
  let doc: unknown = structuredClone(target);
  for (const raw of ops as JsonPatchOp[]) {
    const op = raw.op;
    switch (op) {
      case 'add':
        doc = setAt(doc, pointer(raw.path), raw.value, true);
        break;
      case 'replace':
        getAt(doc, pointer(raw.path), op);
        doc = setAt(doc, pointer(raw.path), raw.value, false);
        break;
      case 'remove':
        getAt(doc, pointer(raw.path), op);
        doc = removeAt(doc, pointer(raw.path));
        break;
      case 'test':
        if (JSON.stringify(getAt(doc, pointer(raw.path), op)) !== JSON.stringify(raw.value)) {
          throw errors.internal(`testing value ${raw.path} failed: test failed`);
        }
        break;
      case 'copy':
        doc = setAt(doc, pointer(raw.path), structuredClone(getAt(doc, pointer(raw.from ?? ''), op)), true);
        break;
      case 'move': {
        const v = getAt(doc, pointer(raw.from ?? ''), op);
        doc = setAt(removeAt(doc, pointer(raw.from ?? '')), pointer(raw.path), v, true);
        break;
      }
      default:
        throw errors.internal(`Unexpected kind: ${op}`);
    }
  }
  if (!isPlainObject(doc)) throw errors.badRequest('patch produced a non-object');
  return doc;
}

function pointer(p: string): string[] {
  if (p === '') return [];
  if (!p.startsWith('/')) throw errors.internal(`add operation does not apply: doc is missing path: "${p}": missing value`);
  return p
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function getAt(doc: unknown, path: string[], op: string): unknown {
  let cur = doc;
  for (const seg of path) {
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (isPlainObject(cur)) cur = cur[seg];
    else cur = undefined;
    if (cur === undefined)
      throw errors.internal(`${op} operation does not apply: doc is missing path: "/${path.join('/')}": missing value`);
  }
  return cur;
}

function setAt(doc: unknown, path: string[], value: unknown, insert: boolean): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (Array.isArray(doc)) {
    const arr = [...doc];
    const idx = head === '-' ? arr.length : Number(head);
    if (rest.length === 0) {
      if (insert) arr.splice(idx, 0, value);
      else arr[idx] = value;
    } else arr[idx] = setAt(arr[idx], rest, value, insert);
    return arr;
  }
  if (!isPlainObject(doc)) throw errors.internal(`add operation does not apply: doc is missing path: "/${path.join('/')}": missing value`);
  return { ...doc, [head]: rest.length === 0 ? value : setAt(doc[head], rest, value, insert) };
}

function removeAt(doc: unknown, path: string[]): unknown {
  const [head, ...rest] = path;
  if (Array.isArray(doc)) {
    const arr = [...doc];
    if (rest.length === 0) arr.splice(Number(head), 1);
    else arr[Number(head)] = removeAt(arr[Number(head)], rest);
    return arr;
  }
  const obj = { ...(doc as KubeObject) };
  if (rest.length === 0) delete obj[head];
  else obj[head] = removeAt(obj[head], rest);
  return obj;
}

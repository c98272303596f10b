// Label selectors (=, ==, !=, in, notin, exists, !exists, gt/lt) and field selectors, as the apiserver parses them.
import { errors } from './status';

type LabelReq =
  | { op: 'exists' | '!exists'; key: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'gt' | 'lt'; key: string; value: number };

export type LabelSelector = LabelReq[];

export function parseLabelSelector(text: string): LabelSelector {
  const reqs: LabelReq[] = [];
  for (const part of splitTopLevel(text)) {
    const s = part.trim();
    if (!s) continue;
    let m: RegExpMatchArray | null;
    if ((m = s.match(/^!\s*([^\s=!<>(),]+)$/))) reqs.push({ op: '!exists', key: checkKey(m[1]) });
    else if ((m = s.match(/^([^\s=!<>(),]+)\s+(in|notin)\s*\(([^)]*)\)$/))) {
      const values = m[3].split(',').map((v) => checkValue(v.trim()));
      reqs.push({ op: m[2] as 'in' | 'notin', key: checkKey(m[1]), values });
    } else if ((m = s.match(/^([^\s=!<>(),]+)\s*(==|=|!=)\s*([^\s=!<>(),]*)$/))) {
      reqs.push({ op: m[2] === '!=' ? 'notin' : 'in', key: checkKey(m[1]), values: [checkValue(m[3])] });
    } else if ((m = s.match(/^([^\s=!<>(),]+)\s*([<>])\s*(-?\d+)$/))) {
      reqs.push({ op: m[2] === '>' ? 'gt' : 'lt', key: checkKey(m[1]), value: Number(m[3]) });
    } else if ((m = s.match(/^([^\s=!<>(),]+)$/))) reqs.push({ op: 'exists', key: checkKey(m[1]) });
    else throw errors.badRequest(`unable to parse requirement: found '${s}', expected: in, notin, =, ==, !=, gt, lt`);
  }
  return reqs;
}

const NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function checkKey(key: string): string {
  const slash = key.lastIndexOf('/');
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  if (!NAME.test(name) || name.length > 63 || (prefix !== undefined && (!PREFIX.test(prefix) || prefix.length > 253))) {
    throw errors.badRequest(
      `unable to parse requirement: <nil>: Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    );
  }
  return key;
}

function checkValue(v: string): string {
  if (v !== '' && (!NAME.test(v) || v.length > 63)) {
    throw errors.badRequest(
      `unable to parse requirement: values[0][${v}]: Invalid value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    );
  }
  return v;
}

function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

export function matchesLabels(sel: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const r of sel) {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'exists':
        if (!has) return false;
        break;
      case '!exists':
        if (has) return false;
        break;
      case 'in':
        if (!has || !r.values.includes(l[r.key])) return false;
        break;
      case 'notin':
        if (has && r.values.includes(l[r.key])) return false;
        break;
      case 'gt':
      case 'lt': {
        if (!has || !/^-?\d+$/.test(l[r.key])) return false;
        const n = Number(l[r.key]);
        if (r.op === 'gt' ? !(n > r.value) : !(n < r.value)) return false;
      }
    }
  }
  return true;
}

export interface FieldReq {
  field: string;
  value: string;
  negate: boolean;
}

export function parseFieldSelector(text: string, allowed: string[]): FieldReq[] {
  const reqs: FieldReq[] = [];
  for (const part of text.split(',')) {
    const s = part.trim();
    if (!s) continue;
    const m = s.match(/^([^=!]+?)\s*(==|=|!=)\s*(.*)$/);
    if (!m) throw errors.badRequest(`invalid selector: '${text}'; can't understand '${s}'`);
    const field = m[1].trim();
    if (!['metadata.name', 'metadata.namespace', ...allowed].includes(field)) {
      throw errors.badRequest(`field label not supported: ${field}`);
    }
    reqs.push({ field, value: m[3].trim(), negate: m[2] === '!=' });
  }
  return reqs;
}

export function matchesFields(reqs: FieldReq[], obj: Record<string, unknown>): boolean {
  for (const r of reqs) {
    let v: unknown = obj;
    for (const k of r.field.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
    const actual = v === undefined || v === null ? '' : String(v);
    if ((actual === r.value) === r.negate) return false;
  }
  return true;
}

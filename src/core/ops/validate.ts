/**
 * A JSON Schema (draft-07) validator for the schemas jsonSchema.ts produces, with one message per failing
 * keyword at the value it concerns, for the order form and for checking variables before a write. String
 * formats are checked the way the Kubernetes API server checks them (kubernetes/kube-openapi@d427ff9
 * pkg/validation/strfmt/default.go:57-65, :126-218): uuid, uuid3, uuid4, uuid5, ipv4, ipv6 and cidr, with
 * leading zeros tolerated in IPv4 octets (`netutils.ParseIPSloppy`); other formats are left to the server.
 */
import { jsonEqual } from './jsonPatch';
import type { JsonSchema } from './jsonSchema';

export type InstancePath = readonly (string | number)[];

export interface SchemaMessage {
  /** The value the message is about; for `required` and `additionalProperties`, the object. */
  readonly path: InstancePath;
  /** For `required` and `additionalProperties`: the field. */
  readonly property?: string;
  readonly keyword: string;
  readonly message: string;
}

type Schema = JsonSchema | boolean;

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(v: unknown, t: unknown): boolean {
  const actual = jsonType(v);
  return actual === t || (t === 'number' && actual === 'integer');
}

function show(v: unknown): string {
  const text = JSON.stringify(v);
  return text === undefined ? String(v) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Unicode code points, as JSON Schema and the API server count string length. */
function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

// kube-openapi strfmt: the UUID patterns allow upper case and optional dashes.
const UUID: Readonly<Record<string, RegExp>> = {
  uuid: /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i,
  uuid3: /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i,
  uuid4: /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i,
  uuid5: /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i,
};

/** Dotted decimal with 4 parts of at most 255, leading zeros allowed (the sloppy parse). */
function isIPv4Sloppy(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d+$/.test(p) && Number(p) <= 255);
}

/** RFC 4291 text form: up to 8 groups of 1-4 hex digits, one `::`, an IPv4 tail in place of the last two groups; no zone. */
function isIPv6(s: string): boolean {
  if (!s.includes(':')) return false;
  let groups = 0;
  let rest = s;
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!isIPv4Sloppy(tail)) return false;
    groups += 2;
    rest = s.slice(0, lastColon + 1);
    if (rest.endsWith(':') && !rest.endsWith('::')) rest = rest.slice(0, -1);
  }
  const halves = rest.split('::');
  if (halves.length > 2) return false;
  const hex = (h: string): string[] | undefined => {
    if (h === '') return [];
    const g = h.split(':');
    return g.every((x) => /^[0-9a-f]{1,4}$/i.test(x)) ? g : undefined;
  };
  const left = hex(halves[0]);
  const right = halves.length === 2 ? hex(halves[1]) : [];
  if (!left || !right) return false;
  groups += left.length + right.length;
  return halves.length === 2 ? groups < 8 : groups === 8;
}

function isCidr(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  const addr = s.slice(0, slash);
  const mask = s.slice(slash + 1);
  if (!/^\d+$/.test(mask)) return false;
  const bits = isIPv4Sloppy(addr) ? 32 : isIPv6(addr) ? 128 : 0;
  return bits > 0 && Number(mask) <= bits;
}

const FORMAT_EXAMPLES: Readonly<Record<string, string>> = {
  uuid: 'a UUID',
  uuid3: 'a version 3 UUID',
  uuid4: 'a version 4 UUID, e.g. 9ae2f488-30a3-4629-bd51-07acb8eb4278',
  uuid5: 'a version 5 UUID',
  ipv4: 'an IPv4 address, e.g. 10.0.0.1',
  ipv6: 'an IPv6 address, e.g. fd00::1',
  cidr: 'a CIDR, e.g. 10.8.0.0/20',
};

/** The formats this validator checks, as the API server does. */
export const CHECKED_FORMATS: readonly string[] = Object.keys(FORMAT_EXAMPLES);

/** True/false for a format the API server checks; undefined for formats it ignores or this validator leaves to it. */
export function checkFormat(format: string, s: string): boolean | undefined {
  if (UUID[format]) return UUID[format].test(s);
  if (format === 'ipv4') return (isIPv4Sloppy(s) || isIPv6(s)) && s.includes('.');
  if (format === 'ipv6') return (isIPv4Sloppy(s) || isIPv6(s)) && s.includes(':');
  if (format === 'cidr') return isCidr(s);
  return undefined;
}

const patternCache = new Map<string, RegExp | null>();
function regex(p: string): RegExp | null {
  let r = patternCache.get(p);
  if (r === undefined) {
    try {
      r = new RegExp(p, 'u');
    } catch {
      r = null;
    }
    patternCache.set(p, r);
  }
  return r;
}

function has(o: Record<string, unknown>, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

function check(schema: Schema, v: unknown, path: InstancePath, out: SchemaMessage[]): void {
  if (schema === true) return;
  if (schema === false) {
    out.push({ path, keyword: 'false', message: 'no value is allowed here' });
    return;
  }
  const s = schema;
  const add = (keyword: string, message: string, property?: string): void => {
    out.push(property === undefined ? { path, keyword, message } : { path, keyword, message, property });
  };
  const valid = (sub: Schema): boolean => {
    const tmp: SchemaMessage[] = [];
    check(sub, v, path, tmp);
    return tmp.length === 0;
  };

  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.some((t) => typeMatches(v, t)))
      add('type', `must be ${types.map((t) => (t === 'integer' ? 'a whole number' : `a ${String(t)}`)).join(' or ')} (got ${jsonType(v)})`);
  }
  if (Array.isArray(s.enum) && !s.enum.some((e) => jsonEqual(e, v))) add('enum', `must be one of ${s.enum.map(show).join(', ')}`);
  if (has(s, 'const') && !jsonEqual(s.const, v)) add('const', `must be ${show(s.const)}`);

  if (typeof v === 'string') {
    const n = codePoints(v);
    if (typeof s.minLength === 'number' && n < s.minLength) add('minLength', `must be at least ${s.minLength} characters long`);
    if (typeof s.maxLength === 'number' && n > s.maxLength) add('maxLength', `must be at most ${s.maxLength} characters long`);
    if (typeof s.pattern === 'string') {
      const r = regex(s.pattern);
      if (r && !r.test(v)) add('pattern', `must match the pattern ${s.pattern}`);
    }
    if (typeof s.format === 'string' && checkFormat(s.format, v) === false) add('format', `must be ${FORMAT_EXAMPLES[s.format]}`);
  }

  if (typeof v === 'number') {
    if (typeof s.minimum === 'number' && v < s.minimum) add('minimum', `must be at least ${s.minimum}`);
    if (typeof s.maximum === 'number' && v > s.maximum) add('maximum', `must be at most ${s.maximum}`);
    if (typeof s.exclusiveMinimum === 'number' && v <= s.exclusiveMinimum)
      add('exclusiveMinimum', `must be more than ${s.exclusiveMinimum}`);
    if (typeof s.exclusiveMaximum === 'number' && v >= s.exclusiveMaximum)
      add('exclusiveMaximum', `must be less than ${s.exclusiveMaximum}`);
    if (typeof s.multipleOf === 'number' && s.multipleOf > 0 && !Number.isInteger(v / s.multipleOf))
      add('multipleOf', `must be a multiple of ${s.multipleOf}`);
  }

  if (Array.isArray(v)) {
    if (typeof s.minItems === 'number' && v.length < s.minItems)
      add('minItems', `must have at least ${s.minItems} item${s.minItems === 1 ? '' : 's'}`);
    if (typeof s.maxItems === 'number' && v.length > s.maxItems)
      add('maxItems', `must have at most ${s.maxItems} item${s.maxItems === 1 ? '' : 's'}`);
    if (s.uniqueItems === true && v.some((x, i) => v.findIndex((y) => jsonEqual(x, y)) !== i))
      add('uniqueItems', 'must not contain the same item twice');
    if (Array.isArray(s.items))
      v.forEach((x, i) => i < (s.items as Schema[]).length && check((s.items as Schema[])[i], x, [...path, i], out));
    else if (s.items !== undefined) v.forEach((x, i) => check(s.items as Schema, x, [...path, i], out));
    if (s.contains !== undefined) {
      const c = s.contains as Schema;
      if (
        !v.some((x) => {
          const tmp: SchemaMessage[] = [];
          check(c, x, path, tmp);
          return tmp.length === 0;
        })
      )
        add('contains', typeof s.errorMessage === 'string' ? s.errorMessage : 'must contain a matching item');
    }
  }

  if (isRecord(v)) {
    const keys = Object.keys(v);
    if (typeof s.minProperties === 'number' && keys.length < s.minProperties)
      add('minProperties', `must have at least ${s.minProperties} fields`);
    if (typeof s.maxProperties === 'number' && keys.length > s.maxProperties)
      add('maxProperties', `must have at most ${s.maxProperties} fields`);
    if (Array.isArray(s.required))
      for (const r of s.required) if (typeof r === 'string' && !has(v, r)) add('required', `${r} is required`, r);
    const props = isRecord(s.properties) ? s.properties : {};
    for (const k of keys) {
      if (has(props, k)) check(props[k] as Schema, v[k], [...path, k], out);
      else if (s.additionalProperties === false) add('additionalProperties', `${k} is not a field here`, k);
      else if (isRecord(s.additionalProperties)) check(s.additionalProperties, v[k], [...path, k], out);
    }
  }

  if (Array.isArray(s.allOf)) for (const sub of s.allOf) check(sub as Schema, v, path, out);
  if (Array.isArray(s.anyOf) && !s.anyOf.some((sub) => valid(sub as Schema))) add('anyOf', 'does not match any of the allowed forms');
  if (Array.isArray(s.oneOf)) {
    const n = s.oneOf.filter((sub) => valid(sub as Schema)).length;
    if (n !== 1) add('oneOf', n === 0 ? 'does not match any of the allowed forms' : 'matches more than one of the exclusive forms');
  }
  if (s.not !== undefined && valid(s.not as Schema)) add('not', 'is a value that is not allowed here');
  if (s.if !== undefined) {
    if (valid(s.if as Schema)) {
      if (s.then !== undefined) check(s.then as Schema, v, path, out);
    } else if (s.else !== undefined) check(s.else as Schema, v, path, out);
  }
}

/** Every failing keyword of `value` against `schema`, with the path of the value it concerns. */
export function validateJson(schema: JsonSchema | boolean, value: unknown): SchemaMessage[] {
  const out: SchemaMessage[] = [];
  check(schema, value, [], out);
  return out;
}

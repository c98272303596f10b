// Field errors as kube-apiserver reports them in 422 Invalid Status bodies, and the Go formatting
// (strconv.Quote, %#v of string slices) their messages use. Modelled on
// kubernetes/apimachinery@v0.32.0 (59e9003f) pkg/util/validation/field/errors.go:51-97 (ErrorBody),
// :105-165 (types and their strings), :289-304 (ToAggregate) and pkg/util/errors/errors.go:69-95
// (aggregate messages), the versions of the v1.32 server the emulator announces.

export type ErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

export interface FieldError {
  type: ErrorType;
  /** Rendered field path (`metadata.labels`, `data[key]`, `spec.items[0]`). */
  field: string;
  value: unknown;
  detail: string;
}

const TYPE_TEXT: Record<ErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** field.Path rendering: `.name` for children, `[key]` / `[i]` for map keys and list indexes. */
export const path = {
  child: (parent: string, ...names: string[]): string => names.reduce((p, n) => (p ? `${p}.${n}` : n), parent),
  key: (parent: string, key: string): string => `${parent}[${key}]`,
  index: (parent: string, i: number): string => `${parent}[${i}]`,
};

export const field = {
  required: (f: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field: f, value: '', detail }),
  invalid: (f: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field: f, value, detail }),
  forbidden: (f: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field: f, value: '', detail }),
  duplicate: (f: string, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field: f, value, detail: '' }),
  notFound: (f: string, value: unknown): FieldError => ({ type: 'FieldValueNotFound', field: f, value, detail: '' }),
  typeInvalid: (f: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueTypeInvalid', field: f, value, detail }),
  /** errors.go:223-235: the value is never printed. */
  tooLong: (f: string, max: number): FieldError => ({
    type: 'FieldValueTooLong',
    field: f,
    value: '<value omitted>',
    detail: max >= 0 ? `may not be more than ${max} bytes` : 'value is too long',
  }),
  tooMany: (f: string, actual: number, max: number): FieldError => ({
    type: 'FieldValueTooMany',
    field: f,
    value: actual,
    detail: max >= 0 ? `must have at most ${max} items` : 'has too many items',
  }),
  /** errors.go:203-213: `supported values: "a", "b"`. */
  notSupported: (f: string, value: unknown, valid: string[]): FieldError => ({
    type: 'FieldValueNotSupported',
    field: f,
    value,
    detail: valid.length ? `supported values: ${valid.map((v) => goQuote(v)).join(', ')}` : '',
  }),
};

/** Go's strconv.Quote: printable runes as-is, the usual escapes, \x / \u / \U for the rest. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (PRINTABLE.test(ch)) out += ch;
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\v') out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c >= 0xd800 && c <= 0xdfff)
      out += '\ufffd'; // a lone surrogate: Go has decoded it to U+FFFD
    else if (c < 0x10000) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += `\\U${c.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** fmt %v of a float64 (strconv 'g', shortest): exponent form when the exponent is below -4 or at least 6. */
export function goFloat(n: number): string {
  if (n === 0 || !Number.isFinite(n)) return String(n);
  const [mantissa, e] = n.toExponential().split('e');
  const exp = Number(e);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(n);
}

/** A bad value already in its Go rendering (`0x0` for a uint64 printed with %#v). */
export class GoText {
  constructor(readonly text: string) {}
}

/** The `%v` / `%q` / `%#v` rendering ErrorBody applies to a bad value. */
export function goValue(v: unknown): string {
  if (v instanceof GoText) return v.text;
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : goFloat(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return `[]string{${v.map((x) => goQuote(x)).join(', ')}}`;
  return JSON.stringify(v);
}

/** ErrorBody: the message without the field (errors.go:51-97). */
export function errorBody(e: FieldError): string {
  let s = TYPE_TEXT[e.type];
  const omit = ['FieldValueRequired', 'FieldValueForbidden', 'FieldValueTooLong', 'InternalError'].includes(e.type);
  if (!omit) s += `: ${goValue(e.value)}`;
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

export function fieldErrorString(e: FieldError): string {
  return `${e.field}: ${errorBody(e)}`;
}

/** ToAggregate + aggregate.Error: duplicates dropped, one message as is, several in brackets. */
export function aggregate(errs: FieldError[]): string {
  const seen: string[] = [];
  for (const e of errs) {
    const m = fieldErrorString(e);
    if (!seen.includes(m)) seen.push(m);
  }
  return seen.length === 1 ? seen[0] : `[${seen.join(', ')}]`;
}

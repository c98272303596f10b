// A JSON reader that keeps what Go's decoder sees and JSON.parse hides: duplicate keys (with the path
// sigs.k8s.io/json reports them under), key offsets (for document order), number literals (Go reports
// `number 1.5` for a non-integer into an int), and Go's syntax error messages.
//   kubernetes-sigs/json@cfa47c3a internal/golang/encoding/json/kubernetes_patch.go:73-124 (strict error
//     paths: keys joined by ".", indexes as "[i]"), decode.go:670-720 (duplicates in structs and maps),
//     :1200-1215 (duplicates in interface{} maps);
//   Go encoding/json scanner.go (messages "invalid character 'x' looking for beginning of value" etc.).

import { goQuote } from './fielderrors';

export type JsonNode =
  | { k: 'obj'; entries: { key: string; value: JsonNode; off: number }[]; off: number }
  | { k: 'arr'; items: JsonNode[]; off: number }
  | { k: 'str'; v: string; off: number }
  | { k: 'num'; raw: string; off: number }
  | { k: 'bool'; v: boolean; off: number }
  | { k: 'null'; off: number };

export interface Duplicate {
  /** Strict-error path of the repeated key (`metadata.labels.a`, `spec.items[0].name`). */
  path: string;
  off: number;
  line: number;
}

export class JsonSyntaxError extends Error {}

/** Appends a key to a strict-error path (kubernetes_patch.go appendStrictFieldStackKey / newFieldError). */
export function childPath(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

/** scanner.go quoteChar: the offending *byte*, quoted like strconv.Quote with single quotes. */
function quoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  const byte = Buffer.from(c, 'utf8')[0];
  return `'${goQuote(String.fromCharCode(byte)).slice(1, -1)}'`;
}

export function parseJson(text: string): { node: JsonNode; duplicates: Duplicate[] } {
  let i = 0;
  const duplicates: Duplicate[] = [];
  // At the end, Go's scanner feeds a space (scanner.go eof): states that refuse one report it, others "unexpected end".
  const SPACE_REFUSED = /^in (numeric literal|exponent|literal|\\u|string escape)|^after decimal point/;
  const fail = (context: string): never => {
    if (i >= text.length)
      throw new JsonSyntaxError(SPACE_REFUSED.test(context) ? `invalid character ' ' ${context}` : 'unexpected end of JSON input');
    throw new JsonSyntaxError(`invalid character ${quoteChar(String.fromCodePoint(text.codePointAt(i) as number))} ${context}`);
  };
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const lineAt = (off: number) => {
    let n = 1;
    for (let j = 0; j < off; j++) if (text.charCodeAt(j) === 10) n++;
    return n;
  };
  const str = (): string => {
    i++; // opening quote
    let out = '';
    for (;;) {
      if (i >= text.length) fail('in string literal');
      const c = text[i];
      if (c === '"') {
        i++;
        return out;
      }
      if (c === '\\') {
        i++;
        const e = text[i];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e in simple) {
          out += simple[e];
          i++;
        } else if (e === 'u') {
          i++;
          for (let j = 0; j < 4; j++) {
            if (!/[0-9a-fA-F]/.test(text[i + j] ?? '')) {
              i += j;
              fail('in \\u hexadecimal character escape');
            }
          }
          out += String.fromCharCode(parseInt(text.slice(i, i + 4), 16));
          i += 4;
        } else fail('in string escape code');
        continue;
      }
      if (c.charCodeAt(0) < 0x20) fail('in string literal');
      out += c;
      i++;
    }
  };
  const num = (): string => {
    const start = i;
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else if (/[1-9]/.test(text[i] ?? '')) while (/[0-9]/.test(text[i] ?? '')) i++;
    else fail('in numeric literal');
    if (text[i] === '.') {
      i++;
      if (!/[0-9]/.test(text[i] ?? '')) fail('after decimal point in numeric literal');
      while (/[0-9]/.test(text[i] ?? '')) i++;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!/[0-9]/.test(text[i] ?? '')) fail('in exponent of numeric literal');
      while (/[0-9]/.test(text[i] ?? '')) i++;
    }
    return text.slice(start, i);
  };
  const literal = (word: string): void => {
    for (let j = 1; j < word.length; j++) {
      if (text[i + j] !== word[j]) {
        i += j;
        fail(`in literal ${word} (expecting ${quoteChar(word[j])})`);
      }
    }
    i += word.length;
  };
  const value = (path: string, depth: number): JsonNode => {
    if (depth > 10000) throw new JsonSyntaxError('exceeded max depth');
    ws();
    const off = i;
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: { key: string; value: JsonNode; off: number }[] = [];
      const seen = new Set<string>();
      ws();
      if (text[i] === '}') {
        i++;
        return { k: 'obj', entries, off };
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('looking for beginning of object key string');
        const keyOff = i;
        const key = str();
        ws();
        if (text[i] !== ':') fail('after object key');
        i++;
        const p = childPath(path, key);
        if (seen.has(key)) duplicates.push({ path: p, off: keyOff, line: lineAt(keyOff) });
        seen.add(key);
        entries.push({ key, value: value(p, depth + 1), off: keyOff });
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return { k: 'obj', entries, off };
        }
        fail('after object key:value pair');
      }
    }
    if (c === '[') {
      i++;
      const items: JsonNode[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return { k: 'arr', items, off };
      }
      for (;;) {
        items.push(value(`${path}[${items.length}]`, depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return { k: 'arr', items, off };
        }
        fail('after array element');
      }
    }
    if (c === '"') return { k: 'str', v: str(), off };
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return { k: 'num', raw: num(), off };
    if (c === 't') return (literal('true'), { k: 'bool', v: true, off });
    if (c === 'f') return (literal('false'), { k: 'bool', v: false, off });
    if (c === 'n') return (literal('null'), { k: 'null', off });
    return fail('looking for beginning of value');
  };
  const node = value('', 0);
  ws();
  if (i < text.length) fail('after top-level value');
  return { node, duplicates };
}

/** The plain value (last duplicate wins, as in Go). */
export function toValue(n: JsonNode): unknown {
  switch (n.k) {
    case 'obj': {
      const o: Record<string, unknown> = {};
      for (const e of n.entries) o[e.key] = toValue(e.value);
      return o;
    }
    case 'arr':
      return n.items.map(toValue);
    case 'str':
      return n.v;
    case 'num':
      return Number(n.raw);
    case 'bool':
      return n.v;
    default:
      return null;
  }
}

/** A node for an in-memory value (patch results, re-encoded metadata): no duplicates, offsets in encoding order. */
export function fromValue(v: unknown): JsonNode {
  let off = 0;
  const walk = (x: unknown): JsonNode => {
    const at = off++;
    if (x === null || x === undefined) return { k: 'null', off: at };
    if (Array.isArray(x)) return { k: 'arr', items: x.map(walk), off: at };
    if (typeof x === 'object') {
      return {
        k: 'obj',
        entries: Object.entries(x as Record<string, unknown>).map(([key, value]) => ({ key, off: off++, value: walk(value) })),
        off: at,
      };
    }
    if (typeof x === 'string') return { k: 'str', v: x, off: at };
    if (typeof x === 'number') return { k: 'num', raw: JSON.stringify(x), off: at };
    return { k: 'bool', v: Boolean(x), off: at };
  };
  return walk(v);
}

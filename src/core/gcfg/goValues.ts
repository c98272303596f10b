/**
 * Setting one value the way gcfg does (set.go setters and types/), with the Go standard library parts
 * it relies on emulated exactly: fmt scanning (`Sscanf` with `%v`), strconv integer parsing,
 * time.ParseDuration, strings.ToLower, and the quoting of error messages. Same verdicts, same stored
 * values, same error text as the Go code (checked against real gcfg in test/conformance).
 */
import type { GoType } from './keys';
import { goQuote } from './parse';

export type Decoded = { readonly ok: true; readonly value: string | boolean } | { readonly ok: false; readonly error: string };

const BLANK = 'blank value not supported for type';
const BOOLS = new Map([
  ['true', true],
  ['yes', true],
  ['on', true],
  ['1', true],
  ['false', false],
  ['no', false],
  ['off', false],
  ['0', false],
]);

/** How gcfg stores one (non-multi) value: strings as is, bools as booleans, integers and durations (ns) as decimal strings. */
export function decodeValue(goType: Exclude<GoType, '[]string'>, blank: boolean, value: string): Decoded {
  switch (goType) {
    case 'bool': {
      if (blank) return { ok: true, value: true };
      const lower = goToLower(value);
      const b = BOOLS.get(lower);
      return b === undefined ? { ok: false, error: `failed to parse bool ${goBackquote(lower)}` } : { ok: true, value: b };
    }
    case 'string':
      return blank ? { ok: false, error: BLANK } : { ok: true, value };
    case 'gophercloud.Availability':
      return blank ? { ok: false, error: BLANK } : scanWord(value, goType);
    case 'util.MyDuration':
      return blank ? { ok: false, error: BLANK } : parseDuration(value);
    case 'map[string]*openstack.LBClass':
      // scanSetter → fmt.Sscanf into a map pointer (gcfg types/scan.go ScanFully)
      return blank
        ? { ok: false, error: BLANK }
        : { ok: false, error: `failed to parse ${goQuote(value)} as ${goType}: can't scan type: *${goType}` };
    default:
      return blank ? { ok: false, error: BLANK } : parseGoInt(value, goType);
  }
}

/** Go's strings.ToLower: the simple one-rune mapping (İ → i, Σ → σ always), unlike String.toLowerCase. */
function goToLower(s: string): string {
  return [...s].map((c) => (c === '\u0130' ? 'i' : c === '\u03a3' ? '\u03c3' : c.toLowerCase())).join('');
}

/** Go's isSpace in fmt/scan.go. */
const FMT_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u;
const isFmtSpace = (c: string | undefined): boolean => c !== undefined && FMT_SPACE.test(c);

class ScanFailure {
  constructor(readonly message: string) {}
}

/** A rune reader with fmt's SkipSpace (newlines are not spaces in Sscanf). */
class FmtScan {
  private i = 0;
  private readonly runes: string[];
  constructor(s: string) {
    this.runes = [...s];
  }
  peek(): string | undefined {
    return this.runes[this.i];
  }
  take(): string | undefined {
    return this.runes[this.i++];
  }
  skipSpace(): void {
    for (;;) {
      const r = this.peek();
      if (r === undefined) return;
      if (r === '\n') throw new ScanFailure('unexpected newline');
      if (!isFmtSpace(r)) return;
      this.i++;
    }
  }
  notEOF(): void {
    if (this.peek() === undefined) throw new ScanFailure('EOF');
  }
  accept(ok: string): boolean {
    const r = this.peek();
    if (r !== undefined && ok.includes(r)) {
      this.i++;
      return true;
    }
    return false;
  }
  /** The trailing `%s` of types.ScanFully: undefined at EOF, else the extra word. */
  extra(): string | undefined {
    this.skipSpace();
    this.skipSpace();
    if (this.peek() === undefined) return undefined;
    let word = '';
    while (this.peek() !== undefined && !isFmtSpace(this.peek())) word += this.take();
    return word;
  }
}

/** types.ScanFully(ptr, val, verb) = fmt.Sscanf(val, "%<verb>%s", ptr, &extra). */
function scanFully(val: string, goType: string, first: (s: FmtScan) => string): Decoded {
  const s = new FmtScan(val);
  let value: string;
  try {
    s.skipSpace();
    value = first(s);
  } catch (e) {
    if (e instanceof ScanFailure) return { ok: false, error: `failed to parse ${goQuote(val)} as ${goType}: ${e.message}` };
    throw e;
  }
  try {
    const extra = s.extra();
    if (extra !== undefined)
      return { ok: false, error: `failed to parse ${goQuote(val)} as ${goType}: extra characters ${goQuote(extra)}` };
  } catch (e) {
    if (e instanceof ScanFailure) return { ok: false, error: `failed to parse ${goQuote(val)} as ${goType}: ${e.message}` };
    throw e;
  }
  return { ok: true, value };
}

/** A named string type scanned with %v: one space-delimited word. */
function scanWord(val: string, goType: string): Decoded {
  return scanFully(val, goType, (s) => {
    s.skipSpace();
    s.notEOF();
    let word = '';
    while (s.peek() !== undefined && !isFmtSpace(s.peek())) word += s.take();
    return word;
  });
}

const GO_SPACE =
  /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/gu;
const DEC = '0123456789';
const HEX = '0123456789abcdefABCDEF';

/** types.ParseInt with gcfg's default mode for int types (decimal, or hex with a `0x` prefix). */
function parseGoInt(raw: string, goType: 'uint' | 'int' | 'int64'): Decoded {
  const val = raw.replace(GO_SPACE, '');
  const hexVerb = val.startsWith('0x') || val.startsWith('-0x');
  const signed = goType !== 'uint';
  return scanFully(val, goType, (s) => {
    s.skipSpace();
    s.notEOF();
    let tok = '';
    if (signed && s.accept('+-')) tok += val[0];
    let digits = DEC;
    let haveDigits = false;
    if (hexVerb) {
      if (s.peek() === '0') {
        s.take();
        tok += '0';
        haveDigits = true;
        if (s.peek() === 'x' || s.peek() === 'X') tok += s.take();
        digits = (tok.endsWith('x') || tok.endsWith('X') ? HEX : '01234567') + '_';
      } else {
        digits = DEC + '_';
      }
    }
    if (!haveDigits) {
      s.notEOF();
      if (!digits.includes(s.peek() ?? '\u0000')) throw new ScanFailure('expected integer');
    }
    while (s.peek() !== undefined && digits.includes(s.peek() ?? '')) tok += s.take();
    return strconvParse(tok, hexVerb ? 0 : 10, signed);
  });
}

/** strconv.ParseInt/ParseUint(tok, base, 64) for the tokens fmt hands it; returns the decimal string. */
function strconvParse(tok: string, base: 0 | 10, signed: boolean): string {
  const fn = signed ? 'strconv.ParseInt' : 'strconv.ParseUint';
  const fail = (why: string): never => {
    throw new ScanFailure(`${fn}: parsing ${goQuote(tok)}: ${why}`);
  };
  let s = tok;
  let neg = false;
  if (signed && (s[0] === '+' || s[0] === '-')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  let radix = 10n;
  if (base === 0) {
    if (s.length >= 3 && s[0] === '0' && (s[1] === 'x' || s[1] === 'X')) {
      radix = 16n;
      if (!underscoreOK(s)) fail('invalid syntax');
      s = s.slice(2).replace(/_/g, '');
    } else if (s[0] === '0') {
      radix = 8n;
      if (!underscoreOK(s)) fail('invalid syntax');
      s = s.slice(1).replace(/_/g, '');
    }
  }
  if (s === '') fail('invalid syntax');
  let n = 0n;
  for (const c of s) {
    const d = BigInt(parseDigit(c));
    if (d >= radix) fail('invalid syntax');
    n = n * radix + d;
  }
  const max = signed ? (neg ? 1n << 63n : (1n << 63n) - 1n) : (1n << 64n) - 1n;
  if (n > max) fail('value out of range');
  return (neg ? -n : n).toString();
}

function parseDigit(c: string): number {
  const d = '0123456789abcdef'.indexOf(c.toLowerCase());
  return d < 0 ? 99 : d;
}

/** strconv's underscoreOK (s without sign, with its base prefix). */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'bBoOxX'.includes(s[1])) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i];
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

const UNITS = new Map<string, bigint>([
  ['ns', 1n],
  ['us', 1000n],
  ['µs', 1000n],
  ['μs', 1000n],
  ['ms', 1000000n],
  ['s', 1000000000n],
  ['m', 60000000000n],
  ['h', 3600000000000n],
]);
const TWO63 = 1n << 63n;

/** Go's time.ParseDuration; the value is nanoseconds as a decimal string. */
export function parseDuration(orig: string): Decoded {
  const bytes = Buffer.from(orig, 'utf8');
  const invalid: Decoded = { ok: false, error: `time: invalid duration ${timeQuote(orig)}` };
  let i = 0;
  let neg = false;
  if (bytes.length && (bytes[0] === 0x2d || bytes[0] === 0x2b)) {
    neg = bytes[0] === 0x2d;
    i = 1;
  }
  const rest = (): string => bytes.subarray(i).toString('utf8');
  if (rest() === '0') return { ok: true, value: '0' };
  if (i === bytes.length) return invalid;
  const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
  let d = 0n;
  while (i < bytes.length) {
    if (!(bytes[i] === 0x2e || isDigit(bytes[i]))) return invalid;
    let v = 0n;
    const pl = i;
    for (; i < bytes.length && isDigit(bytes[i]); i++) {
      if (v > TWO63 / 10n) return invalid;
      v = v * 10n + BigInt(bytes[i] - 0x30);
      if (v > TWO63) return invalid;
    }
    const pre = pl !== i;
    let f = 0n;
    let scale = 1;
    let post = false;
    if (i < bytes.length && bytes[i] === 0x2e) {
      i++;
      const fl = i;
      let overflow = false;
      for (; i < bytes.length && isDigit(bytes[i]); i++) {
        if (overflow) continue;
        if (f > (TWO63 - 1n) / 10n) {
          overflow = true;
          continue;
        }
        const y = f * 10n + BigInt(bytes[i] - 0x30);
        if (y > TWO63) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      post = fl !== i;
    }
    if (!pre && !post) return invalid;
    const us = i;
    while (i < bytes.length && !(bytes[i] === 0x2e || isDigit(bytes[i]))) i++;
    if (i === us) return { ok: false, error: `time: missing unit in duration ${timeQuote(orig)}` };
    const u = bytes.subarray(us, i).toString('utf8');
    const unit = UNITS.get(u);
    if (unit === undefined) return { ok: false, error: `time: unknown unit ${timeQuote(u)} in duration ${timeQuote(orig)}` };
    if (v > TWO63 / unit) return invalid;
    v *= unit;
    if (f > 0n) {
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > TWO63) return invalid;
    }
    d += v;
    if (d > TWO63) return invalid;
  }
  if (neg) return { ok: true, value: (-d).toString() };
  if (d > TWO63 - 1n) return invalid;
  return { ok: true, value: d.toString() };
}

/** time's own `quote`: non-ASCII and control bytes as \xNN, `"` and `\` escaped. */
function timeQuote(s: string): string {
  let out = '"';
  for (const c of s) {
    const r = c.codePointAt(0) ?? 0;
    if (r >= 0x80 || r < 0x20) {
      for (const b of Buffer.from(c, 'utf8')) out += `\\x${b.toString(16).padStart(2, '0')}`;
    } else {
      out += c === '"' || c === '\\' ? '\\' + c : c;
    }
  }
  return out + '"';
}

/** Go's `%#q`: backquoted when strconv.CanBackquote allows it, else `%q`. */
function goBackquote(s: string): string {
  const canBackquote = [...s].every((c) => {
    const r = c.codePointAt(0) ?? 0;
    return c !== '`' && r !== 0xfeff && r !== 0x7f && (r >= 0x20 || r === 0x09);
  });
  return canBackquote ? '`' + s + '`' : goQuote(s);
}

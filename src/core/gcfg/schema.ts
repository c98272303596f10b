/**
 * The cloud.conf keys the OpenStack cloud-controller-manager (OCCM) and Cinder CSI actually bind
 * (domain.md §5.1–5.3: pkg/client AuthOpts, pkg/openstack Config, pkg/csi/cinder/openstack Config),
 * and how gcfg (set.go, types/) turns a value into each Go type. `decodeCloudConf` applies them to a
 * parsed document the way `gcfg.FatalOnly(gcfg.ReadInto(&cfg, r))` does: same verdict, same values,
 * same error text.
 */
import type { ConfSection } from './encode';
import { goQuote, type GcfgDocument, type GcfgVariable } from './parse';

export type Consumer = 'occm' | 'csi';
export type KeyType = 'string' | 'bool' | 'int' | 'duration' | 'multi-string' | 'map';
/** The Go type of the field, which decides how gcfg parses the value. */
export type GoType =
  | 'string'
  | 'gophercloud.Availability'
  | 'bool'
  | 'uint'
  | 'int'
  | 'int64'
  | 'util.MyDuration'
  | '[]string'
  | 'map[string]*openstack.LBClass';

export interface KeySpec {
  /** The name gcfg matches (its tag, or the Go field name for untagged fields), written lowercase. */
  readonly name: string;
  readonly type: KeyType;
  readonly goType: GoType;
  readonly consumers: readonly Consumer[];
  /** Holds a credential: never echo the value. */
  readonly secret?: boolean;
  readonly note?: string;
}

export interface SectionSpec {
  /** The Go field name of the section (gcfg matches it case-insensitively, `-` for `_`). */
  readonly name: string;
  /** Who reads it and whether `[Name "sub"]` subsections are read (a map field) or ignored (a struct). */
  readonly consumers: Readonly<Partial<Record<Consumer, 'struct' | 'map'>>>;
  readonly keys: readonly KeySpec[];
  readonly note?: string;
}

const BOTH: readonly Consumer[] = ['occm', 'csi'];
const OCCM: readonly Consumer[] = ['occm'];
const CSI: readonly Consumer[] = ['csi'];

const str = (name: string, consumers = BOTH, extra: Partial<KeySpec> = {}): KeySpec => ({
  name,
  type: 'string',
  goType: 'string',
  consumers,
  ...extra,
});
const bool = (name: string, consumers = BOTH, note?: string): KeySpec => ({
  name,
  type: 'bool',
  goType: 'bool',
  consumers,
  ...(note ? { note } : {}),
});
const dur = (name: string, consumers = BOTH): KeySpec => ({
  name,
  type: 'duration',
  goType: 'util.MyDuration',
  consumers,
  note: 'a Go duration with a unit, e.g. 5s, 1m30s (time.ParseDuration); a bare number is a fatal error',
});
const secret = (name: string): KeySpec => str(name, BOTH, { secret: true });

const GLOBAL_KEYS: readonly KeySpec[] = [
  str('auth-url', BOTH, { note: 'Keystone v3 URL; required' }),
  str('region', BOTH, { note: 'untagged field Region; required' }),
  {
    name: 'os-endpoint-type',
    type: 'string',
    goType: 'gophercloud.Availability',
    consumers: BOTH,
    note: 'public (default), internal or admin; a single word (gcfg scans a named string type with %v)',
  },
  str('ca-file'),
  str('cert-file', BOTH, { note: 'used only together with key-file' }),
  str('key-file', BOTH, { note: 'used only together with cert-file' }),
  str('username', BOTH, { note: 'untagged field Username (`user-name` does not match)' }),
  secret('password'),
  str('user-id'),
  str('domain-id'),
  str('domain-name'),
  str('tenant-id', BOTH, { note: 'the project ID (there is no project-id key)' }),
  str('tenant-name', BOTH, { note: 'the project name (there is no project-name key)' }),
  str('tenant-domain-id'),
  str('tenant-domain-name'),
  str('user-domain-id'),
  str('user-domain-name'),
  str('trust-id'),
  str('trustee-id'),
  secret('trustee-password'),
  bool('use-clouds', BOTH, 'true: fill empty fields from clouds.yaml'),
  str('clouds-file'),
  str('cloud'),
  str('application-credential-id'),
  str('application-credential-name'),
  secret('application-credential-secret'),
  str('tls-insecure', BOTH, { note: 'a string compared with exactly "true"; anything else keeps TLS verification on' }),
  secret('token'),
  str('cafilecontents', BOTH, { note: 'untagged field CAFileContents (manila legacy)' }),
];

const LB_CLASS_KEYS = [
  'floating-network-id',
  'floating-subnet-id',
  'floating-subnet',
  'floating-subnet-tags',
  'network-id',
  'subnet-id',
  'member-subnet-id',
];
const METADATA_KEYS: readonly KeySpec[] = [
  str('search-order', BOTH, { note: 'configDrive and/or metadataService, comma-separated, at most 2' }),
  dur('request-timeout'),
];

export const SECTIONS: readonly SectionSpec[] = [
  {
    name: 'Global',
    consumers: { occm: 'struct', csi: 'map' },
    keys: GLOBAL_KEYS,
    note: '`[Global "name"]` subsections are read by Cinder CSI only; OCCM ignores them',
  },
  {
    name: 'LoadBalancer',
    consumers: { occm: 'struct' },
    keys: [
      bool('enabled', OCCM),
      str('lb-version', OCCM),
      str('subnet-id', OCCM),
      str('member-subnet-id', OCCM),
      str('network-id', OCCM),
      str('floating-network-id', OCCM),
      str('floating-subnet-id', OCCM),
      str('floating-subnet', OCCM),
      str('floating-subnet-tags', OCCM),
      {
        // LoadBalancerOpts.LBClasses has no gcfg tag (cloud-provider-openstack@c453fb7 pkg/openstack/openstack.go:104): gcfg binds
        // the name to this map field by its Go name (set.go fieldFold) and has no setter for a map, so any value is fatal.
        name: 'lbclasses',
        type: 'map',
        goType: 'map[string]*openstack.LBClass',
        consumers: OCCM,
        note: 'cannot be written: an untagged map field, fatal for gcfg; use [LoadBalancerClass "name"] sections',
      },
      str('lb-method', OCCM, { note: 'ROUND_ROBIN (default); SOURCE_IP_PORT for ovn' }),
      str('lb-provider', OCCM, { note: 'amphora (default), octavia, ovn, f5, amphorav2' }),
      bool('create-monitor', OCCM),
      dur('monitor-delay', OCCM),
      dur('monitor-timeout', OCCM),
      { name: 'monitor-max-retries', type: 'int', goType: 'uint', consumers: OCCM },
      { name: 'monitor-max-retries-down', type: 'int', goType: 'uint', consumers: OCCM },
      bool('manage-security-groups', OCCM),
      bool('internal-lb', OCCM),
      str('node-selector', OCCM),
      bool('cascade-delete', OCCM),
      str('flavor-id', OCCM),
      str('availability-zone', OCCM),
      bool('enable-ingress-hostname', OCCM),
      str('ingress-hostname-suffix', OCCM),
      { name: 'max-shared-lb', type: 'int', goType: 'int', consumers: OCCM },
      str('container-store', OCCM),
      bool('provider-requires-serial-api-calls', OCCM),
      str('default-tls-container-ref', OCCM),
    ],
  },
  {
    name: 'LoadBalancerClass',
    consumers: { occm: 'map' },
    keys: LB_CLASS_KEYS.map((k) => str(k, OCCM)),
    note: 'named classes: `[LoadBalancerClass "name"]`',
  },
  {
    name: 'Networking',
    consumers: { occm: 'struct' },
    keys: [
      bool('ipv6-support-disabled', OCCM),
      {
        name: 'public-network-name',
        type: 'multi-string',
        goType: '[]string',
        consumers: OCCM,
        note: 'repeat the key for several networks',
      },
      {
        name: 'internal-network-name',
        type: 'multi-string',
        goType: '[]string',
        consumers: OCCM,
        note: 'repeat the key for several networks',
      },
      str('address-sort-order', OCCM),
    ],
  },
  { name: 'Route', consumers: { occm: 'struct' }, keys: [str('router-id', OCCM)] },
  { name: 'Metadata', consumers: { occm: 'struct', csi: 'struct' }, keys: METADATA_KEYS },
  {
    name: 'BlockStorage',
    consumers: { csi: 'struct' },
    keys: [
      { name: 'node-volume-attach-limit', type: 'int', goType: 'int64', consumers: CSI },
      bool('rescan-on-resize', CSI),
      bool('ignore-volume-az', CSI),
      bool('ignore-volume-microversion', CSI),
    ],
  },
];

/** Keys csp-helper writes that no consumer binds. */
export const NON_KEYS: Readonly<Record<string, { readonly section: string; readonly why: string; readonly instead?: string }>> = {
  'project-id': {
    section: 'Global',
    why: 'there is no project-id key in cloud.conf (OCCM and Cinder CSI read tenant-id)',
    instead: 'tenant-id',
  },
  'use-octavia': { section: 'LoadBalancer', why: 'use-octavia was removed from OCCM in 2022; Octavia is always used' },
};

/** Go's strings.EqualFold against an ASCII name: ASCII case-insensitive, plus the two non-ASCII runes that fold to ASCII letters. */
export function gcfgNameEquals(written: string, name: string): boolean {
  const fold = (s: string): string =>
    s
      .replace(/[A-Z]/g, (c) => c.toLowerCase())
      .replace(/\u212a/g, 'k')
      .replace(/\u017f/g, 's');
  return fold(written) === fold(name);
}

/** The section gcfg binds `name` to (field names: `-` in the file is `_` in Go, so `Load-Balancer` matches nothing). */
export function findSection(name: string): SectionSpec | undefined {
  return SECTIONS.find((s) => gcfgNameEquals(name, s.name));
}

/** The key of `section` gcfg binds `name` to. Untagged fields (username, password, region, cafilecontents) match the field name, so `-` never matches. */
export function findKey(section: SectionSpec, name: string): KeySpec | undefined {
  return section.keys.find((k) => gcfgNameEquals(UNTAGGED.has(k.name) ? name.replace(/-/g, '_') : name, k.name));
}

/** Fields without a gcfg tag (AuthOpts, LoadBalancerOpts.LBClasses): gcfg matches them by Go field name, with `-` standing for `_`. */
const UNTAGGED: ReadonlySet<string> = new Set(['username', 'password', 'region', 'cafilecontents', 'lbclasses']);

// ---------------------------------------------------------------------------------------------
// Setting a value: gcfg set.go setters and types/, Go fmt scanning and time.ParseDuration.

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
      return blank ? { ok: false, error: BLANK } : parseInt(value, goType);
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
function parseInt(raw: string, goType: 'uint' | 'int' | 'int64'): Decoded {
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

// ---------------------------------------------------------------------------------------------
// Reading a whole document into a consumer's config (read.go's two passes + set.go).

export type ConfValueOut = string | boolean | readonly string[];

export interface DecodedConf {
  readonly ok: boolean;
  readonly error?: string;
  /** `[Global]` keys set, by spec name (the plain `[Global]` entry for Cinder CSI). */
  readonly global: Readonly<Record<string, ConfValueOut>>;
  /** Other sections with keys set, named like the conformance checker: `LoadBalancer`, `LoadBalancerClass "name"`, `Global "name"` (the name as gcfg unquoted it). */
  readonly sections: Readonly<Record<string, Readonly<Record<string, ConfValueOut>>>>;
}

/** What `gcfg.FatalOnly(gcfg.ReadInto(&cfg, r))` yields for OCCM's or Cinder CSI's Config. */
export function decodeCloudConf(doc: GcfgDocument, consumer: Consumer): DecodedConf {
  const store = new Map<string, Map<string, ConfValueOut>>();
  const entry = (key: string): Map<string, ConfValueOut> => {
    let m = store.get(key);
    if (!m) store.set(key, (m = new Map()));
    return m;
  };
  const kindOf = (name: string): { spec: SectionSpec; kind: 'struct' | 'map' } | undefined => {
    const spec = findSection(name);
    const kind = spec?.consumers[consumer];
    return spec && kind ? { spec, kind } : undefined;
  };
  const fail = (error: string): DecodedConf => ({ ok: false, error, global: {}, sections: {} });

  for (const subsectPass of [false, true]) {
    for (const h of doc.headers) {
      const k = kindOf(h.name);
      if (subsectPass && k?.kind === 'map') entry(`${k.spec.name} "${h.subsection ?? ''}"`);
    }
    for (const v of doc.variables) {
      const k = kindOf(v.header.name);
      if (!k || (k.kind === 'map') !== subsectPass) continue;
      if (k.kind === 'struct' && v.header.subsection !== undefined) continue;
      const key = findKey(k.spec, v.name);
      if (!key) continue;
      const loc = `section "${v.header.name}"${k.kind === 'map' ? `, subsection "${v.header.subsection ?? ''}"` : ''}, variable "${v.name}"`;
      const target = entry(k.kind === 'map' ? `${k.spec.name} "${v.header.subsection ?? ''}"` : k.spec.name);
      const error = setVariable(target, key, v);
      if (error) return fail(`${error} at ${loc}`);
    }
    if (!subsectPass && doc.error) return fail(doc.error.goError);
  }

  const asObject = (m: Map<string, ConfValueOut>): Record<string, ConfValueOut> => Object.fromEntries(m);
  const globalKey = consumer === 'occm' ? 'Global' : 'Global ""';
  const sections: Record<string, Record<string, ConfValueOut>> = {};
  for (const [name, m] of store) {
    if (name === globalKey) continue;
    if (m.size || name.includes(' ')) sections[name] = asObject(m);
  }
  return { ok: true, global: asObject(store.get(globalKey) ?? new Map()), sections };
}

function setVariable(target: Map<string, ConfValueOut>, key: KeySpec, v: GcfgVariable): string | undefined {
  if (key.goType === '[]string') {
    if (v.blank) target.delete(key.name);
    else target.set(key.name, [...((target.get(key.name) as readonly string[] | undefined) ?? []), v.value]);
    return undefined;
  }
  const d = decodeValue(key.goType, v.blank, v.value);
  if (!d.ok) return d.error;
  target.set(key.name, d.value);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Validation of user-supplied extra sections (the converter's `extraSections`).

export interface ExtraProblem {
  /** Index into the sections array, and into its entries when the problem is a key. */
  readonly section: number;
  readonly entry?: number;
  readonly severity: 'error' | 'warning';
  /** Never contains the value of a secret key. */
  readonly message: string;
}

/** Checks extra sections/keys against what OCCM and Cinder CSI bind and how gcfg parses each type. */
export function validateExtraSections(sections: readonly ConfSection[]): ExtraProblem[] {
  const problems: ExtraProblem[] = [];
  sections.forEach((s, si) => {
    const spec = findSection(s.name);
    if (!spec) {
      problems.push({
        section: si,
        severity: 'warning',
        message: `[${s.name}] is not a cloud.conf section OCCM or Cinder CSI reads (known: ${SECTIONS.map((x) => x.name).join(', ')}); gcfg ignores it as extra data`,
      });
      return;
    }
    const kinds = Object.values(spec.consumers);
    if (s.subsection !== undefined && !kinds.includes('map')) {
      problems.push({
        section: si,
        severity: 'warning',
        message: `[${spec.name} "${s.subsection}"]: ${spec.name} takes no subsection; gcfg ignores the whole section`,
      });
    } else if (s.subsection === undefined && spec.name === 'LoadBalancerClass') {
      problems.push({ section: si, severity: 'warning', message: 'LoadBalancerClass needs a class name: [LoadBalancerClass "name"]' });
    } else if (s.subsection !== undefined && spec.name === 'Global') {
      problems.push({
        section: si,
        severity: 'warning',
        message: `[Global "${s.subsection}"] is read by Cinder CSI only; OCCM ignores it`,
      });
    }
    s.entries.forEach((e, ei) => {
      const key = findKey(spec, e.key);
      const nonKey = NON_KEYS[e.key.toLowerCase()];
      if (!key) {
        const why = nonKey ? nonKey.why : `[${spec.name}] has no key "${e.key}" (${spec.keys.map((k) => k.name).join(', ')})`;
        problems.push({ section: si, entry: ei, severity: 'warning', message: `${why}; gcfg ignores it as extra data` });
        return;
      }
      const text = typeof e.value === 'boolean' ? String(e.value) : e.value;
      const shown = key.secret || e.secret ? 'the value' : goQuote(text);
      if (typeof e.value === 'boolean' && key.type !== 'bool' && key.name !== 'tls-insecure') {
        problems.push({ section: si, entry: ei, severity: 'error', message: `${key.name} is a ${key.type}, not a boolean` });
        return;
      }
      if (key.goType === '[]string') return;
      if (key.type === 'map') {
        problems.push({ section: si, entry: ei, severity: 'error', message: UNSETTABLE(key.name) });
        return;
      }
      const d = decodeValue(key.goType, false, text);
      if (!d.ok) {
        const hint = key.type === 'duration' && /^[+-]?[0-9.]+$/.test(text) ? ` (write a unit, e.g. ${text}s)` : '';
        const detail = key.secret || e.secret ? '' : `: ${d.error}`;
        problems.push({
          section: si,
          entry: ei,
          severity: 'error',
          message: `${key.name}: ${shown} is not a valid ${describe(key)}; OCCM/Cinder CSI would refuse the whole cloud.conf${hint}${detail}`,
        });
      } else if (key.name === 'tls-insecure' && text !== 'true' && text !== 'false') {
        problems.push({
          section: si,
          entry: ei,
          severity: 'warning',
          message: `tls-insecure is compared with exactly "true"; ${shown} keeps TLS verification on`,
        });
      }
    });
  });
  return problems;
}

/** Why a key bound to an untagged map field can never be written (LoadBalancerOpts.LBClasses). */
export const UNSETTABLE = (name: string): string =>
  `"${name}" names the untagged map field LoadBalancerOpts.LBClasses: gcfg cannot set it and OCCM refuses the whole cloud.conf; write [LoadBalancerClass "name"] sections instead`;

/** A human name for a key's type. */
export function describe(key: KeySpec): string {
  switch (key.goType) {
    case 'util.MyDuration':
      return 'duration (a number with a unit: ns, us, ms, s, m, h)';
    case 'bool':
      return 'boolean (true/yes/on/1 or false/no/off/0)';
    case 'uint':
      return 'non-negative integer';
    case 'int':
    case 'int64':
      return 'integer';
    case 'gophercloud.Availability':
      return 'single word (public, internal or admin)';
    case 'map[string]*openstack.LBClass':
      return 'map field';
    default:
      return key.type;
  }
}

/**
 * The bad-input corpus: fast-check descriptions of mutations of the example files (examples/ and the
 * clouds.yaml inside test/fixtures' identity secrets), and `materialize`, which turns one description
 * into files on disk and a CLI invocation. Mutation classes: nesting, types, encodings, tags, sizes,
 * quoting, YAML 1.1 traps, aliases and merges, structure, the cacert file, the environment and flags.
 * Every case plants secrets (password, application_credential_secret, token) whose marker must never
 * appear in a message. Used by the unit stage (fast invariants) and the conformance stage (oracles).
 */
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { load } from 'js-yaml';

const ROOT = path.join(__dirname, '..', '..');

// ---------------------------------------------------------------------------------------------
// A small YAML model we emit ourselves, so that quoting, tags, flow style and anchors are chosen per node.

export type Style = 'plain' | 'single' | 'double' | 'literal';
export type YModel =
  | { t: 'str'; v: string; style?: Style; tag?: string }
  | { t: 'raw'; text: string }
  | { t: 'map'; entries: [string, YModel][]; flow?: boolean; anchor?: string }
  | { t: 'seq'; items: YModel[]; flow?: boolean }
  | { t: 'alias'; name: string }
  /** Pre-formatted block lines (deep nesting), indented below the key. */
  | { t: 'lines'; lines: string[] };

function toModel(v: unknown): YModel {
  if (typeof v === 'string') return { t: 'str', v, style: 'double' };
  if (v === null || v === undefined) return { t: 'raw', text: '' };
  if (Array.isArray(v)) return { t: 'seq', items: v.map(toModel) };
  if (typeof v === 'object') return { t: 'map', entries: Object.entries(v as object).map(([k, x]) => [k, toModel(x)]) };
  return { t: 'raw', text: String(v) };
}

/**
 * YAML double-quoted scalar: JSON's escapes are YAML escapes; NEL, line/paragraph separators and what
 * YAML 1.1 readers refuse raw (DEL, C1, U+FFFE/U+FFFF) are escaped too.
 */
export function yamlQuoted(s: string): string {
  return JSON.stringify(s).replace(
    /[\u007f-\u009f\u2028\u2029\ufffe\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const PLAIN_SAFE = /^[A-Za-z0-9_./][A-Za-z0-9_./ :@+=-]*$/;

// Characters a single-quoted or literal scalar cannot carry (YAML 1.1 readers refuse them raw).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const RAW_UNSAFE = /[\n\r\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;
// eslint-disable-next-line no-control-regex -- as above, but a literal block may span lines
const BLOCK_UNSAFE = /[\r\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

function scalar(m: Extract<YModel, { t: 'str' }>, indent: string): string {
  const tag = m.tag ? `${m.tag} ` : '';
  const { v } = m;
  switch (m.style) {
    case 'plain':
      if (PLAIN_SAFE.test(v) && !/:( |$)|\s$/.test(v)) return tag + v;
      break;
    case 'single':
      if (!RAW_UNSAFE.test(v)) return `${tag}'${v.replace(/'/g, "''")}'`;
      break;
    case 'literal':
      if (/^[^\s#]/.test(v) && /[^\s]$/.test(v) && !BLOCK_UNSAFE.test(v))
        return `${tag}|-\n${v
          .split('\n')
          .map((l) => (l ? `${indent}  ${l}` : ''))
          .join('\n')}`;
      break;
  }
  return tag + yamlQuoted(v);
}

function flowText(m: YModel): string {
  switch (m.t) {
    case 'str':
      return m.style === 'literal' ? scalar({ ...m, style: 'double' }, '') : scalar(m, '');
    case 'raw':
      return m.text;
    case 'alias':
      return `*${m.name}`;
    case 'lines':
      return '[]';
    case 'seq':
      return `[${m.items.map(flowText).join(', ')}]`;
    case 'map':
      return `${m.anchor ? `&${m.anchor} ` : ''}{${m.entries.map(([k, v]) => `${keyText(k)}: ${flowText(v)}`).join(', ')}}`;
  }
}

function keyText(k: string): string {
  return PLAIN_SAFE.test(k) && !/[: ]/.test(k) ? k : yamlQuoted(k);
}

/** Block YAML for `m` as the value after `key:` at `indent` (returns the text after the colon). */
function blockValue(m: YModel, indent: string): string {
  if (m.t === 'map' && !m.flow && m.entries.length) {
    const inner = indent + '  ';
    return (m.anchor ? ` &${m.anchor}` : '') + m.entries.map(([k, v]) => `\n${inner}${keyText(k)}:${blockValue(v, inner)}`).join('');
  }
  if (m.t === 'seq' && !m.flow && m.items.length) {
    const inner = indent + '  ';
    return m.items
      .map((it) => {
        if (it.t === 'map' && !it.flow && it.entries.length) {
          const [[k0, v0], ...rest] = it.entries;
          const sub = inner + '  ';
          return `\n${inner}- ${keyText(k0)}:${blockValue(v0, sub)}${rest.map(([k, v]) => `\n${sub}${keyText(k)}:${blockValue(v, sub)}`).join('')}`;
        }
        return `\n${inner}-${blockValue(it, inner)}`;
      })
      .join('');
  }
  if (m.t === 'raw' && m.text === '') return '';
  if (m.t === 'lines') return m.lines.map((l) => `\n${indent}  ${l}`).join('');
  return ' ' + (m.t === 'str' ? scalar(m, indent) : flowText(m));
}

export function emit(root: YModel): string {
  if (root.t !== 'map' || root.flow) return flowText(root) + '\n';
  return root.entries.map(([k, v]) => `${keyText(k)}:${blockValue(v, '')}`).join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Seeds: the example files and the clouds.yaml held by the fixtures' identity secrets.

export interface Seed {
  readonly name: string;
  readonly clouds: unknown;
  readonly secure?: unknown;
}

function fixtureClouds(): Seed[] {
  const dir = path.join(ROOT, 'test', 'fixtures', 'secrets');
  const out: Seed[] = [];
  for (const f of fs.readdirSync(dir).sort()) {
    let doc: unknown;
    try {
      doc = load(fs.readFileSync(path.join(dir, f), 'utf8'));
    } catch {
      continue;
    }
    const o = doc as { data?: Record<string, string>; stringData?: Record<string, string> };
    const text =
      o?.stringData?.['clouds.yaml'] ??
      (o?.data?.['clouds.yaml'] ? Buffer.from(o.data['clouds.yaml'], 'base64').toString('utf8') : undefined);
    if (!text) continue;
    try {
      const clouds = load(text);
      if (clouds && typeof clouds === 'object' && 'clouds' in clouds) out.push({ name: `fixture:${f}`, clouds });
    } catch {
      // a template placeholder (${...}) is not YAML
    }
  }
  return out;
}

export const SEEDS: readonly Seed[] = [
  {
    name: 'examples',
    clouds: load(fs.readFileSync(path.join(ROOT, 'examples', 'clouds.yaml'), 'utf8')),
    secure: load(fs.readFileSync(path.join(ROOT, 'examples', 'secure.yaml'), 'utf8')),
  },
  ...fixtureClouds(),
];

// ---------------------------------------------------------------------------------------------
// Mutation descriptions (what fast-check generates and shrinks).

const HOSTILE = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      ' ',
      '"',
      "'",
      '\\',
      ';',
      '#',
      '=',
      '[',
      ']',
      ':',
      '{',
      '}',
      '\t',
      '\n',
      '%',
      '&',
      '*',
      '!',
      '|',
      '>',
      '-',
      ',',
      '?',
      '@',
      '`',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('\r', '\u0000', '\u0001', '\u001b', '\u007f', '\u0085', '\u2028', '\u202e', '\ufeff', '\ud800') },
  { weight: 4, arbitrary: fc.constantFrom('a', 'Z', '0', '9', 'ü', '€', '丁', '😀', '𝄞') },
);
const hostileString = fc.string({ unit: HOSTILE, maxLength: 12 });

const YAML11 = [
  '012345',
  'yes',
  'no',
  'on',
  'off',
  'y',
  'n',
  '0x1F',
  '1_000',
  '1e3',
  '1.5e3',
  '2024-01-01',
  '2001-12-14t21:59:43.10-05:00',
  '~',
  'null',
  '.inf',
  '.nan',
  '1:20',
  '0o17',
  '+12',
  '-0',
  '12.0',
  '0b101',
  '123456789',
  'true',
  'False',
  '4.1e-78',
  '0.1',
];
const TAGS = [
  '!!binary',
  '!!binary-bad',
  '!!str',
  '!!int',
  '!!float',
  '!!timestamp',
  '!!null',
  '!!bool',
  '!!set',
  '!custom',
  '!<tag:yaml.org,2002:str>',
];
const CACERTS = [
  'cert',
  'cert+key',
  'key',
  'crl',
  'garbage',
  'invalid-utf8',
  'empty',
  'big',
  'fifo',
  'dir',
  'devzero',
  'urandom',
  'inline',
  'missing',
] as const;

export const mutation = fc.oneof(
  fc.record({
    k: fc.constant('nest' as const),
    target: fc.nat(),
    shape: fc.constantFrom('[', '{', 'block', '-'),
    depth: fc.oneof(fc.integer({ min: 2, max: 20 }), fc.integer({ min: 120, max: 140 }), fc.constantFrom(500, 2000)),
  }),
  fc.record({
    k: fc.constant('type' as const),
    target: fc.nat(),
    to: fc.constantFrom('map', 'seq', 'int', 'bool', 'null', 'empty', 'float'),
  }),
  fc.record({ k: fc.constant('tag' as const), target: fc.nat(), tag: fc.constantFrom(...TAGS) }),
  fc.record({
    k: fc.constant('quote' as const),
    target: fc.nat(),
    style: fc.constantFrom('plain', 'single', 'double', 'literal'),
    content: fc.option(hostileString, { nil: undefined }),
  }),
  fc.record({ k: fc.constant('yaml11' as const), target: fc.nat(), raw: fc.constantFrom(...YAML11) }),
  fc.record({
    k: fc.constant('encoding' as const),
    target: fc.nat(),
    kind: fc.constantFrom('invalid-utf8', 'bom', 'crlf', 'utf16', 'nul', 'lone-surrogate', 'truncate'),
    at: fc.nat(),
  }),
  fc.record({
    k: fc.constant('size' as const),
    kind: fc.constantFrom('long-value', 'many-clouds', 'over-limit', 'huge-sparse', 'many-keys'),
    target: fc.nat(),
  }),
  fc.record({ k: fc.constant('alias' as const), kind: fc.constantFrom('merge-cloud', 'anchor-auth', 'bomb', 'self', 'merge-fan') }),
  fc.record({
    k: fc.constant('structure' as const),
    target: fc.nat(),
    kind: fc.constantFrom(
      'dup-key',
      'outside-auth',
      'dashed',
      'legacy',
      'drop-key',
      'empty-clouds',
      'clouds-scalar',
      'profile',
      'profile-missing',
      'regions',
      'flow',
      'not-clouds',
    ),
  }),
  fc.record({ k: fc.constant('cacert' as const), kind: fc.constantFrom(...CACERTS), verifyOff: fc.boolean() }),
  fc.record({
    k: fc.constant('file' as const),
    kind: fc.constantFrom('clouds-fifo', 'clouds-dir', 'clouds-devzero', 'secure-fifo', 'secure-devzero', 'secure-huge', 'public-urandom'),
  }),
  fc.record({
    k: fc.constant('env' as const),
    kind: fc.constantFrom(
      'os-cloud-newline',
      'os-cloud-control',
      'cloud-flag-weird',
      'lint',
      'secret',
      'lb-ovn',
      'lb-none',
      'ca-file-in-pod',
    ),
  }),
);
export type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

export interface CaseDescription {
  readonly seed: number;
  readonly secretDecor: string;
  readonly mutations: readonly Mutation[];
  readonly hex: string;
}

export const caseDescription: fc.Arbitrary<CaseDescription> = fc.record({
  seed: fc.nat({ max: SEEDS.length - 1 }),
  secretDecor: hostileString,
  mutations: fc.array(mutation, { minLength: 0, maxLength: 3 }),
  hex: fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 12, maxLength: 12 }),
});

// ---------------------------------------------------------------------------------------------
// Materializing a description: files (bytes or special files) and the CLI invocation.

export type FileSpec = { readonly bytes: Uint8Array } | { readonly special: 'fifo' | 'dir' | 'devzero' | 'urandom' | 'sparse' };

export interface CorpusCase {
  readonly files: Readonly<Record<string, FileSpec>>;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Planted secret values: their marker must never appear in stderr. */
  readonly markers: readonly string[];
  /** The planted values in full (what openstacksdk must read when the case converts). */
  readonly secrets: readonly string[];
  /** Mutation classes applied (for the figures). */
  readonly classes: readonly string[];
  /** The cloud the invocation converts (undefined: lint). */
  readonly cloud?: string;
  /** The command. */
  readonly command: 'cloud-conf' | 'lint' | 'secret';
}

const SECRET_KEYS = new Set(['password', 'application_credential_secret', 'token']);
const CERT = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUCorpusTestCertificate0=\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCcorpusKEY=\n-----END PRIVATE KEY-----\n';
const INVALID_MARK = '\u{10fff0}'; // a private-use code point replaced by raw bytes after emitting

interface Slot {
  readonly parent: YModel & { t: 'map' };
  readonly key: string;
}

/** Every entry of the model, depth first (the mutation targets). */
function slots(m: YModel, out: Slot[] = []): Slot[] {
  if (m.t === 'map')
    for (const [k, v] of m.entries) {
      out.push({ parent: m, key: k });
      slots(v, out);
    }
  if (m.t === 'seq') for (const it of m.items) slots(it, out);
  return out;
}

const get = (s: Slot) => s.parent.entries.find(([k]) => k === s.key)?.[1] as YModel;
const set = (s: Slot, v: YModel) => {
  const e = s.parent.entries.find(([k]) => k === s.key);
  if (e) e[1] = v;
};
const pick = <T>(list: readonly T[], n: number): T | undefined => (list.length ? list[n % list.length] : undefined);

/** `v` nested `depth` levels deep, as text (a model that deep would overflow the emitter's own recursion). */
function nest(v: YModel, shape: string, depth: number): YModel {
  const inner = flowText(v);
  if (shape === '[') return { t: 'raw', text: '['.repeat(depth) + inner + ']'.repeat(depth) };
  if (shape === '{') return { t: 'raw', text: '{a: '.repeat(depth) + inner + '}'.repeat(depth) };
  // Block shapes as lines: `- - - … x` on one line, block mappings with growing indentation.
  if (shape === '-') return { t: 'lines', lines: ['- '.repeat(depth) + inner] };
  const d = Math.min(depth, 500);
  return { t: 'lines', lines: [...Array.from({ length: d }, (_, i) => `${' '.repeat(i)}a:`), `${' '.repeat(d)}a: ${inner}`] };
}

function cloudsMap(root: YModel): (YModel & { t: 'map' }) | undefined {
  if (root.t !== 'map') return undefined;
  const c = root.entries.find(([k]) => k === 'clouds')?.[1];
  return c?.t === 'map' ? c : undefined;
}

export function materialize(d: CaseDescription): CorpusCase {
  const seed = SEEDS[d.seed % SEEDS.length];
  const clouds = toModel(JSON.parse(JSON.stringify(seed.clouds)));
  const secure = seed.secure === undefined ? undefined : toModel(JSON.parse(JSON.stringify(seed.secure)));
  const classes = new Set<string>();
  const markers: string[] = [];
  const secrets: string[] = [];
  // Plant secrets: every secret field gets a marker with hostile decoration.
  for (const root of [clouds, secure]) {
    if (!root) continue;
    for (const s of slots(root)) {
      const v = get(s);
      if (SECRET_KEYS.has(s.key) && v.t === 'str') {
        const marker = `plant${d.hex}${markers.length}`;
        markers.push(marker);
        const value = `${d.secretDecor}${marker}${d.secretDecor.split('').reverse().join('')}`;
        secrets.push(value);
        set(s, { t: 'str', v: value, style: 'double' });
      }
    }
  }
  const files: Record<string, FileSpec> = {};
  const env: Record<string, string> = {};
  let command: CorpusCase['command'] = 'cloud-conf';
  const flags: string[] = [];
  const cloudNames = () => (cloudsMap(clouds)?.entries ?? []).map(([k]) => k).filter((k) => k !== '<<');
  let cloud: string | undefined = pick(cloudNames(), d.seed);
  const byteOps: ((b: Buffer) => Buffer)[] = [];
  let big: 'over-limit' | 'huge-sparse' | undefined;
  let cacertAdded = false;
  type Special = Extract<FileSpec, { special: unknown }>['special'];
  /** clouds / secure / public file replaced by a special file. */
  const special: Record<string, Special> = {};

  for (const m of d.mutations) {
    classes.add('kind' in m ? `${m.k}:${m.kind}` : m.k);
    const roots = secure ? [clouds, secure] : [clouds];
    const all = roots.flatMap((r) => slots(r));
    const target = 'target' in m ? pick(all, m.target) : undefined;
    switch (m.k) {
      case 'nest':
        if (target) set(target, nest(get(target), m.shape, m.depth));
        break;
      case 'type':
        if (target) {
          const old = get(target);
          const inner = old.t === 'str' ? old.v : 'x';
          const to: Record<string, YModel> = {
            map: { t: 'map', entries: [[inner.length < 40 && !/[\n\r]/.test(inner) ? inner : 'k', { t: 'str', v: 'v' }]] },
            seq: { t: 'seq', items: [old] },
            int: { t: 'raw', text: '42' },
            bool: { t: 'raw', text: 'true' },
            null: { t: 'raw', text: 'null' },
            empty: { t: 'raw', text: '' },
            float: { t: 'raw', text: '1.5' },
          };
          set(target, to[m.to]);
        }
        break;
      case 'tag':
        if (target) {
          const old = get(target);
          const text = old.t === 'str' ? old.v : old.t === 'raw' ? old.text : 'x';
          if (m.tag === '!!binary') set(target, { t: 'raw', text: `!!binary ${Buffer.from(text, 'utf8').toString('base64')}` });
          else if (m.tag === '!!binary-bad')
            set(target, { t: 'raw', text: `!!binary ${Buffer.from([0xff, 0xfe, 0x41]).toString('base64')}` });
          else if (m.tag === '!!set') set(target, { t: 'raw', text: `!!set {${yamlQuoted(text)}}` });
          else set(target, { t: 'str', v: text, style: 'double', tag: m.tag });
        }
        break;
      case 'quote':
        if (target) {
          const old = get(target);
          const v = m.content ?? (old.t === 'str' ? old.v : old.t === 'raw' ? old.text : 'x');
          if (m.content !== undefined && SECRET_KEYS.has(target.key) && old.t === 'str') {
            // keep the planted marker inside a restyled secret
            set(target, { t: 'str', v: old.v + m.content, style: m.style });
            secrets[secrets.indexOf(old.v)] = old.v + m.content;
          } else set(target, { t: 'str', v, style: m.style });
        }
        break;
      case 'yaml11':
        if (target) set(target, { t: 'raw', text: m.raw });
        break;
      case 'encoding':
        if (m.kind === 'invalid-utf8' || m.kind === 'nul' || m.kind === 'lone-surrogate') {
          const strs = all.filter((s) => get(s).t === 'str');
          const t = pick(strs, m.target);
          if (t) {
            const old = get(t) as Extract<YModel, { t: 'str' }>;
            const insert = m.kind === 'invalid-utf8' ? INVALID_MARK : m.kind === 'nul' ? '\u0000' : '\ud800';
            const at = m.at % (old.v.length + 1);
            set(t, { ...old, v: old.v.slice(0, at) + insert + old.v.slice(at), style: m.kind === 'invalid-utf8' ? 'single' : 'double' });
          }
        } else if (m.kind === 'bom') byteOps.push((b) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]));
        else if (m.kind === 'crlf') byteOps.push((b) => Buffer.from(b.toString('latin1').replace(/\n/g, '\r\n'), 'latin1'));
        else if (m.kind === 'utf16')
          byteOps.push((b) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(b.toString('utf8'), 'utf16le')]));
        else if (m.kind === 'truncate') byteOps.push((b) => b.subarray(0, m.at % (b.length + 1)));
        break;
      case 'size': {
        const c = cloudsMap(clouds);
        if (m.kind === 'long-value' && target) set(target, { t: 'str', v: 'x'.repeat(m.target % 2 ? 10_000 : 1_000_000), style: 'double' });
        else if (m.kind === 'many-clouds' && c) {
          for (let i = 0; i < 2000; i++)
            c.entries.push([
              `gen-${i}`,
              {
                t: 'map',
                entries: [
                  ['auth', { t: 'map', entries: [['auth_url', { t: 'str', v: `https://k${i}/v3` }]] }],
                  ['region_name', { t: 'str', v: 'R' }],
                ],
              },
            ]);
        } else if (m.kind === 'many-keys' && c?.entries[0]?.[1].t === 'map') {
          const e = c.entries[0][1] as YModel & { t: 'map' };
          for (let i = 0; i < 5000; i++) e.entries.push([`extra_${i}`, { t: 'str', v: `v${i}` }]);
        } else big = m.kind === 'over-limit' || m.kind === 'huge-sparse' ? m.kind : big;
        break;
      }
      case 'alias': {
        const c = cloudsMap(clouds);
        const first = c?.entries[0];
        if (!c || !first || first[1].t !== 'map') break;
        if (m.kind === 'merge-cloud') {
          first[1].anchor = 'base';
          c.entries.push([
            'merged',
            {
              t: 'map',
              entries: [
                ['<<', { t: 'alias', name: 'base' }],
                ['region_name', { t: 'str', v: 'Merged' }],
              ],
            },
          ]);
        } else if (m.kind === 'anchor-auth') {
          const auth = first[1].entries.find(([k]) => k === 'auth')?.[1];
          if (auth?.t === 'map') {
            auth.anchor = 'auth';
            c.entries.push([
              'shared-auth',
              {
                t: 'map',
                entries: [
                  ['auth', { t: 'alias', name: 'auth' }],
                  ['region_name', { t: 'str', v: 'R2' }],
                ],
              },
            ]);
          }
        } else if (m.kind === 'bomb' || m.kind === 'merge-fan') {
          const defs: [string, YModel][] = [['l0', { t: 'map', entries: [['k', { t: 'str', v: 'v' }]], anchor: 'l0' }]];
          for (let i = 1; i < 12; i++) {
            const refs: YModel[] = Array.from({ length: 6 }, () => ({ t: 'alias', name: `l${i - 1}` }) as YModel);
            defs.push([
              `l${i}`,
              m.kind === 'bomb'
                ? { t: 'map', entries: refs.map((r, j) => [`k${j}`, r] as [string, YModel]), anchor: `l${i}` }
                : {
                    t: 'map',
                    entries: [
                      ['<<', { t: 'seq', items: refs, flow: true }],
                      [`k${i}`, { t: 'str', v: 'v' }],
                    ],
                    anchor: `l${i}`,
                  },
            ]);
          }
          if (clouds.t === 'map') clouds.entries.unshift(['defs', { t: 'map', entries: defs, flow: false }]);
          first[1].entries.push(['extra', { t: 'alias', name: 'l11' }]);
        } else if (m.kind === 'self') {
          first[1].entries.push(['loop', { t: 'raw', text: '&self [*self]' }]);
        }
        break;
      }
      case 'structure': {
        const c = cloudsMap(clouds);
        const entry = pick(c?.entries ?? [], m.target)?.[1];
        const auth = entry?.t === 'map' ? entry.entries.find(([k]) => k === 'auth')?.[1] : undefined;
        if (m.kind === 'dup-key' && entry?.t === 'map' && entry.entries.length)
          entry.entries.push([entry.entries[0][0], { t: 'str', v: 'dup' }]);
        else if (m.kind === 'outside-auth' && entry?.t === 'map' && auth?.t === 'map' && auth.entries.length) {
          const moved = auth.entries.splice(m.target % auth.entries.length, 1)[0];
          entry.entries.push(moved);
        } else if (m.kind === 'dashed' && auth?.t === 'map' && auth.entries.length) {
          const e = auth.entries[m.target % auth.entries.length];
          e[0] = e[0].replace(/_/g, '-');
        } else if (m.kind === 'legacy' && auth?.t === 'map') {
          const e = auth.entries.find(([k]) => k === 'project_name' || k === 'project_id');
          if (e) e[0] = e[0].replace('project', 'tenant');
          else auth.entries.push(['tenant_name', { t: 'str', v: 'legacy-project' }]);
        } else if (m.kind === 'drop-key' && target) target.parent.entries = target.parent.entries.filter(([k]) => k !== target.key);
        else if (m.kind === 'empty-clouds' && clouds.t === 'map')
          clouds.entries = [['clouds', { t: 'raw', text: m.target % 2 ? '' : '{}' }]];
        else if (m.kind === 'clouds-scalar' && clouds.t === 'map') clouds.entries = [['clouds', { t: 'str', v: 'not a mapping' }]];
        else if ((m.kind === 'profile' || m.kind === 'profile-missing') && entry?.t === 'map') {
          entry.entries.push(['profile', { t: 'str', v: 'vendor' }]);
          if (m.kind === 'profile')
            files['clouds-public.yaml'] = {
              bytes: Buffer.from(
                'public-clouds:\n  vendor:\n    auth:\n      auth_url: "https://vendor.example:5000/v3"\n    region_name: "VendorRegion"\n    interface: "internal"\n',
              ),
            };
        } else if (m.kind === 'regions' && entry?.t === 'map') {
          entry.entries = entry.entries.filter(([k]) => k !== 'region_name');
          entry.entries.push([
            'regions',
            {
              t: 'seq',
              items: [
                {
                  t: 'map',
                  entries: [
                    ['name', { t: 'str', v: 'R-list' }],
                    ['values', { t: 'map', entries: [['interface', { t: 'str', v: 'admin' }]] }],
                  ],
                },
                { t: 'str', v: 'R-two' },
              ],
            },
          ]);
        } else if (m.kind === 'flow' && entry?.t === 'map') entry.flow = true;
        else if (m.kind === 'not-clouds' && clouds.t === 'map')
          clouds.entries = [
            ['apiVersion', { t: 'str', v: 'v1' }],
            ['kind', { t: 'str', v: 'Secret' }],
          ];
        break;
      }
      case 'cacert': {
        const c = cloudsMap(clouds);
        const entry = pick(c?.entries ?? [], d.seed)?.[1];
        if (entry?.t !== 'map') break;
        cacertAdded = true;
        let ref = 'ca.pem';
        const put = (bytes: Uint8Array | string) => (files['ca.pem'] = { bytes: typeof bytes === 'string' ? Buffer.from(bytes) : bytes });
        switch (m.kind) {
          case 'cert':
            put(CERT);
            break;
          case 'cert+key':
            put(CERT + KEY);
            break;
          case 'key':
            put(KEY);
            break;
          case 'crl':
            put(CERT + '-----BEGIN X509 CRL-----\nMIIBcrl=\n-----END X509 CRL-----\n');
            break;
          case 'garbage':
            put('not a certificate\n');
            break;
          case 'invalid-utf8':
            put(Buffer.concat([Buffer.from(CERT.slice(0, 40)), Buffer.from([0xff]), Buffer.from(CERT.slice(40))]));
            break;
          case 'empty':
            put('');
            break;
          case 'big':
            put(CERT + '#'.repeat(1024 * 1024 + 10) + '\n');
            break;
          case 'inline':
            ref = CERT + KEY;
            break;
          case 'missing':
            ref = 'no-such-ca.pem';
            break;
          default:
            files['ca.pem'] = { special: m.kind };
        }
        entry.entries.push(['cacert', { t: 'str', v: ref, style: 'double' }]);
        if (m.verifyOff) entry.entries.push(['verify', { t: 'raw', text: 'false' }]);
        break;
      }
      case 'file':
        special[m.kind.split('-')[0]] = {
          'clouds-fifo': 'fifo',
          'clouds-dir': 'dir',
          'clouds-devzero': 'devzero',
          'secure-fifo': 'fifo',
          'secure-devzero': 'devzero',
          'secure-huge': 'sparse',
          'public-urandom': 'urandom',
        }[m.kind] as Special;
        break;
      case 'env':
        if (m.kind === 'os-cloud-newline') env.OS_CLOUD = `${cloud ?? 'x'}\nclouds.yaml:1:1: error CS000: forged`;
        else if (m.kind === 'os-cloud-control') env.OS_CLOUD = `\u001b[31m${cloud ?? 'x'}\u202e`;
        else if (m.kind === 'cloud-flag-weird') cloud = `we\nird\u0000${cloud ?? ''}`;
        else if (m.kind === 'lint') command = 'lint';
        else if (m.kind === 'secret') command = 'secret';
        else if (m.kind === 'lb-ovn') flags.push('--lb', 'ovn');
        else if (m.kind === 'lb-none') flags.push('--lb', 'none');
        else flags.push('--ca-file-in-pod', '/etc/ca\n"x"');
        break;
    }
  }
  if (cacertAdded && command === 'cloud-conf') flags.push('--cacert-out', 'shipped.pem');

  const mark = Buffer.from(INVALID_MARK, 'utf8');
  /** The emitted YAML as UTF-8, with raw invalid bytes (`C3 28 FF`) where the invalid-UTF-8 mark is. */
  const toBytes = (root: YModel): Buffer => {
    let b = Buffer.from(emit(root), 'utf8');
    const parts: Buffer[] = [];
    for (let i = b.indexOf(mark); i >= 0; i = b.indexOf(mark)) {
      parts.push(b.subarray(0, i), Buffer.from([0xc3, 0x28, 0xff]));
      b = b.subarray(i + mark.length);
    }
    parts.push(b);
    return Buffer.concat(parts);
  };
  let cloudsBytes = toBytes(clouds);
  for (const op of byteOps) cloudsBytes = op(cloudsBytes);
  if (big === 'over-limit') cloudsBytes = Buffer.concat([cloudsBytes, Buffer.from('#'.repeat(8 * 1024 * 1024 + 1) + '\n')]);
  files['clouds.yaml'] = special.clouds
    ? { special: special.clouds }
    : big === 'huge-sparse'
      ? { special: 'sparse' }
      : { bytes: cloudsBytes };
  if (special.secure) files['secure.yaml'] = { special: special.secure };
  else if (secure) files['secure.yaml'] = { bytes: toBytes(secure) };
  if (special.public) files['clouds-public.yaml'] = { special: special.public };
  if (!classes.size) classes.add('unmutated');

  const args =
    command === 'lint'
      ? ['lint', 'clouds.yaml']
      : [
          command,
          ...(cloud !== undefined && !env.OS_CLOUD ? ['--cloud', cloud] : []),
          ...(command === 'cloud-conf' ? flags : []),
          'clouds.yaml',
        ];
  return {
    files,
    args,
    env,
    markers,
    secrets,
    classes: [...classes],
    command,
    ...(command === 'lint' ? {} : { cloud: env.OS_CLOUD ?? cloud }),
  };
}

/** Writes a case's files into `dir` (created empty). */
export function writeCase(c: CorpusCase, dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, spec] of Object.entries(c.files)) {
    const p = path.join(dir, name);
    if ('bytes' in spec) fs.writeFileSync(p, spec.bytes);
    else if (spec.special === 'dir') fs.mkdirSync(p);
    else if (spec.special === 'devzero') fs.symlinkSync('/dev/zero', p);
    else if (spec.special === 'urandom') fs.symlinkSync('/dev/urandom', p);
    else if (spec.special === 'sparse') {
      const fd = fs.openSync(p, 'w');
      fs.ftruncateSync(fd, 60 * 1024 * 1024);
      fs.closeSync(fd);
    } else {
      // a named pipe nobody writes to: a reader that waits on it hangs
      execFileSync('mkfifo', [p]);
    }
  }
}

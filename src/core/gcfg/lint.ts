/**
 * Lints a cloud.conf the way gcfg (and then OCCM / Cinder CSI) reads it. Every finding has a
 * precise range; messages never contain the value of a secret key (password, secrets, token).
 *
 * | code  | severity        | finding                                                                                  |
 * |-------|-----------------|------------------------------------------------------------------------------------------|
 * | CC001 | error           | gcfg syntax error (fatal: OCCM and Cinder CSI refuse the whole file), gcfg's own message |
 * | CC002 | error           | file starts with a UTF-8 byte-order mark (gcfg.ReadInto rejects it); fix removes it      |
 * | CC003 | warning         | carriage returns (CRLF): gcfg strips CR everywhere, even inside quotes; fix removes them  |
 * | CC010 | warning / info  | unquoted value cut at `;` or `#` (the rest is a comment); fix quotes the whole remainder |
 * | CC011 | warning         | quotes inside an unquoted value are removed by gcfg (`a"b"c` is read as `abc`)           |
 * | CC012 | info            | value continued on the next line with `\` (the newline is dropped)                        |
 * | CC020 | warning         | unknown section: ignored by OCCM and Cinder CSI as extra data                             |
 * | CC021 | warning         | unknown key: ignored by OCCM/Cinder CSI as extra data (fix when the intended key is clear) |
 * | CC022 | warning         | `project-id` / `use-octavia` (written by csp-helper) are not keys; fix removes the line    |
 * | CC023 | warning         | `[Global "name"]`: only Cinder CSI reads it, OCCM ignores the whole section                |
 * | CC024 | warning         | subsection on a section that takes none (ignored), or `[LoadBalancerClass]` without name   |
 * | CC030 | error           | value gcfg cannot parse for the key's type (bool, integer, duration, single word): fatal  |
 * | CC031 | error           | key without `=` (blank value) for a non-boolean key: fatal                                |
 * | CC032 | warning         | `tls-insecure` not exactly `true`/`false` (OCCM compares with "true" only)                |
 * | CC033 | warning         | key set more than once: gcfg keeps the last value                                        |
 * | CC040 | warning         | both an application credential and username/password are set in one [Global]            |
 * | CC041 | warning / info  | `[Global]` has no `auth-url` (info when `use-clouds` may supply it, or no [Global] at all) |
 * | CC042 | warning / info  | `[Global]` has no `region` (info when `use-clouds` may supply it)                         |
 * | CC043 | warning         | `os-endpoint-type` is not public, internal or admin                                      |
 * | CC050 | error           | `[Metadata] search-order` that OCCM refuses at start (not a gcfg error)                  |
 */
import { encodeValue, unrepresentable } from './encode';
import type { Finding, Fix, Range, Severity } from '../findings';
import { parseGcfg, type GcfgDocument, type GcfgHeader, type GcfgVariable } from './parse';
import { decodeValue } from './goValues';
import { describe, findKey, findSection, NON_KEYS, SECTIONS, UNSETTABLE, type KeySpec, type SectionSpec } from './keys';

/** Codes whose error findings mean gcfg itself refuses the file (the others are consumer checks). */
export const GCFG_FATAL_CODES: ReadonlySet<string> = new Set(['CC001', 'CC002', 'CC030', 'CC031']);

const UNKNOWN_KEY_HINTS: Readonly<Record<string, string>> = {
  'project-name': 'tenant-name',
  'project-domain-name': 'tenant-domain-name',
  'project-domain-id': 'tenant-domain-id',
  'user-name': 'username',
  'region-name': 'region',
  'auth-type': '',
  insecure: 'tls-insecure',
  cacert: 'ca-file',
  interface: 'os-endpoint-type',
  'endpoint-type': 'os-endpoint-type',
};

const SEARCH_ORDER_IDS = ['configDrive', 'metadataService'];
const AVAILABILITY = ['public', 'internal', 'admin'];

export function lintCloudConf(text: string | Uint8Array): Finding[] {
  const doc = parseGcfg(text);
  const findings: Finding[] = [];
  const add = (code: string, severity: Severity, range: Range, message: string, fixes?: Fix[]): void => {
    findings.push({ code, severity, range, message, ...(fixes?.length ? { fixes } : {}) });
  };

  syntax(doc, add);
  carriageReturns(doc, add);
  for (const h of doc.headers) headerFindings(h, add);
  for (const v of doc.variables) valueFindings(doc, v, add);
  globalFindings(doc, add);
  repeated(doc, add);
  return findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

type Add = (code: string, severity: Severity, range: Range, message: string, fixes?: Fix[]) => void;

function syntax(doc: GcfgDocument, add: Add): void {
  const e = doc.error;
  if (!e) return;
  if (
    doc.source.bytes[0] === 0xef &&
    doc.source.bytes[1] === 0xbb &&
    doc.source.bytes[2] === 0xbf &&
    e.range.start.line === 0 &&
    e.range.start.character === 0
  ) {
    const range = doc.source.range(0, 3);
    add(
      'CC002',
      'error',
      range,
      'the file starts with a byte-order mark (U+FEFF); OCCM and Cinder CSI read cloud.conf with gcfg.ReadInto, which rejects it: "illegal character U+FEFF"',
      [{ title: 'Remove the byte-order mark', edits: [{ range, newText: '' }] }],
    );
    return;
  }
  add('CC001', 'error', e.range, `gcfg: ${e.message}; OCCM and Cinder CSI refuse the whole file (nothing after this point is read)`);
}

function carriageReturns(doc: GcfgDocument, add: Add): void {
  const b = doc.source.bytes;
  const edits = [];
  for (let i = 0; i < b.length; i++) if (b[i] === 0x0d) edits.push({ range: doc.source.range(i, i + 1), newText: '' });
  if (!edits.length) return;
  add(
    'CC003',
    'warning',
    edits[0].range,
    `the file has ${edits.length} carriage return(s) (CRLF line endings); gcfg strips CR everywhere, even inside quoted values`,
    [{ title: 'Convert to LF line endings', edits }],
  );
}

function headerFindings(h: GcfgHeader, add: Add): void {
  const spec = findSection(h.name);
  if (!spec) {
    add(
      'CC020',
      'warning',
      h.nameRange,
      `unknown section [${h.name}]: ignored by OCCM and Cinder CSI as extra data (sections: ${SECTIONS.map((s) => s.name).join(', ')})`,
    );
    return;
  }
  const readsSub = Object.values(spec.consumers).includes('map');
  if (h.subsection !== undefined && spec.name === 'Global') {
    add(
      'CC023',
      'warning',
      h.range,
      `[Global "${h.subsection}"] is read by Cinder CSI only (one entry per cloud); OCCM ignores this whole section as extra data`,
    );
  } else if (h.subsection !== undefined && !readsSub) {
    add(
      'CC024',
      'warning',
      h.subsectionRange ?? h.range,
      `[${spec.name}] takes no subsection: gcfg ignores this whole section as extra data`,
    );
  } else if (h.subsection === undefined && spec.name === 'LoadBalancerClass') {
    add('CC024', 'warning', h.range, 'LoadBalancerClass needs a class name: [LoadBalancerClass "name"]');
  }
}

/** The spec of the key a variable binds to, and whether some consumer reads its section as written. */
function bind(v: GcfgVariable): { section?: SectionSpec; key?: KeySpec } {
  const section = findSection(v.header.name);
  if (!section) return {};
  const readsSub = Object.values(section.consumers).includes('map');
  if (v.header.subsection !== undefined && !readsSub) return {};
  return { section, key: findKey(section, v.name) };
}

function valueFindings(doc: GcfgDocument, v: GcfgVariable, add: Add): void {
  const { section, key } = bind(v);
  const isSecret = key?.secret ?? /password|secret|token/i.test(v.name);
  if (section && !key) unknownKey(doc, v, section, add);

  if (v.commentRange && !v.quoted) truncated(doc, v, isSecret, add);
  else if (v.quoted && !/^"([^"\\]|\\.)*"$/su.test(v.raw)) {
    add(
      'CC011',
      'warning',
      v.valueRange,
      `"${v.name}": gcfg removes the double quotes inside this value${isSecret ? '' : ` and reads ${JSON.stringify(v.value)}`}; quote the whole value and escape inner quotes as \\"`,
      fixQuoted(v),
    );
  } else if (!v.quoted && /\\"/.test(v.raw)) {
    add(
      'CC011',
      'warning',
      v.valueRange,
      `"${v.name}": \\" outside quotes is read as a plain "; quote the whole value to make this explicit`,
      fixQuoted(v),
    );
  }
  if (v.continued)
    add('CC012', 'info', v.valueRange, `"${v.name}" continues on the next line (\\ + newline); gcfg joins the lines without the newline`);
  if (!key) return;

  if (key.type === 'map') {
    add('CC030', 'error', v.blank ? v.nameRange : v.valueRange, UNSETTABLE(v.name));
    return;
  }
  if (v.blank && key.goType !== 'bool' && key.goType !== '[]string') {
    add(
      'CC031',
      'error',
      v.nameRange,
      `"${v.name}" has no "=": gcfg refuses a blank value for a ${key.type} key ("blank value not supported for type"), so OCCM/Cinder CSI refuse the whole file`,
    );
    return;
  }
  if (key.goType !== '[]string' && !v.blank) {
    const d = decodeValue(key.goType, false, v.value);
    if (!d.ok) {
      const fixes: Fix[] = [];
      if (key.goType === 'util.MyDuration' && /^[0-9]+(\.[0-9]+)?$/.test(v.value.trim())) {
        fixes.push({ title: `Write ${v.value.trim()}s (seconds)`, edits: [{ range: v.valueRange, newText: `${v.value.trim()}s` }] });
      }
      const detail = isSecret ? '' : ` (${d.error})`;
      add(
        'CC030',
        'error',
        v.valueRange,
        `"${v.name}" must be a ${describe(key)}; gcfg cannot parse this value${detail}, so OCCM/Cinder CSI refuse the whole file`,
        fixes,
      );
      return;
    }
  }
  if (key.name === 'tls-insecure' && v.value !== 'true' && v.value !== 'false') {
    const meant = decodeValue('bool', v.blank, v.value);
    const fixes: Fix[] = meant.ok
      ? [
          {
            title: `Write ${String(meant.value)}`,
            edits: [{ range: v.blank ? v.nameRange : v.valueRange, newText: v.blank ? `${v.name}=true` : String(meant.value) }],
          },
        ]
      : [];
    add(
      'CC032',
      'warning',
      v.blank ? v.nameRange : v.valueRange,
      `tls-insecure is a string OCCM compares with exactly "true": this value keeps TLS verification on${meant.ok && meant.value === true ? ' (write true to skip verification)' : ''}`,
      fixes,
    );
  }
  if (key.name === 'os-endpoint-type' && !AVAILABILITY.includes(v.value.trim())) {
    add(
      'CC043',
      'warning',
      v.valueRange,
      `os-endpoint-type should be public, internal or admin; other values find no endpoints in the catalog`,
    );
  }
  if (key.name === 'search-order' && section?.name === 'Metadata') searchOrder(v, add);
}

function unknownKey(doc: GcfgDocument, v: GcfgVariable, section: SectionSpec, add: Add): void {
  const lower = v.name.toLowerCase();
  const nonKey = NON_KEYS[lower];
  if (nonKey && nonKey.section === section.name) {
    const fixes: Fix[] = [{ title: `Remove ${v.name}`, edits: [{ range: lineRange(doc, v), newText: '' }] }];
    const hasInstead = nonKey.instead && doc.variables.some((o) => o.header === v.header && o.name.toLowerCase() === nonKey.instead);
    if (nonKey.instead && !hasInstead)
      fixes.unshift({ title: `Rename to ${nonKey.instead}`, edits: [{ range: v.nameRange, newText: nonKey.instead }] });
    add('CC022', 'warning', v.nameRange, `${nonKey.why}; "${v.name}" is ignored as extra data`, fixes);
    return;
  }
  const hint = UNKNOWN_KEY_HINTS[lower];
  const fixes: Fix[] = hint ? [{ title: `Rename to ${hint}`, edits: [{ range: v.nameRange, newText: hint }] }] : [];
  const readers = Object.keys(section.consumers)
    .map((c) => (c === 'occm' ? 'OCCM' : 'Cinder CSI'))
    .join(' and ');
  add(
    'CC021',
    'warning',
    v.nameRange,
    `unknown key "${v.name}" in [${section.name}]: ignored by ${readers} as extra data${hint ? ` (did you mean ${hint}?)` : ''}`,
    fixes,
  );
}

function truncated(doc: GcfgDocument, v: GcfgVariable, isSecret: boolean, add: Add): void {
  const comment = v.commentRange;
  if (!comment) return;
  const lines = doc.source.lines;
  const rest = doc.source.text.slice(
    lines.lineStart(comment.start.line) + comment.start.character,
    lines.lineStart(comment.end.line) + comment.end.character,
  );
  const gap = comment.start.character - v.valueRange.end.character;
  const intended = (v.raw + ' '.repeat(gap) + rest).replace(/[ \t]+$/, '');
  const direct = gap === 0;
  const fixes: Fix[] = [];
  if (!/["\\]/.test(intended) && !unrepresentable(intended)) {
    fixes.push({
      title: 'Quote the whole value (keep the rest of the line)',
      edits: [{ range: { start: v.valueRange.start, end: comment.end }, newText: encodeValue(v.name, intended) }],
    });
  }
  const marker = rest[0];
  const shown = isSecret ? '' : `: gcfg reads ${JSON.stringify(v.value)}`;
  add(
    'CC010',
    direct || isSecret ? 'warning' : 'info',
    { start: v.valueRange.start, end: comment.end },
    `"${v.name}" is cut at "${marker}"${shown} and the rest of the line is a comment; quote the value if "${marker}" belongs to it`,
    fixes,
  );
}

function fixQuoted(v: GcfgVariable): Fix[] {
  if (unrepresentable(v.value)) return [];
  return [{ title: 'Quote the value gcfg reads', edits: [{ range: v.valueRange, newText: encodeValue(v.name, v.value) }] }];
}

function searchOrder(v: GcfgVariable, add: Add): void {
  if (v.value === '') return; // OCCM substitutes its default
  const parts = v.value.split(',');
  let problem: string | undefined;
  if (parts.length > 2) problem = 'cannot contain more than 2 elements';
  else {
    const bad = parts.map((p) => p.trim()).find((p) => !SEARCH_ORDER_IDS.includes(p));
    if (bad !== undefined) problem = `element ${JSON.stringify(bad)} is not supported (use ${SEARCH_ORDER_IDS.join(' and/or ')})`;
  }
  if (problem) add('CC050', 'error', v.valueRange, `[Metadata] search-order ${problem}; OCCM refuses to start`);
}

function globalFindings(doc: GcfgDocument, add: Add): void {
  // OCCM's [Global] (no subsection) and each of Cinder CSI's [Global "name"] sections.
  const groups = new Map<string, GcfgVariable[]>();
  const headers = new Map<string, GcfgHeader>();
  for (const h of doc.headers) {
    if (findSection(h.name)?.name !== 'Global') continue;
    const id = h.subsection ?? '';
    if (!headers.has(id)) headers.set(id, h);
    if (!groups.has(id)) groups.set(id, []);
  }
  for (const v of doc.variables) {
    if (findSection(v.header.name)?.name === 'Global') groups.get(v.header.subsection ?? '')?.push(v);
  }
  if (doc.error) return; // the rest of the file is unknown
  if (!headers.size) {
    const start = doc.source.position(0);
    add(
      'CC041',
      'info',
      { start, end: start },
      'no [Global] section: OCCM and Cinder CSI find no auth-url, region or credentials in this file',
    );
    return;
  }
  for (const [id, vars] of groups) {
    const header = headers.get(id);
    if (!header) continue;
    const global = findSection('Global');
    const set = new Map<string, GcfgVariable>();
    for (const v of vars) {
      const key = global && findKey(global, v.name);
      if (key && (v.blank || v.value !== '')) set.set(key.name, v);
    }
    const useClouds = set.get('use-clouds');
    const fromClouds = useClouds ? decodeValue('bool', useClouds.blank, useClouds.value) : undefined;
    const soft: Severity = fromClouds?.ok && fromClouds.value === true ? 'info' : 'warning';
    const where = id === '' ? '[Global]' : `[Global "${id}"]`;
    const viaClouds = soft === 'info' ? ' (use-clouds may fill it from clouds.yaml)' : '';
    if (!set.has('auth-url'))
      add('CC041', soft, header.range, `${where} has no auth-url: OCCM and Cinder CSI cannot authenticate${viaClouds}`);
    if (!set.has('region')) add('CC042', soft, header.range, `${where} has no region: it is required by OCCM${viaClouds}`);
    const appCred = set.get('application-credential-id') ?? set.get('application-credential-name');
    if (appCred && set.has('password')) {
      add(
        'CC040',
        'warning',
        appCred.nameRange,
        `${where} sets both an application credential and a password: gophercloud authenticates with the application credential and ignores the password; remove one`,
      );
    }
  }
}

function repeated(doc: GcfgDocument, add: Add): void {
  const seen = new Map<string, GcfgVariable>();
  for (const v of doc.variables) {
    const { section, key } = bind(v);
    if (!section || !key || key.goType === '[]string') continue;
    const id = `${section.name}\u0000${v.header.subsection ?? ''}\u0000${key.name}`;
    const first = seen.get(id);
    if (first)
      add(
        'CC033',
        'warning',
        v.nameRange,
        `"${v.name}" is set again (first on line ${first.nameRange.start.line + 1}); gcfg keeps the last value`,
      );
    seen.set(id, v);
  }
}

/** The whole line of a variable including its newline, for removal fixes. */
function lineRange(doc: GcfgDocument, v: GcfgVariable): Range {
  const line = v.nameRange.start.line;
  const end = doc.source.lines.position(doc.source.text.length);
  return { start: { line, character: 0 }, end: line < end.line ? { line: line + 1, character: 0 } : end };
}

/**
 * Resolves one cloud the way openstacksdk's `OpenStackConfig.get_one` does (domain.md §6), keeping
 * provenance, and reports every place where the Go readers (gophercloud: CAPO, CSPO, OCCM
 * `use-clouds`) would read the same files differently. Policy: docs/conformance-policy.md.
 */
import type { Finding } from '../findings';
import { getPair, parseYaml, type YamlDocument, type YMap, type YNode } from '../yaml/parse';
import type { CloudsInput, SourceFile } from './api';
import { CODES } from './codes';
import { fix, insertKeyEdit, moveIntoEdits, quoted, removePairEdit, replaceEdit } from './edits';
import {
  asMap,
  authUpdate,
  copyMap,
  deepMerge,
  ExpansionLimit,
  isEmpty,
  keyRangeOf,
  present,
  newBudget,
  rangeOf,
  textOf,
  toP,
  yaml11Bool,
  type Located,
  type PMap,
  type PValue,
} from './pvalue';

export interface ParsedFile {
  readonly source: SourceFile;
  readonly doc: YamlDocument;
  /** The `clouds:` (or `public-clouds:`) mapping. */
  readonly clouds?: YMap;
  readonly findings: Located[];
}

export interface ParsedInput {
  readonly clouds: ParsedFile;
  readonly secure?: ParsedFile;
  readonly public?: ParsedFile;
}

/**
 * The last parse of each input object. Converting several clouds of one input (the conversion
 * benchmark, a push of several clouds) called convertCloud once per cloud, and each call parsed the
 * whole clouds.yaml again: for a 200-cloud file that parse was ~93 % of the time of a conversion
 * (node --cpu-prof of bench/convert.ts). Reused only for the same files with the same texts (the
 * sources are compared by identity and text, so a changed input parses afresh); weak, so nothing
 * outlives the caller's input. A ParsedInput is not changed after this function returns: conversions
 * copy its findings before adding their own.
 */
const parses = new WeakMap<
  CloudsInput,
  { readonly sources: readonly (SourceFile | undefined)[]; readonly texts: readonly (string | undefined)[]; readonly parsed: ParsedInput }
>();

export function parseInput(input: CloudsInput): ParsedInput {
  const sources = [input.clouds, input.secure, input.public];
  const texts = sources.map((f) => f?.text);
  const last = parses.get(input);
  if (last && last.sources.every((f, i) => f === sources[i]) && last.texts.every((t, i) => t === texts[i])) return last.parsed;
  const parsed = parseAll(input);
  parses.set(input, { sources, texts, parsed });
  return parsed;
}

function parseAll(input: CloudsInput): ParsedInput {
  const secure = input.secure ? parseFile(input.secure, 'clouds', false) : undefined;
  const clouds = parseCloudsFile(input.clouds, secure);
  return {
    clouds,
    ...(secure ? { secure } : {}),
    ...(input.public ? { public: parseFile(input.public, 'public-clouds', false) } : {}),
  };
}

/** A clouds.yaml as parseInput reads it, with the findings of merging `secure` (secure.yaml, parsed) over it. */
export function parseCloudsFile(source: SourceFile, secure: ParsedFile | undefined): ParsedFile {
  const clouds = parseFile(source, 'clouds', true);
  if (secure) clouds.findings.push(...mergeConflicts(clouds, secure));
  return clouds;
}

/**
 * Where openstacksdk cannot merge secure.yaml over clouds.yaml: its merge_clouds (python3-openstacksdk
 * 0.101.0 openstack/config/_util.py:34) recurses into a mapping of secure.yaml only by calling `.copy()`
 * on what clouds.yaml has there, so an empty value, a scalar or a list under the same key makes loading
 * fail — for every cloud of the file, since it merges them all when it starts. Errors at the clouds.yaml value.
 */
function mergeConflicts(clouds: ParsedFile, secure: ParsedFile): Located[] {
  if (!clouds.clouds || !secure.clouds) return [];
  const budget = newBudget();
  let pending: [PMap, PMap][];
  try {
    const a = toP(clouds.clouds, clouds.doc, clouds.source.path, undefined, budget);
    const b = toP(secure.clouds, secure.doc, secure.source.path, undefined, budget);
    if (a?.kind !== 'map' || b?.kind !== 'map') return [];
    pending = [[a, b]];
  } catch (e) {
    if (e instanceof ExpansionLimit) return []; // reported per cloud by the conversion
    throw e;
  }
  const out: Located[] = [];
  while (pending.length) {
    const [a, b] = pending.pop() as [PMap, PMap];
    for (const [k, v] of b.entries) {
      const old = a.entries.get(k);
      if (v.kind !== 'map' || !old) continue;
      if (old.kind === 'map') pending.push([old, v]);
      else
        out.push(
          finding(
            old,
            CODES.shape,
            'error',
            `\`${k}\` must be a mapping here, because secure.yaml (${secure.source.path}) has settings under it: openstacksdk cannot merge them into ${isEmpty(old) ? 'an empty value' : 'this value'} and fails to load the file.`,
          ),
        );
    }
  }
  return out;
}

function parseFile(source: SourceFile, topKey: string, required: boolean): ParsedFile {
  if (source.refused) return { source, doc: parseYaml(''), findings: [{ file: source.path, finding: source.refused }] };
  const doc = parseYaml(source.text);
  const findings: Located[] = doc.findings.map((finding) => ({ file: source.path, finding }));
  if (doc.findings.length) return { source, doc, findings };
  const root = doc.root;
  const shape = (message: string): ParsedFile => ({
    source,
    doc,
    findings: [
      { file: source.path, finding: { code: CODES.shape, severity: 'error', range: root ? root.range : doc.lines.range(0, 0), message } },
    ],
  });
  if (!root || (root.kind === 'scalar' && root.value === null)) {
    return required ? shape(`The file has no \`${topKey}:\` mapping.`) : { source, doc, findings };
  }
  if (root.kind !== 'map') return shape(`The file must be a mapping with a \`${topKey}:\` key.`);
  const pair = getPair(root, topKey);
  if (!pair) return required ? shape(`The file has no \`${topKey}:\` mapping.`) : { source, doc, findings };
  const value = pair.value?.kind === 'alias' ? pair.value.target : pair.value;
  // No cloud at all: the commands cannot convert anything, so the file's own findings say so too.
  const empty =
    !value || (value.kind === 'scalar' && value.value === null) || (value.kind === 'map' && !value.pairs.some((p) => p.keyText !== '<<'));
  if (empty && required)
    return {
      source,
      doc,
      findings: [
        {
          file: source.path,
          finding: { code: CODES.shape, severity: 'error', range: pair.key.range, message: `\`${topKey}:\` defines no cloud; add one.` },
        },
      ],
    };
  if (!value || value.kind !== 'map') {
    const message =
      value?.kind === 'scalar' && value.value === null
        ? `\`${topKey}:\` has no value: openstacksdk fails to read the file (it merges it over clouds.yaml). Remove the key or give it clouds.`
        : `\`${topKey}:\` must be a mapping of cloud names to settings.`;
    return {
      source,
      doc,
      findings: [{ file: source.path, finding: { code: CODES.shape, severity: 'error', range: pair.key.range, message } }],
    };
  }
  return { source, doc, clouds: value, findings };
}

/** Keys of keystoneauth's identity plugins that openstacksdk moves into `auth` from the cloud's top level. */
const AUTH_KEYS = new Set([
  'auth_url',
  'username',
  'user_id',
  'password',
  'user_domain_id',
  'user_domain_name',
  'project_id',
  'project_name',
  'project_domain_id',
  'project_domain_name',
  'domain_id',
  'domain_name',
  'trust_id',
  'system_scope',
  'token',
  'application_credential_id',
  'application_credential_name',
  'application_credential_secret',
  'default_domain_id',
  'default_domain_name',
]);

/** Settings of a cloud entry that hold text (YAML 1.1 hazards matter for these). */
export const TEXT_KEYS = new Set([
  ...AUTH_KEYS,
  'region_name',
  'auth_type',
  'interface',
  'endpoint_type',
  'cacert',
  'cert',
  'key',
  'profile',
  'cloud',
  'default_domain',
  'name',
]);

/** openstacksdk `_fix_backwards_project`: target ← spellings (later ones win; in each, `auth` beats top level). */
const LEGACY: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['project_id', ['tenant_id', 'project_id']],
  ['project_name', ['tenant_name', 'project_name']],
  ['token', ['auth_token', 'token']],
];

export interface RegionChoice {
  readonly name: string;
  /** Where the region came from, for messages. */
  readonly at?: PValue;
}

export interface ResolvedCloud {
  readonly name: string;
  /** The cloud's entry in clouds.yaml (for fixes). */
  readonly entry: PMap;
  /** The entries read from each file: clouds.yaml, secure.yaml, clouds-public.yaml profile. */
  readonly sources: readonly PMap[];
  /** Top-level settings after profile, secure.yaml, region values and openstacksdk's fixes; keys with `_`. */
  readonly top: ReadonlyMap<string, PValue>;
  /** The `auth` settings, resolved the same way. */
  readonly auth: ReadonlyMap<string, PValue>;
  readonly authType: string;
  readonly authTypeAt?: PValue;
  readonly authTypeInferred: boolean;
  readonly region?: RegionChoice;
  /** `auth_url` after openstacksdk's `{placeholder}` formatting. */
  readonly authUrl?: string;
  /** Top-level settings the converter writes (`interface`) as openstacksdk's str.format leaves them, where that differs. */
  readonly formatted: ReadonlyMap<string, string>;
  readonly insecure: boolean;
  readonly findings: Located[];
}

function finding(v: PValue, code: string, severity: Finding['severity'], message: string, fixes?: Finding['fixes'], onKey = true): Located {
  return {
    file: v.origin.file,
    finding: { code, severity, range: onKey ? keyRangeOf(v) : rangeOf(v), message, ...(fixes ? { fixes } : {}) },
  };
}

/** The YAML mapping node of a PMap, when it is a mapping written in a file. */
function mapNode(m: PMap | undefined): YMap | undefined {
  const n = m?.origin.node;
  return n?.kind === 'map' ? n : undefined;
}

/** Resolves cloud `name`; undefined when clouds.yaml has no such cloud (or it is not a mapping). Throws ExpansionLimit on an alias bomb. */
export function resolveCloud(parsed: ParsedInput, name: string): ResolvedCloud | undefined {
  const findings: Located[] = [];
  const { clouds } = parsed;
  const pair = clouds.clouds && getPair(clouds.clouds, name);
  if (!pair) return undefined;
  const budget = newBudget();
  const entry = asMap(toP(pair.value, clouds.doc, clouds.source.path, pair.key, budget));
  if (!entry) return undefined;
  const sp = parsed.secure?.clouds && getPair(parsed.secure.clouds, name);
  const secureEntry = sp && parsed.secure ? asMap(toP(sp.value, parsed.secure.doc, parsed.secure.source.path, sp.key, budget)) : undefined;
  // openstacksdk merges secure.yaml over clouds.yaml value by value (openstack/config/_util.py merge_clouds):
  // a cloud there that is not a mapping replaces the whole cloud, and loading it fails.
  if (sp && parsed.secure && !secureEntry) findings.push(notAMapping(parsed.secure.source.path, sp.key, 'secure.yaml'));
  let publicEntry: PMap | undefined;
  const merged = secureEntry ? deepMerge(entry, secureEntry) : entry;

  // Profile (clouds-public.yaml) is the base; the cloud overrides it (auth one level deep).
  let cloud = merged;
  let profileBase: PMap | undefined;
  const profileAt = merged.entries.get('profile') ?? merged.entries.get('cloud');
  const profileName = textOf(profileAt);
  if (profileAt && profileName) {
    const pp = parsed.public?.clouds && getPair(parsed.public.clouds, profileName);
    if (pp && parsed.public) publicEntry = asMap(toP(pp.value, parsed.public.doc, parsed.public.source.path, pp.key, budget));
    if (pp && parsed.public && !publicEntry) findings.push(notAMapping(parsed.public.source.path, pp.key, 'clouds-public.yaml'));
    else if (publicEntry) {
      profileBase = publicEntry;
      cloud = authUpdate(publicEntry, merged);
    } else {
      const where = parsed.public ? `in ${parsed.public.source.path}` : 'because no clouds-public.yaml was found';
      findings.push(
        finding(
          profileAt,
          CODES.profileMissing,
          'warning',
          `Profile "${profileName}" is not defined ${where}. Go readers (CAPO, OCCM use-clouds) refuse the cloud; openstacksdk only consults its built-in vendor list. The conversion continues without it.`,
          undefined,
          false,
        ),
      );
    }
  }
  cloud = copyMap(cloud);
  cloud.entries.delete('profile');
  cloud.entries.delete('cloud');

  // Regions: openstacksdk prefers `regions` over `region_name`, and falls back to the profile's.
  const region = chooseRegion(merged, findings) ?? (profileBase ? chooseRegion(profileBase, []) : undefined);
  if (region?.values) {
    const at = region.at;
    if (at)
      findings.push(
        finding(
          at,
          CODES.regionValues,
          'warning',
          `The settings under \`values\` of region "${region.name}" are applied (openstacksdk uses the first region). Go readers apply them only when that region is requested explicitly; the flattened identity secret carries the result.`,
          undefined,
          false,
        ),
      );
    cloud = authUpdate(cloud, region.values);
  }
  cloud.entries.delete('regions');

  // Key spellings: openstacksdk normalises `-` to `_` (Go readers do not).
  const top = normalise(cloud, findings, false);
  const authMap = asMap(cloud.entries.get('auth'));
  top.delete('auth');
  const auth = authMap ? normalise(authMap, findings, true) : new Map<string, PValue>();
  const cloudAuth = { node: mapNode(asMap(entry.entries.get('auth'))), doc: clouds.doc };

  // endpoint_type → interface (endpoint_type wins, as in magic_fixes); auth_plugin → auth_type.
  if (top.has('endpoint_type')) {
    top.set('interface', top.get('endpoint_type') as PValue);
    top.delete('endpoint_type');
  }
  if (top.has('auth_plugin')) {
    const plugin = top.get('auth_plugin') as PValue;
    if (!top.has('auth_type')) top.set('auth_type', plugin);
    findings.push(legacyKey(plugin, 'auth_type'));
    top.delete('auth_plugin');
  }

  // _fix_backwards_project: legacy names and top-level copies move into auth.
  for (const [target, spellings] of LEGACY) {
    let winner: PValue | undefined;
    for (const key of spellings) {
      const t = top.get(key);
      if (t) {
        if (present(t)) winner = t;
        top.delete(key);
        findings.push(key === target ? outsideAuth(t, key, cloudAuth, auth.has(key)) : legacyKey(t, target));
      }
      const a = auth.get(key);
      if (a) {
        if (present(a)) winner = a;
        auth.delete(key);
        if (key !== target) findings.push(legacyKey(a, target));
      }
    }
    if (winner) auth.set(target, winner);
  }
  // _validate_auth: plugin options at the top level move into auth unless auth has them.
  for (const key of [...top.keys()]) {
    if (!AUTH_KEYS.has(key)) continue;
    const t = top.get(key) as PValue;
    findings.push(outsideAuth(t, key, cloudAuth, auth.has(key)));
    if (!auth.has(key) && present(t)) auth.set(key, t);
    top.delete(key);
  }
  // _handle_domain_id: in a project-scoped cloud, domain_* is the default for user and project domain.
  const projectScoped = present(auth.get('project_id')) || present(auth.get('project_name'));
  if (projectScoped) {
    for (const kind of ['id', 'name']) {
      const d = auth.get(`domain_${kind}`);
      if (!d) continue;
      auth.delete(`domain_${kind}`);
      if (isEmpty(d)) continue;
      for (const target of [`user_domain_${kind}`, `project_domain_${kind}`]) if (!auth.has(target)) auth.set(target, d);
    }
  }

  // auth_type, with Go's application-credential inference.
  let authTypeAt = top.get('auth_type');
  let authType = textOf(authTypeAt);
  let authTypeInferred = false;
  if (!authType) {
    authTypeAt = undefined;
    const appCred = ['application_credential_id', 'application_credential_name', 'application_credential_secret'].find((k) =>
      present(auth.get(k)),
    );
    if (appCred) {
      authType = 'v3applicationcredential';
      authTypeInferred = true;
      const at = auth.get(appCred) as PValue;
      const entryNode = mapNode(entry);
      findings.push(
        finding(
          at,
          CODES.inferredAuthType,
          'warning',
          'Application credential without `auth_type`: Go readers (CAPO, OCCM) infer `v3applicationcredential`, openstacksdk and the `openstack` CLI use `password` and fail. The converter follows Go; set `auth_type` to make every reader agree.',
          fix('Set auth_type: v3applicationcredential', [
            entryNode && insertKeyEdit(clouds.doc, entryNode, 'auth_type', 'v3applicationcredential'),
          ]),
        ),
      );
    } else {
      authType = 'password';
    }
  }

  // verify / insecure (python3-openstacksdk 0.101.0 openstack/config/cloud_region.py:339 get_requests_verify_args):
  // `verify` is taken by Python truthiness (a string "false" keeps verification on), and Go readers
  // (gophercloud clientconfig: `Verify *bool`) refuse anything but a boolean, so only a boolean is taken.
  // `insecure` goes through openstacksdk's get_boolean (loader.py BOOL_KEYS): a boolean, or text that is "true" in any case.
  let insecure = false;
  const verify = top.get('verify');
  const verifyBool = yaml11Bool(verify);
  if (verify && verifyBool === false) insecure = true;
  else if (verify && (verifyBool === 'text' || verifyBool === 'other'))
    findings.push(
      finding(
        verify,
        CODES.notText,
        'error',
        '`verify` must be true or false: openstacksdk takes any other value by its Python truthiness and Go readers refuse the file.',
        undefined,
        false,
      ),
    );
  const insecureAt = top.get('insecure');
  const insecureBool = yaml11Bool(insecureAt);
  if (insecureAt && insecureBool === 'other')
    findings.push(
      finding(
        insecureAt,
        CODES.notText,
        'error',
        '`insecure` must be true or false: openstacksdk fails on any other value.',
        undefined,
        false,
      ),
    );
  const insecureText = insecureBool === 'text' ? textOf(insecureAt) : undefined;
  if (insecureAt && (insecureBool === true || insecureText?.toLowerCase() === 'true')) {
    insecure = true;
    const k = insecureAt.origin.key;
    const v = insecureAt.origin.node;
    findings.push(
      finding(
        insecureAt,
        CODES.insecureKey,
        'warning',
        '`insecure` turns TLS verification off for openstacksdk (the converter writes `tls-insecure=true`), but Go readers (CAPO) ignore it and keep verifying. Use `verify: false` so both agree.',
        fix('Replace with verify: false', [
          k && v ? replaceEdit(insecureAt.origin.doc, { start: k.start, end: v.end }, 'verify: false') : undefined,
        ]),
      ),
    );
  }

  // openstacksdk formats `auth_url` and then, in get_one, every other top-level string except `password` with
  // Python's str.format(**config) (python3-openstacksdk 0.101.0 openstack/config/loader.py:1072 and :1146,
  // FORMAT_EXCLUSIONS): a placeholder is filled in there and kept literally by Go readers, and a brace
  // str.format cannot parse makes openstacksdk fail to load the cloud at all.
  const values = new Map<string, string>();
  for (const [k, v] of top) {
    const t = textOf(v);
    if (t !== undefined) values.set(k, t);
  }
  if (region) values.set('region_name', region.name);
  const braced = (v: PValue | undefined, text: string | undefined): text is string =>
    text !== undefined && /[{}]/.test(text) && v?.kind === 'scalar' && typeof v.node.value === 'string';
  const urlAt = auth.get('auth_url');
  let authUrl = textOf(urlAt);
  if (urlAt && braced(urlAt, authUrl)) {
    const formatted = pyFormat(authUrl, values);
    if (formatted.ok) {
      findings.push(
        finding(
          urlAt,
          CODES.authUrlPlaceholder,
          'warning',
          `\`auth_url\` has placeholders: openstacksdk fills them in (the converter uses "${formatted.text}"), Go readers use the braces literally. Write the final URL.`,
          fix('Write the formatted URL', [urlAt.origin.node && replaceEdit(urlAt.origin.doc, urlAt.origin.node, quoted(formatted.text))]),
          false,
        ),
      );
      authUrl = formatted.text;
    } else {
      findings.push(finding(urlAt, CODES.authUrlPlaceholder, 'error', unformattable('auth_url', formatted), undefined, false));
      authUrl = undefined;
    }
  }
  const formatted = new Map<string, string>();
  const topTexts: [string, PValue][] = [...top].filter(([k]) => k !== 'password' && k !== 'region_name');
  if (region?.at) topTexts.push(['region_name', region.at]);
  for (const [k, v] of topTexts) {
    const text = k === 'region_name' && region ? region.name : textOf(v);
    if (!braced(v, text)) continue;
    const r = pyFormat(text, values);
    if (!r.ok) findings.push(finding(v, CODES.authUrlPlaceholder, 'error', unformattable(k, r), undefined, false));
    else if (r.text !== text && (k === 'region_name' || k === 'interface')) {
      formatted.set(k, r.text);
      findings.push(
        finding(
          v,
          CODES.authUrlPlaceholder,
          'warning',
          `\`${k}\` has placeholders: openstacksdk fills them in (the converter uses "${r.text}"), Go readers use the braces literally. Write the final value.`,
          undefined,
          false,
        ),
      );
    }
  }
  const regionFormatted = region && formatted.get('region_name');

  return {
    name,
    entry,
    sources: [entry, ...(secureEntry ? [secureEntry] : []), ...(publicEntry ? [publicEntry] : [])],
    top,
    auth,
    authType,
    authTypeAt,
    authTypeInferred,
    insecure,
    authUrl,
    findings,
    formatted,
    ...(region ? { region: { name: regionFormatted ?? region.name, at: region.at } } : {}),
  };
}

function notAMapping(file: string, key: YNode, where: string): Located {
  return {
    file,
    finding: {
      code: CODES.shape,
      severity: 'error',
      range: key.range,
      message: `This cloud in ${where} must be a mapping of settings: openstacksdk replaces the cloud with it and fails to load it.`,
    },
  };
}

function legacyKey(v: PValue, target: string): Located {
  const k = v.origin.key;
  return finding(
    v,
    CODES.legacySpelling,
    'warning',
    `Legacy spelling: openstacksdk reads this as \`${target}\`, Go readers (CAPO, OCCM use-clouds) ignore it.`,
    fix(`Rename to ${target}`, [k && replaceEdit(v.origin.doc, k, target)]),
  );
}

function outsideAuth(v: PValue, key: string, auth: { node?: YMap; doc: YamlDocument }, shadowed: boolean): Located {
  const k = v.origin.key;
  const node = v.origin.node;
  const message = shadowed
    ? `\`${key}\` is set both here and inside \`auth\`; every reader uses the one inside \`auth\`, this one is ignored.`
    : `\`${key}\` belongs inside \`auth\`: openstacksdk moves it there, Go readers (CAPO, OCCM use-clouds) ignore it.`;
  const fixes = shadowed
    ? fix(`Remove the ignored ${key}`, [k && removePairEdit(v.origin.doc, k, node)])
    : fix(
        `Move ${key} into auth`,
        k && node && auth.node && v.origin.doc === auth.doc ? moveIntoEdits(v.origin.doc, k, node, auth.node, key) : undefined,
      );
  return finding(v, CODES.outsideAuth, 'warning', message, fixes);
}

/** Dashed keys → `_` (openstacksdk `normalize_keys`); reports the ones Go readers would miss. */
function normalise(m: PMap, findings: Located[], inAuth: boolean): Map<string, PValue> {
  const out = new Map<string, PValue>();
  for (const [k, v] of m.entries) {
    const n = k.replace(/-/g, '_');
    if (n !== k) {
      const legacy = n.startsWith('tenant_') || n === 'auth_token';
      if (!legacy && (AUTH_KEYS.has(n) || TEXT_KEYS.has(n) || (!inAuth && n === 'identity_api_version'))) findings.push(legacyKey(v, n));
      if (out.has(n)) continue;
    }
    out.set(n, v);
  }
  return out;
}

interface RegionPick {
  readonly name: string;
  readonly at?: PValue;
  readonly values?: PMap;
}

function chooseRegion(m: PMap, findings: Located[]): RegionPick | undefined {
  const regions = m.entries.get('regions');
  const regionName = m.entries.get('region_name') ?? m.entries.get('region-name');
  if (regions?.kind === 'seq' && regions.items.length) {
    const first = regions.items[0];
    const fm = asMap(first);
    const name = fm ? textOf(fm.entries.get('name')) : textOf(first);
    if (name !== undefined) {
      const rn = textOf(regionName);
      const k = regions.origin.key;
      const n = regions.origin.node;
      if (rn === undefined || rn !== name) {
        const why =
          rn === undefined
            ? 'Go readers (CAPO, OCCM use-clouds) derive no region from `regions`'
            : `Go readers use \`region_name\` ("${rn}") instead`;
        findings.push(
          finding(
            regions,
            CODES.regionsList,
            'warning',
            `openstacksdk uses the first entry of \`regions\` ("${name}"); ${why}. Use \`region_name\` so every reader agrees.`,
            fix(`Replace regions with region_name: ${name}`, [
              k && n ? replaceEdit(regions.origin.doc, { start: k.start, end: n.end }, `region_name: ${quoted(name)}`) : undefined,
              ...(regionName?.origin.key && regionName.origin.doc === regions.origin.doc
                ? [removePairEdit(regionName.origin.doc, regionName.origin.key, regionName.origin.node)]
                : []),
            ]),
          ),
        );
      }
      return { name, at: first, values: fm ? asMap(fm.entries.get('values')) : undefined };
    }
  }
  const rn = textOf(regionName);
  if (rn !== undefined && regionName) return { name: rn.split(',')[0], at: regionName };
  return undefined;
}

type Formatted = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly missing?: string; readonly why: string };

/**
 * Python `str.format(**values)` for `{name}` fields and `{{`/`}}` escapes. Every other use of a brace —
 * a single `}`, an unclosed `{`, `{}`, `{0}`, attribute, index, conversion or format spec — is refused:
 * Python raises on most of them, and none has a reading Go readers share.
 */
function pyFormat(template: string, values: ReadonlyMap<string, string>): Formatted {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if ((ch === '{' || ch === '}') && template[i + 1] === ch) {
      out += ch;
      i++;
    } else if (ch === '}') {
      return { ok: false, why: "a single '}'" };
    } else if (ch === '{') {
      const close = template.indexOf('}', i);
      if (close < 0) return { ok: false, why: "a '{' without '}'" };
      const field = template.slice(i + 1, close);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(field)) return { ok: false, why: 'a placeholder that is not a setting name' };
      const value = values.get(field);
      if (value === undefined) return { ok: false, missing: field, why: `the placeholder {${field}}, which no setting of the cloud fills` };
      out += value;
      i = close;
    } else {
      out += ch;
    }
  }
  return { ok: true, text: out };
}

/** Why openstacksdk cannot load a cloud whose `key` it str.format()s. Names a placeholder only when it is a setting name. */
function unformattable(key: string, r: Extract<Formatted, { ok: false }>): string {
  return `\`${key}\` has ${r.why}: openstacksdk formats it with Python's str.format and fails to load the cloud. Write the final value without braces.`;
}

/**
 * analyzeClouds / convertCloud / identitySecretPayload: the contract of api.ts on top of resolve.ts
 * (openstacksdk's reading, Go divergences flagged) and plan.ts (rules and the `[Global]` mapping).
 */
import { dump } from 'js-yaml';
import type { Finding } from '../findings';
import { GcfgEncodeError, renderCloudConf, type ConfEntry, type ConfSection } from '../gcfg/encode';
import { validateExtraSections } from '../gcfg/validate';
import { getPair, YAML_LIMITS, type YPair } from '../yaml/parse';
import type {
  CloudInfo,
  CloudsAnalysis,
  CloudsInput,
  ConversionFailure,
  ConversionResult,
  ConvertOptions,
  IdentitySecretResult,
  LoadBalancerVariant,
} from './api';
import { CODES } from './codes';
import { planCloud, type Plan } from './plan';
import { ExpansionLimit, type Located, type PMap } from './pvalue';
import { parseInput, resolveCloud, type ParsedInput, type ResolvedCloud } from './resolve';

const LB_DEFAULTS: Record<LoadBalancerVariant, readonly ConfEntry[]> = {
  scs: [
    { key: 'manage-security-groups', value: true },
    { key: 'enable-ingress-hostname', value: true },
    { key: 'create-monitor', value: true },
  ],
  ovn: [
    { key: 'manage-security-groups', value: true },
    { key: 'enable-ingress-hostname', value: true },
    { key: 'create-monitor', value: true },
    { key: 'lb-provider', value: 'ovn' },
    { key: 'lb-method', value: 'SOURCE_IP_PORT' },
  ],
  none: [],
};

interface CloudRun {
  /** Undefined when the cloud could not be resolved (alias bomb); `plan.findings` says why. */
  readonly resolved?: ResolvedCloud;
  readonly plan: Plan;
}

function runCloud(parsed: ParsedInput, name: string, options: ConvertOptions): CloudRun | undefined {
  let resolved: ResolvedCloud | undefined;
  try {
    resolved = resolveCloud(parsed, name);
  } catch (e) {
    if (!(e instanceof ExpansionLimit)) throw e;
    const where = e.at.node ?? e.at.key;
    const finding: Finding = {
      code: CODES.limits,
      severity: 'error',
      range: where ? where.range : e.at.doc.lines.range(0, 0),
      message:
        e.why === 'nodes'
          ? `Cloud "${name}" expands to more than ${YAML_LIMITS.maxExpandedNodes} YAML nodes through aliases or merges (an alias bomb?); it is not analysed.`
          : `Cloud "${name}" nests deeper than ${YAML_LIMITS.maxDepth} levels through aliases or merges; it is not analysed.`,
    };
    return { plan: { findings: [{ file: e.at.file, finding }], global: [], auth: [] } };
  }
  return resolved && { resolved, plan: planCloud(resolved, options) };
}

function byFile(located: readonly Located[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  const seen = new Set<string>();
  for (const { file, finding } of located) {
    const key = `${file}\0${finding.code}\0${finding.range.start.line}:${finding.range.start.character}\0${finding.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let list = out.get(file);
    if (!list) out.set(file, (list = []));
    list.push(finding);
  }
  for (const list of out.values())
    list.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return out;
}

export function fileFindings(parsed: ParsedInput): Located[] {
  return [...parsed.clouds.findings, ...(parsed.secure?.findings ?? []), ...(parsed.public?.findings ?? [])];
}

/** One cloud's part of analyzeClouds: where it is, every finding its analysis made, and the ones for its lens. */
export interface CloudResult {
  readonly info: CloudInfo;
  readonly located: readonly Located[];
  readonly own: readonly Finding[];
}

/** Analyses the cloud of `pair` (a pair of `parsed.clouds.clouds`, not a `<<` merge). */
export function analyzeCloud(parsed: ParsedInput, pair: YPair, options: ConvertOptions): CloudResult {
  const name = pair.keyText;
  const run = runCloud(parsed, name, options);
  const range = { start: pair.key.range.start, end: (pair.value ?? pair.key).range.end };
  if (!run) {
    const finding: Finding = {
      code: CODES.shape,
      severity: 'error',
      range: pair.key.range,
      message: `Cloud "${name}" must be a mapping of settings.`,
    };
    return {
      info: { name, keyRange: pair.key.range, range, authType: '' },
      located: [{ file: parsed.clouds.source.path, finding }],
      own: [finding],
    };
  }
  return {
    info: { name, keyRange: pair.key.range, range, authType: run.resolved?.authType ?? '' },
    located: run.plan.findings,
    own: [...byFile(run.plan.findings).values()].flat(),
  };
}

/** The analysis of a clouds.yaml from its files' own findings and its clouds' results, in file order. */
export function assembleAnalysis(files: readonly Located[], results: readonly CloudResult[]): CloudsAnalysis {
  const all: Located[] = [...files];
  const findingsByCloud = new Map<string, readonly Finding[]>();
  for (const r of results) {
    all.push(...r.located);
    findingsByCloud.set(r.info.name, r.own);
  }
  return { clouds: results.map((r) => r.info), findings: byFile(all), findingsByCloud };
}

/** Every cloud of a clouds.yaml with its findings (parse errors, rules, Go/Python divergences). */
export function analyzeClouds(input: CloudsInput, options: ConvertOptions = {}): CloudsAnalysis {
  const parsed = parseInput(input);
  const pairs = (parsed.clouds.clouds?.pairs ?? []).filter((p) => p.keyText !== '<<');
  return assembleAnalysis(
    fileFindings(parsed),
    pairs.map((pair) => analyzeCloud(parsed, pair, options)),
  );
}

function failure(cloud: string, located: readonly Located[]): ConversionFailure {
  return { ok: false, cloud, findings: byFile(located) };
}

function notFound(parsed: ParsedInput, cloud: string): ConversionFailure {
  const names = (parsed.clouds.clouds?.pairs ?? []).map((p) => p.keyText);
  const range = parsed.clouds.clouds ? parsed.clouds.clouds.range : parsed.clouds.doc.lines.range(0, 0);
  return failure(cloud, [
    ...fileFindings(parsed),
    {
      file: parsed.clouds.source.path,
      finding: {
        code: CODES.cloudNotFound,
        severity: 'error',
        range,
        message: `Cloud "${cloud}" is not defined (clouds: ${names.length ? names.join(', ') : 'none'}).`,
      },
    },
  ]);
}

function prepare(
  input: CloudsInput,
  cloud: string,
  options: ConvertOptions,
): { parsed: ParsedInput; run?: Required<CloudRun>; failure?: ConversionFailure } {
  const parsed = parseInput(input);
  const fatal = fileFindings(parsed).filter((f) => f.finding.severity === 'error');
  if (fatal.length) return { parsed, failure: failure(cloud, fatal) };
  const run = runCloud(parsed, cloud, options);
  if (!run) return { parsed, failure: notFound(parsed, cloud) };
  if (!run.resolved || run.plan.findings.some((f) => f.finding.severity === 'error'))
    return { parsed, failure: failure(cloud, run.plan.findings) };
  return { parsed, run: { resolved: run.resolved, plan: run.plan } };
}

/** One cloud → cloud.conf (domain.md §(a)); refuses with located errors instead of writing something wrong. */
export function convertCloud(input: CloudsInput, cloud: string, options: ConvertOptions = {}): ConversionResult {
  const { run, failure: failed } = prepare(input, cloud, options);
  if (!run) return failed as ConversionFailure;
  const sections: ConfSection[] = [{ name: 'Global', entries: run.plan.global }];
  const lb = LB_DEFAULTS[options.lb ?? 'scs'];
  const extra = options.extraSections ?? [];
  const at = keyRangeOfCloud(run.resolved.entry);
  const extraFindings: Located[] = validateExtraSections(extra).map((p) => ({
    file: input.clouds.path,
    finding: {
      code: CODES.extraSection,
      severity: p.severity,
      range: at,
      message: `Extra cloud.conf settings (from the options): ${p.message}.`,
    },
  }));
  if (extraFindings.some((f) => f.finding.severity === 'error')) return failure(cloud, [...run.plan.findings, ...extraFindings]);
  const warnings = [...run.plan.findings, ...extraFindings];
  const extraLb = extra.find((s) => s.name.toLowerCase() === 'loadbalancer' && s.subsection === undefined);
  if (lb.length || extraLb) {
    const keys = new Set((extraLb?.entries ?? []).map((e) => e.key.toLowerCase()));
    sections.push({ name: 'LoadBalancer', entries: [...lb.filter((e) => !keys.has(e.key)), ...(extraLb?.entries ?? [])] });
  }
  const extraGlobal = extra.find((s) => s.name.toLowerCase() === 'global' && s.subsection === undefined);
  if (extraGlobal) {
    const keys = new Set(extraGlobal.entries.map((e) => e.key.toLowerCase()));
    sections[0] = { name: 'Global', entries: [...run.plan.global.filter((e) => !keys.has(e.key)), ...extraGlobal.entries] };
  }
  for (const s of extra) if (s !== extraLb && s !== extraGlobal) sections.push(s);
  let text: string;
  try {
    text = renderCloudConf(sections);
  } catch (e) {
    if (!(e instanceof GcfgEncodeError)) throw e;
    return failure(cloud, [
      ...warnings,
      {
        file: input.clouds.path,
        finding: {
          code: CODES.extraSection,
          severity: 'error',
          range: at,
          message: `Extra cloud.conf settings (from the options): ${e.message}.`,
        },
      },
    ]);
  }
  return {
    ok: true,
    cloud,
    sections,
    text,
    ...(run.plan.cacert !== undefined ? { cacert: run.plan.cacert } : {}),
    findings: byFile(warnings),
  };
}

function keyRangeOfCloud(entry: PMap): Finding['range'] {
  return (entry.origin.key ?? entry.origin.node)?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

/**
 * The CAPO/CSPO identity secret payload (domain.md §(c)): one cloud, flattened (profile, secure.yaml,
 * region values and openstacksdk's fixes applied) because CAPO resolves none of them; every string
 * quoted so YAML 1.1 readers keep it text; stable key order.
 */
export function identitySecretPayload(input: CloudsInput, cloud: string, options: ConvertOptions = {}): IdentitySecretResult {
  const { run, failure: failed } = prepare(input, cloud, options);
  if (!run) return failed as ConversionFailure;
  const { resolved, plan } = run;
  const auth: Record<string, string> = {};
  if (resolved.authUrl) auth.auth_url = resolved.authUrl;
  for (const a of plan.auth) auth[a.key] = a.value;
  const entry: Record<string, unknown> = { auth };
  if (resolved.region) entry.region_name = resolved.region.name;
  const iface = plan.global.find((e) => e.key === 'os-endpoint-type');
  if (iface) entry.interface = iface.value;
  entry.identity_api_version = 3;
  entry.auth_type = resolved.authType;
  if (resolved.insecure) entry.verify = false;
  const text = dump(
    { clouds: { [resolved.name]: entry } },
    { forceQuotes: true, quotingType: '"', lineWidth: -1, noRefs: true, sortKeys: false },
  );
  return {
    ok: true,
    cloud,
    payload: { 'clouds.yaml': text, cloudName: resolved.name, ...(plan.cacert !== undefined ? { cacert: plan.cacert } : {}) },
    findings: byFile(plan.findings),
  };
}

/** Which cloud to convert: the requested one, else the only one; a located error otherwise. */
export function selectCloud(input: CloudsInput, requested: string | undefined): { ok: true; cloud: string } | ConversionFailure {
  const parsed = parseInput(input);
  const fatal = fileFindings(parsed).filter((f) => f.finding.severity === 'error');
  if (fatal.length) return failure(requested ?? '', fatal);
  const names = (parsed.clouds.clouds?.pairs ?? []).map((p) => p.keyText).filter((n) => n !== '<<');
  if (requested !== undefined) return names.includes(requested) ? { ok: true, cloud: requested } : notFound(parsed, requested);
  if (names.length === 1) return { ok: true, cloud: names[0] };
  // parseInput refuses a clouds.yaml without clouds, so there are several here.
  const range = parsed.clouds.clouds ? parsed.clouds.clouds.range : parsed.clouds.doc.lines.range(0, 0);
  const key = parsed.clouds.doc.root?.kind === 'map' ? getPair(parsed.clouds.doc.root, 'clouds')?.key.range : undefined;
  return failure('', [
    {
      file: input.clouds.path,
      finding: {
        code: CODES.noCloudSelected,
        severity: 'error',
        range: key ?? range,
        message: `The file defines ${names.length} clouds (${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''}); choose one with --cloud NAME or OS_CLOUD.`,
      },
    },
  ]);
}

/**
 * The `cluster-stacks` command line, built from the same core as the extension:
 *   cloud-conf  clouds.yaml → cloud.conf on stdout (errors located on stderr, exit 1)
 *   lint        clouds.yaml / secure.yaml / clouds-public.yaml / cloud.conf findings, exit 1 on errors
 *   secret      the CAPO identity Secret manifest (prints credentials!)
 *   health      the explorer's health of Clusters, ClusterStacks and ClusterStackReleases in YAML/JSON dumps
 *   check       authenticates against Keystone as the OpenStack CCM would and reports what the consumers need
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dump } from 'js-yaml';
import type { CloudsInput, ConversionResult, ConvertOptions, FindingsByFile, LoadBalancerVariant, SourceFile } from '../core/clouds/api';
import { analyzeClouds, convertCloud, identitySecretPayload, selectCloud } from '../core/clouds';
import { escapeControls, formatFinding, type Finding } from '../core/findings';
import { lintCloudConf } from '../core/gcfg/lint';
import { healthOf, readKubeObjects, type HealthEntry } from '../core/health';
import type { KubeObject } from '../core/capi/types';
import { sourceFromBytes, sourceTooLarge } from '../core/source';
import { readBounded, readLocalText } from '../io/readBounded';
import { identitySecret } from '../core/manifests/credentials';
import { checkConnection, cloudFromConversion, formatConnectionReport, type DeliveryStyle } from '../openstack';

export const HELP = `cluster-stacks — clouds.yaml → cloud.conf for Cluster API on OpenStack (SCS)

Usage:
  cluster-stacks cloud-conf [--cloud NAME] [--secure FILE] [--public FILE] [--lb scs|ovn|none]
                            [--ca-file-in-pod PATH] [--cacert-out FILE] CLOUDS_YAML
      Prints the cloud.conf of one cloud (OpenStack CCM / Cinder CSI, gcfg-correct) on stdout.
      Cloud: --cloud, else $OS_CLOUD, else the only cloud. secure.yaml and clouds-public.yaml are
      read from beside CLOUDS_YAML unless given. With a cacert, cloud.conf gets
      ca-file=PATH (default /etc/config/cacert) and --cacert-out writes the PEM to ship beside it.
      Warnings and errors go to stderr as file:line:col: severity code: message; exit 1 on errors.

  cluster-stacks lint FILE...
      Lints clouds.yaml, secure.yaml, clouds-public.yaml (by name or content) and cloud.conf files.
      Exit 1 when any error is found.

  cluster-stacks secret [--cloud NAME] [--namespace NS] [--name NAME] [--secure FILE] [--public FILE] CLOUDS_YAML
      Prints the CAPO/CSPO identity Secret (keys clouds.yaml, cloudName, cacert) as YAML: one cloud,
      flattened (profile and secure.yaml merged in). THE OUTPUT CONTAINS THE CREDENTIALS IN CLEAR
      TEXT: pipe it to \`kubectl apply -f -\`, do not store it.

  cluster-stacks health [-o table|json] FILE...|-
      The health the explorer shows, one entry per Cluster, ClusterStack and ClusterStackRelease in YAML or JSON
      files (multi-document, kind: List, \`kubectl get … -o json\`; - reads stdin). With ClusterResourceSets, their
      bindings and resource Secrets in the input, each Cluster also gets its credential state. -o json prints
      [{"kind","namespace","name","state","reason","credentials"?: {"state","reason"}}]. No Secret value is printed.
      Exit 0: every entry healthy/ready (credentials current or none); 1: any failed; 2: bad input or nothing to
      report; 3: none failed, but some are progressing, deleting, paused, unknown (or credentials stale/pending).

  cluster-stacks check [--cloud NAME] [--secure FILE] [--public FILE] [--lb scs|ovn|none]
                       [--style cloud-config|clouds-yaml] [--timeout SECONDS] [-o text|json] CLOUDS_YAML
      Converts the cloud as cloud-conf does, requests one scoped token from Keystone with it (as the
      OpenStack CCM would: cacert, verify, interface) and reports: the token's project, user and
      roles, the application credential's expiry, the region in the catalog, and the identity,
      compute, network, load-balancer (unless [LoadBalancer] enabled=false) and block-storage
      endpoints for the interface. Exit 0 only when the CCM and Cinder CSI could work; 1 otherwise.
      --style clouds-yaml checks the scs2 delivery (use-clouds), which carries no trust and no
      verify: false. -o json prints the report as JSON. The token is used once and never printed.

  cluster-stacks --help
`;

export interface CliIo {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  /** Reads all of standard input (for `-`); undefined when there is none. */
  readonly stdin?: () => string;
}

/** clouds.yaml, secure.yaml, clouds-public.yaml, cloud.conf: the YAML reader's own limit (8 Mi characters). */
const MAX_SOURCE_BYTES = 8 * 1024 * 1024;
/** A `cacert` is shipped in a Secret, and a Kubernetes Secret holds at most 1 MiB. */
const MAX_CACERT_BYTES = 1024 * 1024;

class UsageError extends Error {}

interface Parsed {
  readonly flags: Map<string, string>;
  readonly positional: string[];
}

function parseArgs(args: readonly string[], valued: readonly string[]): Parsed {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (!valued.includes(name)) throw new UsageError(`unknown option --${name}`);
      const value = eq > 0 ? a.slice(eq + 1) : args[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
    } else {
      positional.push(a);
    }
  }
  return { flags, positional };
}

/** The core's `readFile` (a `cacert`): text, or why not (never blocks on a pipe, never reads a device). */
const readCacert = (file: string) => readLocalText(file, MAX_CACERT_BYTES);

/**
 * A file named on the command line or found beside it. Too large or not UTF-8: a SourceFile the core
 * refuses with a located finding; missing or not a regular file: a usage error (exit 2) saying why.
 */
function readSource(io: CliIo, file: string): { source: SourceFile; bytes: Uint8Array } {
  const abs = path.resolve(io.cwd, file);
  const r = readBounded(abs, MAX_SOURCE_BYTES);
  if (r.ok) return { source: sourceFromBytes(abs, r.bytes), bytes: r.bytes };
  if (r.reason === 'size') return { source: sourceTooLarge(abs, r.message), bytes: new Uint8Array() };
  throw new UsageError(`cannot read ${file}: ${r.message}`);
}

/** A Kubernetes dump for `health`: its text, the CS180 finding when it is not UTF-8, or why it cannot be read. */
function readDump(abs: string): string | { readonly refused: Finding } | { readonly unreadable: string } {
  const r = readBounded(abs, MAX_DUMP);
  if (!r.ok) return { unreadable: r.message };
  const s = sourceFromBytes(abs, r.bytes, 'Kubernetes objects are UTF-8 (kubectl writes them so). Save the file as UTF-8.');
  return s.refused ? { refused: s.refused } : s.text;
}

function source(io: CliIo, file: string): SourceFile {
  return readSource(io, file).source;
}

/** The first of `names` beside `file` that exists. */
function sibling(file: string, names: readonly string[]): string | undefined {
  return names.map((n) => path.join(path.dirname(file), n)).find((p) => fs.existsSync(p));
}

function cloudsInput(io: CliIo, p: Parsed): CloudsInput {
  if (p.positional.length !== 1) throw new UsageError('expected exactly one CLOUDS_YAML');
  const clouds = source(io, p.positional[0]);
  const securePath = p.flags.get('secure') ?? sibling(clouds.path, ['secure.yaml', 'secure.yml']);
  const publicPath = p.flags.get('public') ?? sibling(clouds.path, ['clouds-public.yaml', 'clouds-public.yml']);
  return {
    clouds,
    ...(securePath ? { secure: source(io, securePath) } : {}),
    ...(publicPath ? { public: source(io, publicPath) } : {}),
  };
}

function options(p: Parsed): ConvertOptions {
  const lb = p.flags.get('lb') ?? 'scs';
  if (lb !== 'scs' && lb !== 'ovn' && lb !== 'none') throw new UsageError('--lb must be scs, ovn or none');
  const ca = p.flags.get('ca-file-in-pod');
  return { lb: lb as LoadBalancerVariant, ...(ca ? { caFileInPod: ca } : {}), readFile: readCacert };
}

/** Prints findings with paths relative to the working directory; returns true when one is an error. */
function report(io: CliIo, findings: FindingsByFile): boolean {
  let errors = false;
  for (const [file, list] of findings) {
    const shown = path.relative(io.cwd, file) || file;
    for (const f of list) {
      io.stderr(formatFinding(shown, f) + '\n');
      if (f.severity === 'error') errors = true;
    }
  }
  return errors;
}

function chooseCloud(io: CliIo, input: CloudsInput, p: Parsed): string | undefined {
  const selected = selectCloud(input, p.flags.get('cloud') ?? (io.env.OS_CLOUD || undefined));
  if (selected.ok) return selected.cloud;
  report(io, selected.findings);
  return undefined;
}

/** The selected cloud converted with the command's options, its findings printed; undefined when no cloud is selected. */
function convertSelected(io: CliIo, p: Parsed): ConversionResult | undefined {
  const opts = options(p);
  const input = cloudsInput(io, p);
  const cloud = chooseCloud(io, input, p);
  if (cloud === undefined) return undefined;
  const result = convertCloud(input, cloud, opts);
  report(io, result.findings);
  return result;
}

function cloudConf(io: CliIo, args: readonly string[]): number {
  const p = parseArgs(args, ['cloud', 'secure', 'public', 'lb', 'ca-file-in-pod', 'cacert-out']);
  const result = convertSelected(io, p);
  if (!result?.ok) return 1;
  io.stdout(result.text);
  const out = p.flags.get('cacert-out');
  if (out && result.cacert !== undefined) fs.writeFileSync(path.resolve(io.cwd, out), result.cacert, { mode: 0o644 });
  return 0;
}

function secret(io: CliIo, args: readonly string[]): number {
  const p = parseArgs(args, ['cloud', 'secure', 'public', 'namespace', 'name']);
  const input = cloudsInput(io, p);
  const cloud = chooseCloud(io, input, p);
  if (cloud === undefined) return 1;
  const result = identitySecretPayload(input, cloud, { readFile: readCacert });
  report(io, result.findings);
  if (!result.ok) return 1;
  const manifest = identitySecret({
    namespace: p.flags.get('namespace') ?? 'default',
    name: p.flags.get('name') ?? cloud,
    payload: result.payload,
  });
  io.stdout(dump(manifest, { lineWidth: -1, noRefs: true }));
  return 0;
}

type FileKind = 'clouds' | 'secure' | 'public' | 'cloud-conf';

function kindOf(file: string, text: string): FileKind {
  const base = path.basename(file).toLowerCase();
  if (/^secure\.ya?ml$/.test(base)) return 'secure';
  if (/^clouds-public\.ya?ml$/.test(base)) return 'public';
  if (/^clouds\.ya?ml$/.test(base)) return 'clouds';
  if (/\.conf$|\.ini$|\.gcfg$/.test(base)) return 'cloud-conf';
  const first = text
    .replace(/^\ufeff/, '')
    .split('\n')
    .find((l) => l.trim() && !/^\s*[#;]/.test(l));
  if (first && /^\s*\[/.test(first)) return 'cloud-conf';
  return /^public-clouds\s*:/m.test(text) ? 'public' : 'clouds';
}

function lint(io: CliIo, args: readonly string[]): number {
  const p = parseArgs(args, []);
  if (!p.positional.length) throw new UsageError('expected at least one FILE');
  let errors = false;
  for (const file of p.positional) {
    const { source: src, bytes } = readSource(io, file);
    const abs = src.path;
    const kind = kindOf(abs, src.text);
    let findings: FindingsByFile;
    if (kind === 'cloud-conf') {
      findings = new Map([[abs, src.refused?.code === 'CS002' ? [src.refused] : lintCloudConf(bytes)]]);
    } else {
      const cloudsPath = kind === 'clouds' ? abs : sibling(abs, ['clouds.yaml', 'clouds.yml']);
      const other = (names: string[]) => sibling(cloudsPath ?? abs, names);
      const load = (f: string | undefined) => (f ? (f === abs ? src : source(io, f)) : undefined);
      // secure.yaml / clouds-public.yaml are linted together with the clouds.yaml beside them; alone, for their syntax and shape.
      const clouds = load(cloudsPath) ?? { path: `${abs}#clouds`, text: 'clouds: {}\n' };
      const secureFile = kind === 'secure' ? src : load(other(['secure.yaml', 'secure.yml']));
      const publicFile = kind === 'public' ? src : load(other(['clouds-public.yaml', 'clouds-public.yml']));
      const all = analyzeClouds(
        { clouds, ...(secureFile ? { secure: secureFile } : {}), ...(publicFile ? { public: publicFile } : {}) },
        { readFile: readCacert },
      ).findings;
      findings = new Map([[abs, all.get(abs) ?? []]]);
    }
    if (report(io, findings)) errors = true;
  }
  return errors ? 1 : 0;
}

/** kubectl dumps of a whole management cluster (secrets included) are larger than the clouds files' limit. */
const MAX_DUMP = 64 * 1024 * 1024;

/** Exit code of `health`: 1 when anything failed, 3 when anything is not (yet) good, else 0. */
function healthExit(entries: readonly HealthEntry[]): number {
  const failed = entries.some((e) => e.state === 'failed' || e.credentials?.state === 'failed');
  if (failed) return 1;
  const good = entries.every(
    (e) =>
      (e.state === 'healthy' || e.state === 'ready') &&
      (!e.credentials || e.credentials.state === 'current' || e.credentials.state === 'none'),
  );
  return good ? 0 : 3;
}

function healthTable(entries: readonly HealthEntry[]): string {
  const withCred = entries.some((e) => e.credentials);
  const rows = [
    ['KIND', 'NAMESPACE', 'NAME', 'STATE', ...(withCred ? ['CREDENTIALS'] : []), 'REASON'],
    ...entries.map((e) => [
      e.kind,
      e.namespace,
      e.name,
      e.state,
      ...(withCred ? [e.credentials ? e.credentials.state : '-'] : []),
      e.credentials && e.credentials.state !== 'current' && e.credentials.state !== 'none'
        ? `${e.reason}; credentials: ${e.credentials.reason}`
        : e.reason,
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n') + '\n';
}

function health(io: CliIo, args: readonly string[]): number {
  const files: string[] = [];
  let format = 'table';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-o' || a === '--output') {
      const v = args[++i];
      if (v !== 'table' && v !== 'json') throw new UsageError(`${a} must be table or json`);
      format = v;
    } else if (a.startsWith('--output=') || a.startsWith('-o=')) {
      const v = a.slice(a.indexOf('=') + 1);
      if (v !== 'table' && v !== 'json') throw new UsageError('-o must be table or json');
      format = v;
    } else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
    else files.push(a);
  }
  if (!files.length) throw new UsageError('expected at least one FILE (or - for standard input)');
  const objects: KubeObject[] = [];
  let bad = false;
  for (const file of files) {
    const shown = file === '-' ? '<stdin>' : file;
    // The bounded reader, as for every other file the CLI reads: a device or a pipe is refused, not read forever;
    // bytes that are not UTF-8 are refused at the first bad one (CS180), never decoded into replacement characters.
    const read = file === '-' ? (io.stdin?.() ?? { unreadable: 'no standard input' }) : readDump(path.resolve(io.cwd, file));
    if (typeof read !== 'string' && 'unreadable' in read) {
      io.stderr(`${escapeControls(shown)}: error: cannot read it: ${read.unreadable}\n`);
      bad = true;
      continue;
    }
    if (typeof read !== 'string') {
      io.stderr(`${formatFinding(shown, read.refused)}\n`);
      bad = true;
      continue;
    }
    const r = readKubeObjects(read);
    for (const e of r.errors) {
      io.stderr(`${escapeControls(`${shown}:${e.range.start.line + 1}:${e.range.start.character + 1}: error: ${e.message}`)}\n`);
      bad = true;
    }
    objects.push(...r.objects);
  }
  if (bad) return 2;
  const entries = healthOf(objects);
  if (!entries.length) {
    io.stderr('cluster-stacks health: no Cluster, ClusterStack or ClusterStackRelease in the input\n');
    return 2;
  }
  io.stdout(format === 'json' ? `${JSON.stringify(entries, null, 2)}\n` : healthTable(entries));
  return healthExit(entries);
}

async function check(io: CliIo, args: readonly string[]): Promise<number> {
  const p = parseArgs(
    args.map((a) => (a === '-o' ? '--output' : a)),
    ['cloud', 'secure', 'public', 'lb', 'style', 'timeout', 'output'],
  );
  const output = p.flags.get('output') ?? 'text';
  if (output !== 'text' && output !== 'json') throw new UsageError('-o must be text or json');
  const style = p.flags.get('style') ?? 'cloud-config';
  if (style !== 'cloud-config' && style !== 'clouds-yaml') throw new UsageError('--style must be cloud-config or clouds-yaml');
  const timeout = Number(p.flags.get('timeout') ?? '10');
  if (!(timeout > 0 && timeout <= 600)) throw new UsageError('--timeout must be a number of seconds between 0 and 600');
  const converted = convertSelected(io, p);
  if (!converted?.ok) {
    const problems = [{ code: 'conversion', message: 'the cloud cannot be converted (see stderr)' }];
    if (output === 'json') io.stdout(JSON.stringify({ ok: false, cloud: converted?.cloud ?? '', problems }, null, 2) + '\n');
    return 1;
  }
  const result = await checkConnection(cloudFromConversion(converted, style as DeliveryStyle), { timeoutMs: timeout * 1000 });
  io.stdout(output === 'json' ? JSON.stringify(result, null, 2) + '\n' : formatConnectionReport(result));
  return result.ok ? 0 : 1;
}

/** Runs the CLI; returns the exit code (0 ok, 1 findings/errors, 2 usage; `health` also 3, see HELP); `check` talks to Keystone and returns a promise. */
export function run(args: readonly string[], io: CliIo): number | Promise<number> {
  const [command, ...rest] = args;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(HELP);
    return 0;
  }
  try {
    switch (command) {
      case 'cloud-conf':
        return cloudConf(io, rest);
      case 'lint':
        return lint(io, rest);
      case 'secret':
        return secret(io, rest);
      case 'health':
        return health(io, rest);
      case 'check':
        return check(io, rest).catch((e: unknown) => usageFailure(io, e));
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.stdout(HELP);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    return usageFailure(io, e);
  }
}

function usageFailure(io: CliIo, e: unknown): number {
  if (!(e instanceof UsageError)) throw e;
  io.stderr(`cluster-stacks: ${escapeControls(e.message)}\nRun \`cluster-stacks --help\` for usage.\n`);
  return 2;
}

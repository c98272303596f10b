/**
 * Cluster-stack authoring (domain.md §4.5): the files of a cluster-stack source tree that `csctl create`
 * reads — `csctl.yaml` (csctl pkg/clusterstack/config.go `GetCsctlConfig`), `clusteraddon.yaml`
 * (CSO pkg/clusteraddon `Config`), `node-images.yaml` (CSPO, OpenStack) — and a preview of what a
 * release built from the tree yields in a tenant: version, ClusterStackRelease and ClusterClass names.
 */
import { createHash } from 'node:crypto';
import { field, stringField } from '../capi/types';
import { buildClusterStack, type Channel, type ClusterStackManifest } from './clusterStack';
import type { Issue } from './located';
import {
  clusterClassName,
  clusterStackReleaseName,
  DNS_LABEL_PATTERN,
  KUBERNETES_PATCH_PATTERN,
  parseStackVersion,
  type ClusterStackId,
} from './names';

export const CSCTL_API_VERSION = 'csctl.clusterstack.x-k8s.io/v1alpha1';
export const CLUSTER_ADDON_CONFIG_API_VERSION = 'clusteraddonconfig.x-k8s.io/v1alpha1';
export const NODE_IMAGES_API_VERSION = 'openstack.infrastructure.clusterstack.x-k8s.io/v1alpha1';
/** The runtime hooks the operator runs addon stages for (clusteraddon_controller.go). */
export const ADDON_HOOKS = ['AfterControlPlaneInitialized', 'BeforeClusterUpgrade'] as const;
export const ADDON_ACTIONS = ['apply', 'delete'] as const;

export type AuthoringFile = 'csctl' | 'clusteraddon' | 'node-images';

/** Which authoring file a path is, by its base name. */
export function authoringFileKind(path: string): AuthoringFile | undefined {
  const base = path.split(/[\\/]/).pop() ?? '';
  if (base === 'csctl.yaml') return 'csctl';
  if (base === 'clusteraddon.yaml') return 'clusteraddon';
  if (base === 'node-images.yaml') return 'node-images';
  return undefined;
}

/** csctl.yaml as `GetCsctlConfig` validates it (same checks, same order). */
export function validateCsctlConfig(doc: unknown): Issue[] {
  const issues: Issue[] = [];
  const err = (code: string, path: (string | number)[], message: string, atKey = false): void => {
    issues.push({ code, severity: 'error', path, message, atKey });
  };
  const apiVersion = field(doc, 'apiVersion');
  if (apiVersion !== CSCTL_API_VERSION)
    issues.push({
      code: 'CSK301',
      severity: 'warning',
      path: ['apiVersion'],
      message: `apiVersion should be ${CSCTL_API_VERSION}`,
      atKey: apiVersion === undefined,
    });
  const type = field(doc, 'config', 'provider', 'type');
  if (typeof type !== 'string' || type === '')
    err('CSK302', ['config', 'provider', 'type'], 'provider type must not be empty (e.g. openstack)', true);
  else if (type.length > 253) err('CSK302', ['config', 'provider', 'type'], 'provider type must not be longer than 253 characters');
  else if (!DNS_LABEL_PATTERN.test(type))
    err(
      'CSK302',
      ['config', 'provider', 'type'],
      `invalid provider type "${type}": lower-case letters, digits and "-", starting and ending with a letter or digit`,
    );
  else if (type.includes('-'))
    // csctl accepts it (config.go:69-75); the operator then cannot split the release names (clusterstack.go:109-114).
    issues.push({
      code: 'CSK305',
      severity: 'warning',
      path: ['config', 'provider', 'type'],
      message: `provider type "${type}" contains "-": csctl accepts it, but the operator cannot parse the names of the release back`,
      atKey: false,
    });
  if (field(doc, 'config', 'provider', 'apiVersion') === undefined)
    issues.push({
      code: 'CSK303',
      severity: 'warning',
      path: ['config', 'provider'],
      message: 'config.provider.apiVersion is missing (e.g. openstack.csctl.clusterstack.x-k8s.io/v1alpha1)',
      atKey: true,
    });
  const name = field(doc, 'config', 'clusterStackName');
  if (typeof name !== 'string' || name === '') err('CSK304', ['config', 'clusterStackName'], 'cluster stack name must not be empty', true);
  else if (name.includes('-'))
    issues.push({
      code: 'CSK305',
      severity: 'warning',
      path: ['config', 'clusterStackName'],
      message: `cluster stack name "${name}" contains "-": csctl accepts it, but the operator cannot parse the names of the release back`,
      atKey: false,
    });
  const kv = field(doc, 'config', 'kubernetesVersion');
  if (typeof kv !== 'string' || !KUBERNETES_PATCH_PATTERN.test(kv))
    err(
      'CSK306',
      ['config', 'kubernetesVersion'],
      `invalid kubernetes version ${JSON.stringify(kv ?? null)}: must match ^v\\d+\\.\\d+\\.\\d+$, e.g. v1.33.4`,
      kv === undefined,
    );
  return issues;
}

/** clusteraddon.yaml: hooks, stage names (charts under cluster-addon/ when `chartDirs` is given), actions. */
export function validateClusterAddonConfig(doc: unknown, chartDirs?: readonly string[]): Issue[] {
  const issues: Issue[] = [];
  if (field(doc, 'apiVersion') !== CLUSTER_ADDON_CONFIG_API_VERSION)
    issues.push({
      code: 'CSK311',
      severity: 'warning',
      path: ['apiVersion'],
      message: `apiVersion should be ${CLUSTER_ADDON_CONFIG_API_VERSION}`,
    });
  const stages = field(doc, 'addonStages');
  if (stages === null || typeof stages !== 'object' || Array.isArray(stages)) {
    issues.push({
      code: 'CSK312',
      severity: 'error',
      path: ['addonStages'],
      message: 'addonStages must map hooks (AfterControlPlaneInitialized, BeforeClusterUpgrade) to lists of stages',
      atKey: true,
    });
    return issues;
  }
  for (const [hook, list] of Object.entries(stages as Record<string, unknown>)) {
    if (!(ADDON_HOOKS as readonly string[]).includes(hook))
      issues.push({
        code: 'CSK313',
        severity: 'warning',
        path: ['addonStages', hook],
        message: `the operator never runs hook "${hook}" (it runs ${ADDON_HOOKS.join(', ')})`,
        atKey: true,
      });
    if (!Array.isArray(list)) {
      issues.push({
        code: 'CSK312',
        severity: 'error',
        path: ['addonStages', hook],
        message: `stages of ${hook} must be a list of {name, action}`,
      });
      continue;
    }
    list.forEach((stage, i) => {
      const name = stringField(stage, 'name');
      if (!name)
        issues.push({
          code: 'CSK314',
          severity: 'error',
          path: ['addonStages', hook, i],
          message: 'a stage needs the name of a chart under cluster-addon/',
        });
      else if (chartDirs && !chartDirs.includes(name))
        issues.push({
          code: 'CSK315',
          severity: 'error',
          path: ['addonStages', hook, i, 'name'],
          message: `no chart cluster-addon/${name} in this cluster stack (found: ${chartDirs.join(', ') || 'none'})`,
        });
      const action = field(stage, 'action');
      if (!(ADDON_ACTIONS as readonly unknown[]).includes(action))
        issues.push({
          code: 'CSK316',
          severity: 'error',
          path: ['addonStages', hook, i, 'action'],
          message: `action must be apply or delete (got ${JSON.stringify(action ?? null)})`,
          atKey: action === undefined,
        });
    });
  }
  return issues;
}

/** node-images.yaml for OpenStack (CSPO `OpenStackNodeImageRelease.spec.image`: url, createOpts.name required). */
export function validateNodeImages(doc: unknown): Issue[] {
  const issues: Issue[] = [];
  if (field(doc, 'apiVersion') !== NODE_IMAGES_API_VERSION)
    issues.push({ code: 'CSK321', severity: 'warning', path: ['apiVersion'], message: `apiVersion should be ${NODE_IMAGES_API_VERSION}` });
  const images = field(doc, 'openStackNodeImages');
  if (!Array.isArray(images)) {
    issues.push({
      code: 'CSK322',
      severity: 'error',
      path: ['openStackNodeImages'],
      message: 'openStackNodeImages must be a list of {url, createOpts}',
      atKey: true,
    });
    return issues;
  }
  images.forEach((img, i) => {
    const url = stringField(img, 'url');
    if (!url || !/^https?:\/\/\S+$/.test(url))
      issues.push({
        code: 'CSK323',
        severity: 'error',
        path: ['openStackNodeImages', i, 'url'],
        message: 'url must be the http(s) address of the image file',
        atKey: url === undefined,
      });
    if (!stringField(img, 'createOpts', 'name'))
      issues.push({
        code: 'CSK324',
        severity: 'error',
        path: ['openStackNodeImages', i, 'createOpts'],
        message: 'createOpts.name is required: the Glance image name the ClusterClass refers to',
        atKey: true,
      });
  });
  return issues;
}

// ---------------------------------------------------------------------------------------------
// Release preview

export type ReleaseMode = 'stable' | 'hash' | 'custom';

export interface FileContent {
  /** Path relative to the cluster-stack directory, `/`-separated. */
  readonly path: string;
  readonly content: Uint8Array;
}

/** Go's sort.Strings: byte order of the UTF-8 encoding (not UTF-16 code units, which JavaScript compares). */
function goByteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Go dirhash.Hash1 (golang.org/x/mod/sumdb/dirhash/hash.go:44-65): sorted `sha256hex  name` lines, `h1:` + base64 of their sha256. */
function hash1(files: readonly FileContent[]): string {
  const summary = createHash('sha256');
  for (const f of [...files].sort((a, b) => goByteOrder(a.path, b.path))) {
    summary.update(`${createHash('sha256').update(f.content).digest('hex')}  ${f.path}\n`);
  }
  return `h1:${summary.digest('base64')}`;
}

/** csctl's clean(): `h1:`, `/`, `=`, `+` removed, lower case (csctl pkg/cshash/hash.go:124-132). */
function clean(hash: string): string {
  return hash.replace(/^h1:/, '').replace(/[/=+]/g, '').toLowerCase();
}

/**
 * The cluster-stack hash csctl's hash mode puts into `v0-sha.<hash>`: Go's `dirhash.Hash1` over every file
 * of the directory, cleaned by csctl and cut to 7 characters (cshash.GetClusterStackHash, hash.go:134-137).
 */
export function clusterStackHash(files: readonly FileContent[]): string {
  return clean(hash1(files)).slice(0, 7);
}

/** What csctl records in a release's hashes.json (csctl@66dc97a pkg/cshash/hash.go:40-46). */
export interface ReleaseHash {
  readonly clusterStack: string;
  readonly clusterAddonDir: string;
  readonly clusterAddonValues: string;
  readonly nodeImageDir?: string;
}

/**
 * cshash.GetHash (hash.go:63-111): the whole directory, the `cluster-addon/` and `node-image/` directories (names relative
 * to them) and the sha256 of `cluster-addon-values.yaml`, each cleaned.
 */
export function releaseHash(files: readonly FileContent[]): ReleaseHash {
  const under = (dir: string) =>
    files.filter((f) => f.path.startsWith(`${dir}/`)).map((f) => ({ path: f.path.slice(dir.length + 1), content: f.content }));
  const addon = under('cluster-addon');
  const nodeImage = under('node-image');
  const values = files.find((f) => f.path === 'cluster-addon-values.yaml');
  return {
    clusterStack: clean(hash1(files)),
    clusterAddonDir: addon.length ? clean(hash1(addon)) : '',
    clusterAddonValues: values ? clean(createHash('sha256').update(values.content).digest('base64')) : '',
    ...(nodeImage.length ? { nodeImageDir: clean(hash1(nodeImage)) } : {}),
  };
}

/** The part of `fs/promises` the tree reader needs (node's fs/promises fits; tests may pass their own). */
export interface TreeFs {
  readdir(
    path: string,
    opts: { withFileTypes: true },
  ): Promise<{ name: string; isDirectory(): boolean; isFile(): boolean; isSymbolicLink(): boolean }[]>;
  readFile(path: string): Promise<Uint8Array>;
}

/**
 * The files csctl hashes, read the way dirhash.DirFiles/HashDir do (dirhash/hash.go:70-109): filepath.Walk does not follow
 * symlinked directories but lists every non-directory, symlinks included, and os.Open then reads a symlink's target. So a
 * symlink to a file counts with its target's content; a symlink to a directory, a dangling one or a special file makes
 * csctl fail, and this throws saying which.
 */
export async function readStackTree(dir: string, fs: TreeFs, maxFiles = 20_000): Promise<FileContent[]> {
  const out: FileContent[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const e of await fs.readdir(rel ? `${dir}/${rel}` : dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        await walk(r);
        continue;
      }
      if (!e.isFile() && !e.isSymbolicLink()) throw new Error(`${r} is not a regular file: csctl's hash (Go dirhash) cannot read it`);
      if (out.length >= maxFiles) throw new Error(`more than ${maxFiles} files under ${dir}`);
      let content: Uint8Array;
      try {
        content = await fs.readFile(`${dir}/${r}`);
      } catch (err) {
        const code = (err as { code?: string }).code;
        throw new Error(
          code === 'EISDIR'
            ? `${r} is a symlink to a directory: csctl's hash (Go dirhash) cannot read it`
            : `${r} cannot be read${e.isSymbolicLink() ? ' (a dangling symlink?)' : ''}: csctl's hash would fail too`,
          { cause: err },
        );
      }
      out.push({ path: r, content });
    }
  };
  await walk('');
  return out;
}

export interface PreviewInput {
  readonly csctl: unknown;
  readonly mode: ReleaseMode;
  /** stable: the latest released version (csctl bumps its number; none → v1). */
  readonly latestVersion?: string;
  /** hash: from `clusterStackHash`. */
  readonly hash?: string;
  /** custom: `--cluster-stack-version`, `--cluster-addon-version`, `--node-image-version` (all three required). */
  readonly customVersion?: string;
  readonly customAddonVersion?: string;
  readonly customNodeImageVersion?: string;
  /** The tree's hashes (`releaseHash`) and, in stable mode, the latest release's hashes.json: csctl refuses when nothing changed. */
  readonly current?: ReleaseHash;
  readonly latestHashes?: ReleaseHash;
  /** For the ClusterStack manifest shown with the preview. */
  readonly namespace?: string;
}

export interface ReleasePreview {
  readonly version: string;
  readonly kubernetesVersion: string;
  readonly channel: Channel;
  readonly clusterStackRelease: string;
  readonly clusterClass: string;
  /** metadata.yaml's component versions where the mode fixes them (hash: the hash version, mode.go:66-81; custom: the flags). */
  readonly components?: { readonly clusterAddon: string; readonly nodeImage: string };
  /** A ClusterStack that subscribes a tenant to exactly this release. */
  readonly clusterStack: ClusterStackManifest;
}

/** csctl's `BumpVersion`: the first number in the version, plus one. */
export function bumpVersion(version: string): string | undefined {
  const m = /(\d+)/.exec(version);
  return m ? version.replace(/\d+/g, String(Number(m[1]) + 1)) : undefined;
}

/**
 * csctl's validateHash (create.go:243-246, :256-265), run in every mode: "no change in the cluster stack" when cluster-addon/,
 * cluster-addon-values.yaml and node-image/ hash as in the latest release (stable mode: its hashes.json; other modes compare
 * with nothing, so only a stack with none of the three is refused). Changes elsewhere (e.g. cluster-class/) do not count.
 */
function unchanged(current: ReleaseHash, latest: ReleaseHash): boolean {
  return (
    current.clusterAddonDir === latest.clusterAddonDir &&
    current.clusterAddonValues === latest.clusterAddonValues &&
    (current.nodeImageDir ?? '') === (latest.nodeImageDir ?? '')
  );
}

const NO_HASH: ReleaseHash = { clusterStack: '', clusterAddonDir: '', clusterAddonValues: '' };

/** What `csctl create --mode <mode>` would release from a csctl.yaml; a string explains why not. */
export function previewRelease(input: PreviewInput): ReleasePreview | string {
  const problems = validateCsctlConfig(input.csctl).filter((i) => i.severity === 'error');
  if (problems.length) return problems[0].message;
  const latestHashes = input.mode === 'stable' ? input.latestHashes : NO_HASH;
  if (input.current && latestHashes && unchanged(input.current, latestHashes))
    return `csctl refuses this release: no change in the cluster stack (cluster-addon/, cluster-addon-values.yaml and node-image/ hash as in ${input.mode === 'stable' ? `the latest release${input.latestVersion ? ` ${input.latestVersion}` : ''}` : 'no release, as the tree has none of them'}; changes elsewhere, e.g. in cluster-class/, do not count)`;
  const provider = stringField(input.csctl, 'config', 'provider', 'type') ?? '';
  const name = stringField(input.csctl, 'config', 'clusterStackName') ?? '';
  const full = stringField(input.csctl, 'config', 'kubernetesVersion') ?? '';
  const [maj, min] = full.slice(1).split('.').map(Number);
  let version: string | undefined;
  if (input.mode === 'hash') {
    if (!input.hash) return 'hash mode needs the hash of the cluster-stack directory';
    version = `v0-sha.${input.hash}`;
  } else if (input.mode === 'custom') {
    // create.go:189-203, mode.go:84-93: all three versions are required and must parse with version.New.
    version = input.customVersion;
    if (!version) return 'custom mode needs --cluster-stack-version, e.g. v1-alpha.0';
    if (!input.customAddonVersion) return 'custom mode needs --cluster-addon-version too (csctl refuses without it)';
    if (!input.customNodeImageVersion) return 'custom mode needs --node-image-version too (csctl refuses without it)';
    for (const [flag, v] of [
      ['--cluster-addon-version', input.customAddonVersion],
      ['--node-image-version', input.customNodeImageVersion],
    ] as const)
      if (!parseStackVersion(v)) return `${flag} "${v}" is not a version csctl accepts (v<number> or v<number>-<channel>.<patch>)`;
  } else {
    version = input.latestVersion ? bumpVersion(input.latestVersion) : 'v1';
    if (!version) return `cannot bump version "${input.latestVersion}"`;
  }
  const parsed = parseStackVersion(version);
  if (!parsed) return `version "${version}" is not valid for the operator (v<number> or v<number>-<channel>.<patch>)`;
  const id: ClusterStackId = { provider, name, kubernetes: { major: maj, minor: min }, version: parsed };
  const channel: Channel = input.mode === 'stable' ? 'stable' : 'custom';
  const kubernetesVersion = `${maj}.${min}`;
  const components =
    input.mode === 'hash'
      ? { clusterAddon: version, nodeImage: version }
      : input.mode === 'custom' && input.customAddonVersion && input.customNodeImageVersion
        ? { clusterAddon: input.customAddonVersion, nodeImage: input.customNodeImageVersion }
        : undefined;
  return {
    version,
    kubernetesVersion,
    channel,
    clusterStackRelease: clusterStackReleaseName(id),
    clusterClass: clusterClassName(id),
    ...(components ? { components } : {}),
    clusterStack: buildClusterStack({
      objectName: `${provider}-${name}-${maj}-${min}`,
      namespace: input.namespace ?? 'my-tenant',
      provider,
      name,
      kubernetesVersion,
      channel,
      versions: [version],
      autoSubscribe: false,
    }),
  };
}

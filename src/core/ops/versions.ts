/**
 * Kubernetes versions the way Cluster API reads and compares them: `semver.ParseTolerant` (surrounding
 * blanks, a leading `v`, a missing minor/patch filled with 0) and `util/version.Compare` with its options
 * `WithoutPreReleases` and `WithBuildTags` (kubernetes-sigs/cluster-api@ae7ff047 util/version/version.go:52-201).
 * And cluster-stack versions the way the cluster-stack operator compares them (same channel only:
 * SovereignCloudStack/cluster-stack-operator@b3680fb pkg/version/version.go:181-208).
 */
import type { StackVersion } from '../stacks/names';

export interface KubeVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly pre: readonly string[];
  readonly build: readonly string[];
}

const IDENT = /^[0-9A-Za-z-]+$/;

/** `v1.33.4`, `1.33`, `v1.32.0-alpha.2`, `v1.32.0+foo.1`; undefined for anything that is not a version. */
export function parseKubeVersion(text: string): KubeVersion | undefined {
  const s = text.trim().replace(/^v/, '');
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/.exec(s);
  if (!m) return undefined;
  if ((m[2] === undefined || m[3] === undefined) && (m[4] !== undefined || m[5] !== undefined)) return undefined;
  const pre = m[4] === undefined ? [] : m[4].split('.');
  const build = m[5] === undefined ? [] : m[5].split('.');
  if (!pre.every((p) => IDENT.test(p) && !/^0\d+$/.test(p)) || !build.every((b) => IDENT.test(b))) return undefined;
  return { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0), pre, build };
}

const isNum = (s: string): boolean => /^\d+$/.test(s);

function comparePre(a: readonly string[], b: readonly string[]): -1 | 0 | 1 {
  if (!a.length && !b.length) return 0;
  if (!a.length) return 1;
  if (!b.length) return -1;
  for (let i = 0; i < a.length && i < b.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (isNum(x) && isNum(y)) return Number(x) < Number(y) ? -1 : 1;
    if (isNum(x)) return -1;
    if (isNum(y)) return 1;
    return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Build identifiers: numbers numerically, numbers below words, different words incomparable (2). */
function compareBuild(a: readonly string[], b: readonly string[]): -1 | 0 | 1 | 2 {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const x = a[i];
    const y = b[i];
    if (isNum(x) !== isNum(y)) return isNum(x) ? -1 : 1;
    if (isNum(x)) {
      if (Number(x) !== Number(y)) return Number(x) < Number(y) ? -1 : 1;
    } else if (x !== y) return 2;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** `version.Compare`: -1, 0, 1, or 2 when build tags differ in a way that has no order. */
export function compareKubeVersions(
  a: KubeVersion,
  b: KubeVersion,
  opts: { readonly withoutPreReleases?: boolean; readonly withBuildTags?: boolean } = {},
): -1 | 0 | 1 | 2 {
  for (const k of ['major', 'minor', 'patch'] as const) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  const pre = opts.withoutPreReleases ? 0 : comparePre(a.pre, b.pre);
  if (pre !== 0 || !opts.withBuildTags) return pre;
  return compareBuild(a.build, b.build);
}

/** `semver.Version.String()`. */
export function formatKubeVersion(v: KubeVersion): string {
  return `${v.major}.${v.minor}.${v.patch}${v.pre.length ? `-${v.pre.join('.')}` : ''}${v.build.length ? `+${v.build.join('.')}` : ''}`;
}

/** The same version including pre-release and build (Cluster API compares `String()`s for "unchanged"). */
export function sameKubeVersion(a: KubeVersion, b: KubeVersion): boolean {
  return formatKubeVersion(a) === formatKubeVersion(b);
}

/**
 * The operator's `Version.Compare`: major first, then the patch as a string; undefined for different
 * channels, which the operator refuses to compare.
 */
export function compareStackVersions(a: StackVersion, b: StackVersion): -1 | 0 | 1 | undefined {
  if (a.channel !== b.channel) return undefined;
  if (a.major !== b.major) return a.major < b.major ? -1 : 1;
  if (a.patch !== b.patch) return a.patch < b.patch ? -1 : 1;
  return 0;
}

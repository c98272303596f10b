/**
 * Cluster-stack names, as the cluster-stack operator (CSO) builds and parses them (domain.md §4.2, §4.4).
 *
 * A cluster stack is `<provider>-<name>-<k8s major>-<k8s minor>-<version>`. The version has two spellings:
 * - "dot" (`v1`, `v0-sha.abc1234`, `v1-alpha.0`): the ClusterClass name and `spec.topology.class`
 *   (CSO pkg/version `New`, pkg/clusterstack `StringWithDot`, `NewFromClusterClassProperties`: 5 or 6 parts);
 * - "dash" (`v1`, `v0-sha-abc1234`): the ClusterStackRelease name (`String`, `NewFromClusterStackReleaseProperties`:
 *   5 or 7 parts). `release.ConvertFromClusterClassToClusterStackFormat` maps the first onto the second.
 */

/** `spec.kubernetesVersion` of a ClusterStack (CRD pattern). */
export const KUBERNETES_MINOR_PATTERN = /^\d\.\d+$/;
/** A ClusterStack version (`version.New`). */
export const STACK_VERSION_PATTERN = /^v\d+(-\b\w+\b\.\w+)?$/;
/** The dash spelling of a version in release names and `status.summary[].name` (`version.ParseVersionString`, pkg/version/version.go). */
const RELEASE_VERSION_PATTERN = /^v\d+(-\b\w+\b-\w+)?$/;
/** A full Kubernetes version as `topology.version` and csctl.yaml carry it. */
export const KUBERNETES_PATCH_PATTERN = /^v\d+\.\d+\.\d+$/;
/** An RFC 1123 DNS label (namespaces, most object names, csctl's provider type), without the length limit. */
export const DNS_LABEL_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** The length limit of a DNS label (apimachinery pkg/util/validation `DNS1123LabelMaxLength`). */
export const DNS_LABEL_MAX_LENGTH = 63;

/** Why `v` is not a DNS label (namespace, ServiceAccount, Cluster name), or undefined when it is one. */
export function validateDnsLabel(v: string): string | undefined {
  if (!v) return 'Required';
  if (v.length > DNS_LABEL_MAX_LENGTH) return `At most ${DNS_LABEL_MAX_LENGTH} characters`;
  return DNS_LABEL_PATTERN.test(v) ? undefined : 'Lower-case letters, digits and "-", starting and ending with a letter or digit';
}

export interface StackVersion {
  readonly major: number;
  /** `stable`, or the pre-release channel of `v<major>-<channel>.<patch>` (e.g. `sha` in hash mode). */
  readonly channel: string;
  readonly patch: string;
}

export interface KubernetesMinor {
  readonly major: number;
  readonly minor: number;
}

export interface ClusterStackId {
  readonly provider: string;
  readonly name: string;
  readonly kubernetes: KubernetesMinor;
  readonly version: StackVersion;
}

/** Parses `v1`, `v1-alpha.0`, `v0-sha.abc1234` (dot spelling); undefined when CSO would reject it. */
export function parseStackVersion(text: string): StackVersion | undefined {
  if (!STACK_VERSION_PATTERN.test(text)) return undefined;
  const dash = text.indexOf('-');
  const major = Number(text.slice(1, dash < 0 ? undefined : dash));
  if (dash < 0) return { major, channel: 'stable', patch: '' };
  const [channel, patch] = text.slice(dash + 1).split('.');
  return { major, channel, patch };
}

/** Parses `v1`, `v1-alpha-0` (dash spelling, as in ClusterStackRelease names and the ClusterStack summary). */
export function parseReleaseVersion(text: string): StackVersion | undefined {
  if (!RELEASE_VERSION_PATTERN.test(text)) return undefined;
  const [major, channel, patch] = text.slice(1).split('-');
  return channel === undefined ? { major: Number(major), channel: 'stable', patch: '' } : { major: Number(major), channel, patch };
}

/** Parses `1.33`; CSO also requires major and minor to be non-zero (kubernetesversion.Validate). */
export function parseKubernetesMinor(text: string): KubernetesMinor | undefined {
  const m = /^(\d+)\.(\d+)$/.exec(text);
  if (!m) return undefined;
  const k = { major: Number(m[1]), minor: Number(m[2]) };
  return k.major === 0 || k.minor === 0 ? undefined : k;
}

/** `v1.33.4` → `1.33`; undefined for anything else. */
export function minorOfKubernetesVersion(text: string): string | undefined {
  const m = /^v(\d+)\.(\d+)\.\d+$/.exec(text);
  return m ? `${m[1]}.${m[2]}` : undefined;
}

export function versionWithDot(v: StackVersion): string {
  return v.channel === 'stable' ? `v${v.major}` : `v${v.major}-${v.channel}.${v.patch}`;
}

function versionWithDash(v: StackVersion): string {
  return v.channel === 'stable' ? `v${v.major}` : `v${v.major}-${v.channel}-${v.patch}`;
}

/** The ClusterClass name CSO creates (and `topology.class` must name), e.g. `openstack-scs2-1-33-v1`. */
export function clusterClassName(id: ClusterStackId): string {
  return [id.provider, id.name, `${id.kubernetes.major}-${id.kubernetes.minor}`, versionWithDot(id.version)].join('-');
}

/** The ClusterStackRelease name, e.g. `openstack-scs2-1-33-v0-sha-abc1234`. */
export function clusterStackReleaseName(id: ClusterStackId): string {
  return [id.provider, id.name, `${id.kubernetes.major}-${id.kubernetes.minor}`, versionWithDash(id.version)].join('-');
}

/** The ClusterStackRelease that belongs to a ClusterClass name (`ConvertFromClusterClassToClusterStackFormat`). */
export function releaseNameOfClass(className: string): string {
  const parts = className.split('.');
  return parts.length === 2 ? `${parts[0]}-${parts[1]}` : className;
}

/** Builds the id from ClusterStack spec values; undefined when one of them is not what CSO accepts. */
export function clusterStackId(provider: string, name: string, kubernetesVersion: string, version: string): ClusterStackId | undefined {
  const kubernetes = parseKubernetesMinor(kubernetesVersion);
  const v = parseStackVersion(version);
  if (!provider || !name || !kubernetes || !v) return undefined;
  return { provider, name, kubernetes, version: v };
}

export type ParseNameError = 'parts' | 'provider' | 'name' | 'kubernetes' | 'version';

/**
 * Parses a ClusterClass name (`topology.class`) as the Cluster webhook does: 5 or 6 `-`-separated parts.
 * A stack name that contains `-` makes the parts shift, which is why the ClusterStack rules forbid it.
 */
export function parseClusterClassName(text: string): ClusterStackId | ParseNameError {
  const parts = text.split('-');
  if (parts.length !== 5 && parts.length !== 6) return 'parts';
  const [provider, name, maj, min] = parts;
  if (!provider) return 'provider';
  if (!name) return 'name';
  if (!/^\d+$/.test(maj) || !/^\d+$/.test(min)) return 'kubernetes';
  const version = parseStackVersion(parts.slice(4).join('-'));
  if (!version) return 'version';
  return { provider, name, kubernetes: { major: Number(maj), minor: Number(min) }, version };
}

/** Parses a ClusterStackRelease name (5 or 7 parts, dash spelling). */
export function parseClusterStackReleaseName(text: string): ClusterStackId | ParseNameError {
  const parts = text.split('-');
  if (parts.length !== 5 && parts.length !== 7) return 'parts';
  const dotted = parts.length === 7 ? [...parts.slice(0, 5), `${parts[5]}.${parts[6]}`].join('-') : text;
  return parseClusterClassName(dotted);
}

export function isParsed(r: ClusterStackId | ParseNameError): r is ClusterStackId {
  return typeof r !== 'string';
}

export const PARSE_ERROR_TEXT: Readonly<Record<ParseNameError, string>> = {
  parts: 'expected <provider>-<clusterStackName>-<k8s major>-<k8s minor>-<version> (5 or 6 parts separated by "-")',
  provider: 'the provider part is empty',
  name: 'the cluster stack name part is empty',
  kubernetes: 'the Kubernetes version parts must be numbers, e.g. 1-33',
  version: 'the version part must look like v1 or v0-sha.abc1234',
};

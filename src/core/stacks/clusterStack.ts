/**
 * The `ClusterStack` (clusterstack.x-k8s.io/v1alpha1) a CSP applies into a tenant namespace (domain.md §4.1, §4.4):
 * generated from the user's choices, and validated the way the CRD schema and the cluster-stack operator's
 * webhook (api/v1alpha1/clusterstack_webhook.go) would, before anything is sent to a cluster.
 */
import { field, stringField } from '../capi/types';
import type { Issue } from './located';
import {
  clusterClassName,
  clusterStackId,
  clusterStackReleaseName,
  DNS_LABEL_PATTERN,
  KUBERNETES_MINOR_PATTERN,
  parseKubernetesMinor,
  parseStackVersion,
} from './names';

export const CLUSTER_STACK_API_VERSION = 'clusterstack.x-k8s.io/v1alpha1';
export const CLUSTER_STACK_GROUP = 'clusterstack.x-k8s.io';
export const CHANNELS = ['stable', 'custom'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

export interface ClusterStackChoices {
  /** metadata.name of the ClusterStack object. */
  readonly objectName: string;
  readonly namespace: string;
  readonly provider: string;
  readonly name: string;
  /** `1.33` */
  readonly kubernetesVersion: string;
  readonly channel: Channel;
  readonly versions: readonly string[];
  readonly autoSubscribe: boolean;
  /** The provider template (CSPO); absent means `noProvider: true`. */
  readonly providerRef?: ObjectRef;
}

export interface ClusterStackManifest {
  apiVersion: typeof CLUSTER_STACK_API_VERSION;
  kind: 'ClusterStack';
  metadata: { name: string; namespace: string };
  spec: {
    provider: string;
    name: string;
    kubernetesVersion: string;
    channel: Channel;
    autoSubscribe: boolean;
    noProvider?: true;
    providerRef?: ObjectRef;
    versions?: string[];
  };
}

/** The manifest for the choices; field order follows the SCS docs so the review reads like them. */
export function buildClusterStack(c: ClusterStackChoices): ClusterStackManifest {
  const spec: ClusterStackManifest['spec'] = {
    provider: c.provider,
    name: c.name,
    kubernetesVersion: c.kubernetesVersion,
    channel: c.channel,
    autoSubscribe: c.autoSubscribe,
  };
  if (c.providerRef) spec.providerRef = { ...c.providerRef };
  else spec.noProvider = true;
  if (c.versions.length) spec.versions = [...c.versions];
  return { apiVersion: CLUSTER_STACK_API_VERSION, kind: 'ClusterStack', metadata: { name: c.objectName, namespace: c.namespace }, spec };
}

export function isClusterStack(obj: unknown): boolean {
  const apiVersion = stringField(obj, 'apiVersion') ?? '';
  return stringField(obj, 'kind') === 'ClusterStack' && apiVersion.startsWith(`${CLUSTER_STACK_GROUP}/`);
}

/** Checks of the CRD's OpenAPI schema: the JSON schema in the editor reports these too. */
const SCHEMA_CODES = new Set(['CSK101', 'CSK102', 'CSK104', 'CSK105']);

/** True for issues the CRD schema (and so the editor's JSON schema) already reports. */
export function isSchemaIssue(issue: Issue): boolean {
  return SCHEMA_CODES.has(issue.code);
}

/**
 * Validates a ClusterStack object. With `old` (the object in the cluster) the update rules apply too:
 * provider, name, channel and kubernetesVersion are immutable.
 */
export function validateClusterStack(obj: unknown, old?: unknown): Issue[] {
  const issues: Issue[] = [];
  const err = (code: string, path: (string | number)[], message: string, atKey = false): void => {
    issues.push({ code, severity: 'error', path, message, atKey });
  };
  const spec = field(obj, 'spec');
  if (spec === null || typeof spec !== 'object') {
    err('CSK100', ['spec'], 'a ClusterStack needs a spec (provider, name, kubernetesVersion, versions)', true);
    return issues;
  }
  const provider = field(spec, 'provider');
  if (typeof provider !== 'string' || provider === '')
    err('CSK101', ['spec', 'provider'], 'spec.provider must be a non-empty string, e.g. openstack');
  else if (!DNS_LABEL_PATTERN.test(provider) || provider.includes('-'))
    err(
      'CSK109',
      ['spec', 'provider'],
      `provider "${provider}" must be a lower-case word without "-": it is the first part of the ClusterClass name`,
    );

  const name = field(spec, 'name');
  if (typeof name !== 'string' || name === '') err('CSK102', ['spec', 'name'], 'spec.name must be a non-empty string, e.g. scs2');
  else if (name.includes('-'))
    err(
      'CSK103',
      ['spec', 'name'],
      `name "${name}" contains "-": the ClusterClass name <provider>-<name>-<maj>-<min>-<version> could not be parsed back by the operator`,
    );

  const kv = field(spec, 'kubernetesVersion');
  if (typeof kv !== 'string' || !KUBERNETES_MINOR_PATTERN.test(kv))
    err(
      'CSK104',
      ['spec', 'kubernetesVersion'],
      `spec.kubernetesVersion must be <major>.<minor> as a string, e.g. "1.33" (got ${JSON.stringify(kv ?? null)})`,
    );
  else if (!parseKubernetesMinor(kv))
    err('CSK104', ['spec', 'kubernetesVersion'], `spec.kubernetesVersion "${kv}": major and minor must not be 0`);

  const channel = field(spec, 'channel');
  if (channel !== undefined && !(CHANNELS as readonly unknown[]).includes(channel))
    err('CSK105', ['spec', 'channel'], `spec.channel must be "stable" or "custom" (got ${JSON.stringify(channel)})`);

  const versions = field(spec, 'versions');
  if (versions !== undefined && versions !== null && !Array.isArray(versions))
    err('CSK106', ['spec', 'versions'], 'spec.versions must be a list, e.g. [v1]');
  if (Array.isArray(versions)) {
    versions.forEach((v, i) => {
      if (typeof v !== 'string' || !parseStackVersion(v))
        err(
          'CSK106',
          ['spec', 'versions', i],
          `invalid version ${JSON.stringify(v)}: a version is v<number> or v<number>-<channel>.<patch>, e.g. v1 or v0-sha.abc1234`,
        );
    });
  }

  const noProvider = field(spec, 'noProvider') === true;
  const providerRef = field(spec, 'providerRef');
  if (!noProvider && (providerRef === undefined || providerRef === null))
    err(
      'CSK107',
      ['spec'],
      'empty provider ref, even though noProvider mode is turned off: set spec.providerRef or spec.noProvider: true',
      true,
    );
  if (noProvider && providerRef)
    issues.push({
      code: 'CSK111',
      severity: 'warning',
      path: ['spec', 'providerRef'],
      message: 'spec.providerRef is ignored because spec.noProvider is true',
      atKey: true,
    });

  const autoSubscribe = field(spec, 'autoSubscribe');
  if (autoSubscribe === undefined)
    issues.push({
      code: 'CSK110',
      severity: 'info',
      path: ['spec'],
      message: 'spec.autoSubscribe is not set and defaults to true: the operator will fetch and install new releases on its own',
      atKey: true,
    });

  if (old !== undefined) {
    for (const key of ['provider', 'name', 'channel', 'kubernetesVersion']) {
      const before = field(old, 'spec', key) ?? (key === 'channel' ? 'stable' : undefined);
      const after = field(spec, key) ?? (key === 'channel' ? 'stable' : undefined);
      if (before !== after)
        err(
          'CSK108',
          ['spec', key],
          `spec.${key} is immutable: the ClusterStack in the cluster has ${JSON.stringify(before)}; create a new ClusterStack instead`,
        );
    }
  }
  return issues;
}

export interface ExpectedRelease {
  readonly version: string;
  readonly clusterStackRelease: string;
  readonly clusterClass: string;
}

/** The ClusterStackReleases and ClusterClasses the operator creates for the spec's versions (valid ones only). */
export function expectedReleases(spec: unknown): ExpectedRelease[] {
  const provider = stringField(spec, 'provider') ?? '';
  const name = stringField(spec, 'name') ?? '';
  const kv = stringField(spec, 'kubernetesVersion') ?? '';
  const versions = field(spec, 'versions');
  if (!Array.isArray(versions)) return [];
  const out: ExpectedRelease[] = [];
  for (const v of versions) {
    if (typeof v !== 'string') continue;
    const id = clusterStackId(provider, name, kv, v);
    if (id) out.push({ version: v, clusterStackRelease: clusterStackReleaseName(id), clusterClass: clusterClassName(id) });
  }
  return out;
}

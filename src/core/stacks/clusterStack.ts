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
 * The operator parses release names back by splitting at `-` (5 or 7 parts, 5 or 6 for ClusterClass names:
 * SovereignCloudStack/cluster-stack-operator@b3680fb pkg/clusterstack/clusterstack.go:61-66, :109-114). A `-` in the provider or
 * the stack name passes the webhook and the CRD, but every release of such a stack fails in the controller
 * (internal/clusterstackrelease/util.go:29-33): a warning, not a "would be rejected" error.
 */
const NAME_DASH_CONSEQUENCE =
  'the API server accepts it (no webhook or CRD rule), but the operator splits release names at "-" and cannot parse them back, so none of its releases becomes usable';

/**
 * Validates a ClusterStack object as the API server would: errors are what the CRD schema or the operator's webhook
 * reject (SovereignCloudStack/cluster-stack-operator@b3680fb api/v1alpha1/clusterstack_webhook.go), warnings what they
 * accept but the operator or csctl then cannot work with. With `old` (the object in the cluster) it is an update: the
 * webhook then checks only immutability of provider, name, channel and kubernetesVersion (clusterstack_webhook.go:95-141),
 * so the create-only rules (versions, providerRef) become warnings.
 */
export function validateClusterStack(obj: unknown, old?: unknown): Issue[] {
  const issues: Issue[] = [];
  const err = (code: string, path: (string | number)[], message: string, atKey = false): void => {
    issues.push({ code, severity: 'error', path, message, atKey });
  };
  const warn = (code: string, path: (string | number)[], message: string, atKey = false): void => {
    issues.push({ code, severity: 'warning', path, message, atKey });
  };
  /** Rules of ValidateCreate (clusterstack_webhook.go:64-92): errors on create, warnings on update. */
  const createOnly = old === undefined ? err : warn;
  const onUpdate = old === undefined ? '' : ' (the webhook checks this only on create; the operator still cannot use it)';
  const spec = field(obj, 'spec');
  if (spec === null || typeof spec !== 'object') {
    err('CSK100', ['spec'], 'a ClusterStack needs a spec (provider, name, kubernetesVersion, versions)', true);
    return issues;
  }
  const provider = field(spec, 'provider');
  if (typeof provider !== 'string' || provider === '')
    err('CSK101', ['spec', 'provider'], 'spec.provider must be a non-empty string, e.g. openstack');
  else if (!DNS_LABEL_PATTERN.test(provider))
    warn(
      'CSK109',
      ['spec', 'provider'],
      `provider "${provider}" is not a lower-case DNS label: the API server accepts it, but csctl refuses it as a provider type (csctl pkg/clusterstack/config.go:69-75) and the operator's release objects cannot be named after it`,
    );
  else if (provider.includes('-')) warn('CSK109', ['spec', 'provider'], `provider "${provider}" contains "-": ${NAME_DASH_CONSEQUENCE}`);

  const name = field(spec, 'name');
  if (typeof name !== 'string' || name === '') err('CSK102', ['spec', 'name'], 'spec.name must be a non-empty string, e.g. scs2');
  else if (name.includes('-')) warn('CSK103', ['spec', 'name'], `name "${name}" contains "-": ${NAME_DASH_CONSEQUENCE}`);

  const kv = field(spec, 'kubernetesVersion');
  if (typeof kv !== 'string' || !KUBERNETES_MINOR_PATTERN.test(kv))
    err(
      'CSK104',
      ['spec', 'kubernetesVersion'],
      `spec.kubernetesVersion must be <major>.<minor> as a string, e.g. "1.33" (got ${JSON.stringify(kv ?? null)})`,
    );
  else if (!parseKubernetesMinor(kv))
    // Not a webhook rule: the CRD pattern ^\d\.\d+$ admits it; kubernetesversion.Validate rejects 0 in the controller
    // (pkg/kubernetesversion/kubernetesversion.go:86-95, called by clusterstack.New, pkg/clusterstack/clusterstack.go:157-181).
    warn(
      'CSK112',
      ['spec', 'kubernetesVersion'],
      `spec.kubernetesVersion "${kv}": the API server accepts it, but the operator rejects a major or minor version of 0 and builds no release`,
    );

  const channel = field(spec, 'channel');
  if (channel !== undefined && !(CHANNELS as readonly unknown[]).includes(channel))
    err('CSK105', ['spec', 'channel'], `spec.channel must be "stable" or "custom" (got ${JSON.stringify(channel)})`);

  const versions = field(spec, 'versions');
  if (versions !== undefined && versions !== null && !Array.isArray(versions))
    err('CSK106', ['spec', 'versions'], 'spec.versions must be a list, e.g. [v1]');
  if (Array.isArray(versions)) {
    versions.forEach((v, i) => {
      if (typeof v !== 'string' || !parseStackVersion(v))
        createOnly(
          'CSK106',
          ['spec', 'versions', i],
          `invalid version ${JSON.stringify(v)}: a version is v<number> or v<number>-<channel>.<patch>, e.g. v1 or v0-sha.abc1234${onUpdate}`,
        );
    });
  }

  const noProvider = field(spec, 'noProvider') === true;
  const providerRef = field(spec, 'providerRef');
  if (!noProvider && (providerRef === undefined || providerRef === null))
    createOnly(
      'CSK107',
      ['spec'],
      `empty provider ref, even though noProvider mode is turned off: set spec.providerRef or spec.noProvider: true${onUpdate}`,
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

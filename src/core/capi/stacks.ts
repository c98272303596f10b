/**
 * Readiness of cluster-stack-operator objects (clusterstack.x-k8s.io/v1alpha1): ClusterStack
 * (`status.summary[]`, `status.conditions`, `status.usableVersions`, `status.latestRelease`) and
 * ClusterStackRelease (`status.ready`, `status.conditions`, `status.kubernetesVersion`).
 */
import { parseReleaseVersion, versionWithDot } from '../stacks/names';
import { type KubeObject, conditionsAt, field, findCondition, oneLine, stringField } from './types';

export type Readiness = 'ready' | 'progressing' | 'failed' | 'deleting' | 'unknown';

export interface StackVersionSummary {
  /** The version in the dot form of `spec.versions` (`v1-alpha.0`), converted from the summary's dash form. */
  version: string;
  /** `summary[].name` as the operator writes it: the dash form `v1-alpha-0` (internal/clusterstackrelease/util.go:35-37). */
  summaryName: string;
  ready: boolean;
  phase?: string;
  message?: string;
}

export interface ClusterStackState {
  name: string;
  /** `<provider>/<name> <kubernetesVersion>` as the stack is identified by CSO. */
  stack: string;
  readiness: Readiness;
  reason: string;
  latestRelease?: string;
  /**
   * `status.latestRelease` read: `<provider>-<name>-<maj>-<min>-<version in dot form> | <k8s version>` of the highest
   * sorted ready release (clusterstack_controller.go:228-229, :516-545), i.e. the ClusterClass name.
   */
  latest?: { clusterClass: string; kubernetesVersion?: string };
  usableVersions?: string;
  versions: StackVersionSummary[];
}

export interface ReleaseState {
  name: string;
  readiness: Readiness;
  reason: string;
  kubernetesVersion?: string;
  /** The ClusterStack that owns it (owner reference), when known. */
  owner?: string;
  /**
   * The provider object the operator created for it (`spec.providerRef`): the template's kind minus `Template`, e.g.
   * OpenStackClusterStackRelease (clusterstack_controller.go:289, :430-433); absent in noProvider mode.
   */
  providerRef?: { kind: string; name: string };
}

/** CSO's retry state: HelmChartApplied False ObjectsApplyingOngoing (Warning), requeued after 20 s (clusterstackrelease_controller.go:203-205). */
const APPLYING_ONGOING = 'ObjectsApplyingOngoing';

/** A summary name (dash form) in the dot form of `spec.versions`; unchanged when it does not parse. */
function dotForm(name: string): string {
  const v = parseReleaseVersion(name);
  return v ? versionWithDot(v) : name;
}

function fromReadyCondition(obj: KubeObject): { readiness: Readiness; reason: string } | undefined {
  const conditions = conditionsAt(obj, 'status', 'conditions');
  const ready = findCondition(conditions, 'Ready');
  if (!ready) return undefined;
  if (ready.status === 'True') return { readiness: 'ready', reason: 'Ready' };
  // SetSummary copies the worst condition's reason and severity into Ready (clusterstackrelease_controller.go:89-90), so the
  // retry's Warning shows on Ready too: it is progress, not failure.
  const applied = findCondition(conditions, 'HelmChartApplied');
  const retrying = [ready, applied].find((c) => c?.status === 'False' && c.reason === APPLYING_ONGOING);
  if (retrying)
    return {
      readiness: 'progressing',
      reason: `retrying: ${oneLine(retrying.message) || APPLYING_ONGOING} (${APPLYING_ONGOING}; the operator tries again every 20 s)`,
    };
  const reason = oneLine(ready.message) || ready.reason || `Ready is ${ready.status}`;
  if (ready.status === 'False' && (ready.severity === 'Error' || ready.severity === 'Warning')) return { readiness: 'failed', reason };
  return { readiness: ready.status === 'Unknown' ? 'unknown' : 'progressing', reason };
}

export function clusterStackState(obj: KubeObject): ClusterStackState {
  const summaryRaw = field(obj, 'status', 'summary');
  const versions: StackVersionSummary[] = Array.isArray(summaryRaw)
    ? summaryRaw
        .filter((s): s is Record<string, unknown> => s !== null && typeof s === 'object')
        .map((s) => ({
          version: typeof s.name === 'string' ? dotForm(s.name) : '?',
          summaryName: typeof s.name === 'string' ? s.name : '?',
          ready: s.ready === true,
          phase: typeof s.phase === 'string' && s.phase ? s.phase : undefined,
          message: typeof s.message === 'string' && s.message ? s.message : undefined,
        }))
    : [];
  const provider = stringField(obj, 'spec', 'provider') ?? '?';
  const csName = stringField(obj, 'spec', 'name') ?? '?';
  const k8s = stringField(obj, 'spec', 'kubernetesVersion') ?? '?';

  let verdict: { readiness: Readiness; reason: string };
  const notReady = versions.filter((v) => !v.ready);
  if (obj.metadata?.deletionTimestamp) verdict = { readiness: 'deleting', reason: 'Being deleted' };
  else if (notReady.length > 0) {
    const v = notReady[0];
    verdict = { readiness: 'progressing', reason: `${v.version}: ${v.phase ?? 'not ready'}${v.message ? ` (${v.message})` : ''}` };
  } else {
    verdict =
      fromReadyCondition(obj) ??
      (versions.length > 0
        ? { readiness: 'ready', reason: 'All versions ready' }
        : { readiness: 'unknown', reason: 'No status reported yet' });
  }
  const latestRelease = stringField(obj, 'status', 'latestRelease');
  const [clusterClass, kubernetesVersion] = (latestRelease ?? '').split(' | ');
  return {
    name: obj.metadata?.name ?? '',
    stack: `${provider}/${csName} ${k8s}`,
    ...verdict,
    latestRelease,
    ...(latestRelease ? { latest: { clusterClass, ...(kubernetesVersion ? { kubernetesVersion } : {}) } } : {}),
    usableVersions: stringField(obj, 'status', 'usableVersions'),
    versions,
  };
}

export function releaseState(obj: KubeObject): ReleaseState {
  let verdict: { readiness: Readiness; reason: string };
  if (obj.metadata?.deletionTimestamp) verdict = { readiness: 'deleting', reason: 'Being deleted' };
  else if (field(obj, 'status', 'ready') === true) verdict = { readiness: 'ready', reason: 'Ready' };
  else verdict = fromReadyCondition(obj) ?? { readiness: 'unknown', reason: 'No status reported yet' };
  const providerKind = stringField(obj, 'spec', 'providerRef', 'kind');
  const providerName = stringField(obj, 'spec', 'providerRef', 'name');
  return {
    name: obj.metadata?.name ?? '',
    ...verdict,
    kubernetesVersion: stringField(obj, 'status', 'kubernetesVersion'),
    owner: obj.metadata?.ownerReferences?.find((r) => r.kind === 'ClusterStack')?.name,
    ...(providerKind && providerName ? { providerRef: { kind: providerKind, name: providerName } } : {}),
  };
}

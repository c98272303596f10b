/**
 * Readiness of cluster-stack-operator objects (clusterstack.x-k8s.io/v1alpha1): ClusterStack
 * (`status.summary[]`, `status.conditions`, `status.usableVersions`, `status.latestRelease`) and
 * ClusterStackRelease (`status.ready`, `status.conditions`, `status.kubernetesVersion`).
 */
import { type KubeObject, conditionsAt, field, findCondition, oneLine, stringField } from './types';

export type Readiness = 'ready' | 'progressing' | 'failed' | 'deleting' | 'unknown';

export interface StackVersionSummary {
  version: string;
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
}

function fromReadyCondition(obj: KubeObject): { readiness: Readiness; reason: string } | undefined {
  const ready = findCondition(conditionsAt(obj, 'status', 'conditions'), 'Ready');
  if (!ready) return undefined;
  if (ready.status === 'True') return { readiness: 'ready', reason: 'Ready' };
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
          version: typeof s.name === 'string' ? s.name : '?',
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
  return {
    name: obj.metadata?.name ?? '',
    stack: `${provider}/${csName} ${k8s}`,
    ...verdict,
    latestRelease: stringField(obj, 'status', 'latestRelease'),
    usableVersions: stringField(obj, 'status', 'usableVersions'),
    versions,
  };
}

export function releaseState(obj: KubeObject): ReleaseState {
  let verdict: { readiness: Readiness; reason: string };
  if (obj.metadata?.deletionTimestamp) verdict = { readiness: 'deleting', reason: 'Being deleted' };
  else if (field(obj, 'status', 'ready') === true) verdict = { readiness: 'ready', reason: 'Ready' };
  else verdict = fromReadyCondition(obj) ?? { readiness: 'unknown', reason: 'No status reported yet' };
  return {
    name: obj.metadata?.name ?? '',
    ...verdict,
    kubernetesVersion: stringField(obj, 'status', 'kubernetesVersion'),
    owner: obj.metadata?.ownerReferences?.find((r) => r.kind === 'ClusterStack')?.name,
  };
}

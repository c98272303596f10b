/**
 * What every action on a workload cluster (upgrade, scale, pause/resume) hands to the write path: the
 * target, a JSON patch guarded by the object's resourceVersion, the server-side-apply configuration when
 * the change can be expressed as one, the Cluster as it will be after the change, and the findings of
 * the topology rules (CSK2xx) that the change introduces.
 */
import type { KubeObject } from '../capi/types';
import type { Issue } from '../stacks/located';
import { validateTopologyCluster, type TenantFacts } from '../stacks/topology';
import { applyJsonPatch, clone, pointer, type JsonPatchOp, type PathSegment } from './jsonPatch';

export interface ClusterRef {
  readonly apiVersion: string;
  readonly kind: 'Cluster';
  readonly name: string;
  readonly namespace: string;
}

export interface ClusterChange {
  readonly target: ClusterRef;
  /** One line: what changes, e.g. "Upgrade cs-cluster to openstack-scs2-1-34-v1 (Kubernetes v1.34.2)". */
  readonly summary: string;
  /** What the controllers will do once it is applied. */
  readonly effect: string;
  /** RFC 6902, for `PATCH` with `application/json-patch+json`; starts with a `test` of the resourceVersion read. */
  readonly patch: readonly JsonPatchOp[];
  /**
   * The partial object for server-side apply (field manager cluster-stacks-vscode), or undefined when
   * the change removes a field: an apply cannot remove a field another manager owns.
   */
  readonly applyConfiguration?: Record<string, unknown>;
  /** The Cluster after the patch. */
  readonly result: Record<string, unknown>;
  /** Topology-rule findings the change introduces (those the Cluster already had are not repeated). */
  readonly issues: readonly Issue[];
  readonly warnings: readonly string[];
  /** True when an issue is an error: the UI must not send the change. */
  readonly refused: boolean;
}

export function clusterRef(cluster: KubeObject): ClusterRef {
  return {
    apiVersion: cluster.apiVersion ?? 'cluster.x-k8s.io/v1beta1',
    kind: 'Cluster',
    name: cluster.metadata?.name ?? '',
    namespace: cluster.metadata?.namespace ?? '',
  };
}

export function isV1beta2(cluster: KubeObject): boolean {
  return /\/v1beta2$/.test(cluster.apiVersion ?? '');
}

function childOf(v: unknown, seg: PathSegment): unknown {
  if (Array.isArray(v)) return typeof seg === 'number' ? v[seg] : undefined;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.prototype.hasOwnProperty.call(o, String(seg)) ? o[String(seg)] : undefined;
  }
  return undefined;
}

function at(doc: unknown, path: readonly PathSegment[]): unknown {
  let cur = doc;
  for (const seg of path) {
    cur = childOf(cur, seg);
    if (cur === undefined) return undefined;
  }
  return cur;
}

/**
 * Builds the operations against the document as it is after the earlier ones, so that two fields under a
 * map that does not exist yet become one `add` of the map and one `add` into it.
 */
export class PatchBuilder {
  readonly ops: JsonPatchOp[] = [];
  private doc: unknown;

  constructor(doc: unknown) {
    this.doc = clone(doc);
  }

  private push(op: JsonPatchOp): void {
    this.doc = applyJsonPatch(this.doc, [op]);
    this.ops.push(op);
  }

  /** A `test` that the field still has the value read (guards list indexes and the values a change depends on). */
  test(path: readonly PathSegment[]): void {
    const v = at(this.doc, path);
    if (v !== undefined) this.push({ op: 'test', path: pointer(path), value: v });
  }

  /** `replace` when the field exists, else `add` at the first missing level. */
  set(path: readonly PathSegment[], value: unknown): void {
    let cur: unknown = this.doc;
    for (let i = 0; i < path.length; i++) {
      const next = childOf(cur, path[i]);
      if (next === undefined) {
        let nested: unknown = value;
        for (let j = path.length - 1; j > i; j--) nested = { [String(path[j])]: nested };
        this.push({ op: 'add', path: pointer(path.slice(0, i + 1)), value: nested });
        return;
      }
      cur = next;
    }
    this.push({ op: 'replace', path: pointer(path), value });
  }

  /** `remove` when the field exists; true when an operation was added. */
  remove(path: readonly PathSegment[]): boolean {
    if (at(this.doc, path) === undefined) return false;
    this.push({ op: 'remove', path: pointer(path) });
    return true;
  }
}

export interface ChangeInput {
  readonly summary: string;
  readonly effect: string;
  readonly ops: readonly JsonPatchOp[];
  /** The fields to apply below metadata name/namespace, e.g. `{ spec: { paused: true } }`; undefined when not expressible. */
  readonly apply?: Record<string, unknown>;
  readonly facts?: TenantFacts;
  /** Findings of the action itself (e.g. an even control-plane count), reported with the rule findings. */
  readonly issues?: readonly Issue[];
  readonly warnings?: readonly string[];
}

const key = (i: Issue): string => `${i.code}\u0000${i.message}`;

export function makeChange(cluster: KubeObject, input: ChangeInput): ClusterChange {
  const target = clusterRef(cluster);
  const rv = cluster.metadata?.resourceVersion;
  const patch: JsonPatchOp[] = [...(rv ? [{ op: 'test' as const, path: '/metadata/resourceVersion', value: rv }] : []), ...input.ops];
  const result = applyJsonPatch(cluster as Record<string, unknown>, patch);
  const before = new Set(validateTopologyCluster(cluster, input.facts).map(key));
  const ruleIssues = validateTopologyCluster(result, input.facts, cluster).filter((i) => !before.has(key(i)));
  const issues = [...(input.issues ?? []), ...ruleIssues];
  return {
    target,
    summary: input.summary,
    effect: input.effect,
    patch,
    applyConfiguration: input.apply
      ? { apiVersion: target.apiVersion, kind: 'Cluster', metadata: { name: target.name, namespace: target.namespace }, ...input.apply }
      : undefined,
    result,
    issues,
    warnings: input.warnings ?? [],
    refused: issues.some((i) => i.severity === 'error'),
  };
}

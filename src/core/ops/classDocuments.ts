/**
 * Which ClusterClasses the topology Clusters of a YAML text use, and which ClusterClass objects a text
 * carries: the editor gives a Cluster document the variable schema of its class (jsonSchema.ts) from a
 * ClusterClass in the same file, another workspace file or the live tenant. The class is
 * `spec.topology.class` (v1beta1) or `spec.topology.classRef.name` (v1beta2), in
 * `spec.topology.classNamespace` / `classRef.namespace` or else the Cluster's namespace
 * (kubernetes-sigs/cluster-api@ae7ff047 api/core/v1beta2/cluster_types.go ClusterClassRef).
 */
import { field, stringField } from '../capi/types';
import { isTopologyCluster, topologyClass } from '../stacks/topology';
import { parseYamlStream } from '../yaml/parse';
import { clusterVariablesDocumentSchema, type JsonSchema } from './jsonSchema';
import { classVariables } from './variables';

export interface ClassRef {
  readonly name: string;
  /** Undefined when neither the topology nor the Cluster names a namespace. */
  readonly namespace?: string;
}

function values(text: string): unknown[] {
  return parseYamlStream(text).documents.map((d) => d.value);
}

/** The classes the topology Clusters in `text` refer to (duplicates removed). */
export function clusterClassRefs(text: string): ClassRef[] {
  const out = new Map<string, ClassRef>();
  for (const obj of values(text)) {
    if (!isTopologyCluster(obj)) continue;
    const name = topologyClass(obj).name;
    if (!name) continue;
    const namespace =
      stringField(obj, 'spec', 'topology', 'classRef', 'namespace') ??
      stringField(obj, 'spec', 'topology', 'classNamespace') ??
      stringField(obj, 'metadata', 'namespace');
    out.set(`${namespace ?? ''}/${name}`, { name, namespace });
  }
  return [...out.values()];
}

/** The ClusterClass objects in `text`. */
export function clusterClassesIn(text: string): Record<string, unknown>[] {
  return values(text).filter(
    (o): o is Record<string, unknown> =>
      stringField(o, 'kind') === 'ClusterClass' &&
      (stringField(o, 'apiVersion') ?? '').startsWith('cluster.x-k8s.io/') &&
      typeof field(o, 'metadata', 'name') === 'string',
  );
}

/** A ClusterClass without a namespace (a file not yet applied) serves a reference in any namespace. */
function serves(cls: unknown, ref: ClassRef): boolean {
  if (stringField(cls, 'metadata', 'name') !== ref.name) return false;
  const ns = stringField(cls, 'metadata', 'namespace');
  return ns === undefined || ref.namespace === undefined || ns === ref.namespace;
}

/**
 * The document schema for the topology variables of Clusters referring to `refs` (clusterClassRefs), from
 * the first of `candidates` (in order of preference: live classes before workspace files) that serves each
 * reference; undefined when no class is known (then the document keeps its plain schema).
 */
export function variablesSchemaFor(refs: readonly ClassRef[], candidates: readonly unknown[]): JsonSchema | undefined {
  const classes = refs.flatMap((ref) => {
    const cls = candidates.find((c) => serves(c, ref));
    return cls ? [classVariables(cls)] : [];
  });
  // one schema per class name: the document schema matches Clusters to classes by name
  const byName = new Map(classes.map((c) => [c.className, c]));
  return byName.size ? clusterVariablesDocumentSchema([...byName.values()]) : undefined;
}

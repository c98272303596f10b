/**
 * The variables a ClusterClass offers to its Clusters. Cluster API validates a Cluster's variables
 * against the ClusterClass's `status.variables` (inline and externally discovered definitions, with
 * `definitionsConflict`), written by the ClusterClass controller; before that status exists, only the
 * inline `spec.variables` are known (kubernetes-sigs/cluster-api@ae7ff047 api/core/v1beta2/clusterclass_types.go:883-945,
 * :1658-1702; api/core/v1beta1/clusterclass_types.go:1270-1312 for the v1beta1 shapes: `metadata` instead of
 * `deprecatedV1Beta1Metadata`, plain booleans). A variable with conflicting definitions makes every
 * Cluster of the class invalid (internal/topology/variables/utils.go:52-82).
 */
import { field, stringField } from '../capi/types';

/** A variable schema as the ClusterClass carries it (`openAPIV3Schema`: a subset of a CRD's JSONSchemaProps). */
export type CapiSchema = Readonly<Record<string, unknown>>;

export interface VariableDefinition {
  readonly name: string;
  /** The variable as a whole must be set (unless its schema has a top-level default, which Cluster API fills in). */
  readonly required: boolean;
  readonly schema: CapiSchema;
  /** `inline`, or the patch whose DiscoverVariables extension defined it. */
  readonly from: string;
  readonly conflict: boolean;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface ClassVariables {
  readonly className: string;
  readonly source: 'status' | 'spec';
  readonly definitions: readonly VariableDefinition[];
  /** Problems that make the variables unusable or uncertain, one line each. */
  readonly problems: readonly string[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function stringMap(v: unknown): Record<string, string> | undefined {
  if (!isRecord(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

function definition(name: string, from: string, raw: unknown, conflict: boolean): VariableDefinition | undefined {
  const schema = field(raw, 'schema', 'openAPIV3Schema');
  if (!isRecord(schema)) return undefined;
  const meta = field(raw, 'deprecatedV1Beta1Metadata') ?? field(raw, 'metadata');
  return {
    name,
    required: field(raw, 'required') === true,
    schema,
    from,
    conflict,
    labels: stringMap(field(meta, 'labels')),
    annotations: stringMap(field(meta, 'annotations')),
  };
}

export function classVariables(clusterClass: unknown): ClassVariables {
  const className = stringField(clusterClass, 'metadata', 'name') ?? '';
  const problems: string[] = [];
  const status = field(clusterClass, 'status', 'variables');
  if (Array.isArray(status) && status.length > 0) {
    const generation = field(clusterClass, 'metadata', 'generation');
    const observed = field(clusterClass, 'status', 'observedGeneration');
    if (typeof generation === 'number' && typeof observed === 'number' && observed !== generation)
      problems.push(
        `ClusterClass ${className} has changed since its status.variables were written (generation ${generation}, observed ${observed})`,
      );
    const definitions: VariableDefinition[] = [];
    for (const v of status) {
      const name = stringField(v, 'name');
      if (!name) continue;
      const defs = field(v, 'definitions');
      const conflict = field(v, 'definitionsConflict') === true;
      if (conflict) problems.push(`variable "${name}" has conflicting definitions`);
      const first = Array.isArray(defs) ? defs[0] : undefined;
      const d = definition(name, stringField(first, 'from') ?? 'inline', first, conflict);
      if (d) definitions.push(d);
      else problems.push(`variable "${name}" has no definitions`);
    }
    return { className, source: 'status', definitions, problems };
  }
  const spec = field(clusterClass, 'spec', 'variables');
  const definitions: VariableDefinition[] = [];
  if (Array.isArray(spec))
    for (const v of spec) {
      const name = stringField(v, 'name');
      const d = name ? definition(name, 'inline', v, false) : undefined;
      if (d) definitions.push(d);
      else if (name) problems.push(`variable "${name}" has no openAPIV3Schema`);
    }
  return { className, source: 'spec', definitions, problems };
}

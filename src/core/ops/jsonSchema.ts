/**
 * ClusterClass variable schemas as JSON Schema (draft-07), for the editor (yaml-language-server:
 * completion, hover and validation of `topology.variables` in Cluster documents) and for the order form's
 * validator. The translation keeps Cluster API's meaning (kubernetes-sigs/cluster-api@ae7ff047
 * internal/topology/variables/cluster_variable_validation.go:136-260, the CRD validator of
 * k8s.io/apiextensions-apiserver on the converted schema):
 * - `exclusiveMinimum/Maximum: true` (OpenAPI v3 booleans) become draft-07 numeric bounds;
 * - fields not declared in an object are refused unless `x-kubernetes-preserve-unknown-fields` is set on
 *   that object (the pruning check, :242-266), so such objects get `additionalProperties: false`;
 * - `x-kubernetes-int-or-string` allows an integer or a string;
 * - `example` becomes `examples`; `default` stays (Cluster API fills top-level and nested defaults in);
 * - CEL rules (`x-kubernetes-validations`) cannot be expressed and stay as an annotation: the server checks them.
 * Variables: an array of `{name, value}`, the value checked against the schema of the variable it names;
 * a required variable without a top-level default must be present (defaulting adds the others first:
 * internal/topology/variables/cluster_variable_defaulting.go:101-117, validation :115-133).
 */
import type { CapiSchema, ClassVariables, VariableDefinition } from './variables';

export type JsonSchema = Record<string, unknown>;

export const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';

const COPY = [
  'description',
  'type',
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'required',
  'enum',
  'default',
  'x-kubernetes-validations',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-int-or-string',
  'x-metadata',
] as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** One Cluster API variable schema (any depth) as draft-07. */
export function toJsonSchema(s: CapiSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const k of COPY) if (s[k] !== undefined) out[k] = s[k];
  if (s.example !== undefined) out.examples = [s.example];
  if (typeof s.minimum === 'number') {
    if (s.exclusiveMinimum === true) out.exclusiveMinimum = s.minimum;
    else out.minimum = s.minimum;
  }
  if (typeof s.maximum === 'number') {
    if (s.exclusiveMaximum === true) out.exclusiveMaximum = s.maximum;
    else out.maximum = s.maximum;
  }
  if (isRecord(s.properties)) {
    const props: JsonSchema = {};
    for (const [k, v] of Object.entries(s.properties)) if (isRecord(v)) props[k] = toJsonSchema(v);
    out.properties = props;
  }
  if (isRecord(s.additionalProperties)) out.additionalProperties = toJsonSchema(s.additionalProperties);
  else if (s.additionalProperties === false) out.additionalProperties = false;
  const objectLike = s.type === 'object' || out.properties !== undefined || isRecord(s.additionalProperties);
  if (objectLike && out.additionalProperties === undefined && s['x-kubernetes-preserve-unknown-fields'] !== true)
    out.additionalProperties = false;
  if (isRecord(s.items)) out.items = toJsonSchema(s.items);
  const all: JsonSchema[] = [];
  if (s['x-kubernetes-int-or-string'] === true) all.push({ anyOf: [{ type: 'integer' }, { type: 'string' }] });
  if (Array.isArray(s.allOf)) all.push(...s.allOf.filter(isRecord).map(toJsonSchema));
  if (all.length) out.allOf = all;
  for (const k of ['oneOf', 'anyOf'] as const) if (Array.isArray(s[k])) out[k] = (s[k] as unknown[]).filter(isRecord).map(toJsonSchema);
  if (isRecord(s.not)) out.not = toJsonSchema(s.not);
  return out;
}

/** Required and without a top-level default: Cluster API cannot fill it in, the Cluster must set it. */
export function mustBeSet(d: VariableDefinition): boolean {
  return d.required && d.schema.default === undefined;
}

function firstLine(text: unknown): string | undefined {
  return typeof text === 'string' ? text.trim().split('\n')[0] : undefined;
}

/**
 * The schema of a `variables` list (`spec.topology.variables`, or the `overrides` of the control plane and
 * MachineDeployments when `forOverrides`: those may leave out required variables).
 */
export function variablesArraySchema(vars: ClassVariables, opts: { forOverrides?: boolean; v1beta1?: boolean } = {}): JsonSchema {
  const defs = vars.definitions;
  const names = defs.map((d) => d.name);
  const item: JsonSchema = {
    type: 'object',
    required: ['name', 'value'],
    properties: {
      name: {
        type: 'string',
        description: `A variable of ClusterClass ${vars.className}`,
        enum: names,
        enumDescriptions: defs.map((d) => firstLine(d.schema.description) ?? ''),
      },
      // no description here: hover shows the one of the variable's own schema (from the matching then-branch)
      value: {},
      ...(opts.v1beta1
        ? { definitionFrom: { type: 'string', description: 'Deprecated: which definition of the variable this value is for' } }
        : {}),
    },
    additionalProperties: false,
    allOf: defs.map((d) => ({
      if: { properties: { name: { const: d.name } }, required: ['name'] },
      then: { properties: { value: toJsonSchema(d.schema) } },
    })),
  };
  const schema: JsonSchema = { type: 'array', description: `Variables of ClusterClass ${vars.className}`, items: item };
  const needed = opts.forOverrides ? [] : defs.filter(mustBeSet);
  if (needed.length)
    schema.allOf = needed.map((d) => ({
      contains: { type: 'object', properties: { name: { const: d.name } }, required: ['name'] },
      errorMessage: `required variable "${d.name}" must be set`,
    }));
  return { $schema: DRAFT_07, ...schema };
}

function classMatch(className: string): JsonSchema {
  return {
    properties: {
      kind: { const: 'Cluster' },
      spec: {
        properties: {
          topology: {
            anyOf: [
              { properties: { class: { const: className } }, required: ['class'] },
              { properties: { classRef: { properties: { name: { const: className } }, required: ['name'] } }, required: ['classRef'] },
            ],
          },
        },
        required: ['topology'],
      },
    },
    required: ['kind', 'spec'],
  };
}

function strip(s: JsonSchema): JsonSchema {
  const { $schema: _s, ...rest } = s;
  return rest;
}

/**
 * A document schema for Cluster manifests: for a Cluster whose topology names one of `classes`, its
 * variables and the variable overrides are checked against that class. Meant to sit beside the
 * stacks-manifests schema (allOf) for documents that name a known class.
 */
export function clusterVariablesDocumentSchema(classes: readonly ClassVariables[]): JsonSchema {
  return {
    $schema: DRAFT_07,
    $id: 'cluster-variables.schema.json',
    title: 'Cluster variables of the known ClusterClasses',
    allOf: classes.map((c) => {
      const vars = strip(variablesArraySchema(c));
      const overrides = { properties: { overrides: strip(variablesArraySchema(c, { forOverrides: true })) } };
      return {
        if: classMatch(c.className),
        then: {
          properties: {
            spec: {
              properties: {
                topology: {
                  properties: {
                    variables: vars,
                    controlPlane: { properties: { variables: overrides } },
                    workers: { properties: { machineDeployments: { items: { properties: { variables: overrides } } } } },
                  },
                },
              },
            },
          },
        },
      };
    }),
  };
}

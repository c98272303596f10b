/**
 * The order form's variable fields, built from a ClusterClass's variable schemas: one field per
 * variable (nested fields for objects with declared properties, a list for arrays of scalars, a JSON
 * text field for anything else), with label, description, default, example, enum, required and the
 * constraints to show; and the per-field messages of the schema validator for the values entered.
 */
import { mustBeSet, toJsonSchema } from './jsonSchema';
import { CHECKED_FORMATS, validateJson, type SchemaMessage } from './validate';
import type { CapiSchema, ClassVariables } from './variables';

export type FieldKind = 'string' | 'integer' | 'number' | 'boolean' | 'enum' | 'list' | 'object' | 'json';

export interface FormField {
  /** Stable id: the variable name, then the property names (`identityRef.cloudName`). */
  readonly id: string;
  readonly variable: string;
  /** Path inside the variable's value ([] for the variable itself). */
  readonly path: readonly string[];
  readonly label: string;
  readonly description?: string;
  readonly kind: FieldKind;
  /** Must be entered: a required variable without default, or a required property. */
  readonly required: boolean;
  readonly default?: unknown;
  readonly example?: unknown;
  readonly enum?: readonly unknown[];
  readonly format?: string;
  /** Human-readable constraints, e.g. `at least 0`, `pattern ^[a-z]+$`. */
  readonly constraints: readonly string[];
  /** For `list`: the item field. */
  readonly item?: FormField;
  /** For `object`: the declared properties. */
  readonly fields?: readonly FormField[];
  /** Checks only the server makes (CEL rules, formats this validator does not know). */
  readonly serverChecks: readonly string[];
}

export interface VariablesForm {
  readonly className: string;
  readonly fields: readonly FormField[];
  readonly problems: readonly string[];
}

/** `controlPlaneFlavor` → `Control plane flavor`, `worker_root_disk` → `Worker root disk`, `no-proxy` → `No proxy`. */
export function labelOf(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z]{2,})/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter(Boolean);
  const text = words.map((w, i) => (i > 0 && /^[A-Z][a-z]/.test(w) ? w.toLowerCase() : w)).join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const SCALARS = new Set(['string', 'integer', 'number', 'boolean']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function constraintsOf(s: CapiSchema): string[] {
  const c: string[] = [];
  const excl = (b: unknown) => b === true;
  if (typeof s.minimum === 'number') c.push(excl(s.exclusiveMinimum) ? `more than ${s.minimum}` : `at least ${s.minimum}`);
  if (typeof s.maximum === 'number') c.push(excl(s.exclusiveMaximum) ? `less than ${s.maximum}` : `at most ${s.maximum}`);
  if (typeof s.minLength === 'number') c.push(`at least ${s.minLength} characters`);
  if (typeof s.maxLength === 'number') c.push(`at most ${s.maxLength} characters`);
  if (typeof s.pattern === 'string') c.push(`pattern ${s.pattern}`);
  if (typeof s.minItems === 'number') c.push(`at least ${s.minItems} items`);
  if (typeof s.maxItems === 'number') c.push(`at most ${s.maxItems} items`);
  if (s.uniqueItems === true) c.push('no duplicates');
  if (typeof s.format === 'string' && s.type === 'string') c.push(`format ${s.format}`);
  return c;
}

function serverChecksOf(s: CapiSchema): string[] {
  const out: string[] = [];
  const rules = s['x-kubernetes-validations'];
  if (Array.isArray(rules))
    for (const r of rules) out.push(`rule ${isRecord(r) && typeof r.message === 'string' ? r.message : isRecord(r) ? String(r.rule) : ''}`);
  if (typeof s.format === 'string' && s.type === 'string' && !CHECKED_FORMATS.includes(s.format)) out.push(`format ${s.format}`);
  return out;
}

function kindOf(s: CapiSchema): FieldKind {
  if (Array.isArray(s.enum) && s.enum.length) return 'enum';
  if (s.oneOf || s.anyOf || s.allOf || s.not || s['x-kubernetes-int-or-string'] === true) return 'json';
  if (typeof s.type === 'string' && SCALARS.has(s.type)) return s.type as FieldKind;
  if (s.type === 'array' && isRecord(s.items) && kindOf(s.items) !== 'json' && kindOf(s.items) !== 'object' && kindOf(s.items) !== 'list')
    return 'list';
  if (s.type === 'object' && isRecord(s.properties) && !isRecord(s.additionalProperties)) return 'object';
  return 'json';
}

function fieldOf(variable: string, path: string[], s: CapiSchema, required: boolean): FormField {
  const kind = kindOf(s);
  const name = path.length ? path[path.length - 1] : variable;
  const base = {
    id: [variable, ...path].join('.'),
    variable,
    path,
    label: labelOf(name),
    description: typeof s.description === 'string' ? s.description.trim() : undefined,
    kind,
    required,
    default: s.default,
    example: s.example,
    enum: Array.isArray(s.enum) ? s.enum : undefined,
    format: typeof s.format === 'string' ? s.format : undefined,
    constraints: constraintsOf(s),
    serverChecks: serverChecksOf(s),
  };
  if (kind === 'list' && isRecord(s.items)) return { ...base, item: fieldOf(variable, [...path, '[]'], s.items, true) };
  if (kind === 'object' && isRecord(s.properties)) {
    const req = Array.isArray(s.required) ? s.required : [];
    return {
      ...base,
      fields: Object.entries(s.properties)
        .filter((e): e is [string, Record<string, unknown>] => isRecord(e[1]))
        .map(([k, v]) => fieldOf(variable, [...path, k], v, req.includes(k))),
    };
  }
  return base;
}

export function variablesForm(vars: ClassVariables): VariablesForm {
  return {
    className: vars.className,
    fields: vars.definitions.map((d) => fieldOf(d.name, [], d.schema, mustBeSet(d))),
    problems: vars.problems,
  };
}

export interface FieldMessage {
  /** The form field id (`variable` or `variable.property`), or `variable[2]` for a list item. */
  readonly field: string;
  readonly message: string;
  /** Absent: an error (the value would be refused). */
  readonly severity?: 'warning';
}

function fieldId(variable: string, m: SchemaMessage): string {
  let id = variable;
  for (const seg of [...m.path, ...(m.property !== undefined ? [m.property] : [])]) id += typeof seg === 'number' ? `[${seg}]` : `.${seg}`;
  return id;
}

/**
 * Messages for the entered variable values (`undefined` = not entered, left to Cluster API's defaulting),
 * the way Cluster API would answer: unknown variables, conflicting definitions, missing required ones,
 * and every schema keyword a value fails.
 */
export function validateVariableValues(vars: ClassVariables, values: Readonly<Record<string, unknown>>): FieldMessage[] {
  const out: FieldMessage[] = [];
  const byName = new Map(vars.definitions.map((d) => [d.name, d]));
  for (const d of vars.definitions) {
    const v = values[d.name];
    if (v === undefined) {
      if (mustBeSet(d)) out.push({ field: d.name, message: `required variable "${d.name}" must be set` });
      continue;
    }
    if (d.conflict) out.push({ field: d.name, message: `variable "${d.name}" has conflicting definitions in ${vars.className}` });
    for (const m of validateJson(toJsonSchema(d.schema), v)) out.push({ field: fieldId(d.name, m), message: m.message });
  }
  for (const name of Object.keys(values))
    if (!byName.has(name) && values[name] !== undefined)
      out.push({ field: name, message: `variable "${name}" is not defined in ${vars.className}` });
  return out;
}

/**
 * Turns what was typed into a field into a value of its kind (`""` = not entered); a one-line error
 * instead when it does not parse. JSON fields take JSON.
 */
export function parseFieldInput(f: FormField, text: string): { value?: unknown; error?: string } {
  const t = text.trim();
  if (t === '') return {};
  switch (f.kind) {
    case 'integer':
      return /^-?\d+$/.test(t) ? { value: Number(t) } : { error: 'a whole number' };
    case 'number':
      return /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t) ? { value: Number(t) } : { error: 'a number' };
    case 'boolean':
      return t === 'true' ? { value: true } : t === 'false' ? { value: false } : { error: 'true or false' };
    case 'string':
      return { value: text };
    case 'enum': {
      const hit = f.enum?.find((e) => (typeof e === 'string' ? e : JSON.stringify(e)) === t);
      return hit !== undefined ? { value: hit } : { error: `one of ${(f.enum ?? []).map((e) => JSON.stringify(e)).join(', ')}` };
    }
    default:
      try {
        return { value: JSON.parse(t) as unknown };
      } catch (e) {
        return { error: `JSON: ${(e as Error).message.split('\n')[0]}` };
      }
  }
}

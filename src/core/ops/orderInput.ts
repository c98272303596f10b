/**
 * What the order form sends (the text of every field as typed) turned into the order's values: numbers
 * and variable values parsed per field kind (formModel.ts `parseFieldInput`), nested object variables
 * built from their entered properties, and a located message for every field that does not parse. An
 * empty field is "not entered": the variable is left to Cluster API's defaulting.
 */
import type { WorkloadStyle } from '../manifests/credentials';
import { parseFieldInput, type FieldMessage, type FormField } from './formModel';
import type { OrderFormModel, OrderValues } from './order';

export interface RawWorker {
  readonly class: string;
  readonly enabled: boolean;
  readonly name: string;
  readonly replicas: string;
}

export interface RawOrder {
  readonly name: string;
  readonly controlPlaneReplicas: string;
  readonly workers: readonly RawWorker[];
  /** A `managed-secret` style, `none`, or empty for the class's own. */
  readonly credentials: string;
  /** By form field id (`imageName`, `identityRef.cloudName`). */
  readonly variables: Readonly<Record<string, string>>;
}

function count(text: string): number {
  return /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
}

/** The value of a field from the raw texts; undefined when nothing under it was entered. */
function valueOf(f: FormField, raw: Readonly<Record<string, string>>, messages: FieldMessage[]): unknown {
  if (f.kind === 'object' && f.fields) {
    const out: Record<string, unknown> = {};
    for (const sub of f.fields) {
      const v = valueOf(sub, raw, messages);
      if (v !== undefined) out[sub.path[sub.path.length - 1]] = v;
    }
    return Object.keys(out).length ? out : undefined;
  }
  const parsed = parseFieldInput(f, raw[f.id] ?? '');
  if (parsed.error) messages.push({ field: f.id, message: `${f.label}: ${parsed.error}` });
  return parsed.value;
}

export function orderValuesOf(model: OrderFormModel, raw: RawOrder): { values: OrderValues; messages: FieldMessage[] } {
  const messages: FieldMessage[] = [];
  const controlPlaneReplicas = count(raw.controlPlaneReplicas);
  if (Number.isNaN(controlPlaneReplicas)) messages.push({ field: 'controlPlaneReplicas', message: 'a whole number' });
  const workers = raw.workers.filter((w) => w.enabled).map((w) => ({ class: w.class, name: w.name.trim(), replicas: count(w.replicas) }));
  raw.workers
    .filter((w) => w.enabled)
    .forEach((w, i) => {
      if (Number.isNaN(count(w.replicas))) messages.push({ field: `workers[${i}].replicas`, message: 'a whole number' });
    });
  const variables: Record<string, unknown> = {};
  for (const f of model.variables) {
    const v = valueOf(f, raw.variables, messages);
    if (v !== undefined) variables[f.variable] = v;
  }
  const credentials = raw.credentials === '' ? undefined : (raw.credentials as WorkloadStyle | 'none');
  return { values: { name: raw.name.trim(), controlPlaneReplicas, workers, credentials, variables }, messages };
}

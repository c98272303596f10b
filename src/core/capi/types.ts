/**
 * The minimal object shapes the CAPI status model reads. Everything is optional: objects come from
 * clusters of any CAPI version (v1alpha3 … v1beta2), so a missing field is normal, not an error.
 */

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  deletionTimestamp?: string;
  resourceVersion?: string;
  uid?: string;
  ownerReferences?: { apiVersion?: string; kind?: string; name?: string }[];
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: unknown;
  status?: unknown;
}

/** A condition in either layout: CAPI v1beta1 (with `severity`) or metav1 (v1beta2, with `observedGeneration`). */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
  severity?: string;
  lastTransitionTime?: string;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Reads a nested field without trusting the object's shape. */
export function field(obj: unknown, ...path: string[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

export function stringField(obj: unknown, ...path: string[]): string | undefined {
  const v = field(obj, ...path);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The conditions array at `path`, keeping only well-formed entries. */
export function conditionsAt(obj: unknown, ...path: string[]): Condition[] | undefined {
  const v = field(obj, ...path);
  if (!Array.isArray(v)) return undefined;
  return v.filter(
    (c): c is Condition =>
      c !== null && typeof c === 'object' && typeof (c as Condition).type === 'string' && typeof (c as Condition).status === 'string',
  );
}

export function findCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** Collapses a (possibly multi-line, bulleted) condition message to its first meaningful line. */
export function oneLine(message: string | undefined): string {
  if (!message) return '';
  const lines = message
    .split('\n')
    .map((l) =>
      l
        .trim()
        .replace(/^\*\s*/, '')
        .trim(),
    )
    .filter((l) => l !== '');
  if (lines.length === 0) return '';
  // "* WorkersAvailable:" followed by the detail: join the heading with its first detail line.
  if (lines[0].endsWith(':') && lines.length > 1) return `${lines[0]} ${lines[1]}`;
  return lines[0];
}

/**
 * Kubernetes label-selector semantics (apimachinery LabelSelectorAsSelector): an empty selector matches everything; an
 * invalid requirement (unknown operator, In/NotIn without values, Exists/DoesNotExist with values) gives undefined.
 */
export function labelSelectorMatches(selector: LabelSelector, labels: Record<string, string> | undefined): boolean | undefined {
  const l = labels ?? {};
  let matches = true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) matches = false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (!values.length) return undefined;
        if (e.operator === 'In' ? !has || !values.includes(l[e.key]) : has && values.includes(l[e.key])) matches = false;
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length) return undefined;
        if (e.operator === 'Exists' ? !has : has) matches = false;
        break;
      default:
        return undefined;
    }
  }
  return matches;
}

/** A ClusterResourceSet's selector: an empty (or invalid) one matches nothing (CAPI's rule for CRS selectors). */
export function selectorMatches(selector: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return false;
  if (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0) return false;
  return labelSelectorMatches(selector, labels) === true;
}

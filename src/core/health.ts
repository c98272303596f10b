/**
 * The health the explorer shows, for terminals and CI (`cluster-stacks health`): one entry per Cluster, ClusterStack and
 * ClusterStackRelease of a set of objects (YAML or JSON, single objects, multi-document streams, `kind: List` as
 * `kubectl get … -o json` prints it), with the same status models as the tree (capi/status.ts, capi/stacks.ts) and — when
 * the input holds ClusterResourceSets — each Cluster's credential state (manifests/clusterCredentialState.ts).
 * Only names, states, hashes and condition texts reach the output: Secret values are hashed and dropped.
 *
 * Pure: no `vscode`, no network, no file system.
 */
import { clusterStackState, releaseState, type Readiness } from './capi/stacks';
import { clusterStatus, type Health } from './capi/status';
import { summarizeSecret } from './capi/tenants';
import type { KubeObject } from './capi/types';
import type { Range } from './findings';
import { clusterCredentialState, type CredentialState } from './manifests/clusterCredentialState';
import { parseLocatedDocuments } from './stacks/located';

export type HealthKind = 'Cluster' | 'ClusterStack' | 'ClusterStackRelease';

export interface HealthEntry {
  readonly kind: HealthKind;
  readonly namespace: string;
  readonly name: string;
  /** `healthy|progressing|failed|deleting|paused|unknown` for Clusters, `ready|progressing|failed|deleting|unknown` otherwise. */
  readonly state: Health | Readiness;
  readonly reason: string;
  readonly credentials?: { readonly state: CredentialState; readonly reason: string };
}

/** API groups of the kinds reported (a `Cluster` of another group is not a CAPI Cluster). */
const GROUPS: Record<HealthKind, string> = {
  Cluster: 'cluster.x-k8s.io',
  ClusterStack: 'clusterstack.x-k8s.io',
  ClusterStackRelease: 'clusterstack.x-k8s.io',
};
const KIND_ORDER: readonly HealthKind[] = ['Cluster', 'ClusterStack', 'ClusterStackRelease'];

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const groupOf = (o: KubeObject): string => (o.apiVersion ?? '').split('/').slice(0, -1).join('/');
const is = (o: KubeObject, kind: string, group: string): boolean => o.kind === kind && groupOf(o) === group;

/** A Secret as the API server stores it: `stringData` folded into `data` (it wins), so its resource-set hash is the real one. */
function stored(secret: KubeObject & { data?: unknown; stringData?: unknown }): KubeObject & { data?: Record<string, string> } {
  const data: Record<string, string> = {};
  if (isObj(secret.data)) for (const [k, v] of Object.entries(secret.data)) if (typeof v === 'string') data[k] = v;
  if (isObj(secret.stringData))
    for (const [k, v] of Object.entries(secret.stringData)) if (typeof v === 'string') data[k] = Buffer.from(v, 'utf8').toString('base64');
  return { ...secret, data };
}

/** The health entries of `objects`, sorted by kind, namespace and name; the last of duplicates wins. */
export function healthOf(objects: readonly KubeObject[]): HealthEntry[] {
  const latest = new Map<string, KubeObject>();
  for (const o of objects)
    latest.set(`${o.apiVersion ?? ''}\0${o.kind ?? ''}\0${o.metadata?.namespace ?? ''}\0${o.metadata?.name ?? ''}`, o);
  const all = [...latest.values()];
  const ns = (o: KubeObject) => o.metadata?.namespace ?? '';
  const resourceSets = all.filter((o) => is(o, 'ClusterResourceSet', 'addons.cluster.x-k8s.io'));
  const bindings = all.filter((o) => is(o, 'ClusterResourceSetBinding', 'addons.cluster.x-k8s.io'));
  const secrets = all.filter((o) => o.kind === 'Secret' && groupOf(o) === '').map((s) => summarizeSecret(stored(s)));
  const addons = all.filter((o) => is(o, 'ClusterAddon', 'clusterstack.x-k8s.io'));
  const out: HealthEntry[] = [];
  for (const o of all) {
    const kind = KIND_ORDER.find((k) => is(o, k, GROUPS[k]));
    if (!kind) continue;
    const base = { kind, namespace: ns(o), name: o.metadata?.name ?? '' };
    if (kind === 'Cluster') {
      const s = clusterStatus(o, { clusterAddons: addons.filter((a) => ns(a) === ns(o)) });
      const credentials = resourceSets.length ? clusterCredentialState({ cluster: o, resourceSets, bindings, secrets }) : undefined;
      out.push({
        ...base,
        state: s.health,
        reason: s.reason,
        ...(credentials ? { credentials: { state: credentials.state, reason: credentials.reason } } : {}),
      });
    } else if (kind === 'ClusterStack') {
      const s = clusterStackState(o);
      out.push({ ...base, state: s.readiness, reason: s.reason });
    } else {
      const s = releaseState(o);
      out.push({ ...base, state: s.readiness, reason: s.reason });
    }
  }
  return out.sort(
    (a, b) =>
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name),
  );
}

export interface InputError {
  readonly range: Range;
  readonly message: string;
}

/** Offset → 0-based line and character. */
function positionAt(text: string, offset: number): Range['start'] {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const line = before.split('\n').length - 1;
  return { line, character: before.length - (before.lastIndexOf('\n') + 1) };
}

/** The objects of one document: itself, or the items of a `kind: List` / `*List` (what `kubectl get -o json` prints). */
function objectsOf(value: unknown, at: Range, errors: InputError[]): KubeObject[] {
  if (value === undefined || value === null) return [];
  if (!isObj(value)) {
    errors.push({ range: at, message: 'not a Kubernetes object (expected a mapping with apiVersion, kind and metadata)' });
    return [];
  }
  if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
    const items: KubeObject[] = [];
    value.items.forEach((item, i) => {
      if (isObj(item) && typeof item.kind === 'string') items.push(item as KubeObject);
      else errors.push({ range: at, message: `items[${i}] of the ${value.kind} is not a Kubernetes object with a kind` });
    });
    return items;
  }
  if (typeof value.kind !== 'string' || typeof value.apiVersion !== 'string')
    errors.push({ range: at, message: 'not a Kubernetes object: apiVersion and kind must be strings' });
  else return [value as KubeObject];
  return [];
}

/**
 * Objects of a YAML or JSON text. JSON (what kubectl prints) is read with JSON.parse — large dumps stay fast; everything
 * else as a YAML stream with the core's limits. Errors are located and one line each.
 */
export function readKubeObjects(text: string): { objects: KubeObject[]; errors: InputError[] } {
  const errors: InputError[] = [];
  const body = text.replace(/^\ufeff/, '');
  if (/^\s*[[{]/.test(body)) {
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (e) {
      // JSON.parse does not always say where; the YAML parser (JSON is YAML) does.
      const m = /position (\d+)/.exec(String((e as Error).message));
      const located = parseLocatedDocuments(body).flatMap((d) => d.syntaxErrors)[0];
      const start = m ? positionAt(body, Number(m[1])) : (located?.range.start ?? { line: 0, character: 0 });
      errors.push({ range: { start, end: start }, message: `invalid JSON: ${String((e as Error).message).split('\n')[0]}` });
      return { objects: [], errors };
    }
    const whole = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const docs = Array.isArray(value) ? value : [value];
    return { objects: docs.flatMap((d) => objectsOf(d, whole, errors)), errors };
  }
  const objects: KubeObject[] = [];
  for (const doc of parseLocatedDocuments(body)) {
    if (doc.syntaxErrors.length) {
      for (const f of doc.syntaxErrors) errors.push({ range: f.range, message: f.message.split('\n')[0] });
      continue;
    }
    objects.push(...objectsOf(doc.value, doc.locate([]), errors));
  }
  return { objects, errors };
}

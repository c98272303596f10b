/**
 * How "Keep in sync" may change a ClusterResourceSet that already exists. Cluster API's webhook makes `spec.strategy` and
 * `spec.clusterSelector` immutable (kubernetes-sigs/cluster-api@ae7ff047 core/webhooks/admission/clusterresourceset.go:95-107)
 * and defaults a missing strategy to ApplyOnce (:51-58), so a server-side apply of our desired object over a live one that
 * differs there is rejected. Like the CAPI controllers (client.MergeFrom on the live object), the update is a JSON merge
 * patch (RFC 7386) of the mutable fields only — `spec.resources` and the labels/annotations we set — or a refusal that says
 * which field and what to do instead.
 *
 * Pure: no `vscode`, no network.
 */
import { resourceSetStrategy } from '../capi/credentials';
import { APPLY_ONCE_REASON } from '../capi/resourceSetDelivery';
import { field, stringField } from '../capi/types';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export type ResourceSetUpdate =
  /** No live object: create it (server-side apply of the desired object is fine). */
  | { readonly kind: 'create' }
  | { readonly kind: 'unchanged' }
  /** A JSON merge patch for the live object (`Content-Type: application/merge-patch+json`); `changed` names the paths. */
  | { readonly kind: 'patch'; readonly patch: Json; readonly changed: readonly string[] }
  /** The live object differs in an immutable field; `path` is that field, `message` says what to do instead. */
  | { readonly kind: 'refused'; readonly path: readonly string[]; readonly message: string };

/** JSON with sorted keys, so that maps compare by content. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObj(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v ?? null);
}

/**
 * The selector as the API server stores it: `matchLabels: {}` and `matchExpressions: []` are dropped (omitempty), so they
 * equal an absent one; anything else compares exactly, list order included (the webhook uses reflect.DeepEqual).
 */
function storedSelector(sel: unknown): string {
  const s = isObj(sel) ? sel : {};
  const out: Json = {};
  if (isObj(s.matchLabels) && Object.keys(s.matchLabels).length) out.matchLabels = s.matchLabels;
  if (Array.isArray(s.matchExpressions) && s.matchExpressions.length) out.matchExpressions = s.matchExpressions;
  return canonical(out);
}

function refName(obj: unknown): string {
  return `ClusterResourceSet ${stringField(obj, 'metadata', 'namespace') ?? ''}/${stringField(obj, 'metadata', 'name') ?? ''}`;
}

/** The merge-patch value for the keys of `desired` that `live` does not already have with the same value. */
function mapChanges(live: unknown, desired: unknown): Json | undefined {
  if (!isObj(desired)) return undefined;
  const have = isObj(live) ? live : {};
  const out: Json = {};
  for (const [k, v] of Object.entries(desired)) if (canonical(have[k]) !== canonical(v)) out[k] = v;
  return Object.keys(out).length ? out : undefined;
}

/**
 * What to send to make `live` deliver what `desired` says. Labels and annotations of the live object that `desired` does
 * not name are kept (someone else's); the patch carries the live `resourceVersion`, so a concurrent change fails with a
 * conflict instead of being overwritten.
 */
export function resourceSetUpdate(live: unknown, desired: unknown): ResourceSetUpdate {
  if (live === undefined || live === null) return { kind: 'create' };
  const liveStrategy = resourceSetStrategy(live);
  const wantStrategy = resourceSetStrategy(desired);
  if (liveStrategy !== wantStrategy) {
    const toReconcile =
      wantStrategy === 'Reconcile'
        ? ` ${APPLY_ONCE_REASON}`
        : ` Delete it and create it again with strategy ${wantStrategy}, or keep the existing one.`;
    return {
      kind: 'refused',
      path: ['spec', 'strategy'],
      message: `${refName(live)}: spec.strategy is immutable (it is ${liveStrategy}, this would set ${wantStrategy}).${toReconcile}`,
    };
  }
  if (storedSelector(field(live, 'spec', 'clusterSelector')) !== storedSelector(field(desired, 'spec', 'clusterSelector'))) {
    return {
      kind: 'refused',
      path: ['spec', 'clusterSelector'],
      message: `${refName(live)}: spec.clusterSelector is immutable and selects other clusters than wanted (${canonical(field(live, 'spec', 'clusterSelector'))} vs ${canonical(field(desired, 'spec', 'clusterSelector'))}). Create a ClusterResourceSet under another name for the new selector, or delete this one and create it again.`,
    };
  }
  const patch: Json = {};
  const changed: string[] = [];
  const resources = field(desired, 'spec', 'resources');
  if (resources !== undefined && canonical(field(live, 'spec', 'resources')) !== canonical(resources)) {
    patch.spec = { resources };
    changed.push('spec.resources');
  }
  const metadata: Json = {};
  for (const key of ['labels', 'annotations'] as const) {
    const c = mapChanges(field(live, 'metadata', key), field(desired, 'metadata', key));
    if (!c) continue;
    metadata[key] = c;
    changed.push(...Object.keys(c).map((k) => `metadata.${key}.${k}`));
  }
  if (!changed.length) return { kind: 'unchanged' };
  const rv = stringField(live, 'metadata', 'resourceVersion');
  if (rv) metadata.resourceVersion = rv;
  if (Object.keys(metadata).length) patch.metadata = metadata;
  return { kind: 'patch', patch, changed };
}

/**
 * What the explorer's cache keeps of an object: only the fields the tree and the health model read
 * (core/health.ts, capi/status.ts, capi/stacks.ts, capi/credentials.ts, capi/identity.ts,
 * manifests/clusterCredentialState.ts, ops/pause.ts, views/explorer), applied as objects arrive from a
 * list or a watch. The rest — managedFields, last-applied-configuration, uid, timestamps, a condition's
 * lastTransitionTime, a topology's replicas and machine deployments — was nearly half of the cache (bench
 * Clusters: 1.8 kB of heap per Cluster before, 1.0 kB after, 0.8 kB with the pool).
 * Secrets keep no value at all (`summarizeSecret`). Whatever needs a whole object (the YAML view, the
 * cluster actions, the pushes) reads it from the server. The strings that repeat from object to object
 * (namespaces, condition types, reasons and messages, class names, versions, label values) are shared
 * through the cache's `StringPool`: JSON.parse gives every occurrence its own copy.
 */
import { type ResourceKind, type SecretSummary, summarizeSecret } from './tenants';
import type { KubeObject } from './types';

/**
 * `true` keeps a value whole (a string pooled); `'own'` too, for a string rarely shared (not pooled); `'strings'` keeps
 * a map of strings (labels), each pooled; an object keeps the listed keys of an object (of each element of an array).
 */
type Shape = true | 'own' | 'strings' | { readonly [key: string]: Shape };

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

// Metadata: ownerReferences name a ClusterStackRelease's stack; resourceVersion tells the reflector what changed;
// annotations carry the pause and lifecycle-hook markers.
const METADATA: Shape = {
  name: 'own',
  namespace: true,
  labels: 'strings',
  annotations: true,
  resourceVersion: 'own',
  deletionTimestamp: true,
  ownerReferences: true,
};
const CONDITION: Shape = { type: true, status: true, reason: true, message: true, severity: true };
const CONDITIONS: Shape = { conditions: CONDITION };

const SPEC_STATUS: { readonly [K in Exclude<ResourceKind, 'secrets'>]: { spec?: Shape; status?: Shape } } = {
  namespaces: {},
  clusters: {
    spec: {
      paused: true,
      infrastructureRef: { name: true },
      topology: { class: true, classRef: { name: true }, version: true, variables: true },
    },
    status: {
      phase: true,
      conditions: CONDITION,
      v1beta2: CONDITIONS,
      deprecated: { v1beta1: { conditions: CONDITION, failureReason: true, failureMessage: true } },
      initialization: true,
      infrastructureReady: true,
      failureReason: true,
      failureMessage: true,
    },
  },
  clusterstacks: {
    spec: { provider: true, name: true, kubernetesVersion: true },
    status: { conditions: CONDITION, summary: true, latestRelease: true, usableVersions: true },
  },
  clusterstackreleases: { spec: { providerRef: true }, status: { conditions: CONDITION, ready: true, kubernetesVersion: true } },
  // The variables' schemas hold the identity defaults (manifests/credentials.ts expectedIdentity).
  clusterclasses: { spec: { variables: true } },
  clusterresourcesets: {
    spec: { strategy: true, clusterSelector: true, resources: true },
    status: { conditions: CONDITION, deprecated: { v1beta1: CONDITIONS } },
  },
  clusterresourcesetbindings: { spec: { clusterName: true, bindings: true } },
  clusteraddons: { spec: { clusterRef: true }, status: CONDITIONS },
  openstackclusters: { spec: { identityRef: true } },
  openstackclusteridentities: { spec: { secretRef: true, namespaceSelector: true } },
};

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Equal strings shared between the objects of one cache. At most `max` distinct strings are remembered; past
 * that it starts afresh (what the objects hold stays as it is), so ever new messages cannot grow it without end.
 */
export class StringPool {
  private readonly strings = new Map<string, string>();
  constructor(private readonly max = 50_000) {}

  intern(s: string): string {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    if (this.strings.size >= this.max) this.strings.clear();
    this.strings.set(s, s);
    return s;
  }

  get size(): number {
    return this.strings.size;
  }
}

function project(value: unknown, shape: Shape, pool: StringPool | undefined): unknown {
  if (shape === 'own') return value;
  if (typeof value === 'string') return pool ? pool.intern(value) : value;
  if (shape === true) return value;
  if (Array.isArray(value)) return value.map((v) => project(v, shape, pool));
  // A scalar where an object belongs stays as it is: the readers then see the same malformed value.
  if (!isObj(value)) return value;
  const out: Record<string, unknown> = {};
  if (shape === 'strings') for (const [key, v] of Object.entries(value)) out[key] = project(v, true, pool);
  else for (const [key, sub] of Object.entries(shape)) if (value[key] !== undefined) out[key] = project(value[key], sub, pool);
  return out;
}

/** The object as the explorer's cache holds it (`kind` is the resource type it was listed as; `pool` shares its strings). */
export function slimObject(kind: ResourceKind, o: KubeObject, pool?: StringPool): KubeObject | SecretSummary {
  if (kind === 'secrets') return summarizeSecret(o);
  const metadata = project(o.metadata, METADATA, pool) as KubeObject['metadata'];
  if (metadata?.annotations && LAST_APPLIED in metadata.annotations) {
    const { [LAST_APPLIED]: _dropped, ...rest } = metadata.annotations;
    metadata.annotations = rest;
  }
  const out: KubeObject = { apiVersion: o.apiVersion, kind: o.kind, metadata };
  const { spec, status } = SPEC_STATUS[kind];
  if (spec && o.spec !== undefined) out.spec = project(o.spec, spec, pool);
  if (status && o.status !== undefined) out.status = project(o.status, status, pool);
  return out;
}

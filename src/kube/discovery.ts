/**
 * API discovery for one client, cached for the client's life (`reset()` forgets it, e.g. on the
 * explorer's refresh): the group list (`/apis`, for preferred versions and whether a CRD group is
 * installed) and the resource list of each group version (`/api/v1`, `/apis/<g>/<v>`: plural and scope
 * of every kind). The built-in kinds and the Cluster API kinds the credential flows write are known
 * without asking (their plurals are fixed by Kubernetes and by the CAPI CRDs), so pushing into a
 * hundred workload clusters costs no discovery request per cluster. A failed lookup is not cached.
 */
import type { KubeClient, RetryPolicy } from './client';
import { KubeError } from './errors';

export interface ServedResource {
  readonly plural: string;
  readonly namespaced: boolean;
}

interface APIGroupList {
  groups?: { name: string; preferredVersion?: { groupVersion: string }; versions?: { groupVersion: string }[] }[];
}
export interface APIResourceList {
  resources?: { name: string; kind: string; namespaced: boolean }[];
}

/** `<group>/<Kind>` (group '' = core) → resource, for kinds whose plural does not depend on the server. */
const WELL_KNOWN: ReadonlyMap<string, ServedResource> = new Map([
  ['/Namespace', { plural: 'namespaces', namespaced: false }],
  ['/Secret', { plural: 'secrets', namespaced: true }],
  ['/ConfigMap', { plural: 'configmaps', namespaced: true }],
  ['/ServiceAccount', { plural: 'serviceaccounts', namespaced: true }],
  // CAPI CRDs: kubernetes-sigs/cluster-api@ae7ff047 core/config/crd/bases/<group>_<plural>.yaml:15 (names.plural), :17/:19 (scope)
  ['cluster.x-k8s.io/Cluster', { plural: 'clusters', namespaced: true }],
  ['cluster.x-k8s.io/ClusterClass', { plural: 'clusterclasses', namespaced: true }],
  ['addons.cluster.x-k8s.io/ClusterResourceSet', { plural: 'clusterresourcesets', namespaced: true }],
  ['addons.cluster.x-k8s.io/ClusterResourceSetBinding', { plural: 'clusterresourcesetbindings', namespaced: true }],
]);

export const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

/** `/api/v1` or `/apis/<group>/<version>`. */
const groupVersionPath = (apiVersion: string): string => (apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`);

export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name?: string;
}

export function describeRef(o: {
  kind: string;
  namespace?: string;
  name?: string;
  metadata?: { name?: string; namespace?: string };
}): string {
  const ns = o.metadata?.namespace ?? o.namespace;
  return `${o.kind} ${ns ? `${ns}/` : ''}${o.metadata?.name ?? o.name ?? ''}`;
}

export class Discovery {
  private groupList: Promise<APIGroupList> | undefined;
  private readonly lists = new Map<string, Promise<APIResourceList | undefined>>();

  constructor(private readonly client: KubeClient) {}

  /** Forgets everything learned (a refresh; a CRD may have been installed meanwhile). */
  reset(): void {
    this.groupList = undefined;
    this.lists.clear();
  }

  private remember<T>(p: Promise<T>, forget: () => void): Promise<T> {
    p.catch(forget);
    return p;
  }

  /** `GET /apis`. */
  groups(opts: { signal?: AbortSignal; retry?: RetryPolicy } = {}): Promise<APIGroupList> {
    this.groupList ??= this.remember(this.client.getJson<APIGroupList>('/apis', { ...opts, what: 'API discovery (/apis)' }), () => {
      this.groupList = undefined;
    });
    return this.groupList;
  }

  /** The preferred served version of `group` (`cluster.x-k8s.io` → `cluster.x-k8s.io/v1beta2`); undefined when not installed. */
  async preferredVersion(group: string, opts: { signal?: AbortSignal; retry?: RetryPolicy } = {}): Promise<string | undefined> {
    const g = (await this.groups(opts)).groups?.find((x) => x.name === group);
    return g?.preferredVersion?.groupVersion ?? g?.versions?.[0]?.groupVersion;
  }

  /** The resources of one group version; undefined when the server does not serve it (404). */
  resources(apiVersion: string, opts: { signal?: AbortSignal; retry?: RetryPolicy } = {}): Promise<APIResourceList | undefined> {
    let p = this.lists.get(apiVersion);
    if (!p) {
      p = this.client
        .getJson<APIResourceList>(groupVersionPath(apiVersion), { ...opts, what: `API discovery of ${apiVersion}` })
        .catch((e) => {
          if (e instanceof KubeError && e.kind === 'notFound') return undefined;
          throw e;
        });
      this.lists.set(
        apiVersion,
        this.remember(p, () => this.lists.delete(apiVersion)),
      );
    }
    return p;
  }

  /** Plural and scope of `kind` in `apiVersion`, or undefined when the server does not serve it. */
  async resource(apiVersion: string, kind: string, signal?: AbortSignal): Promise<ServedResource | undefined> {
    const known = WELL_KNOWN.get(`${groupOf(apiVersion)}/${kind}`);
    if (known) return known;
    const r = (await this.resources(apiVersion, { signal }))?.resources?.find((x) => x.kind === kind && !x.name.includes('/'));
    return r && { plural: r.name, namespaced: r.namespaced };
  }

  /** Like `resource`, but a kind the server does not serve is a KubeError saying so. */
  async require(apiVersion: string, kind: string, signal?: AbortSignal): Promise<ServedResource> {
    const r = await this.resource(apiVersion, kind, signal);
    if (!r) throw new KubeError('notFound', `${kind} (${apiVersion}) is not served by this cluster — is its CRD installed?`, 404);
    return r;
  }

  /** The URL path of an object (with `name`) or of a collection (without). */
  async path(ref: ObjectRef, signal?: AbortSignal): Promise<string> {
    const r = await this.require(ref.apiVersion, ref.kind, signal);
    const ns = r.namespaced && ref.namespace ? `/namespaces/${encodeURIComponent(ref.namespace)}` : '';
    return `${groupVersionPath(ref.apiVersion)}${ns}/${r.plural}${ref.name ? `/${encodeURIComponent(ref.name)}` : ''}`;
  }
}

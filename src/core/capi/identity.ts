/**
 * Which OpenStack credentials a workload cluster uses, as CAPO resolves them (kubernetes-sigs/cluster-api-provider-openstack
 * @e52de58 pkg/scope/provider.go:67-137): `identityRef {type, name, cloudName, region}` of the OpenStackCluster;
 * type `Secret` (or empty) names a Secret in the cluster's namespace, type `ClusterIdentity` (CAPO ≥ v0.14) a cluster-scoped
 * OpenStackClusterIdentity whose `spec.secretRef {name, namespace}` names the Secret and whose `spec.namespaceSelector`
 * (nil: every namespace) must match the cluster's namespace (api/v1alpha1/openstackclusteridentity_types.go:23-43).
 * `region` overrides the clouds.yaml region (provider.go:133-136, :234-236).
 *
 * Without the OpenStackCluster, the topology variables say what the ClusterClass patches into it: series scs2 passes the
 * `identityRef` variable as a whole, series scs `secret_name` / `cloud_name` (SovereignCloudStack/cluster-stacks ClusterClass
 * patches), with the class's schema defaults.
 *
 * Pure: no `vscode`, no network.
 */
import { DEFAULT_IDENTITY_NAME, expectedIdentity } from '../manifests/credentials';
import { topologyClass } from '../stacks/topology';
import { field, labelSelectorMatches, stringField, type KubeObject, type LabelSelector } from './types';

export type IdentityType = 'Secret' | 'ClusterIdentity';

export interface ClusterIdentity {
  readonly type: IdentityType | string;
  /** `identityRef.name`: the Secret (type Secret) or the OpenStackClusterIdentity (type ClusterIdentity). */
  readonly identityName: string;
  /** The Secret CAPO reads `clouds.yaml` (and `cacert`) from; undefined when the OpenStackClusterIdentity is not known. */
  readonly secret?: { readonly namespace: string; readonly name: string };
  readonly cloudName: string;
  readonly region?: string;
  /** Whether the identity admits the cluster's namespace; undefined when that cannot be told from the input. */
  readonly allowed?: boolean;
  /** Where identityRef came from. */
  readonly source: 'OpenStackCluster' | 'topology variables' | 'ClusterClass defaults';
  /** The object and field identityRef was read from, as a refusal's location (`OpenStackCluster team-c/cluster-c spec.identityRef`). */
  readonly at: string;
  /** Why the resolution is incomplete or CAPO would refuse it, one line each. */
  readonly problems: readonly string[];
}

export interface IdentityInput {
  readonly cluster: KubeObject;
  /** The cluster's OpenStackCluster (what CAPO reads); matched by the Cluster's infrastructureRef name. */
  readonly infraClusters?: readonly KubeObject[];
  /** The cluster's ClusterClass, for the variables' schema defaults. */
  readonly clusterClass?: unknown;
  /** OpenStackClusterIdentity objects (cluster-scoped). */
  readonly clusterIdentities?: readonly KubeObject[];
  /** Namespace objects (their labels are what namespaceSelector matches). */
  readonly namespaces?: readonly KubeObject[];
}

type Ref = { type?: string; name?: string; cloudName?: string; region?: string };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function refOf(v: unknown): Ref {
  if (!isObj(v)) return {};
  return { type: str(v.type), name: str(v.name), cloudName: str(v.cloudName), region: str(v.region) };
}

function variable(cluster: KubeObject, name: string): unknown {
  const vars = field(cluster, 'spec', 'topology', 'variables');
  return Array.isArray(vars) ? vars.find((v) => isObj(v) && v.name === name)?.value : undefined;
}

function infraClusterOf(cluster: KubeObject, infra: readonly KubeObject[] | undefined): KubeObject | undefined {
  const name = stringField(cluster, 'spec', 'infrastructureRef', 'name');
  return infra?.find(
    (o) => o.kind === 'OpenStackCluster' && o.metadata?.namespace === cluster.metadata?.namespace && o.metadata?.name === name,
  );
}

/** The identityRef CAPO will read for `cluster`, and where it was found. */
function identityRefOf(input: IdentityInput): { ref: Ref; source: ClusterIdentity['source']; at: string } {
  const infra = infraClusterOf(input.cluster, input.infraClusters);
  const fromInfra = refOf(field(infra, 'spec', 'identityRef'));
  const ns = input.cluster.metadata?.namespace ?? '';
  if (infra && fromInfra.name)
    return { ref: fromInfra, source: 'OpenStackCluster', at: `OpenStackCluster ${ns}/${infra.metadata?.name ?? ''} spec.identityRef` };
  const defaults = expectedIdentity(input.clusterClass);
  const scs2 = refOf(variable(input.cluster, 'identityRef'));
  const secretName = str(variable(input.cluster, 'secret_name'));
  const cloudName = str(variable(input.cluster, 'cloud_name'));
  const fromVars = scs2.name || scs2.cloudName || scs2.type || scs2.region || secretName || cloudName;
  return {
    ref: {
      ...scs2,
      name: scs2.name ?? secretName ?? defaults.secretName,
      cloudName: scs2.cloudName ?? cloudName ?? defaults.cloudName,
    },
    source: fromVars ? 'topology variables' : 'ClusterClass defaults',
    at: fromVars
      ? `Cluster ${ns}/${input.cluster.metadata?.name ?? ''} spec.topology.variables`
      : `the ClusterClass defaults of Cluster ${ns}/${input.cluster.metadata?.name ?? ''}`,
  };
}

export function clusterIdentity(input: IdentityInput): ClusterIdentity {
  const namespace = input.cluster.metadata?.namespace ?? '';
  const { ref, source, at } = identityRefOf(input);
  const type = ref.type ?? 'Secret';
  const identityName = ref.name ?? DEFAULT_IDENTITY_NAME;
  const cloudName = ref.cloudName ?? DEFAULT_IDENTITY_NAME;
  const base = { type, identityName, cloudName, ...(ref.region ? { region: ref.region } : {}), source, at };
  if (type === 'Secret') return { ...base, secret: { namespace, name: identityName }, allowed: true, problems: [] };
  if (type !== 'ClusterIdentity')
    return { ...base, allowed: false, problems: [`unsupported identity type "${type}": CAPO knows Secret and ClusterIdentity`] };

  const identity = input.clusterIdentities?.find((o) => o.kind === 'OpenStackClusterIdentity' && o.metadata?.name === identityName);
  if (!identity)
    return {
      ...base,
      problems: [`OpenStackClusterIdentity ${identityName} was not found (or cannot be read): the Secret it names is unknown`],
    };
  const secretName = stringField(identity, 'spec', 'secretRef', 'name');
  const secretNamespace = stringField(identity, 'spec', 'secretRef', 'namespace');
  const problems: string[] = [];
  const secret = secretName && secretNamespace ? { namespace: secretNamespace, name: secretName } : undefined;
  if (!secret) problems.push(`OpenStackClusterIdentity ${identityName} has no complete spec.secretRef {name, namespace}`);
  const selector = field(identity, 'spec', 'namespaceSelector');
  let allowed: boolean | undefined = true;
  if (isObj(selector)) {
    const ns = input.namespaces?.find((n) => n.kind === 'Namespace' && n.metadata?.name === namespace);
    if (!ns) {
      allowed = undefined;
      problems.push(
        `namespace ${namespace} was not found (or cannot be read): cannot tell whether OpenStackClusterIdentity ${identityName} admits it`,
      );
    } else {
      // provider.go:101-114: an invalid selector is an error, a non-matching one IdentityAccessDeniedError (:60).
      const matches = labelSelectorMatches(selector as LabelSelector, ns.metadata?.labels);
      allowed = matches === true;
      if (matches === undefined) problems.push(`invalid namespace selector on identity ${identityName}`);
      else if (!matches) problems.push(`namespace ${namespace} not allowed to use cluster identity ${identityName}`);
    }
  }
  return { ...base, ...(secret ? { secret } : {}), ...(allowed !== undefined ? { allowed } : {}), problems };
}

/** The objects of one namespace its clusters' identities depend on: an explorer tenant, or what a command read. */
export interface IdentityObjects {
  readonly infraClusters: readonly KubeObject[];
  readonly clusterClasses: readonly KubeObject[];
  /** Cluster-scoped; those that could be read. */
  readonly clusterIdentities: readonly KubeObject[];
  readonly namespaceObject?: KubeObject;
}

/** `clusterIdentity` of a cluster among its namespace's objects (its ClusterClass picked by the topology's class name). */
export function identityOfCluster(cluster: KubeObject, o: IdentityObjects): ClusterIdentity {
  const className = topologyClass(cluster).name;
  return clusterIdentity({
    cluster,
    infraClusters: o.infraClusters,
    clusterClass: className ? o.clusterClasses.find((c) => c.metadata?.name === className) : undefined,
    clusterIdentities: o.clusterIdentities,
    namespaces: o.namespaceObject ? [o.namespaceObject] : [],
  });
}

/** What the explorer says a cluster's credentials are read from (names only). */
export function identitySourceText(id: ClusterIdentity): string {
  const secret = id.secret ? `Secret ${id.secret.namespace}/${id.secret.name}` : 'an unknown Secret';
  const via = id.type === 'ClusterIdentity' ? `OpenStackClusterIdentity ${id.identityName} → ` : '';
  return `${via}${secret}, cloud "${id.cloudName}"${id.region ? `, region ${id.region}` : ''} (${id.at})`;
}

/**
 * Why CAPO would not read credentials for this cluster, located and on one line; undefined when it would. An
 * OpenStackClusterIdentity that is absent, names no Secret, or cannot be checked against the namespace is not proof
 * of a refusal, but a push relying on it could not say where the credentials go, so it counts as one.
 */
export function identityRefusal(id: ClusterIdentity): string | undefined {
  if (id.allowed === true && id.secret) return undefined;
  return `${id.at}: ${id.problems[0] ?? `identity ${id.identityName} cannot be resolved`}`;
}

/** Where a push that relies on the clusters' identities must read or write the credentials. */
export type CredentialTarget =
  | { readonly ok: true; readonly identity?: undefined }
  /** Every listed cluster reads the same OpenStackClusterIdentity's Secret. */
  | { readonly ok: true; readonly identity: ClusterIdentity }
  | { readonly ok: false; readonly reason: string };

/**
 * The credential target of a push for `clusters` (name → identity): unchanged (the tenant's own Secret) when none uses a
 * ClusterIdentity; the one OpenStackClusterIdentity's Secret when all do and agree; otherwise refused with a one-line,
 * located reason (a refused identity first, CAPO's wording: provider.go:60, :110-113).
 */
export function credentialTarget(clusters: ReadonlyMap<string, ClusterIdentity>): CredentialTarget {
  const all = [...clusters.entries()].sort(([a], [b]) => a.localeCompare(b));
  for (const [, id] of all) {
    if (id.type !== 'Secret') {
      const refusal = identityRefusal(id);
      if (refusal) return { ok: false, reason: refusal };
    }
  }
  const viaIdentity = all.filter(([, id]) => id.type === 'ClusterIdentity');
  if (!viaIdentity.length) return { ok: true };
  const key = (id: ClusterIdentity) => `${id.secret?.namespace}/${id.secret?.name} cloud "${id.cloudName}"`;
  const keys = new Set(viaIdentity.map(([, id]) => key(id)));
  if (viaIdentity.length === all.length && keys.size === 1) return { ok: true, identity: viaIdentity[0][1] };
  const list = all.map(([name, id]) => `${name} → ${id.type === 'ClusterIdentity' ? key(id) : `Secret ${id.secret?.name} of the tenant`}`);
  return { ok: false, reason: `the clusters read different credentials (${list.join('; ')}): push to each group of clusters separately` };
}

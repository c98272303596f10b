// The resource types the emulator serves: core/v1 and RBAC built-ins plus the CRD-backed kinds of the
// Cluster API / cluster-stack domain. A CRD-backed type can be left uninstalled (absent from discovery,
// 404 on its paths, like a cluster without that CRD).

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'boolean' | 'date';
  /** Simple dotted path into the object (`.spec.topology.version`); `[i]` indexes and `a || b` fallbacks are allowed. */
  jsonPath: string;
  priority?: number;
}

export interface ResourceType {
  group: string; // '' = core
  versions: string[]; // served; the first is the preferred/storage version
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** CRD name (`<plural>.<group>`) when CRD-backed. */
  crd?: string;
  /** CRD-backed types have a status subresource: create drops status, updates keep it. */
  statusSubresource: boolean;
  /** Set `metadata.generation` and bump it on spec changes. */
  generation: boolean;
  columns: PrinterColumn[];
  /** Extra field selectors besides metadata.name / metadata.namespace. */
  fieldSelectors: string[];
  /** Only POST is served (SelfSubjectAccessReview). */
  createOnly?: boolean;
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function core(
  kind: string,
  plural: string,
  namespaced: boolean,
  shortNames: string[],
  columns: PrinterColumn[] = [],
  fieldSelectors: string[] = [],
): ResourceType {
  return {
    group: '',
    versions: ['v1'],
    kind,
    listKind: `${kind}List`,
    plural,
    singular: kind.toLowerCase(),
    namespaced,
    shortNames,
    categories: [],
    verbs: ALL_VERBS,
    statusSubresource: false,
    generation: false,
    columns,
    fieldSelectors,
  };
}

/** apps/v1 workloads: generation bumped on spec changes, a status subresource (written by the controllers in apps.ts). */
function apps(kind: string, plural: string, shortNames: string[], columns: PrinterColumn[]): ResourceType {
  return {
    ...core(kind, plural, true, shortNames, columns),
    group: 'apps',
    statusSubresource: true,
    generation: true,
    categories: ['all'],
  };
}

function rbac(kind: string, plural: string, namespaced: boolean): ResourceType {
  return { ...core(kind, plural, namespaced, []), group: 'rbac.authorization.k8s.io' };
}

function crd(
  group: string,
  versions: string[],
  kind: string,
  plural: string,
  shortNames: string[],
  columns: PrinterColumn[],
  categories: string[] = [],
  namespaced = true,
): ResourceType {
  return {
    group,
    versions,
    kind,
    listKind: `${kind}List`,
    plural,
    singular: kind.toLowerCase(),
    namespaced,
    shortNames,
    categories,
    verbs: ALL_VERBS,
    crd: `${plural}.${group}`,
    statusSubresource: true,
    generation: true,
    columns,
    fieldSelectors: [],
  };
}

function review(kind: string): ResourceType {
  return {
    group: 'authorization.k8s.io',
    versions: ['v1'],
    kind,
    listKind: `${kind}List`,
    plural: `${kind.toLowerCase()}s`,
    singular: kind.toLowerCase(),
    namespaced: false,
    shortNames: [],
    categories: [],
    verbs: ['create'],
    statusSubresource: false,
    generation: false,
    columns: [],
    fieldSelectors: [],
    createOnly: true,
  };
}

const age: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

export const BUILTIN_TYPES: ResourceType[] = [
  core('Namespace', 'namespaces', false, ['ns'], [{ name: 'Status', type: 'string', jsonPath: '.status.phase' }], ['status.phase']),
  core('Secret', 'secrets', true, [], [{ name: 'Type', type: 'string', jsonPath: '.type' }], ['type']),
  core('ConfigMap', 'configmaps', true, ['cm']),
  core('ServiceAccount', 'serviceaccounts', true, ['sa']),
  core('Node', 'nodes', false, ['no'], [{ name: 'Version', type: 'string', jsonPath: '.status.nodeInfo.kubeletVersion' }]),
  apps(
    'Deployment',
    'deployments',
    ['deploy'],
    [
      { name: 'Ready', type: 'integer', jsonPath: '.status.readyReplicas' },
      { name: 'Up-to-date', type: 'integer', jsonPath: '.status.updatedReplicas' },
      { name: 'Available', type: 'integer', jsonPath: '.status.availableReplicas' },
    ],
  ),
  apps(
    'DaemonSet',
    'daemonsets',
    ['ds'],
    [
      { name: 'Desired', type: 'integer', jsonPath: '.status.desiredNumberScheduled' },
      { name: 'Current', type: 'integer', jsonPath: '.status.currentNumberScheduled' },
      { name: 'Ready', type: 'integer', jsonPath: '.status.numberReady' },
      { name: 'Up-to-date', type: 'integer', jsonPath: '.status.updatedNumberScheduled' },
      { name: 'Available', type: 'integer', jsonPath: '.status.numberAvailable' },
    ],
  ),
  rbac('Role', 'roles', true),
  rbac('RoleBinding', 'rolebindings', true),
  rbac('ClusterRole', 'clusterroles', false),
  rbac('ClusterRoleBinding', 'clusterrolebindings', false),
  review('SelfSubjectAccessReview'),
  review('SelfSubjectRulesReview'),
  {
    group: 'apiextensions.k8s.io',
    versions: ['v1'],
    kind: 'CustomResourceDefinition',
    listKind: 'CustomResourceDefinitionList',
    plural: 'customresourcedefinitions',
    singular: 'customresourcedefinition',
    namespaced: false,
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    verbs: ['get', 'list', 'watch'],
    statusSubresource: false,
    generation: false,
    columns: [],
    fieldSelectors: [],
  },
];

const CAPI = 'cluster.x-k8s.io';
const ADDONS = 'addons.cluster.x-k8s.io';
const CSO = 'clusterstack.x-k8s.io';
const CSPO = 'infrastructure.clusterstack.x-k8s.io';
const CAPO = 'infrastructure.cluster.x-k8s.io';
const capiVersions = ['v1beta2', 'v1beta1'];

export const CRD_TYPES: ResourceType[] = [
  crd(
    CAPI,
    capiVersions,
    'Cluster',
    'clusters',
    ['cl'],
    [
      { name: 'ClusterClass', type: 'string', jsonPath: '.spec.topology.classRef.name || .spec.topology.class' },
      { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
      age,
      { name: 'Version', type: 'string', jsonPath: '.spec.topology.version' },
    ],
    ['cluster-api'],
  ),
  crd(CAPI, capiVersions, 'ClusterClass', 'clusterclasses', ['cc'], [age], ['cluster-api']),
  crd(ADDONS, capiVersions, 'ClusterResourceSet', 'clusterresourcesets', ['crs'], [age], ['cluster-api']),
  crd(ADDONS, capiVersions, 'ClusterResourceSetBinding', 'clusterresourcesetbindings', ['crsb'], [age], ['cluster-api']),
  crd(
    CSO,
    ['v1alpha1'],
    'ClusterStack',
    'clusterstacks',
    ['csk'],
    [
      { name: 'K8s', type: 'string', jsonPath: '.spec.kubernetesVersion' },
      { name: 'Channel', type: 'string', jsonPath: '.spec.channel' },
      { name: 'Autosubscribe', type: 'string', jsonPath: '.spec.autoSubscribe' },
      { name: 'Usable', type: 'string', jsonPath: '.status.usableVersions' },
      { name: 'Latest', type: 'string', jsonPath: '.status.latestRelease' },
      age,
    ],
  ),
  crd(
    CSO,
    ['v1alpha1'],
    'ClusterStackRelease',
    'clusterstackreleases',
    ['cskr'],
    [
      { name: 'K8s Version', type: 'string', jsonPath: '.status.kubernetesVersion' },
      { name: 'Ready', type: 'boolean', jsonPath: '.status.ready' },
      age,
    ],
  ),
  crd(
    CSO,
    ['v1alpha1'],
    'ClusterAddon',
    'clusteraddons',
    ['caddon'],
    [
      { name: 'Cluster', type: 'string', jsonPath: '.spec.clusterRef.name' },
      { name: 'Ready', type: 'boolean', jsonPath: '.status.ready' },
      age,
    ],
  ),
  crd(CSPO, ['v1alpha1'], 'OpenStackClusterStackReleaseTemplate', 'openstackclusterstackreleasetemplates', ['oscsrt'], [age]),
  crd(
    CSPO,
    ['v1alpha1'],
    'OpenStackClusterStackRelease',
    'openstackclusterstackreleases',
    ['oscsr'],
    [{ name: 'Ready', type: 'boolean', jsonPath: '.status.ready' }, age],
  ),
  // CAPO's credential objects (cluster-api-provider-openstack@e52de58 config/crd/bases): the OpenStackCluster whose
  // spec.identityRef names the credentials, and the cluster-scoped OpenStackClusterIdentity (CRD `scope: Cluster`) it may
  // point at. Only v1beta2 of OpenStackCluster is served (the storage version; upstream also serves v1beta1 through a
  // conversion webhook the emulator does not model). Printer columns as the v1beta2 CRD declares them, less its Cluster
  // column (a label path with escaped dots, which table.ts does not parse).
  crd(
    CAPO,
    ['v1beta2'],
    'OpenStackCluster',
    'openstackclusters',
    ['osc'],
    [
      { name: 'Network', type: 'string', jsonPath: '.status.network.id' },
      { name: 'Endpoint', type: 'string', jsonPath: '.spec.controlPlaneEndpoint.host', priority: 1 },
      { name: 'Bastion IP', type: 'string', jsonPath: '.status.bastion.floatingIP' },
      age,
    ],
    ['cluster-api'],
  ),
  crd(CAPO, ['v1alpha1'], 'OpenStackClusterIdentity', 'openstackclusteridentities', ['osci'], [age], ['cluster-api'], false),
];

export function groupVersionOf(t: ResourceType, version: string): string {
  return t.group ? `${t.group}/${version}` : version;
}

/** `secrets` or `clusters.cluster.x-k8s.io`, as used in API error messages. */
export function qualifiedResource(t: ResourceType): string {
  return t.group ? `${t.plural}.${t.group}` : t.plural;
}

/** The types one emulator serves: the built-ins plus the CRDs that are installed. */
export class Registry {
  readonly types: ResourceType[];

  constructor(uninstalledCrds: string[] = []) {
    const gone = new Set(uninstalledCrds);
    for (const name of gone) {
      if (!CRD_TYPES.some((t) => t.crd === name || t.group === name)) {
        throw new Error(`emulator: unknown CRD "${name}" (known: ${CRD_TYPES.map((t) => t.crd).join(', ')})`);
      }
    }
    this.types = [...BUILTIN_TYPES, ...CRD_TYPES.filter((t) => !gone.has(t.crd ?? '') && !gone.has(t.group))];
  }

  byResource(group: string, version: string, plural: string): ResourceType | undefined {
    return this.types.find((t) => t.group === group && t.plural === plural && t.versions.includes(version));
  }

  byKind(group: string, kind: string): ResourceType | undefined {
    return this.types.find((t) => t.group === group && t.kind === kind);
  }

  /** `apiVersion` + `kind` of an object → its type (any served version). */
  byObject(apiVersion: string, kind: string): ResourceType | undefined {
    const slash = apiVersion.lastIndexOf('/');
    const group = slash >= 0 ? apiVersion.slice(0, slash) : '';
    return this.byKind(group, kind);
  }

  /** Served group → versions (preferred first), in a stable order. */
  groups(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const t of this.types) {
      const vs = out.get(t.group) ?? [];
      for (const v of t.versions) if (!vs.includes(v)) vs.push(v);
      out.set(t.group, vs);
    }
    return out;
  }
}

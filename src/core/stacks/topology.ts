/**
 * The topology `Cluster` a customer orders from a cluster-stack ClusterClass (domain.md §4.4, §4.6, §(d) step 7):
 * generated from a ClusterClass in the tenant, and checked with the rules the JSON schema cannot express —
 * the cluster-stack operator's Cluster webhook (api/v1alpha1/cluster_webhook.go: class of the form
 * `<provider>-<name>-<maj>-<min>-<version>`, `topology.version` == the ClusterStackRelease's
 * `status.kubernetesVersion`, update rules) and CAPI's (workers and variables must exist in the class).
 */
import { MANAGED_SECRET_LABEL } from '../capi/credentials';
import { releaseState } from '../capi/stacks';
import { field, stringField, type KubeObject } from '../capi/types';
import { expectedIdentity, WORKLOAD_STYLES, type WorkloadStyle } from '../manifests/credentials';
import type { Issue } from './located';
import {
  isParsed,
  KUBERNETES_PATCH_PATTERN,
  minorOfKubernetesVersion,
  PARSE_ERROR_TEXT,
  parseClusterClassName,
  releaseNameOfClass,
} from './names';

export const CAPI_GROUP = 'cluster.x-k8s.io';
export type CapiVersion = 'v1beta1' | 'v1beta2';

export interface WorkerChoice {
  readonly class: string;
  readonly name: string;
  readonly replicas: number;
}

export interface TopologyChoices {
  readonly name: string;
  readonly namespace: string;
  readonly className: string;
  /** Where the ClusterClass lives when not in the Cluster's namespace. */
  readonly classNamespace?: string;
  /** `v1.33.4`: the release's `status.kubernetesVersion`. */
  readonly kubernetesVersion: string;
  readonly controlPlaneReplicas: number;
  readonly workers: readonly WorkerChoice[];
  /** The `managed-secret` label value that makes the tenant's ClusterResourceSet deliver the cloud credentials. */
  readonly credentials?: WorkloadStyle;
  readonly apiVersion?: CapiVersion;
  readonly podCidr?: string;
  readonly serviceCidr?: string;
  readonly variables?: readonly { name: string; value: unknown }[];
}

/** Defaults of the SCS quickstart / scs2 README Clusters. */
export const DEFAULT_POD_CIDR = '192.168.0.0/16';
export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';

export function buildTopologyCluster(c: TopologyChoices): Record<string, unknown> {
  const apiVersion = c.apiVersion ?? 'v1beta1';
  const metadata: Record<string, unknown> = { name: c.name, namespace: c.namespace };
  if (c.credentials) metadata.labels = { [MANAGED_SECRET_LABEL]: c.credentials };
  const topology: Record<string, unknown> = {};
  if (apiVersion === 'v1beta2') topology.classRef = { name: c.className, ...(c.classNamespace ? { namespace: c.classNamespace } : {}) };
  else {
    topology.class = c.className;
    if (c.classNamespace) topology.classNamespace = c.classNamespace;
  }
  topology.version = c.kubernetesVersion;
  topology.controlPlane = { replicas: c.controlPlaneReplicas };
  topology.workers = { machineDeployments: c.workers.map((w) => ({ class: w.class, name: w.name, replicas: w.replicas })) };
  if (c.variables?.length) topology.variables = c.variables.map((v) => ({ name: v.name, value: v.value }));
  return {
    apiVersion: `${CAPI_GROUP}/${apiVersion}`,
    kind: 'Cluster',
    metadata,
    spec: {
      clusterNetwork: {
        pods: { cidrBlocks: [c.podCidr ?? DEFAULT_POD_CIDR] },
        serviceDomain: 'cluster.local',
        services: { cidrBlocks: [c.serviceCidr ?? DEFAULT_SERVICE_CIDR] },
      },
      topology,
    },
  };
}

/** What a ClusterClass offers to a Cluster: worker classes, variables, and which credential secret its addons read. */
export interface ClassOffer {
  readonly name: string;
  readonly workerClasses: readonly string[];
  readonly variables: readonly string[];
  /** `clouds-yaml` for classes with the scs2 `identityRef` variable, `cloud-config` for `secret_name` (scs); else unknown. */
  readonly credentials?: WorkloadStyle;
}

export function classOffer(clusterClass: unknown): ClassOffer {
  const list = (v: unknown, key: string): string[] =>
    Array.isArray(v) ? v.map((x) => stringField(x, key)).filter((x): x is string => x !== undefined) : [];
  const source = expectedIdentity(clusterClass).source;
  return {
    name: stringField(clusterClass, 'metadata', 'name') ?? '',
    workerClasses: list(field(clusterClass, 'spec', 'workers', 'machineDeployments'), 'class'),
    variables: list(field(clusterClass, 'spec', 'variables'), 'name'),
    credentials: source === 'identityRef' ? 'clouds-yaml' : source === 'secret_name' ? 'cloud-config' : undefined,
  };
}

/** What is known about the tenant the Cluster goes into (from the live cluster). */
export interface TenantFacts {
  /** ClusterClasses in the class namespace, by name. */
  readonly classes: ReadonlyMap<string, ClassOffer>;
  /** ClusterStackReleases by name → `status.kubernetesVersion` (undefined while not yet known). */
  readonly releases: ReadonlyMap<string, string | undefined>;
}

/** The facts from listed objects: ClusterClasses and ClusterStackReleases of the class namespace. */
export function tenantFactsOf(classObjects: readonly unknown[], releases: readonly KubeObject[]): TenantFacts {
  return {
    classes: new Map(
      classObjects.map((c) => {
        const o = classOffer(c);
        return [o.name, o];
      }),
    ),
    releases: new Map(releases.map((r) => [r.metadata?.name ?? '', releaseState(r).kubernetesVersion])),
  };
}

export function isTopologyCluster(obj: unknown): boolean {
  const apiVersion = stringField(obj, 'apiVersion') ?? '';
  return stringField(obj, 'kind') === 'Cluster' && apiVersion.startsWith(`${CAPI_GROUP}/`) && field(obj, 'spec', 'topology') !== undefined;
}

/** The class name and the path it sits at, for v1beta1 (`class`) and v1beta2 (`classRef.name`). */
export function topologyClass(obj: unknown): { name?: string; path: (string | number)[] } {
  const ref = field(obj, 'spec', 'topology', 'classRef');
  if (ref !== undefined) return { name: stringField(ref, 'name'), path: ['spec', 'topology', 'classRef', 'name'] };
  return { name: stringField(obj, 'spec', 'topology', 'class'), path: ['spec', 'topology', 'class'] };
}

const VERSION_PATH = ['spec', 'topology', 'version'];

/** Checks of the JSON schema (the editor reports these through it). */
const SCHEMA_CODES = new Set(['CSK206']);
export function isTopologySchemaIssue(issue: Issue): boolean {
  return SCHEMA_CODES.has(issue.code);
}

/**
 * Validates a topology Cluster. `facts` adds the live checks (class exists, version matches the release,
 * workers/variables exist in the class); `old` (the Cluster in the cluster) adds the webhook's update rules.
 */
export function validateTopologyCluster(obj: unknown, facts?: TenantFacts, old?: unknown): Issue[] {
  const issues: Issue[] = [];
  const add = (code: string, severity: Issue['severity'], path: (string | number)[], message: string, atKey = false): void => {
    issues.push({ code, severity, path, message, atKey });
  };
  const cls = topologyClass(obj);
  const version = field(obj, 'spec', 'topology', 'version');

  if (typeof version !== 'string' || !KUBERNETES_PATCH_PATTERN.test(version))
    add(
      'CSK206',
      'error',
      VERSION_PATH,
      `topology.version must be a full Kubernetes version such as v1.33.4 (got ${JSON.stringify(version ?? null)})`,
      version === undefined,
    );

  if (!cls.name) {
    add(
      'CSK201',
      'error',
      cls.path.slice(0, -1),
      'class field cannot be empty: name the ClusterClass of a cluster stack, e.g. openstack-scs2-1-33-v1',
      true,
    );
  } else {
    const parsed = parseClusterClassName(cls.name);
    if (!isParsed(parsed)) {
      add('CSK202', 'error', cls.path, `"${cls.name}" is not a cluster-stack ClusterClass: ${PARSE_ERROR_TEXT[parsed]}`);
    } else if (typeof version === 'string') {
      const minor = minorOfKubernetesVersion(version);
      const want = `${parsed.kubernetes.major}.${parsed.kubernetes.minor}`;
      if (minor && minor !== want)
        add('CSK205', 'error', VERSION_PATH, `ClusterClass ${cls.name} is for Kubernetes ${want}, but topology.version is ${version}`);
    }
    if (facts) checkAgainstTenant(obj, cls.name, cls.path, version, facts, add);
    if (old !== undefined) checkUpdate(topologyClass(old).name, cls.name, cls.path, add);
  }

  const labels = field(obj, 'metadata', 'labels');
  const label = field(labels, MANAGED_SECRET_LABEL);
  const offer = cls.name ? facts?.classes.get(cls.name) : undefined;
  if (label === undefined) {
    add(
      'CSK207',
      'warning',
      ['metadata', labels === undefined ? 'name' : 'labels'],
      `no "${MANAGED_SECRET_LABEL}" label: no ClusterResourceSet will deliver the OpenStack credentials to the workload cluster` +
        (offer?.credentials ? ` (this class expects ${MANAGED_SECRET_LABEL}: ${offer.credentials})` : ''),
      true,
    );
  } else if (!(WORKLOAD_STYLES as readonly unknown[]).includes(label)) {
    add(
      'CSK207',
      'warning',
      ['metadata', 'labels', MANAGED_SECRET_LABEL],
      `${MANAGED_SECRET_LABEL} is "${String(label)}"; the SCS ClusterResourceSets select cloud-config (scs) or clouds-yaml (scs2)`,
    );
  } else if (offer?.credentials && offer.credentials !== label) {
    add(
      'CSK207',
      'warning',
      ['metadata', 'labels', MANAGED_SECRET_LABEL],
      `ClusterClass ${offer.name} reads the ${offer.credentials} secret, but the label selects ${String(label)}`,
    );
  }
  return issues;
}

type Add = (code: string, severity: Issue['severity'], path: (string | number)[], message: string, atKey?: boolean) => void;

function checkAgainstTenant(
  obj: unknown,
  className: string,
  classPath: (string | number)[],
  version: unknown,
  facts: TenantFacts,
  add: Add,
): void {
  const offer = facts.classes.get(className);
  if (!offer) {
    const known = [...facts.classes.keys()].sort();
    add(
      'CSK203',
      'error',
      classPath,
      `ClusterClass ${className} does not exist in the tenant${known.length ? ` (available: ${known.join(', ')})` : ''}`,
    );
  }
  const releaseName = releaseNameOfClass(className);
  if (facts.releases.has(releaseName)) {
    const want = facts.releases.get(releaseName);
    if (want === undefined)
      add(
        'CSK208',
        'info',
        VERSION_PATH,
        `ClusterStackRelease ${releaseName} has no Kubernetes version in its status yet, so the version cannot be checked`,
      );
    else if (typeof version === 'string' && version !== want)
      add('CSK204', 'error', VERSION_PATH, `clusterClass ${className} expects Kubernetes version ${want}, but got ${version}`);
  } else if (offer) {
    add('CSK208', 'info', classPath, `no ClusterStackRelease ${releaseName} in the tenant, so the version cannot be checked`);
  }
  if (!offer) return;
  const mds = field(obj, 'spec', 'topology', 'workers', 'machineDeployments');
  if (Array.isArray(mds))
    mds.forEach((md, i) => {
      const c = stringField(md, 'class');
      if (c && offer.workerClasses.length && !offer.workerClasses.includes(c))
        add(
          'CSK210',
          'error',
          ['spec', 'topology', 'workers', 'machineDeployments', i, 'class'],
          `worker class ${c} is not defined in ${className} (defined: ${offer.workerClasses.join(', ')})`,
        );
    });
  const vars = field(obj, 'spec', 'topology', 'variables');
  if (Array.isArray(vars))
    vars.forEach((v, i) => {
      const n = stringField(v, 'name');
      if (n && !offer.variables.includes(n))
        add('CSK211', 'error', ['spec', 'topology', 'variables', i, 'name'], `variable ${n} is not defined in ${className}`);
    });
}

function checkUpdate(oldName: string | undefined, newName: string, classPath: (string | number)[], add: Add): void {
  if (!oldName) return;
  const before = parseClusterClassName(oldName);
  const after = parseClusterClassName(newName);
  if (!isParsed(before) || !isParsed(after)) return;
  if (before.provider !== after.provider)
    add('CSK209', 'error', classPath, `provider name must not change. Got ${after.provider}, want ${before.provider}`);
  if (before.name !== after.name)
    add('CSK209', 'error', classPath, `cluster stack name must not change. Got ${after.name}, want ${before.name}`);
  const step = after.kubernetes.minor - before.kubernetes.minor;
  if (step !== 0 && step !== 1)
    add(
      'CSK209',
      'error',
      classPath,
      `kubernetes version must be the same or higher by one: from ${before.kubernetes.major}-${before.kubernetes.minor} to ${after.kubernetes.major}-${after.kubernetes.minor}`,
    );
}

/**
 * Ordering a workload cluster from a form: the form model for a ClusterClass of the tenant (worker
 * classes — every one the class defines —, Kubernetes version and readiness of its release, the
 * credential label it expects, the variable fields), the checks of the entered values, and the `Cluster`
 * manifest, validated by the topology rules (CSK2xx) and the variable schemas before it is shown for review.
 */
import { releaseState, type Readiness } from '../capi/stacks';
import type { KubeObject } from '../capi/types';
import type { WorkloadStyle } from '../manifests/credentials';
import type { Issue } from '../stacks/located';
import { releaseNameOfClass, validateDnsLabel } from '../stacks/names';
import {
  buildTopologyCluster,
  classOffer,
  tenantFactsOf,
  validateTopologyCluster,
  type CapiVersion,
  type WorkerChoice,
} from '../stacks/topology';
import { validateVariableValues, variablesForm, type FieldMessage, type FormField } from './formModel';
import { classVariables } from './variables';

export interface OrderFormModel {
  readonly className: string;
  readonly namespace: string;
  /** Where the ClusterClass lives when not in the Cluster's namespace. */
  readonly classNamespace?: string;
  readonly apiVersion: CapiVersion;
  /** The release's `status.kubernetesVersion`: the Cluster's `topology.version`. */
  readonly kubernetesVersion?: string;
  readonly release: { readonly name: string; readonly readiness: Readiness | 'missing'; readonly reason: string };
  /** The `managed-secret` label the class's addons read, when the class shows it. */
  readonly credentials?: WorkloadStyle;
  /** Every worker class of the ClusterClass, with the name and count the form proposes. */
  readonly workers: readonly (WorkerChoice & { readonly enabled: boolean })[];
  readonly controlPlaneReplicas: number;
  readonly variables: readonly FormField[];
  /** Why an order from this class cannot work now, one line each. */
  readonly problems: readonly string[];
}

export interface OrderInputs {
  readonly clusterClass: KubeObject;
  /** The tenant's ClusterStackReleases (the class's release gives the Kubernetes version). */
  readonly releases: readonly KubeObject[];
  /** Namespace of the new Cluster (default: the class's). */
  readonly namespace?: string;
  /** The server's preferred cluster.x-k8s.io version. */
  readonly apiVersion?: CapiVersion;
}

export function orderForm(inputs: OrderInputs): OrderFormModel {
  const cc = inputs.clusterClass;
  const className = cc.metadata?.name ?? '';
  const classNs = cc.metadata?.namespace ?? '';
  const namespace = inputs.namespace ?? classNs;
  const offer = classOffer(cc);
  const releaseName = releaseNameOfClass(className);
  const rel = inputs.releases.find((r) => r.metadata?.name === releaseName && r.metadata?.namespace === classNs);
  const state = rel ? releaseState(rel) : undefined;
  const vars = classVariables(cc);
  const problems = [...vars.problems];
  if (!state) problems.push(`no ClusterStackRelease ${releaseName}: the Kubernetes version cannot be taken from it`);
  else if (state.readiness !== 'ready') problems.push(`ClusterStackRelease ${releaseName} is not ready: ${state.reason}`);
  else if (!state.kubernetesVersion) problems.push(`ClusterStackRelease ${releaseName} reports no Kubernetes version yet`);
  const classes = offer.workerClasses.length ? offer.workerClasses : [];
  if (!classes.length) problems.push(`ClusterClass ${className} defines no worker class`);
  return {
    className,
    namespace,
    classNamespace: namespace !== classNs ? classNs : undefined,
    apiVersion: inputs.apiVersion ?? (/\/v1beta2$/.test(cc.apiVersion ?? '') ? 'v1beta2' : 'v1beta1'),
    kubernetesVersion: state?.kubernetesVersion,
    release: state
      ? { name: releaseName, readiness: state.readiness, reason: state.reason }
      : { name: releaseName, readiness: 'missing', reason: 'not found' },
    credentials: offer.credentials,
    workers: classes.map((c, i) => ({ class: c, name: c === 'default-worker' ? 'md-0' : c, replicas: i === 0 ? 3 : 1, enabled: i === 0 })),
    controlPlaneReplicas: 1,
    variables: variablesForm(vars).fields,
    problems,
  };
}

export interface OrderValues {
  readonly name: string;
  readonly controlPlaneReplicas: number;
  /** The MachineDeployments to create (any of the model's worker classes, any number of each). */
  readonly workers: readonly WorkerChoice[];
  readonly credentials?: WorkloadStyle | 'none';
  /** Entered variable values; a variable left out is defaulted by Cluster API. */
  readonly variables: Readonly<Record<string, unknown>>;
  readonly podCidr?: string;
  readonly serviceCidr?: string;
}

/** Cluster names: object names that are also label values (kubernetes-sigs/cluster-api@ae7ff047 core/webhooks/admission/cluster.go:159). */
export function clusterNameProblem(name: string): string | undefined {
  if (!name) return 'a name is required';
  if (name.length > 63) return 'at most 63 characters (the name is used as a label value)';
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name))
    return 'lower-case letters, digits, "-" and ".", starting and ending with a letter or digit';
  return undefined;
}

/** Per-field messages (field ids: `name`, `controlPlaneReplicas`, `workers[i].replicas`, `workers[i].name`, and the variable field ids). */
export function validateOrder(model: OrderFormModel, values: OrderValues, existingNames: readonly string[] = []): FieldMessage[] {
  const out: FieldMessage[] = [];
  const nameProblem = clusterNameProblem(values.name);
  if (nameProblem) out.push({ field: 'name', message: nameProblem });
  else if (existingNames.includes(values.name)) out.push({ field: 'name', message: `${values.name} already exists in ${model.namespace}` });
  const cp = values.controlPlaneReplicas;
  if (!Number.isInteger(cp) || cp <= 0) out.push({ field: 'controlPlaneReplicas', message: 'at least 1 control-plane node' });
  else if (cp % 2 === 0)
    out.push({
      field: 'controlPlaneReplicas',
      severity: 'warning',
      message: `an even etcd membership tolerates no more failures than ${cp - 1}, and KubeadmControlPlane refuses even counts when etcd is stacked (as in the SCS stacks)`,
    });
  if (!values.workers.length) out.push({ field: 'workers', message: 'at least one worker MachineDeployment' });
  const known = new Set(model.workers.map((w) => w.class));
  const seen = new Set<string>();
  values.workers.forEach((w, i) => {
    if (!known.has(w.class)) out.push({ field: `workers[${i}].class`, message: `${w.class} is not a worker class of ${model.className}` });
    const workerNameProblem = validateDnsLabel(w.name);
    if (workerNameProblem) out.push({ field: `workers[${i}].name`, message: workerNameProblem });
    else if (seen.has(w.name)) out.push({ field: `workers[${i}].name`, message: `${w.name} is used twice` });
    seen.add(w.name);
    if (!Number.isInteger(w.replicas) || w.replicas < 0) out.push({ field: `workers[${i}].replicas`, message: 'a whole number ≥ 0' });
  });
  return out;
}

export interface OrderResult {
  readonly manifest: Record<string, unknown>;
  /** Topology-rule findings on the manifest (an error means the webhooks would refuse it). */
  readonly issues: readonly Issue[];
  readonly messages: readonly FieldMessage[];
  readonly ok: boolean;
}

/**
 * The Cluster for the entered values. `clusterClass`/`releases` are the live objects the model was built
 * from: the manifest is checked against them (class, release version, worker classes, variables).
 */
export function orderManifest(
  model: OrderFormModel,
  values: OrderValues,
  live: { readonly clusterClass: KubeObject; readonly releases: readonly KubeObject[]; readonly existingNames?: readonly string[] },
): OrderResult {
  const messages = [
    ...validateOrder(model, values, live.existingNames),
    ...validateVariableValues(classVariables(live.clusterClass), values.variables),
  ];
  const variables = Object.entries(values.variables)
    .filter(([, v]) => v !== undefined)
    .map(([name, value]) => ({ name, value }));
  const manifest = buildTopologyCluster({
    name: values.name,
    namespace: model.namespace,
    className: model.className,
    classNamespace: model.classNamespace,
    kubernetesVersion: model.kubernetesVersion ?? '',
    controlPlaneReplicas: values.controlPlaneReplicas,
    workers: values.workers,
    credentials: values.credentials === 'none' ? undefined : (values.credentials ?? model.credentials),
    apiVersion: model.apiVersion,
    podCidr: values.podCidr,
    serviceCidr: values.serviceCidr,
    variables,
  });
  const classNs = live.clusterClass.metadata?.namespace;
  const facts = tenantFactsOf(
    [live.clusterClass],
    live.releases.filter((r) => r.metadata?.namespace === classNs),
  );
  const issues = validateTopologyCluster(manifest, facts);
  const missingVersion = model.kubernetesVersion === undefined;
  return {
    manifest,
    issues,
    messages: missingVersion
      ? [...messages, { field: 'kubernetesVersion', message: 'the release reports no Kubernetes version' }]
      : messages,
    ok: !missingVersion && !messages.some((m) => m.severity !== 'warning') && !issues.some((i) => i.severity === 'error'),
  };
}

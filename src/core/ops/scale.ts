/**
 * Scaling a topology Cluster: `topology.controlPlane.replicas`, each `topology.workers.machineDeployments[].replicas`,
 * or handing a MachineDeployment to the cluster autoscaler with its min/max-size annotations. Rules from
 * kubernetes-sigs/cluster-api@ae7ff047:
 * - KubeadmControlPlane refuses 0 and, with stacked etcd, an even count
 *   (controlplane/kubeadm/webhooks/admission/kubeadmcontrolplane.go:254-286, kubeadmcontrolplane_scale.go:67-76);
 * - the Cluster webhook refuses `replicas` next to the autoscaler annotations, on the topology or on the
 *   class's MachineDeployment template (core/webhooks/admission/cluster.go:1046-1102);
 * - the topology copies the topology's `replicas` (nil when absent) and annotations to the MachineDeployment
 *   (exp/topology/desiredstate/desired_state.go:1027-1061), and the MachineDeployment webhook then defaults a
 *   missing `replicas` from the annotations, keeping the current count inside [min, max] or else 1
 *   (core/webhooks/admission/machinedeployment.go:336-430).
 */
import { field, stringField, type KubeObject } from '../capi/types';
import type { Issue } from '../stacks/located';
import type { TenantFacts } from '../stacks/topology';
import { makeChange, PatchBuilder, type ClusterChange } from './change';

export const AUTOSCALER_MIN_ANNOTATION = 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size';
export const AUTOSCALER_MAX_ANNOTATION = 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size';
/** The label the topology puts on a MachineDeployment: the name of its `machineDeployments[]` entry. */
export const TOPOLOGY_MD_NAME_LABEL = 'topology.cluster.x-k8s.io/deployment-name';
const INT32_MAX = 2147483647;

export interface MachineDeploymentScale {
  /** `topology.workers.machineDeployments[].name` */
  readonly name: string;
  readonly replicas?: number;
  /** Hand over to the autoscaler (min/max), or `null` to take it back (then `replicas` is needed). */
  readonly autoscaler?: { readonly min: number; readonly max: number } | null;
}

export interface ScaleRequest {
  readonly controlPlaneReplicas?: number;
  readonly machineDeployments?: readonly MachineDeploymentScale[];
}

export interface ScaleInputs {
  readonly cluster: KubeObject;
  /** The Cluster's ClusterClass (its MachineDeployment classes may carry the autoscaler annotations). */
  readonly clusterClass?: KubeObject;
  /** The control plane object: whether etcd is external decides if an even count is refused. */
  readonly controlPlane?: KubeObject;
  /** The cluster's MachineDeployments, to predict what the autoscaler hand-over does to the current count. */
  readonly machineDeployments?: readonly KubeObject[];
  readonly facts?: TenantFacts;
}

/** What the UI shows before asking: current counts and autoscaler ranges per MachineDeployment. */
export interface ScaleState {
  readonly controlPlaneReplicas?: number;
  readonly etcd: 'stacked' | 'external' | 'unknown';
  readonly machineDeployments: readonly {
    readonly name: string;
    readonly class?: string;
    readonly replicas?: number;
    readonly autoscaler?: { readonly min?: string; readonly max?: string };
    /** The autoscaler annotations come from the ClusterClass: replicas cannot be set on the topology. */
    readonly autoscalerFromClass: boolean;
  }[];
}

function annotations(v: unknown): Record<string, unknown> {
  const a = field(v, 'metadata', 'annotations');
  return a !== null && typeof a === 'object' ? (a as Record<string, unknown>) : {};
}

function hasAutoscaler(a: Record<string, unknown>): boolean {
  return AUTOSCALER_MIN_ANNOTATION in a || AUTOSCALER_MAX_ANNOTATION in a;
}

function etcdOf(cp: KubeObject | undefined): ScaleState['etcd'] {
  if (!cp) return 'unknown';
  return field(cp, 'spec', 'kubeadmConfigSpec', 'clusterConfiguration', 'etcd', 'external') !== undefined ? 'external' : 'stacked';
}

function topologyMds(cluster: KubeObject): unknown[] {
  const mds = field(cluster, 'spec', 'topology', 'workers', 'machineDeployments');
  return Array.isArray(mds) ? mds : [];
}

function classMdAnnotations(cc: KubeObject | undefined, mdClass: string | undefined): Record<string, unknown> {
  const list = field(cc, 'spec', 'workers', 'machineDeployments');
  const mdc = Array.isArray(list) ? list.find((m) => stringField(m, 'class') === mdClass) : undefined;
  // v1beta2 puts the metadata at the class entry, v1beta1 under template.
  return { ...annotations(field(mdc, 'template')), ...annotations(mdc) };
}

export function scaleState(inputs: ScaleInputs): ScaleState {
  const cp = field(inputs.cluster, 'spec', 'topology', 'controlPlane', 'replicas');
  return {
    controlPlaneReplicas: typeof cp === 'number' ? cp : undefined,
    etcd: etcdOf(inputs.controlPlane),
    machineDeployments: topologyMds(inputs.cluster).map((md) => {
      const a = annotations(md);
      const r = field(md, 'replicas');
      const cls = stringField(md, 'class');
      return {
        name: stringField(md, 'name') ?? '',
        class: cls,
        replicas: typeof r === 'number' ? r : undefined,
        autoscaler: hasAutoscaler(a)
          ? { min: a[AUTOSCALER_MIN_ANNOTATION] as string | undefined, max: a[AUTOSCALER_MAX_ANNOTATION] as string | undefined }
          : undefined,
        autoscalerFromClass: hasAutoscaler(classMdAnnotations(inputs.clusterClass, cls)),
      };
    }),
  };
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= INT32_MAX;

export function planScale(inputs: ScaleInputs, request: ScaleRequest): ClusterChange {
  const cluster = inputs.cluster;
  const name = cluster.metadata?.name ?? '';
  const ns = cluster.metadata?.namespace ?? '';
  const b = new PatchBuilder(cluster);
  const issues: Issue[] = [];
  const warnings: string[] = [];
  const what: string[] = [];
  const effects: string[] = [];
  const applyTopology: Record<string, unknown> = {};
  let canApply = true;
  const err = (code: string, path: (string | number)[], message: string): void => {
    issues.push({ code, severity: 'error', path, message });
  };

  if (request.controlPlaneReplicas !== undefined) {
    const n = request.controlPlaneReplicas;
    const path = ['spec', 'topology', 'controlPlane', 'replicas'];
    const before = field(cluster, ...path);
    if (!isCount(n)) err('control-plane-replicas', path, `control-plane replicas must be a whole number (got ${String(n)})`);
    else if (n === 0) err('control-plane-replicas', path, 'control-plane replicas cannot be less than or equal to 0');
    else {
      const etcd = etcdOf(inputs.controlPlane);
      if (n % 2 === 0 && etcd === 'stacked')
        err(
          'control-plane-even',
          path,
          `control-plane replicas cannot be an even number when etcd is stacked: ${n} etcd members tolerate no more failures than ${n - 1} (quorum ${n / 2 + 1}); the KubeadmControlPlane would refuse the change and the topology stays unreconciled`,
        );
      else if (n % 2 === 0 && etcd === 'unknown')
        warnings.push(
          `${n} control-plane nodes: an even etcd membership tolerates no more failures than ${n - 1} (quorum ${n / 2 + 1}), and KubeadmControlPlane refuses even counts when etcd is stacked (as in the SCS stacks)`,
        );
      if (n === 1 && typeof before === 'number' && before > 1)
        warnings.push('1 control-plane node: no etcd redundancy; if that node fails, the Kubernetes API is gone');
      b.test(path);
      b.set(path, n);
      applyTopology.controlPlane = { replicas: n };
      what.push(`control plane ${typeof before === 'number' ? `${before} → ` : ''}${n}`);
      effects.push('KubeadmControlPlane adds or removes control-plane machines one at a time');
    }
  }

  const mds = topologyMds(cluster);
  const applyMds: Record<string, unknown>[] = [];
  for (const req of request.machineDeployments ?? []) {
    const i = mds.findIndex((m) => stringField(m, 'name') === req.name);
    const base = ['spec', 'topology', 'workers', 'machineDeployments'];
    if (i < 0) {
      err(
        'md-unknown',
        base,
        `no machineDeployments entry named ${req.name} in ${name} (has: ${mds.map((m) => stringField(m, 'name')).join(', ')})`,
      );
      continue;
    }
    const md = mds[i];
    const path = [...base, i];
    const mdClass = stringField(md, 'class');
    const before = field(md, 'replicas');
    const own = annotations(md);
    const fromClass = hasAutoscaler(classMdAnnotations(inputs.clusterClass, mdClass));
    const entry: Record<string, unknown> = { name: req.name, class: mdClass };
    b.test([...path, 'name']);

    if (req.autoscaler) {
      const { min, max } = req.autoscaler;
      if (!isCount(min) || !isCount(max)) {
        err(
          'autoscaler',
          [...path, 'metadata', 'annotations'],
          `autoscaler min and max must be whole numbers ≥ 0 (got ${String(min)}, ${String(max)})`,
        );
        continue;
      }
      if (min > max) {
        err('autoscaler', [...path, 'metadata', 'annotations'], `autoscaler min-size ${min} is above max-size ${max}`);
        continue;
      }
      b.set([...path, 'metadata', 'annotations', AUTOSCALER_MIN_ANNOTATION], String(min));
      b.set([...path, 'metadata', 'annotations', AUTOSCALER_MAX_ANNOTATION], String(max));
      if (b.remove([...path, 'replicas'])) canApply = false;
      const current = currentReplicas(inputs.machineDeployments, name, req.name) ?? (typeof before === 'number' ? before : undefined);
      const next = current === undefined ? min : current < min ? min : current > max ? max : current;
      what.push(`${req.name} autoscaled ${min}–${max}`);
      effects.push(
        current === undefined
          ? `${req.name} starts at ${min} (the min-size) and the autoscaler takes over`
          : next === current
            ? `${req.name} keeps its ${current} replicas and the autoscaler takes over`
            : `${req.name} goes from ${current} to ${next} replicas (into ${min}–${max}), then the autoscaler takes over`,
      );
      entry.metadata = { annotations: { [AUTOSCALER_MIN_ANNOTATION]: String(min), [AUTOSCALER_MAX_ANNOTATION]: String(max) } };
      applyMds.push(entry);
      continue;
    }

    const dropAutoscaler = req.autoscaler === null;
    if (dropAutoscaler) {
      if (req.replicas === undefined) {
        err(
          'md-replicas',
          [...path, 'replicas'],
          `give the replicas for ${req.name}: without the autoscaler annotations and without replicas the MachineDeployment is defaulted to 1`,
        );
        continue;
      }
      for (const a of [AUTOSCALER_MIN_ANNOTATION, AUTOSCALER_MAX_ANNOTATION])
        if (b.remove([...path, 'metadata', 'annotations', a])) canApply = false;
    }
    if (req.replicas === undefined) continue;
    if (!isCount(req.replicas)) {
      err('md-replicas', [...path, 'replicas'], `replicas of ${req.name} must be a whole number ≥ 0 (got ${String(req.replicas)})`);
      continue;
    }
    if (!dropAutoscaler && hasAutoscaler(own))
      err(
        'md-replicas',
        [...path, 'replicas'],
        `replicas cannot be set for cluster "${name}" in namespace "${ns}" if the same MachineDeploymentTopology has autoscaler annotations`,
      );
    if (fromClass)
      err(
        'md-replicas',
        [...path, 'replicas'],
        `replicas cannot be set for cluster "${name}" in namespace "${ns}" if the source class "${mdClass}" of this MachineDeploymentTopology has autoscaler annotations`,
      );
    if (req.replicas === 0) warnings.push(`${req.name}: 0 replicas removes every worker of this MachineDeployment`);
    b.set([...path, 'replicas'], req.replicas);
    entry.replicas = req.replicas;
    applyMds.push(entry);
    what.push(`${req.name} ${typeof before === 'number' ? `${before} → ` : ''}${req.replicas}`);
    effects.push(`the MachineDeployment ${req.name} creates or deletes machines to reach ${req.replicas}`);
  }
  if (applyMds.length) applyTopology.workers = { machineDeployments: applyMds };
  if (!b.ops.some((o) => o.op !== 'test') && !issues.length) warnings.push('nothing to change');

  return makeChange(cluster, {
    summary: `Scale ${name}: ${what.join(', ') || 'no change'}`,
    effect: effects.length ? `${effects.join('; ')}.` : 'Nothing changes.',
    ops: b.ops,
    apply: canApply ? { spec: { topology: applyTopology } } : undefined,
    facts: inputs.facts,
    issues,
    warnings,
  });
}

function currentReplicas(mds: readonly KubeObject[] | undefined, cluster: string, topologyName: string): number | undefined {
  const md = mds?.find(
    (m) =>
      m.metadata?.labels?.[TOPOLOGY_MD_NAME_LABEL] === topologyName && m.metadata?.labels?.['cluster.x-k8s.io/cluster-name'] === cluster,
  );
  const r = field(md, 'spec', 'replicas');
  return typeof r === 'number' ? r : undefined;
}

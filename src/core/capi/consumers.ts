/**
 * The workloads in a workload cluster that read the OpenStack credentials once at start and never again
 * (the OpenStack CCM and Cinder CSI: kubernetes/cloud-provider-openstack#2284, #2629), so they must be
 * restarted after the credential secret changed, and the rollout check `kubectl rollout status` applies
 * to them.
 *
 * They are found by the selector labels of the cloud-provider-openstack Helm charts, which the SCS cluster
 * stacks install into kube-system (kubernetes/cloud-provider-openstack@c453fb7):
 *   OCCM DaemonSet             charts/openstack-cloud-controller-manager/templates/_helpers.tpl:15-28
 *                              (app: openstack-cloud-controller-manager, component: controllermanager)
 *   Cinder CSI controller      charts/cinder-csi-plugin/templates/_helpers.tpl:62-78 (app: openstack-cinder-csi,
 *   Deployment / node DaemonSet  component: controllerplugin), :92-95 (component: nodeplugin)
 * The object's own labels differ between the charts (bitnami common labels for the OCCM), its selector does not.
 */

export interface ConsumerWorkload {
  readonly kind: 'Deployment' | 'DaemonSet';
  /** Selector labels that identify it (all must be in `spec.selector.matchLabels`). */
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly what: string;
}

export const CONSUMER_WORKLOADS: readonly ConsumerWorkload[] = [
  {
    kind: 'DaemonSet',
    matchLabels: { app: 'openstack-cloud-controller-manager', component: 'controllermanager' },
    what: 'OpenStack CCM',
  },
  { kind: 'Deployment', matchLabels: { app: 'openstack-cinder-csi', component: 'controllerplugin' }, what: 'Cinder CSI controller plugin' },
  { kind: 'DaemonSet', matchLabels: { app: 'openstack-cinder-csi', component: 'nodeplugin' }, what: 'Cinder CSI node plugin' },
];

/** Where the consumers run: the charts' namespace in the SCS cluster stacks. */
export const CONSUMER_NAMESPACE = 'kube-system';

export interface ConsumerRef {
  readonly apiVersion: 'apps/v1';
  readonly kind: 'Deployment' | 'DaemonSet';
  readonly namespace: string;
  readonly name: string;
  readonly what: string;
}

interface Workload {
  readonly kind?: unknown;
  readonly metadata?: { readonly name?: unknown; readonly namespace?: unknown; readonly generation?: unknown };
  readonly spec?: {
    readonly replicas?: unknown;
    readonly selector?: { readonly matchLabels?: Readonly<Record<string, unknown>> };
    readonly updateStrategy?: { readonly type?: unknown };
  };
  readonly status?: Readonly<Record<string, unknown>> & { readonly conditions?: readonly { type?: unknown; reason?: unknown }[] };
}

/** The consumer workloads among Deployments and DaemonSets (each object carries its `kind`), sorted by kind and name. */
export function findConsumers(objects: readonly unknown[]): ConsumerRef[] {
  const out: ConsumerRef[] = [];
  for (const raw of objects) {
    const o = raw as Workload;
    const name = o.metadata?.name;
    if (typeof name !== 'string') continue;
    const labels = o.spec?.selector?.matchLabels ?? {};
    const c = CONSUMER_WORKLOADS.find((w) => w.kind === o.kind && Object.entries(w.matchLabels).every(([k, v]) => labels[k] === v));
    if (!c) continue;
    const namespace = typeof o.metadata?.namespace === 'string' ? o.metadata.namespace : CONSUMER_NAMESPACE;
    out.push({ apiVersion: 'apps/v1', kind: c.kind, namespace, name, what: c.what });
  }
  return out.sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
}

export interface RolloutState {
  readonly done: boolean;
  /** kubectl's wording. */
  readonly message: string;
  /** Set when the rollout cannot complete any more (a Deployment past its progress deadline). */
  readonly failed?: string;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/**
 * Whether a rollout is complete, as `kubectl rollout status` decides it (kubernetes/kubectl@dee3483
 * pkg/polymorphichelpers/rollout_status.go:59-117: DeploymentStatusViewer, DaemonSetStatusViewer).
 */
export function rolloutState(raw: unknown): RolloutState {
  const o = raw as Workload;
  const name = String(o.metadata?.name ?? '');
  const s = o.status ?? {};
  const observed = num(o.metadata?.generation) <= num(s.observedGeneration);
  if (o.kind === 'Deployment') {
    if (!observed) return { done: false, message: 'Waiting for deployment spec update to be observed...' };
    const progressing = s.conditions?.find((c) => c.type === 'Progressing');
    if (progressing?.reason === 'ProgressDeadlineExceeded') {
      const failed = `deployment "${name}" exceeded its progress deadline`;
      return { done: false, message: failed, failed };
    }
    const replicas = typeof o.spec?.replicas === 'number' ? o.spec.replicas : undefined;
    const updated = num(s.updatedReplicas);
    if (replicas !== undefined && updated < replicas)
      return {
        done: false,
        message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${replicas} new replicas have been updated...`,
      };
    if (num(s.replicas) > updated)
      return {
        done: false,
        message: `Waiting for deployment "${name}" rollout to finish: ${num(s.replicas) - updated} old replicas are pending termination...`,
      };
    if (num(s.availableReplicas) < updated)
      return {
        done: false,
        message: `Waiting for deployment "${name}" rollout to finish: ${num(s.availableReplicas)} of ${updated} updated replicas are available...`,
      };
    return { done: true, message: `deployment "${name}" successfully rolled out` };
  }
  if (o.kind === 'DaemonSet') {
    if (o.spec?.updateStrategy?.type !== 'RollingUpdate') {
      const failed = 'rollout status is only available for RollingUpdate strategy type';
      return { done: true, message: failed, failed };
    }
    if (!observed) return { done: false, message: 'Waiting for daemon set spec update to be observed...' };
    const desired = num(s.desiredNumberScheduled);
    const updated = num(s.updatedNumberScheduled);
    if (updated < desired)
      return {
        done: false,
        message: `Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...`,
      };
    if (num(s.numberAvailable) < desired)
      return {
        done: false,
        message: `Waiting for daemon set "${name}" rollout to finish: ${num(s.numberAvailable)} of ${desired} updated pods are available...`,
      };
    return { done: true, message: `daemon set "${name}" successfully rolled out` };
  }
  return { done: true, message: `${String(o.kind)} "${name}" has no rollout`, failed: `${String(o.kind)} has no rollout status` };
}

/**
 * What deleting a Cluster removes, as far as the management cluster shows it, in the order the
 * controllers do it (kubernetes-sigs/cluster-api@ae7ff047 core/reconcilers/cluster/cluster_controller.go:332-495):
 * the BeforeClusterDelete hook first (topology clusters, :336-344); then the worker MachineDeployments,
 * MachineSets, MachinePools and Machines (labelled with the cluster name, :575-675); then the control plane
 * object, which removes its machines (:409-447); then the infrastructure cluster (:449-487); the objects the
 * Cluster owns go with the Kubernetes garbage collector.
 * In OpenStack (kubernetes-sigs/cluster-api-provider-openstack@e52de58): each OpenStackMachine's server with its
 * ports (status.resources.ports) and its volumes — `<machine>-root` for a rootVolume and `<machine>-<name>` for
 * each Volume block device (controllers/openstackserver_controller.go:244-307, pkg/cloud/services/compute/instance.go:150-152, :528-573);
 * then the OpenStackCluster's bastion and its floating IP unless it is the one given in the spec
 * (controllers/openstackcluster_controller.go:178-195, :256-290), the API server load balancer with its floating IP
 * unless user-provided (:202-216, pkg/cloud/services/loadbalancer/loadbalancer.go:777-833), router, remaining ports
 * and network only when CAPO created them (`managedSubnets`, :218-234), and the security groups (:236-239).
 * Field names per api/v1beta1 and api/v1beta2 (status.apiServerLoadBalancer became status.apiServerManagedLoadBalancer).
 */
import { field, stringField, type KubeObject } from '../capi/types';
import { clusterRef, type ClusterRef } from './change';
import { PAUSED_ANNOTATION } from './pause';

const CLUSTER_NAME_LABEL = 'cluster.x-k8s.io/cluster-name';
const CONTROL_PLANE_LABEL = 'cluster.x-k8s.io/control-plane';
const PENDING_HOOKS_ANNOTATION = 'runtime.cluster.x-k8s.io/pending-hooks';

export interface DeleteItem {
  readonly kind: string;
  readonly name: string;
  readonly detail?: string;
}

export interface DeleteStep {
  readonly title: string;
  readonly items: readonly DeleteItem[];
}

export type OpenStackKind =
  'server' | 'port' | 'volume' | 'load balancer' | 'floating IP' | 'network' | 'subnet' | 'router' | 'security group';

export interface OpenStackResource {
  readonly kind: OpenStackKind;
  readonly name?: string;
  readonly id?: string;
  /** The Kubernetes object whose deletion removes it, e.g. `OpenStackMachine cs-cluster-md-0-abc`. */
  readonly via: string;
  readonly note?: string;
}

export interface DeleteSummary {
  readonly cluster: ClusterRef;
  /** Set when the Cluster already has a deletionTimestamp. */
  readonly deletingSince?: string;
  readonly steps: readonly DeleteStep[];
  /** What CAPO removes in the OpenStack project. */
  readonly openstack: readonly OpenStackResource[];
  /** What stays: not created by Cluster API, or given by the user. */
  readonly kept: readonly string[];
  /** What would stop the deletion from progressing. */
  readonly holds: readonly string[];
  /** What the listed objects do not show (so the summary may be incomplete). */
  readonly unknown: readonly string[];
}

function refOf(cluster: KubeObject, key: 'controlPlaneRef' | 'infrastructureRef'): { kind?: string; name?: string } {
  return { kind: stringField(cluster, 'spec', key, 'kind'), name: stringField(cluster, 'spec', key, 'name') };
}

function findObject(objects: readonly KubeObject[], ns: string | undefined, kind?: string, name?: string): KubeObject | undefined {
  if (!kind || !name) return undefined;
  return objects.find((o) => o.kind === kind && o.metadata?.name === name && o.metadata?.namespace === ns);
}

function id(o: KubeObject): string {
  return `${o.kind} ${o.metadata?.name ?? ''}`;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

function replicasText(n: number | undefined): string | undefined {
  return n === undefined ? undefined : `${n} replica${n === 1 ? '' : 's'}`;
}

function machineResources(osm: KubeObject): OpenStackResource[] {
  const via = id(osm);
  const name = osm.metadata?.name ?? '';
  const out: OpenStackResource[] = [];
  const instance = stringField(osm, 'status', 'instanceID');
  out.push({
    kind: 'server',
    name,
    id: instance,
    via,
    note: instance ? undefined : 'no server ID reported (not created yet, or already gone)',
  });
  const ports = field(osm, 'status', 'resources', 'ports');
  if (Array.isArray(ports)) for (const p of ports) out.push({ kind: 'port', id: stringField(p, 'id'), via });
  if ((num(field(osm, 'spec', 'rootVolume', 'sizeGiB')) ?? 0) > 0)
    out.push({
      kind: 'volume',
      name: `${name}-root`,
      via,
      note: `root volume, ${String(field(osm, 'spec', 'rootVolume', 'sizeGiB'))} GiB`,
    });
  const devices = field(osm, 'spec', 'additionalBlockDevices');
  if (Array.isArray(devices))
    for (const d of devices)
      if (stringField(d, 'storage', 'type') === 'Volume')
        out.push({
          kind: 'volume',
          name: `${name}-${stringField(d, 'name') ?? ''}`,
          via,
          note: `block device, ${String(field(d, 'sizeGiB'))} GiB`,
        });
  return out;
}

function clusterResources(osc: KubeObject, kept: string[]): OpenStackResource[] {
  const via = id(osc);
  const out: OpenStackResource[] = [];
  const v2 = /\/v1beta2$/.test(osc.apiVersion ?? '');
  const network = field(osc, 'status', 'network');
  const bastion = field(osc, 'status', 'bastion');
  if (network !== undefined && bastion !== undefined && bastion !== null) {
    out.push({ kind: 'server', name: stringField(bastion, 'name'), id: stringField(bastion, 'id'), via, note: 'bastion' });
    const fip = stringField(bastion, 'floatingIP');
    if (fip) {
      if (stringField(osc, 'spec', 'bastion', 'floatingIP') === fip)
        kept.push(`bastion floating IP ${fip} (given in the OpenStackCluster spec)`);
      else out.push({ kind: 'floating IP', name: fip, via, note: 'bastion' });
    }
  }
  const lbSpec = v2 ? field(osc, 'spec', 'apiServer', 'managedLoadBalancer') : field(osc, 'spec', 'apiServerLoadBalancer');
  const lbEnabled = lbSpec !== undefined && lbSpec !== null && field(lbSpec, 'enabled') !== false;
  const lb = field(osc, 'status', v2 ? 'apiServerManagedLoadBalancer' : 'apiServerLoadBalancer');
  if (lbEnabled) {
    out.push({
      kind: 'load balancer',
      name: stringField(lb, 'name'),
      id: stringField(lb, 'id'),
      via,
      note: 'Kubernetes API, deleted with its listeners, pools and members',
    });
    const ip = stringField(lb, 'ip');
    const given = v2 ? stringField(osc, 'spec', 'apiServer', 'floatingIP') : stringField(osc, 'spec', 'apiServerFloatingIP');
    if (ip && given === ip) kept.push(`API floating IP ${ip} (given in the OpenStackCluster spec)`);
    else if (ip) out.push({ kind: 'floating IP', name: ip, via, note: 'of the API load balancer, when it is a floating IP' });
  }
  const managed = field(osc, 'spec', 'managedSubnets');
  const router = field(osc, 'status', 'router');
  if (Array.isArray(managed) && managed.length > 0) {
    if (router) out.push({ kind: 'router', name: stringField(router, 'name'), id: stringField(router, 'id'), via });
    if (network) {
      out.push({ kind: 'port', via, note: `remaining ports on the cluster network` });
      const subnets = field(network, 'subnets');
      if (Array.isArray(subnets))
        for (const s of subnets)
          out.push({ kind: 'subnet', name: stringField(s, 'name'), id: stringField(s, 'id'), via, note: stringField(s, 'cidr') });
      out.push({ kind: 'network', name: stringField(network, 'name'), id: stringField(network, 'id'), via });
    }
  } else if (network) {
    kept.push(
      `network ${stringField(network, 'name') ?? stringField(network, 'id') ?? ''}${router ? ' and its router' : ''} (not created by CAPO: no managedSubnets)`,
    );
  }
  for (const key of ['controlPlaneSecurityGroup', 'workerSecurityGroup', 'bastionSecurityGroup']) {
    const sg = field(osc, 'status', key);
    if (sg) out.push({ kind: 'security group', name: stringField(sg, 'name'), id: stringField(sg, 'id'), via });
  }
  return out;
}

/** `objects`: whatever was listed in the cluster's namespace (any kinds); the rest is reported as unknown. */
export function deleteSummary(cluster: KubeObject, objects: readonly KubeObject[]): DeleteSummary {
  const name = cluster.metadata?.name ?? '';
  const ns = cluster.metadata?.namespace;
  const inNs = objects.filter((o) => o.metadata?.namespace === ns);
  const labelled = (kind: string) => inNs.filter((o) => o.kind === kind && o.metadata?.labels?.[CLUSTER_NAME_LABEL] === name);
  const machines = labelled('Machine');
  const cpMachines = machines.filter((m) => m.metadata?.labels && CONTROL_PLANE_LABEL in m.metadata.labels);
  const workerMachines = machines.filter((m) => !cpMachines.includes(m));
  const unknown: string[] = [];
  const kept: string[] = [];
  const holds: string[] = [];

  const annotations = cluster.metadata?.annotations ?? {};
  if (field(cluster, 'spec', 'paused') === true || PAUSED_ANNOTATION in annotations)
    holds.push('the Cluster is paused: deletion does not progress until it is resumed');
  if ((annotations[PENDING_HOOKS_ANNOTATION] ?? '').split(',').some((h) => h.trim() === 'BeforeClusterDelete'))
    holds.push('the BeforeClusterDelete lifecycle hook must allow it first');

  const steps: DeleteStep[] = [];
  const item = (o: KubeObject, detail?: string): DeleteItem => ({ kind: o.kind ?? '', name: o.metadata?.name ?? '', detail });
  const workers = [...labelled('MachinePool'), ...labelled('MachineDeployment'), ...labelled('MachineSet'), ...workerMachines];
  steps.push({
    title: 'Workers',
    items: workers.map((o) => {
      const r = num(field(o, 'spec', 'replicas'));
      return item(o, replicasText(r));
    }),
  });

  const cpRef = refOf(cluster, 'controlPlaneRef');
  const cp = findObject(inNs, ns, cpRef.kind, cpRef.name);
  if (cpRef.name && !cp) unknown.push(`${cpRef.kind ?? 'control plane'} ${cpRef.name} is not among the listed objects`);
  steps.push({
    title: 'Control plane',
    items: [...(cp ? [item(cp, replicasText(num(field(cp, 'spec', 'replicas'))))] : []), ...cpMachines.map((m) => item(m))],
  });

  const infraRef = refOf(cluster, 'infrastructureRef');
  const infra = findObject(inNs, ns, infraRef.kind, infraRef.name);
  if (infraRef.name && !infra)
    unknown.push(`${infraRef.kind ?? 'infrastructure cluster'} ${infraRef.name} is not among the listed objects`);
  steps.push({ title: 'Infrastructure', items: infra ? [item(infra)] : [] });

  const openstack: OpenStackResource[] = [];
  const osms: KubeObject[] = [];
  for (const m of machines) {
    const ref = refOf(m, 'infrastructureRef');
    const osm = findObject(inNs, ns, ref.kind, ref.name);
    if (osm) osms.push(osm);
    else if (ref.name)
      unknown.push(
        `${ref.kind ?? 'infrastructure machine'} ${ref.name} (of Machine ${m.metadata?.name ?? ''}) is not among the listed objects`,
      );
  }
  for (const osm of labelled('OpenStackMachine')) if (!osms.includes(osm)) osms.push(osm);
  for (const osm of osms) {
    if (osm.kind === 'OpenStackMachine') openstack.push(...machineResources(osm));
    if (field(osm, 'spec', 'floatingIPPoolRef') !== undefined)
      openstack.push({ kind: 'floating IP', via: id(osm), note: 'released to its pool' });
  }
  if (infra?.kind === 'OpenStackCluster') openstack.push(...clusterResources(infra, kept));

  const listed = new Set([...workers, ...cpMachines, ...(cp ? [cp] : []), ...(infra ? [infra] : []), ...osms]);
  const owned = inNs.filter(
    (o) =>
      !listed.has(o) &&
      o.metadata?.ownerReferences?.some(
        (r) => r.kind === 'Cluster' && r.name === name && (r.apiVersion ?? '').startsWith('cluster.x-k8s.io/'),
      ),
  );
  steps.push({ title: 'Owned by the Cluster (garbage-collected)', items: owned.map((o) => item(o)) });

  kept.push(
    'load balancers and floating IPs the OpenStack cloud controller manager created for Services of type LoadBalancer',
    'Cinder volumes the CSI driver created for PersistentVolumes',
  );
  return {
    cluster: clusterRef(cluster),
    deletingSince: cluster.metadata?.deletionTimestamp,
    steps: steps.filter((s) => s.items.length > 0),
    openstack,
    kept,
    holds,
    unknown,
  };
}

/** Type-the-name confirmation: the exact name (surrounding blanks ignored). */
export function confirmDeletion(cluster: KubeObject, typed: string): { readonly ok: boolean; readonly message?: string } {
  const name = cluster.metadata?.name ?? '';
  if (!name) return { ok: false, message: 'the Cluster has no name' };
  if (typed.trim() === name) return { ok: true };
  return { ok: false, message: `type the cluster name "${name}" to confirm the deletion` };
}

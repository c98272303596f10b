import * as assert from 'node:assert/strict';
import type { KubeObject } from '../../../../src/core/capi/types';
import { confirmDeletion, deleteSummary } from '../../../../src/core/ops/deleteSummary';
import { fixture } from './tenant';

// The deleting SCS cluster fixture (cs-cluster in my-tenant: KubeadmControlPlane cs-cluster-pwblg, OpenStackCluster
// cs-cluster-zq4cd) with the objects a management cluster shows for it. Specs follow CAPO's cluster-template
// (kubernetes-sigs/cluster-api-provider-openstack@e52de58 templates/cluster-template.yaml: managed API load balancer,
// managedSubnets); statuses are written after api/v1beta2/openstackcluster_types.go:205-260 and
// openstackmachine_types.go:204-241; IDs and addresses are invented.
const NS = 'my-tenant';
const CL = { 'cluster.x-k8s.io/cluster-name': 'cs-cluster' };
const owner = [{ apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', name: 'cs-cluster' }];

function machine(name: string, osm: string, cp = false): KubeObject {
  return {
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'Machine',
    metadata: { name, namespace: NS, labels: { ...CL, ...(cp ? { 'cluster.x-k8s.io/control-plane': '' } : {}) } },
    spec: { infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'OpenStackMachine', name: osm } },
  };
}

function osm(name: string, n: number, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
    kind: 'OpenStackMachine',
    metadata: { name, namespace: NS, labels: CL },
    spec: { flavor: { filter: { name: 'SCS-2V-4' } }, ...extra },
    status: { instanceID: `0000000${n}-aaaa-4bbb-8ccc-dddddddddddd`, resources: { ports: [{ id: `port-${n}` }] } },
  };
}

function objects(): KubeObject[] {
  return [
    {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'MachineDeployment',
      metadata: { name: 'cs-cluster-default-worker-sw7x2', namespace: NS, labels: CL },
      spec: { replicas: 2 },
    },
    {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'MachineSet',
      metadata: { name: 'cs-cluster-default-worker-sw7x2-4kq8n', namespace: NS, labels: CL },
      spec: { replicas: 2 },
    },
    machine('cs-cluster-default-worker-sw7x2-4kq8n-6rj2d', 'cs-cluster-default-worker-6rj2d'),
    machine('cs-cluster-default-worker-sw7x2-4kq8n-bn9tq', 'cs-cluster-default-worker-bn9tq'),
    machine('cs-cluster-pwblg-xkptx', 'cs-cluster-control-plane-xkptx', true),
    osm('cs-cluster-default-worker-6rj2d', 1, {
      rootVolume: { sizeGiB: 50 },
      additionalBlockDevices: [
        { name: 'data', sizeGiB: 20, storage: { type: 'Volume', volume: { type: '__DEFAULT__' } } },
        { name: 'scratch', sizeGiB: 10, storage: { type: 'Local' } },
      ],
    }),
    osm('cs-cluster-default-worker-bn9tq', 2),
    osm('cs-cluster-control-plane-xkptx', 3, { rootVolume: { sizeGiB: 50 } }),
    {
      apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
      kind: 'KubeadmControlPlane',
      metadata: { name: 'cs-cluster-pwblg', namespace: NS, labels: CL, ownerReferences: owner },
      spec: { replicas: 1 },
    },
    {
      apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
      kind: 'OpenStackCluster',
      metadata: { name: 'cs-cluster-zq4cd', namespace: NS, labels: CL, ownerReferences: owner },
      spec: { apiServer: { managedLoadBalancer: { enabled: true } }, managedSubnets: [{ cidr: '10.8.0.0/20' }] },
      status: {
        network: {
          name: 'k8s-clusterapi-cluster-my-tenant-cs-cluster',
          id: 'net-1',
          subnets: [{ name: 'k8s-clusterapi-cluster-my-tenant-cs-cluster', id: 'sub-1', cidr: '10.8.0.0/20' }],
        },
        router: { name: 'k8s-clusterapi-cluster-my-tenant-cs-cluster', id: 'rtr-1' },
        apiServerManagedLoadBalancer: {
          name: 'k8s-clusterapi-cluster-my-tenant-cs-cluster-kubeapi',
          id: 'lb-1',
          ip: '203.0.113.10',
          internalIP: '10.8.0.5',
        },
        controlPlaneSecurityGroup: { name: 'k8s-cluster-my-tenant-cs-cluster-secgroup-controlplane', id: 'sg-1' },
        workerSecurityGroup: { name: 'k8s-cluster-my-tenant-cs-cluster-secgroup-worker', id: 'sg-2' },
      },
    },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cs-cluster-kubeconfig', namespace: NS, ownerReferences: owner } },
    {
      apiVersion: 'clusterstack.x-k8s.io/v1alpha1',
      kind: 'ClusterAddon',
      metadata: { name: 'cluster-addon-cs-cluster', namespace: NS, ownerReferences: owner },
    },
    // another cluster's machine and an object of another namespace: not part of it
    {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'Machine',
      metadata: { name: 'other-m', namespace: NS, labels: { 'cluster.x-k8s.io/cluster-name': 'other' } },
    },
    {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'MachineDeployment',
      metadata: { name: 'cs-cluster-md', namespace: 'elsewhere', labels: CL },
    },
  ];
}

describe('ops: what deleting a cluster removes', () => {
  const cluster = fixture('clusters/v1beta2-scs-topology-deleting-derived.yaml');

  it('orders the Kubernetes objects as the Cluster controller deletes them', () => {
    const s = deleteSummary(cluster, objects());
    assert.deepEqual(
      s.steps.map((st) => [st.title, st.items.map((i) => `${i.kind} ${i.name}${i.detail ? ` (${i.detail})` : ''}`)]),
      [
        [
          'Workers',
          [
            'MachineDeployment cs-cluster-default-worker-sw7x2 (2 replicas)',
            'MachineSet cs-cluster-default-worker-sw7x2-4kq8n (2 replicas)',
            'Machine cs-cluster-default-worker-sw7x2-4kq8n-6rj2d',
            'Machine cs-cluster-default-worker-sw7x2-4kq8n-bn9tq',
          ],
        ],
        ['Control plane', ['KubeadmControlPlane cs-cluster-pwblg (1 replica)', 'Machine cs-cluster-pwblg-xkptx']],
        ['Infrastructure', ['OpenStackCluster cs-cluster-zq4cd']],
        ['Owned by the Cluster (garbage-collected)', ['Secret cs-cluster-kubeconfig', 'ClusterAddon cluster-addon-cs-cluster']],
      ],
    );
    assert.equal(s.deletingSince, '2025-06-05T14:02:31Z');
    assert.deepEqual(s.unknown, []);
  });

  it('lists the OpenStack resources CAPO removes: servers, ports, volumes by name, load balancer, network, router, security groups', () => {
    const s = deleteSummary(cluster, objects());
    assert.deepEqual(
      s.openstack.map((r) => `${r.kind} ${r.name ?? r.id ?? ''}`.trim()),
      [
        'server cs-cluster-default-worker-6rj2d',
        'port port-1',
        'volume cs-cluster-default-worker-6rj2d-root',
        'volume cs-cluster-default-worker-6rj2d-data',
        'server cs-cluster-default-worker-bn9tq',
        'port port-2',
        'server cs-cluster-control-plane-xkptx',
        'port port-3',
        'volume cs-cluster-control-plane-xkptx-root',
        'load balancer k8s-clusterapi-cluster-my-tenant-cs-cluster-kubeapi',
        'floating IP 203.0.113.10',
        'router k8s-clusterapi-cluster-my-tenant-cs-cluster',
        'port',
        'subnet k8s-clusterapi-cluster-my-tenant-cs-cluster',
        'network k8s-clusterapi-cluster-my-tenant-cs-cluster',
        'security group k8s-cluster-my-tenant-cs-cluster-secgroup-controlplane',
        'security group k8s-cluster-my-tenant-cs-cluster-secgroup-worker',
      ],
    );
    assert.match(
      s.kept.join('\n'),
      /cloud controller manager created for Services of type LoadBalancer\nCinder volumes the CSI driver created/,
    );
  });

  it('keeps what the user brought: a network without managedSubnets, a floating IP given in the spec (v1beta1 names)', () => {
    const objs = objects().map((o) =>
      o.kind === 'OpenStackCluster'
        ? {
            ...o,
            apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
            spec: { apiServerLoadBalancer: { enabled: true }, apiServerFloatingIP: '203.0.113.10' },
            status: {
              ...(o.status as Record<string, unknown>),
              apiServerLoadBalancer: { name: 'lb', id: 'lb-1', ip: '203.0.113.10' },
              apiServerManagedLoadBalancer: undefined,
            },
          }
        : o,
    );
    const s = deleteSummary(cluster, objs);
    const kinds = s.openstack.filter((r) => r.via.startsWith('OpenStackCluster')).map((r) => r.kind);
    assert.deepEqual(kinds, ['load balancer', 'security group', 'security group']);
    assert.deepEqual(s.kept.slice(0, 2), [
      'API floating IP 203.0.113.10 (given in the OpenStackCluster spec)',
      'network k8s-clusterapi-cluster-my-tenant-cs-cluster and its router (not created by CAPO: no managedSubnets)',
    ]);
  });

  it('says what it cannot see and what would hold the deletion', () => {
    const paused = { ...cluster, spec: { ...(cluster.spec as Record<string, unknown>), paused: true } };
    paused.metadata = { ...cluster.metadata, annotations: { 'runtime.cluster.x-k8s.io/pending-hooks': 'BeforeClusterDelete' } };
    const s = deleteSummary(
      paused,
      objects().filter((o) => o.kind !== 'OpenStackCluster' && o.metadata?.name !== 'cs-cluster-default-worker-bn9tq'),
    );
    assert.deepEqual(s.holds, [
      'the Cluster is paused: deletion does not progress until it is resumed',
      'the BeforeClusterDelete lifecycle hook must allow it first',
    ]);
    assert.deepEqual(s.unknown, [
      'OpenStackCluster cs-cluster-zq4cd is not among the listed objects',
      'OpenStackMachine cs-cluster-default-worker-bn9tq (of Machine cs-cluster-default-worker-sw7x2-4kq8n-bn9tq) is not among the listed objects',
    ]);
  });

  it('type-the-name confirmation', () => {
    assert.deepEqual(confirmDeletion(cluster, 'cs-cluster'), { ok: true });
    assert.deepEqual(confirmDeletion(cluster, '  cs-cluster '), { ok: true });
    assert.deepEqual(confirmDeletion(cluster, 'cs-cluste'), {
      ok: false,
      message: 'type the cluster name "cs-cluster" to confirm the deletion',
    });
    assert.equal(confirmDeletion(cluster, 'CS-CLUSTER').ok, false);
    assert.equal(confirmDeletion({ kind: 'Cluster' }, '').ok, false);
  });
});

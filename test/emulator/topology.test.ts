// The topology/cluster controller model (topologyController.ts) against the emulator, read back with kubectl:
// a new SCS Cluster goes Pending → Provisioning → Provisioned with the probe and control-plane conditions as
// CAPI writes them, an upgrade moves control plane then workers with the CAPI v1.11 and v1.12 texts and can be
// held by a BeforeClusterUpgrade hook (annotation or the cluster-stack operator's ClusterAddon hook), scaling
// shows ScalingUp/ScalingDown and the counters, pausing stops it, deletion walks the Deleting reasons.
import { strict as assert } from 'node:assert';
import { beforeClusterUpgradeHook } from './csoController';
import { kubectl } from './helpers';
import { startEmulator, type Emulator, type KubeObject } from './index';
import { TopologyController, type TopologyOptions } from './topologyController';

const NS = 'tenant';

function scsCluster(name: string, apiVersion = 'cluster.x-k8s.io/v1beta2'): KubeObject {
  const topology =
    apiVersion === 'cluster.x-k8s.io/v1beta2'
      ? { classRef: { name: 'openstack-scs2-1-33-v1' }, version: 'v1.33.4' }
      : { class: 'openstack-scs2-1-33-v1', version: 'v1.33.4' };
  return {
    apiVersion,
    kind: 'Cluster',
    metadata: { name, namespace: NS },
    spec: {
      topology: {
        ...topology,
        controlPlane: { replicas: 1 },
        workers: { machineDeployments: [{ class: 'default-worker', name: 'md-0', replicas: 2 }] },
      },
    },
  };
}

describe('emulator: topology and cluster controller model', function () {
  this.timeout(120_000);
  let em: Emulator;
  const k = (args: string[], input?: string) => kubectl(em.kubeconfigPath, args, input);
  const get = async (name: string): Promise<KubeObject> => {
    const r = await k(['get', 'clusters.cluster.x-k8s.io', name, '-n', NS, '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout);
  };
  const patch = async (name: string, json: string) =>
    assert.equal((await k(['patch', 'cluster.cluster.x-k8s.io', name, '-n', NS, '--type=merge', '-p', json])).code, 0);
  const cond = (c: KubeObject, type: string): KubeObject => (c.status?.conditions ?? []).find((x: KubeObject) => x.type === type);
  // One model for all the tests: like the controllers it keeps the machines of the clusters it runs.
  let m: TopologyController;
  const model = (opts: TopologyOptions = {}) => Object.assign(m.opts, { capiVersion: '1.11', hooks: undefined, ...opts });
  /** Steps until `done` holds (at most `max` passes); returns the Cluster as kubectl shows it. */
  const until = async (m: TopologyController, name: string, done: (c: KubeObject) => boolean, max = 20): Promise<KubeObject> => {
    for (let i = 0; i < max; i++) {
      await m.step();
      const c = em.get('cluster.x-k8s.io/v1beta2', 'Cluster', NS, name);
      if (c && done(c)) return get(name);
    }
    throw new Error(
      `${name}: not reached in ${max} passes: ${JSON.stringify(em.get('cluster.x-k8s.io/v1beta2', 'Cluster', NS, name)?.status?.conditions)}`,
    );
  };

  before(async () => {
    const cc = (name: string) => ({
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'ClusterClass',
      metadata: { name, namespace: NS },
      spec: {},
    });
    em = await startEmulator({
      name: 'topology',
      seed: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }, cc('openstack-scs2-1-33-v1'), cc('openstack-scs2-1-34-v1')],
    });
    m = new TopologyController(em, { remoteConnectionGracePeriodMs: 60_000, provisionWorkload: (ns, n) => em.addWorkloadCluster(ns, n) });
  });
  after(async () => {
    await m.stop();
    await em.stop();
  });

  it('bootstrap: Pending → Provisioning → Provisioned, probe not established until the control plane is up, workers after it', async () => {
    model();
    assert.equal((await k(['apply', '-f', '-'], JSON.stringify(scsCluster('fresh')))).code, 0);
    await m.step();
    let c = await get('fresh');
    assert.equal(c.status.phase, 'Pending');
    assert.deepEqual(c.metadata.finalizers, ['cluster.cluster.x-k8s.io']);
    assert.equal(c.spec.controlPlaneRef.kind, 'KubeadmControlPlane');
    assert.equal(c.spec.infrastructureRef.kind, 'OpenStackCluster');
    await m.step();
    c = await get('fresh');
    assert.equal(c.status.phase, 'Provisioning');
    assert.deepEqual(
      [cond(c, 'RemoteConnectionProbe').status, cond(c, 'RemoteConnectionProbe').message],
      ['False', 'Remote connection not established yet'],
    );
    assert.deepEqual(
      [cond(c, 'InfrastructureReady').reason, cond(c, 'InfrastructureReady').message],
      ['NotReady', 'OpenStackCluster status.initialization.provisioned is false'],
    );
    assert.equal(cond(c, 'ControlPlaneInitialized').reason, 'NotInitialized');
    c = await until(m, 'fresh', (x) => x.status?.phase === 'Provisioned');
    assert.ok(c.spec.controlPlaneEndpoint.host);
    assert.deepEqual(
      [cond(c, 'TopologyReconciled').reason, cond(c, 'TopologyReconciled').message],
      [
        'MachineDeploymentsCreatePending',
        'MachineDeployment(s) for Topologies md-0 creation on hold. Control plane is completing initial provisioning',
      ],
    );
    assert.equal(cond(c, 'Available').status, 'False');
    await until(m, 'fresh', (x) => cond(x, 'ControlPlaneInitialized')?.status === 'True');
    assert.ok(em.get('v1', 'Secret', NS, 'fresh-kubeconfig'), 'the workload cluster came up with its kubeconfig secret');
    c = await until(m, 'fresh', (x) => cond(x, 'Available')?.status === 'True');
    assert.equal(cond(c, 'RemoteConnectionProbe').reason, 'ProbeSucceeded');
    assert.deepEqual(c.status.controlPlane, {
      desiredReplicas: 1,
      replicas: 1,
      readyReplicas: 1,
      availableReplicas: 1,
      upToDateReplicas: 1,
    });
    assert.deepEqual(c.status.workers, { desiredReplicas: 2, replicas: 2, readyReplicas: 2, availableReplicas: 2, upToDateReplicas: 2 });
    assert.deepEqual(c.status.initialization, { infrastructureProvisioned: true, controlPlaneInitialized: true });
    assert.deepEqual(
      c.status.deprecated.v1beta1.conditions.map((x: KubeObject) => [x.type, x.status]),
      [
        ['Ready', 'True'],
        ['ControlPlaneInitialized', 'True'],
        ['ControlPlaneReady', 'True'],
        ['InfrastructureReady', 'True'],
        ['TopologyReconciled', 'True'],
      ],
    );
    // The condition order of cluster-api util/conditions/sort.go (as in the real captures).
    assert.deepEqual(
      c.status.conditions.map((x: KubeObject) => x.type),
      [
        'Available',
        'RemoteConnectionProbe',
        'InfrastructureReady',
        'ControlPlaneInitialized',
        'ControlPlaneAvailable',
        'WorkersAvailable',
        'TopologyReconciled',
        'RollingOut',
        'Remediating',
        'ScalingDown',
        'ScalingUp',
        'ControlPlaneMachinesReady',
        'WorkerMachinesReady',
        'ControlPlaneMachinesUpToDate',
        'WorkerMachinesUpToDate',
        'Paused',
        'Deleting',
      ],
    );
  });

  it('upgrade (CAPI 1.11 texts): held by a hook annotation, then control plane first, then the workers', async () => {
    model();
    await until(m, 'fresh', (x) => cond(x, 'Available')?.status === 'True');
    const hold = 'before-upgrade.hook.cluster.cluster.x-k8s.io/hold';
    await patch(
      'fresh',
      JSON.stringify({
        metadata: { annotations: { [hold]: '' } },
        spec: { topology: { version: 'v1.34.7', classRef: { name: 'openstack-scs2-1-34-v1' } } },
      }),
    );
    await m.step();
    let c = await get('fresh');
    assert.deepEqual(
      [cond(c, 'TopologyReconciled').status, cond(c, 'TopologyReconciled').reason, cond(c, 'TopologyReconciled').message],
      ['False', 'LifecycleHookBlocking', `hook "BeforeClusterUpgrade" is blocking: annotation [${hold}] is set`],
    );
    assert.equal(cond(c, 'Available').status, 'True', 'a pending topology is info for Available');
    assert.match(cond(c, 'Available').message, /^\* TopologyReconciled: hook "BeforeClusterUpgrade" is blocking/);
    await m.step();
    assert.equal(cond(await get('fresh'), 'TopologyReconciled').reason, 'LifecycleHookBlocking', 'still held');
    assert.equal((await k(['annotate', 'cluster.cluster.x-k8s.io', 'fresh', '-n', NS, `${hold}-`])).code, 0);
    c = await until(m, 'fresh', (x) => cond(x, 'RollingOut')?.status === 'True');
    assert.equal(cond(c, 'TopologyReconciled').reason, 'MachineDeploymentsUpgradePending');
    assert.match(
      cond(c, 'TopologyReconciled').message,
      /^MachineDeployment\(s\) fresh-md-0-\w+ rollout and upgrade to version v1\.34\.7 on hold\. Control plane is upgrading to version v1\.34\.7$/,
    );
    assert.match(
      cond(c, 'RollingOut').message,
      /^\* KubeadmControlPlane fresh-\w+:\n {2}\* Rolling out 1 not up-to-date replicas\n {4}\* Version v1\.33\.4, v1\.34\.7 required/,
    );
    await until(m, 'fresh', (x) => cond(x, 'ControlPlaneMachinesUpToDate')?.status === 'True');
    c = await until(m, 'fresh', (x) => cond(x, 'WorkerMachinesUpToDate')?.status === 'True' && cond(x, 'RollingOut')?.status === 'False');
    assert.equal(cond(c, 'TopologyReconciled').reason, 'ReconcileSucceeded');
    assert.deepEqual(c.status.workers.upToDateReplicas, 2);
  });

  it('upgrade (CAPI 1.12 texts) held by the cluster-stack operator hook until the ClusterAddon is applied again', async () => {
    em.put({
      apiVersion: 'clusterstack.x-k8s.io/v1alpha1',
      kind: 'ClusterAddon',
      metadata: { name: 'cluster-addon-fresh', namespace: NS },
      spec: { clusterRef: { name: 'fresh', namespace: NS } },
      status: { conditions: [{ type: 'HelmChartApplied', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }], ready: true },
    });
    model({ capiVersion: '1.12', hooks: { beforeClusterUpgrade: beforeClusterUpgradeHook(em) } });
    await until(m, 'fresh', (x) => cond(x, 'TopologyReconciled')?.status === 'True');
    await patch('fresh', '{"spec":{"topology":{"version":"v1.34.8"}}}');
    await m.step();
    const c = await get('fresh');
    assert.equal(cond(c, 'TopologyReconciled').reason, 'ClusterUpgrading');
    // status.go@ae7ff047:226-260: the hook first, then the control plane and the workers waiting for it.
    assert.match(
      cond(c, 'TopologyReconciled').message,
      /^Cluster is upgrading to v1\.34\.8\n {2}\* Following hooks are blocking upgrade: BeforeClusterUpgrade\n {2}\* KubeadmControlPlane pending upgrade to version v1\.34\.8\n {2}\* MachineDeployment fresh-md-0-\w+ pending upgrade to version v1\.34\.8$/,
    );
    const addon = em.get('clusterstack.x-k8s.io/v1alpha1', 'ClusterAddon', NS, 'cluster-addon-fresh');
    assert.equal(addon?.spec.hook, 'BeforeClusterUpgrade');
    assert.equal(
      addon?.status.conditions.find((x: KubeObject) => x.type === 'HelmChartApplied'),
      undefined,
      'the hook drops HelmChartApplied',
    );
    // What the operator's ClusterAddon controller does once the addons of the new version are applied.
    em.put({
      ...addon,
      status: { ...addon?.status, conditions: [{ type: 'HelmChartApplied', status: 'True', lastTransitionTime: '2026-01-01T00:00:01Z' }] },
    });
    const up = await until(m, 'fresh', (x) =>
      /KubeadmControlPlane upgrading to version v1\.34\.8/.test(cond(x, 'TopologyReconciled')?.message ?? ''),
    );
    assert.match(cond(up, 'TopologyReconciled').message, /\n {2}\* MachineDeployment \S+ pending upgrade to version v1\.34\.8/);
    const done = await until(
      m,
      'fresh',
      (x) => cond(x, 'TopologyReconciled')?.status === 'True' && cond(x, 'RollingOut')?.status === 'False',
      40,
    );
    assert.equal(done.status.workers.upToDateReplicas, 2);
  });

  it('scale: control plane 1 → 3 one machine at a time (ScalingUp), workers 2 → 1 (ScalingDown), counters follow', async () => {
    model();
    const scale =
      '{"spec":{"topology":{"controlPlane":{"replicas":3},"workers":{"machineDeployments":[{"class":"default-worker","name":"md-0","replicas":1}]}}}}';
    await patch('fresh', scale);
    await m.step();
    let c = await get('fresh');
    assert.match(cond(c, 'ScalingUp').message, /^\* KubeadmControlPlane fresh-\w+: Scaling up from [12] to 3 replicas$/);
    assert.match(cond(c, 'ScalingDown').message, /^\* MachineDeployment fresh-md-0-\w+: Scaling down from 2 to 1 replicas$/);
    assert.equal(c.status.controlPlane.desiredReplicas, 3);
    c = await until(m, 'fresh', (x) => x.status?.controlPlane?.readyReplicas === 3 && x.status?.workers?.replicas === 1);
    assert.deepEqual([cond(c, 'ScalingUp').status, cond(c, 'ScalingDown').status], ['False', 'False']);
  });

  it('pause stops it (Paused, TopologyReconciled Paused); deletion walks workers → control plane → infrastructure', async () => {
    model();
    await patch('fresh', '{"spec":{"paused":true,"topology":{"version":"v1.35.0"}}}');
    await m.step();
    let c = await get('fresh');
    assert.deepEqual(
      [cond(c, 'Paused').status, cond(c, 'TopologyReconciled').reason, cond(c, 'TopologyReconciled').message],
      ['True', 'Paused', 'Cluster spec.paused is set to true'],
    );
    await m.step();
    assert.equal(cond(await get('fresh'), 'RollingOut').status, 'False', 'nothing moves while paused');
    await patch('fresh', '{"spec":{"paused":false,"topology":{"version":"v1.34.8"}}}');
    assert.equal((await k(['delete', 'cluster.cluster.x-k8s.io', 'fresh', '-n', NS, '--wait=false'])).code, 0);
    await m.step();
    c = await get('fresh');
    assert.equal(c.status.phase, 'Deleting');
    assert.equal(c.metadata.annotations['runtime.cluster.x-k8s.io/ok-to-delete'], '');
    assert.equal(cond(c, 'Deleting').reason, 'WaitingForWorkersDeletion');
    assert.match(cond(c, 'Deleting').message, /^\* MachineDeployments: fresh-md-0-\w+\n\* Worker Machines: fresh-md-0-\w+-\w+-\w+$/);
    assert.deepEqual([cond(c, 'TopologyReconciled').reason, cond(c, 'TopologyReconciled').message], ['Deleting', 'Cluster is deleting']);
    const seen = new Set<string>();
    for (let i = 0; i < 10 && em.get('cluster.x-k8s.io/v1beta2', 'Cluster', NS, 'fresh'); i++) {
      await m.step();
      const x = em.get('cluster.x-k8s.io/v1beta2', 'Cluster', NS, 'fresh');
      if (x) seen.add(cond(x, 'Deleting').reason);
    }
    assert.equal(em.get('cluster.x-k8s.io/v1beta2', 'Cluster', NS, 'fresh'), undefined, 'the finalizer went');
    assert.ok(seen.has('WaitingForControlPlaneDeletion') && seen.has('WaitingForInfrastructureDeletion'), [...seen].join());
    assert.equal(em.get('v1', 'Secret', NS, 'fresh-kubeconfig'), undefined);
  });

  it('a v1beta1 Cluster gets the v1beta1 layout: v1beta1 conditions with severities, status.v1beta2 with the new ones', async () => {
    model();
    assert.equal((await k(['apply', '-f', '-'], JSON.stringify(scsCluster('old', 'cluster.x-k8s.io/v1beta1')))).code, 0);
    const c = await until(m, 'old', (x) => x.status?.phase === 'Provisioned');
    assert.equal(c.apiVersion, 'cluster.x-k8s.io/v1beta1');
    assert.equal(c.spec.controlPlaneRef.apiVersion, 'controlplane.cluster.x-k8s.io/v1beta1');
    assert.equal(c.status.infrastructureReady, true);
    const tr = c.status.conditions.find((x: KubeObject) => x.type === 'TopologyReconciled');
    assert.deepEqual([tr.status, tr.reason, tr.severity], ['False', 'MachineDeploymentsCreatePending', 'Info']);
    assert.ok(c.status.v1beta2.conditions.some((x: KubeObject) => x.type === 'RemoteConnectionProbe'));
  });

  it('a class that does not exist is ReconcileFailed, which Available counts as an issue (not as progress)', async () => {
    model();
    const bad = scsCluster('typo');
    bad.spec.topology.classRef.name = 'openstack-scs2-1-33-v9';
    assert.equal((await k(['apply', '-f', '-'], JSON.stringify(bad))).code, 0);
    const c = await until(m, 'typo', (x) => cond(x, 'TopologyReconciled')?.reason === 'ReconcileFailed');
    assert.equal(
      cond(c, 'TopologyReconciled').message,
      `failed to retrieve ClusterClass ${NS}/openstack-scs2-1-33-v9: clusterclasses.cluster.x-k8s.io "openstack-scs2-1-33-v9" not found`,
    );
    assert.equal(cond(c, 'Available').status, 'False');
    assert.match(cond(c, 'Available').message, /\* TopologyReconciled: failed to retrieve ClusterClass/);
  });
});

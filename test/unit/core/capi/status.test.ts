import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { clusterStatus, type Health } from '../../../../src/core/capi/status';
import type { KubeObject } from '../../../../src/core/capi/types';

const FIXTURES = path.resolve(__dirname, '../../../fixtures');

function load(rel: string): KubeObject[] {
  return yaml.loadAll(fs.readFileSync(path.join(FIXTURES, rel), 'utf8')).filter((d): d is KubeObject => !!d && typeof d === 'object');
}

/**
 * Expected verdict per fixture in clusters/, written from reading each object (the `why`).
 * `reason` is a substring the one-line reason must contain; `issues` the not-true condition types shown.
 */
const EXPECTED: Record<
  string,
  { health: Health; reason: string; why: string; phase?: string; version?: string; className?: string; issues?: string[] }
> = {
  'v1alpha3-paused.yaml': {
    health: 'paused',
    reason: 'paused',
    phase: 'Failed',
    issues: ['Ready'],
    why: 'spec.paused=true wins over the Failed phase: the controllers are not acting on it (argo-cd: Suspended)',
  },
  'v1alpha3-phase-failed.yaml': {
    health: 'failed',
    reason: 'Error message',
    phase: 'Failed',
    issues: ['Ready'],
    why: 'phase Failed, Ready=False "Error message" (argo-cd: Degraded)',
  },
  'v1alpha3-provisioned-healthy.yaml': {
    health: 'healthy',
    reason: 'Ready',
    phase: 'Provisioned',
    issues: [],
    why: 'all v1beta1 conditions True, no v1beta2 block',
  },
  'v1alpha3-provisioned-vcenter-unreachable.yaml': {
    health: 'failed',
    reason: 'thumbprint does not match',
    issues: ['Ready', 'InfrastructureReady'],
    why: 'Ready=False with severity Error (VCenterUnreachable) although phase is Provisioned',
  },
  'v1alpha3-provisioning-quota-exceeded.yaml': {
    health: 'failed',
    reason: 'quota exceeded',
    phase: 'Provisioning',
    issues: ['Ready', 'ControlPlaneReady', 'InfrastructureReady'],
    why: 'Ready=False severity Error: provisioning stopped on a quota error, not just waiting',
  },
  'v1alpha3-provisioning-waiting-for-infrastructure.yaml': {
    health: 'progressing',
    reason: 'WaitingForInfrastructure',
    phase: 'Provisioning',
    issues: ['Ready', 'ControlPlaneReady', 'InfrastructureReady'],
    why: 'Ready=False severity Info WaitingForInfrastructure: normal provisioning',
  },
  'v1alpha3-terminating-minimal.yaml': {
    health: 'deleting',
    reason: '2024-01-01T00:00:00Z',
    issues: [],
    why: 'metadata.deletionTimestamp set, no status at all',
  },
  'v1beta1-provisioned-workers-not-available.yaml': {
    health: 'failed',
    reason: '0 available replicas',
    phase: 'Provisioned',
    issues: ['Available', 'WorkersAvailable', 'ControlPlaneMachinesReady', 'WorkerMachinesReady'],
    why: 'v1beta1 Ready=True but the backported v1beta2 Available=False (workers not available, CNI missing) and nothing is rolling out: a provisioned cluster that is not available',
  },
  'v1beta1-topology-controlplane-scaling-down.yaml': {
    health: 'progressing',
    reason: 'on hold',
    version: 'v1.34.2',
    className: 'vsphere-v1.1.0',
    issues: ['TopologyReconciled', 'RollingOut', 'ScalingDown', 'ControlPlaneMachinesReady', 'ControlPlaneMachinesUpToDate'],
    why: 'Available=True while the topology upgrade is on hold and the control plane scales 4→3 (argo-cd: Progressing, TopologyReconciled message)',
  },
  'v1beta1-topology-controlplane-upgrading.yaml': {
    health: 'progressing',
    reason: 'Control plane is upgrading',
    version: 'v1.34.2',
    className: 'vsphere-v1.1.0',
    issues: ['TopologyReconciled', 'RollingOut', 'ScalingDown', 'ControlPlaneMachinesReady', 'ControlPlaneMachinesUpToDate'],
    why: 'same cluster one generation earlier: Available=True, control plane rolling out to v1.34.2',
  },
  'v1beta2-available-workers-rolling-out.yaml': {
    health: 'progressing',
    reason: 'Rolling out 2 not up-to-date replicas',
    phase: 'Provisioned',
    issues: ['RollingOut', 'WorkerMachinesReady', 'WorkerMachinesUpToDate'],
    why: 'native v1beta2, Available=True, RollingOut=True on the MachineDeployment (argo-cd: Progressing)',
  },
  'v1beta2-provisioned-workers-not-available-derived.yaml': {
    health: 'failed',
    reason: '0 available replicas',
    phase: 'Provisioned',
    issues: ['Available', 'WorkersAvailable', 'ControlPlaneMachinesReady', 'WorkerMachinesReady'],
    why: 'the outscale capture converted to v1beta2: deprecated v1beta1 Ready=True must not hide Available=False',
  },
  'v1beta2-scs-topology-deleting-derived.yaml': {
    health: 'deleting',
    reason: 'MachineDeployments: cs-cluster-default-worker-sw7x2',
    phase: 'Deleting',
    version: 'v1.29.6',
    className: 'openstack-scs-1-29-v1',
    issues: ['Available', 'ScalingDown', 'Deleting'],
    why: 'deletionTimestamp set and Deleting=True WaitingForWorkersDeletion',
  },
  'v1beta2-scs-topology-healthy-derived.yaml': {
    health: 'healthy',
    reason: 'Available',
    phase: 'Provisioned',
    version: 'v1.29.6',
    className: 'openstack-scs-1-29-v1',
    issues: [],
    why: 'every positive condition True, every negative one (RollingOut, Scaling*, Deleting, Paused) False',
  },
  'v1beta2-scs-topology-remote-connection-lost-derived.yaml': {
    health: 'failed',
    reason: 'Remote connection probe failed',
    phase: 'Provisioned',
    version: 'v1.29.6',
    issues: ['Available', 'RemoteConnectionProbe', 'ControlPlaneMachinesReady', 'WorkerMachinesReady'],
    why: 'Available=False because the management cluster cannot reach the workload API server; nothing is rolling out',
  },
};

describe('CAPI cluster status model (every fixture in shared/fixtures/clusters)', () => {
  const files = fs
    .readdirSync(path.join(FIXTURES, 'clusters'))
    .filter((f) => f.endsWith('.yaml'))
    .sort();

  it('has an expectation for every fixture file', () => {
    assert.deepEqual(files, Object.keys(EXPECTED).sort());
  });

  for (const file of files) {
    it(`${file}`, () => {
      const exp = EXPECTED[file];
      const [obj] = load(`clusters/${file}`);
      const s = clusterStatus(obj);
      assert.equal(s.health, exp.health, `${exp.why} — got reason "${s.reason}"`);
      assert.ok(s.reason.includes(exp.reason), `reason "${s.reason}" should contain "${exp.reason}"`);
      assert.ok(!s.reason.includes('\n'), 'reason is one line');
      if (exp.phase) assert.equal(s.phase, exp.phase);
      if (exp.version) assert.equal(s.kubernetesVersion, exp.version);
      if (exp.className) assert.equal(s.className, exp.className);
      if (exp.issues) {
        const types = s.issues.flatMap((g) => g.conditions.map((c) => c.type));
        assert.deepEqual([...types].sort(), [...exp.issues].sort());
      }
    });
  }

  it('groups issues by clusterctl tree row in a fixed order', () => {
    const [obj] = load('clusters/v1beta1-provisioned-workers-not-available.yaml');
    const s = clusterStatus(obj);
    assert.deepEqual(
      s.issues.map((g) => g.group),
      ['Cluster', 'ControlPlane', 'Workers'],
    );
    const workers = s.issues.find((g) => g.group === 'Workers');
    assert.deepEqual(
      workers?.conditions.map((c) => c.type),
      ['WorkersAvailable', 'WorkerMachinesReady'],
    );
    assert.ok(workers?.conditions.every((c) => c.source === 'v1beta2' && c.severity === 'error'));
  });

  it('a pending TopologyReconciled (v1beta2) is info, a failed one an error, as the Available summary reads them', () => {
    const severityIn = (file: string) =>
      clusterStatus(load(file)[0])
        .issues.flatMap((g) => g.conditions)
        .find((c) => c.type === 'TopologyReconciled' && c.source === 'v1beta2');
    for (const file of ['states/cluster-v1beta2-hook-blocking-upgrading.yaml', 'states/cluster-v1beta2-topology-upgrade-pending.yaml'])
      assert.equal(severityIn(file)?.severity, 'info', file);
    assert.equal(severityIn('states/cluster-v1beta2-topology-reconcile-failed.yaml')?.severity, 'error');
  });

  it('falls back to v1beta1 conditions with their severity when no v1beta2 ones exist', () => {
    const [obj] = load('clusters/v1alpha3-provisioning-waiting-for-infrastructure.yaml');
    const s = clusterStatus(obj);
    const all = s.issues.flatMap((g) => g.conditions);
    assert.ok(all.every((c) => c.source === 'v1beta1' && c.severity === 'info'));
    assert.deepEqual(
      s.issues.map((g) => g.group),
      ['Cluster', 'ClusterInfrastructure', 'ControlPlane'],
    );
  });

  it('reads the topology class of the user-written topology clusters (class and classRef)', () => {
    assert.equal(clusterStatus(load('topology/scs-quickstart-cluster-v1beta1.yaml')[0]).className, 'openstack-scs-1-29-v1');
    assert.equal(
      clusterStatus(load('topology/scs2-readme-cluster-v1beta2-derived.yaml')[0]).className?.startsWith('openstack-scs2-'),
      true,
    );
  });

  it('reports an object without status as unknown, not healthy', () => {
    const s = clusterStatus({ apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', metadata: { name: 'x', namespace: 'y' } });
    assert.equal(s.health, 'unknown');
    assert.deepEqual(s.issues, []);
  });

  it('survives malformed status fields', () => {
    const s = clusterStatus({
      apiVersion: 'cluster.x-k8s.io/v1beta1',
      metadata: { name: 'x' },
      status: { conditions: [null, 3, { type: 'Ready' }], v1beta2: 'nope' },
    });
    assert.equal(s.health, 'unknown');
  });
});

import * as assert from 'node:assert/strict';
import { jsonPatch } from '../../../emulator/patch';
import type { KubeObject } from '../../../../src/core/capi/types';
import { AUTOSCALER_MAX_ANNOTATION, AUTOSCALER_MIN_ANNOTATION, planScale, scaleState } from '../../../../src/core/ops/scale';
import { cluster, clusterClass } from './tenant';

const KCP_STACKED: KubeObject = {
  kind: 'KubeadmControlPlane',
  metadata: { name: 'my-cluster-cp', namespace: 'cluster' },
  spec: { replicas: 1, kubeadmConfigSpec: { clusterConfiguration: {} } },
};
const KCP_EXTERNAL: KubeObject = {
  ...KCP_STACKED,
  spec: { replicas: 1, kubeadmConfigSpec: { clusterConfiguration: { etcd: { external: { endpoints: ['https://etcd:2379'] } } } } },
};

const topo = (o: Record<string, unknown>) => (o.spec as { topology: Record<string, unknown> }).topology;
const mds = (o: Record<string, unknown>) => (topo(o).workers as { machineDeployments: Record<string, unknown>[] }).machineDeployments;
const errors = (c: { issues: readonly { severity: string; code: string; message: string }[] }) =>
  c.issues.filter((i) => i.severity === 'error').map((i) => i.message);

describe('ops: scale', () => {
  it('control plane 1 → 3 and md-0 1 → 5: one patch, guarded, applied by the emulator to the same result', () => {
    const c = planScale(
      { cluster: cluster(), controlPlane: KCP_STACKED },
      { controlPlaneReplicas: 3, machineDeployments: [{ name: 'md-0', replicas: 5 }] },
    );
    assert.equal(c.refused, false);
    assert.deepEqual(c.patch, [
      { op: 'test', path: '/metadata/resourceVersion', value: '4711' },
      { op: 'test', path: '/spec/topology/controlPlane/replicas', value: 1 },
      { op: 'replace', path: '/spec/topology/controlPlane/replicas', value: 3 },
      { op: 'test', path: '/spec/topology/workers/machineDeployments/0/name', value: 'md-0' },
      { op: 'replace', path: '/spec/topology/workers/machineDeployments/0/replicas', value: 5 },
    ]);
    assert.deepEqual(jsonPatch(cluster() as never, c.patch), c.result);
    assert.equal((topo(c.result).controlPlane as { replicas: number }).replicas, 3);
    assert.equal(mds(c.result)[0].replicas, 5);
    assert.deepEqual(c.applyConfiguration?.spec, {
      topology: {
        controlPlane: { replicas: 3 },
        workers: { machineDeployments: [{ name: 'md-0', class: 'default-worker', replicas: 5 }] },
      },
    });
    assert.equal(c.summary, 'Scale my-cluster: control plane 1 → 3, md-0 1 → 5');
  });

  it('control plane 0 is refused; an even count is refused with stacked etcd, a warning when etcd is unknown, fine when external', () => {
    assert.deepEqual(errors(planScale({ cluster: cluster() }, { controlPlaneReplicas: 0 })), [
      'control-plane replicas cannot be less than or equal to 0',
    ]);
    assert.deepEqual(errors(planScale({ cluster: cluster() }, { controlPlaneReplicas: 2.5 })), [
      'control-plane replicas must be a whole number (got 2.5)',
    ]);
    const stacked = planScale({ cluster: cluster(), controlPlane: KCP_STACKED }, { controlPlaneReplicas: 4 });
    assert.equal(stacked.refused, true);
    assert.match(
      errors(stacked)[0],
      /cannot be an even number when etcd is stacked: 4 etcd members tolerate no more failures than 3 \(quorum 3\)/,
    );
    const unknown = planScale({ cluster: cluster() }, { controlPlaneReplicas: 2 });
    assert.equal(unknown.refused, false);
    assert.match(unknown.warnings[0], /even etcd membership tolerates no more failures than 1 \(quorum 2\)/);
    const external = planScale({ cluster: cluster(), controlPlane: KCP_EXTERNAL }, { controlPlaneReplicas: 2 });
    assert.equal(external.refused, false);
    assert.deepEqual(external.warnings, []);
  });

  it('scaling the control plane down to 1 warns about etcd redundancy', () => {
    const three = cluster();
    (topo(three as Record<string, unknown>).controlPlane as { replicas: number }).replicas = 3;
    assert.match(planScale({ cluster: three }, { controlPlaneReplicas: 1 }).warnings.join(), /no etcd redundancy/);
  });

  it('hand a MachineDeployment to the autoscaler: annotations set, replicas removed (no apply: a removal), effect predicted', () => {
    const md: KubeObject = {
      kind: 'MachineDeployment',
      metadata: {
        name: 'my-cluster-md-0-x',
        namespace: 'cluster',
        labels: { 'cluster.x-k8s.io/cluster-name': 'my-cluster', 'topology.cluster.x-k8s.io/deployment-name': 'md-0' },
      },
      spec: { replicas: 7 },
    };
    const c = planScale(
      { cluster: cluster(), machineDeployments: [md] },
      { machineDeployments: [{ name: 'md-0', autoscaler: { min: 2, max: 5 } }] },
    );
    assert.equal(c.refused, false);
    const ops = c.patch.filter((o) => o.op !== 'test');
    assert.deepEqual(ops, [
      {
        op: 'add',
        path: '/spec/topology/workers/machineDeployments/0/metadata',
        value: { annotations: { [AUTOSCALER_MIN_ANNOTATION]: '2' } },
      },
      {
        op: 'add',
        path: `/spec/topology/workers/machineDeployments/0/metadata/annotations/${AUTOSCALER_MAX_ANNOTATION.replace('/', '~1')}`,
        value: '5',
      },
      { op: 'remove', path: '/spec/topology/workers/machineDeployments/0/replicas' },
    ]);
    assert.deepEqual(jsonPatch(cluster() as never, c.patch), c.result);
    assert.equal(mds(c.result)[0].replicas, undefined);
    assert.equal(c.applyConfiguration, undefined);
    assert.match(c.effect, /md-0 goes from 7 to 5 replicas \(into 2–5\), then the autoscaler takes over/);
    assert.deepEqual(scaleState({ cluster: c.result }).machineDeployments[0].autoscaler, { min: '2', max: '5' });
  });

  it('replicas next to autoscaler annotations are refused (topology or class), taking back needs replicas', () => {
    const auto = cluster();
    mds(auto as Record<string, unknown>)[0].metadata = {
      annotations: { [AUTOSCALER_MIN_ANNOTATION]: '1', [AUTOSCALER_MAX_ANNOTATION]: '4' },
    };
    delete mds(auto as Record<string, unknown>)[0].replicas;
    assert.deepEqual(errors(planScale({ cluster: auto }, { machineDeployments: [{ name: 'md-0', replicas: 3 }] })), [
      'replicas cannot be set for cluster "my-cluster" in namespace "cluster" if the same MachineDeploymentTopology has autoscaler annotations',
    ]);
    assert.match(errors(planScale({ cluster: auto }, { machineDeployments: [{ name: 'md-0', autoscaler: null }] }))[0], /defaulted to 1/);
    const back = planScale({ cluster: auto }, { machineDeployments: [{ name: 'md-0', autoscaler: null, replicas: 3 }] });
    assert.equal(back.refused, false);
    assert.deepEqual(mds(back.result)[0], { class: 'default-worker', name: 'md-0', metadata: { annotations: {} }, replicas: 3 });
    const cc = clusterClass('openstack-scs2-1-33-v1', {
      workers: {
        machineDeployments: [
          {
            class: 'default-worker',
            template: { metadata: { annotations: { [AUTOSCALER_MIN_ANNOTATION]: '1', [AUTOSCALER_MAX_ANNOTATION]: '3' } } },
          },
        ],
      },
    });
    assert.match(
      errors(planScale({ cluster: cluster(), clusterClass: cc }, { machineDeployments: [{ name: 'md-0', replicas: 2 }] }))[0],
      /source class "default-worker" of this MachineDeploymentTopology has autoscaler annotations/,
    );
  });

  it('bad input: unknown MachineDeployment, negative or fractional counts, min above max', () => {
    assert.match(
      errors(planScale({ cluster: cluster() }, { machineDeployments: [{ name: 'md-9', replicas: 1 }] }))[0],
      /no machineDeployments entry named md-9 in my-cluster \(has: md-0\)/,
    );
    assert.match(
      errors(planScale({ cluster: cluster() }, { machineDeployments: [{ name: 'md-0', replicas: -1 }] }))[0],
      /whole number ≥ 0/,
    );
    assert.match(
      errors(planScale({ cluster: cluster() }, { machineDeployments: [{ name: 'md-0', autoscaler: { min: 4, max: 2 } }] }))[0],
      /min-size 4 is above max-size 2/,
    );
    assert.deepEqual(planScale({ cluster: cluster() }, {}).warnings, ['nothing to change']);
  });
});

import * as assert from 'node:assert/strict';
import { startEmulator, type Emulator, type KubeObject } from '../../../emulator';
import { CsoModel } from '../../../emulator/csoController';
import { clusterStackState, releaseState } from '../../../../src/core/capi/stacks';
import { buildClusterStack } from '../../../../src/core/stacks/clusterStack';
import { classOffer } from '../../../../src/core/stacks/topology';
import { SCS2 } from '../stacks/choices';

const CSO = 'clusterstack.x-k8s.io/v1alpha1';

describe('stacks: emulator model of the cluster-stack operator', () => {
  let em: Emulator;
  let model: CsoModel;
  before(async () => {
    em = await startEmulator({ name: 'cso-model' });
  });
  after(async () => em.stop());
  beforeEach(() => {
    for (const kind of ['ClusterStack', 'ClusterStackRelease'])
      for (const o of em.list(CSO, kind)) em.delete(CSO, kind, o.metadata.namespace, o.metadata.name);
    for (const o of em.list('cluster.x-k8s.io/v1beta1', 'ClusterClass'))
      em.delete('cluster.x-k8s.io/v1beta1', 'ClusterClass', o.metadata.namespace, o.metadata.name);
    // One failed apply per release, so that the retrying phase ("applying objects") shows for one pass.
    model = new CsoModel(em, { applyFailures: 1 });
  });
  afterEach(async () => model.stop());

  const release = (name: string): KubeObject | undefined => em.get(CSO, 'ClusterStackRelease', 'cluster', name);
  const stack = (): KubeObject => em.get(CSO, 'ClusterStack', 'cluster', 'openstack')!;

  it('a ClusterStack yields a release that goes downloading → applying → ready, then the ClusterClass', async () => {
    em.put(buildClusterStack(SCS2));
    const phases: string[] = [];
    for (let i = 0; i < 3; i++) {
      await model.reconcileOnce();
      phases.push(stack().status.summary[0].phase);
      if (i < 2) assert.equal(em.get('cluster.x-k8s.io/v1beta1', 'ClusterClass', 'cluster', 'openstack-scs2-1-33-v1'), undefined);
    }
    assert.deepEqual(phases, ['downloading release assets', 'applying objects', 'done']);
    const csr = release('openstack-scs2-1-33-v1')!;
    assert.equal(csr.status.kubernetesVersion, 'v1.33.4');
    assert.equal(csr.metadata.ownerReferences[0].name, 'openstack');
    assert.equal(releaseState(csr).readiness, 'ready');

    const cc = em.get('cluster.x-k8s.io/v1beta1', 'ClusterClass', 'cluster', 'openstack-scs2-1-33-v1')!;
    assert.equal(cc.metadata.labels['clusterstack.x-k8s.io/instance'], 'owned');
    const offer = classOffer(cc);
    assert.deepEqual(offer.workerClasses, ['default-worker']);
    assert.equal(offer.credentials, 'clouds-yaml');
    assert.equal(cc.spec.infrastructure.ref.name, 'openstack-scs2-1-33-v1-cluster');

    assert.equal(stack().status.latestRelease, 'openstack-scs2-1-33-v1 | v1.33.4');
    assert.equal(stack().status.usableVersions, 'v1');
    assert.equal(clusterStackState(stack() as never).readiness, 'ready');
    const rv = stack().metadata.resourceVersion;
    await model.reconcileOnce();
    assert.equal(stack().metadata.resourceVersion, rv, 'a settled stack is not rewritten');
  });

  it('while v2 downloads, v1 stays usable (the fixture state); v1 out of the spec stays until v2 is the latest ready', async () => {
    em.put(buildClusterStack(SCS2));
    for (let i = 0; i < 3; i++) await model.reconcileOnce();
    em.put(buildClusterStack({ ...SCS2, versions: ['v1', 'v2'] }));
    await model.reconcileOnce();
    const s = stack().status;
    assert.deepEqual(
      s.summary.map((x: KubeObject) => [x.name, x.phase, x.ready]),
      [
        ['v1', 'done', true],
        ['v2', 'downloading release assets', false],
      ],
    );
    assert.equal(s.usableVersions, 'v1');
    em.put(buildClusterStack({ ...SCS2, versions: ['v2'] }));
    await model.reconcileOnce();
    // clusterstack_controller.go makeDiff keeps the latest ready release (the only ready one) although the
    // spec no longer lists it; the old model deleted it here.
    assert.ok(release('openstack-scs2-1-33-v1'), 'the latest ready release is kept');
    for (let i = 0; i < 3 && release('openstack-scs2-1-33-v2')?.status?.ready !== true; i++) await model.reconcileOnce();
    await model.reconcileOnce();
    assert.equal(release('openstack-scs2-1-33-v1'), undefined);
    assert.equal(em.get('cluster.x-k8s.io/v1beta1', 'ClusterClass', 'cluster', 'openstack-scs2-1-33-v1'), undefined);
    assert.ok(release('openstack-scs2-1-33-v2'));
    assert.equal(stack().status.latestRelease, 'openstack-scs2-1-33-v2 | v1.33.4');
  });

  it('without providerRef and noProvider nothing is created (the webhook would have refused it)', async () => {
    const cs = buildClusterStack(SCS2) as unknown as { spec: Record<string, unknown> };
    delete cs.spec.noProvider;
    em.put(cs as never);
    await model.reconcileOnce();
    assert.equal(em.list(CSO, 'ClusterStackRelease', 'cluster').length, 0);
  });

  it('start() drives it on a timer until stop()', async () => {
    em.put(buildClusterStack(SCS2));
    model = new CsoModel(em, { stepMs: 10 }).start();
    const until = Date.now() + 3000;
    while (release('openstack-scs2-1-33-v1')?.status?.ready !== true && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    await model.stop();
    assert.equal(release('openstack-scs2-1-33-v1')?.status?.ready, true);
  });
});

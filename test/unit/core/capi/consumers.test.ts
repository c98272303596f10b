// The consumer workloads and their rollout state. The rollout cases are kubectl's own table tests
// (kubernetes/kubectl@dee3483 pkg/polymorphichelpers/rollout_status_test.go:39-113 deployments,
// :165-215 daemon sets), with kubectl's expected messages (minus the trailing newline).
import * as assert from 'node:assert/strict';
import { findConsumers, rolloutState } from '../../../../src/core/capi/consumers';

const deployment = (generation: number, specReplicas: number, status: Record<string, number>) => ({
  kind: 'Deployment',
  metadata: { name: 'foo', namespace: 'bar', generation },
  spec: { replicas: specReplicas },
  status,
});
const daemonSet = (generation: number, status: Record<string, number>, type = 'RollingUpdate') => ({
  kind: 'DaemonSet',
  metadata: { name: 'foo', namespace: 'bar', generation },
  spec: { updateStrategy: { type } },
  status,
});

describe('rolloutState: kubectl rollout status', () => {
  const cases: [unknown, string, boolean][] = [
    [
      deployment(0, 1, { observedGeneration: 1, replicas: 1, updatedReplicas: 0, availableReplicas: 1 }),
      'Waiting for deployment "foo" rollout to finish: 0 out of 1 new replicas have been updated...',
      false,
    ],
    [
      deployment(1, 1, { observedGeneration: 1, replicas: 2, updatedReplicas: 1, availableReplicas: 2 }),
      'Waiting for deployment "foo" rollout to finish: 1 old replicas are pending termination...',
      false,
    ],
    [
      deployment(1, 2, { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 1 }),
      'Waiting for deployment "foo" rollout to finish: 1 of 2 updated replicas are available...',
      false,
    ],
    [
      deployment(1, 2, { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 }),
      'deployment "foo" successfully rolled out',
      true,
    ],
    [
      deployment(2, 2, { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 }),
      'Waiting for deployment spec update to be observed...',
      false,
    ],
    [
      daemonSet(0, { observedGeneration: 1, updatedNumberScheduled: 0, desiredNumberScheduled: 1, numberAvailable: 0 }),
      'Waiting for daemon set "foo" rollout to finish: 0 out of 1 new pods have been updated...',
      false,
    ],
    [
      daemonSet(1, { observedGeneration: 1, updatedNumberScheduled: 2, desiredNumberScheduled: 2, numberAvailable: 1 }),
      'Waiting for daemon set "foo" rollout to finish: 1 of 2 updated pods are available...',
      false,
    ],
    [
      daemonSet(1, { observedGeneration: 1, updatedNumberScheduled: 2, desiredNumberScheduled: 2, numberAvailable: 2 }),
      'daemon set "foo" successfully rolled out',
      true,
    ],
    [
      daemonSet(2, { observedGeneration: 1, updatedNumberScheduled: 2, desiredNumberScheduled: 2, numberAvailable: 2 }),
      'Waiting for daemon set spec update to be observed...',
      false,
    ],
  ];
  for (const [obj, msg, done] of cases)
    it(msg, () => {
      const s = rolloutState(obj);
      assert.deepEqual([s.message, s.done, s.failed], [msg, done, undefined]);
    });

  it('a deployment past its progress deadline has failed (kubectl: an error)', () => {
    const d = {
      ...deployment(1, 1, { observedGeneration: 1 }),
      status: { observedGeneration: 1, conditions: [{ type: 'Progressing', reason: 'ProgressDeadlineExceeded' }] },
    };
    const s = rolloutState(d);
    assert.equal(s.done, false);
    assert.equal(s.failed, 'deployment "foo" exceeded its progress deadline');
  });

  it('an OnDelete daemon set has no rollout to wait for (kubectl: an error)', () => {
    const s = rolloutState(daemonSet(1, {}, 'OnDelete'));
    assert.match(s.failed ?? '', /only available for RollingUpdate/);
  });
});

describe('findConsumers: the cloud-provider-openstack chart selectors', () => {
  const ds = (name: string, matchLabels: Record<string, string>, kind = 'DaemonSet') => ({
    kind,
    metadata: { name, namespace: 'kube-system' },
    spec: { selector: { matchLabels } },
  });

  it('finds the OCCM DaemonSet and the Cinder CSI controller and node plugins by selector, whatever their names', () => {
    const found = findConsumers([
      ds('occm', { component: 'controllermanager', app: 'openstack-cloud-controller-manager', release: 'cluster-addon' }),
      ds('csi-ctrl', { component: 'controllerplugin', app: 'openstack-cinder-csi', release: 'x' }, 'Deployment'),
      ds('csi-node', { component: 'nodeplugin', app: 'openstack-cinder-csi', release: 'x' }),
      ds('coredns', { 'k8s-app': 'kube-dns' }, 'Deployment'),
      ds('snapshot', { component: 'snapshot-controller', app: 'openstack-cinder-csi' }, 'Deployment'),
      // The right labels on the wrong kind are not the chart's workload.
      ds('occm-as-deployment', { component: 'controllermanager', app: 'openstack-cloud-controller-manager' }, 'Deployment'),
    ]);
    assert.deepEqual(
      found.map((c) => [c.kind, c.name, c.what]),
      [
        ['DaemonSet', 'csi-node', 'Cinder CSI node plugin'],
        ['DaemonSet', 'occm', 'OpenStack CCM'],
        ['Deployment', 'csi-ctrl', 'Cinder CSI controller plugin'],
      ],
    );
  });
});

import * as assert from 'node:assert/strict';
import { orderForm, orderManifest, validateOrder, type OrderValues } from '../../../../src/core/ops/order';
import { clusterClass, readyRelease, downloadingRelease, NS } from './tenant';

const TWO_WORKERS = clusterClass('openstack-scs2-1-33-v1', {
  workers: {
    machineDeployments: [
      { class: 'default-worker', template: {} },
      { class: 'gpu-worker', template: {} },
    ],
  },
});
const RELEASES = [readyRelease('openstack-scs2-1-33-v1', 'v1.33.4')];

const values = (over: Partial<OrderValues> = {}): OrderValues => ({
  name: 'shop',
  controlPlaneReplicas: 3,
  workers: [
    { class: 'default-worker', name: 'md-0', replicas: 3 },
    { class: 'gpu-worker', name: 'gpu', replicas: 1 },
  ],
  variables: { workerFlavor: 'SCS-8V-16', identityRef: { name: 'openstack', cloudName: 'openstack' } },
  ...over,
});

describe('ops: order a workload cluster from the form', () => {
  it('the form offers every worker class, the release version and readiness, the credential label and the variables', () => {
    const m = orderForm({ clusterClass: TWO_WORKERS, releases: RELEASES });
    assert.deepEqual(m.workers, [
      { class: 'default-worker', name: 'md-0', replicas: 3, enabled: true },
      { class: 'gpu-worker', name: 'gpu-worker', replicas: 1, enabled: false },
    ]);
    assert.equal(m.kubernetesVersion, 'v1.33.4');
    assert.deepEqual(m.release, { name: 'openstack-scs2-1-33-v1', readiness: 'ready', reason: 'Ready' });
    assert.equal(m.credentials, 'clouds-yaml');
    assert.equal(m.apiVersion, 'v1beta1');
    assert.equal(m.variables.length, 27);
    assert.deepEqual(m.problems, []);
  });

  it('values → a Cluster with both worker classes and the entered variables, clean under the topology rules', () => {
    const m = orderForm({ clusterClass: TWO_WORKERS, releases: RELEASES });
    const r = orderManifest(m, values(), { clusterClass: TWO_WORKERS, releases: RELEASES });
    assert.deepEqual(r.messages, []);
    assert.deepEqual(r.issues, []);
    assert.equal(r.ok, true);
    assert.deepEqual(r.manifest, {
      apiVersion: 'cluster.x-k8s.io/v1beta1',
      kind: 'Cluster',
      metadata: { name: 'shop', namespace: NS, labels: { 'managed-secret': 'clouds-yaml' } },
      spec: {
        clusterNetwork: {
          pods: { cidrBlocks: ['192.168.0.0/16'] },
          serviceDomain: 'cluster.local',
          services: { cidrBlocks: ['10.96.0.0/12'] },
        },
        topology: {
          class: 'openstack-scs2-1-33-v1',
          version: 'v1.33.4',
          controlPlane: { replicas: 3 },
          workers: {
            machineDeployments: [
              { class: 'default-worker', name: 'md-0', replicas: 3 },
              { class: 'gpu-worker', name: 'gpu', replicas: 1 },
            ],
          },
          variables: [
            { name: 'workerFlavor', value: 'SCS-8V-16' },
            { name: 'identityRef', value: { name: 'openstack', cloudName: 'openstack' } },
          ],
        },
      },
    });
  });

  it('v1beta2 and a Cluster in another namespace than its class: classRef with namespace', () => {
    const m = orderForm({ clusterClass: TWO_WORKERS, releases: RELEASES, namespace: 'shop-ns', apiVersion: 'v1beta2' });
    const r = orderManifest(m, values(), { clusterClass: TWO_WORKERS, releases: RELEASES });
    assert.deepEqual((r.manifest.spec as { topology: Record<string, unknown> }).topology.classRef, {
      name: 'openstack-scs2-1-33-v1',
      namespace: NS,
    });
    assert.equal(r.ok, true, JSON.stringify(r.issues));
  });

  it('per-field messages: name, counts, worker classes and names, variables; a bad value is not ok', () => {
    const m = orderForm({ clusterClass: TWO_WORKERS, releases: RELEASES });
    assert.deepEqual(
      validateOrder(
        m,
        values({
          name: 'Shop_1',
          controlPlaneReplicas: 0,
          workers: [
            { class: 'default-worker', name: 'md-0', replicas: -1 },
            { class: 'cpu-worker', name: 'md-0', replicas: 1 },
          ],
        }),
      ),
      [
        { field: 'name', message: 'lower-case letters, digits, "-" and ".", starting and ending with a letter or digit' },
        { field: 'controlPlaneReplicas', message: 'at least 1 control-plane node' },
        { field: 'workers[0].replicas', message: 'a whole number ≥ 0' },
        { field: 'workers[1].class', message: 'cpu-worker is not a worker class of openstack-scs2-1-33-v1' },
        { field: 'workers[1].name', message: 'md-0 is used twice' },
      ],
    );
    assert.deepEqual(validateOrder(m, values(), ['shop']), [{ field: 'name', message: `shop already exists in ${NS}` }]);
    const even = validateOrder(m, values({ controlPlaneReplicas: 2 }));
    assert.equal(even[0].severity, 'warning');
    const bad = orderManifest(m, values({ variables: { networkMTU: 'big' } }), { clusterClass: TWO_WORKERS, releases: RELEASES });
    assert.equal(bad.ok, false);
    assert.deepEqual(bad.messages, [{ field: 'networkMTU', message: 'must be a whole number (got string)' }]);
  });

  it('a release that is not ready: the form says so and the order is not ok (no version to set)', () => {
    const releases = [downloadingRelease('openstack-scs2-1-33-v1')];
    const m = orderForm({ clusterClass: TWO_WORKERS, releases });
    assert.deepEqual(m.problems, ['ClusterStackRelease openstack-scs2-1-33-v1 is not ready: assets not downloaded yet']);
    const r = orderManifest(m, values(), { clusterClass: TWO_WORKERS, releases });
    assert.equal(r.ok, false);
    assert.ok(r.issues.some((i) => i.code === 'CSK206'));
  });
});

// The emulator speaks Kubernetes: @kubernetes/client-node 1.4.0 is the client.
import { strict as assert } from 'node:assert';
import * as k8s from '@kubernetes/client-node';
import { startEmulator, Emulator, KubeObject } from './index';
import { eventually } from './helpers';

function kubeConfig(text: string): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromString(text);
  return kc;
}

describe('emulator with @kubernetes/client-node as the client', function () {
  this.timeout(30_000);
  let em: Emulator;
  let kc: k8s.KubeConfig;

  beforeEach(async () => {
    em = await startEmulator({ name: 'cn', seed: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 't1' } }] });
    kc = kubeConfig(em.kubeconfig());
  });
  afterEach(async () => {
    await em.stop();
  });

  it('lists typed core objects and custom objects with a label selector', async () => {
    em.put({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 't1' }, stringData: { 'clouds.yaml': 'clouds: {}' } });
    for (const [name, env] of [
      ['a', 'prod'],
      ['b', 'dev'],
    ]) {
      em.put({
        apiVersion: 'cluster.x-k8s.io/v1beta1',
        kind: 'Cluster',
        metadata: { name, namespace: 't1', labels: { env } },
        spec: { topology: { class: 'x', version: 'v1.32.5' } },
      });
    }
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const secrets = await core.listNamespacedSecret({ namespace: 't1' });
    assert.deepEqual(
      secrets.items.map((s) => [s.metadata?.name, s.type, Buffer.from(s.data?.['clouds.yaml'] ?? '', 'base64').toString()]),
      [['s', 'Opaque', 'clouds: {}']],
    );
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    const list = await custom.listNamespacedCustomObject({
      group: 'cluster.x-k8s.io',
      version: 'v1beta1',
      namespace: 't1',
      plural: 'clusters',
      labelSelector: 'env=prod',
    });
    assert.deepEqual(
      list.items.map((c: KubeObject) => c.metadata.name),
      ['a'],
    );
    assert.ok(Number(list.metadata.resourceVersion) > 0);
  });

  it('reports Status errors: 404 NotFound, 409 AlreadyExists, 409 Conflict on a stale resourceVersion', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await assert.rejects(core.readNamespacedSecret({ namespace: 't1', name: 'nope' }), (e: k8s.ApiException<string>) => {
      assert.equal(e.code, 404);
      const body = JSON.parse(e.body);
      assert.deepEqual(
        [body.kind, body.reason, body.message, body.details],
        ['Status', 'NotFound', 'secrets "nope" not found', { name: 'nope', kind: 'secrets' }],
      );
      return true;
    });
    const cm = await core.createNamespacedConfigMap({ namespace: 't1', body: { metadata: { name: 'cm' }, data: { a: '1' } } });
    await assert.rejects(
      core.createNamespacedConfigMap({ namespace: 't1', body: { metadata: { name: 'cm' } } }),
      (e: k8s.ApiException<string>) => {
        assert.equal(e.code, 409);
        assert.equal(JSON.parse(e.body).reason, 'AlreadyExists');
        return true;
      },
    );
    await core.replaceNamespacedConfigMap({ namespace: 't1', name: 'cm', body: { ...cm, data: { a: '2' } } });
    await assert.rejects(
      core.replaceNamespacedConfigMap({ namespace: 't1', name: 'cm', body: { ...cm, data: { a: '3' } } }),
      (e: k8s.ApiException<string>) => {
        assert.equal(e.code, 409);
        assert.equal(
          JSON.parse(e.body).message,
          'Operation cannot be fulfilled on configmaps "cm": the object has been modified; please apply your changes to the latest version and try again',
        );
        return true;
      },
    );
    assert.equal(em.get('v1', 'ConfigMap', 't1', 'cm')?.data.a, '2');
  });

  it('Watch streams ADDED/MODIFIED/DELETED from a resourceVersion, and 410 Gone once it is compacted', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const start = (await core.listNamespacedConfigMap({ namespace: 't1' })).metadata?.resourceVersion;
    em.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one', namespace: 't1' }, data: { v: '1' } });
    const seen: string[] = [];
    const watch = new k8s.Watch(kc);
    const req = await watch.watch(
      '/api/v1/namespaces/t1/configmaps',
      { resourceVersion: start },
      (type, obj) => seen.push(`${type} ${obj.metadata.name} ${obj.data?.v ?? ''}`),
      () => undefined,
    );
    em.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one', namespace: 't1' }, data: { v: '2' } });
    em.delete('v1', 'ConfigMap', 't1', 'one');
    await eventually(() => seen.length >= 3, 5000, 'three events');
    req.abort();
    assert.deepEqual(seen, ['ADDED one 1', 'MODIFIED one 2', 'DELETED one 2']);

    em.compact();
    const errors: KubeObject[] = [];
    let done: unknown = 'pending';
    await watch.watch(
      '/api/v1/namespaces/t1/configmaps',
      { resourceVersion: start },
      (type, obj) => type === 'ERROR' && errors.push(obj),
      (err) => (done = err),
    );
    await eventually(() => done !== 'pending', 5000, 'the watch to end');
    assert.equal(errors.length, 1);
    assert.equal(errors[0].code, 410);
    assert.equal(errors[0].reason, 'Expired');
    assert.match(errors[0].message, /^too old resource version: \d+ \(\d+\)$/);
  });

  it('an informer (list + watch) resyncs through 410 after its watch is cut and history compacted', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    em.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 't1' } });
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/t1/configmaps', () => core.listNamespacedConfigMap({ namespace: 't1' }));
    const added: string[] = [];
    informer.on('add', (o) => added.push(o.metadata?.name ?? ''));
    // client-node's informer stops on a transport error; the usual pattern restarts it.
    let errors = 0;
    let stopped = false;
    informer.on('error', () => {
      errors++;
      setTimeout(() => stopped || void informer.start(), 50);
    });
    await informer.start();
    await eventually(() => added.includes('a') && em.openWatches === 1, 5000, 'the informer to list and watch');
    const listPath = 'GET /api/v1/namespaces/t1/configmaps';
    const listsBefore = em.requests.filter((r) => `${r.method} ${r.path}` === listPath).length;

    em.cutWatches();
    em.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 't1' } });
    em.compact();
    await eventually(() => added.includes('b'), 10_000, 'the informer to relist after 410').finally(() => {
      stopped = true;
      return informer.stop();
    });
    assert.ok(errors >= 1, 'the cut surfaced as an error');
    assert.ok(em.requests.filter((r) => `${r.method} ${r.path}` === listPath).length > listsBefore, 'relisted');
    assert.deepEqual(
      informer
        .list()
        .map((o) => o.metadata?.name)
        .sort(),
      ['a', 'b'],
    );
  });

  it('server-side apply via patch with the apply content type: create, conflict 409, force', async () => {
    const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    // The varied field is spec.resources: CAPI's webhook makes clusterSelector and strategy immutable (admission.ts).
    const crs = (v: string) => ({
      apiVersion: 'addons.cluster.x-k8s.io/v1beta2',
      kind: 'ClusterResourceSet',
      metadata: { name: 'crs', namespace: 't1' },
      spec: {
        strategy: 'Reconcile',
        clusterSelector: { matchLabels: { 'managed-secret': 'cloud-config' } },
        resources: [{ name: v, kind: 'Secret' }],
      },
    });
    const created = await objects.patch(
      crs('openstack'),
      undefined,
      undefined,
      'cluster-stacks',
      undefined,
      k8s.PatchStrategy.ServerSideApply,
    );
    assert.equal((created as KubeObject).metadata.generation, 1);
    await assert.rejects(
      objects.patch(crs('clouds-yaml'), undefined, undefined, 'someone-else', undefined, k8s.PatchStrategy.ServerSideApply),
      (e: k8s.ApiException<string>) => {
        assert.equal(e.code, 409);
        const body = JSON.parse(e.body);
        assert.equal(body.message, 'Apply failed with 1 conflict: conflict with "cluster-stacks": .spec.resources');
        assert.deepEqual(body.details.causes, [
          {
            reason: 'FieldManagerConflict',
            message: 'conflict with "cluster-stacks"',
            field: '.spec.resources',
          },
        ]);
        return true;
      },
    );
    const forced = await objects.patch(crs('clouds-yaml'), undefined, undefined, 'someone-else', true, k8s.PatchStrategy.ServerSideApply);
    assert.equal((forced as KubeObject).spec.resources[0].name, 'clouds-yaml');
    assert.equal((forced as KubeObject).metadata.generation, 2);
    const dry = await objects.patch(crs('x'), undefined, 'All', 'someone-else', true, k8s.PatchStrategy.ServerSideApply);
    assert.equal((dry as KubeObject).spec.resources[0].name, 'x');
    assert.equal(em.get('addons.cluster.x-k8s.io/v1beta2', 'ClusterResourceSet', 't1', 'crs')?.spec.resources[0].name, 'clouds-yaml');
  });

  it('reaches a workload cluster through its <cluster>-kubeconfig secret', async () => {
    const child = await em.addWorkloadCluster('t1', 'wc1');
    child.put({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'cloud-config', namespace: 'kube-system' },
      stringData: { 'cloud.conf': '[Global]' },
    });
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const list = await core.listNamespacedSecret({ namespace: 't1', labelSelector: 'cluster.x-k8s.io/cluster-name=wc1' });
    assert.equal(list.items.length, 1);
    const secret = list.items[0];
    assert.deepEqual([secret.metadata?.name, secret.type], ['wc1-kubeconfig', 'cluster.x-k8s.io/secret']);
    const wkc = kubeConfig(Buffer.from(secret.data?.value ?? '', 'base64').toString());
    assert.equal(wkc.getCurrentContext(), 'wc1-admin@wc1');
    const remote = await wkc.makeApiClient(k8s.CoreV1Api).readNamespacedSecret({ namespace: 'kube-system', name: 'cloud-config' });
    assert.equal(Buffer.from(remote.data?.['cloud.conf'] ?? '', 'base64').toString(), '[Global]');
    assert.notEqual(child.caPem, em.caPem);
  });
});

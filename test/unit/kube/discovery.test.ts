import * as assert from 'node:assert/strict';
import { KubeClient, type RetryPolicy } from '../../../src/kube/client';
import { json, kubeconfigFor, scripted } from './scripted';

const FAST: RetryPolicy = { retries: 0, baseDelayMs: 1, maxDelayMs: 1, timeoutMs: 2000 };
const STACKS = {
  kind: 'APIResourceList',
  groupVersion: 'clusterstack.x-k8s.io/v1alpha1',
  resources: [
    { name: 'clusterstacks', kind: 'ClusterStack', namespaced: true },
    { name: 'clusterstacks/status', kind: 'ClusterStack', namespaced: true },
  ],
};

describe('discovery per client (discovery.ts)', () => {
  it('resolves a kind once per client, caches it, and builds paths with its plural and scope', async () => {
    const s = await scripted([(_q, r) => json(r, 200, STACKS)]);
    try {
      const c = new KubeClient(kubeconfigFor(s.url), FAST);
      const ref = { apiVersion: 'clusterstack.x-k8s.io/v1alpha1', kind: 'ClusterStack', namespace: 't 1', name: 'a/b' };
      assert.equal(await c.discovery.path(ref), '/apis/clusterstack.x-k8s.io/v1alpha1/namespaces/t%201/clusterstacks/a%2Fb');
      assert.equal(
        await c.discovery.path({ ...ref, name: undefined }),
        '/apis/clusterstack.x-k8s.io/v1alpha1/namespaces/t%201/clusterstacks',
      );
      assert.deepEqual(
        s.seen.map((x) => x.url),
        ['/apis/clusterstack.x-k8s.io/v1alpha1'],
        'one discovery request',
      );
      // Another client has its own cache: no globals.
      const other = new KubeClient(kubeconfigFor(s.url), FAST);
      await other.discovery.path(ref);
      assert.equal(s.seen.length, 2);
      c.dispose();
      other.dispose();
    } finally {
      await s.close();
    }
  });

  it('knows the built-in and CAPI kinds the credential flows write without asking; cluster-scoped kinds get no namespace', async () => {
    const s = await scripted([(_q, r) => json(r, 500, {})]);
    try {
      const c = new KubeClient(kubeconfigFor(s.url), FAST);
      assert.equal(
        await c.discovery.path({ apiVersion: 'v1', kind: 'Secret', namespace: 'kube-system', name: 'cloud-config' }),
        '/api/v1/namespaces/kube-system/secrets/cloud-config',
      );
      assert.equal(
        await c.discovery.path({ apiVersion: 'v1', kind: 'Namespace', namespace: 'ignored', name: 'tenant' }),
        '/api/v1/namespaces/tenant',
      );
      assert.equal(
        await c.discovery.path({ apiVersion: 'addons.cluster.x-k8s.io/v1beta2', kind: 'ClusterResourceSet', namespace: 't' }),
        '/apis/addons.cluster.x-k8s.io/v1beta2/namespaces/t/clusterresourcesets',
      );
      assert.equal(s.seen.length, 0);
      c.dispose();
    } finally {
      await s.close();
    }
  });

  it('a kind the server does not serve is a clear error; a failed lookup is not cached', async () => {
    const s = await scripted([
      (_q, r) => json(r, 503, { kind: 'Status', message: 'etcd is down' }),
      (_q, r) => json(r, 404, { kind: 'Status' }),
      (_q, r) => json(r, 200, STACKS),
    ]);
    try {
      const c = new KubeClient(kubeconfigFor(s.url), FAST);
      const ref = { apiVersion: 'clusterstack.x-k8s.io/v1alpha1', kind: 'ClusterStack', namespace: 't' };
      await assert.rejects(c.discovery.path(ref), /503 .*etcd is down/);
      await assert.rejects(
        c.discovery.path(ref),
        /ClusterStack \(clusterstack\.x-k8s\.io\/v1alpha1\) is not served by this cluster — is its CRD installed\?/,
      );
      c.discovery.reset();
      assert.equal(await c.discovery.path(ref), '/apis/clusterstack.x-k8s.io/v1alpha1/namespaces/t/clusterstacks');
      assert.equal(s.seen.length, 3);
      c.dispose();
    } finally {
      await s.close();
    }
  });

  it('preferred versions come from one /apis read', async () => {
    const s = await scripted([
      (_q, r) =>
        json(r, 200, {
          kind: 'APIGroupList',
          groups: [
            {
              name: 'cluster.x-k8s.io',
              preferredVersion: { groupVersion: 'cluster.x-k8s.io/v1beta2' },
              versions: [{ groupVersion: 'cluster.x-k8s.io/v1beta2' }, { groupVersion: 'cluster.x-k8s.io/v1beta1' }],
            },
            { name: 'addons.cluster.x-k8s.io', versions: [{ groupVersion: 'addons.cluster.x-k8s.io/v1beta1' }] },
          ],
        }),
    ]);
    try {
      const c = new KubeClient(kubeconfigFor(s.url), FAST);
      assert.equal(await c.discovery.preferredVersion('cluster.x-k8s.io'), 'cluster.x-k8s.io/v1beta2');
      assert.equal(await c.discovery.preferredVersion('addons.cluster.x-k8s.io'), 'addons.cluster.x-k8s.io/v1beta1');
      assert.equal(await c.discovery.preferredVersion('clusterstack.x-k8s.io'), undefined);
      assert.equal(s.seen.length, 1);
      c.dispose();
    } finally {
      await s.close();
    }
  });
});

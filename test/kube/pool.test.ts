// The connection pool, the write operations beyond server-side apply and the release follower against
// the Kubernetes API emulator, with kubectl as the independent reader: leases share one client per
// context and per workload cluster (reached through its <cluster>-kubeconfig secret) and the last lease
// closes it; a merge patch and a delete do what kubectl then shows, a patch the admission webhook refuses
// writes nothing; following releases stops at once, timer included, when its signal aborts.
import * as assert from 'node:assert/strict';
import { KubeConfig } from '@kubernetes/client-node';
import { AbortedError, liveTimers } from '../../src/lifecycle';
import { applyObjects, FIELD_MANAGER, operations } from '../../src/kube/apply';
import { KubeClient, type RetryPolicy } from '../../src/kube/client';
import { ClientPool } from '../../src/kube/pool';
import { followReleases } from '../../src/kube/releases';
import { type Emulator, startEmulator } from '../emulator';
import { kubectl } from '../emulator/helpers';

const NS = 'tenant-a';
const FAST: RetryPolicy = { retries: 1, baseDelayMs: 10, maxDelayMs: 50, timeoutMs: 3000 };
/** The seeded ClusterResourceSet the merge-patch tests write to. */
const CRS = { apiVersion: 'addons.cluster.x-k8s.io/v1beta1', kind: 'ClusterResourceSet', namespace: NS, name: 'crs-openstack-secret' };

function configOf(em: Emulator): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(em.kubeconfig());
  return kc;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function kubectlJson(em: Emulator, args: string[]): Promise<Record<string, any>> {
  const r = await kubectl(em.kubeconfigPath, [...args, '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe('connection pool, operations and release following against the emulator', function () {
  this.timeout(60_000);
  let em: Emulator;

  before(async () => {
    em = await startEmulator({
      name: 'pool',
      seed: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
        {
          apiVersion: 'addons.cluster.x-k8s.io/v1beta1',
          kind: 'ClusterResourceSet',
          metadata: { name: 'crs-openstack-secret', namespace: NS },
          spec: {
            strategy: 'Reconcile',
            clusterSelector: { matchLabels: { 'managed-secret': 'cloud-config' } },
            resources: [{ name: 'openstack-workload-cluster-secret', kind: 'Secret' }],
          },
        },
      ],
    });
    await em.addWorkloadCluster(NS, 'wc1');
  });
  after(async () => em?.stop());

  it('one client per context while leased; the last lease disposes it; invalidate hands out a new one', () => {
    const pool = new ClientPool(FAST);
    let built = 0;
    const config = () => (built++, configOf(em));
    const a = pool.context('pool', config);
    const b = pool.context('pool', config);
    assert.equal(a.client, b.client);
    assert.deepEqual(pool.stats(), { clients: 1, leases: 2 });
    a.dispose();
    a.dispose();
    assert.deepEqual(pool.stats(), { clients: 1, leases: 1 }, 'a second dispose of a lease is a no-op');
    pool.invalidate();
    const c = pool.context('pool', config);
    assert.notEqual(c.client, b.client, 'after invalidate a new lease gets a new client');
    assert.deepEqual(pool.stats(), { clients: 2, leases: 2 });
    b.dispose();
    assert.equal(b.client.isDisposed, true, 'the invalidated client goes with its last lease');
    c.dispose();
    assert.deepEqual(pool.stats(), { clients: 0, leases: 0 });
    assert.equal(built, 2);
    pool.dispose();
  });

  it('invalidate(contexts) renews only the clients of those contexts (a kubeconfig edit that touched them)', () => {
    const pool = new ClientPool(FAST);
    const changed = pool.context('changed', () => configOf(em));
    const kept = pool.context('kept', () => configOf(em));
    pool.invalidate(new Set(['changed', 'not-leased']));
    const changedAgain = pool.context('changed', () => configOf(em));
    const keptAgain = pool.context('kept', () => configOf(em));
    assert.notEqual(changedAgain.client, changed.client, 'the touched context gets a new client');
    assert.equal(keptAgain.client, kept.client, 'the other context keeps its client');
    for (const l of [changed, kept, changedAgain, keptAgain]) l.dispose();
    assert.deepEqual(pool.stats(), { clients: 0, leases: 0 });
    pool.dispose();
  });

  it('reaches a workload cluster through its kubeconfig secret; concurrent users share one client', async () => {
    const pool = new ClientPool(FAST);
    const mgmt = pool.context('pool', () => configOf(em));
    const [w1, w2] = await Promise.all([pool.workload(mgmt.client, NS, 'wc1'), pool.workload(mgmt.client, NS, 'wc1')]);
    assert.equal(w1.client, w2.client);
    const workload = em.workloads.get(`${NS}/wc1`) as Emulator;
    assert.equal(w1.client.server, workload.url);
    const namespaces = await w1.client.getJson<{ items: { metadata: { name: string } }[] }>('/api/v1/namespaces');
    assert.ok(namespaces.items.some((n) => n.metadata.name === 'kube-system'));
    await assert.rejects(pool.workload(mgmt.client, NS, 'missing'), /Secret tenant-a\/missing-kubeconfig does not exist/);
    assert.deepEqual(pool.stats(), { clients: 2, leases: 3 });
    w1.dispose();
    w2.dispose();
    mgmt.dispose();
    assert.deepEqual(pool.stats(), { clients: 0, leases: 0 });
    pool.dispose();
  });

  it('a merge patch of a live object changes what kubectl shows, under our field manager; a dry run changes nothing', async () => {
    const client = new KubeClient(configOf(em), FAST);
    // spec.resources: CAPI's webhook keeps clusterSelector and strategy immutable, not the resources
    // (cluster-api@ae7ff047 core/webhooks/admission/clusterresourceset.go:95-107).
    const resources = [{ name: 'openstack-clouds-yaml', kind: 'Secret' }];
    const patch = operations.mergePatch(CRS, { spec: { resources } });
    const dry = await applyObjects(client, [patch], { dryRunOnly: true });
    assert.equal(dry.outcome, 'updated', dry.reason);
    assert.deepEqual(
      dry.objects[0].changes.map((c) => `${c.change} ${c.path}`),
      ['changed spec.resources'],
    );
    assert.equal(dry.objects[0].action, 'update');
    const before = await kubectlJson(em, ['get', 'clusterresourcesets.addons.cluster.x-k8s.io', 'crs-openstack-secret', '-n', NS]);
    assert.deepEqual(before.spec.resources, [{ name: 'openstack-workload-cluster-secret', kind: 'Secret' }], 'the dry run wrote nothing');
    const done = await applyObjects(client, [patch]);
    assert.equal(done.outcome, 'updated', done.reason);
    const after = await kubectlJson(em, [
      'get',
      'clusterresourcesets.addons.cluster.x-k8s.io',
      'crs-openstack-secret',
      '-n',
      NS,
      '--show-managed-fields',
    ]);
    assert.deepEqual(after.spec.resources, resources);
    assert.equal(after.spec.strategy, 'Reconcile', 'the rest of the spec is kept');
    assert.deepEqual(after.spec.clusterSelector.matchLabels, { 'managed-secret': 'cloud-config' });
    assert.ok(
      after.metadata.managedFields.some(
        (m: { manager: string; operation: string }) => m.manager === FIELD_MANAGER && m.operation === 'Update',
      ),
    );
    client.dispose();
  });

  it('a JSON patch guarded by the resourceVersion is written once; sent again after the object changed, the server refuses it', async () => {
    const client = new KubeClient(configOf(em), FAST);
    em.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'jp', namespace: NS, labels: { tier: 'a' } }, data: {} });
    const rv = em.get('v1', 'ConfigMap', NS, 'jp')?.metadata.resourceVersion as string;
    const target = { apiVersion: 'v1', kind: 'ConfigMap', namespace: NS, name: 'jp' };
    const patch = operations.jsonPatch(target, [
      { op: 'test', path: '/metadata/resourceVersion', value: rv },
      { op: 'replace', path: '/metadata/labels/tier', value: 'b' },
    ]);
    const dry = await applyObjects(client, [patch], { dryRunOnly: true });
    assert.deepEqual(
      dry.objects[0].changes.map((c) => `${c.change} ${c.path}`),
      ['changed metadata.labels.tier'],
    );
    assert.equal(em.get('v1', 'ConfigMap', NS, 'jp')?.metadata.labels.tier, 'a', 'the dry run wrote nothing');
    const done = await applyObjects(client, [patch]);
    assert.equal(done.outcome, 'updated', done.reason);
    const after = await kubectlJson(em, ['get', 'configmap', 'jp', '-n', NS, '--show-managed-fields']);
    assert.equal(after.metadata.labels.tier, 'b');
    assert.ok(after.metadata.managedFields.some((m: { manager: string }) => m.manager === FIELD_MANAGER));
    const stale = await applyObjects(client, [patch]);
    assert.equal(stale.outcome, 'failed');
    assert.match(stale.reason ?? '', /test/i);
    assert.equal(em.get('v1', 'ConfigMap', NS, 'jp')?.metadata.resourceVersion, after.metadata.resourceVersion, 'nothing written');
    client.dispose();
  });

  it("a merge patch the cluster's admission refuses fails at the dry run with the webhook's message, and writes nothing", async () => {
    const client = new KubeClient(configOf(em), FAST);
    const patch = operations.mergePatch(CRS, { spec: { clusterSelector: { matchLabels: { 'managed-secret': 'clouds-yaml' } } } });
    const r = await applyObjects(client, [patch]);
    assert.equal(r.outcome, 'failed');
    assert.match(r.reason ?? '', /^dry-run patch of ClusterResourceSet tenant-a\/crs-openstack-secret: 422 Invalid: /);
    assert.match(r.reason ?? '', /denied the request: .*spec\.clusterSelector: Invalid value: .*: field is immutable$/);
    const live = await kubectlJson(em, ['get', 'clusterresourcesets.addons.cluster.x-k8s.io', 'crs-openstack-secret', '-n', NS]);
    assert.deepEqual(live.spec.clusterSelector.matchLabels, { 'managed-secret': 'cloud-config' });
    client.dispose();
  });

  it('a delete is dry-run first and then removes the object; deleting it again is "absent"', async () => {
    const client = new KubeClient(configOf(em), FAST);
    em.put({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'old', namespace: NS }, type: 'Opaque', data: {} });
    const target = { apiVersion: 'v1', kind: 'Secret', namespace: NS, name: 'old' };
    const dry = await applyObjects(client, [operations.delete(target)], { dryRunOnly: true });
    assert.deepEqual([dry.outcome, dry.objects[0].action], ['deleted', 'delete']);
    assert.equal((await kubectl(em.kubeconfigPath, ['get', 'secret', 'old', '-n', NS])).code, 0, 'still there after the dry run');
    const done = await applyObjects(client, [operations.delete(target)]);
    assert.equal(done.outcome, 'deleted', done.reason);
    const gone = await kubectl(em.kubeconfigPath, ['get', 'secret', 'old', '-n', NS]);
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /NotFound|not found/);
    const again = await applyObjects(client, [operations.delete(target)]);
    assert.deepEqual([again.outcome, again.objects[0].action], ['unchanged', 'absent']);
    client.dispose();
  });

  it('following releases stops at once when its signal aborts, and leaves no timer', async () => {
    const client = new KubeClient(configOf(em), FAST);
    const before = liveTimers();
    const ac = new AbortController();
    const seen: string[] = [];
    const following = followReleases(client, NS, ['openstack-scs2-1-33-v9'], {
      timeoutMs: 60_000,
      signal: ac.signal,
      onProgress: (t) => seen.push(t),
      pollMs: 50,
    });
    while (seen.length < 2) await new Promise((r) => setTimeout(r, 10));
    const started = Date.now();
    ac.abort();
    await assert.rejects(following, (e: Error) => e instanceof AbortedError || (e as { kind?: string }).kind === 'aborted');
    assert.ok(Date.now() - started < 1000, 'ends promptly');
    assert.equal(seen[0], 'openstack-scs2-1-33-v9: not created yet');
    assert.equal(liveTimers(), before);
    client.dispose();
  });
});

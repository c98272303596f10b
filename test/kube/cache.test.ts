// The per-context resource cache against the Kubernetes API emulator: list+watch, change propagation,
// resync after 410 Gone and after dropped watches, a 403 tenant, missing CRDs, unreachable servers and
// rejected tokens, and a request count that does not grow with the number of tenants.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { clusterStatus } from '../../src/core/capi/status';
import { tenantsOf } from '../../src/core/capi/tenants';
import { type CacheChange, ContextCache } from '../../src/kube/cache';
import { KubeClient } from '../../src/kube/client';
import { ownedLease } from '../../src/kube/pool';
import { type Emulator, startEmulator } from '../emulator';
import { clusterFixture } from './clusterFixture';

const FIXTURES = path.resolve(__dirname, '../fixtures');

function kubeConfigOf(text: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(text);
  return kc;
}

function tenantSeed(n: number, clustersPer: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let t = 0; t < n; t++) {
    const ns = `tenant-${t}`;
    out.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'openstack', namespace: ns },
      stringData: { 'clouds.yaml': 'clouds: {}\n', cloudName: 'openstack' },
    });
    for (let c = 0; c < clustersPer; c++) out.push(clusterFixture(ns, `c${c}`, 'True'));
  }
  return out;
}

/** Resolves with the first change event matching `pred`. */
function nextChange(cache: ContextCache, pred: (c: CacheChange) => boolean, timeoutMs = 10_000): Promise<CacheChange> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      sub.dispose();
      reject(new Error('no matching change event'));
    }, timeoutMs);
    const sub = cache.onDidChange((c) => {
      if (!pred(c)) return;
      clearTimeout(t);
      sub.dispose();
      resolve(c);
    });
  });
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('kube: context cache against the emulator', function () {
  this.timeout(60_000);
  const caches: ContextCache[] = [];
  const emulators: Emulator[] = [];
  const newCache = (em: Emulator, kcText = em.kubeconfig(), opts = {}) => {
    const c = new ContextCache(em.name, ownedLease(new KubeClient(kubeConfigOf(kcText))), {
      debounceMs: 30,
      minBackoffMs: 50,
      maxBackoffMs: 400,
      ...opts,
    });
    caches.push(c);
    return c;
  };
  const emulator = async (opts: Parameters<typeof startEmulator>[0]) => {
    const em = await startEmulator(opts);
    emulators.push(em);
    return em;
  };
  afterEach(async () => {
    for (const c of caches.splice(0)) c.dispose();
    await Promise.all(emulators.splice(0).map((e) => e.stop()));
  });

  it('lists and watches every type once for all namespaces; secrets are held without values', async () => {
    const em = await emulator({
      name: 'mgmt',
      seed: [path.join(FIXTURES, 'clusters'), path.join(FIXTURES, 'clusterstack'), ...tenantSeed(3, 2)],
    });
    const cache = newCache(em);
    cache.start();
    await cache.whenSynced();
    assert.equal(cache.state, 'ready');
    const snap = cache.snapshot();
    // 5 distinct fixture clusters (several fixtures share namespace/name) + 6 seeded ones.
    assert.equal((snap.clusters ?? []).length, 11);
    const t0 = tenantsOf(snap).find((t) => t.namespace === 'tenant-0');
    assert.deepEqual(
      t0?.credentials.map((s) => [s.metadata?.name, s.keys]),
      [['openstack', ['cloudName', 'clouds.yaml']]],
    );
    assert.ok(!JSON.stringify(snap.secrets).includes('Y2xvdWRz'), 'no base64 secret value is cached');
    // One list per type (RESOURCE_KINDS: eleven with the cluster-stack operator's ClusterAddons and CAPO's
    // OpenStackClusters and OpenStackClusterIdentities), one watch per type, discovery (CAPO's group in two versions:
    // the identity is v1alpha1 only): independent of the data.
    const lists = em.requests.filter((r) => r.method === 'GET' && !/[?&]watch=/.test(r.path));
    const stats = cache.stats();
    assert.equal(stats.reflectors, 11);
    assert.equal(stats.lists, 11);
    assert.ok(lists.length <= 17, `requests: ${lists.map((r) => r.path).join(', ')}`);
  });

  it('the number of requests for a full refresh does not depend on the number of tenants', async () => {
    const small = await emulator({ name: 'small', seed: tenantSeed(2, 2) });
    const big = await emulator({ name: 'big', seed: tenantSeed(60, 5) });
    const counts: number[] = [];
    for (const em of [small, big]) {
      const cache = newCache(em);
      cache.start();
      await cache.whenSynced();
      counts.push(cache.stats().requests);
    }
    assert.equal(counts[0], counts[1]);
    assert.equal(tenantsOf(caches[1].snapshot()).length, 60);
  });

  it('propagates a status change through the watch as one debounced event naming the namespace', async () => {
    const em = await emulator({ name: 'live', seed: tenantSeed(2, 1) });
    const cache = newCache(em);
    cache.start();
    await cache.whenSynced();
    await new Promise((r) => setTimeout(r, 200)); // let the initial lists' debounced event pass
    const change = nextChange(cache, (c) => c.kinds.has('clusters'));
    em.put(clusterFixture('tenant-1', 'c0', 'False', '* WorkersAvailable: 0 available replicas'));
    const c = await change;
    assert.deepEqual([...c.namespaces], ['tenant-1']);
    const obj = cache.snapshot().clusters?.find((o) => o.metadata?.namespace === 'tenant-1');
    assert.equal(clusterStatus(obj ?? {}).health, 'failed');
  });

  it('resyncs after 410 Gone (compacted history) and sees changes made while the watch was down', async () => {
    const em = await emulator({ name: 'gone', seed: tenantSeed(1, 1) });
    const cache = newCache(em);
    cache.start();
    await cache.whenSynced();
    const listsBefore = cache.stats().lists;
    em.cutWatches();
    em.put(clusterFixture('tenant-0', 'added-while-down', 'True'));
    em.compact();
    await until('the new cluster after resync', () => cache.snapshot().clusters?.find((o) => o.metadata?.name === 'added-while-down'));
    assert.ok(cache.stats().lists > listsBefore, 'a relist happened');
    assert.ok(em.requests.some((r) => r.status === 410) || cache.stats().lists > listsBefore);
  });

  it('reconnects after the server goes away and comes back', async () => {
    const em = await emulator({ name: 'away', seed: tenantSeed(1, 1) });
    const cache = newCache(em);
    cache.start();
    await cache.whenSynced();
    await em.goAway(300);
    em.put(clusterFixture('tenant-0', 'after-outage', 'True'));
    await until(
      'the cluster created after the outage',
      () => cache.snapshot().clusters?.find((o) => o.metadata?.name === 'after-outage'),
      15_000,
    );
  });

  it('a server that is down when the context is expanded is an error state, and connects by itself when it is back', async () => {
    const em = await emulator({ name: 'late', seed: tenantSeed(1, 1) });
    const cache = newCache(em);
    const away = em.goAway(1500);
    await new Promise((r) => setTimeout(r, 100));
    cache.start();
    await until('the error state', () => (cache.state === 'error' ? true : undefined));
    assert.equal(cache.error?.kind, 'unreachable');
    await away;
    await until('the ready state after the server came back', () => (cache.state === 'ready' ? true : undefined));
    await cache.whenSynced();
    assert.equal(tenantsOf(cache.snapshot()).length, 1);
  });

  it('a tenant the user may not read is a namespace error; the tenants it may read work', async () => {
    const em = await emulator({
      name: 'rbac',
      seed: tenantSeed(3, 1),
      users: [{ name: 'alice', namespaces: { 'tenant-0': 'view', 'tenant-1': 'view' } }],
    });
    const cache = newCache(em, em.kubeconfig('alice'), { fallbackNamespaces: ['tenant-0', 'tenant-1', 'tenant-2'] });
    cache.start();
    await cache.whenSynced();
    await until('per-namespace errors', () => (cache.namespaceErrors().has('tenant-2') ? true : undefined));
    const errors = cache.namespaceErrors();
    assert.match(errors.get('tenant-2')?.message ?? '', /Forbidden \(403\)/);
    assert.equal(errors.get('tenant-2')?.all, true);
    // The view role may read everything but secrets there: a partial error, the rest works.
    assert.deepEqual(errors.get('tenant-0'), { ...errors.get('tenant-0'), kinds: ['secrets'], all: false });
    const tenants = tenantsOf(cache.snapshot());
    assert.deepEqual(
      tenants.map((t) => t.namespace),
      ['tenant-0', 'tenant-1'],
    );
    assert.equal(tenants[0].clusters.length, 1);
  });

  it('a missing CRD is a clear "missing" state, not a failure', async () => {
    const em = await emulator({ name: 'nocso', seed: tenantSeed(1, 1), uninstalledCrds: ['clusterstack.x-k8s.io'] });
    const cache = newCache(em);
    cache.start();
    await cache.whenSynced();
    assert.equal(cache.state, 'ready');
    assert.equal(cache.kindState('clusterstacks').status, 'missing');
    assert.match(cache.kindState('clusterstacks').message ?? '', /cluster-stack operator/);
    assert.equal(cache.kindState('clusters').status, 'ready');
  });

  it('an unreachable server and a rejected token are error states with a message that holds no token', async () => {
    const em = await emulator({ name: 'down' });
    const badToken = 'expired-token-value-1234567890';
    const rejected = newCache(em, em.kubeconfig({ token: badToken }));
    rejected.start();
    await rejected.whenSynced();
    assert.equal(rejected.state, 'error');
    assert.equal(rejected.error?.kind, 'unauthorized');
    assert.ok(!rejected.error?.message.includes(badToken));

    const text = em.kubeconfig();
    await em.stop();
    emulators.splice(emulators.indexOf(em), 1);
    const unreachable = newCache(em, text);
    unreachable.start();
    await unreachable.whenSynced();
    assert.equal(unreachable.state, 'error');
    assert.equal(unreachable.error?.kind, 'unreachable');
    assert.match(unreachable.error?.message ?? '', /Cannot reach https:\/\/127\.0\.0\.1/);
  });

  it('an exec credential plugin that fails is an error state naming the failure', async () => {
    const em = await emulator({ name: 'exec' });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exec-plugin-'));
    try {
      const kc = kubeConfigOf(em.kubeconfig());
      const user = kc.getCurrentUser();
      assert.ok(user);
      const withExec = new KubeConfig();
      withExec.loadFromOptions({
        clusters: kc.clusters,
        contexts: kc.contexts,
        currentContext: kc.currentContext,
        users: [
          { name: user.name, exec: { apiVersion: 'client.authentication.k8s.io/v1', command: path.join(dir, 'no-such-plugin'), args: [] } },
        ],
      });
      const cache = new ContextCache('exec', ownedLease(new KubeClient(withExec)), { minBackoffMs: 50 });
      caches.push(cache);
      cache.start();
      await cache.whenSynced();
      assert.equal(cache.state, 'error');
      assert.equal(cache.error?.kind, 'auth');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stop() closes every watch on the server', async () => {
    const em = await emulator({ name: 'stop', seed: tenantSeed(1, 1) });
    const cache = newCache(em);
    cache.start();
    await cache.whenSynced();
    await until('10 open watches', () => (em.openWatches === 10 ? true : undefined));
    cache.stop();
    await until('no open watch', () => (em.openWatches === 0 ? true : undefined));
  });
});

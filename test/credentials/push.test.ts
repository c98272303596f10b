// The credential push against the Kubernetes API emulator: server-side apply with dry run and masked
// diff, conflicts, idempotence, many workload clusters with faults, drift, and the ClusterResourceSet
// controller model. Shapes are checked through the emulator's store and with the real kubectl.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { startEmulator, type Emulator } from '../emulator';
import { kubectl } from '../emulator/helpers';
import { CrsController } from '../emulator/crsController';
import { applyObjects, FIELD_MANAGER, planApply, type KubeManifest } from '../../src/kube/apply';
import { KubeClient, type RetryPolicy } from '../../src/kube/client';
import { checkDrift, listClusters, pushToWorkloadClusters } from '../../src/kube/push';
import { b64, cloudConfigSecret, identitySecret, resourceSet, unb64 } from '../../src/core/manifests/credentials';
import { crsPropagation, resourceSetHash } from '../../src/core/manifests/propagation';

const SECRET = 'App-Cred-S3cret-7f3a9';
const CLOUDS = `clouds:\n  openstack:\n    auth:\n      auth_url: https://keystone.example.com:5000/v3\n      application_credential_id: app-id\n      application_credential_secret: ${SECRET}\n    region_name: RegionOne\n`;
const CONF = `[Global]\nauth-url="https://keystone.example.com:5000/v3"\nregion="RegionOne"\napplication-credential-id="app-id"\napplication-credential-secret="${SECRET}"\n\n[LoadBalancer]\nmanage-security-groups=true\n`;
const FAST: RetryPolicy = { retries: 4, baseDelayMs: 20, maxDelayMs: 200, timeoutMs: 2000 };
const NS = 'tenant-a';

function clientFor(em: Emulator): KubeClient {
  const kc = new KubeConfig();
  kc.loadFromString(em.kubeconfig());
  return new KubeClient(kc, FAST);
}

/** One pass of the ClusterResourceSet controller model (its connections closed afterwards). */
async function reconcileCrs(em: Emulator): Promise<void> {
  const ctrl = new CrsController(em);
  await ctrl.reconcileOnce();
  await ctrl.stop();
}

const cluster = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'cluster.x-k8s.io/v1beta1',
  kind: 'Cluster',
  metadata: { name, namespace: NS, labels },
  spec: { topology: { class: 'openstack-scs-1-32-v1', version: 'v1.32.5' } },
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function kubectlJson(em: Emulator, args: string[]): Promise<Record<string, any>> {
  const r = await kubectl(em.kubeconfigPath, [...args, '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe('credentials against the emulator', function () {
  this.timeout(120_000);
  let mgmt: Emulator;
  let client: KubeClient;

  before(async () => {
    mgmt = await startEmulator({
      name: 'mgmt',
      seed: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
        path.join(__dirname, '..', 'fixtures', 'clusterclass', 'openstack-scs-1-32-v1-clusterclass-derived.yaml'),
      ],
    });
    client = clientFor(mgmt);
  });
  after(async () => mgmt?.stop());

  describe('server-side apply to the tenant', () => {
    const secret = identitySecret({ namespace: NS, name: 'openstack', payload: { 'clouds.yaml': CLOUDS, cloudName: 'openstack' } });

    it('dry-runs first (nothing stored), then creates exactly the expected object with our field manager', async () => {
      const plans = await planApply(client, [secret]);
      assert.equal(plans[0].action, 'create');
      assert.deepEqual(
        plans[0].changes.map((c) => c.path),
        ['data.cloudName', 'data.clouds.yaml', 'metadata.labels.clusterctl.cluster.x-k8s.io/move', 'type'],
      );
      assert.equal(mgmt.get('v1', 'Secret', NS, 'openstack'), undefined, 'a dry run must not store anything');
      const rep = await applyObjects(client, [secret]);
      assert.equal(rep.outcome, 'created');
      const live = await kubectlJson(mgmt, ['get', 'secret', 'openstack', '-n', NS, '--show-managed-fields']);
      assert.deepEqual(
        { type: live.type, labels: live.metadata.labels, data: live.data },
        {
          type: 'Opaque',
          labels: { 'clusterctl.cluster.x-k8s.io/move': '' },
          data: { cloudName: b64('openstack'), 'clouds.yaml': b64(CLOUDS) },
        },
      );
      assert.ok(
        live.metadata.managedFields.some(
          (m: { manager: string; operation: string }) => m.manager === FIELD_MANAGER && m.operation === 'Apply',
        ),
      );
    });

    it('re-running is idempotent: unchanged, and no write request', async () => {
      const rv = mgmt.get('v1', 'Secret', NS, 'openstack')?.metadata.resourceVersion;
      mgmt.resetRequests();
      const rep = await applyObjects(client, [secret]);
      assert.equal(rep.outcome, 'unchanged');
      assert.deepEqual(
        mgmt.requests.map((r) => r.method),
        ['GET', 'PATCH'],
        'one read and one dry run, no write',
      );
      assert.equal(mgmt.get('v1', 'Secret', NS, 'openstack')?.metadata.resourceVersion, rv);
    });

    it('a changed value is an update whose diff names the key, never the value', async () => {
      const rotated = identitySecret({
        namespace: NS,
        name: 'openstack',
        payload: { 'clouds.yaml': CLOUDS.replace(SECRET, `${SECRET}-2`), cloudName: 'openstack' },
      });
      const rep = await applyObjects(client, [rotated]);
      assert.equal(rep.outcome, 'updated');
      assert.deepEqual(rep.objects[0].changes, [{ path: 'data.clouds.yaml', change: 'changed' }]);
      assert.ok(!JSON.stringify(rep).includes(SECRET) && !JSON.stringify(rep).includes(b64(SECRET)));
      assert.equal(unb64(mgmt.get('v1', 'Secret', NS, 'openstack')?.data['clouds.yaml']), CLOUDS.replace(SECRET, `${SECRET}-2`));
    });

    it('a field owned by another manager is a conflict (nothing written) until force is given', async () => {
      const other = {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'shared', namespace: NS },
        type: 'Opaque',
        data: { 'cloud.conf': b64('theirs') },
      };
      const r = await kubectl(mgmt.kubeconfigPath, ['apply', '--server-side', '--field-manager=helm', '-f', '-'], JSON.stringify(other));
      assert.equal(r.code, 0, r.stderr);
      const mine: KubeManifest = { ...other, data: { 'cloud.conf': b64(CONF) } };
      const rep = await applyObjects(client, [mine]);
      assert.equal(rep.outcome, 'conflict');
      assert.deepEqual(rep.conflicts, [{ manager: 'helm', field: '.data.cloud.conf' }]);
      assert.equal(unb64(mgmt.get('v1', 'Secret', NS, 'shared')?.data['cloud.conf']), 'theirs');
      assert.ok(!(rep.reason ?? '').includes(SECRET));
      const forced = await applyObjects(client, [mine], { force: true });
      assert.equal(forced.outcome, 'updated');
      assert.equal(unb64(mgmt.get('v1', 'Secret', NS, 'shared')?.data['cloud.conf']), CONF);
    });

    it('creates the namespace first when asked (the secret is planned without a dry run)', async () => {
      const objs: KubeManifest[] = [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tenant-new' } },
        identitySecret({ namespace: 'tenant-new', name: 'openstack', payload: { 'clouds.yaml': CLOUDS, cloudName: 'openstack' } }),
      ];
      const rep = await applyObjects(client, objs);
      assert.equal(rep.outcome, 'created');
      assert.equal(rep.objects[1].dryRunSkipped, true);
      assert.ok(mgmt.get('v1', 'Secret', 'tenant-new', 'openstack'));
    });
  });

  describe('push to many workload clusters', () => {
    const names = Array.from({ length: 10 }, (_, i) => `wc-${String(i).padStart(2, '0')}`);
    const workload = cloudConfigSecret({ text: CONF });

    before(async () => {
      for (const n of names) {
        mgmt.put(cluster(n));
        const w = await mgmt.addWorkloadCluster(NS, n);
        if (n !== 'wc-03') w.faults.set({ rate500: 0.1, seed: n.charCodeAt(4) + 1 });
      }
      await mgmt.workloads.get(`${NS}/wc-03`)?.stop(); // a dead cluster
    });

    it('reports every cluster; the dead one fails, the others get exactly the secret despite 10 % 5xx', async () => {
      const seen: string[] = [];
      const results = await pushToWorkloadClusters(client, {
        namespace: NS,
        clusters: names,
        objectsFor: () => [workload],
        concurrency: 4,
        retry: FAST,
        onResult: (r) => seen.push(r.cluster),
      });
      assert.deepEqual(
        results.map((r) => r.cluster),
        names,
      );
      assert.deepEqual([...seen].sort(), names);
      for (const r of results) {
        if (r.cluster === 'wc-03') {
          assert.equal(r.outcome, 'failed');
          assert.match(r.reason ?? '', /Cannot reach/);
        } else {
          assert.equal(r.outcome, 'created', `${r.cluster}: ${r.reason}`);
          const w = mgmt.workloads.get(`${NS}/${r.cluster}`) as Emulator;
          assert.deepEqual(w.get('v1', 'Secret', 'kube-system', 'cloud-config')?.data, workload.data);
        }
      }
      assert.ok(!JSON.stringify(results).includes(SECRET));
      const five = [...mgmt.workloads.values()].flatMap((w) => (w.listening ? w.requests : [])).filter((r) => r.status >= 500);
      assert.ok(five.length > 0, 'the fault injection produced 5xx answers that were retried');
    });

    it('kubectl sees the pushed secret with the exact shape in a workload cluster', async () => {
      const w = mgmt.workloads.get(`${NS}/wc-00`) as Emulator;
      w.faults.clear();
      const s = await kubectlJson(w, ['get', 'secret', 'cloud-config', '-n', 'kube-system']);
      assert.deepEqual(
        { type: s.type, name: s.metadata.name, ns: s.metadata.namespace, keys: Object.keys(s.data).sort() },
        { type: 'Opaque', name: 'cloud-config', ns: 'kube-system', keys: ['cloud.conf', 'cloudprovider.conf'] },
      );
      assert.equal(unb64(s.data['cloud.conf']), CONF);
      assert.equal(unb64(s.data['cloudprovider.conf']), CONF);
    });

    it('re-running is idempotent: unchanged everywhere reachable', async () => {
      const results = await pushToWorkloadClusters(client, {
        namespace: NS,
        clusters: names.filter((n) => n !== 'wc-03'),
        objectsFor: () => [workload],
        retry: FAST,
      });
      assert.deepEqual([...new Set(results.map((r) => r.outcome))], ['unchanged']);
    });

    it('no partial writes within a cluster: a failing dry run of the second object writes nothing', async () => {
      const good: KubeManifest = { ...cloudConfigSecret({ text: CONF }), metadata: { name: 'first', namespace: 'kube-system' } };
      const bad: KubeManifest = {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'second', namespace: 'kube-system' },
        type: 'Opaque',
        data: { 'bad key!': b64(SECRET) },
      };
      const [r] = await pushToWorkloadClusters(client, { namespace: NS, clusters: ['wc-01'], objectsFor: () => [good, bad], retry: FAST });
      assert.equal(r.outcome, 'failed');
      assert.ok(!(r.reason ?? '').includes(SECRET), r.reason);
      const w = mgmt.workloads.get(`${NS}/wc-01`) as Emulator;
      assert.equal(w.get('v1', 'Secret', 'kube-system', 'first'), undefined);
    });

    it('cancellation stops starting clusters and reports them cancelled', async () => {
      const ac = new AbortController();
      ac.abort();
      const results = await pushToWorkloadClusters(client, {
        namespace: NS,
        clusters: names,
        objectsFor: () => [workload],
        signal: ac.signal,
        retry: FAST,
      });
      assert.deepEqual([...new Set(results.map((r) => r.outcome))], ['cancelled']);
    });

    it('drift: in-sync, drifted after a change in a workload cluster, missing after a delete; values never shown', async () => {
      const w1 = mgmt.workloads.get(`${NS}/wc-01`) as Emulator;
      const w2 = mgmt.workloads.get(`${NS}/wc-02`) as Emulator;
      w1.faults.clear();
      w2.faults.clear();
      const live = w1.get('v1', 'Secret', 'kube-system', 'cloud-config') as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      w1.put({ ...live, data: { ...live.data, 'cloud.conf': b64(CONF.replace(SECRET, 'edited-by-hand')) } });
      w2.delete('v1', 'Secret', 'kube-system', 'cloud-config');
      const rows = await checkDrift(client, {
        namespace: NS,
        clusters: ['wc-00', 'wc-01', 'wc-02', 'wc-03'],
        expected: () => workload,
        retry: FAST,
      });
      assert.deepEqual(
        rows.map((r) => [r.cluster, r.drift?.state ?? 'unknown']),
        [
          ['wc-00', 'in-sync'],
          ['wc-01', 'drifted'],
          ['wc-02', 'missing'],
          ['wc-03', 'unknown'],
        ],
      );
      assert.deepEqual(rows[1].drift?.changed, ['cloud.conf']);
      assert.ok(!JSON.stringify(rows).includes('edited-by-hand') && !JSON.stringify(rows).includes(SECRET));
    });
  });

  describe('keep in sync with the ClusterResourceSet controller model', () => {
    let crsEm: Emulator;
    let c: KubeClient;
    before(async () => {
      crsEm = await startEmulator({ name: 'mgmt-crs', seed: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }] });
      c = clientFor(crsEm);
      for (const [n, labels] of [
        ['sel-a', { 'managed-secret': 'cloud-config' }],
        ['sel-b', { 'managed-secret': 'cloud-config' }],
        ['other', { 'managed-secret': 'clouds-yaml' }],
      ] as const) {
        // CAPI's ClusterCache connects (and the CRS controller applies) only once the infrastructure is provisioned.
        crsEm.put({ ...cluster(n, { ...labels }), status: { phase: 'Provisioned', infrastructureReady: true, controlPlaneReady: true } });
        await crsEm.addWorkloadCluster(NS, n);
      }
    });
    after(async () => crsEm?.stop());

    it('applies the wrapped secret to the selected clusters only and records bindings with the CAPI hash', async () => {
      const [wrapper, crs] = resourceSet({
        namespace: NS,
        style: 'cloud-config',
        cloudName: 'openstack',
        workload: cloudConfigSecret({ text: CONF }),
      });
      assert.equal((await applyObjects(c, [wrapper, crs])).outcome, 'created');
      const ctrl = new CrsController(crsEm);
      await ctrl.reconcileOnce();
      await ctrl.stop();
      for (const n of ['sel-a', 'sel-b']) {
        const got = crsEm.workloads.get(`${NS}/${n}`)?.get('v1', 'Secret', 'kube-system', 'cloud-config');
        assert.equal(unb64(got?.data['cloud.conf']), CONF, n);
      }
      assert.equal(crsEm.workloads.get(`${NS}/other`)?.get('v1', 'Secret', 'kube-system', 'cloud-config'), undefined);
      const binding = await kubectlJson(crsEm, ['get', 'clusterresourcesetbindings.v1beta1.addons.cluster.x-k8s.io', 'sel-a', '-n', NS]);
      const res = binding.spec.bindings[0].resources[0];
      assert.deepEqual(
        { name: res.name, kind: res.kind, applied: res.applied, hash: res.hash },
        { name: 'openstack-workload-cluster-secret', kind: 'Secret', applied: true, hash: resourceSetHash(wrapper.data) },
      );
      assert.match(res.lastAppliedTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(binding.spec.clusterName, 'sel-a');
      const clusters = (await listClusters(c, NS)).map((x) => ({ name: x.name, labels: x.labels }));
      const bindings = crsEm.list('addons.cluster.x-k8s.io/v1beta1', 'ClusterResourceSetBinding', NS);
      assert.deepEqual(
        crsPropagation({ crs, resourceSecret: wrapper, clusters, bindings }).map((p) => `${p.cluster}:${p.state}`),
        ['sel-a:current', 'sel-b:current'],
      );
    });

    it('a rotation shows as stale until the controller re-applies it, then current; the workload secret follows', async () => {
      const rotatedConf = CONF.replace(SECRET, `${SECRET}-rotated`);
      const [wrapper, crs] = resourceSet({
        namespace: NS,
        style: 'cloud-config',
        cloudName: 'openstack',
        workload: cloudConfigSecret({ text: rotatedConf }),
      });
      assert.equal((await applyObjects(c, [wrapper, crs])).outcome, 'updated');
      const clusters = (await listClusters(c, NS)).map((x) => ({ name: x.name, labels: x.labels }));
      const states = () =>
        crsPropagation({
          crs,
          resourceSecret: wrapper,
          clusters,
          bindings: crsEm.list('addons.cluster.x-k8s.io/v1beta1', 'ClusterResourceSetBinding', NS),
        }).map((p) => p.state);
      assert.deepEqual(states(), ['stale', 'stale']);
      await reconcileCrs(crsEm);
      assert.deepEqual(states(), ['current', 'current']);
      assert.equal(
        unb64(crsEm.workloads.get(`${NS}/sel-b`)?.get('v1', 'Secret', 'kube-system', 'cloud-config')?.data['cloud.conf']),
        rotatedConf,
      );
    });

    it('labelling a cluster (server-side apply of the label) onboards it', async () => {
      const other = (await listClusters(c, NS)).find((x) => x.name === 'other');
      const label: KubeManifest = {
        apiVersion: other?.apiVersion ?? '',
        kind: 'Cluster',
        metadata: { name: 'other', namespace: NS, labels: { 'managed-secret': 'cloud-config' } },
      };
      assert.equal((await applyObjects(c, [label])).outcome, 'updated');
      assert.equal(
        crsEm.get('cluster.x-k8s.io/v1beta1', 'Cluster', NS, 'other')?.spec?.topology?.class,
        'openstack-scs-1-32-v1',
        'the label apply keeps the rest of the Cluster',
      );
      await reconcileCrs(crsEm);
      assert.ok(crsEm.workloads.get(`${NS}/other`)?.get('v1', 'Secret', 'kube-system', 'cloud-config'));
    });

    it('a resource secret of the wrong type sets ResourcesApplied=False (WrongSecretType)', async () => {
      crsEm.put({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'plain', namespace: NS }, type: 'Opaque', data: { x: b64('y') } });
      const bad: KubeManifest = {
        apiVersion: 'addons.cluster.x-k8s.io/v1beta1',
        kind: 'ClusterResourceSet',
        metadata: { name: 'bad', namespace: NS },
        spec: {
          strategy: 'Reconcile',
          clusterSelector: { matchLabels: { 'managed-secret': 'cloud-config' } },
          resources: [{ name: 'plain', kind: 'Secret' }],
        },
      };
      await applyObjects(c, [bad]);
      await reconcileCrs(crsEm);
      const got = crsEm.get('addons.cluster.x-k8s.io/v1beta1', 'ClusterResourceSet', NS, 'bad');
      assert.deepEqual(
        got?.status?.conditions?.map((x: { type: string; status: string; reason: string }) => [x.type, x.status, x.reason]),
        [['ResourcesApplied', 'False', 'WrongSecretType']],
      );
    });
  });
});

// The emulator speaks Kubernetes: the machine's real kubectl is the client.
import { strict as assert } from 'node:assert';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, Emulator } from './index';
import { OBJECT_FIXTURE_DIRS } from './fixtures';
import { eventually, kubectl, kubectlSpawn } from './helpers';

describe('emulator with kubectl as the client', function () {
  this.timeout(60_000);
  let em: Emulator;
  let kc: string;
  const tmp = mkdtempSync(join(tmpdir(), 'kube-emulator-test-'));
  const k = (...args: string[]) => kubectl(kc, args);

  before(async () => {
    em = await startEmulator({
      name: 'kubectl-mgmt',
      seed: OBJECT_FIXTURE_DIRS,
      users: [{ name: 'alice', namespaces: { t1: 'admin', t3: 'view' } }],
    });
    kc = em.kubeconfigPath;
    const cluster = (name: string, labels: Record<string, string>) => ({
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'Cluster',
      metadata: { name, namespace: 'sel', labels },
      spec: { topology: { classRef: { name: 'c' }, version: 'v1.33.4' } },
    });
    em.put(cluster('a', { env: 'prod', tier: 'gold' }));
    em.put(cluster('b', { env: 'prod', tier: 'silver' }));
    em.put(cluster('c', { env: 'dev' }));
    em.put(cluster('d', {}));
  });
  after(async () => {
    await em.stop();
  });

  it('serves /version and discovery to kubectl (api-resources lists the CRD kinds)', async () => {
    const v = await k('version', '-o', 'json');
    assert.equal(v.code, 0, v.stderr);
    assert.equal(JSON.parse(v.stdout).serverVersion.gitVersion, 'v1.32.0');
    const r = await k('api-resources', '--api-group=clusterstack.x-k8s.io', '-o', 'name');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n').sort(), [
      'clusteraddons.clusterstack.x-k8s.io',
      'clusterstackreleases.clusterstack.x-k8s.io',
      'clusterstacks.clusterstack.x-k8s.io',
    ]);
  });

  it('get with label selectors (=, !=, in, notin, exists, !exists) and -o json', async () => {
    const names = async (sel: string) => {
      const r = await k('get', 'clusters', '-n', 'sel', '-l', sel, '-o', 'json');
      assert.equal(r.code, 0, r.stderr);
      const list = JSON.parse(r.stdout);
      assert.equal(list.kind, 'List');
      return list.items
        .map((i: { metadata: { name: string } }) => i.metadata.name)
        .sort()
        .join(',');
    };
    assert.equal(await names('env=prod,tier!=silver'), 'a');
    assert.equal(await names('env in (prod,dev),!tier'), 'c');
    assert.equal(await names('env notin (prod),env'), 'c');
    assert.equal(await names('!env'), 'd');
  });

  it('get with a field selector, and the table printer columns of a CRD', async () => {
    const r = await k('get', 'secrets', '-A', '--field-selector', 'type=cluster.x-k8s.io/secret', '-o', 'name');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'secret/wc-argocd-kubeconfig');
    const t = await k('get', 'clusters', '-n', 'cluster-qf-mathieu');
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, /^NAME\s+CLUSTERCLASS\s+PHASE\s+AGE\s+VERSION/);
    assert.match(t.stdout, /cluster-qf-mathieu\s+\S+\s+Provisioned\s+\S+\s+v1\.34\.2/);
    const bad = await k('get', 'secrets', '--field-selector', 'spec.foo=1');
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /field label not supported: spec\.foo/);
  });

  it('create secret generic --from-literal stores base64 data; a second create is AlreadyExists', async () => {
    const r = await k(
      'create',
      'secret',
      'generic',
      'creds',
      '-n',
      't1',
      '--from-literal=clouds.yaml=clouds: {}',
      '--from-literal=cloudName=openstack',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'secret/creds created');
    const s = em.get('v1', 'Secret', 't1', 'creds');
    assert.equal(s?.type, 'Opaque');
    assert.equal(Buffer.from(s?.data['cloudName'], 'base64').toString(), 'openstack');
    const again = await k('create', 'secret', 'generic', 'creds', '-n', 't1', '--from-literal=a=b');
    assert.notEqual(again.code, 0);
    assert.equal(again.stderr.trim(), 'error: failed to create secret secrets "creds" already exists');
  });

  it('apply --server-side: a conflict between two field managers, then --force-conflicts', async () => {
    const file = join(tmp, 'cm.yaml');
    const cm = (v: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\n  namespace: t1\ndata:\n  x: "${v}"\n  keep: "same"\n`;
    writeFileSync(file, cm('1'));
    const first = await k('apply', '--server-side', '-f', file);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout.trim(), 'configmap/ssa serverside-applied');
    writeFileSync(file, cm('2'));
    const clash = await k('apply', '--server-side', '--field-manager=other', '-f', file);
    assert.notEqual(clash.code, 0);
    assert.match(clash.stderr, /^error: Apply failed with 1 conflict: conflict with "kubectl": \.data\.x\n/);
    assert.match(clash.stderr, /--force-conflicts/);
    assert.equal(em.get('v1', 'ConfigMap', 't1', 'ssa')?.data.x, '1');
    const forced = await k('apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', file);
    assert.equal(forced.code, 0, forced.stderr);
    const after = em.get('v1', 'ConfigMap', 't1', 'ssa');
    assert.equal(after?.data.x, '2');
    const owners = Object.fromEntries(
      after?.metadata.managedFields.map((m: { manager: string; fieldsV1: Record<string, Record<string, unknown>> }) => [
        m.manager,
        Object.keys(m.fieldsV1['f:data'])
          .filter((f) => f !== '.')
          .sort(),
      ]),
    );
    assert.deepEqual(owners, { kubectl: ['f:keep'], other: ['f:keep', 'f:x'] });
  });

  it('apply --dry-run=server stores nothing', async () => {
    const file = join(tmp, 'dry.yaml');
    writeFileSync(
      file,
      'apiVersion: clusterstack.x-k8s.io/v1alpha1\nkind: ClusterStack\nmetadata:\n  name: dry\n  namespace: t1\nspec:\n  provider: openstack\n  name: scs2\n  kubernetesVersion: "1.33"\n  noProvider: true\n',
    );
    const rv = em.resourceVersion;
    const r = await k('apply', '--server-side', '--dry-run=server', '-f', file);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'clusterstack.clusterstack.x-k8s.io/dry serverside-applied (server dry run)');
    const c = await k('apply', '--dry-run=server', '-f', file);
    assert.equal(c.code, 0, c.stderr);
    assert.equal(em.get('clusterstack.x-k8s.io/v1alpha1', 'ClusterStack', 't1', 'dry'), undefined);
    assert.equal(em.resourceVersion, rv);
  });

  it('delete returns the real messages (deleted, then NotFound)', async () => {
    em.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gone', namespace: 't1' } });
    const r = await k('delete', 'configmap', 'gone', '-n', 't1');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'configmap "gone" deleted');
    assert.equal(em.get('v1', 'ConfigMap', 't1', 'gone'), undefined);
    const again = await k('delete', 'configmap', 'gone', '-n', 't1');
    assert.equal(again.stderr.trim(), 'Error from server (NotFound): configmaps "gone" not found');
  });

  it('get --watch streams events until killed', async () => {
    em.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'w' } });
    const w = kubectlSpawn(kc, ['get', 'configmaps', '-n', 'w', '--watch', '--output-watch-events', '-o', 'json']);
    try {
      await eventually(() => em.openWatches > 0, 10_000, 'kubectl to open its watch');
      em.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one', namespace: 'w' }, data: { a: '1' } });
      em.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one', namespace: 'w' }, data: { a: '2' } });
      em.delete('v1', 'ConfigMap', 'w', 'one');
      await eventually(() => (w.output().match(/"type": ?"/g) ?? []).length >= 3, 10_000, 'three watch events').catch((e) => {
        throw new Error(`${e.message}; kubectl printed: ${w.output()}`);
      });
      const types = [...w.output().matchAll(/"type": ?"(\w+)"/g)].map((m) => m[1]);
      assert.deepEqual(types, ['ADDED', 'MODIFIED', 'DELETED']);
    } finally {
      w.child.kill();
    }
  });

  it('auth can-i yes/no for a token user, and a 403 with the real message on a forbidden namespace', async () => {
    const alice = join(tmp, 'alice.kubeconfig');
    writeFileSync(alice, em.kubeconfig('alice'));
    const can = (...args: string[]) => kubectl(alice, ['auth', 'can-i', ...args]);
    const yes = await can('create', 'secrets', '-n', 't1');
    assert.equal(yes.stdout.trim(), 'yes');
    assert.equal(yes.code, 0);
    const no = await can('list', 'secrets', '-n', 't3');
    assert.equal(no.stdout.trim(), 'no');
    assert.equal(no.code, 1);
    assert.equal((await can('list', 'clusters.cluster.x-k8s.io', '-n', 't3')).stdout.trim(), 'yes');
    const denied = await kubectl(alice, ['get', 'secrets', '-n', 't2']);
    assert.equal(
      denied.stderr.trim(),
      'Error from server (Forbidden): secrets is forbidden: User "alice" cannot list resource "secrets" in API group "" in the namespace "t2"',
    );
    const ns = await kubectl(alice, ['get', 'namespace', 't2']);
    assert.equal(
      ns.stderr.trim(),
      'Error from server (Forbidden): namespaces "t2" is forbidden: User "alice" cannot get resource "namespaces" in API group "" in the namespace "t2"',
    );
    assert.equal((await kubectl(alice, ['get', 'namespace', 't1', '-o', 'name'])).stdout.trim(), 'namespace/t1');
    const list = await can('--list', '-n', 't3');
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^configmaps\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
    assert.doesNotMatch(list.stdout, /^secrets/m);
  });

  it('a ServiceAccount token secret authenticates as the ServiceAccount with its RoleBinding', async () => {
    assert.equal((await k('create', 'serviceaccount', 'tenant-admin', '-n', 't1')).code, 0);
    assert.equal(
      (await k('create', 'rolebinding', 'tenant-admin', '-n', 't1', '--clusterrole=edit', '--serviceaccount=t1:tenant-admin')).code,
      0,
    );
    const file = join(tmp, 'sa-secret.yaml');
    writeFileSync(
      file,
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: tenant-admin-token\n  namespace: t1\n  annotations:\n    kubernetes.io/service-account.name: tenant-admin\ntype: kubernetes.io/service-account-token\n',
    );
    assert.equal((await k('apply', '-f', file)).code, 0);
    const tok = await k('get', 'secret', 'tenant-admin-token', '-n', 't1', '-o', 'jsonpath={.data.token}');
    const token = Buffer.from(tok.stdout, 'base64').toString();
    const ok = await k('--token', token, 'get', 'secrets', '-n', 't1', '-o', 'name');
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /secret\/tenant-admin-token/);
    const denied = await k('--token', token, 'get', 'secrets', '-n', 't2');
    assert.equal(
      denied.stderr.trim(),
      'Error from server (Forbidden): secrets is forbidden: User "system:serviceaccount:t1:tenant-admin" cannot list resource "secrets" in API group "" in the namespace "t2"',
    );
  });

  it("serves CAPO's cluster-scoped OpenStackClusterIdentity and the OpenStackCluster that names it (CAPO e52de58 CRDs)", async () => {
    // cluster-api-provider-openstack@e52de58 config/crd/bases/infrastructure.cluster.x-k8s.io_openstackclusteridentities.yaml:
    // `scope: Cluster`, shortName osci, spec.secretRef {name, namespace} required.
    const names = await k('api-resources', '--api-group=infrastructure.cluster.x-k8s.io', '--namespaced=false', '-o', 'name');
    assert.equal(names.code, 0, names.stderr);
    assert.deepEqual(names.stdout.trim().split('\n'), ['openstackclusteridentities.infrastructure.cluster.x-k8s.io']);
    const namespaced = await k('api-resources', '--api-group=infrastructure.cluster.x-k8s.io', '--namespaced=true', '-o', 'name');
    assert.match(namespaced.stdout, /^openstackclusters\.infrastructure\.cluster\.x-k8s\.io$/m);
    const nsCreated = await k('create', 'namespace', 'capo-system');
    assert.ok(nsCreated.code === 0 || /AlreadyExists/.test(nsCreated.stderr), nsCreated.stderr);
    const fixture = join(__dirname, '..', 'fixtures', 'states', 'capo-cluster-identity.yaml');
    const applied = await k('apply', '--server-side', '-f', fixture);
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(
      applied.stdout,
      /^openstackclusteridentity\.infrastructure\.cluster\.x-k8s\.io\/production-openstack serverside-applied$/m,
    );
    assert.match(applied.stdout, /^openstackcluster\.infrastructure\.cluster\.x-k8s\.io\/cluster-a serverside-applied$/m);
    const got = await k('get', 'osci', 'production-openstack', '-o', 'json');
    assert.equal(got.code, 0, got.stderr);
    const id = JSON.parse(got.stdout);
    assert.equal(id.metadata.namespace, undefined);
    assert.deepEqual(id.spec.secretRef, { name: 'openstack-credentials', namespace: 'capo-system' });
    assert.deepEqual(id.spec.namespaceSelector.matchExpressions[0].values, ['team-a', 'team-b']);
    const table = await k('get', 'openstackclusteridentities');
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^NAME\s+AGE\nproduction-openstack\s+\S+\n$/);
    const osc = await k('get', 'openstackcluster', 'cluster-a', '-n', 'team-a', '-o', 'jsonpath={.spec.identityRef}');
    assert.equal(osc.code, 0, osc.stderr);
    assert.deepEqual(JSON.parse(osc.stdout), {
      cloudName: 'openstack',
      name: 'production-openstack',
      region: 'RegionTwo',
      type: 'ClusterIdentity',
    });
    // The CRD's schema: secretRef is required, and an unknown field is refused under strict validation.
    const bad = join(tmp, 'bad-identity.yaml');
    writeFileSync(
      bad,
      'apiVersion: infrastructure.cluster.x-k8s.io/v1alpha1\nkind: OpenStackClusterIdentity\nmetadata: {name: broken}\nspec: {}\n',
    );
    const refused = await k('create', '-f', bad);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /spec\.secretRef: Required value/);
    writeFileSync(
      bad,
      'apiVersion: infrastructure.cluster.x-k8s.io/v1alpha1\nkind: OpenStackClusterIdentity\nmetadata: {name: broken}\nspec: {secretRef: {name: a, namespace: b}, tenant: x}\n',
    );
    const strict = await k('create', '--validate=strict', '-f', bad);
    assert.notEqual(strict.code, 0);
    assert.match(strict.stderr, /unknown field "spec\.tenant"/);
    assert.equal((await k('get', 'osci', 'broken')).code, 1);
  });

  it('a CRD left uninstalled is unknown to kubectl', async () => {
    const bare = await startEmulator({ name: 'no-cso', uninstalledCrds: ['clusterstack.x-k8s.io'] });
    try {
      const r = await kubectl(bare.kubeconfigPath, ['get', 'clusterstacks', '-A']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /the server doesn't have a resource type "clusterstacks"/);
      const ok = await kubectl(bare.kubeconfigPath, ['get', 'clusters', '-A']);
      assert.equal(ok.code, 0, ok.stderr);
    } finally {
      await bare.stop();
    }
  });
});

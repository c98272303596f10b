// The ClusterResourceSet model (crsController.ts) and CAPI's ClusterResourceSet webhook (admission.ts)
// against the emulator, with kubectl as the client for the writes a user makes: defaulting and immutability
// as the API server answers them, ApplyOnce vs Reconcile after a rotation, the binding layout and hash,
// ConfigMap resources, the failure states, deletion and the binding controller.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { CrsController } from './crsController';
import { call, kubectl } from './helpers';
import { startEmulator, type Emulator, type KubeObject } from './index';

const NS = 'tenant';
const ADDONS = 'addons.cluster.x-k8s.io/v1beta2';
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const PROVISIONED = { phase: 'Provisioned', initialization: { infrastructureProvisioned: true, controlPlaneInitialized: true } };

const cloudConfig = (secret: string, target = 'cloud-config') =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${target}\n  namespace: kube-system\nstringData:\n  cloud.conf: |\n    [Global]\n    application-credential-secret="${secret}"\n`;

function resourceSecret(name: string, secret: string, target?: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: NS },
    type: 'addons.cluster.x-k8s.io/resource-set',
    data: { 'cloud-config.yaml': b64(cloudConfig(secret, target)) },
  };
}

function crs(name: string, resource: string, strategy?: string, kind = 'Secret'): KubeObject {
  return {
    apiVersion: ADDONS,
    kind: 'ClusterResourceSet',
    metadata: { name, namespace: NS },
    spec: {
      ...(strategy ? { strategy } : {}),
      clusterSelector: { matchLabels: { [`crs-${name}`]: 'yes' } },
      resources: [{ name: resource, kind }],
    },
  };
}

describe('emulator: ClusterResourceSet webhook and controller model', function () {
  this.timeout(90_000);
  let em: Emulator;
  const k = (args: string[], input?: string) => kubectl(em.kubeconfigPath, args, input);
  const applyJson = (obj: object, extra: string[] = []) => k(['apply', ...extra, '-f', '-'], JSON.stringify(obj));
  const patchImm = (json: string) => k(['patch', 'clusterresourceset', 'imm', '-n', NS, '--type=merge', '-p', json]);
  const reconcile = async () => {
    const c = new CrsController(em);
    await c.reconcileOnce();
    await c.stop();
    return c;
  };
  const workloadSecret = (cluster: string, name = 'cloud-config') =>
    em.workloads.get(`${NS}/${cluster}`)?.get('v1', 'Secret', 'kube-system', name);
  const confOf = (cluster: string, name?: string) => Buffer.from(workloadSecret(cluster, name)?.data['cloud.conf'], 'base64').toString();
  const binding = (cluster: string) => em.get(ADDONS, 'ClusterResourceSetBinding', NS, cluster);

  before(async () => {
    em = await startEmulator({ name: 'crs', seed: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }] });
    for (const [name, labels] of [
      ['a', { 'crs-once': 'yes', 'crs-sync': 'yes', 'crs-cm': 'yes', 'crs-tiny': 'yes' }],
      ['b', { 'crs-once': 'yes', 'crs-sync': 'yes', 'crs-wrong': 'yes' }],
    ] as const) {
      em.put({
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        kind: 'Cluster',
        metadata: { name, namespace: NS, labels },
        spec: {},
        status: PROVISIONED,
      });
      await em.addWorkloadCluster(NS, name);
    }
  });
  after(async () => em.stop());

  describe('webhook (cluster-api core/webhooks/admission/clusterresourceset.go)', () => {
    it('defaults a missing strategy to ApplyOnce', async () => {
      const r = await applyJson(crs('defaulted', 'x'));
      assert.equal(r.code, 0, r.stderr);
      assert.equal(em.get(ADDONS, 'ClusterResourceSet', NS, 'defaulted')?.spec.strategy, 'ApplyOnce');
    });

    it('defaults before the API server validates the schema: a v1beta2 CRS without spec misses the selector and resources, not the spec', async () => {
      // Mutating admission runs before the strategy's validation (kubernetes/apiserver@24a394e5
      // pkg/endpoints/handlers/create.go:202-203, registry/store.go:569-575); Default makes a spec with strategy.
      const body = { apiVersion: ADDONS, kind: 'ClusterResourceSet', metadata: { name: 'nospec', namespace: NS } };
      const res = await call(em, 'POST', `/apis/${ADDONS}/namespaces/${NS}/clusterresourcesets`, body);
      assert.equal(res.status, 422, res.text);
      assert.equal(
        res.json().message,
        'ClusterResourceSet.addons.cluster.x-k8s.io "nospec" is invalid: [spec.clusterSelector: Required value, spec.resources: Required value]',
      );
    });

    it('rejects an empty selector with the Status the API server returns for a denying webhook', async () => {
      const body = {
        ...crs('empty', 'x', 'Reconcile'),
        spec: { strategy: 'Reconcile', clusterSelector: {}, resources: [{ name: 'x', kind: 'Secret' }] },
      };
      const res = await call(em, 'POST', `/apis/${ADDONS}/namespaces/${NS}/clusterresourcesets`, body);
      assert.equal(res.status, 422);
      assert.deepEqual(res.json(), {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'admission webhook "validation.clusterresourceset.addons.cluster.x-k8s.io" denied the request: ClusterResourceSet.addons.cluster.x-k8s.io "empty" is invalid: spec.clusterSelector: Invalid value: {}: selector must not be empty',
        reason: 'Invalid',
        details: {
          name: 'empty',
          group: 'addons.cluster.x-k8s.io',
          kind: 'ClusterResourceSet',
          causes: [
            { reason: 'FieldValueInvalid', message: 'Invalid value: {}: selector must not be empty', field: 'spec.clusterSelector' },
          ],
        },
        code: 422,
      });
      assert.equal(em.get(ADDONS, 'ClusterResourceSet', NS, 'empty'), undefined);
    });

    it('strategy and clusterSelector are immutable; a server-side apply without strategy onto Reconcile is refused', async () => {
      assert.equal((await applyJson(crs('imm', 'x', 'Reconcile'), ['--server-side', '--field-manager=cluster-stacks-vscode'])).code, 0);
      const changed = await applyJson(crs('imm', 'x', 'ApplyOnce'), ['--server-side', '--field-manager=cluster-stacks-vscode']);
      assert.notEqual(changed.code, 0);
      assert.match(
        changed.stderr,
        /The ClusterResourceSet "imm" is invalid: spec.strategy: Invalid value: "ApplyOnce": field is immutable/,
      );
      // The defaulting webhook fills in ApplyOnce before validation, so leaving the field out changes it too.
      const missing = await applyJson(crs('imm', 'x'), ['--server-side', '--field-manager=cluster-stacks-vscode']);
      assert.notEqual(missing.code, 0);
      assert.match(missing.stderr, /spec.strategy: Invalid value: "ApplyOnce": field is immutable/);
      const sel = await patchImm('{"spec":{"clusterSelector":{"matchLabels":{"other":"x"}}}}');
      assert.notEqual(sel.code, 0);
      assert.match(sel.stderr, /spec.clusterSelector: Invalid value: {"matchLabels":{"crs-imm":"yes","other":"x"}}: field is immutable/);
      const res = await patchImm('{"spec":{"resources":[{"name":"y","kind":"Secret"}]}}');
      assert.equal(res.code, 0, res.stderr);
      assert.equal(em.get(ADDONS, 'ClusterResourceSet', NS, 'imm')?.spec.strategy, 'Reconcile');
    });

    it('a selector operator that does not exist is refused with the selector parser message', async () => {
      const bad = { ...crs('op', 'x', 'Reconcile') };
      bad.spec = { ...bad.spec, clusterSelector: { matchExpressions: [{ key: 'a', operator: 'Like', values: ['b'] }] } };
      const r = await applyJson(bad);
      assert.notEqual(r.code, 0);
      assert.match(
        r.stderr,
        /spec.clusterSelector: Invalid value: {"matchExpressions":\[{"key":"a","operator":"Like","values":\["b"\]}\]}: "Like" is not a valid label selector operator/,
      );
    });
  });

  describe('controller (cluster-api core/reconcilers/clusterresourceset)', () => {
    it('applies to the selected clusters, records bindings with the upstream hash, owns the resource, as field manager "manager"', async () => {
      em.put(resourceSecret('once-secret', 'first', 'cloud-config-once'));
      em.put(resourceSecret('sync-secret', 'first'));
      assert.equal((await applyJson(crs('once', 'once-secret', 'ApplyOnce'))).code, 0);
      assert.equal((await applyJson(crs('sync', 'sync-secret', 'Reconcile'))).code, 0);
      await reconcile();
      for (const c of ['a', 'b']) for (const n of ['cloud-config', 'cloud-config-once']) assert.match(confOf(c, n), /"first"/);
      const b = binding('a');
      assert.equal(b?.spec.clusterName, 'a');
      assert.deepEqual(b?.metadata.ownerReferences.map((o: KubeObject) => [o.apiVersion, o.kind, o.name]).sort(), [
        [ADDONS, 'ClusterResourceSet', 'once'],
        [ADDONS, 'ClusterResourceSet', 'sync'],
      ]);
      // The hash as upstream computes it: sha256 over the decoded data values in key order (an oracle here, not the model).
      const expected = `sha256:${createHash('sha256').update(cloudConfig('first')).digest('hex')}`;
      const entry = b?.spec.bindings.find((x: KubeObject) => x.clusterResourceSetName === 'sync');
      assert.deepEqual(
        { ...entry.resources[0], lastAppliedTime: undefined },
        { name: 'sync-secret', kind: 'Secret', hash: expected, applied: true, lastAppliedTime: undefined },
      );
      assert.match(entry.resources[0].lastAppliedTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const ws = workloadSecret('a');
      assert.deepEqual(
        ws?.metadata.managedFields.map((m: KubeObject) => m.manager),
        ['manager'],
      );
      assert.deepEqual(
        em.get('v1', 'Secret', NS, 'sync-secret')?.metadata.ownerReferences.map((o: KubeObject) => o.name),
        ['sync'],
      );
      const c = em.get(ADDONS, 'ClusterResourceSet', NS, 'sync');
      assert.deepEqual(c?.metadata.finalizers, ['addons.cluster.x-k8s.io']);
      assert.deepEqual(
        c?.status.conditions.map((x: KubeObject) => [x.type, x.status, x.reason]),
        [
          ['ResourcesApplied', 'True', 'Applied'],
          ['Paused', 'False', 'NotPaused'],
        ],
      );
      assert.deepEqual(
        c?.status.deprecated.v1beta1.conditions.map((x: KubeObject) => [x.type, x.status]),
        [['ResourcesApplied', 'True']],
      );
      assert.equal(c?.status.observedGeneration, c?.metadata.generation);
    });

    it('after a rotation, Reconcile re-applies (new hash) and ApplyOnce never does (old hash, old value)', async () => {
      em.put(resourceSecret('once-secret', 'rotated', 'cloud-config-once'));
      em.put(resourceSecret('sync-secret', 'rotated'));
      const before = binding('b');
      await reconcile();
      await reconcile();
      const after = binding('b');
      const res = (b: KubeObject | undefined, set: string) =>
        b?.spec.bindings.find((x: KubeObject) => x.clusterResourceSetName === set).resources[0];
      assert.equal(res(after, 'once').hash, res(before, 'once').hash, 'ApplyOnce keeps the hash of the first apply');
      assert.equal(res(after, 'once').lastAppliedTime, res(before, 'once').lastAppliedTime);
      assert.notEqual(res(after, 'sync').hash, res(before, 'sync').hash);
      assert.equal(res(after, 'sync').hash, `sha256:${createHash('sha256').update(cloudConfig('rotated')).digest('hex')}`);
      assert.match(confOf('b'), /"rotated"/);
      assert.match(confOf('b', 'cloud-config-once'), /"first"/);
    });

    it('a ConfigMap resource is applied and hashed undecoded; a value under 32 bytes is recorded as not applied', async () => {
      const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-crs\n  namespace: default\ndata:\n  k: v\n';
      em.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm-resource', namespace: NS }, data: { 'cm.yaml': cm } });
      assert.equal((await applyJson(crs('cm', 'cm-resource', 'Reconcile', 'ConfigMap'))).code, 0);
      em.put({ ...resourceSecret('tiny-secret', 'x'), data: { tiny: b64('kind: Namespace') } });
      assert.equal((await applyJson(crs('tiny', 'tiny-secret', 'Reconcile'))).code, 0);
      await reconcile();
      assert.equal(em.workloads.get(`${NS}/a`)?.get('v1', 'ConfigMap', 'default', 'from-crs')?.data.k, 'v');
      const entries = Object.fromEntries(binding('a')?.spec.bindings.map((x: KubeObject) => [x.clusterResourceSetName, x.resources[0]]));
      assert.equal(entries.cm.hash, `sha256:${createHash('sha256').update(cm).digest('hex')}`);
      assert.equal(entries.tiny.applied, false);
      assert.equal(entries.tiny.hash, undefined);
    });

    it('a Secret of another type is WrongSecretType; a cluster without a connection is RemoteClusterClientFailed', async () => {
      em.put({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'plain', namespace: NS }, type: 'Opaque', data: { x: b64('y') } });
      assert.equal((await applyJson(crs('wrong', 'plain', 'Reconcile'))).code, 0);
      em.put({
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        kind: 'Cluster',
        metadata: { name: 'new', namespace: NS, labels: { 'crs-fresh': 'yes' } },
        spec: {},
      });
      em.put(resourceSecret('fresh-secret', 'v'));
      assert.equal((await applyJson(crs('fresh', 'fresh-secret', 'Reconcile'))).code, 0);
      await reconcile();
      const wrong = em.get(ADDONS, 'ClusterResourceSet', NS, 'wrong');
      assert.deepEqual(
        wrong?.status.conditions.find((c: KubeObject) => c.type === 'ResourcesApplied'),
        {
          ...wrong?.status.conditions.find((c: KubeObject) => c.type === 'ResourcesApplied'),
          status: 'False',
          reason: 'WrongSecretType',
          message: 'Secret type of resource plain is not supported',
        },
      );
      const fresh = em.get(ADDONS, 'ClusterResourceSet', NS, 'fresh');
      const v1b1 = fresh?.status.deprecated.v1beta1.conditions[0];
      assert.deepEqual(
        [v1b1.reason, v1b1.severity, v1b1.message],
        ['RemoteClusterClientFailed', 'Error', 'error getting client: connection to the workload cluster is down'],
      );
      assert.equal(fresh?.status.conditions.find((c: KubeObject) => c.type === 'ResourcesApplied').reason, 'InternalError');
      assert.equal(fresh?.status.observedGeneration, undefined, 'a failed reconcile does not observe the generation');
      // The binding exists with the CRS's entry and no resources (`resources` is omitempty upstream).
      assert.deepEqual(binding('new')?.spec.bindings, [{ clusterResourceSetName: 'fresh' }]);
    });

    it('deleting a CRS removes it from the bindings (and the empty ones), the GC takes its resources; a deleted Cluster loses its binding', async () => {
      assert.equal((await k(['delete', 'clusterresourceset', 'cm', '-n', NS, '--wait=false'])).code, 0);
      assert.ok(em.get(ADDONS, 'ClusterResourceSet', NS, 'cm')?.metadata.deletionTimestamp, 'the finalizer holds it');
      await reconcile();
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(em.get(ADDONS, 'ClusterResourceSet', NS, 'cm'), undefined);
      assert.ok(!binding('a')?.spec.bindings.some((x: KubeObject) => x.clusterResourceSetName === 'cm'));
      assert.ok(!binding('a')?.metadata.ownerReferences.some((o: KubeObject) => o.name === 'cm'));
      assert.equal(em.get('v1', 'ConfigMap', NS, 'cm-resource'), undefined, 'owned only by the CRS: garbage-collected');
      em.delete('cluster.x-k8s.io/v1beta2', 'Cluster', NS, 'new');
      await reconcile();
      assert.equal(binding('new'), undefined);
    });
  });
});

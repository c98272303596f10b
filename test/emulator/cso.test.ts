// The cluster-stack operator model (csoController.ts) and its webhooks (admission.ts) against the emulator:
// ClusterStack validation as clusterstack_webhook.go answers (through kubectl), the provider flow of the SCS
// quickstart stack (a CSPO template → OpenStackClusterStackRelease), custom-channel names in dash and dot
// form, the retrying release, cleanup that keeps releases in use, and deletion.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { CsoModel } from './csoController';
import { FIXTURES_DIR, loadYamlObjects } from './fixtures';
import { call, kubectl } from './helpers';
import { startEmulator, type Emulator, type KubeObject } from './index';

const CSO = 'clusterstack.x-k8s.io/v1alpha1';
const NS = 'my-tenant';

const stack = (name: string, spec: KubeObject): KubeObject => ({
  apiVersion: CSO,
  kind: 'ClusterStack',
  metadata: { name, namespace: NS },
  spec,
});
/** An scs2 stack without provider, as csctl writes it for the SCS OpenStack stacks. */
const scs2 = (name: string, kubernetesVersion: string, versions: string[], channel = 'stable'): KubeObject =>
  stack(name, { provider: 'openstack', name: 'scs2', kubernetesVersion, channel, noProvider: true, versions });

describe('emulator: cluster-stack operator model and webhooks', function () {
  this.timeout(90_000);
  let em: Emulator;
  const k = (args: string[], input?: string) => kubectl(em.kubeconfigPath, args, input);
  const passes = async (model: CsoModel, n: number) => {
    for (let i = 0; i < n; i++) await model.reconcileOnce();
  };
  const apply = async (obj: KubeObject) => assert.equal((await k(['apply', '-f', '-'], JSON.stringify(obj))).code, 0);
  const csr = (name: string) => em.get(CSO, 'ClusterStackRelease', NS, name);
  const cs = (name: string) => em.get(CSO, 'ClusterStack', NS, name);

  before(async () => {
    em = await startEmulator({ name: 'cso', seed: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }] });
  });
  after(async () => em.stop());

  describe('webhook (cluster-stack-operator api/v1alpha1/clusterstack_webhook.go)', () => {
    it('create: versions must parse and a providerRef is needed unless noProvider', async () => {
      const r = await k(
        ['apply', '-f', '-'],
        JSON.stringify(stack('bad', { provider: 'openstack', name: 'scs2', kubernetesVersion: '1.33', versions: ['v1', 'v2.1'] })),
      );
      assert.notEqual(r.code, 0);
      assert.match(
        r.stderr,
        /The ClusterStack "bad" is invalid: \n?\* ?spec.versions: Invalid value: \[\]string\{"v1", "v2.1"\}: invalid version: invalid version string v2.1/,
      );
      assert.match(r.stderr, /spec.providerRef: Invalid value: "null": empty provider ref, even though noProvider mode is turned off/);
      const raw = await call(
        em,
        'POST',
        `/apis/${CSO}/namespaces/${NS}/clusterstacks`,
        stack('bad', { provider: 'openstack', name: 'scs2', kubernetesVersion: '1.33' }),
      );
      assert.equal(raw.status, 422);
      assert.equal(
        raw.json().message,
        'admission webhook "validation.clusterstack.clusterstack.x-k8s.io" denied the request: ClusterStack.clusterstack.x-k8s.io "bad" is invalid: spec.providerRef: Invalid value: "null": empty provider ref, even though noProvider mode is turned off',
      );
    });

    it('update: only provider, name, channel and kubernetesVersion are checked (immutable); versions may change freely', async () => {
      const ok = stack('imm', {
        provider: 'openstack',
        name: 'scs2',
        kubernetesVersion: '1.33',
        channel: 'stable',
        noProvider: true,
        versions: ['v1'],
      });
      assert.equal((await k(['apply', '-f', '-'], JSON.stringify(ok))).code, 0);
      // A version the create rules would refuse passes on update: the webhook checks only immutability there.
      assert.equal(
        (await k(['patch', 'clusterstack', 'imm', '-n', NS, '--type=merge', '-p', '{"spec":{"versions":["v1","bogus"]}}'])).code,
        0,
      );
      const r = await k([
        'patch',
        'clusterstack',
        'imm',
        '-n',
        NS,
        '--type=merge',
        '-p',
        '{"spec":{"kubernetesVersion":"1.34","name":"scs"}}',
      ]);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /spec.name: Invalid value: "scs": field is immutable/);
      assert.match(r.stderr, /spec.kubernetesVersion: Invalid value: "1.34": field is immutable/);
      assert.equal((await k(['delete', 'clusterstack', 'imm', '-n', NS])).code, 0);
    });

    it('delete: refused while a Cluster uses a class of the stack', async () => {
      await apply(scs2('used', '1.33', ['v1']));
      em.put({
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        kind: 'Cluster',
        metadata: { name: 'user', namespace: NS },
        spec: { topology: { classRef: { name: 'openstack-scs2-1-33-v1' }, version: 'v1.33.4' } },
      });
      // The storage checks the preconditions before it calls the validating webhooks
      // (kubernetes/apiserver@24a394e5 pkg/storage/etcd3/store.go:391 then registry/store.go:1127).
      const stale = await call(em, 'DELETE', `/apis/${CSO}/namespaces/${NS}/clusterstacks/used`, {
        apiVersion: 'v1',
        kind: 'DeleteOptions',
        preconditions: { uid: '00000000-0000-0000-0000-000000000000' },
      });
      assert.equal(stale.status, 409, stale.text);
      assert.equal(stale.json().reason, 'Conflict');
      const r = await k(['delete', 'clusterstack', 'used', '-n', NS]);
      assert.notEqual(r.code, 0);
      assert.match(
        r.stderr,
        /admission webhook "validation.clusterstack.clusterstack.x-k8s.io" denied the request: can't delete ClusterStack as there are clusters using it: \["user"\]/,
      );
      em.delete('cluster.x-k8s.io/v1beta2', 'Cluster', NS, 'user');
      assert.equal((await k(['delete', 'clusterstack', 'used', '-n', NS])).code, 0);
    });
  });

  describe('controller model (internal/controller/clusterstack*_controller.go)', () => {
    it('the quickstart stack with the CSPO template: provider object, providerRef.kind without "Template", release ready, class without owner', async () => {
      for (const { object } of loadYamlObjects(join(FIXTURES_DIR, 'clusterstack', 'quickstart-clusterstack-with-cspo-template-spec.yaml')))
        await apply(object);
      const model = new CsoModel(em, { providerReadyAfter: 2 });
      await passes(model, 1);
      const name = 'openstack-scs-1-29-v1';
      assert.deepEqual(csr(name)?.spec.providerRef, {
        apiVersion: 'infrastructure.clusterstack.x-k8s.io/v1alpha1',
        kind: 'OpenStackClusterStackRelease',
        name,
        namespace: NS,
      });
      const provider = em.get('infrastructure.clusterstack.x-k8s.io/v1alpha1', 'OpenStackClusterStackRelease', NS, name);
      assert.deepEqual(provider?.spec, { identityRef: { kind: 'Secret', name: 'openstack' } });
      await passes(model, 1);
      assert.equal(
        csr(name)?.status.conditions.find((c: KubeObject) => c.type === 'ProviderClusterStackReleaseReady')?.reason,
        'ProcessOngoing',
      );
      assert.equal(cs('clusterstack')?.status.summary[0].phase, 'provider-specific work');
      await passes(model, 2);
      assert.equal(csr(name)?.status.ready, true);
      const owners = em.get('infrastructure.clusterstack.x-k8s.io/v1alpha1', 'OpenStackClusterStackRelease', NS, name)?.metadata
        .ownerReferences;
      assert.deepEqual(
        owners.map((o: KubeObject) => [o.kind, o.name, o.controller]),
        [['ClusterStackRelease', name, true]],
      );
      const cc = em.get('cluster.x-k8s.io/v1beta1', 'ClusterClass', NS, name);
      assert.equal(cc?.metadata.ownerReferences, undefined, 'CSO applies classes with server-side apply, no owner');
      assert.equal(cc?.metadata.labels['clusterstack.x-k8s.io/instance'], 'owned');
      assert.ok(cc?.metadata.managedFields.some((m: KubeObject) => m.manager === 'kubectl' && m.operation === 'Apply'));
      const status = cs('clusterstack')?.status;
      assert.equal(status.latestRelease, `${name} | v1.29.6`);
      assert.deepEqual(
        status.conditions.map((c: KubeObject) => [c.type, c.status]),
        [
          ['Ready', 'True'],
          ['ClusterStackReleaseAvailable', 'True'],
          ['ClusterStackReleasesSynced', 'True'],
          ['ProviderClusterStackReleasesSynced', 'True'],
        ],
      );
      await model.stop();
    });

    it('custom channel: release in dash form, summary name in dash form, latestRelease and usableVersions in dot form', async () => {
      await apply(scs2('custom', '1.33', ['v0-sha.abc1234'], 'custom'));
      const model = new CsoModel(em);
      await passes(model, 3);
      const name = 'openstack-scs2-1-33-v0-sha-abc1234';
      assert.equal(csr(name)?.status.ready, true);
      const status = cs('custom')?.status;
      assert.deepEqual(status.summary, [{ name: 'v0-sha-abc1234', ready: true, phase: 'done' }]);
      assert.equal(status.latestRelease, 'openstack-scs2-1-33-v0-sha.abc1234 | v1.33.4');
      assert.equal(status.usableVersions, 'v0-sha.abc1234');
      assert.ok(
        em.get('cluster.x-k8s.io/v1beta1', 'ClusterClass', NS, 'openstack-scs2-1-33-v0-sha.abc1234'),
        'the class carries the chart version (dot form)',
      );
      await model.stop();
    });

    it('a retrying release: HelmChartApplied False ObjectsApplyingOngoing (Warning) with the failed object, then ready', async () => {
      await apply(scs2('retry', '1.34', ['v3']));
      const model = new CsoModel(em, { applyFailures: 2 });
      await passes(model, 2);
      const name = 'openstack-scs2-1-34-v3';
      const applied = csr(name)?.status.conditions.find((c: KubeObject) => c.type === 'HelmChartApplied');
      assert.deepEqual(
        [applied.status, applied.reason, applied.severity, applied.message],
        ['False', 'ObjectsApplyingOngoing', 'Warning', 'failed to successfully apply everything'],
      );
      const ready = csr(name)?.status.conditions.find((c: KubeObject) => c.type === 'Ready');
      assert.deepEqual([ready.status, ready.reason, ready.severity], ['False', 'ObjectsApplyingOngoing', 'Warning']);
      assert.equal(csr(name)?.status.resources[0].status, 'not-synced');
      assert.match(csr(name)?.status.resources[0].error, /^failed to apply object: /);
      assert.deepEqual(cs('retry')?.status.summary, [
        { name: 'v3', ready: false, phase: 'applying objects', message: 'ObjectsApplyingOngoing' },
      ]);
      await passes(model, 2);
      assert.equal(csr(name)?.status.ready, true);
      assert.equal(csr(name)?.status.resources[0].status, 'synced');
      await model.stop();
    });

    it('cleanup keeps a release a Cluster uses; the release webhook refuses its deletion; the GC takes the rest with the stack', async () => {
      await apply(scs2('keep', '1.32', ['v1', 'v2']));
      const model = new CsoModel(em);
      await passes(model, 3);
      em.put({
        apiVersion: 'cluster.x-k8s.io/v1beta1',
        kind: 'Cluster',
        metadata: { name: 'old', namespace: NS },
        spec: { topology: { class: 'openstack-scs2-1-32-v1', version: 'v1.32.5' } },
      });
      assert.equal((await k(['patch', 'clusterstack', 'keep', '-n', NS, '--type=merge', '-p', '{"spec":{"versions":["v2"]}}'])).code, 0);
      await passes(model, 2);
      assert.ok(csr('openstack-scs2-1-32-v1'), 'in use: kept');
      assert.deepEqual(
        cs('keep')?.status.summary.map((x: KubeObject) => x.name),
        ['v1', 'v2'],
      );
      const del = await k(['delete', 'clusterstackrelease', 'openstack-scs2-1-32-v1', '-n', NS]);
      assert.notEqual(del.code, 0);
      assert.match(del.stderr, /can't delete ClusterStackRelease as there are clusters using it: \["old"\]/);
      em.delete('cluster.x-k8s.io/v1beta1', 'Cluster', NS, 'old');
      await passes(model, 2);
      assert.equal(csr('openstack-scs2-1-32-v1'), undefined, 'no longer used and not the latest ready: deleted');
      assert.equal(em.get('cluster.x-k8s.io/v1beta1', 'ClusterClass', NS, 'openstack-scs2-1-32-v1'), undefined, 'its class went with it');
      assert.equal((await k(['delete', 'clusterstack', 'keep', '-n', NS])).code, 0);
      await new Promise((r) => setTimeout(r, 50));
      await passes(model, 2);
      assert.equal(csr('openstack-scs2-1-32-v2'), undefined, 'garbage-collected with its stack, then its finalizer went');
      assert.equal(em.get('cluster.x-k8s.io/v1beta1', 'ClusterClass', NS, 'openstack-scs2-1-32-v2'), undefined);
      await model.stop();
    });
  });
});

// Rotation delivery through the tenant's ClusterResourceSet (src/core/capi/resourceSetDelivery.ts):
// the hash Cluster API records in a binding (resourceSetHash, src/core/manifests/propagation.ts) (kubernetes-sigs/cluster-api@ae7ff047
// core/reconcilers/clusterresourceset/clusterresourceset_helpers.go:166-215), checked against Python's
// hashlib and base64 reading the same Secret (an implementation independent of ours); which clusters
// the set carries and which get the push; and the wait decision on what the bindings record.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { APPLY_ONCE_REASON, deliveryPlan, explainPending, waitStep } from '../../../../src/core/capi/resourceSetDelivery';
import { resourceSet, cloudConfigSecret } from '../../../../src/core/manifests/credentials';
import { resourceSetHash } from '../../../../src/core/manifests/propagation';

/** computeHash(normalizeData(secret)) as Python computes it: sorted keys, values base64-decoded, sha256 over the concatenation. */
function pythonHash(data: Record<string, string>): string {
  const script = [
    'import base64, hashlib, json, sys',
    'r = json.load(sys.stdin)',
    'h = hashlib.sha256()',
    'for k in sorted(r["data"]):',
    '    h.update(base64.b64decode(r["data"][k], validate=True))',
    'print("sha256:" + h.hexdigest())',
  ].join('\n');
  return execFileSync('python3', ['-c', script], { input: JSON.stringify({ data }), encoding: 'utf8' }).trim();
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const RESOURCE = { kind: 'Secret' as const, name: 'prod-workload-cluster-secret' };

describe('core/capi/resourceSetDelivery', () => {
  describe('resourceSetHash (the hash the ClusterResourceSet controller records)', () => {
    it('equals Python’s sha256 over the decoded values in sorted key order, for the resource-set Secret a rotation writes', () => {
      const workload = cloudConfigSecret({
        text: '[Global]\nauth-url="https://keystone:5000/v3"\napplication-credential-id="abc"\napplication-credential-secret="s;#\\"é"\n',
      });
      const [wrapper] = resourceSet({ namespace: 't', style: 'cloud-config', cloudName: 'prod', workload });
      const data = wrapper.data as Record<string, string>;
      assert.equal(resourceSetHash(data), pythonHash(data));
    });

    it('several keys: ordered by key (bytes, upper case first), not by insertion', () => {
      const data = { zeta: b64('last document\n'), Alpha: b64('upper case sorts first\n'), beta: b64('ünïcode välue\n') };
      const h = resourceSetHash(data);
      assert.equal(h, pythonHash(data));
      assert.equal(h, resourceSetHash({ beta: data.beta, Alpha: data.Alpha, zeta: data.zeta }));
    });

    it('changes with the credential; a Secret without data hashes the empty input', () => {
      const a = resourceSetHash({ k: b64('application-credential-id="one"') });
      const b = resourceSetHash({ k: b64('application-credential-id="two"') });
      assert.notEqual(a, b);
      assert.equal(resourceSetHash({}), pythonHash({}));
      assert.match(a, /^sha256:[0-9a-f]{64}$/);
    });
  });

  describe('deliveryPlan', () => {
    const crs = (strategy: string | undefined, over: Record<string, unknown> = {}) => ({
      apiVersion: 'addons.cluster.x-k8s.io/v1beta1',
      kind: 'ClusterResourceSet',
      metadata: { name: 'crs-prod-secret', namespace: 't' },
      spec: {
        ...(strategy ? { strategy } : {}),
        clusterSelector: { matchLabels: { 'managed-secret': 'cloud-config' } },
        resources: [{ name: RESOURCE.name, kind: 'Secret' }],
        ...over,
      },
    });
    const clusterObjects: { name: string; labels: Record<string, string> }[] = [
      { name: 'a', labels: { 'managed-secret': 'cloud-config' } },
      { name: 'b', labels: { 'managed-secret': 'cloud-config' } },
      { name: 'c', labels: {} },
    ];
    const clusters = ['a', 'b', 'c'];

    it('no ClusterResourceSet: the direct push to every cluster', () => {
      assert.deepEqual(deliveryPlan({ crs: undefined, resource: RESOURCE, clusters, clusterObjects }), { mode: 'push', push: clusters });
    });

    it('Reconcile: the set carries the clusters it selects, the others get the push', () => {
      assert.deepEqual(deliveryPlan({ crs: crs('Reconcile'), resource: RESOURCE, clusters, clusterObjects }), {
        mode: 'resource-set',
        crs: 'crs-prod-secret',
        resource: RESOURCE,
        viaSet: ['a', 'b'],
        push: ['c'],
      });
    });

    it('ApplyOnce (or no strategy, which the webhook defaults to ApplyOnce): refused with the reason; the push instead still rewrites the Secret', () => {
      for (const strategy of ['ApplyOnce', undefined]) {
        const p = deliveryPlan({ crs: crs(strategy), resource: RESOURCE, clusters, clusterObjects });
        assert.equal(p.mode, 'refused');
        if (p.mode !== 'refused') return;
        assert.ok(p.message.includes(APPLY_ONCE_REASON), p.message);
        assert.match(
          p.message,
          /^ClusterResourceSet t\/crs-prod-secret delivers the credentials with strategy ApplyOnce \(it selects 2 of the 3 clusters\)\. Under ApplyOnce a rotation never reaches existing clusters/,
        );
        assert.deepEqual(p.pushInstead, { mode: 'push', push: clusters, wrapper: { crs: 'crs-prod-secret', resource: RESOURCE } });
      }
    });

    it('a set that selects none of the clusters, or does not list the Secret: the push (rewriting the Secret only when listed)', () => {
      const none = clusterObjects.map((c) => ({ ...c, labels: {} }));
      assert.deepEqual(deliveryPlan({ crs: crs('ApplyOnce'), resource: RESOURCE, clusters, clusterObjects: none }), {
        mode: 'push',
        push: clusters,
        wrapper: { crs: 'crs-prod-secret', resource: RESOURCE },
      });
      const other = crs('Reconcile', { resources: [{ name: 'something-else', kind: 'Secret' }] });
      assert.deepEqual(deliveryPlan({ crs: other, resource: RESOURCE, clusters, clusterObjects }), { mode: 'push', push: clusters });
      // An empty selector selects nothing (clusterresourceset_controller.go:272).
      const empty = crs('Reconcile', { clusterSelector: {} });
      assert.equal(deliveryPlan({ crs: empty, resource: RESOURCE, clusters, clusterObjects }).mode, 'push');
    });
  });

  describe('waitStep (what the bindings say while waiting)', () => {
    const NEW = 'sha256:' + 'b'.repeat(64);
    const OLD = 'sha256:' + 'a'.repeat(64);
    const CRS = {
      apiVersion: 'addons.cluster.x-k8s.io/v1beta2',
      kind: 'ClusterResourceSet',
      metadata: { name: 'crs-prod-secret', namespace: 't' },
      spec: { strategy: 'Reconcile', clusterSelector: { matchLabels: { 'managed-secret': 'cloud-config' } }, resources: [RESOURCE] },
    };
    const selected = (name: string) => ({ name, labels: { 'managed-secret': 'cloud-config' } });
    const binding = (cluster: string, resources: unknown[] | undefined, crsName = 'crs-prod-secret') => ({
      apiVersion: 'addons.cluster.x-k8s.io/v1beta2',
      kind: 'ClusterResourceSetBinding',
      metadata: { name: cluster, namespace: 't' },
      spec: { clusterName: cluster, bindings: [{ clusterResourceSetName: crsName, ...(resources ? { resources } : {}) }] },
    });
    const applied = (hash: string, ok = true) => [{ name: RESOURCE.name, kind: 'Secret', applied: ok, ...(hash ? { hash } : {}) }];
    const step = (clusters: { name: string; labels: Record<string, string> }[], bindings: unknown[], now = 0, deadline = 1) =>
      waitStep({ crs: CRS, resource: RESOURCE, hash: NEW, clusters, bindings: bindings as never, now, deadline });

    it('delivered only when the binding records the resource applied with the new hash; each other case says why', () => {
      const clusters = ['new', 'old', 'failed', 'other-set', 'missing'].map(selected);
      const w = step(clusters, [
        binding('new', applied(NEW)),
        binding('old', applied(OLD)),
        binding('failed', applied('', false)),
        binding('other-set', applied(NEW), 'another-crs'),
      ]);
      assert.deepEqual(w.delivered, ['new']);
      assert.deepEqual(w.pending, [
        { cluster: 'old', reason: 'its binding still records the hash of the old content' },
        { cluster: 'failed', reason: 'the controller recorded applied: false (it retries)' },
        { cluster: 'other-set', reason: 'its binding has no entry for the Secret yet' },
        { cluster: 'missing', reason: 'its binding has no entry for the Secret yet' },
      ]);
      // A label removed while waiting: the set no longer delivers to it.
      assert.deepEqual(step([{ name: 'new', labels: {} }], [binding('new', applied(NEW))]).pending, [
        { cluster: 'new', reason: 'the ClusterResourceSet no longer selects it' },
      ]);
    });

    it('the decision: wait while some are pending before the deadline, timeout after it, done when all are delivered', () => {
      const clusters = [selected('a'), selected('b')];
      const some = [binding('a', applied(NEW)), binding('b', applied(OLD))];
      const all = [binding('a', applied(NEW)), binding('b', applied(NEW))];
      const w = step(clusters, some, 10, 20);
      assert.equal(w.decision, 'wait');
      assert.deepEqual(w.delivered, ['a']);
      assert.equal(step(clusters, some, 20, 20).decision, 'timeout');
      const done = step(clusters, all, 99, 20);
      assert.deepEqual([done.decision, done.delivered, done.pending], ['done', ['a', 'b'], []]);
    });

    it('a timeout names the set’s own ResourcesApplied=False message', () => {
      const crs = {
        apiVersion: 'addons.cluster.x-k8s.io/v1beta2',
        metadata: { name: 'crs-prod-secret' },
        status: {
          conditions: [
            {
              type: 'ResourcesApplied',
              status: 'False',
              reason: 'NotApplied',
              message: 'Failed to apply ClusterResourceSet resources to Cluster',
            },
          ],
        },
      };
      const pending = [{ cluster: 'b', reason: 'its binding has no entry for the Secret yet' }];
      assert.deepEqual(explainPending(pending, crs), [
        {
          cluster: 'b',
          reason: 'its binding has no entry for the Secret yet; crs-prod-secret: Failed to apply ClusterResourceSet resources to Cluster',
        },
      ]);
      assert.deepEqual(explainPending(pending, { metadata: { name: 'x' }, status: {} }), pending);
    });
  });
});

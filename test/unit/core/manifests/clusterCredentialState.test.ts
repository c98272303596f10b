import * as assert from 'node:assert/strict';
import { clusterIdentity } from '../../../../src/core/capi/identity';
import { summarizeSecret } from '../../../../src/core/capi/tenants';
import type { KubeObject } from '../../../../src/core/capi/types';
import { credentialNodeView, resourceSetRows } from '../../../../src/core/manifests/clusterCredentialState';
import { b64, cloudConfigSecret, resourceSet } from '../../../../src/core/manifests/credentials';
import { crsPropagation, resourceSetHash } from '../../../../src/core/manifests/propagation';

const NS = 'my-tenant';
const SECRET = 'Sup3r-S3cret-Value!';
const [wrapper, crs] = resourceSet({
  namespace: NS,
  style: 'cloud-config',
  cloudName: 'openstack',
  workload: cloudConfigSecret({ text: `[Global]\npassword="${SECRET}"\n` }),
});
const crsObj = crs as unknown as KubeObject;
const summary = summarizeSecret(wrapper as unknown as KubeObject & { data: Record<string, string> });
const current = resourceSetHash(wrapper.data);
const cluster = (name: string, labels: Record<string, string> = { 'managed-secret': 'cloud-config' }): KubeObject => ({
  apiVersion: 'cluster.x-k8s.io/v1beta1',
  kind: 'Cluster',
  metadata: { name, namespace: NS, labels },
});
const binding = (name: string, hash: string, applied = true): KubeObject => ({
  apiVersion: 'addons.cluster.x-k8s.io/v1beta1',
  kind: 'ClusterResourceSetBinding',
  metadata: { name, namespace: NS },
  spec: {
    clusterName: name,
    bindings: [
      {
        clusterResourceSetName: crs.metadata.name,
        resources: [{ kind: 'Secret', name: wrapper.metadata.name, applied, hash, lastAppliedTime: '2026-01-02T03:04:05Z' }],
      },
    ],
  },
});
const view = (c: KubeObject, bindings: KubeObject[], extra: Partial<Parameters<typeof credentialNodeView>[0]> = {}) =>
  credentialNodeView({ cluster: c, resourceSets: [crsObj], bindings, secrets: [summary], ...extra });

describe('credential state of a cluster in the explorer tree', () => {
  it('the cache keeps only the resource-set hash of a resource-set Secret, never a value', () => {
    assert.equal(summary.resourceSetHash, current);
    assert.deepEqual(summary.keys, Object.keys(wrapper.data).sort());
    const text = JSON.stringify(summary);
    assert.ok(!text.includes(SECRET) && !text.includes(b64(SECRET)) && !text.includes(Object.values(wrapper.data)[0]));
    assert.equal(
      summarizeSecret({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' }, type: 'Opaque', data: { a: b64('1') } }).resourceSetHash,
      undefined,
    );
  });

  it('crsPropagation takes the summary hash as it takes the full Secret', () => {
    const clusters = [{ name: 'a', labels: { 'managed-secret': 'cloud-config' } }];
    const bindings = [binding('a', current)];
    assert.deepEqual(
      crsPropagation({ crs, resourceSecret: summary, clusters, bindings }),
      crsPropagation({ crs, resourceSecret: wrapper, clusters, bindings }),
    );
    assert.equal(crsPropagation({ crs, resourceSecret: summary, clusters, bindings })[0].state, 'current');
  });

  it('in sync when the binding hash is current, with lastAppliedTime in description and tooltip', () => {
    const v = view(cluster('a'), [binding('a', current)]);
    assert.equal(v.state, 'in-sync');
    assert.equal(v.label, 'Cloud credentials: in sync');
    assert.equal(v.description, `${crs.metadata.name}: current 2026-01-02T03:04:05Z`);
    assert.match(
      v.tooltip,
      new RegExp(
        `ClusterResourceSet ${crs.metadata.name}, Secret ${wrapper.metadata.name}: applied hash current, last applied 2026-01-02T03:04:05Z`,
      ),
    );
  });

  it('stale after a rotation the controller has not applied, failed when it recorded applied=false, pending without a binding', () => {
    assert.equal(view(cluster('a'), [binding('a', 'sha256:older')]).state, 'stale');
    assert.match(view(cluster('a'), [binding('a', 'sha256:older')]).tooltip, /applied hash stale/);
    assert.equal(view(cluster('a'), [binding('a', current, false)]).state, 'failed');
    const p = view(cluster('a'), []);
    assert.deepEqual([p.state, p.label], ['pending', 'Cloud credentials: pending']);
  });

  it('rows need the resource Secret: without its hash nothing is compared and the binding state shows', () => {
    assert.deepEqual(resourceSetRows(cluster('a'), [crsObj], [binding('a', current)], []), []);
    const v = credentialNodeView({
      cluster: cluster('a'),
      resourceSets: [crsObj],
      bindings: [binding('a', 'sha256:whatever')],
      secrets: [],
    });
    assert.deepEqual([v.state, v.label], ['applied', 'Cloud credentials: applied']);
    assert.deepEqual(resourceSetRows(cluster('a', {}), [crsObj], [], [summary]), [], 'a cluster the CRS does not select has no rows');
  });

  it('a drift check result wins over propagation and is labelled with describeDrift text', () => {
    const d = view(cluster('a'), [binding('a', current)], {
      drift: { state: 'drifted', description: 'drifted: cloud.conf changed', checkedAt: '2026-02-01T00:00:00Z' },
    });
    assert.deepEqual([d.state, d.label], ['drifted', 'Cloud credentials: drifted: cloud.conf changed']);
    assert.match(d.tooltip, /^Drift check 2026-02-01T00:00:00Z: drifted: cloud.conf changed\n/);
    assert.equal(
      view(cluster('a'), [], { drift: { state: 'missing', description: 'missing', checkedAt: 't' } }).label,
      'Cloud credentials: missing',
    );
    const u = view(cluster('a'), [], { drift: { reason: 'Cannot reach https://127.0.0.1:1 (ECONNREFUSED)', checkedAt: 't' } });
    assert.deepEqual([u.state, u.label], ['unknown', 'Cloud credentials: unknown']);
    assert.match(u.tooltip, /ECONNREFUSED/);
  });

  it('without a ClusterResourceSet: the binding state, and the last direct push', () => {
    const none = credentialNodeView({
      cluster: cluster('a', {}),
      resourceSets: [],
      bindings: [],
      secrets: [],
      push: { outcome: 'updated' },
    });
    assert.deepEqual([none.state, none.description], ['none', 'last push: updated']);
    assert.match(none.tooltip, /Last direct push: updated/);
    const failed = credentialNodeView({
      cluster: cluster('a', {}),
      resourceSets: [],
      bindings: [],
      secrets: [],
      push: { outcome: 'failed', reason: 'Cannot reach x' },
    });
    assert.equal(failed.state, 'failed');
    assert.equal(
      credentialNodeView({ cluster: cluster('a'), resourceSets: [], bindings: [], secrets: [] }).label,
      'Cloud credentials: no ClusterResourceSet',
    );
  });

  describe("the cluster's CAPO identity (identity.ts, cluster-api-provider-openstack@e52de58 pkg/scope/provider.go:85-117)", () => {
    const identity = (allowedNs: string[]): KubeObject => ({
      apiVersion: 'infrastructure.cluster.x-k8s.io/v1alpha1',
      kind: 'OpenStackClusterIdentity',
      metadata: { name: 'shared' },
      spec: {
        secretRef: { name: 'openstack-credentials', namespace: 'capo-system' },
        namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: allowedNs }] },
      },
    });
    const withInfra = (c: KubeObject): KubeObject => ({ ...c, spec: { infrastructureRef: { kind: 'OpenStackCluster', name: 'a-infra' } } });
    const infra: KubeObject = {
      apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
      kind: 'OpenStackCluster',
      metadata: { name: 'a-infra', namespace: NS },
      spec: { identityRef: { type: 'ClusterIdentity', name: 'shared', cloudName: 'prod' } },
    };
    const nsObj: KubeObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: NS, labels: { 'kubernetes.io/metadata.name': NS } },
    };
    const idOf = (allowed: string[]) =>
      clusterIdentity({
        cluster: withInfra(cluster('a')),
        infraClusters: [infra],
        clusterIdentities: [identity(allowed)],
        namespaces: [nsObj],
      });

    it('an admitted ClusterIdentity: its Secret and cloud are the credential source, in the description and the tooltip', () => {
      const v = view(withInfra(cluster('a')), [binding('a', current)], { identity: idOf([NS]) });
      assert.deepEqual([v.state, v.label], ['in-sync', 'Cloud credentials: in sync']);
      assert.match(v.description ?? '', /^from capo-system\/openstack-credentials \(cloud prod\) · /);
      assert.match(
        v.tooltip,
        /\nCredential source: OpenStackClusterIdentity shared → Secret capo-system\/openstack-credentials, cloud "prod" \(OpenStackCluster my-tenant\/a-infra spec\.identityRef\)\n/,
      );
    });

    it("a ClusterIdentity whose namespaceSelector does not admit the namespace is refused, with CAPO's reason, over every other state", () => {
      const v = view(withInfra(cluster('a')), [binding('a', current)], {
        identity: idOf(['other']),
        drift: { state: 'in-sync', description: 'in sync', checkedAt: 't' },
      });
      assert.deepEqual([v.state, v.label], ['refused', 'Cloud credentials: refused by CAPO']);
      assert.equal(v.description, 'namespace my-tenant not allowed to use cluster identity shared');
      assert.match(
        v.tooltip,
        /^Refused: OpenStackCluster my-tenant\/a-infra spec\.identityRef: namespace my-tenant not allowed to use cluster identity shared\nCredential source: OpenStackClusterIdentity shared → Secret capo-system\/openstack-credentials/,
      );
    });

    it('a ClusterIdentity that cannot be read is unresolved (not "refused by CAPO"), and says what is unknown', () => {
      const id = clusterIdentity({ cluster: withInfra(cluster('a')), infraClusters: [infra], clusterIdentities: [], namespaces: [nsObj] });
      const v = view(withInfra(cluster('a')), [binding('a', current)], { identity: id });
      assert.deepEqual([v.state, v.label], ['unknown', 'Cloud credentials: identity unresolved']);
      assert.equal(v.description, 'OpenStackClusterIdentity shared was not found (or cannot be read): the Secret it names is unknown');
    });

    it('a tenant Secret identity keeps the description and adds the source line to the tooltip', () => {
      const id = clusterIdentity({ cluster: cluster('a') });
      const v = view(cluster('a'), [binding('a', current)], { identity: id });
      assert.match(v.description ?? '', /^crs-/);
      assert.match(
        v.tooltip,
        /\nCredential source: Secret my-tenant\/openstack, cloud "openstack" \(the ClusterClass defaults of Cluster my-tenant\/a\)\n/,
      );
    });
  });
});

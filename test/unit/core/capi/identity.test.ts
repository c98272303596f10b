/**
 * Which secret, cloud and region a cluster's credentials come from, as CAPO resolves identityRef
 * (kubernetes-sigs/cluster-api-provider-openstack@e52de58 pkg/scope/provider.go:85-137), on fixtures/states/capo-cluster-identity.yaml
 * (the CAPO docs' OpenStackClusterIdentity example) and the SCS ClusterClasses' variables.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { clusterIdentity, credentialTarget, identityRefusal, identitySourceText } from '../../../../src/core/capi/identity';
import type { KubeObject } from '../../../../src/core/capi/types';

type IdentityInputLike = Parameters<typeof clusterIdentity>[0];

const FIXTURES = path.resolve(__dirname, '../../../fixtures');
const load = (rel: string) => yaml.loadAll(fs.readFileSync(path.join(FIXTURES, rel), 'utf8')) as KubeObject[];
const all = load('states/capo-cluster-identity.yaml');
const of = (kind: string) => all.filter((o) => o.kind === kind);
const cluster = (name: string) => of('Cluster').find((c) => c.metadata?.name === name) as KubeObject;
const input = { infraClusters: of('OpenStackCluster'), clusterIdentities: of('OpenStackClusterIdentity'), namespaces: of('Namespace') };
const scs2Class = load('clusterclass/openstack-scs2-1-34-v1-clusterclass-derived.yaml')[0];
const scsClass = load('clusterclass/openstack-scs-1-32-v1-clusterclass-derived.yaml')[0];

describe('CAPO identity of a cluster (Secret or OpenStackClusterIdentity)', () => {
  it("type ClusterIdentity: the identity's secretRef, the region override, the namespace admitted (provider.go:94-117, :133)", () => {
    assert.deepEqual(clusterIdentity({ cluster: cluster('cluster-a'), ...input }), {
      type: 'ClusterIdentity',
      identityName: 'production-openstack',
      secret: { namespace: 'capo-system', name: 'openstack-credentials' },
      cloudName: 'openstack',
      region: 'RegionTwo',
      allowed: true,
      source: 'OpenStackCluster',
      at: 'OpenStackCluster team-a/cluster-a spec.identityRef',
      problems: [],
    });
  });

  it("a namespace the selector does not admit is refused with CAPO's wording (provider.go:60, :110-113)", () => {
    const id = clusterIdentity({ cluster: cluster('cluster-c'), ...input });
    assert.equal(id.allowed, false);
    assert.deepEqual(id.problems, ['namespace team-c not allowed to use cluster identity production-openstack']);
    assert.deepEqual(id.secret, { namespace: 'capo-system', name: 'openstack-credentials' });
  });

  it('a topology cluster without OpenStackCluster: the scs2 identityRef variable is what the class patches in', () => {
    const id = clusterIdentity({ cluster: cluster('cluster-b'), clusterClass: scs2Class, ...input, infraClusters: [] });
    assert.equal(id.source, 'topology variables');
    assert.equal(id.type, 'ClusterIdentity');
    assert.deepEqual(id.secret, { namespace: 'capo-system', name: 'openstack-credentials' });
    assert.equal(id.allowed, true);
  });

  it('without the identity or the namespace in the input it says what is unknown instead of guessing', () => {
    const noIdentity = clusterIdentity({ cluster: cluster('cluster-a'), infraClusters: input.infraClusters });
    assert.equal(noIdentity.secret, undefined);
    assert.equal(noIdentity.allowed, undefined);
    assert.match(noIdentity.problems[0], /OpenStackClusterIdentity production-openstack was not found \(or cannot be read\)/);
    const noNs = clusterIdentity({ cluster: cluster('cluster-a'), ...input, namespaces: [] });
    assert.equal(noNs.allowed, undefined);
    assert.match(noNs.problems[0], /namespace team-a was not found \(or cannot be read\)/);
  });

  it('no namespaceSelector admits every namespace; an invalid one admits none (types.go:40-42, provider.go:106-109)', () => {
    const open = of('OpenStackClusterIdentity').map((o) => ({ ...o, spec: { ...(o.spec as object), namespaceSelector: undefined } }));
    assert.equal(clusterIdentity({ cluster: cluster('cluster-c'), ...input, clusterIdentities: open }).allowed, true);
    const bad = of('OpenStackClusterIdentity').map((o) => ({
      ...o,
      spec: { ...(o.spec as object), namespaceSelector: { matchExpressions: [{ key: 'a', operator: 'In' }] } },
    }));
    const id = clusterIdentity({ cluster: cluster('cluster-a'), ...input, clusterIdentities: bad });
    assert.equal(id.allowed, false);
    assert.deepEqual(id.problems, ['invalid namespace selector on identity production-openstack']);
  });

  it("type Secret (default): a Secret of that name in the cluster's own namespace (provider.go:90-93)", () => {
    const c: KubeObject = { apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', metadata: { name: 'x', namespace: 'my-tenant' } };
    const id = clusterIdentity({ cluster: c, clusterClass: scsClass });
    assert.deepEqual(
      [id.type, id.secret, id.cloudName, id.source],
      ['Secret', { namespace: 'my-tenant', name: 'openstack' }, 'openstack', 'ClusterClass defaults'],
    );
    // the scs series' secret_name / cloud_name variables
    const scs = {
      ...c,
      spec: {
        topology: {
          variables: [
            { name: 'secret_name', value: 'tenant-creds' },
            { name: 'cloud_name', value: 'prod' },
          ],
        },
      },
    };
    const v = clusterIdentity({ cluster: scs, clusterClass: scsClass });
    assert.deepEqual([v.secret, v.cloudName, v.source], [{ namespace: 'my-tenant', name: 'tenant-creds' }, 'prod', 'topology variables']);
    // an unknown type is what CAPO refuses (provider.go:118-119)
    const odd = { ...c, spec: { topology: { variables: [{ name: 'identityRef', value: { type: 'Vault', name: 'x', cloudName: 'y' } }] } } };
    assert.match(clusterIdentity({ cluster: odd }).problems[0], /unsupported identity type "Vault"/);
  });

  it('the source line names the identity, its Secret, cloud and region, and where identityRef was read', () => {
    assert.equal(
      identitySourceText(clusterIdentity({ cluster: cluster('cluster-a'), ...input })),
      'OpenStackClusterIdentity production-openstack → Secret capo-system/openstack-credentials, cloud "openstack", region RegionTwo (OpenStackCluster team-a/cluster-a spec.identityRef)',
    );
    const c: KubeObject = { apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', metadata: { name: 'x', namespace: 'my-tenant' } };
    assert.equal(
      identitySourceText(clusterIdentity({ cluster: c, clusterClass: scsClass })),
      'Secret my-tenant/openstack, cloud "openstack" (the ClusterClass defaults of Cluster my-tenant/x)',
    );
  });

  it("a refusal is located and carries CAPO's reason; an admitted identity and a tenant Secret are not refused", () => {
    assert.equal(
      identityRefusal(clusterIdentity({ cluster: cluster('cluster-c'), ...input })),
      'OpenStackCluster team-c/cluster-c spec.identityRef: namespace team-c not allowed to use cluster identity production-openstack',
    );
    assert.equal(identityRefusal(clusterIdentity({ cluster: cluster('cluster-a'), ...input })), undefined);
    assert.equal(
      identityRefusal(clusterIdentity({ cluster: cluster('cluster-b'), ...input, infraClusters: [], clusterClass: scs2Class })),
      undefined,
    );
    // An identity that is not there cannot say where the credentials go: refused too, and says why.
    assert.equal(
      identityRefusal(clusterIdentity({ cluster: cluster('cluster-a'), infraClusters: input.infraClusters, namespaces: input.namespaces })),
      'OpenStackCluster team-a/cluster-a spec.identityRef: OpenStackClusterIdentity production-openstack was not found (or cannot be read): the Secret it names is unknown',
    );
  });

  it('the target of a push: the tenant Secret without identities, the one identity Secret, or a located refusal', () => {
    const id = (name: string, over: Partial<IdentityInputLike> = {}) => clusterIdentity({ cluster: cluster(name), ...input, ...over });
    const tenantOnly = clusterIdentity({
      cluster: { apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', metadata: { name: 'x', namespace: 'team-a' } },
    });
    assert.deepEqual(credentialTarget(new Map([['x', tenantOnly]])), { ok: true });
    assert.deepEqual(credentialTarget(new Map()), { ok: true });
    const a = id('cluster-a');
    const t = credentialTarget(new Map([['cluster-a', a]]));
    assert.ok(t.ok && t.identity);
    assert.deepEqual([t.identity.secret, t.identity.cloudName], [{ namespace: 'capo-system', name: 'openstack-credentials' }, 'openstack']);
    assert.deepEqual(credentialTarget(new Map([['cluster-c', id('cluster-c')]])), {
      ok: false,
      reason:
        'OpenStackCluster team-c/cluster-c spec.identityRef: namespace team-c not allowed to use cluster identity production-openstack',
    });
    // Mixed sources cannot be one push: which Secret each cluster reads is named.
    const mixed = credentialTarget(
      new Map([
        ['cluster-a', a],
        ['x', tenantOnly],
      ]),
    );
    assert.equal(mixed.ok, false);
    assert.match(
      mixed.ok ? '' : mixed.reason,
      /^the clusters read different credentials \(cluster-a → capo-system\/openstack-credentials cloud "openstack"; x → Secret openstack of the tenant\)/,
    );
  });
});

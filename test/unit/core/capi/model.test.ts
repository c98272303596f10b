import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { clusterCredentials, resourceSetFailure } from '../../../../src/core/capi/credentials';
import { clusterStackState, releaseState } from '../../../../src/core/capi/stacks';
import { summarizeSecret, tenantsOf, isKubeconfigSecret } from '../../../../src/core/capi/tenants';
import { selectorMatches, type KubeObject } from '../../../../src/core/capi/types';

const FIXTURES = path.resolve(__dirname, '../../../fixtures');
function load(rel: string): KubeObject {
  const docs = yaml.loadAll(fs.readFileSync(path.join(FIXTURES, rel), 'utf8')) as KubeObject[];
  return docs[0];
}

describe('ClusterStack / ClusterStackRelease readiness', () => {
  it('design-doc ClusterStack: single version done → ready', () => {
    const s = clusterStackState(load('clusterstack/design-doc-clusterstack-ready.yaml'));
    assert.equal(s.readiness, 'ready');
    assert.equal(s.stack, 'myprovider/xyz 1.26');
    assert.equal(s.latestRelease, 'provider-xyz-1-26-v6');
  });
  it('scs2 ClusterStack with v2 still downloading → progressing, naming v2 and its phase', () => {
    const s = clusterStackState(load('clusterstack/scs2-clusterstack-v1-ready-v2-downloading-derived.yaml'));
    assert.equal(s.readiness, 'progressing');
    assert.match(s.reason, /^v2: downloading release assets/);
    assert.equal(s.usableVersions, 'v1');
    assert.deepEqual(
      s.versions.map((v) => [v.version, v.ready]),
      [
        ['v1', true],
        ['v2', false],
      ],
    );
  });
  it('spec-only ClusterStack → unknown (no status yet)', () => {
    assert.equal(clusterStackState(load('clusterstack/scs2-readme-clusterstack-spec.yaml')).readiness, 'unknown');
  });
  it('releases: ready=true → ready; downloading (Ready=False Info) → progressing with message', () => {
    const ready = releaseState(load('clusterstack/scs2-clusterstackrelease-ready-derived.yaml'));
    assert.equal(ready.readiness, 'ready');
    assert.equal(ready.owner, 'openstack');
    assert.equal(releaseState(load('clusterstack/design-doc-clusterstackrelease-ready.yaml')).readiness, 'ready');
    const dl = releaseState(load('clusterstack/scs2-clusterstackrelease-downloading-derived.yaml'));
    assert.equal(dl.readiness, 'progressing');
    assert.equal(dl.reason, 'assets not downloaded yet');
  });
});

describe('cloud credentials of a workload cluster', () => {
  const cluster = load('clusters/v1beta2-scs-topology-healthy-derived.yaml'); // my-tenant, managed-secret: cloud-config
  const crs = load('addons/scs-csp-helper-clusterresourceset-cloud-config-derived.yaml'); // my-tenant, selects cloud-config
  const binding = (applied: boolean): KubeObject =>
    ({
      apiVersion: 'addons.cluster.x-k8s.io/v1beta1',
      kind: 'ClusterResourceSetBinding',
      metadata: { name: 'cs-cluster', namespace: 'my-tenant' },
      spec: {
        clusterName: 'cs-cluster',
        bindings: [
          {
            clusterResourceSetName: 'crs-openstack-secret',
            resources: [{ kind: 'Secret', name: 'openstack-workload-cluster-secret', applied }],
          },
        ],
      },
    }) as KubeObject;

  it('label + matching CRS + binding with resources applied → applied', () => {
    const c = clusterCredentials(cluster, [crs], [binding(true)]);
    assert.equal(c.state, 'applied');
    assert.equal(c.label, 'cloud-config');
    assert.deepEqual(c.applied, ['crs-openstack-secret']);
  });
  it('binding not applied yet → pending', () => {
    assert.equal(clusterCredentials(cluster, [crs], [binding(false)]).state, 'pending');
  });
  it('label without any CRS in its namespace → unmatched; CRS of another namespace does not count', () => {
    const elsewhere = { ...crs, metadata: { ...crs.metadata, namespace: 'other' } };
    const c = clusterCredentials(cluster, [elsewhere], []);
    assert.equal(c.state, 'unmatched');
  });
  it('no label, no CRS → none', () => {
    const bare = { ...cluster, metadata: { ...cluster.metadata, labels: {} } };
    assert.equal(clusterCredentials(bare, [crs], []).state, 'none');
  });
  it('a selecting CRS reporting ResourcesApplied=False (v1beta2) → failed with its message', () => {
    const wrong = load('addons/scs2-clusterresourceset-v1beta2-wrong-secret-type-derived.yaml');
    assert.equal(resourceSetFailure(wrong), 'Secret type of resource clouds-yaml is not supported');
    const scs2 = { ...cluster, metadata: { name: 'c2', namespace: 'cluster', labels: { 'managed-secret': 'clouds-yaml' } } };
    const c = clusterCredentials(scs2, [wrong], []);
    assert.equal(c.state, 'failed');
    assert.match(c.summary, /not supported/);
  });
  it('binding fixture from kubectl: matched by spec.clusterName, all three resources applied', () => {
    const b = load('addons/clusterresourcesetbinding-cluster01-kubectl-output.yaml');
    const set = load('addons/clusterresourceset-csi-proxmox-spec.yaml');
    const c01 = {
      apiVersion: 'cluster.x-k8s.io/v1beta1',
      kind: 'Cluster',
      metadata: { name: 'cluster01', namespace: b.metadata?.namespace, labels: { 'csi-proxmox': 'true' } },
    };
    const c = clusterCredentials(c01, [{ ...set, metadata: { ...set.metadata, namespace: b.metadata?.namespace } }], [b]);
    assert.equal(c.state, 'applied');
  });
});

describe('label selectors', () => {
  it('implements matchLabels and matchExpressions; empty selector matches nothing', () => {
    const labels = { a: '1', b: '2' };
    assert.equal(selectorMatches({ matchLabels: { a: '1' } }, labels), true);
    assert.equal(selectorMatches({ matchLabels: { a: '2' } }, labels), false);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'b', operator: 'In', values: ['2', '3'] }] }, labels), true);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'b', operator: 'NotIn', values: ['2'] }] }, labels), false);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'c', operator: 'DoesNotExist' }] }, labels), true);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'c', operator: 'Exists' }] }, labels), false);
    assert.equal(selectorMatches({}, labels), false);
    assert.equal(selectorMatches(undefined, labels), false);
  });
});

describe('tenants', () => {
  const ns = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  const secret = (namespace: string, name: string, data: Record<string, string>) =>
    summarizeSecret({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'Opaque', data });

  it('summarizeSecret keeps keys, drops values', () => {
    const s = secret('t', 'openstack', { 'clouds.yaml': 'c2VjcmV0', cacert: 'eA==' });
    assert.deepEqual(s.keys, ['cacert', 'clouds.yaml']);
    assert.ok(!JSON.stringify(s).includes('c2VjcmV0'));
  });
  it('recognises tenants by content; showAll and filter', () => {
    const snap = {
      namespaces: [ns('kube-system'), ns('tenant-a'), ns('tenant-b'), ns('tenant-c'), ns('empty')],
      clusters: [{ apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', metadata: { name: 'c', namespace: 'tenant-a' } }],
      clusterstacks: [{ kind: 'ClusterStack', metadata: { name: 's', namespace: 'tenant-b' } }],
      secrets: [secret('tenant-c', 'openstack', { 'clouds.yaml': 'x' }), secret('kube-system', 'other', { token: 'x' })],
    };
    assert.deepEqual(
      tenantsOf(snap).map((t) => t.namespace),
      ['tenant-a', 'tenant-b', 'tenant-c'],
    );
    assert.deepEqual(
      tenantsOf(snap, { showAll: true }).map((t) => t.namespace),
      ['empty', 'kube-system', 'tenant-a', 'tenant-b', 'tenant-c'],
    );
    assert.deepEqual(
      tenantsOf(snap, { filter: 'B' }).map((t) => t.namespace),
      ['tenant-b'],
    );
    assert.deepEqual(
      tenantsOf(snap)[2].credentials.map((s) => s.metadata?.name),
      ['openstack'],
    );
  });
  it('recognises CAPI kubeconfig secrets', () => {
    assert.equal(isKubeconfigSecret(secret('t', 'c1-kubeconfig', { value: 'x' })), true);
    assert.equal(isKubeconfigSecret(secret('t', 'c1-kubeconfig', { other: 'x' })), false);
  });
});

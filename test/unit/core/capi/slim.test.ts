/**
 * The explorer cache's slim projection (core/capi/slim.ts) against the whole objects: on every fixture (real controller
 * output and the states derived from the upstream source, test/fixtures), what the tree and `cluster-stacks health`
 * show — each Cluster's health, credential node and identity, pause state, ClusterStack and release readiness,
 * ClusterResourceSet failure, selector and bindings — is the same from the slimmed objects as from the whole ones,
 * per file and with all files in one cluster; and the slimmed objects no longer hold what nobody reads.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { resourceSetFailure } from '../../../../src/core/capi/credentials';
import { identityOfCluster } from '../../../../src/core/capi/identity';
import { slimObject, StringPool } from '../../../../src/core/capi/slim';
import { clusterStackState, releaseState } from '../../../../src/core/capi/stacks';
import { type ResourceKind, type Snapshot, summarizeSecret, tenantsOf } from '../../../../src/core/capi/tenants';
import { field, type KubeObject } from '../../../../src/core/capi/types';
import { clusterHealth, healthOf } from '../../../../src/core/health';
import { credentialNodeView } from '../../../../src/core/manifests/clusterCredentialState';
import { pauseState } from '../../../../src/core/ops/pause';

const FIXTURES = path.resolve(__dirname, '../../../fixtures');

/** Kubernetes kind (and API group) → the resource type the explorer lists it as. */
const RESOURCE_OF: Record<string, ResourceKind> = {
  '/Namespace': 'namespaces',
  '/Secret': 'secrets',
  'cluster.x-k8s.io/Cluster': 'clusters',
  'cluster.x-k8s.io/ClusterClass': 'clusterclasses',
  'addons.cluster.x-k8s.io/ClusterResourceSet': 'clusterresourcesets',
  'addons.cluster.x-k8s.io/ClusterResourceSetBinding': 'clusterresourcesetbindings',
  'clusterstack.x-k8s.io/ClusterStack': 'clusterstacks',
  'clusterstack.x-k8s.io/ClusterStackRelease': 'clusterstackreleases',
  'clusterstack.x-k8s.io/ClusterAddon': 'clusteraddons',
  'infrastructure.cluster.x-k8s.io/OpenStackCluster': 'openstackclusters',
  'infrastructure.cluster.x-k8s.io/OpenStackClusterIdentity': 'openstackclusteridentities',
};
const resourceOf = (o: KubeObject): ResourceKind | undefined =>
  RESOURCE_OF[`${(o.apiVersion ?? '').split('/').slice(0, -1).join('/')}/${o.kind ?? ''}`];

function fixtureFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? fixtureFiles(path.join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [path.join(dir, e.name)] : []));
}

const load = (file: string): KubeObject[] =>
  yaml
    .loadAll(fs.readFileSync(file, 'utf8'))
    .flatMap((d) =>
      d && typeof d === 'object' && Array.isArray((d as { items?: unknown }).items) ? (d as { items: unknown[] }).items : [d],
    )
    .filter((d): d is KubeObject => !!d && typeof d === 'object' && typeof (d as KubeObject).kind === 'string');

/** The snapshot a cache would hold: `keep` decides what of each object (a Secret is always summarised: no value is held). */
function snapshotOf(objects: readonly KubeObject[], keep: (kind: ResourceKind, o: KubeObject) => KubeObject): Snapshot {
  const snap: Partial<Record<ResourceKind, KubeObject[]>> = {};
  for (const o of objects) {
    const kind = resourceOf(o);
    if (kind) (snap[kind] ??= []).push(keep(kind, o));
  }
  return snap as Snapshot;
}
const whole = (kind: ResourceKind, o: KubeObject): KubeObject => (kind === 'secrets' ? summarizeSecret(o) : o);
/** As the cache slims: one string pool for all its objects. */
const slimmed =
  (pool = new StringPool()) =>
  (kind: ResourceKind, o: KubeObject) =>
    slimObject(kind, o, pool);

/** Everything the tree renders from a snapshot, tenant by tenant (render.ts, children.ts). */
function treeView(snap: Snapshot): unknown[] {
  return tenantsOf(snap, { showAll: true }).map((t) => ({
    namespace: t.namespace,
    clusters: t.clusters.map((c) => ({
      name: c.metadata?.name,
      health: clusterHealth(c, t),
      pause: pauseState(c),
      labels: c.metadata?.labels,
      credentials: credentialNodeView({
        cluster: c,
        resourceSets: t.resourceSets,
        bindings: t.bindings,
        secrets: t.secrets,
        identity: identityOfCluster(c, t),
      }),
    })),
    stacks: t.clusterStacks.map((s) => clusterStackState(s)),
    releases: t.releases.map((r) => releaseState(r)),
    classes: t.clusterClasses.map((c) => c.metadata?.name),
    resourceSets: t.resourceSets.map((r) => ({
      failure: resourceSetFailure(r),
      selector: field(r, 'spec', 'clusterSelector', 'matchLabels'),
    })),
    bindings: t.bindings.map((b) => JSON.stringify(field(b, 'spec', 'bindings') ?? [])),
    secrets: t.secrets,
  }));
}

describe('core: the explorer cache keeps only what the tree reads (capi/slim.ts)', () => {
  const files = fixtureFiles(FIXTURES);
  const perFile = files.map((f) => ({ file: path.relative(FIXTURES, f), objects: load(f) }));
  const all = perFile.flatMap((f) => f.objects);

  it('reads the fixtures (every explorer resource type is among them)', () => {
    const kinds = new Set(all.map(resourceOf).filter(Boolean));
    for (const k of Object.values(RESOURCE_OF).filter((k) => k !== 'namespaces')) assert.ok(kinds.has(k), `no fixture of ${k}`);
    assert.ok(all.filter((o) => resourceOf(o) === 'clusters').length >= 20);
  });

  for (const { file, objects } of perFile) {
    if (!objects.some(resourceOf)) continue;
    it(`the tree and the health entries are the same from slimmed objects: ${file}`, () => {
      assert.deepEqual(treeView(snapshotOf(objects, slimmed())), treeView(snapshotOf(objects, whole)));
      // `cluster-stacks health` on the objects as kubectl gives them; Secrets whole (it hashes their data itself).
      const slim = objects.map((o) => {
        const kind = resourceOf(o);
        return kind && kind !== 'secrets' ? slimObject(kind, o) : o;
      });
      assert.deepEqual(healthOf(slim), healthOf(objects));
    });
  }

  it('the tree is the same with all fixtures in one management cluster (resource sets, bindings and secrets across files)', () => {
    const view = treeView(snapshotOf(all, whole));
    assert.deepEqual(treeView(snapshotOf(all, slimmed())), view);
    // A pool that starts afresh every few strings changes nothing either.
    assert.deepEqual(treeView(snapshotOf(all, slimmed(new StringPool(7)))), view);
    // Not a vacuous comparison: clusters with issues, with credential states, and with resource sets are in it.
    const clusters = (view as { clusters: { health: { status: { issues: unknown[] }; credentials?: unknown } }[] }[]).flatMap(
      (t) => t.clusters,
    );
    assert.ok(clusters.some((c) => c.health.status.issues.length > 0));
    assert.ok(clusters.some((c) => c.health.credentials !== undefined));
  });

  it('the same for the readings the fixtures leave out, made from them (an addon found by clusterRef, health from the phase)', () => {
    const byName = (kind: string, name: string) => all.find((o) => o.kind === kind && o.metadata?.name === name) as KubeObject;
    const hooked = byName('Cluster', 'cs-hook-new');
    const addon = byName('ClusterAddon', 'cluster-addon-cs-cluster');
    // Only spec.clusterRef ties this addon to the cluster (status.ts hookReason).
    const refAddon = {
      ...addon,
      metadata: { ...addon.metadata, name: 'addon-by-ref' },
      spec: { ...(addon.spec as object), clusterRef: { ...(field(addon, 'spec', 'clusterRef') as object), name: 'cs-hook-new' } },
    };
    // A v1beta2 Cluster without conditions: the phase and status.initialization decide.
    const v1beta2 = all.find(
      (o) =>
        resourceOf(o) === 'clusters' &&
        /v1beta2$/.test(o.apiVersion ?? '') &&
        !o.metadata?.deletionTimestamp &&
        field(o, 'spec', 'paused') === undefined,
    ) as KubeObject;
    const byPhase = {
      ...v1beta2,
      metadata: { ...v1beta2.metadata, name: 'by-phase', namespace: 'my-tenant' },
      status: { phase: 'Provisioned', initialization: { infrastructureProvisioned: true } },
    };
    const objects = [hooked, refAddon, byPhase];
    const view = treeView(snapshotOf(objects, whole));
    assert.deepEqual(treeView(snapshotOf(objects, slimmed())), view);
    const text = JSON.stringify(view);
    assert.match(text, /addon-by-ref/, 'the hook reason names the addon found by clusterRef');
    assert.match(text, /"health":"healthy","reason":"Provisioned"/);
  });

  it('drops managedFields, last-applied-configuration, uid, timestamps, lastTransitionTime and unread spec fields', () => {
    const withTopology = all.find((o) => resourceOf(o) === 'clusters' && field(o, 'spec', 'topology', 'workers') !== undefined);
    assert.ok(withTopology, 'a fixture Cluster with topology workers');
    const o: KubeObject = {
      ...withTopology,
      metadata: {
        ...withTopology.metadata,
        uid: '0d5e5d52-4c4e-4f59-9f3a-2b8b2a1f0c11',
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"big":"json"}', 'cluster.x-k8s.io/paused': '' },
        ...({ managedFields: [{ manager: 'kubectl' }], creationTimestamp: '2025-06-02T08:00:00Z', generation: 3 } as object),
      },
    };
    const slim = slimObject('clusters', o);
    const text = JSON.stringify(slim);
    for (const gone of [
      'managedFields',
      'last-applied-configuration',
      '"uid"',
      'creationTimestamp',
      '"generation"',
      'lastTransitionTime',
      'workers',
    ])
      assert.ok(!text.includes(gone), `${gone} is still held`);
    assert.deepEqual(slim.metadata?.annotations, { 'cluster.x-k8s.io/paused': '' });
    assert.ok(text.length < JSON.stringify(o).length);
    assert.equal(
      o.metadata?.annotations?.['kubectl.kubernetes.io/last-applied-configuration'],
      '{"big":"json"}',
      'the input is not changed',
    );
  });

  it('the string pool stays within its bound however many distinct strings pass', () => {
    const pool = new StringPool(100);
    for (let i = 0; i < 1000; i++) assert.equal(pool.intern(`message ${i}`), `message ${i}`);
    assert.ok(pool.size <= 100, `${pool.size} strings held`);
    const cluster = all.find((o) => resourceOf(o) === 'clusters') as KubeObject;
    slimObject('clusters', cluster, pool);
    assert.ok(pool.size > 0 && pool.size <= 100);
  });

  it('keeps no Secret value', () => {
    const s = slimObject('secrets', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'n' },
      ...({ data: { 'clouds.yaml': Buffer.from('password: hunter2hunter2').toString('base64') } } as object),
    });
    assert.ok(!JSON.stringify(s).includes(Buffer.from('password: hunter2hunter2').toString('base64')));
    assert.deepEqual((s as { keys: string[] }).keys, ['clouds.yaml']);
  });
});

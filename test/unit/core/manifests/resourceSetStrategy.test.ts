/**
 * ClusterResourceSet strategy as Cluster API runs it (kubernetes-sigs/cluster-api@ae7ff047): ApplyOnce never re-applies
 * (core/reconcilers/clusterresourceset/clusterresourceset_scope.go:155-157, :163-171), a missing strategy is ApplyOnce
 * (core/webhooks/admission/clusterresourceset.go:51-58), strategy and clusterSelector are immutable (:95-107). The merge
 * patches are applied by kubectl (`kubectl patch --local --type merge`), an implementation of RFC 7386 that is not ours.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { summarizeSecret } from '../../../../src/core/capi/tenants';
import type { KubeObject } from '../../../../src/core/capi/types';
import { APPLY_ONCE_STALE, clusterCredentialState, credentialNodeView } from '../../../../src/core/manifests/clusterCredentialState';
import { resourceSet } from '../../../../src/core/manifests/credentials';
import { resourceSetUpdate } from '../../../../src/core/manifests/resourceSetUpdate';

const STATES = path.resolve(__dirname, '../../../fixtures/states');
const objects = yaml.loadAll(fs.readFileSync(path.join(STATES, 'crs-applyonce-vs-reconcile-after-rotation.yaml'), 'utf8')) as KubeObject[];
const of = (kind: string) => objects.filter((o) => o.kind === kind);
const secrets = of('Secret').map((s) => summarizeSecret(s as KubeObject & { data: Record<string, string> }));
const state = (name: string, resourceSets = of('ClusterResourceSet')) =>
  clusterCredentialState({
    cluster: of('Cluster').find((c) => c.metadata?.name === name) as KubeObject,
    resourceSets,
    bindings: of('ClusterResourceSetBinding'),
    secrets,
  });

/** Applies a JSON merge patch with kubectl, offline. */
function kubectlMergePatch(live: unknown, patch: unknown): KubeObject {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-crs-'));
  const file = path.join(dir, 'live.json');
  fs.writeFileSync(file, JSON.stringify(live));
  const r = spawnSync('kubectl', ['patch', '--local', '-f', file, '--type', 'merge', '-p', JSON.stringify(patch), '-o', 'json'], {
    encoding: 'utf8',
    timeout: 20_000,
    env: { PATH: process.env.PATH ?? '', KUBECONFIG: path.join(dir, 'none') },
  });
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as KubeObject;
}

describe('ClusterResourceSet strategy after a rotation (fixtures/states/crs-applyonce-vs-reconcile-after-rotation.yaml)', () => {
  it('ApplyOnce: stale for good, and the text says so instead of "not applied yet"', () => {
    const s = state('cs-once');
    assert.equal(s.state, 'stale');
    assert.equal(
      s.reason,
      `ClusterResourceSet crs-openstack-secret, Secret openstack-workload-cluster-secret: applied hash stale (${APPLY_ONCE_STALE}), last applied 2025-05-20T07:20:00Z`,
    );
    assert.match(APPLY_ONCE_STALE, /^ApplyOnce: a rotation never reaches existing clusters/);
  });

  it('Reconcile: stale until the controller re-applies it (clusterresourceset_scope.go:110-114)', () => {
    const s = state('cs-reconcile');
    assert.equal(s.state, 'stale');
    assert.match(s.reason, /rotation not applied yet; the controller re-applies it on its next reconcile/);
  });

  it('a CRS without spec.strategy is ApplyOnce (the webhook default)', () => {
    const crs = of('ClusterResourceSet').map((c) => {
      const copy = JSON.parse(JSON.stringify(c)) as { spec: Record<string, unknown> };
      delete copy.spec.strategy;
      return copy as KubeObject;
    });
    assert.match(state('cs-reconcile', crs).reason, /ApplyOnce: a rotation never reaches existing clusters/);
  });

  it('the tree shows the same text (credentialNodeView builds on clusterCredentialState)', () => {
    const v = credentialNodeView({
      cluster: of('Cluster')[0],
      resourceSets: of('ClusterResourceSet'),
      bindings: of('ClusterResourceSetBinding'),
      secrets,
    });
    assert.equal(v.state, 'stale');
    assert.ok(v.tooltip.includes(APPLY_ONCE_STALE));
    // The description (what the tree shows without a hover) says which strategy keeps it stale.
    const once = of('Cluster').find((c) => c.metadata?.name === 'cs-once') as KubeObject;
    const reconcile = of('Cluster').find((c) => c.metadata?.name === 'cs-reconcile') as KubeObject;
    const view = (c: KubeObject) =>
      credentialNodeView({ cluster: c, resourceSets: of('ClusterResourceSet'), bindings: of('ClusterResourceSetBinding'), secrets });
    assert.match(view(once).description ?? '', /^\S+: stale \(ApplyOnce\)/);
    assert.match(view(reconcile).description ?? '', /^\S+: stale \(Reconcile\)/);
  });
});

describe('keeping a live ClusterResourceSet in sync without touching immutable fields', () => {
  const [, desired] = resourceSet({
    namespace: 'my-tenant',
    style: 'cloud-config',
    cloudName: 'openstack',
    workload: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cloud-config', namespace: 'kube-system' }, type: 'Opaque', data: {} },
  });
  const live = (spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject =>
    ({
      apiVersion: 'addons.cluster.x-k8s.io/v1beta2',
      kind: 'ClusterResourceSet',
      metadata: { name: desired.metadata.name, namespace: 'my-tenant', resourceVersion: '4711', labels: { team: 'csp' }, ...metadata },
      spec: { strategy: 'Reconcile', clusterSelector: { matchLabels: { 'managed-secret': 'cloud-config' } }, ...spec },
    }) as KubeObject;

  it('no live object: create', () => {
    assert.deepEqual(resourceSetUpdate(undefined, desired), { kind: 'create' });
  });

  it('the same content (and an empty matchExpressions the server drops) is unchanged', () => {
    const same = live({
      resources: [...desired.spec.resources],
      clusterSelector: { ...desired.spec.clusterSelector, matchExpressions: [] },
    });
    assert.deepEqual(resourceSetUpdate(same, desired), { kind: 'unchanged' });
  });

  it('other resources: a merge patch of spec.resources and our labels only; kubectl applies it to exactly the desired state', () => {
    const before = live({ resources: [{ name: 'old-secret', kind: 'Secret' }] });
    const want = { ...desired, metadata: { ...desired.metadata, labels: { 'clusterctl.cluster.x-k8s.io/move': '' } } };
    const u = resourceSetUpdate(before, want);
    assert.equal(u.kind, 'patch');
    if (u.kind !== 'patch') return;
    assert.deepEqual(u.changed, ['spec.resources', 'metadata.labels.clusterctl.cluster.x-k8s.io/move']);
    assert.deepEqual(Object.keys(u.patch).sort(), ['metadata', 'spec']);
    assert.deepEqual(Object.keys(u.patch.spec as object), ['resources']);
    assert.equal((u.patch.metadata as { resourceVersion: string }).resourceVersion, '4711');
    const after = kubectlMergePatch(before, u.patch) as KubeObject & { spec: Record<string, unknown> };
    assert.deepEqual(after.spec.resources, desired.spec.resources);
    assert.deepEqual(after.spec.strategy, 'Reconcile');
    assert.deepEqual(after.spec.clusterSelector, before.spec && (before.spec as Record<string, unknown>).clusterSelector);
    assert.deepEqual(after.metadata?.labels, { team: 'csp', 'clusterctl.cluster.x-k8s.io/move': '' });
    assert.deepEqual(resourceSetUpdate(after, want), { kind: 'unchanged' });
  });

  it('a live ApplyOnce CRS is refused at spec.strategy with what to do instead (clusterresourceset.go:95-100)', () => {
    const u = resourceSetUpdate(live({ strategy: 'ApplyOnce', resources: desired.spec.resources }), desired);
    assert.equal(u.kind, 'refused');
    if (u.kind !== 'refused') return;
    assert.deepEqual(u.path, ['spec', 'strategy']);
    assert.equal(
      u.message,
      `ClusterResourceSet my-tenant/${desired.metadata.name}: spec.strategy is immutable (it is ApplyOnce, this would set Reconcile). Under ApplyOnce a rotation never reaches existing clusters; delete the ClusterResourceSet and create it again with strategy Reconcile (deleting it leaves the objects it applied in the workload clusters), or push to the workload clusters directly.`,
    );
    // a live object read without strategy is ApplyOnce too
    const noStrategy = live({ resources: desired.spec.resources }) as KubeObject & { spec: Record<string, unknown> };
    delete noStrategy.spec.strategy;
    assert.equal(resourceSetUpdate(noStrategy, desired).kind, 'refused');
  });

  it('another selector is refused at spec.clusterSelector (clusterresourceset.go:102-107)', () => {
    const u = resourceSetUpdate(
      live({ clusterSelector: { matchLabels: { 'managed-secret': 'clouds-yaml' } }, resources: desired.spec.resources }),
      desired,
    );
    assert.equal(u.kind, 'refused');
    if (u.kind !== 'refused') return;
    assert.deepEqual(u.path, ['spec', 'clusterSelector']);
    assert.match(u.message, /spec\.clusterSelector is immutable .* Create a ClusterResourceSet under another name/);
  });
});

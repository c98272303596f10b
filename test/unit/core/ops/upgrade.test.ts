import * as assert from 'node:assert/strict';
import { jsonPatch } from '../../../emulator/patch';
import type { KubeObject } from '../../../../src/core/capi/types';
import { upgradePlanFromClassVersions, upgradeTargets, type UpgradeInputs, type UpgradeTarget } from '../../../../src/core/ops/upgrade';
import { cluster, clusterClass, readyRelease, tenant } from './tenant';

function inputs(over: Partial<UpgradeInputs> = {}): UpgradeInputs {
  return { cluster: cluster(), ...tenant(), ...over };
}

function target(list: readonly UpgradeTarget[], className: string): UpgradeTarget {
  const t = list.find((x) => x.className === className);
  assert.ok(t, `${className} among ${list.map((x) => x.className).join(', ')}`);
  return t;
}

const codes = (t: UpgradeTarget) => t.refusals.map((r) => `${r.by}:${r.code}`);

describe('ops: upgrade targets along the cluster stacks', () => {
  it('lists every other release of the same stack, ordered, with version, readiness and kind', () => {
    const r = upgradeTargets(inputs());
    assert.equal(r.error, undefined);
    assert.deepEqual(
      r.targets.map((t) => [t.className, t.kubernetesVersion, t.release.readiness, t.kind, t.allowed]),
      [
        ['openstack-scs2-1-32-v1', 'v1.32.7', 'ready', 'older', false],
        ['openstack-scs2-1-33-v2', 'v1.33.6', 'ready', 'patch-release', true],
        ['openstack-scs2-1-33-v3', undefined, 'progressing', 'patch-release', false],
        ['openstack-scs2-1-34-v1', 'v1.34.2', 'ready', 'next-minor', true],
        ['openstack-scs2-1-35-v1', 'v1.35.0', 'ready', 'skip-minor', false],
      ],
    );
  });

  it('a newer release of the same minor: class and version change together, guarded by the values read', () => {
    const t = target(upgradeTargets(inputs()).targets, 'openstack-scs2-1-33-v2');
    const c = t.change;
    assert.ok(c);
    assert.deepEqual(c.patch, [
      { op: 'test', path: '/metadata/resourceVersion', value: '4711' },
      { op: 'test', path: '/spec/topology/class', value: 'openstack-scs2-1-33-v1' },
      { op: 'test', path: '/spec/topology/version', value: 'v1.33.4' },
      { op: 'replace', path: '/spec/topology/class', value: 'openstack-scs2-1-33-v2' },
      { op: 'replace', path: '/spec/topology/version', value: 'v1.33.6' },
    ]);
    // The emulator's JSON patch (test/emulator/patch.ts, no src import) yields the same object as ours.
    assert.deepEqual(jsonPatch(cluster() as never, c.patch), c.result);
    assert.deepEqual(c.applyConfiguration, {
      apiVersion: 'cluster.x-k8s.io/v1beta1',
      kind: 'Cluster',
      metadata: { name: 'my-cluster', namespace: 'cluster' },
      spec: { topology: { class: 'openstack-scs2-1-33-v2', version: 'v1.33.6' } },
    });
    assert.deepEqual(c.issues, []);
    assert.equal(c.refused, false);
    assert.deepEqual(t.upgradePlan, ['v1.33.6']);
  });

  it('v1beta2: the class is topology.classRef.name', () => {
    const t = target(upgradeTargets(inputs({ cluster: cluster('v1beta2') })).targets, 'openstack-scs2-1-34-v1');
    assert.ok(t.change);
    assert.deepEqual(
      t.change.patch.filter((o) => o.op !== 'test'),
      [
        { op: 'replace', path: '/spec/topology/classRef/name', value: 'openstack-scs2-1-34-v1' },
        { op: 'replace', path: '/spec/topology/version', value: 'v1.34.2' },
      ],
    );
    assert.deepEqual(t.change.applyConfiguration?.spec, { topology: { classRef: { name: 'openstack-scs2-1-34-v1' }, version: 'v1.34.2' } });
    assert.match(t.change.effect, /control plane to v1\.34\.2 first.*then the MachineDeployments/);
  });

  it('every allowed target leaves class and version matching its release (what the operator webhook checks)', () => {
    for (const apiVersion of ['v1beta1', 'v1beta2'] as const) {
      const t0 = tenant();
      for (const t of upgradeTargets(inputs({ cluster: cluster(apiVersion) })).targets.filter((x) => x.allowed)) {
        const topo = (t.change?.result.spec as { topology: Record<string, unknown> }).topology;
        const cls = apiVersion === 'v1beta1' ? topo.class : (topo.classRef as { name: string }).name;
        assert.equal(cls, t.className);
        const rel = t0.releases.find((r) => r.metadata?.name === t.releaseName) as KubeObject & { status: { kubernetesVersion: string } };
        assert.equal(topo.version, rel.status.kubernetesVersion);
      }
    }
  });

  it('a release that is not ready is refused with its reason', () => {
    const t = target(upgradeTargets(inputs()).targets, 'openstack-scs2-1-33-v3');
    assert.deepEqual(codes(t), ['cluster-stacks:no-class', 'cluster-stacks:release-not-ready']);
    assert.match(t.refusals[1].message, /openstack-scs2-1-33-v3 is not ready: assets not downloaded yet/);
    assert.equal(t.change, undefined);
  });

  it('a release the ClusterStack lists but the operator has not created yet: missing, with the stack summary', () => {
    const t0 = tenant();
    const r = upgradeTargets(inputs({ releases: t0.releases.filter((x) => x.metadata?.name !== 'openstack-scs2-1-33-v3') }));
    const t = target(r.targets, 'openstack-scs2-1-33-v3');
    assert.equal(t.release.readiness, 'missing');
    assert.deepEqual(codes(t), ['cluster-stacks:no-class', 'cluster-stacks:no-release']);
  });

  it('skipping a minor: Cluster API and the operator both refuse, with their messages', () => {
    const t = target(upgradeTargets(inputs()).targets, 'openstack-scs2-1-35-v1');
    assert.deepEqual(codes(t), ['cluster-stack-operator:minor-skip', 'cluster-api:minor-skip']);
    assert.equal(t.refusals[0].message, 'kubernetes version must be the same or higher by one. Got 1-35, want 1-33 or 1-34');
    assert.equal(t.refusals[1].message, 'version cannot be increased from "v1.33.4" to "v1.35.0"');
  });

  it('skipping a minor with spec.kubernetesVersions: Cluster API would chain it, the operator still refuses', () => {
    const t0 = tenant();
    const classes = t0.clusterClasses.map((c) =>
      c.metadata?.name === 'openstack-scs2-1-35-v1'
        ? clusterClass('openstack-scs2-1-35-v1', { kubernetesVersions: ['v1.33.4', 'v1.34.2', 'v1.35.0'] })
        : c,
    );
    const t = target(upgradeTargets(inputs({ clusterClasses: classes })).targets, 'openstack-scs2-1-35-v1');
    assert.deepEqual(codes(t), ['cluster-stack-operator:minor-skip']);
    assert.match(t.refusals[0].message, /Cluster API alone would allow it: openstack-scs2-1-35-v1 lists the chained path/);
    assert.deepEqual(t.upgradePlan, ['v1.34.2', 'v1.35.0']);
  });

  it('a class that lists kubernetesVersions without the release version is refused', () => {
    const t0 = tenant();
    const classes = t0.clusterClasses.map((c) =>
      c.metadata?.name === 'openstack-scs2-1-34-v1'
        ? clusterClass('openstack-scs2-1-34-v1', { kubernetesVersions: ['v1.33.4', 'v1.34.1'] })
        : c,
    );
    const t = target(upgradeTargets(inputs({ clusterClasses: classes })).targets, 'openstack-scs2-1-34-v1');
    assert.deepEqual(codes(t), ['cluster-api:not-in-class-versions']);
  });

  it('an older minor is a downgrade (both webhooks), an older release of the same minor is not an upgrade', () => {
    const older = target(upgradeTargets(inputs()).targets, 'openstack-scs2-1-32-v1');
    assert.deepEqual(codes(older), ['cluster-api:downgrade', 'cluster-stack-operator:minor-skip']);
    assert.equal(older.refusals[0].message, 'version cannot be decreased from "v1.33.4" to "v1.32.7"');
    const onV2 = cluster();
    (onV2.spec as { topology: Record<string, unknown> }).topology.class = 'openstack-scs2-1-33-v2';
    (onV2.spec as { topology: Record<string, unknown> }).topology.version = 'v1.33.6';
    const back = target(upgradeTargets(inputs({ cluster: onV2 })).targets, 'openstack-scs2-1-33-v1');
    assert.deepEqual(codes(back), ['cluster-api:downgrade']);
    const same = tenant();
    same.releases = same.releases.map((r) =>
      r.metadata?.name === 'openstack-scs2-1-33-v1' ? readyRelease('openstack-scs2-1-33-v1', 'v1.33.6') : r,
    );
    const sideways = target(upgradeTargets(inputs({ cluster: onV2, ...same })).targets, 'openstack-scs2-1-33-v1');
    assert.deepEqual(codes(sideways), ['cluster-stacks:older-release']);
  });

  it('a pending AfterClusterUpgrade hook blocks version changes only', () => {
    const c = cluster();
    c.metadata = { ...c.metadata, annotations: { 'runtime.cluster.x-k8s.io/pending-hooks': 'AfterClusterUpgrade' } };
    const same = tenant();
    same.releases = same.releases.map((r) =>
      r.metadata?.name === 'openstack-scs2-1-33-v2' ? readyRelease('openstack-scs2-1-33-v2', 'v1.33.4') : r,
    );
    const r = upgradeTargets(inputs({ cluster: c, ...same }));
    assert.deepEqual(codes(target(r.targets, 'openstack-scs2-1-34-v1')), ['cluster-api:hook-pending']);
    const v2 = target(r.targets, 'openstack-scs2-1-33-v2');
    assert.equal(v2.allowed, true);
    assert.deepEqual(
      v2.change?.patch.filter((o) => o.op !== 'test').map((o) => o.path),
      ['/spec/topology/class'],
    );
    assert.match(v2.change?.effect ?? '', /Same Kubernetes version/);
  });

  it('a control plane or MachineDeployment still on a previous version blocks a version change', () => {
    const kcp: KubeObject = {
      apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
      kind: 'KubeadmControlPlane',
      metadata: { name: 'my-cluster-abc', namespace: 'cluster' },
      spec: { version: 'v1.33.4' },
      status: { version: 'v1.33.3' },
    };
    const t1 = target(upgradeTargets(inputs({ controlPlane: kcp })).targets, 'openstack-scs2-1-34-v1');
    assert.deepEqual(
      t1.refusals.map((r) => r.message),
      ['version cannot be changed: control plane is still completing a previous upgrade'],
    );
    const md: KubeObject = {
      kind: 'MachineDeployment',
      metadata: { name: 'my-cluster-md-0-x' },
      spec: { template: { spec: { version: 'v1.33.3' } } },
    };
    const t2 = target(upgradeTargets(inputs({ machineDeployments: [md] })).targets, 'openstack-scs2-1-34-v1');
    assert.deepEqual(
      t2.refusals.map((r) => r.message),
      ['version cannot be changed: there are still MachineDeployments completing a previous upgrade: [my-cluster-md-0-x]'],
    );
    const settled = { ...kcp, status: { version: 'v1.33.4' } };
    assert.equal(target(upgradeTargets(inputs({ controlPlane: settled })).targets, 'openstack-scs2-1-34-v1').allowed, true);
  });

  it('a target class without the worker class the Cluster uses fails the topology rules (CSK210)', () => {
    const t0 = tenant();
    const classes = t0.clusterClasses.map((c) =>
      c.metadata?.name === 'openstack-scs2-1-34-v1'
        ? clusterClass('openstack-scs2-1-34-v1', { workers: { machineDeployments: [{ class: 'gpu-worker' }] } })
        : c,
    );
    const t = target(upgradeTargets(inputs({ clusterClasses: classes })).targets, 'openstack-scs2-1-34-v1');
    assert.deepEqual(codes(t), ['cluster-stacks:topology-rules']);
    assert.match(t.refusals[0].message, /^CSK210: worker class default-worker is not defined in openstack-scs2-1-34-v1/);
    assert.equal(t.change, undefined);
  });

  it('a target class with another infrastructure template kind is incompatible', () => {
    const t0 = tenant();
    const classes = t0.clusterClasses.map((c) =>
      c.metadata?.name === 'openstack-scs2-1-34-v1'
        ? clusterClass('openstack-scs2-1-34-v1', {
            infrastructure: { ref: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'DockerClusterTemplate', name: 'x' } },
          })
        : c,
    );
    const t = target(upgradeTargets(inputs({ clusterClasses: classes })).targets, 'openstack-scs2-1-34-v1');
    assert.deepEqual(codes(t), ['cluster-api:incompatible-class']);
  });

  it('objects of other namespaces and other stacks are not candidates; bad input is a clear error', () => {
    const t0 = tenant();
    const foreign = clusterClass('openstack-scs2-1-34-v2');
    foreign.metadata = { ...foreign.metadata, namespace: 'other' };
    const otherStack = clusterClass('openstack-scs-1-34-v1');
    const r = upgradeTargets(inputs({ clusterClasses: [...t0.clusterClasses, foreign, otherStack] }));
    assert.ok(!r.targets.some((t) => t.className === 'openstack-scs2-1-34-v2' || t.className === 'openstack-scs-1-34-v1'));
    assert.equal(
      upgradeTargets(inputs({ cluster: { kind: 'Cluster', metadata: { name: 'x' }, spec: {} } })).error,
      'not a topology Cluster (no spec.topology)',
    );
    const custom = cluster();
    (custom.spec as { topology: Record<string, unknown> }).topology.class = 'my-own-class';
    assert.equal(upgradeTargets(inputs({ cluster: custom })).error, 'my-own-class is not the ClusterClass of a cluster stack');
  });
});

describe('ops: chained upgrade plan from ClusterClass kubernetesVersions', () => {
  // Cases from kubernetes-sigs/cluster-api@ae7ff047 exp/topology/desiredstate/upgrade_plan_test.go:1039-1146.
  const cases: [string[], string, string, string[]][] = [
    [['v1.31.0'], 'v1.31.0', 'v1.31.0', []],
    [['v1.31.0', 'v1.32.0', 'v1.32.1'], 'v1.32.0', 'v1.31.0', ['v1.32.0']],
    [['v1.35.1', 'v1.35.2'], 'v1.35.2', 'v1.35.1', ['v1.35.2']],
    [['v1.35.1', 'v1.35.2', 'v1.35.3'], 'v1.35.3', 'v1.35.1', ['v1.35.3']],
    [['v1.35.1', 'v1.35.2', 'v1.35.3'], 'v1.35.2', 'v1.35.1', ['v1.35.2']],
    [['v1.31.0', 'v1.32.0', 'v1.33.0'], 'v1.33.0', 'v1.31.0', ['v1.32.0', 'v1.33.0']],
    [['v1.31.0', 'v1.31.1', 'v1.32.0', 'v1.32.2', 'v1.32.3', 'v1.33.0', 'v1.33.1'], 'v1.33.1', 'v1.31.0', ['v1.32.3', 'v1.33.1']],
    [
      ['v1.31.0', 'v1.31.1', 'v1.32.0-alpha.0', 'v1.32.0-alpha.1', 'v1.32.0-alpha.2', 'v1.33.0', 'v1.33.1'],
      'v1.33.1',
      'v1.31.0',
      ['v1.32.0-alpha.2', 'v1.33.1'],
    ],
    [
      ['v1.31.0', 'v1.31.1', 'v1.32.0+foo.1-bar.1', 'v1.32.0+foo.2-bar.1', 'v1.32.0+foo.2-bar.2', 'v1.33.0', 'v1.33.1'],
      'v1.33.1',
      'v1.31.0',
      ['v1.32.0+foo.2-bar.2', 'v1.33.1'],
    ],
    [
      [
        'v1.31.0+a',
        'v1.31.0+b',
        'v1.31.0+c',
        'v1.31.1+a',
        'v1.32.0+a',
        'v1.32.0+b',
        'v1.32.0+c',
        'v1.33.0+b',
        'v1.33.1+a',
        'v1.33.1+b',
        'v1.33.1+c',
      ],
      'v1.33.1+b',
      'v1.31.0+b',
      ['v1.32.0+c', 'v1.33.1+b'],
    ],
    [['v1.31.1', 'v1.32.0', 'v1.33.0'], 'v1.33.0', 'v1.31.0', ['v1.32.0', 'v1.33.0']],
  ];
  for (const [versions, desired, current, want] of cases)
    it(`${current} → ${desired} over [${versions.join(', ')}]`, () => {
      assert.deepEqual(upgradePlanFromClassVersions(versions, desired, current), want);
    });
});

/**
 * Cluster health on the states the real controllers write (test/fixtures/states, each file names the upstream lines it
 * follows). Every case here failed on the model before issue #11: bootstrap and provisioning said "failed", a failed
 * topology said "progressing", a blocking hook did not name the hook.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { blockingHooks, clusterStatus, type Health } from '../../../../src/core/capi/status';
import type { KubeObject } from '../../../../src/core/capi/types';

const STATES = path.resolve(__dirname, '../../../fixtures/states');
const docs = (file: string): KubeObject[] =>
  yaml.loadAll(fs.readFileSync(path.join(STATES, file), 'utf8')).filter((d): d is KubeObject => !!d && typeof d === 'object');
const cluster = (file: string): KubeObject => docs(file).find((d) => d.kind === 'Cluster') as KubeObject;

describe('cluster health as the CAPI controllers write it (fixtures/states)', () => {
  const cases: { file: string; health: Health; reason: RegExp; upstream: string }[] = [
    {
      file: 'cluster-v1beta2-bootstrap.yaml',
      health: 'progressing',
      reason: /^Bootstrapping \(phase Provisioned\): ControlPlaneInitialized: Control plane not yet initialized$/,
      upstream:
        'cluster-api@ae7ff047 core/reconcilers/cluster/cluster_controller_status.go:107-110 (Provisioned before the control plane), :311-323 (probe "not established yet"), :620-626',
    },
    {
      file: 'cluster-v1beta2-infrastructure-provisioning.yaml',
      health: 'progressing',
      reason: /^Bootstrapping \(phase Provisioning\): InfrastructureReady: OpenStackCluster status\.initialization\.provisioned is false$/,
      upstream: 'cluster_controller_status.go:97-119 (setPhase), :364-372 and :1234-1239 (fallback message)',
    },
    {
      file: 'cluster-v1beta2-topology-reconcile-failed.yaml',
      health: 'failed',
      reason: /^TopologyReconciled: error reconciling the Cluster topology: .*region is immutable$/,
      upstream: 'cluster_controller_status.go:1152-1155 (ReconcileFailed is an availability problem), topology/cluster/status.go:111-131',
    },
    {
      file: 'cluster-v1beta1-topology-reconcile-failed.yaml',
      health: 'failed',
      reason: /^TopologyReconciled: error reconciling the Cluster topology: /,
      upstream:
        'cluster-api@v1.8.0 internal/controllers/topology/cluster/conditions.go:63-70; Ready only summarises CP+infra, cluster_controller.go:163-168',
    },
    {
      file: 'cluster-v1beta2-topology-upgrade-pending.yaml',
      health: 'progressing',
      reason: /^TopologyReconciled: Cluster is upgrading to v1\.34\.2$/,
      upstream:
        'topology/cluster/status.go:213-320 (ClusterUpgrading), cluster_controller_status.go:1152-1155 (info, Available stays True)',
    },
    {
      file: 'cluster-v1beta1-hook-blocking-before-upgrade.yaml',
      health: 'progressing',
      reason:
        /^TopologyReconciled: lifecycle hook BeforeClusterUpgrade is blocking: the cluster-stack operator waits for ClusterAddon cluster-addon-cs-hook \(HelmChartApplied=False FailedToApplyObjects: failed to successfully apply helm chart: "ccm"\)$/,
      upstream: 'cluster-api@v1.10.0 topology/cluster/conditions.go:140-160; cluster-stack-operator@b3680fb extension/hooks.go:59, :92-94',
    },
    {
      file: 'cluster-v1beta2-hook-blocking-upgrading.yaml',
      health: 'progressing',
      reason: /^TopologyReconciled: lifecycle hook BeforeClusterUpgrade is blocking$/,
      upstream: 'cluster-api@ae7ff047 topology/cluster/status.go:241-243, exp/topology/scope/hookresponsetracker.go:105',
    },
    {
      file: 'cluster-v1beta2-probe-lost.yaml',
      health: 'failed',
      reason: /^RemoteConnectionProbe: Remote connection probe failed, probe last succeeded at 2025-06-12T21:47:09Z$/,
      upstream: 'cluster_controller_status.go:326-338: after the grace period the lost probe is an availability problem',
    },
  ];

  it('covers every cluster fixture in states/', () => {
    const files = fs.readdirSync(STATES).filter((f) => f.startsWith('cluster-'));
    assert.deepEqual(files.sort(), cases.map((c) => c.file).sort());
  });

  for (const c of cases) {
    it(`${c.file}: ${c.health} (${c.upstream})`, () => {
      const all = docs(c.file);
      const s = clusterStatus(cluster(c.file), { clusterAddons: all.filter((d) => d.kind === 'ClusterAddon') });
      assert.equal(s.health, c.health, s.reason);
      assert.match(s.reason, c.reason);
    });
  }

  it("when the input holds ClusterAddons but not this cluster's, the hook is named and the missing addon said", () => {
    const [, addon] = docs('cluster-v1beta1-hook-blocking-before-upgrade.yaml');
    const other = { ...addon, metadata: { ...addon.metadata, name: 'cluster-addon-other' }, spec: { clusterRef: { name: 'other' } } };
    const s = clusterStatus(cluster('cluster-v1beta1-hook-blocking-before-upgrade.yaml'), { clusterAddons: [other] });
    assert.equal(
      s.reason,
      'TopologyReconciled: lifecycle hook BeforeClusterUpgrade is blocking; the cluster-stack operator waits for ClusterAddon cluster-addon-cs-hook, which is not in the input',
    );
  });

  it('once the ClusterAddon reports HelmChartApplied=True the reason says the hook will let go (hooks.go:92-94)', () => {
    const all = docs('cluster-v1beta1-hook-blocking-before-upgrade.yaml');
    const addon = JSON.parse(JSON.stringify(all[1])) as { status: { conditions: { type: string; status: string }[] } };
    addon.status.conditions = addon.status.conditions.map((c) => (c.type === 'HelmChartApplied' ? { type: c.type, status: 'True' } : c));
    const s = clusterStatus(all[0], { clusterAddons: [addon as KubeObject] });
    assert.match(s.reason, /has HelmChartApplied=True, so the hook lets the upgrade go on/);
  });

  it('reads both spellings of the blocking-hook message (v1.10.0 hookresponsetracker.go:95-97; ae7ff047 :105)', () => {
    const c = (message: string) => ({ type: 'TopologyReconciled', status: 'False', message });
    assert.deepEqual(blockingHooks(c('hook "BeforeClusterUpgrade" is blocking: wait; hook "AfterControlPlaneUpgrade" is blocking')), [
      'BeforeClusterUpgrade',
      'AfterControlPlaneUpgrade',
    ]);
    assert.deepEqual(
      blockingHooks(c('Cluster is upgrading to v1.34.2\n  * Following hooks are blocking upgrade: BeforeClusterUpgrade: addons; AfterX')),
      ['BeforeClusterUpgrade', 'AfterX'],
    );
    assert.deepEqual(blockingHooks(c('Cluster is upgrading to v1.34.2')), []);
    assert.deepEqual(blockingHooks({ type: 'TopologyReconciled', status: 'True', message: 'hook "X" is blocking' }), []);
  });

  it('ClusterClassNotReconciled is an availability problem too (cluster_controller_status.go:1153-1154)', () => {
    const obj = JSON.parse(JSON.stringify(cluster('cluster-v1beta2-topology-upgrade-pending.yaml'))) as KubeObject & {
      status: { conditions: { type: string; status: string; reason?: string; message?: string }[] };
    };
    for (const c of obj.status.conditions) {
      if (c.type === 'TopologyReconciled')
        Object.assign(c, { reason: 'ClusterClassNotReconciled', message: 'ClusterClass not reconciled.' });
      if (c.type === 'Available') Object.assign(c, { status: 'False', reason: 'NotAvailable' });
    }
    const s = clusterStatus(obj);
    assert.equal(s.health, 'failed');
    assert.equal(s.reason, 'TopologyReconciled: ClusterClass not reconciled.');
  });

  it('a hard provider failure during bootstrap is still failed (v1beta1 Ready severity Error)', () => {
    const obj = JSON.parse(JSON.stringify(cluster('cluster-v1beta2-infrastructure-provisioning.yaml'))) as KubeObject & {
      status: Record<string, unknown>;
    };
    obj.status.deprecated = {
      v1beta1: {
        conditions: [
          { type: 'Ready', status: 'False', severity: 'Error', reason: 'OpenStackError', message: 'quota exceeded for floating IPs' },
        ],
      },
    };
    const s = clusterStatus(obj);
    assert.equal(s.health, 'failed');
    assert.equal(s.reason, 'Ready: quota exceeded for floating IPs');
  });
});

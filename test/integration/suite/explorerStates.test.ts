// The explorer on the states the real controllers write (test/fixtures/states: each file names the upstream lines it
// follows), inside a real VS Code against the emulator: every cluster, ClusterStack and release node shows the health
// `cluster-stacks health` prints for the same objects — the expected states below are the fixtures' upstream-derived
// ones, not read from our code — a blocking hook names the ClusterAddon it waits for, and an ApplyOnce
// ClusterResourceSet after a rotation says the rotation never reaches the cluster.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { healthOf, readKubeObjects } from '../../../src/core/health';
import type { TreeSnapshot } from '../../../src/views/explorer/snapshot';
import { type Emulator, startEmulator } from '../../emulator';
import { activatedExtension, findById, waitFor } from '../helpers';
import { trackEmulator } from '../leak/ledger';

const STATES = path.resolve(__dirname, '../../../test/fixtures/states');
// capo-cluster-identity.yaml holds cluster-scoped OpenStackClusterIdentity objects for the identity work, not a tree state.
const FILES = fs
  .readdirSync(STATES)
  .filter((f) => f.endsWith('.yaml') && f !== 'capo-cluster-identity.yaml')
  .sort();
const NS = 'my-tenant';

/** A Markdown tooltip's text as read (the renderer escapes Markdown punctuation). */
const plain = (s: string | undefined) => (s ?? '').replace(/\\(.)/g, '$1');

/** What each node must show, from the fixtures' "Expected" notes (the upstream controllers' behaviour). */
const CLUSTERS: { name: string; icon: string; tooltip: RegExp; description?: RegExp }[] = [
  { name: 'cs-boot', icon: 'sync', tooltip: /— progressing\n\nBootstrapping \(phase Provisioned\): ControlPlaneInitialized: / },
  { name: 'cs-infra', icon: 'sync', tooltip: /— progressing\n\nBootstrapping \(phase Provisioning\): InfrastructureReady: / },
  { name: 'cs-topo-fail', icon: 'error', tooltip: /— failed\n\nTopologyReconciled: error reconciling the Cluster topology: / },
  { name: 'cs-topo-fail-old', icon: 'error', tooltip: /— failed\n\nTopologyReconciled: error reconciling the Cluster topology: / },
  { name: 'cs-upgrade', icon: 'sync', tooltip: /— progressing\n\nTopologyReconciled: Cluster is upgrading to v1\.34\.2/ },
  {
    name: 'cs-hook',
    icon: 'sync',
    tooltip:
      /— progressing\n\nTopologyReconciled: lifecycle hook BeforeClusterUpgrade is blocking: the cluster-stack operator waits for ClusterAddon cluster-addon-cs-hook \(HelmChartApplied=False FailedToApplyObjects: /,
  },
  { name: 'cs-hook-new', icon: 'sync', tooltip: /— progressing\n\nTopologyReconciled: lifecycle hook BeforeClusterUpgrade is blocking/ },
  { name: 'cs-lost', icon: 'error', tooltip: /— failed\n\nRemoteConnectionProbe: Remote connection probe failed/ },
  {
    name: 'cs-once',
    icon: 'pass-filled',
    tooltip: /Credentials: stale: .*ApplyOnce: a rotation never reaches existing clusters/,
    description: /credentials stale$/,
  },
  {
    name: 'cs-reconcile',
    icon: 'pass-filled',
    tooltip: /Credentials: stale: .*the controller re-applies it on its next reconcile/,
    description: /credentials stale$/,
  },
];

describe('explorer on the controllers’ states (real VS Code, fixtures/states in the emulator)', function () {
  this.timeout(120_000);
  let mgmt: Emulator;
  let tree: TreeSnapshot[] = [];
  const cli = healthOf(FILES.flatMap((f) => readKubeObjects(fs.readFileSync(path.join(STATES, f), 'utf8')).objects));
  const entry = (kind: string, name: string) => {
    const e = cli.find((x) => x.kind === kind && x.name === name);
    assert.ok(e, `cluster-stacks health has no ${kind} ${name}`);
    return e;
  };

  before(async () => {
    await activatedExtension();
    mgmt = await startEmulator({
      name: `mgmt-states-${Math.random().toString(36).slice(2, 8)}`,
      seed: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }, ...FILES.map((f) => path.join(STATES, f))],
    });
    trackEmulator(mgmt);
    await vscode.workspace
      .getConfiguration('clusterStacks')
      .update('kubeconfigPaths', [mgmt.kubeconfigPath], vscode.ConfigurationTarget.Global);
    tree = await waitFor('every fixture cluster in the tree', async () => {
      const t = await vscode.commands.executeCommand<TreeSnapshot[]>('clusterStacks.explorer.snapshot', { expand: [mgmt.name] });
      return CLUSTERS.every((c) => findById(t, `/clusters:${c.name}`)) ? t : undefined;
    });
  });

  after(async () => {
    await vscode.workspace.getConfiguration('clusterStacks').update('kubeconfigPaths', undefined, vscode.ConfigurationTarget.Global);
    await mgmt?.stop();
  });

  it('covers every Cluster of the fixtures', () => {
    assert.deepEqual(
      cli
        .filter((e) => e.kind === 'Cluster')
        .map((e) => e.name)
        .sort(),
      CLUSTERS.map((c) => c.name).sort(),
    );
  });

  for (const c of CLUSTERS) {
    it(`cluster ${c.name}: label, icon, description and tooltip agree with the controllers and with \`cluster-stacks health\``, () => {
      const n = findById(tree, `/clusters:${c.name}`);
      assert.ok(n, c.name);
      assert.ok(n.label.startsWith(c.name), n.label);
      assert.equal(n.icon, c.icon, `${c.name}: ${plain(n.tooltip)}`);
      const tip = plain(n.tooltip);
      assert.match(tip, c.tooltip);
      const e = entry('Cluster', c.name);
      assert.ok(
        tip.startsWith(`**${c.name}** — ${e.state}\n\n${e.reason}\n\n`),
        `tree and CLI differ:\n${tip}\nvs ${e.state}: ${e.reason}`,
      );
      if (e.credentials) assert.ok(tip.includes(`Credentials: ${e.credentials.state}: ${e.credentials.reason}`), tip);
      if (c.description) assert.match(n.description ?? '', c.description);
      assert.match(n.contextValue ?? '', new RegExp(`health-${e.state}\\b`));
    });
  }

  it('the retrying ClusterStackRelease is progressing (not failed), and so is its ClusterStack — as the CLI says', () => {
    const rel = findById(tree, ':openstack-scs2-1-33-v1-alpha-1');
    assert.ok(rel, 'release node');
    assert.equal(rel.icon, 'sync');
    assert.match(rel.description ?? '', /progressing/);
    assert.match(rel.tooltip ?? '', /^retrying: failed to successfully apply everything \(ObjectsApplyingOngoing; /);
    assert.equal(rel.tooltip, entry('ClusterStackRelease', 'openstack-scs2-1-33-v1-alpha-1').reason);
    const stack = findById(tree, '/clusterstacks:openstack-custom');
    assert.ok(stack, 'stack node');
    assert.equal(stack.icon, 'sync');
    assert.match(stack.description ?? '', /· progressing$/);
    assert.ok((stack.tooltip ?? '').startsWith(entry('ClusterStack', 'openstack-custom').reason), stack.tooltip);
  });
});

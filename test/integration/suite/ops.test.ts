// Workload-cluster actions inside a real VS Code against the Kubernetes API emulator, with the model of the
// cluster-stack operator (test/emulator/csoController.ts) making the releases and ClusterClasses of four
// ClusterStacks ready (scs2 1.33 v1+v2, 1.34 v1, 1.35 v1): an upgrade to the next release and to the next
// minor ends with class and version matching the release (read back with kubectl -o json), skipping a minor
// is refused with the operator's reason and nothing is written, scaling changes the replicas, pause/resume
// toggle spec.paused and the tree says what pausing means, and delete needs the typed name and respects
// protected contexts.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { OpsResult } from '../../../src/commands/ops/clusterCommand';
import type { DeleteResult } from '../../../src/commands/ops/deleteCluster';
import type { TreeSnapshot } from '../../../src/views/explorer/snapshot';
import { type Emulator, type KubeObject, startEmulator } from '../../emulator';
import { CsoModel } from '../../emulator/csoController';
import { scs2ClusterStack, scs2ReadmeCluster } from '../../emulator/fixtures';
import { TopologyController } from '../../emulator/topologyController';
import { activatedExtension, waitFor } from '../helpers';
import { trackEmulator } from '../leak/ledger';

const run = promisify(execFile);
const REPO = path.resolve(__dirname, '../../..');
const FIXTURES = path.join(REPO, 'test', 'fixtures');
const CTX = 'ops-it';
const NS = 'tenant-ops';

const clusterStack = (minor: string, versions: string[]): KubeObject => scs2ClusterStack(NS, minor, versions);

const readmeCluster = (name: string): KubeObject => scs2ReadmeCluster(name, NS, FIXTURES);

describe('workload clusters: upgrade, scale, pause, delete', function () {
  this.timeout(120_000);
  let em: Emulator;
  let cso: CsoModel;
  /** The topology/cluster controller model, for the clusters named `ro-*` only; driven pass by pass. */
  let capi: TopologyController;
  let dir: string;
  let admin: string;
  const config = () => vscode.workspace.getConfiguration('clusterStacks');
  const kubectl = async (...args: string[]) =>
    (
      await run('kubectl', ['--kubeconfig', admin, ...args], {
        env: { ...process.env, KUBECACHEDIR: path.join(dir, 'kubectl-cache') },
      })
    ).stdout;
  const cluster = async (name: string) => JSON.parse(await kubectl('get', 'clusters.cluster.x-k8s.io', name, '-n', NS, '-o', 'json'));
  const exec = <T = OpsResult>(id: string, args: Record<string, unknown>) =>
    vscode.commands.executeCommand<T>(id, { context: CTX, namespace: NS, ...args });
  const find = (nodes: TreeSnapshot[] | undefined, pred: (n: TreeSnapshot) => boolean): TreeSnapshot | undefined => {
    for (const n of nodes ?? []) {
      if (pred(n)) return n;
      const hit = find(n.children, pred);
      if (hit) return hit;
    }
    return undefined;
  };
  const clusterNode = async (name: string) =>
    find(
      await vscode.commands.executeCommand<TreeSnapshot[]>('clusterStacks.explorer.snapshot', { expand: [CTX] }),
      (n) => n.contextValue?.startsWith('object clusters') === true && n.label.startsWith(`${name} `),
    );

  const condition = (c: KubeObject, type: string) => (c.status?.conditions ?? []).find((x: KubeObject) => x.type === type);
  /** Passes of the controller model until `done` holds for the Cluster (at most 30). */
  const until = async (name: string, done: (c: KubeObject) => boolean): Promise<KubeObject> => {
    for (let i = 0; i < 30; i++) {
      await capi.step();
      const c = em.get('cluster.x-k8s.io/v1beta2', 'Cluster', NS, name);
      if (c && done(c)) return c;
    }
    throw new Error(`${name}: not reached: ${JSON.stringify(em.get('cluster.x-k8s.io/v1beta2', 'Cluster', NS, name)?.status?.conditions)}`);
  };
  /** Provisioned with its worker up to date (WorkersAvailable alone is True before the MachineDeployments exist). */
  const provisioned = (c: KubeObject): boolean =>
    condition(c, 'TopologyReconciled')?.reason === 'ReconcileSucceeded' && (c.status?.workers?.upToDateReplicas ?? 0) >= 1;
  /** The TopologyReconciled row under the cluster's node in the tree, once its description matches. */
  const topologyRow = (name: string, re: RegExp) =>
    waitFor(
      `${name}: TopologyReconciled ${re} in the tree`,
      async () => (await clusterNode(name))?.children?.find((n) => n.label === 'TopologyReconciled' && re.test(n.description ?? '')),
      20_000,
    );

  before(async () => {
    await activatedExtension();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-it-'));
    em = await startEmulator({
      name: CTX,
      seed: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
        clusterStack('1.33', ['v1', 'v2']),
        clusterStack('1.34', ['v1']),
        clusterStack('1.35', ['v1']),
      ],
    });
    trackEmulator(em);
    cso = new CsoModel(em, { stepMs: 100, fixturesDir: path.join(FIXTURES, 'clusterclass') }).start();
    admin = path.join(dir, 'admin.kubeconfig');
    fs.writeFileSync(admin, em.kubeconfig(), { mode: 0o600 });
    await waitFor(
      'four ready releases and their ClusterClasses',
      () => (em.list('cluster.x-k8s.io/v1beta1', 'ClusterClass', NS).length === 4 ? true : undefined),
      20_000,
    );
    for (const name of ['up', 'sk', 'sc', 'pa', 'de', 'ro-up', 'ro-hook', 'ro-del']) em.put(readmeCluster(name));
    capi = new TopologyController(em, { capiVersion: '1.11', manages: (c) => String(c.metadata?.name).startsWith('ro-') });
    await config().update('kubeconfigPaths', [admin], vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await capi?.stop();
    await cso?.stop();
    await config().update('protectedContexts', undefined, vscode.ConfigurationTarget.Global);
    await config().update('kubeconfigPaths', undefined, vscode.ConfigurationTarget.Global);
    await em?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('upgrades to the next release of the same minor, then to the next minor: class and version always match the release', async () => {
    const patch = await exec('clusterStacks.upgradeCluster', { clusters: ['up'], className: 'openstack-scs2-1-33-v2', confirmed: true });
    assert.equal(patch?.outcome, 'updated', patch?.message);
    let c = await cluster('up');
    assert.equal(c.spec.topology.classRef.name, 'openstack-scs2-1-33-v2');
    assert.equal(c.spec.topology.version, 'v1.33.4');
    const release = JSON.parse(
      await kubectl('get', 'clusterstackreleases.clusterstack.x-k8s.io', 'openstack-scs2-1-34-v1', '-n', NS, '-o', 'json'),
    );
    const minor = await exec('clusterStacks.upgradeCluster', { clusters: ['up'], className: 'openstack-scs2-1-34-v1', confirmed: true });
    assert.equal(minor?.outcome, 'updated', minor?.message);
    c = await cluster('up');
    assert.equal(c.spec.topology.classRef.name, 'openstack-scs2-1-34-v1');
    assert.equal(c.spec.topology.version, release.status.kubernetesVersion);
    assert.equal(c.spec.topology.version, 'v1.34.7');
    const managed = JSON.parse(await kubectl('get', 'clusters.cluster.x-k8s.io', 'up', '-n', NS, '-o', 'json', '--show-managed-fields'));
    assert.ok(
      (managed.metadata.managedFields as { manager: string }[]).some((m) => m.manager === 'cluster-stacks-vscode'),
      'written with the field manager cluster-stacks-vscode',
    );
  });

  it('refuses to skip a minor with the operator webhook reason and writes nothing', async () => {
    const before = await cluster('sk');
    const r = await exec('clusterStacks.upgradeCluster', { clusters: ['sk'], className: 'openstack-scs2-1-35-v1', confirmed: true });
    assert.equal(r?.outcome, 'refused');
    assert.match(r?.message ?? '', /kubernetes version must be the same or higher by one\. Got 1-35, want 1-33 or 1-34/);
    const after = await cluster('sk');
    assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
    assert.equal(after.spec.topology.classRef.name, 'openstack-scs2-1-33-v1');
  });

  it('scales the control plane and a MachineDeployment; an unknown MachineDeployment is refused', async () => {
    const r = await exec('clusterStacks.scaleCluster', {
      clusters: ['sc'],
      controlPlaneReplicas: 3,
      machineDeployments: [{ name: 'md-0', replicas: 4 }],
      confirmed: true,
    });
    assert.equal(r?.outcome, 'updated', r?.message);
    const c = await cluster('sc');
    assert.equal(c.spec.topology.controlPlane.replicas, 3);
    assert.deepEqual(c.spec.topology.workers.machineDeployments, [{ class: 'default-worker', name: 'md-0', replicas: 4 }]);
    const unknown = await exec('clusterStacks.scaleCluster', {
      clusters: ['sc'],
      machineDeployments: [{ name: 'md-9', replicas: 1 }],
      confirmed: true,
    });
    assert.equal(unknown?.outcome, 'refused');
    assert.match(unknown?.message ?? '', /no machineDeployments entry named md-9 in sc \(has: md-0\)/);
  });

  it('hands a MachineDeployment to the autoscaler and takes it back: annotations and replicas as kubectl sees them', async () => {
    const min = 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size';
    const max = 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size';
    const r = await exec('clusterStacks.scaleCluster', {
      clusters: ['sc'],
      machineDeployments: [{ name: 'md-0', autoscaler: { min: 2, max: 5 } }],
      confirmed: true,
    });
    assert.equal(r?.outcome, 'updated', r?.message);
    const [md] = (await cluster('sc')).spec.topology.workers.machineDeployments;
    assert.equal(md.replicas, undefined);
    assert.deepEqual([md.metadata?.annotations?.[min], md.metadata?.annotations?.[max]], ['2', '5']);
    const back = await exec('clusterStacks.scaleCluster', {
      clusters: ['sc'],
      machineDeployments: [{ name: 'md-0', autoscaler: null, replicas: 3 }],
      confirmed: true,
    });
    assert.equal(back?.outcome, 'updated', back?.message);
    const [after] = (await cluster('sc')).spec.topology.workers.machineDeployments;
    assert.equal(after.replicas, 3);
    assert.equal(after.metadata?.annotations?.[min], undefined);
  });

  it('interactive Scale… shows the autoscaler range, hands over, adjusts and takes back a MachineDeployment', async () => {
    const min = 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size';
    const max = 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size';
    const w = vscode.window as unknown as Record<string, unknown>;
    const originals = { pick: w.showQuickPick, input: w.showInputBox };
    /** What the prompts showed: each quick pick's items as "label · description", each input box's title and value. */
    const shown: string[] = [];
    let answers: string[] = [];
    w.showQuickPick = async (items: readonly vscode.QuickPickItem[], opts?: vscode.QuickPickOptions) => {
      shown.push(`${opts?.title}: ${items.map((i) => `${i.label} · ${i.description ?? ''}`).join(' | ')}`);
      const want = answers.shift();
      const hit = items.find((i) => i.label === want);
      assert.ok(hit, `"${want}" is not offered in ${opts?.title}`);
      return hit;
    };
    w.showInputBox = async (opts?: vscode.InputBoxOptions) => {
      shown.push(`${opts?.title}: [${opts?.value ?? ''}]`);
      const answer = answers.shift() ?? '';
      // The box does not take an answer its validation refuses: the user can only dismiss it then.
      const refused = await opts?.validateInput?.(answer);
      if (refused) shown.push(`refused ${answer}: ${String(refused)}`);
      return refused ? undefined : answer;
    };
    const scale = async (...steps: string[]) => {
      answers = steps;
      const r = await exec('clusterStacks.scaleCluster', { clusters: ['sc'], confirmed: true });
      assert.equal(r?.outcome, 'updated', r?.message);
      assert.deepEqual(answers, [], 'every prompt was asked');
      const [md] = (await cluster('sc')).spec.topology.workers.machineDeployments;
      return md;
    };
    try {
      const handed = await scale('md-0', 'Hand over to the autoscaler', '2-6');
      assert.deepEqual([handed.metadata?.annotations?.[min], handed.metadata?.annotations?.[max], handed.replicas], ['2', '6', undefined]);
      shown.length = 0;
      const adjusted = await scale('md-0', 'Autoscaler range', '1 - 4');
      assert.match(shown[0], /md-0 · default-worker · autoscaled 2–6/);
      assert.match(shown[1], /Autoscaler range · now 2–6 \| Replicas · a fixed count: takes it back from the autoscaler/);
      assert.match(shown[2], /Autoscaler range of md-0 \(min–max\): \[2-6\]/);
      assert.deepEqual([adjusted.metadata?.annotations?.[min], adjusted.metadata?.annotations?.[max]], ['1', '4']);
      const back = await scale('md-0', 'Replicas', '2');
      assert.equal(back.replicas, 2);
      assert.equal(back.metadata?.annotations?.[min], undefined);
      assert.equal(back.metadata?.annotations?.[max], undefined);
      // A range the box refuses (min above max): nothing is written.
      shown.length = 0;
      answers = ['md-0', 'Hand over to the autoscaler', '5-2'];
      await exec('clusterStacks.scaleCluster', { clusters: ['sc'], confirmed: true });
      assert.match(shown.at(-1) ?? '', /^refused 5-2: min 5 is above max 2$/);
      assert.equal((await cluster('sc')).spec.topology.workers.machineDeployments[0].replicas, 2);
    } finally {
      w.showQuickPick = originals.pick;
      w.showInputBox = originals.input;
    }
  });

  it('pauses and resumes: spec.paused toggles, the tree states the effect and offers the other action', async () => {
    const p = await exec('clusterStacks.pauseCluster', { clusters: ['pa'], confirmed: true });
    assert.equal(p?.outcome, 'updated', p?.message);
    assert.equal((await cluster('pa')).spec.paused, true);
    await vscode.commands.executeCommand('workbench.view.extension.clusterStacks');
    const paused = await waitFor(
      'pa paused in the tree',
      async () => {
        const n = await clusterNode('pa');
        return n?.description === 'paused' ? n : undefined;
      },
      20_000,
    );
    assert.match(paused.contextValue ?? '', /\bpaused\b/);
    const effect = paused.children?.find((n) => n.label === 'Reconciliation paused');
    assert.match(effect?.description ?? '', /nothing is rolled out, scaled, repaired or deleted/);
    const r = await exec('clusterStacks.resumeCluster', { clusters: ['pa'], confirmed: true });
    assert.equal(r?.outcome, 'updated', r?.message);
    assert.notEqual((await cluster('pa')).spec.paused, true);
    const resumed = await waitFor(
      'pa reconciled in the tree',
      async () => {
        const n = await clusterNode('pa');
        return n?.contextValue?.includes('reconciled') ? n : undefined;
      },
      20_000,
    );
    assert.equal(
      resumed.children?.some((n) => n.label === 'Reconciliation paused'),
      false,
    );
  });

  it('deletes only with the typed name, and never a protected context without confirmProtected', async () => {
    const wrong = await exec<DeleteResult>('clusterStacks.deleteCluster', { clusters: ['de'], typedName: 'd', confirmed: true });
    assert.equal(wrong?.outcome, 'refused');
    assert.match(wrong?.message ?? '', /type the cluster name "de" to confirm the deletion/);
    assert.ok(em.get('cluster.x-k8s.io/v1beta2', 'Cluster', NS, 'de'), 'still there');

    await config().update('protectedContexts', [CTX], vscode.ConfigurationTarget.Global);
    em.resetRequests();
    const prot = await exec<DeleteResult>('clusterStacks.deleteCluster', { clusters: ['de'], typedName: 'de', confirmed: true });
    assert.equal(prot?.outcome, 'refused');
    assert.match(prot?.message ?? '', new RegExp(`Context "${CTX}" is protected`));
    assert.deepEqual(
      em.requests.map((q) => `${q.method} ${q.path}`),
      [],
      'no request reached the protected cluster',
    );

    const ok = await exec<DeleteResult>('clusterStacks.deleteCluster', {
      clusters: ['de'],
      typedName: 'de',
      confirmed: true,
      confirmProtected: true,
    });
    assert.equal(ok?.outcome, 'deleted', ok?.message);
    assert.deepEqual(
      ok?.summary?.steps.map((s) => s.title),
      [],
      'the emulator serves no Machines or infrastructure objects for this Cluster',
    );
    await assert.rejects(cluster('de'), /NotFound|not found/);
    await config().update('protectedContexts', undefined, vscode.ConfigurationTarget.Global);
  });
  it('after an upgrade the tree shows the rollout: control plane first, then the workers, with the TopologyReconciled reason', async () => {
    await until('ro-up', provisioned);
    const r = await exec('clusterStacks.upgradeCluster', { clusters: ['ro-up'], className: 'openstack-scs2-1-34-v1', confirmed: true });
    assert.equal(r?.outcome, 'updated', r?.message);
    await vscode.commands.executeCommand('workbench.view.extension.clusterStacks');
    // The control plane takes the new version first: the workers are held until it is done.
    await until('ro-up', (c) => condition(c, 'TopologyReconciled')?.reason === 'MachineDeploymentsUpgradePending');
    const held = await topologyRow('ro-up', /MachineDeploymentsUpgradePending/);
    assert.match(held.description ?? '', /on hold\. Control plane is upgrading to version v1\.34\.7/);
    const c = await until(
      'ro-up',
      (x) => condition(x, 'TopologyReconciled')?.reason === 'ReconcileSucceeded' && condition(x, 'RollingOut')?.status === 'False',
    );
    assert.equal(c.spec.topology.classRef.name, 'openstack-scs2-1-34-v1');
    assert.equal(c.spec.topology.version, 'v1.34.7');
    await waitFor(
      'ro-up settled in the tree',
      async () => ((await clusterNode('ro-up'))?.children?.some((n) => n.label === 'TopologyReconciled') === false ? true : undefined),
      20_000,
    );
  });

  it('an upgrade held by a BeforeClusterUpgrade hook names the hook in the tree', async () => {
    await until('ro-hook', provisioned);
    const hold = 'before-upgrade.hook.cluster.cluster.x-k8s.io/hold';
    await kubectl('annotate', 'clusters.cluster.x-k8s.io', 'ro-hook', '-n', NS, `${hold}=`);
    const minor = await exec('clusterStacks.upgradeCluster', {
      clusters: ['ro-hook'],
      className: 'openstack-scs2-1-34-v1',
      confirmed: true,
    });
    assert.equal(minor?.outcome, 'updated', minor?.message);
    await until('ro-hook', (c) => condition(c, 'TopologyReconciled')?.reason === 'LifecycleHookBlocking');
    await vscode.commands.executeCommand('workbench.view.extension.clusterStacks');
    const row = await topologyRow('ro-hook', /LifecycleHookBlocking/);
    assert.match(
      row.description ?? '',
      new RegExp(`hook "BeforeClusterUpgrade" is blocking: annotation \\[${hold.replace(/[./]/g, '\\$&')}\\] is set`),
    );
  });

  it('a deleted cluster shows "deleting" in the tree until Cluster API has removed it', async () => {
    await until('ro-del', (c) => (c.metadata.finalizers ?? []).length > 0);
    const r = await exec<DeleteResult>('clusterStacks.deleteCluster', { clusters: ['ro-del'], typedName: 'ro-del', confirmed: true });
    assert.equal(r?.outcome, 'deleted', r?.message);
    assert.ok(em.get('cluster.x-k8s.io/v1beta2', 'Cluster', NS, 'ro-del')?.metadata.deletionTimestamp, 'held by the finalizer');
    await vscode.commands.executeCommand('workbench.view.extension.clusterStacks');
    const node = await waitFor(
      'ro-del deleting in the tree',
      async () => {
        const n = await clusterNode('ro-del');
        return n?.description === 'deleting' ? n : undefined;
      },
      20_000,
    );
    assert.match(node.contextValue ?? '', /health-deleting/);
    for (let i = 0; i < 30 && em.get('cluster.x-k8s.io/v1beta2', 'Cluster', NS, 'ro-del'); i++) await capi.step();
    assert.equal(em.get('cluster.x-k8s.io/v1beta2', 'Cluster', NS, 'ro-del'), undefined, 'gone once the finalizer is removed');
    await waitFor('ro-del gone from the tree', async () => ((await clusterNode('ro-del')) ? undefined : true), 20_000);
  });
});

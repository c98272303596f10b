// Credential state in the explorer tree, inside a real VS Code against a management emulator with
// workload emulators: ClusterResourceSet propagation (binding hash current, lastAppliedTime) on each
// cluster's "Cloud credentials" node, then the tree's "Check Credential Drift" action after a hand
// edit in one workload cluster: drifted there, in sync elsewhere; no secret value anywhere in the tree.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startEmulator, type Emulator } from '../../emulator';
import { CrsController } from '../../emulator/crsController';
import type { CommandResult } from '../../../src/commands/credentials/results';
import type { TreeSnapshot } from '../../../src/views/explorer/snapshot';
import { activatedExtension, waitFor, workspaceFolder } from '../helpers';

const RUN = Math.random().toString(36).slice(2, 8);
const NS = `tree-${RUN}`;
const APP_SECRET = `tree-AppCred-${RUN}-Qx7!k`;
const CRED_ID = `treeid${RUN}0123456789abcdef`;
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

const run = <T = CommandResult>(id: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(id, ...args);

function findById(nodes: readonly TreeSnapshot[] | undefined, suffix: string): TreeSnapshot | undefined {
  for (const n of nodes ?? []) {
    if (n.id?.endsWith(suffix)) return n;
    const hit = findById(n.children, suffix);
    if (hit) return hit;
  }
  return undefined;
}

describe('credential state in the explorer tree (real VS Code, emulators)', function () {
  this.timeout(180_000);
  let mgmt: Emulator;
  const workload = (n: string) => mgmt.workloads.get(`${NS}/${n}`) as Emulator;
  const credentialsNode = async (cluster: string) =>
    findById(await run<TreeSnapshot[]>('clusterStacks.explorer.snapshot', { expand: [mgmt.name] }), `/clusters:${cluster}/credentials`);

  before(async () => {
    await activatedExtension();
    mgmt = await startEmulator({
      name: `mgmt-tree-${RUN}`,
      seed: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
        {
          apiVersion: 'cluster.x-k8s.io/v1beta1',
          kind: 'ClusterClass',
          metadata: { name: 'openstack-scs-1-32-v1', namespace: NS },
          spec: {},
        },
      ],
    });
    for (const n of ['w0', 'w1']) {
      mgmt.put({
        apiVersion: 'cluster.x-k8s.io/v1beta1',
        kind: 'Cluster',
        metadata: { name: n, namespace: NS, labels: { 'managed-secret': 'cloud-config' } },
        spec: { topology: { class: 'openstack-scs-1-32-v1', version: 'v1.32.5' } },
        // provisioned: CAPI's ClusterCache (and so the ClusterResourceSet controller) only connects then
        status: { phase: 'Provisioned', infrastructureReady: true, controlPlaneReady: true },
      });
      await mgmt.addWorkloadCluster(NS, n);
    }
    await vscode.workspace
      .getConfiguration('clusterStacks')
      .update('kubeconfigPaths', [mgmt.kubeconfigPath], vscode.ConfigurationTarget.Global);
    const dir = path.join(workspaceFolder().fsPath, `tree-${RUN}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'clouds.yaml'),
      `clouds:\n  prod:\n    auth:\n      auth_url: https://keystone.example.com:5000/v3\n      application_credential_id: ${CRED_ID}\n      application_credential_secret: "${APP_SECRET}"\n    region_name: RegionOne\n    auth_type: v3applicationcredential\n`,
    );
    const r = await run('clusterStacks.pushToTenant', {
      uri: vscode.Uri.file(path.join(dir, 'clouds.yaml')).toString(),
      cloud: 'prod',
      context: mgmt.name,
      namespace: NS,
      confirmed: true,
    });
    assert.equal(r?.outcome, 'done', r?.message);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('clusterStacks').update('kubeconfigPaths', undefined, vscode.ConfigurationTarget.Global);
    await mgmt?.stop();
  });

  it('shows ClusterResourceSet propagation per cluster: pending, then applied hash current with lastAppliedTime', async () => {
    const r = await run('clusterStacks.keepInSync', {
      context: mgmt.name,
      namespace: NS,
      style: 'cloud-config',
      labelClusters: 'none',
      confirmed: true,
    });
    assert.equal(r?.outcome, 'done', r?.message);
    const pending = await waitFor('pending credentials node', async () => {
      const n = await credentialsNode('w0');
      return n?.label === 'Cloud credentials: pending' ? n : undefined;
    });
    assert.match(pending.tooltip ?? '', /not applied yet/);
    const crs = new CrsController(mgmt);
    await crs.reconcileOnce();
    await crs.stop();
    for (const c of ['w0', 'w1']) {
      const n = await waitFor(`${c} credentials current`, async () => {
        const x = await credentialsNode(c);
        return x?.label === 'Cloud credentials: in sync' ? x : undefined;
      });
      assert.match(n.description ?? '', /^crs-prod-secret: current \d{4}-\d\d-\d\dT/);
      assert.match(
        n.tooltip ?? '',
        /ClusterResourceSet crs-prod-secret, Secret prod-workload-cluster-secret: applied hash current, last applied \d{4}-/,
      );
    }
  });

  it('"Check Credential Drift" shows drifted for a hand-edited workload cluster and in sync for the other; no value in the tree', async () => {
    const w1 = workload('w1');
    const live = w1.get('v1', 'Secret', 'kube-system', 'cloud-config') as { data: Record<string, string> };
    assert.ok(live, 'the CRS delivered cloud-config into w1');
    w1.put({ ...live, data: { ...live.data, 'cloud.conf': b64('[Global]\nregion="edited-by-hand"\n') } });
    // Started from the tenant node, as the tree's context menu does.
    const tenant = findById(await run<TreeSnapshot[]>('clusterStacks.explorer.snapshot', { expand: [mgmt.name] }), `/ns:${NS}`);
    assert.ok(tenant);
    const res = await run('clusterStacks.explorer.checkDrift', { type: 'tenant', context: mgmt.name, namespace: NS });
    assert.equal(res?.outcome, 'done', res?.message);
    const w0 = await credentialsNode('w0');
    const w1Node = await credentialsNode('w1');
    assert.equal(w0?.label, 'Cloud credentials: in sync');
    assert.equal(w1Node?.label, 'Cloud credentials: drifted: cloud.conf changed');
    assert.equal(w1Node?.color, 'charts.yellow');
    assert.match(w1Node?.tooltip ?? '', /^Drift check \d{4}-.*drifted/);
    assert.match(w1Node?.contextValue ?? '', /\bcredentials-drifted\b/);

    const tree = JSON.stringify(await run<TreeSnapshot[]>('clusterStacks.explorer.snapshot', { expand: [mgmt.name] }));
    for (const secret of [APP_SECRET, b64(APP_SECRET), 'edited-by-hand', CRED_ID])
      assert.ok(!tree.includes(secret), `the tree contains ${secret.slice(0, 6)}…`);
  });
});

// The management-cluster explorer inside a real VS Code against the Kubernetes API emulator: the tree
// for a seeded SCS setup, a server-side status change arriving without a manual refresh, a 403 tenant
// next to working ones, masked YAML, and a workload kubeconfig that kubectl can use.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as yaml from 'js-yaml';
import * as vscode from 'vscode';
import type { TreeSnapshot } from '../../../src/views/explorer/snapshot';
import { type Emulator, type KubeObject, startEmulator } from '../../emulator';
import { activatedExtension, waitFor } from '../helpers';
import { trackEmulator } from '../leak/ledger';
import { SECRETS } from '../secrets';

const SECRET_DATA = SECRETS['explorer.secretData'];

const run = promisify(execFile);
const REPO = path.resolve(__dirname, '../../..');
const FIXTURES = path.join(REPO, 'test', 'fixtures');

function fixture(rel: string, patch: { namespace: string; name?: string }): KubeObject {
  const obj = yaml.load(fs.readFileSync(path.join(FIXTURES, rel), 'utf8')) as KubeObject;
  obj.metadata = { ...obj.metadata, namespace: patch.namespace, ...(patch.name ? { name: patch.name } : {}) };
  return obj;
}

function find(nodes: TreeSnapshot[] | undefined, ...labels: string[]): TreeSnapshot {
  let cur: TreeSnapshot | undefined;
  let list = nodes;
  for (const l of labels) {
    cur = list?.find((n) => n.label === l);
    assert.ok(cur, `no node "${l}" among ${JSON.stringify(list?.map((n) => n.label))}`);
    list = cur.children;
  }
  return cur as TreeSnapshot;
}

const snapshot = (expand: string[]) => vscode.commands.executeCommand<TreeSnapshot[]>('clusterStacks.explorer.snapshot', { expand });

describe('explorer: management clusters, tenants and workload clusters', function () {
  this.timeout(120_000);
  let em: Emulator;
  let dir: string;
  const config = () => vscode.workspace.getConfiguration('clusterStacks');

  before(async () => {
    await activatedExtension();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'explorer-it-'));
    em = await startEmulator({
      name: 'mgmt-it',
      users: [{ name: 'alice', namespaces: { 'tenant-a': 'edit', 'tenant-b': 'edit' } }],
      seed: [
        fixture('clusters/v1beta2-scs-topology-healthy-derived.yaml', { namespace: 'tenant-a' }),
        fixture('clusters/v1beta2-scs-topology-remote-connection-lost-derived.yaml', { namespace: 'tenant-a', name: 'cs-broken' }),
        fixture('clusterstack/scs2-clusterstack-v1-ready-v2-downloading-derived.yaml', { namespace: 'tenant-a' }),
        fixture('clusterstack/scs2-clusterstackrelease-ready-derived.yaml', { namespace: 'tenant-a' }),
        fixture('addons/scs-csp-helper-clusterresourceset-cloud-config-derived.yaml', { namespace: 'tenant-a' }),
        {
          apiVersion: 'addons.cluster.x-k8s.io/v1beta1',
          kind: 'ClusterResourceSetBinding',
          metadata: { name: 'cs-cluster', namespace: 'tenant-a' },
          spec: {
            clusterName: 'cs-cluster',
            bindings: [
              {
                clusterResourceSetName: 'crs-openstack-secret',
                resources: [{ kind: 'Secret', name: 'openstack-workload-cluster-secret', applied: true }],
              },
            ],
          },
        },
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'openstack', namespace: 'tenant-a' },
          stringData: {
            'clouds.yaml': `clouds:\n  openstack:\n    auth:\n      application_credential_secret: ${SECRET_DATA}\n`,
            cloudName: 'openstack',
          },
        },
        {
          apiVersion: 'cluster.x-k8s.io/v1beta1',
          kind: 'ClusterClass',
          metadata: { name: 'openstack-scs2-1-33-v1', namespace: 'tenant-b' },
          spec: {},
        },
        fixture('clusters/v1beta2-scs-topology-healthy-derived.yaml', { namespace: 'tenant-c', name: 'hidden' }),
      ],
    });
    trackEmulator(em);
    await em.addWorkloadCluster('tenant-a', 'cs-cluster');
    const admin = path.join(dir, 'admin.kubeconfig');
    const alice = path.join(dir, 'alice.kubeconfig');
    fs.writeFileSync(admin, em.kubeconfig(), { mode: 0o600 });
    fs.writeFileSync(alice, em.kubeconfig('alice', 'alice@mgmt-it'), { mode: 0o600 });
    await config().update('explorer.namespaces', ['tenant-a', 'tenant-b', 'tenant-c'], vscode.ConfigurationTarget.Global);
    await config().update('kubeconfigPaths', [admin, alice], vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.view.extension.clusterStacks');
  });

  after(async () => {
    await config().update('kubeconfigPaths', undefined, vscode.ConfigurationTarget.Global);
    await config().update('explorer.namespaces', undefined, vscode.ConfigurationTarget.Global);
    await em?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows both contexts of the merged kubeconfig files, the tenants, and nothing else', async () => {
    const tree = await snapshot(['mgmt-it']);
    assert.deepEqual(
      tree.map((n) => n.label),
      ['mgmt-it', 'alice@mgmt-it'],
    );
    assert.deepEqual(
      find(tree, 'mgmt-it').children?.map((n) => n.label),
      ['tenant-a', 'tenant-b', 'tenant-c'],
    );
    assert.equal(find(tree, 'mgmt-it', 'tenant-a').description, '2 clusters · 1 failed');
    assert.deepEqual(
      find(tree, 'mgmt-it', 'tenant-a').children?.map((n) => `${n.label} ${n.description}`),
      ['Workload clusters 2', 'Cluster stacks 1', 'Credentials 1', 'ClusterResourceSets 1'],
    );
  });

  it('labels workload clusters with version and class, phase, health icon, conditions and credentials', async () => {
    const tree = await snapshot(['mgmt-it']);
    const clusters = find(tree, 'mgmt-it', 'tenant-a', 'Workload clusters').children ?? [];
    const healthy = find(clusters, 'cs-cluster  v1.29.6  openstack-scs-1-29-v1');
    assert.equal(healthy.description, 'Provisioned');
    assert.equal(healthy.icon, 'pass-filled');
    assert.match(healthy.contextValue ?? '', /\bhasKubeconfig\b/);
    assert.equal(healthy.children?.[0].label, 'Cloud credentials: applied');
    const broken = find(clusters, 'cs-broken  v1.29.6  openstack-scs-1-29-v1');
    assert.equal(broken.icon, 'error');
    assert.match(broken.tooltip ?? '', /Remote connection probe failed/);
    assert.deepEqual(
      broken.children?.map((c) => c.label),
      ['Cloud credentials: pending', 'Available', 'RemoteConnectionProbe', 'ControlPlaneMachinesReady', 'WorkerMachinesReady'],
    );
    assert.match(
      find(broken.children, 'RemoteConnectionProbe').description ?? '',
      /^Cluster · False · ProbeFailed · Remote connection probe failed/,
    );

    const stack = find(tree, 'mgmt-it', 'tenant-a', 'Cluster stacks', 'openstack');
    assert.equal(stack.description, 'openstack/scs2 1.33 · progressing');
    assert.equal(find(stack.children, 'openstack-scs2-1-33-v1').description, 'ready · v1.33.4');
    assert.equal(find(tree, 'mgmt-it', 'tenant-a', 'Credentials', 'openstack').description, 'cloudName, clouds.yaml');
    assert.match(find(tree, 'mgmt-it', 'tenant-b', 'Cluster stacks', 'openstack-scs2-1-33-v1').description ?? '', /ClusterClass/);
    assert.ok(!JSON.stringify(tree).includes(SECRET_DATA), 'no secret value in the tree');
  });

  it('shows a status change on the server without a manual refresh', async () => {
    const cluster = em.get('cluster.x-k8s.io/v1beta2', 'Cluster', 'tenant-a', 'cs-cluster');
    assert.ok(cluster);
    const conditions = (cluster.status.conditions as { type: string; status: string; reason?: string; message?: string }[]).map((c) =>
      c.type === 'Available'
        ? { ...c, status: 'False', reason: 'NotAvailable', message: '* WorkersAvailable: 0 available replicas, at least 3 required' }
        : c,
    );
    const started = Date.now();
    em.put({ ...cluster, status: { ...cluster.status, conditions } });
    const node = await waitFor('cs-cluster to turn failed', async () => {
      const tree = await snapshot(['mgmt-it']);
      const n = find(tree, 'mgmt-it', 'tenant-a', 'Workload clusters', 'cs-cluster  v1.29.6  openstack-scs-1-29-v1');
      return n.icon === 'error' ? n : undefined;
    });
    console.log(`    status change visible after ${Date.now() - started} ms`);
    assert.match(node.tooltip ?? '', /0 available replicas/);
  });

  it('a tenant the user may not read is an error node with retry; the other tenants work', async () => {
    const tree = await snapshot(['alice@mgmt-it']);
    const ctx = find(tree, 'alice@mgmt-it');
    assert.ok(ctx.children?.some((n) => n.label === 'Namespaces cannot be listed with these credentials'));
    // Nor the cluster-scoped OpenStackClusterIdentities: said once, as information (only clusters using one lose their source).
    const identities = ctx.children?.find((n) => n.label === 'OpenStackClusterIdentities cannot be listed with these credentials');
    assert.equal(identities?.icon, 'info');
    assert.ok(!ctx.children?.some((n) => /^Cannot list openstack/.test(n.label)), 'no error node for CAPO kinds');
    const forbidden = find(tree, 'alice@mgmt-it', 'tenant-c');
    assert.equal(forbidden.description, 'no access');
    assert.equal(forbidden.icon, 'error');
    assert.match(forbidden.children?.[0].label ?? '', /^Forbidden \(403\)/);
    assert.equal(forbidden.children?.[0].contextValue, 'message retry');
    assert.equal(find(tree, 'alice@mgmt-it', 'tenant-a', 'Workload clusters').description, '2');
  });

  it('opens an object as read-only YAML with secret values masked', async () => {
    const uri = await vscode.commands.executeCommand<string>('clusterStacks.explorer.openYaml', {
      context: 'mgmt-it',
      kind: 'secrets',
      namespace: 'tenant-a',
      name: 'openstack',
    });
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
    assert.ok(doc, 'the document is open');
    const text = doc.getText();
    assert.match(text, /clouds\.yaml: '\*{8}'/);
    assert.ok(!text.includes(SECRET_DATA) && !text.includes(Buffer.from('clouds:').toString('base64').slice(0, 8)));
    assert.equal(doc.languageId, 'yaml');
  });

  it('retrieves the workload kubeconfig: saved and merged files let kubectl reach the workload cluster', async () => {
    const env = { ...process.env, KUBECACHEDIR: path.join(dir, 'kubectl-cache') };
    const ref = { context: 'mgmt-it', kind: 'clusters', namespace: 'tenant-a', name: 'cs-cluster' };
    const saved = path.join(dir, 'cs-cluster.kubeconfig');
    const res = await vscode.commands.executeCommand<{ action: string; target: string }>('clusterStacks.explorer.getKubeconfig', ref, {
      action: 'save',
      target: saved,
    });
    assert.deepEqual(res, { action: 'save', target: saved });
    assert.equal(fs.statSync(saved).mode & 0o777, 0o600);
    const viaSaved = await run('kubectl', ['--kubeconfig', saved, 'get', 'namespaces', '-o', 'name'], { env });
    assert.match(viaSaved.stdout, /namespace\/default/);

    const merged = path.join(dir, 'merged.kubeconfig');
    fs.writeFileSync(merged, em.kubeconfig(), { mode: 0o600 });
    await vscode.commands.executeCommand('clusterStacks.explorer.getKubeconfig', ref, { action: 'merge', target: merged, confirmed: true });
    const viaMerged = await run(
      'kubectl',
      ['--kubeconfig', merged, '--context', 'cs-cluster-admin@cs-cluster', 'get', 'namespaces', '-o', 'name'],
      { env },
    );
    assert.match(viaMerged.stdout, /namespace\/kube-system/);
    const current = await run('kubectl', ['--kubeconfig', merged, 'config', 'current-context'], { env });
    assert.equal(current.stdout.trim(), 'mgmt-it', 'merging keeps the current context');
    const workload = em.workloads.get('tenant-a/cs-cluster');
    assert.ok(
      workload?.requests.some((r) => r.path.startsWith('/api/v1/namespaces')),
      'kubectl talked to the workload emulator',
    );
  });

  it('stops every watch when the view is hidden and starts again when it is shown and read', async () => {
    await snapshot(['mgmt-it']);
    await waitFor('open watches', () => (em.openWatches > 0 ? true : undefined));
    await vscode.commands.executeCommand('workbench.view.explorer');
    await waitFor('all watches closed after hiding the view', () => (em.openWatches === 0 ? true : undefined));
    await vscode.commands.executeCommand('workbench.view.extension.clusterStacks');
    const tree = await snapshot(['mgmt-it']);
    assert.equal(find(tree, 'mgmt-it', 'tenant-a', 'Workload clusters').description, '2');
    await waitFor('watches open again', () => (em.openWatches > 0 ? true : undefined));
  });

  it('filters tenants and shows all namespaces on request', async () => {
    await vscode.commands.executeCommand('clusterStacks.explorer.filterTenants', '-b');
    let tree = await snapshot(['mgmt-it']);
    assert.deepEqual(
      find(tree, 'mgmt-it').children?.map((n) => n.label),
      ['tenant-b'],
    );
    await vscode.commands.executeCommand('clusterStacks.explorer.filterTenants', '');
    await vscode.commands.executeCommand('clusterStacks.explorer.showAllNamespaces');
    tree = await snapshot(['mgmt-it']);
    const labels = find(tree, 'mgmt-it').children?.map((n) => n.label) ?? [];
    assert.ok(labels.includes('kube-system') && labels.includes('default') && labels.includes('tenant-a'), labels.join(','));
    await vscode.commands.executeCommand('clusterStacks.explorer.showTenantsOnly');
  });
});

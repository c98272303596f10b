// Cluster stacks and tenants inside a real VS Code against the Kubernetes API emulator, with the model of
// the cluster-stack operator (test/emulator/csoController.ts) running on it: a stack applied from the
// command and from a YAML document ends as the expected objects (read back with kubectl), a wrong
// version is refused with a located diagnostic, onboarding yields a kubeconfig that kubectl can use in
// the tenant and nowhere else, and ordering a cluster yields a Cluster that passes the webhook rules
// and appears in the tree.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as yaml from 'js-yaml';
import * as vscode from 'vscode';
import type { ApplyReport } from '../../../src/kube/apply';
import type { ApplyStackResult } from '../../../src/commands/stacks/applyClusterStack';
import type { OnboardResult } from '../../../src/commands/stacks/onboardTenant';
import type { OrderResult } from '../../../src/commands/stacks/orderCluster';
import { classOffer, validateTopologyCluster } from '../../../src/core/stacks/topology';
import type { TreeSnapshot } from '../../../src/views/explorer/snapshot';
import { type Emulator, startEmulator } from '../../emulator';
import { CsoModel } from '../../emulator/csoController';
import { activatedExtension, SCS2_STACK, waitFor } from '../helpers';
import { trackEmulator } from '../leak/ledger';

const run = promisify(execFile);
const REPO = path.resolve(__dirname, '../../..');
const FIXTURES = path.join(REPO, 'test', 'fixtures');
const CTX = 'stacks-it';

describe('cluster stacks: apply stacks, onboard tenants, order clusters', function () {
  this.timeout(120_000);
  let em: Emulator;
  let cso: CsoModel;
  let dir: string;
  let admin: string;
  const config = () => vscode.workspace.getConfiguration('clusterStacks');
  const kubectl = async (kubeconfig: string, ...args: string[]) =>
    (
      await run('kubectl', ['--kubeconfig', kubeconfig, ...args], {
        env: { ...process.env, KUBECACHEDIR: path.join(dir, 'kubectl-cache') },
      })
    ).stdout;
  const getJson = async (...args: string[]) => JSON.parse(await kubectl(admin, 'get', ...args, '-o', 'json'));
  /** Writes `text` to a file of the test folder and shows it in an editor. */
  const openFile = async (name: string, text: string): Promise<vscode.TextDocument> => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(doc);
    return doc;
  };

  before(async () => {
    await activatedExtension();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stacks-it-'));
    em = await startEmulator({ name: CTX, seed: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tenant-a' } }] });
    trackEmulator(em);
    cso = new CsoModel(em, { stepMs: 150, fixturesDir: path.join(FIXTURES, 'clusterclass') }).start();
    admin = path.join(dir, 'admin.kubeconfig');
    fs.writeFileSync(admin, em.kubeconfig(), { mode: 0o600 });
    await config().update('kubeconfigPaths', [admin], vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await cso?.stop();
    await config().update('kubeconfigPaths', undefined, vscode.ConfigurationTarget.Global);
    await em?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('applies a ClusterStack from the command: kubectl shows the scs2 README object, the operator model makes the class ready', async () => {
    const result = await vscode.commands.executeCommand<ApplyStackResult>('clusterStacks.applyClusterStack', {
      context: CTX,
      namespace: 'tenant-a',
      ...SCS2_STACK,
      confirmed: true,
    });
    assert.equal(result.report?.outcome, 'created', result.report?.reason);
    assert.deepEqual(
      result.releases.map((r) => r.clusterClass),
      ['openstack-scs2-1-33-v1'],
    );
    const live = await getJson('clusterstacks.clusterstack.x-k8s.io', 'openstack', '-n', 'tenant-a', '--show-managed-fields');
    const readme = yaml.load(fs.readFileSync(path.join(FIXTURES, 'clusterstack/scs2-readme-clusterstack-spec.yaml'), 'utf8')) as {
      spec: unknown;
    };
    assert.deepEqual(live.spec, readme.spec);
    assert.ok(
      live.metadata.managedFields.some(
        (m: { manager: string; operation: string }) => m.manager === 'cluster-stacks-vscode' && m.operation === 'Apply',
      ),
    );
    const release = await waitFor(
      'release ready',
      async () => {
        const r = await getJson('clusterstackreleases.clusterstack.x-k8s.io', 'openstack-scs2-1-33-v1', '-n', 'tenant-a').catch(
          () => undefined,
        );
        return r?.status?.ready === true ? r : undefined;
      },
      20_000,
    );
    assert.equal(release.status.kubernetesVersion, 'v1.33.4');
    const cc = await getJson('clusterclasses.cluster.x-k8s.io', 'openstack-scs2-1-33-v1', '-n', 'tenant-a');
    assert.equal(classOffer(cc).credentials, 'clouds-yaml');
  });

  it('applies a multi-document YAML (ClusterStack + provider template): both objects as written (plus CRD defaults), reported per object', async () => {
    const text = fs
      .readFileSync(path.join(FIXTURES, 'clusterstack/quickstart-clusterstack-with-cspo-template-spec.yaml'), 'utf8')
      .replaceAll('my-tenant', 'tenant-a');
    const doc = await openFile('cspo-stack.yaml', text);
    const report = await vscode.commands.executeCommand<ApplyReport>('clusterStacks.applyDocument', {
      uri: doc.uri.toString(),
      context: CTX,
      confirmed: true,
    });
    assert.equal(report.outcome, 'created', report.reason);
    assert.deepEqual(
      report.objects.map((o) => `${o.action} ${o.ref}`),
      ['create ClusterStack tenant-a/clusterstack', 'create OpenStackClusterStackReleaseTemplate tenant-a/cspotemplate'],
    );
    const [stack, template] = yaml.loadAll(text) as { spec: Record<string, unknown> }[];
    // The server adds the CRD's defaults (cluster-stack-operator@b3680fb config/crd/bases/
    // clusterstack.x-k8s.io_clusterstacks.yaml: spec.noProvider defaults to false).
    assert.deepEqual((await getJson('clusterstacks.clusterstack.x-k8s.io', 'clusterstack', '-n', 'tenant-a')).spec, {
      noProvider: false,
      ...stack.spec,
    });
    assert.deepEqual(
      (await getJson('openstackclusterstackreleasetemplates.infrastructure.clusterstack.x-k8s.io', 'cspotemplate', '-n', 'tenant-a')).spec,
      template.spec,
    );
    const again = await vscode.commands.executeCommand<ApplyReport>('clusterStacks.applyDocument', {
      uri: doc.uri.toString(),
      context: CTX,
      confirmed: true,
    });
    assert.equal(again.outcome, 'unchanged');
  });

  it('refuses a wrong version like the webhook, with a diagnostic on the version in the editor', async () => {
    const text =
      'apiVersion: clusterstack.x-k8s.io/v1alpha1\nkind: ClusterStack\nmetadata:\n  name: bad\n  namespace: tenant-a\nspec:\n  provider: openstack\n  name: scs2\n  kubernetesVersion: "1.34"\n  channel: stable\n  autoSubscribe: false\n  noProvider: true\n  versions:\n    - v1.0\n';
    const doc = await openFile('bad-stack.yaml', text);
    const diag = await waitFor('CSK106 diagnostic', () => vscode.languages.getDiagnostics(doc.uri).find((d) => d.code === 'CSK106'));
    assert.equal(diag.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(doc.getText(diag.range), 'v1.0');
    assert.equal(diag.range.start.line, 13);
    const report = await vscode.commands.executeCommand<ApplyReport>('clusterStacks.applyDocument', {
      uri: doc.uri.toString(),
      context: CTX,
      confirmed: true,
    });
    assert.equal(report.outcome, 'failed');
    assert.match(report.reason ?? '', /invalid version "v1\.0"/);
    await assert.rejects(kubectl(admin, 'get', 'clusterstacks.clusterstack.x-k8s.io', 'bad', '-n', 'tenant-a'), /NotFound|not found/);
  });

  it('validates ClusterStack documents with the JSON schema in the in-process YAML service, without double reports', async () => {
    const text = fs
      .readFileSync(path.join(FIXTURES, 'clusterstack/scs2-readme-clusterstack-spec.yaml'), 'utf8')
      .replace('"1.33"', '"1.33.4"');
    const doc = await openFile('schema-stack.yaml', text);
    const diag = await waitFor(
      'schema diagnostic',
      () => vscode.languages.getDiagnostics(doc.uri).find((d) => (d.source ?? '').startsWith('yaml-schema')),
      20_000,
    );
    assert.equal(doc.getText(diag.range), '"1.33.4"');
    assert.equal(vscode.languages.getDiagnostics(doc.uri).filter((d) => d.code === 'CSK104').length, 0, 'the rule defers to the schema');
  });

  it('onboards a tenant: the kubeconfig may act in the tenant namespace and nowhere else', async () => {
    const target = path.join(dir, 'tenant-b.kubeconfig');
    const result = await vscode.commands.executeCommand<OnboardResult>('clusterStacks.onboardTenant', {
      context: CTX,
      namespace: 'tenant-b',
      serviceAccount: 'tenant-admin',
      role: { kind: 'ClusterRole', name: 'edit' },
      pushCredentials: false,
      target,
      confirmed: true,
    });
    assert.equal(result.report.outcome, 'created', result.report.reason);
    assert.equal(result.kubeconfigPath, target);
    assert.equal(fs.statSync(target).mode & 0o777, 0o600);
    const can = async (...args: string[]) =>
      (await kubectl(target, 'auth', 'can-i', ...args).catch((e: { stdout?: string }) => e.stdout ?? '')).trim();
    assert.equal(await can('create', 'clusters.cluster.x-k8s.io', '-n', 'tenant-b'), 'yes', 'clusters in the tenant');
    assert.equal(await can('create', 'clusterstacks.clusterstack.x-k8s.io'), 'yes', 'the context selects the tenant namespace');
    assert.equal(await can('create', 'clusters.cluster.x-k8s.io', '-n', 'tenant-a'), 'no', 'clusters in another tenant');
    assert.equal(await can('get', 'secrets', '-n', 'default'), 'no', 'secrets in default');
    assert.equal(await can('create', 'rolebindings.rbac.authorization.k8s.io', '-n', 'tenant-b'), 'no', 'edit cannot grant roles');
    // Real requests outside the tenant are refused by the server.
    await assert.rejects(kubectl(target, 'get', 'clusters.cluster.x-k8s.io', '-n', 'tenant-a'), /Forbidden|forbidden/);
    await assert.rejects(kubectl(target, 'get', 'namespaces'), /Forbidden|forbidden/);
    assert.match(await kubectl(target, 'get', 'serviceaccounts', '-o', 'name'), /serviceaccount\/tenant-admin/);
    const rb = await getJson('rolebindings.rbac.authorization.k8s.io', 'tenant-admin', '-n', 'tenant-b');
    assert.deepEqual(rb.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' });
  });

  it('orders a cluster from the ClusterClass: a valid topology Cluster that shows up in the tree', async () => {
    const result = await vscode.commands.executeCommand<OrderResult>('clusterStacks.orderCluster', {
      context: CTX,
      namespace: 'tenant-a',
      className: 'openstack-scs2-1-33-v1',
      name: 'my-cluster',
      controlPlaneReplicas: 1,
      workerReplicas: 2,
      confirmed: true,
    });
    assert.equal(result.report?.outcome, 'created', result.report?.reason);
    const cluster = await getJson('clusters.cluster.x-k8s.io', 'my-cluster', '-n', 'tenant-a');
    const topology = cluster.spec.topology;
    assert.equal(topology.version, 'v1.33.4');
    assert.equal(topology.classRef?.name ?? topology.class, 'openstack-scs2-1-33-v1');
    assert.equal(cluster.metadata.labels['managed-secret'], 'clouds-yaml');
    assert.deepEqual(topology.workers.machineDeployments, [{ class: 'default-worker', name: 'md-0', replicas: 2 }]);
    const cc = await getJson('clusterclasses.cluster.x-k8s.io', 'openstack-scs2-1-33-v1', '-n', 'tenant-a');
    const o = classOffer(cc);
    const facts = { classes: new Map([[o.name, o]]), releases: new Map([['openstack-scs2-1-33-v1', 'v1.33.4']]) };
    assert.deepEqual(validateTopologyCluster(cluster, facts), []);

    await vscode.commands.executeCommand('workbench.view.extension.clusterStacks');
    const labels = (nodes: TreeSnapshot[] | undefined): string[] => (nodes ?? []).flatMap((n) => [n.label, ...labels(n.children)]);
    await waitFor(
      'my-cluster in the tree',
      async () => {
        const tree = await vscode.commands.executeCommand<TreeSnapshot[]>('clusterStacks.explorer.snapshot', { expand: [CTX] });
        return labels(tree).some((l) => l.startsWith('my-cluster')) ? true : undefined;
      },
      20_000,
    );
  });

  it('"Reveal in tree" waits for an ordered cluster to appear and selects its node; a cluster that never comes ends the wait', async () => {
    const selected = (nodes: TreeSnapshot[] | undefined): string[] =>
      (nodes ?? []).flatMap((n) => [...(n.selected ? [n.id ?? n.label] : []), ...selected(n.children)]);
    // asked before the cluster exists: the command waits for the watch to bring it
    const revealed = vscode.commands.executeCommand<boolean>('clusterStacks.explorer.revealCluster', {
      context: CTX,
      namespace: 'tenant-a',
      name: 'second',
    });
    const result = await vscode.commands.executeCommand<OrderResult>('clusterStacks.orderCluster', {
      context: CTX,
      namespace: 'tenant-a',
      className: 'openstack-scs2-1-33-v1',
      name: 'second',
      controlPlaneReplicas: 1,
      workerReplicas: 1,
      confirmed: true,
    });
    assert.equal(result.report?.outcome, 'created', result.report?.reason);
    assert.equal(await revealed, true);
    const tree = await vscode.commands.executeCommand<TreeSnapshot[]>('clusterStacks.explorer.snapshot', { expand: [CTX] });
    assert.deepEqual(selected(tree), [`ctx:${CTX}/ns:tenant-a/clusters:second`]);
    const never = await vscode.commands.executeCommand<boolean>('clusterStacks.explorer.revealCluster', {
      context: CTX,
      namespace: 'tenant-a',
      name: 'never-ordered',
      timeoutMs: 1500,
    });
    assert.equal(never, false);
  });
});

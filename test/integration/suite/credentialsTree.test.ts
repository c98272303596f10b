// Credential state in the explorer tree, inside a real VS Code against a management emulator with
// workload emulators: ClusterResourceSet propagation (binding hash current, lastAppliedTime) on each
// cluster's "Cloud credentials" node, then the tree's "Check Credential Drift" action after a hand
// edit in one workload cluster: drifted there, in sync elsewhere; no secret value anywhere in the tree.
// Then CAPO's OpenStackClusterIdentity (test/fixtures/states/capo-cluster-identity.yaml, the CAPO docs' example; what
// CAPO reads: cluster-api-provider-openstack@e52de58 pkg/scope/provider.go:85-117): the credentials node names the
// identity's Secret, a namespace its selector does not admit is shown as refused with CAPO's reason, and the pushes
// write where CAPO reads — or, relying on a refused identity, nothing at all (checked with kubectl).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startEmulator, type Emulator } from '../../emulator';
import { kubectl } from '../../emulator/helpers';
import { CrsController } from '../../emulator/crsController';
import type { CommandResult } from '../../../src/commands/credentials/results';
import type { TreeSnapshot } from '../../../src/views/explorer/snapshot';
import { activatedExtension, findById, waitFor, workspaceFolder } from '../helpers';
import { trackEmulator } from '../leak/ledger';
import { SECRETS } from '../secrets';

const RUN = Math.random().toString(36).slice(2, 8);
const NS = `tree-${RUN}`;
const APP_SECRET = SECRETS['credentialsTree.appCredSecret'];
const HAND_EDIT = SECRETS['credentialsTree.handEditedConf'];
const CRED_ID = `treeid${RUN}0123456789abcdef`;
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

const run = <T = CommandResult>(id: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(id, ...args);

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
    trackEmulator(mgmt);
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
    w1.put({ ...live, data: { ...live.data, 'cloud.conf': b64(HAND_EDIT) } });
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
    for (const secret of [APP_SECRET, b64(APP_SECRET), HAND_EDIT, CRED_ID])
      assert.ok(!tree.includes(secret), `the tree contains ${secret.slice(0, 6)}…`);
  });
});

describe('credentials through a CAPO OpenStackClusterIdentity (real VS Code, emulators, kubectl)', function () {
  this.timeout(180_000);
  let mgmt: Emulator;
  let dir: string;
  const SECRET = SECRETS['credentialsTree.identityAppCredSecret'];
  const ID = `identid${RUN}0123456789abcdef`;
  const FIXTURE = path.resolve(__dirname, '../../../test/fixtures/states/capo-cluster-identity.yaml');
  const k = async (...args: string[]) => {
    const r = await kubectl(mgmt.kubeconfigPath, args);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };
  const tree = () => run<TreeSnapshot[]>('clusterStacks.explorer.snapshot', { expand: [mgmt.name] });
  const cloudsUri = () => vscode.Uri.file(path.join(dir, 'clouds.yaml')).toString();
  /** Every write the management emulator served (its request log; access reviews are questions, not writes). */
  const writes = () =>
    mgmt.requests.filter((r) => r.method !== 'GET' && !/selfsubject\w*reviews/.test(r.path)).map((r) => `${r.method} ${r.path}`);

  before(async () => {
    await activatedExtension();
    mgmt = await startEmulator({
      name: `mgmt-ident-${RUN}`,
      seed: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'capo-system' } }, FIXTURE],
    });
    trackEmulator(mgmt);
    await mgmt.addWorkloadCluster('team-a', 'cluster-a');
    await mgmt.addWorkloadCluster('team-c', 'cluster-c');
    await vscode.workspace
      .getConfiguration('clusterStacks')
      .update('kubeconfigPaths', [mgmt.kubeconfigPath], vscode.ConfigurationTarget.Global);
    dir = path.join(workspaceFolder().fsPath, `ident-${RUN}`);
    fs.mkdirSync(dir, { recursive: true });
    // The cloud is named as the identityRefs' cloudName, which is what CAPO looks up in the Secret's clouds.yaml.
    fs.writeFileSync(
      path.join(dir, 'clouds.yaml'),
      `clouds:\n  openstack:\n    auth:\n      auth_url: https://keystone.example.com:5000/v3\n      application_credential_id: ${ID}\n      application_credential_secret: "${SECRET}"\n    region_name: RegionOne\n    auth_type: v3applicationcredential\n`,
    );
  });

  after(async () => {
    await vscode.workspace.getConfiguration('clusterStacks').update('kubeconfigPaths', undefined, vscode.ConfigurationTarget.Global);
    await mgmt?.stop();
  });

  it("the credentials node names the identity's Secret, cloud and region; a namespace the selector refuses shows CAPO's reason", async () => {
    const t = await waitFor('the three clusters’ credentials nodes', async () => {
      const x = await tree();
      const a = findById(x, '/clusters:cluster-a/credentials');
      return a?.description?.startsWith('from ') && findById(x, '/clusters:cluster-c/credentials') ? x : undefined;
    });
    const a = findById(t, '/ns:team-a/clusters:cluster-a/credentials');
    assert.ok(a, 'cluster-a credentials');
    assert.equal(a.description, 'from capo-system/openstack-credentials (cloud openstack)');
    assert.match(
      a.tooltip ?? '',
      /^Credential source: OpenStackClusterIdentity production-openstack → Secret capo-system\/openstack-credentials, cloud "openstack", region RegionTwo \(OpenStackCluster team-a\/cluster-a spec\.identityRef\)\n/m,
    );
    // cluster-b has no OpenStackCluster yet: the scs2 identityRef variable is what the class patches into it.
    const b = findById(t, '/ns:team-b/clusters:cluster-b/credentials');
    assert.equal(b?.description, 'from capo-system/openstack-credentials (cloud openstack)');
    assert.match(b?.tooltip ?? '', /\(Cluster team-b\/cluster-b spec\.topology\.variables\)/);
    const c = findById(t, '/ns:team-c/clusters:cluster-c/credentials');
    assert.ok(c, 'cluster-c credentials');
    assert.equal(c.label, 'Cloud credentials: refused by CAPO');
    assert.equal(c.description, 'namespace team-c not allowed to use cluster identity production-openstack');
    assert.equal(c.color, 'testing.iconFailed');
    assert.match(c.contextValue ?? '', /\bcredentials-refused\b/);
    assert.match(
      c.tooltip ?? '',
      /^Refused: OpenStackCluster team-c\/cluster-c spec\.identityRef: namespace team-c not allowed to use cluster identity production-openstack\n/,
    );
  });

  it('pushes relying on the refused identity are refused with a located one-line reason and write nothing', async () => {
    const before = await k('get', 'secret', 'openstack-credentials', '-n', 'capo-system', '-o', 'jsonpath={.metadata.resourceVersion}');
    mgmt.resetRequests();
    const reason =
      'Refused: OpenStackCluster team-c/cluster-c spec.identityRef: namespace team-c not allowed to use cluster identity production-openstack.';
    const tenant = await run('clusterStacks.pushToTenant', {
      uri: cloudsUri(),
      cloud: 'openstack',
      context: mgmt.name,
      namespace: 'team-c',
      confirmed: true,
    });
    assert.deepEqual([tenant?.outcome, tenant?.message], ['refused', reason]);
    const workloads = await run('clusterStacks.pushToWorkloadClusters', {
      context: mgmt.name,
      namespace: 'team-c',
      clusters: ['cluster-c'],
      style: 'cloud-config',
      confirmed: true,
    });
    assert.deepEqual([workloads?.outcome, workloads?.message], ['refused', reason]);
    assert.deepEqual(writes(), [], 'no write request reached the management cluster');
    assert.equal(await k('get', 'secrets', '-n', 'team-c', '-o', 'name'), 'secret/cluster-c-kubeconfig\n', 'no tenant Secret in team-c');
    assert.equal(
      await k('get', 'secret', 'openstack-credentials', '-n', 'capo-system', '-o', 'jsonpath={.metadata.resourceVersion}'),
      before,
    );
    const inWorkload = await kubectl(mgmt.workloads.get('team-c/cluster-c')?.kubeconfigPath ?? '', [
      'get',
      'secrets',
      '-n',
      'kube-system',
      '-o',
      'name',
    ]);
    assert.equal(inWorkload.code, 0, inWorkload.stderr);
    assert.equal(inWorkload.stdout, '', 'nothing was written into the workload cluster');
  });

  it("push to tenant writes the identity's Secret (where CAPO reads); push to workload clusters reads it from there", async () => {
    const pushed = await run('clusterStacks.pushToTenant', {
      uri: cloudsUri(),
      cloud: 'openstack',
      context: mgmt.name,
      namespace: 'team-a',
      confirmed: true,
    });
    assert.equal(pushed?.outcome, 'done', pushed?.message);
    const clouds = Buffer.from(
      await k('get', 'secret', 'openstack-credentials', '-n', 'capo-system', '-o', 'jsonpath={.data.clouds\\.yaml}'),
      'base64',
    ).toString('utf8');
    // (includes, not match: a failure must not print the clouds.yaml with its secret)
    assert.ok(clouds.includes(`application_credential_id: "${ID}"`), 'the pushed cloud is in the identity Secret');
    assert.equal(await k('get', 'secrets', '-n', 'team-a', '-o', 'name'), 'secret/cluster-a-kubeconfig\n', 'no tenant Secret in team-a');

    const r = await run('clusterStacks.pushToWorkloadClusters', {
      context: mgmt.name,
      namespace: 'team-a',
      clusters: ['cluster-a'],
      style: 'cloud-config',
      confirmed: true,
    });
    assert.equal(r?.outcome, 'done', r?.message);
    const wl = mgmt.workloads.get('team-a/cluster-a')?.kubeconfigPath ?? '';
    const conf = await kubectl(wl, ['get', 'secret', 'cloud-config', '-n', 'kube-system', '-o', 'jsonpath={.data.cloud\\.conf}']);
    assert.equal(conf.code, 0, conf.stderr);
    const text = Buffer.from(conf.stdout, 'base64').toString('utf8');
    assert.ok(text.includes(`application-credential-id="${ID}"`), 'the workload cloud.conf holds the pushed credential');
    assert.ok(text.includes('auth-url="https://keystone.example.com:5000/v3"'), 'the workload cloud.conf holds the auth URL');
  });
});

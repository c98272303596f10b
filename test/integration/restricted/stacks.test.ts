// Restricted Mode: the cluster-stack commands that write refuse at run time too (their palette entries are
// disabled by `enablement: isWorkspaceTrusted`), so a script or a link cannot write either; the
// read-only manifest diagnostics keep working.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { type Emulator, startEmulator } from '../../emulator';
import { activatedExtension, SCS2_STACK, waitFor } from '../helpers';

describe('Restricted Mode: cluster-stack commands', function () {
  this.timeout(60_000);
  let em: Emulator;
  let dir: string;
  const config = () => vscode.workspace.getConfiguration('clusterStacks');

  before(async () => {
    await activatedExtension();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stacks-restricted-'));
    em = await startEmulator({ name: 'restricted', seed: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tenant-a' } }] });
    const kc = path.join(dir, 'kubeconfig');
    fs.writeFileSync(kc, em.kubeconfig(), { mode: 0o600 });
    await config().update('kubeconfigPaths', [kc], vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await config().update('kubeconfigPaths', undefined, vscode.ConfigurationTarget.Global);
    await em?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes nothing: apply stack, apply document, onboard tenant, order cluster and the workload-cluster actions return without a request', async () => {
    em.resetRequests();
    const stack = {
      context: 'restricted',
      namespace: 'tenant-a',
      ...SCS2_STACK,
      confirmed: true,
    };
    assert.equal(await vscode.commands.executeCommand('clusterStacks.applyClusterStack', stack), undefined);
    const doc = await vscode.workspace.openTextDocument({
      language: 'yaml',
      content: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: tenant-a}\n',
    });
    assert.equal(
      await vscode.commands.executeCommand('clusterStacks.applyDocument', {
        uri: doc.uri.toString(),
        context: 'restricted',
        confirmed: true,
      }),
      undefined,
    );
    const target = path.join(dir, 'tenant.kubeconfig');
    assert.equal(
      await vscode.commands.executeCommand('clusterStacks.onboardTenant', {
        context: 'restricted',
        namespace: 'tenant-b',
        serviceAccount: 'sa',
        role: { kind: 'ClusterRole', name: 'edit' },
        pushCredentials: false,
        target,
        confirmed: true,
      }),
      undefined,
    );
    assert.equal(
      await vscode.commands.executeCommand('clusterStacks.orderCluster', {
        context: 'restricted',
        namespace: 'tenant-a',
        className: 'x',
        name: 'c',
        controlPlaneReplicas: 1,
        workerReplicas: 1,
        credentials: 'none',
        confirmed: true,
      }),
      undefined,
    );
    // The workload-cluster actions answer with their refusal (OpsResult), naming Restricted Mode.
    const where = { context: 'restricted', namespace: 'tenant-a', cluster: 'c', confirmed: true };
    for (const [id, extra] of [
      ['clusterStacks.upgradeCluster', { className: 'openstack-scs2-1-34-v1' }],
      ['clusterStacks.scaleCluster', { controlPlaneReplicas: 3 }],
      ['clusterStacks.pauseCluster', {}],
      ['clusterStacks.resumeCluster', {}],
      ['clusterStacks.deleteCluster', { typedName: 'c' }],
    ] as const) {
      const r = await vscode.commands.executeCommand<{ outcome: string; message?: string }>(id, { ...where, ...extra });
      assert.equal(r?.outcome, 'refused', id);
      assert.match(r?.message ?? '', /writing is disabled in Restricted Mode/, id);
    }
    assert.equal(em.requests.length, 0, `no request reached the cluster: ${em.requests.map((r) => `${r.method} ${r.path}`).join(', ')}`);
    assert.equal(em.get('v1', 'Namespace', undefined, 'tenant-b'), undefined);
    assert.equal(fs.existsSync(target), false);
  });

  it('still shows the webhook-style diagnostics of a ClusterStack document', async () => {
    const doc = await vscode.workspace.openTextDocument({
      language: 'yaml',
      content:
        'apiVersion: clusterstack.x-k8s.io/v1alpha1\nkind: ClusterStack\nmetadata: {name: bad}\nspec:\n  provider: openstack\n  name: scs2\n  kubernetesVersion: "1.33"\n  autoSubscribe: false\n  noProvider: true\n  versions: [v1, v2.1]\n',
    });
    const diag = await waitFor('CSK106', () => vscode.languages.getDiagnostics(doc.uri).find((d) => d.code === 'CSK106'));
    assert.equal(doc.getText(diag.range), 'v2.1');
  });
});

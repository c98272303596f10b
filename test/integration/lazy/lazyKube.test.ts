// The Kubernetes code (dist/kube.js) is loaded late, inside a real VS Code: after activation, with a
// clouds.yaml open (diagnostics and lenses) and the kubeconfig setting changed, it is not loaded (the
// `kubeBundle` probe of the `clusterStacks.test.liveResources` hook); then the first use loads it and
// works. Three launches (test/integration/build.ts SUITES), each a fresh window, each with a different
// first use (CLUSTER_STACKS_LAZY_FIRST): an explorer expand, a cluster command from a script, the
// clouds.yaml lens "Push to tenant…". The other two follow in the same window, on the loaded bundle.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CommandResult } from '../../../src/commands/credentials/results';
import type { TreeSnapshot } from '../../../src/views/explorer/snapshot';
import { startEmulator, type Emulator } from '../../emulator';
import { activatedExtension, captureMessages, liveResources, waitFor, workspaceFolder, type Msg } from '../helpers';

const NS = 'tenant-lazy';
const FIRST = process.env.CLUSTER_STACKS_LAZY_FIRST ?? 'explorer';
const SECRET = 'lazy-AppCred-Zq8!x';

describe(`lazy Kubernetes bundle (first use: ${FIRST})`, function () {
  this.timeout(120_000);
  let em: Emulator;
  let dir: string;
  let cloudsUri: vscode.Uri;
  let stopped = false;
  const messages: Msg[] = [];
  let capture: ReturnType<typeof captureMessages>;
  const config = () => vscode.workspace.getConfiguration('clusterStacks');

  const uses: Record<string, () => Promise<void>> = {
    async explorer() {
      await vscode.commands.executeCommand('workbench.view.extension.clusterStacks');
      const tree = await vscode.commands.executeCommand<TreeSnapshot[]>('clusterStacks.explorer.snapshot', { expand: [em.name] });
      const ctx = tree.find((n) => n.label === em.name);
      assert.ok(ctx, `context ${em.name} among ${JSON.stringify(tree.map((n) => n.label))}`);
      assert.deepEqual(
        ctx.children?.map((n) => n.label),
        [NS],
      );
    },
    async command() {
      const r = await vscode.commands.executeCommand<CommandResult>('clusterStacks.pushToTenant', {
        uri: cloudsUri.toString(),
        cloud: 'prod',
        context: em.name,
        namespace: NS,
        confirmed: true,
      });
      assert.equal(r?.outcome, 'done', r?.message);
      assert.ok(em.get('v1', 'Secret', NS, 'openstack-creds'), 'the identity secret is in the tenant');
    },
    async lens() {
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', cloudsUri, 100)) ?? [];
      const push = lenses.find((l) => l.command?.title === 'Push to tenant…');
      assert.ok(push?.command, `a "Push to tenant…" lens among ${JSON.stringify(lenses.map((l) => l.command?.title))}`);
      // The prompts a user answers: the context, then the tenant namespace; the confirmation is answered by `capture`.
      const w = vscode.window as unknown as Record<string, unknown>;
      const original = w.showQuickPick;
      w.showQuickPick = (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>) =>
        Promise.resolve(items).then((list) => list.find((i) => i.label === em.name || i.label === NS));
      try {
        const r = await vscode.commands.executeCommand<CommandResult>(push.command.command, ...(push.command.arguments ?? []));
        assert.equal(r?.outcome, 'done', r?.message);
      } finally {
        w.showQuickPick = original;
      }
      assert.ok(em.get('v1', 'Secret', NS, 'openstack-creds'), 'the identity secret is in the tenant');
    },
  };

  before(async () => {
    await activatedExtension();
    em = await startEmulator({
      name: 'mgmt-lazy',
      seed: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
        {
          apiVersion: 'cluster.x-k8s.io/v1beta1',
          kind: 'ClusterClass',
          metadata: { name: 'openstack-scs-1-32-v1', namespace: NS },
          // The secret name the push writes, as the credential suite's ClusterClass declares it.
          spec: {
            variables: [
              { name: 'secret_name', required: false, schema: { openAPIV3Schema: { type: 'string', default: 'openstack-creds' } } },
            ],
          },
        },
        {
          apiVersion: 'cluster.x-k8s.io/v1beta1',
          kind: 'Cluster',
          metadata: { name: 'w0', namespace: NS },
          spec: { topology: { class: 'openstack-scs-1-32-v1', version: 'v1.32.5' } },
        },
      ],
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lazy-it-'));
    const kubeconfig = path.join(dir, 'kubeconfig');
    fs.writeFileSync(kubeconfig, em.kubeconfig(), { mode: 0o600 });
    await config().update('kubeconfigPaths', [kubeconfig], vscode.ConfigurationTarget.Global);
    const folder = vscode.Uri.joinPath(workspaceFolder(), 'lazy');
    fs.mkdirSync(folder.fsPath, { recursive: true });
    cloudsUri = vscode.Uri.joinPath(folder, 'clouds.yaml');
    fs.writeFileSync(
      cloudsUri.fsPath,
      'clouds:\n  prod:\n    auth:\n      auth_url: https://keystone.example.com:5000/v3\n      application_credential_id: 0123456789abcdef0123456789abcdef\n' +
        `      application_credential_secret: "${SECRET}"\n    region_name: RegionOne\n    auth_type: v3applicationcredential\n`,
    );
    capture = captureMessages(messages, (m, items) => (m.kind === 'showWarningMessage' && items.includes('Write') ? 'Write' : undefined));
  });

  after(async () => {
    capture?.restore();
    await config().update('kubeconfigPaths', undefined, vscode.ConfigurationTarget.Global);
    if (!stopped) await em?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is not loaded after activation, with a clouds.yaml open (diagnostics, lenses) and the kubeconfig setting changed', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(cloudsUri));
    await waitFor('the clouds.yaml lenses', async () => {
      const l = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', cloudsUri, 100)) ?? [];
      return l.length ? l : undefined;
    });
    assert.equal((await liveResources()).kubeBundle, 0);
  });

  it(`loads on the first use (${FIRST}) and it works`, async () => {
    const use = uses[FIRST];
    assert.ok(use, `CLUSTER_STACKS_LAZY_FIRST=${FIRST}: one of ${Object.keys(uses).join(', ')}`);
    assert.equal((await liveResources()).kubeBundle, 0, 'not loaded before the first use');
    await use();
    assert.equal((await liveResources()).kubeBundle, 1);
  });

  for (const name of Object.keys(uses).filter((n) => n !== FIRST))
    it(`then ${name} works on the loaded bundle`, async () => {
      await uses[name]();
      assert.equal((await liveResources()).kubeBundle, 1);
    });

  // The reconnect timer of an explorer watch lives in dist/kube.js's own copy of lifecycle.ts: with the
  // cluster gone it is pending, and the hook counts it; hiding the view cancels it.
  it('counts the kube bundle’s own timers (a watch reconnecting), and hiding the view gives them back', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.clusterStacks');
    await vscode.commands.executeCommand('clusterStacks.explorer.snapshot', { expand: [em.name] });
    await em.stop();
    stopped = true;
    const reconnecting = await waitFor(
      'a reconnect timer',
      async () => {
        const now = await liveResources();
        return now.timers > 0 ? now : undefined;
      },
      30_000,
    );
    console.log(`    while reconnecting: ${JSON.stringify(reconnecting)}`);
    await vscode.commands.executeCommand('workbench.view.explorer');
    await waitFor(
      'the watch and its timers gone',
      async () => {
        const now = await liveResources();
        return now.caches === 0 && now.timers === 0 ? now : undefined;
      },
      20_000,
    );
  });
});

// Restricted Mode: the credential commands that write are disabled in the UI (`enablement:
// isWorkspaceTrusted`) and refuse at run time when invoked anyway; nothing reaches the cluster.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startEmulator, type Emulator } from '../../emulator';
import type { CommandResult } from '../../../src/commands/credentials/results';
import { activatedExtension, manifest, workspaceFolder } from '../helpers';
import { trackEmulator } from '../leak/ledger';

describe('credential commands in Restricted Mode', function () {
  this.timeout(60_000);
  let mgmt: Emulator;
  before(async () => {
    await activatedExtension();
    mgmt = await startEmulator({
      name: 'mgmt-restricted',
      seed: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tenant-r' } }],
    });
    trackEmulator(mgmt);
    await vscode.workspace
      .getConfiguration('clusterStacks')
      .update('kubeconfigPaths', [mgmt.kubeconfigPath], vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await vscode.workspace.getConfiguration('clusterStacks').update('kubeconfigPaths', undefined, vscode.ConfigurationTarget.Global);
    await mgmt?.stop();
  });

  it('declares the writing commands enabled only in a trusted workspace', () => {
    const byId = new Map((manifest.contributes.commands ?? []).map((c) => [c.command, c]));
    for (const id of ['clusterStacks.pushToTenant', 'clusterStacks.pushToWorkloadClusters', 'clusterStacks.keepInSync']) {
      assert.equal(byId.get(id)?.enablement, 'isWorkspaceTrusted', id);
    }
  });

  it('refuses to write when invoked anyway, and the cluster stays untouched', async () => {
    const before = mgmt.requests.length;
    const r = await vscode.commands.executeCommand<CommandResult>('clusterStacks.pushToTenant', {
      uri: vscode.Uri.joinPath(workspaceFolder(), 'clouds.yaml').toString(),
      cloud: 'openstack',
      context: mgmt.name,
      namespace: 'tenant-r',
      confirmed: true,
    });
    assert.equal(r?.outcome, 'refused');
    assert.match(r?.message ?? '', /Restricted Mode/);
    assert.equal(mgmt.requests.length, before, 'no request reached the management cluster');
    assert.equal(mgmt.get('v1', 'Secret', 'tenant-r', 'openstack'), undefined);
  });

  it('refuses "Test connection": no request reaches the auth_url the workspace names', async () => {
    let requests = 0;
    const server = http.createServer((_req, res) => {
      requests++;
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const file = path.join(workspaceFolder().fsPath, 'clouds-restricted-check.yaml');
      fs.writeFileSync(
        file,
        `clouds:\n  c:\n    auth_type: v3applicationcredential\n    region_name: RegionOne\n    auth:\n      auth_url: http://127.0.0.1:${port}/v3\n      application_credential_id: id1\n      application_credential_secret: restricted-secret-value\n`,
      );
      const r = await vscode.commands.executeCommand<CommandResult>('clusterStacks.testConnection', { uri: file, cloud: 'c' });
      assert.equal(r?.outcome, 'refused');
      assert.match(r?.message ?? '', /Restricted Mode/);
      assert.equal(requests, 0, 'nothing was sent to Keystone');
      const byId = new Map((manifest.contributes.commands ?? []).map((c) => [c.command, c]));
      assert.equal(byId.get('clusterStacks.testConnection')?.enablement, 'isWorkspaceTrusted');
    } finally {
      server.close();
    }
  });

  it('still shows propagation (read-only)', async () => {
    const r = await vscode.commands.executeCommand<CommandResult>('clusterStacks.showPropagation', {
      context: mgmt.name,
      namespace: 'tenant-r',
    });
    assert.equal(r?.outcome, 'done');
  });
});

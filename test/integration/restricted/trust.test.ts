// Restricted Mode: the workspace is not trusted. The extension declares
// `capabilities.untrustedWorkspaces.supported: "limited"`: it still activates and reads files;
// commands that write declare `enablement: isWorkspaceTrusted` (the UI tests check they are not offered).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activatedExtension, manifest, workspaceFolder } from '../helpers';

describe('Restricted Mode (untrusted workspace)', () => {
  it('opens the workspace untrusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('declares limited support for untrusted workspaces', () => {
    assert.equal(manifest.capabilities?.untrustedWorkspaces?.supported, 'limited');
  });

  it('still activates the extension', async () => {
    const ext = await activatedExtension();
    assert.equal(ext.isActive, true);
  });

  it('still reads the clouds.yaml of the workspace', async () => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceFolder(), 'clouds.yaml'));
    assert.match(doc.getText(), /^clouds:$/m);
  });
});

// Restricted Mode: the reading editor features stay (lenses, masked preview, diagnostics); the writing
// "Push to tenant…" lens and the "Test connection" lens (it sends the credentials to Keystone) are not offered.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activatedExtension, waitFor, workspaceFolder } from '../helpers';

describe('Restricted Mode: clouds.yaml in the editor', function () {
  this.timeout(60_000);
  const uri = () => vscode.Uri.joinPath(workspaceFolder(), 'clouds.yaml');

  before(async () => {
    await activatedExtension();
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri()));
  });

  it('places the preview and problems lenses above each cloud, but no push lens', async () => {
    const titles = await waitFor('resolved lenses', async () => {
      const ls = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri(), 100)) ?? [];
      const t = ls.map((l) => l.command?.title ?? '');
      return t.includes('Preview cloud.conf') ? t : undefined;
    });
    assert.equal(titles.filter((t) => t === 'Preview cloud.conf').length, 2, 'one preview lens per cloud of the sample');
    assert.ok(!titles.some((t) => t.startsWith('Push to tenant')), `no writing lens: ${titles.join(', ')}`);
    assert.ok(!titles.includes('Test connection'), `no lens that talks to Keystone: ${titles.join(', ')}`);
  });

  it('opens the masked cloud.conf preview', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>(
      'clusterStacks.previewCloudConf',
      uri(),
      'openstack',
    );
    assert.ok(editor, 'the preview opened');
    const text = editor.document.getText();
    assert.match(text, /^\[Global\]$/m);
    assert.match(text, /^application-credential-id="0123456789abcdef0123456789abcdef"$/m);
    assert.ok(!text.includes('REDACTED-application-credential-secret'), 'the secret is masked');
  });
});

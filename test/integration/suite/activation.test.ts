// The extension activates inside a real VS Code and everything package.json contributes is there.
// Expectations are derived from package.json, so they grow with the contributions.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activatedExtension, extensionId, manifest, workspaceFolder } from '../helpers';

describe('activation and contributions', () => {
  let ext: vscode.Extension<unknown>;

  before(async () => {
    const found = vscode.extensions.getExtension(extensionId);
    assert.ok(found, `extension ${extensionId} (publisher.name of package.json) is installed`);
    const wasActive = found.isActive;
    const started = performance.now();
    ext = await activatedExtension();
    const ms = (performance.now() - started).toFixed(0);
    console.log(`    activation: ${wasActive ? 'already active before the suite' : `${ms} ms`} (VS Code ${vscode.version})`);
  });

  it('activates', () => {
    assert.equal(ext.isActive, true);
    assert.equal(ext.packageJSON.version, manifest.version);
  });

  describe('commands', () => {
    for (const { command } of manifest.contributes.commands ?? []) {
      it(`registers ${command}`, async () => {
        const all = await vscode.commands.getCommands(true);
        assert.ok(all.includes(command), `${command} is contributed in package.json but not registered by the extension`);
      });
    }
  });

  describe('views', () => {
    for (const [location, containers] of Object.entries(manifest.contributes.viewsContainers ?? {})) {
      for (const { id, title } of containers) {
        it(`opens the ${location} container ${title}`, async () => {
          await vscode.commands.executeCommand(`workbench.view.extension.${id}`);
        });
      }
    }
    for (const views of Object.values(manifest.contributes.views ?? {})) {
      for (const { id, name } of views) {
        it(`focuses the view ${name}`, async () => {
          // `<id>.focus` exists only for a registered view; executing it fails for an unknown one.
          await vscode.commands.executeCommand(`${id}.focus`);
        });
      }
    }
  });

  describe('languages', () => {
    for (const lang of manifest.contributes.languages ?? []) {
      it(`knows the language ${lang.id}`, async () => {
        assert.ok((await vscode.languages.getLanguages()).includes(lang.id));
      });
      for (const name of [...(lang.filenames ?? []), ...(lang.extensions ?? []).map((e) => `sample${e}`)]) {
        it(`opens ${name} as ${lang.id}`, async () => {
          const uri = vscode.Uri.joinPath(workspaceFolder(), 'languages', name);
          await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('[Global]\n'));
          const doc = await vscode.workspace.openTextDocument(uri);
          assert.equal(doc.languageId, lang.id);
        });
      }
    }
  });

  describe('settings', () => {
    const blocks = manifest.contributes.configuration;
    const keys = (Array.isArray(blocks) ? blocks : blocks ? [blocks] : []).flatMap((b) => Object.keys(b.properties ?? {}));
    for (const key of keys) {
      it(`declares the setting ${key}`, () => {
        assert.ok(vscode.workspace.getConfiguration().has(key), `${key} is not a known setting`);
      });
    }
  });
});

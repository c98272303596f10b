// What editing a clouds.yaml looks like: the lenses above each cloud, the masked cloud.conf preview
// beside it (opened from the lens) and the Problems panel (opened from the summary lens). The
// screenshot is kept as media/screenshots/editor.png for the README.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../vscode/codeServer';
import { workbench, type Workbench } from './workbench';

describe('UI: clouds.yaml in the editor', function () {
  this.timeout(300_000);
  let wb: Workbench;

  before(async () => {
    wb = await workbench();
  });

  it('shows the lenses, the masked preview beside the file and the problems', async () => {
    await wb.reset();
    await wb.runCommand('View: Show Explorer');
    // Quick Open, picking the clouds.yaml of editor-demo/ (the workspace root has one too).
    await wb.page.keyboard.press('Escape');
    await wb.page.keyboard.press('Control+P');
    const quickInput = wb.page.locator('.quick-input-widget');
    await quickInput.locator('input').fill('editor-demo/clouds.yaml');
    await quickInput.locator('.quick-input-list .monaco-list-row', { hasText: 'editor-demo' }).first().click();
    await wb.page.locator('.tabs-container .tab.active', { hasText: 'clouds.yaml' }).waitFor();
    await wb.waitForEditorText('auth_type: v3applicationcredential');

    const lens = (text: string) => wb.page.locator('.monaco-editor .codelens-decoration a', { hasText: text });
    await lens('Preview cloud.conf').first().waitFor();
    await lens('1 error, 1 warning').first().waitFor();
    assert.equal(await lens('Preview cloud.conf').count(), 2, 'one preview lens per cloud');

    await lens('Preview cloud.conf').first().click();
    const previewTab = wb.page.locator('.tabs-container .tab', { hasText: 'cloud.conf' });
    await previewTab.waitFor();
    const line = (text: string) => wb.page.locator('.monaco-editor .view-line', { hasText: text }).first();
    await line('application-credential-secret=').waitFor();
    assert.ok(!(await line('placeholder;secret').isVisible()), 'the secret from secure.yaml is masked');

    await lens('1 error, 1 warning').first().click();
    const panel = wb.page.locator('.part.panel');
    await wb.waitForText('CS130', panel);
    await wb.waitForText('CS163', panel);

    const file = await wb.screenshot('editor');
    assert.ok(fs.statSync(file).size > 10_000, `${file} is a real screenshot`);
    const media = path.join(REPO_ROOT, 'media', 'screenshots');
    fs.mkdirSync(media, { recursive: true });
    fs.copyFileSync(file, path.join(media, 'editor.png'));
  });
});

// What a person sees with the packaged extension installed: its view container and an open clouds.yaml.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { paletteLabel, paletteWhen, trustGatedCommands, workbench, type Workbench } from './workbench';

describe('UI: the workbench with Cluster Stacks installed', function () {
  this.timeout(300_000); // the first test launches code-server and installs the VSIX
  let wb: Workbench;

  before(async () => {
    wb = await workbench();
  });
  beforeEach(async () => {
    await wb.reset();
  });

  it('opens the Cluster Stacks view container from the activity bar', async () => {
    await wb.openViewContainer('Cluster Stacks');
    await wb.waitForText('Management Clusters', wb.page.locator('.part.sidebar'));
    const file = await wb.screenshot('view-container');
    assert.ok(fs.statSync(file).size > 10_000, `${file} is a real screenshot`);
  });

  it('shows an open clouds.yaml', async () => {
    await wb.runCommand('View: Show Explorer');
    await wb.openFile('clouds.yaml');
    await wb.waitForEditorText('auth_type: v3applicationcredential');
    await wb.waitForText('clouds.yaml', wb.page.locator('.tabs-container'));
    await wb.page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Preview cloud.conf' }).first().waitFor();
    await wb.screenshot('clouds-yaml');
  });

  // The counterpart of restricted.test.ts: in a trusted workspace the trust-gated commands are offered.
  for (const c of trustGatedCommands.filter((c) => !paletteWhen(c.command))) {
    it(`offers "${c.title}" (${c.command}) in a trusted workspace`, async () => {
      assert.equal(await wb.paletteOffers(paletteLabel(c)), true);
    });
  }
});

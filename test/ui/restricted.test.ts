// Restricted Mode (the workspace is not trusted): the extension still shows its views and reads
// files; commands that write (contributed with `enablement: isWorkspaceTrusted`) are not offered.
import * as assert from 'node:assert/strict';
import { paletteLabel, trustGatedCommands, workbench, type Workbench } from './workbench';

describe('UI: Restricted Mode', function () {
  this.timeout(300_000); // launches its own code-server without --disable-workspace-trust
  let wb: Workbench;

  before(async () => {
    wb = await workbench({ trusted: false });
  });
  beforeEach(async () => {
    await wb.reset();
  });

  it('shows Restricted Mode, the Cluster Stacks view container and an open clouds.yaml with its read-only lenses', async () => {
    await wb.waitForText('Restricted Mode', wb.page.locator('.part.statusbar'));
    await wb.openViewContainer('Cluster Stacks');
    await wb.openFile('clouds.yaml');
    await wb.waitForEditorText('auth_type: v3applicationcredential');
    // Reading features stay: the preview lens is there; the writing "Push to tenant…" lens is not.
    const lens = (text: string) => wb.page.locator('.monaco-editor .codelens-decoration a', { hasText: text });
    await lens('Preview cloud.conf').first().waitFor();
    assert.equal(await lens('Push to tenant').count(), 0, 'no writing lens in Restricted Mode');
    await wb.screenshot('restricted-mode');
  });

  for (const c of trustGatedCommands) {
    it(`does not offer "${c.title}" (${c.command})`, async () => {
      assert.equal(await wb.paletteOffers(paletteLabel(c)), false, `the palette offers ${paletteLabel(c)} in Restricted Mode`);
    });
  }
});

// What the explorer shows for the states the real controllers write (test/fixtures/states): a cluster held by the
// cluster-stack operator's BeforeClusterUpgrade hook, bootstrapping and provisioning clusters (progressing, not failed),
// failed topologies, a lost probe, ApplyOnce vs Reconcile after a rotation (credentials stale). The screenshot is kept as
// media/screenshots/explorer-states.png for the README; the labels and tooltips are checked by
// test/integration/suite/explorerStates.test.ts.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Emulator, startEmulator } from '../emulator';
import { REPO_ROOT } from '../vscode/codeServer';
import { workbench, type Workbench } from './workbench';

const STATES = path.join(REPO_ROOT, 'test', 'fixtures', 'states');

describe('UI: the explorer on the controllers’ states', function () {
  this.timeout(300_000);
  let em: Emulator;
  let wb: Workbench;

  before(async () => {
    em = await startEmulator({
      name: 'scs-states',
      seed: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'my-tenant' } },
        ...fs
          .readdirSync(STATES)
          .filter((f) => f.endsWith('.yaml') && f !== 'capo-cluster-identity.yaml')
          .map((f) => path.join(STATES, f)),
      ],
    });
    wb = await workbench({ env: { KUBECONFIG: em.kubeconfigPath } });
  });

  after(async () => {
    await em?.stop();
  });

  it('shows hook-blocked, bootstrapping, failed and credentials-stale clusters', async () => {
    await wb.reset();
    await wb.openViewContainer('Cluster Stacks');
    const sidebar = wb.page.locator('.part.sidebar');
    const row = (label: string) => sidebar.locator('.monaco-list-row', { hasText: label }).first();
    await (await wb.waitForText('scs-states', sidebar)).click();
    await wb.waitForText('my-tenant', sidebar);
    await row('my-tenant').click();
    await wb.waitForText('Workload clusters', sidebar);
    await row('Workload clusters').click();
    await wb.waitForText('cs-once', sidebar);
    await wb.waitForText('credentials stale', sidebar);
    const box = await sidebar.boundingBox();
    if (box) {
      await wb.page.mouse.move(box.x + box.width + 1, box.y + box.height / 2);
      await wb.page.mouse.down();
      await wb.page.mouse.move(box.x + 720, box.y + box.height / 2, { steps: 8 });
      await wb.page.mouse.up();
    }
    const file = await wb.screenshot('explorer-states');
    assert.ok(fs.statSync(file).size > 10_000, `${file} is a real screenshot`);
    const media = path.join(REPO_ROOT, 'media', 'screenshots');
    fs.mkdirSync(media, { recursive: true });
    fs.copyFileSync(file, path.join(media, 'explorer-states.png'));
  });
});

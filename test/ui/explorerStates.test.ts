// What the explorer shows for the states the real controllers write (test/fixtures/states, each file naming the upstream
// lines it follows), seeded into the Kubernetes API emulator with the tenant namespace my-tenant: the tree expanded so that
// one picture holds a bootstrapping cluster (progressing), a failed topology, a cluster held by the cluster-stack
// operator's BeforeClusterUpgrade hook (named in its TopologyReconciled condition), a healthy cluster whose
// ApplyOnce ClusterResourceSet left its credential stale after a rotation, and the healthy ones. Kept as
// media/screenshots/explorer-states.png for the README.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Emulator, startEmulator } from '../emulator';
import { REPO_ROOT } from '../vscode/codeServer';
import { workbench, type Workbench } from './workbench';

const STATES = path.join(REPO_ROOT, 'test', 'fixtures', 'states');
// capo-cluster-identity.yaml holds other namespaces (the identity example), not a state of my-tenant.
const FILES = fs
  .readdirSync(STATES)
  .filter((f) => f.endsWith('.yaml') && f !== 'capo-cluster-identity.yaml')
  .map((f) => path.join(STATES, f));

describe('UI: the explorer on the controllers’ states', function () {
  this.timeout(300_000);
  let em: Emulator;
  let wb: Workbench;

  before(async () => {
    em = await startEmulator({
      name: 'scs-states',
      seed: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'my-tenant' } }, ...FILES],
    });
    wb = await workbench({ env: { KUBECONFIG: em.kubeconfigPath } });
  });

  after(async () => {
    await em?.stop();
  });

  it('shows progressing, failed, hook-blocked, stale-credential and healthy clusters in one expanded tree', async () => {
    await wb.reset();
    await wb.openViewContainer('Cluster Stacks');
    const sidebar = wb.page.locator('.part.sidebar');
    const row = (label: string) => sidebar.locator('.monaco-list-row', { hasText: label }).first();
    // Each click moves the mouse off the tree again, so no hover of the clicked row covers the next one.
    const click = async (label: string) => {
      await row(label).click();
      await wb.page.mouse.move(1000, 10);
    };
    // Each expansion waits for what it must show: the reason the tree gives, from the upstream-derived fixture.
    const expand = async (label: string, shows: string) => {
      await wb.waitForText(label, sidebar);
      await click(label);
      await wb.waitForText(shows, sidebar);
    };
    await expand('scs-states', 'my-tenant');
    await expand('my-tenant', 'Workload clusters');
    await expand('Workload clusters', 'cs-upgrade');
    await expand('cs-boot', 'ControlPlaneInitialized');
    await expand('cs-topo-fail', 'ReconcileFailed');
    await expand('cs-hook', 'BeforeClusterUpgrade');
    await expand('cs-once', 'Cloud credentials: stale');
    // Widen the side bar (up to the editor area's minimum width) so labels and descriptions (reasons, the hook) are readable.
    const box = await sidebar.boundingBox();
    if (box) {
      await wb.page.mouse.move(box.x + box.width + 1, box.y + box.height / 2);
      await wb.page.mouse.down();
      await wb.page.mouse.move(box.x + 1220, box.y + box.height / 2, { steps: 8 });
      await wb.page.mouse.up();
    }
    const file = await wb.screenshot('explorer-states');
    // Everything the picture is for is on screen (not scrolled away), as a user sees it.
    for (const text of [
      'cs-boot',
      'Provisioned',
      'cs-topo-fail',
      'ReconcileFailed',
      'cs-hook',
      'BeforeClusterUpgrade',
      'cs-once',
      'credentials stale',
      'Cloud credentials: stale',
      'ApplyOnce',
      'cs-reconcile',
    ])
      assert.ok(await sidebar.getByText(text).filter({ visible: true }).first().isVisible(), `${text} is visible`);
    assert.ok(fs.statSync(file).size > 10_000, `${file} is a real screenshot`);
    const media = path.join(REPO_ROOT, 'media', 'screenshots');
    fs.mkdirSync(media, { recursive: true });
    fs.copyFileSync(file, path.join(media, 'explorer-states.png'));
  });
});

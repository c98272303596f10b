// Ordering a workload cluster through the form, in the real browser: the palette command, the context,
// tenant and ClusterClass picks, then the webview form built from the scs2 ClusterClass's variables. A bad
// name and a non-numeric MTU get their messages under the fields and the submit is refused; fixed, the
// submit (Enter, from the keyboard) opens the Cluster for review, "Apply" and the write path's "Write"
// send it, the emulator holds it with the entered variable, and the tree shows it. The form's screenshot
// is kept as media/screenshots/order-form.png for the README.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { type Emulator, type KubeObject, startEmulator } from '../emulator';
import { REPO_ROOT } from '../vscode/codeServer';
import { workbench, type Workbench } from './workbench';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');
const NS = 'acme';

function fixture(rel: string, name: string): KubeObject {
  const obj = yaml.load(fs.readFileSync(path.join(FIXTURES, rel), 'utf8')) as KubeObject;
  obj.metadata = { ...obj.metadata, namespace: NS, name };
  return obj;
}

describe('UI: the order form', function () {
  this.timeout(300_000);
  let em: Emulator;
  let wb: Workbench;

  before(async () => {
    em = await startEmulator({
      name: 'order-mgmt',
      seed: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
        // The scs2 class of the fixtures, as the operator names it for the ready 1.33 release below.
        fixture('clusterclass/openstack-scs2-1-34-v1-clusterclass-derived.yaml', 'openstack-scs2-1-33-v1'),
        fixture('clusterstack/scs2-clusterstackrelease-ready-derived.yaml', 'openstack-scs2-1-33-v1'),
      ],
    });
    wb = await workbench({ env: { KUBECONFIG: em.kubeconfigPath } });
  });

  after(async () => {
    await em?.stop();
  });

  it('fills, validates and submits the form; the emulator accepts the Cluster and the tree shows it', async () => {
    await wb.reset();
    const page = wb.page;
    const quick = page.locator('.quick-input-widget');
    const pick = async (text: string) => {
      const row = quick
        .locator('.quick-input-list .monaco-list-row')
        .filter({ has: page.locator('.label-name', { hasText: text }) })
        .first();
      await row.waitFor({ timeout: 30_000 }).catch(async (e: unknown) => {
        const shown = await quick.locator('.quick-input-list .monaco-list-row').allInnerTexts();
        throw new Error(`no "${text}" in the quick pick (${shown.join(' | ')}): ${String(e)}`);
      });
      await row.click();
    };
    // Right after the launch the palette may not list the extension's commands yet: ask again until it does.
    for (let i = 0; ; i++) {
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      await quick.locator('input').waitFor();
      await quick.locator('input').fill('>Cluster Stacks: Order Workload Cluster');
      const row = quick
        .locator('.quick-input-list .monaco-list-row')
        .filter({ has: page.locator('.label-name', { hasText: 'Cluster Stacks: Order Workload Cluster' }) })
        .first();
      const found = await row.waitFor({ timeout: 5_000 }).then(
        () => true,
        () => false,
      );
      if (found) {
        await row.click();
        break;
      }
      if (i === 20) throw new Error('the palette never offered "Cluster Stacks: Order Workload Cluster…"');
    }
    await pick('order-mgmt');
    await pick(NS);
    await pick('openstack-scs2-1-33-v1');

    const form = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await form.getByText('Variables of openstack-scs2-1-33-v1').waitFor({ timeout: 60_000 });
    const name = form.locator('#name');
    const mtu = form.locator('[data-var="networkMTU"]');
    await name.fill('Bad_Name');
    await mtu.fill('fourteen hundred');
    await form.getByRole('button', { name: 'Review Cluster manifest' }).click();
    await form.locator('#name-msg', { hasText: 'lower-case letters' }).waitFor();
    await form.locator('[id$="networkMTU-msg"]', { hasText: 'a whole number' }).waitFor();
    await form.locator('#summary', { hasText: 'problems to fix' }).waitFor();
    assert.equal(await name.getAttribute('aria-invalid'), 'true');
    assert.equal(em.list('cluster.x-k8s.io/v1beta2', 'Cluster', NS).length, 0, 'nothing is written while the form is invalid');

    await name.fill('ui-ordered');
    await mtu.fill('1400');
    await form.locator('#name-msg:empty').waitFor({ state: 'attached' });
    await form
      .locator('#summary:empty')
      .waitFor({ state: 'attached' })
      .catch(async (e: unknown) => {
        throw new Error(`the form still reports: ${await form.locator('#summary').innerText()} (${String(e)})`);
      });
    await name.focus(); // the top of the form in the picture
    const shot = await wb.screenshot('order-form');
    assert.ok(fs.statSync(shot).size > 10_000, `${shot} is a real screenshot`);
    const media = path.join(REPO_ROOT, 'media', 'screenshots');
    fs.mkdirSync(media, { recursive: true });
    fs.copyFileSync(shot, path.join(media, 'order-form.png'));

    await page.keyboard.press('Enter');
    await wb.waitForEditorText('name: ui-ordered');
    // The prompt is a notification with "Apply": as a toast, or in the notification center (a toast can be
    // hidden by then on a slow machine).
    const apply = page
      .locator('.notification-list-item', { hasText: 'Review the Cluster ui-ordered' })
      .locator('.monaco-button', { hasText: 'Apply' })
      .first();
    if (
      !(await apply.waitFor({ timeout: 20_000 }).then(
        () => true,
        () => false,
      ))
    )
      await wb.runCommand('Notifications: Show Notifications');
    await apply.click({ timeout: 30_000 }).catch(async (e: unknown) => {
      const file = await wb.screenshot('order-form-no-review-prompt');
      const shown = await page.locator('.notification-list-item').allInnerTexts();
      throw new Error(`no review prompt (${shown.join(' | ') || 'no notifications'}; see ${file}): ${String(e)}`);
    });
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.locator('.monaco-button', { hasText: 'Write' }).first().click({ timeout: 60_000 });

    const cluster = await (async () => {
      for (let i = 0; i < 100; i++) {
        const c = em.get('cluster.x-k8s.io/v1beta2', 'Cluster', NS, 'ui-ordered');
        if (c) return c;
        await page.waitForTimeout(200);
      }
      throw new Error('the Cluster ui-ordered never reached the emulator');
    })();
    assert.equal(cluster.spec.topology.version, 'v1.33.4');
    assert.equal(cluster.spec.topology.classRef?.name ?? cluster.spec.topology.class, 'openstack-scs2-1-33-v1');
    assert.deepEqual(cluster.spec.topology.variables, [{ name: 'networkMTU', value: 1400 }]);

    await wb.openViewContainer('Cluster Stacks');
    const sidebar = page.locator('.part.sidebar');
    const row = (label: string) => sidebar.locator('.monaco-list-row', { hasText: label }).first();
    await (await wb.waitForText('order-mgmt', sidebar)).click();
    await row(NS).click();
    await row('Workload clusters').click();
    await wb.waitForText('ui-ordered', sidebar);
  });
});

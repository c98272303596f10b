// What a new operator sees in the guided walkthrough: the CSP steps of the SCS responsibilities table,
// each with its command, and the "apply a cluster stack" step opened with its page beside it. The
// screenshot is kept as media/screenshots/walkthrough.png for the README.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../vscode/codeServer';
import { workbench, type Workbench } from './workbench';

interface Walkthrough {
  id: string;
  title: string;
  steps: { id: string; title: string }[];
}

describe('UI: cluster-stacks walkthrough', function () {
  this.timeout(300_000);
  let wb: Workbench;
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    contributes: { walkthroughs?: Walkthrough[] };
  };
  const csp = pkg.contributes.walkthroughs?.find((w) => w.id === 'clusterStacks.csp');

  before(async () => {
    wb = await workbench();
  });

  it('opens the CSP walkthrough with every step and the cluster-stack step expanded', async () => {
    assert.ok(csp, 'package.json contributes the CSP walkthrough');
    await wb.reset();
    // Room for the step's page beside the list (it is hidden in a narrow editor).
    await wb.runCommand('View: Close Primary Side Bar');
    await wb.page.keyboard.press('F1');
    const quick = wb.page.locator('.quick-input-widget');
    await quick.locator('input').fill('>Welcome: Open Walkthrough');
    await quick.locator('.quick-input-list .monaco-list-row', { hasText: 'Open Walkthrough' }).first().click();
    await quick.locator('.quick-input-list .monaco-list-row', { hasText: csp.title }).first().click();
    const page = wb.page.locator('.gettingStartedContainer');
    await wb.waitForText(csp.title, page);
    for (const step of csp.steps) await wb.waitForText(step.title, page);
    const clusterStack = csp.steps.find((s) => s.id === 'clusterStack');
    assert.ok(clusterStack);
    await page.getByText(clusterStack.title, { exact: true }).first().click();
    await wb.waitForText('Apply cluster stack', page);
    // The step's markdown page renders beside the list (it is in a webview: wait for its frame to show the heading).
    // While the webview loads it holds a second, pending frame beside the active one: address the active one.
    const frame = wb.page.frameLocator('.gettingStartedContainer iframe').frameLocator('iframe#active-frame');
    await frame.getByText('Cluster classes per tenant', { exact: false }).first().waitFor({ state: 'attached', timeout: 30_000 });
    await wb.page.waitForTimeout(1500); // the webview paints its markdown after attaching it
    const file = await wb.screenshot('walkthrough');
    assert.ok(fs.statSync(file).size > 10_000, `${file} is a real screenshot`);
    const media = path.join(REPO_ROOT, 'media', 'screenshots');
    fs.mkdirSync(media, { recursive: true });
    fs.copyFileSync(file, path.join(media, 'walkthrough.png'));
  });
});

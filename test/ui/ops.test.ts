// Upgrading workload clusters from the tree, in the real browser, against the Kubernetes API emulator with the models of
// the cluster-stack operator (test/emulator/csoController.ts: the scs2 releases and ClusterClasses, and its
// BeforeClusterUpgrade hook) and of Cluster API's topology controller (test/emulator/topologyController.ts, stepped pass
// by pass so each state stays on screen until the test moves on). A user right-clicks a workload cluster, picks the next
// patch release in the QuickPick from the keyboard, reads the write path's confirmation (context, tenant, the masked
// dry-run diff) and writes; the tree then shows the rollout as Cluster API reports it: the hook first, then the control
// plane, then the workers, then the cluster on its new class and version. A second cluster, upgraded to the next minor,
// stays held by the hook, and its row names the ClusterAddon the operator waits for. The picture of both is kept as
// media/screenshots/upgrade.png for the README.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { type Emulator, type KubeObject, startEmulator } from '../emulator';
import { beforeClusterUpgradeHook, CsoModel } from '../emulator/csoController';
import { scs2ClusterStack, scs2ReadmeCluster } from '../emulator/fixtures';
import { TopologyController } from '../emulator/topologyController';
import { REPO_ROOT } from '../vscode/codeServer';
import { SCREENSHOTS, workbench, type Workbench } from './workbench';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');
const CTX = 'ops-ui';
const NS = 'tenant-ui';
const CAPI = 'cluster.x-k8s.io/v1beta2';
const CSO = 'clusterstack.x-k8s.io/v1alpha1';
// The Kubernetes version each release's metadata.yaml names: the second 1.33 release brings the next patch version, so
// picking it upgrades the cluster (the class alone would only roll new Machines out).
const K8S: Record<string, string> = {
  'openstack-scs2-1-33-v1': 'v1.33.4',
  'openstack-scs2-1-33-v2': 'v1.33.5',
  'openstack-scs2-1-34-v1': 'v1.34.7',
};

const clusterStack = (minor: string, versions: string[]): KubeObject => scs2ClusterStack(NS, minor, versions);

const readmeCluster = (name: string): KubeObject => scs2ReadmeCluster(name, NS, FIXTURES);

/** The operator's ClusterAddon of a cluster, its addons applied (HelmChartApplied True). */
const clusterAddon = (cluster: string): KubeObject => ({
  apiVersion: CSO,
  kind: 'ClusterAddon',
  metadata: { name: `cluster-addon-${cluster}`, namespace: NS },
  spec: {
    clusterRef: { apiVersion: CAPI, kind: 'Cluster', name: cluster, namespace: NS },
    clusterStack: 'openstack-scs2-1-33-v1',
    version: 'v1',
  },
  status: { ready: true, conditions: [{ type: 'HelmChartApplied', status: 'True', lastTransitionTime: new Date().toISOString() }] },
});

const normalize = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('UI: upgrading workload clusters from the tree', function () {
  this.timeout(420_000);
  let em: Emulator;
  let cso: CsoModel;
  let capi: TopologyController;
  let wb: Workbench;

  const condition = (name: string, type: string) =>
    (em.get(CAPI, 'Cluster', NS, name)?.status?.conditions ?? []).find((x: KubeObject) => x.type === type);
  /** Passes of the controller model until `done` holds (at most 30). */
  const until = async (what: string, done: () => boolean): Promise<void> => {
    for (let i = 0; i < 30; i++) {
      await capi.step();
      if (done()) return;
    }
    throw new Error(`not reached: ${what} (${JSON.stringify(capi.errors.slice(-3))})`);
  };
  const provisioned = (name: string) => () =>
    condition(name, 'Available')?.status === 'True' &&
    condition(name, 'TopologyReconciled')?.reason === 'ReconcileSucceeded' &&
    (em.get(CAPI, 'Cluster', NS, name)?.status?.workers?.upToDateReplicas ?? 0) >= 1;

  before(async () => {
    em = await startEmulator({
      name: CTX,
      seed: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
        clusterStack('1.33', ['v1', 'v2']),
        clusterStack('1.34', ['v1']),
      ],
    });
    cso = new CsoModel(em, {
      stepMs: 100,
      fixturesDir: path.join(FIXTURES, 'clusterclass'),
      kubernetesVersionOf: (release) => K8S[release] ?? 'v0.0.0',
    }).start();
    for (let i = 0; em.list('cluster.x-k8s.io/v1beta1', 'ClusterClass', NS).length < 3; i++) {
      if (i === 200) throw new Error('the cluster-stack operator model made no three ClusterClasses');
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const name of ['ui-rollout', 'ui-held']) {
      em.put(readmeCluster(name));
      em.put(clusterAddon(name));
    }
    capi = new TopologyController(em, {
      capiVersion: '1.11',
      hooks: { beforeClusterUpgrade: beforeClusterUpgradeHook(em) },
      // The workload clusters answer once their control plane is up (the RemoteConnectionProbe of a healthy cluster).
      provisionWorkload: (ns, name) => em.addWorkloadCluster(ns, name),
    });
    await until('both clusters provisioned', () => provisioned('ui-rollout')() && provisioned('ui-held')());
    wb = await workbench({ env: { KUBECONFIG: em.kubeconfigPath } });
  });

  after(async () => {
    await capi?.stop();
    await cso?.stop();
    await em?.stop();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') console.log(`      (failure picture: ${await wb.screenshot('upgrade-failed')})`);
  });

  it('upgrades from the context menu and shows the rollout, and a cluster held by the BeforeClusterUpgrade hook', async () => {
    await wb.reset();
    const page = wb.page;
    await wb.openViewContainer('Cluster Stacks');
    const sidebar = page.locator('.part.sidebar');
    const row = (label: string) => sidebar.locator('.monaco-list-row', { hasText: label }).first();
    const click = async (target: Locator) => {
      await target.click();
      await page.mouse.move(1000, 10);
    };
    /** Rows the test had opened and found collapsed again (the tree must keep its expansion across writes). */
    const opened = new Set<string>();
    const collapsedAgain: string[] = [];
    /** Opens the tree down to the workload clusters, and the rows of `expanded` clusters, wherever they are collapsed. */
    const openTo = async (...expanded: string[]) => {
      for (const label of [CTX, NS, 'Workload clusters', ...expanded]) {
        const r = row(label);
        await r.waitFor();
        if ((await r.getAttribute('aria-expanded')) === 'true') continue;
        if (opened.has(label)) collapsedAgain.push(label);
        opened.add(label);
        await click(r);
      }
    };
    /** The rows under a cluster's row (its children, as the user reads them), from the rendered tree. */
    const childrenOf = async (cluster: string): Promise<string[]> => {
      const rows = await sidebar.locator('.monaco-list-row').evaluateAll((els) =>
        els.map((e) => ({
          level: Number(e.getAttribute('aria-level')),
          // What the row shows: its label, then its description.
          text: [e.querySelector('.label-name'), e.querySelector('.label-description')].map((x) => x?.textContent ?? '').join(' '),
        })),
      );
      const at = rows.findIndex((r) => r.text.startsWith(`${cluster} `));
      if (at < 0) return [];
      const out: string[] = [];
      for (const r of rows.slice(at + 1)) {
        if (r.level <= rows[at].level) break;
        out.push(r.text.replace(/\s+/g, ' ').trim());
      }
      return out;
    };
    /** Waits until the rows under `cluster` satisfy `ok` (the explorer follows the management cluster's watch events). */
    const shows = async (cluster: string, what: string, ok: (rows: string[]) => boolean): Promise<string[]> => {
      let rows: string[] = [];
      for (let i = 0; i < 150; i++) {
        await openTo(cluster);
        rows = await childrenOf(cluster);
        if (ok(rows)) return rows;
        await page.waitForTimeout(200);
      }
      throw new Error(`${cluster}: the tree does not show ${what}:\n${rows.join('\n')}`);
    };
    const has = (re: RegExp) => (rows: string[]) => rows.some((r) => re.test(r));
    await openTo();
    await wb.waitForText('ui-held', sidebar);

    const quick = page.locator('.quick-input-widget');
    /** Right-click → "Upgrade Workload Cluster…", the target typed into the QuickPick and taken with Enter, then the modal. */
    const upgrade = async (cluster: string, className: string, version: string): Promise<string> => {
      await row(cluster).click({ button: 'right' });
      // Pointing at the entry focuses it; Enter runs it (a click right after the menu opens can go unnoticed).
      const entry = page.getByRole('menuitem', { name: 'Upgrade Workload Cluster…' });
      await entry.hover();
      await page.locator('.monaco-menu .action-item.focused', { hasText: 'Upgrade Workload Cluster…' }).waitFor();
      await page.keyboard.press('Enter');
      await quick.locator('.quick-input-title', { hasText: `Upgrade ${cluster}` }).waitFor();
      await quick.locator('.quick-input-list .monaco-list-row').first().waitFor();
      const offered = (await quick.locator('.quick-input-list .monaco-list-row').allInnerTexts())
        .map((t) => t.replace(/\s+/g, ' '))
        .join(' | ');
      await page.keyboard.type(className);
      await quick
        .locator('.quick-input-list .monaco-list-row.focused', { hasText: className })
        .waitFor()
        .catch((e: unknown) => {
          throw new Error(`${className} is not offered (${offered}): ${String(e)}`);
        });
      await page.keyboard.press('Enter');
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor();
      const text = await dialog.innerText();
      await dialog.locator('.monaco-button', { hasText: 'Write' }).first().click();
      await dialog.waitFor({ state: 'hidden' });
      for (let i = 0; i < 100 && em.get(CAPI, 'Cluster', NS, cluster)?.spec.topology.version !== version; i++)
        await page.waitForTimeout(100);
      return `${offered}\n${text}`;
    };

    // The next patch release: offered with its Kubernetes version, confirmed in the write path's modal.
    const shown = await upgrade('ui-rollout', 'openstack-scs2-1-33-v2', 'v1.33.5');
    console.log(shown);
    assert.match(shown, /openstack-scs2-1-33-v2[^|]*Kubernetes v1\.33\.5 · new release/);
    assert.match(shown, /openstack-scs2-1-34-v1[^|]*Kubernetes v1\.34\.7 · next minor/);
    assert.match(shown, /Context: ops-ui/);
    assert.match(shown, /Namespace: tenant-ui/);
    assert.match(shown, /Changes \(server-side dry run, values masked\):/);
    const written = em.get(CAPI, 'Cluster', NS, 'ui-rollout');
    assert.equal(written?.spec.topology.classRef.name, 'openstack-scs2-1-33-v2');
    assert.equal(written?.spec.topology.version, 'v1.33.5');

    // The operator's hook holds every upgrade until the ClusterAddon has applied the new release's addons.
    await until('ui-rollout held by the hook', () => condition('ui-rollout', 'TopologyReconciled')?.reason === 'LifecycleHookBlocking');
    await shows('ui-rollout', 'the blocking hook', has(/^TopologyReconciled .*LifecycleHookBlocking/));

    // The second cluster goes to the next minor, and stays held: its ClusterAddon never reports the addons applied.
    await openTo();
    await upgrade('ui-held', 'openstack-scs2-1-34-v1', 'v1.34.7');
    await until('ui-held held by the hook', () => condition('ui-held', 'TopologyReconciled')?.reason === 'LifecycleHookBlocking');
    assert.equal(em.get(CSO, 'ClusterAddon', NS, 'cluster-addon-ui-held')?.spec.hook, 'BeforeClusterUpgrade');

    // The addons of ui-rollout are applied (what the operator's ClusterAddon controller reports): the hook lets go,
    // and Cluster API upgrades the control plane while it holds the workers.
    const addon = em.get(CSO, 'ClusterAddon', NS, 'cluster-addon-ui-rollout');
    assert.ok(addon, 'the ClusterAddon of ui-rollout');
    addon.status.conditions = [{ type: 'HelmChartApplied', status: 'True', lastTransitionTime: new Date().toISOString() }];
    em.put(addon);
    await until('ui-rollout upgrading its control plane', () =>
      /Control plane is upgrading to version v1\.33\.5/.test(condition('ui-rollout', 'TopologyReconciled')?.message ?? ''),
    );
    const cp = await shows(
      'ui-rollout',
      'the control plane upgrading, the workers on hold',
      has(/^TopologyReconciled .*MachineDeploymentsUpgradePending .*md-0.* on hold\. Control plane is upgrading to version v1\.33\.5/),
    );
    assert.ok(!cp.some((r) => r.startsWith('Held by')), `no hook holds ui-rollout any more: ${cp.join(' | ')}`);
    const held = await shows(
      'ui-held',
      'the hook and the ClusterAddon it waits for',
      has(/^Held by BeforeClusterUpgrade .*waits for ClusterAddon cluster-addon-ui-held/),
    );
    assert.ok(
      held.some((r) => /^TopologyReconciled .*LifecycleHookBlocking .*hook "BeforeClusterUpgrade" is blocking/.test(r)),
      held.join(' | '),
    );
    await shows('ui-rollout', 'the control plane upgrading', has(/Control plane is upgrading/));
    assert.deepEqual(collapsedAgain, [], 'rows the writes collapsed again');
    // A wider window, the side bar widened up to the editor area's minimum width, so the reasons fit on their rows.
    await page.setViewportSize({ width: 1680, height: 800 });
    const box = await sidebar.boundingBox();
    assert.ok(box, 'the side bar is laid out');
    await page.mouse.move(box.x + box.width + 1, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 1600, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    await wb.settle();
    for (const text of ['Control plane is upgrading to version v1.33.5', 'waits for ClusterAddon cluster-addon-ui-held']) {
      const r = sidebar.locator('.monaco-list-row', { hasText: text }).first();
      assert.ok(await r.isVisible(), `${text} is on screen`);
      // Not cut off with an ellipsis: no element of the row is wider inside than it shows.
      assert.ok(
        await r.evaluate((e) => [e, ...e.querySelectorAll('*')].every((x) => x.scrollWidth <= x.clientWidth + 1)),
        `${text} is shown in full`,
      );
    }
    // The picture: the activity bar and the side bar down to the last row.
    const wide = await sidebar.boundingBox();
    const last = await sidebar.locator('.monaco-list-row').last().boundingBox();
    assert.ok(wide && last, 'the tree is laid out');
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const file = path.join(SCREENSHOTS, 'upgrade.png');
    await page.screenshot({
      path: file,
      clip: { x: 0, y: 0, width: wide.x + wide.width, height: Math.min(800, last.y + last.height + 16) },
    });
    await page.setViewportSize({ width: 1280, height: 800 });
    assert.ok(fs.statSync(file).size > 10_000, `${file} is a real screenshot`);
    const media = path.join(REPO_ROOT, 'media', 'screenshots');
    fs.mkdirSync(media, { recursive: true });
    fs.copyFileSync(file, path.join(media, 'upgrade.png'));

    // Then the workers (the MachineDeployment rolls out to the new version), then the cluster on its new release.
    await until(
      'ui-rollout upgrading its workers',
      () =>
        condition('ui-rollout', 'TopologyReconciled')?.status === 'True' &&
        /MachineDeployment ui-rollout-md-0/.test(condition('ui-rollout', 'RollingOut')?.message ?? ''),
    );
    const workers = await shows(
      'ui-rollout',
      'the workers rolling out',
      (rows) =>
        has(/^RollingOut .*MachineDeployment ui-rollout-md-0-\w+: Rolling out 1 not up-to-date replicas/)(rows) &&
        has(/^WorkerMachinesUpToDate Workers .*Version v1\.33\.4, v1\.33\.5 required/)(rows),
    );
    assert.ok(!workers.some((r) => r.startsWith('TopologyReconciled')), `the topology is reconciled: ${workers.join(' | ')}`);
    await until('ui-rollout upgraded', () => provisioned('ui-rollout')() && condition('ui-rollout', 'RollingOut')?.status === 'False');
    await wb.waitForText('openstack-scs2-1-33-v2', row('ui-rollout'));
    assert.match(normalize(await row('ui-rollout').locator('.label-name').innerText()), /^ui-rollout v1\.33\.5 openstack-scs2-1-33-v2$/);
    await shows('ui-rollout', 'no rollout any more', (rows) => !rows.some((r) => /^(TopologyReconciled|RollingOut) /.test(r)));
    // ui-held is still held: nothing told the hook its addons are applied.
    assert.equal(condition('ui-held', 'TopologyReconciled')?.reason, 'LifecycleHookBlocking');
    await shows('ui-held', 'still held', has(/^Held by BeforeClusterUpgrade/));
  });
});

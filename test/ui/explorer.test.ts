// What the explorer looks like: a seeded management cluster (Kubernetes API emulator) reached through
// KUBECONFIG, the tree expanded down to a failing workload cluster's conditions. The screenshot is also
// kept as media/screenshots/explorer.png for the README.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { type Emulator, type KubeObject, startEmulator } from '../emulator';
import { REPO_ROOT } from '../vscode/codeServer';
import { workbench, type Workbench } from './workbench';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');

function fixture(rel: string, namespace: string, name?: string, labels?: Record<string, string>): KubeObject {
  const obj = yaml.load(fs.readFileSync(path.join(FIXTURES, rel), 'utf8')) as KubeObject;
  obj.metadata = { ...obj.metadata, namespace, ...(name ? { name } : {}), ...(labels ? { labels } : {}) };
  return obj;
}

const secret = (namespace: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'openstack', namespace },
  stringData: { 'clouds.yaml': 'clouds: {}\n', cloudName: 'openstack', cacert: 'x' },
});

describe('UI: the management-cluster explorer', function () {
  this.timeout(300_000);
  let em: Emulator;
  let wb: Workbench;

  before(async () => {
    em = await startEmulator({
      name: 'scs-mgmt',
      seed: [
        fixture('clusters/v1beta2-scs-topology-healthy-derived.yaml', 'acme-prod', 'prod-eu1'),
        fixture('clusters/v1beta2-scs-topology-remote-connection-lost-derived.yaml', 'acme-prod', 'prod-eu2'),
        fixture('clusters/v1beta1-topology-controlplane-upgrading.yaml', 'acme-prod', 'prod-edge', { 'managed-secret': 'cloud-config' }),
        fixture('clusters/v1beta2-scs-topology-deleting-derived.yaml', 'acme-prod', 'old-lab'),
        fixture('clusterstack/scs2-clusterstack-v1-ready-v2-downloading-derived.yaml', 'acme-prod'),
        fixture('clusterstack/scs2-clusterstackrelease-ready-derived.yaml', 'acme-prod'),
        fixture('clusterstack/scs2-clusterstackrelease-downloading-derived.yaml', 'acme-prod'),
        fixture('addons/scs-csp-helper-clusterresourceset-cloud-config-derived.yaml', 'acme-prod'),
        secret('acme-prod'),
        fixture('clusters/v1alpha3-provisioning-waiting-for-infrastructure.yaml', 'acme-dev', 'dev-1'),
        fixture('clusters/v1alpha3-paused.yaml', 'acme-dev', 'dev-2'),
        secret('acme-dev'),
        fixture('clusters/v1beta2-scs-topology-healthy-derived.yaml', 'globex', 'gx-main'),
        secret('globex'),
      ],
    });
    await em.addWorkloadCluster('acme-prod', 'prod-eu1');
    // Its own launch: code-server hands this environment to the extension host.
    wb = await workbench({ env: { KUBECONFIG: em.kubeconfigPath } });
  });

  after(async () => {
    await em?.stop();
  });

  it('shows the expanded tree with health icons and conditions', async () => {
    await wb.reset();
    await wb.openViewContainer('Cluster Stacks');
    const sidebar = wb.page.locator('.part.sidebar');
    const row = (label: string) => sidebar.locator('.monaco-list-row', { hasText: label }).first();
    await (await wb.waitForText('scs-mgmt', sidebar)).click();
    await wb.waitForText('acme-prod', sidebar);
    await row('acme-prod').click();
    await wb.waitForText('Workload clusters', sidebar);
    await row('Workload clusters').click();
    await wb.waitForText('prod-eu2', sidebar);
    await row('prod-eu2').click();
    await wb.waitForText('RemoteConnectionProbe', sidebar);
    await row('Cluster stacks').click();
    await wb.waitForText('openstack/scs2', sidebar);
    // Widen the side bar so the labels (name  version  class) are readable in the screenshot.
    const box = await sidebar.boundingBox();
    if (box) {
      await wb.page.mouse.move(box.x + box.width + 1, box.y + box.height / 2);
      await wb.page.mouse.down();
      await wb.page.mouse.move(box.x + 640, box.y + box.height / 2, { steps: 8 });
      await wb.page.mouse.up();
    }
    const file = await wb.screenshot('explorer');
    assert.ok(fs.statSync(file).size > 10_000, `${file} is a real screenshot`);
    const media = path.join(REPO_ROOT, 'media', 'screenshots');
    fs.mkdirSync(media, { recursive: true });
    fs.copyFileSync(file, path.join(media, 'explorer.png'));
  });
});

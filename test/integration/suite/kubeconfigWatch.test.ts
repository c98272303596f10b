// The explorer follows the kubeconfig files inside a real VS Code, against three API emulators: a file that
// appears, a context rewritten to point at another cluster and a file removed each update the tree without a
// reload — and the context nobody touched is not listed again (the emulator counts its requests).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import * as vscode from 'vscode';
import type { TreeSnapshot } from '../../../src/views/explorer/snapshot';
import { type Emulator, type KubeObject, startEmulator } from '../../emulator';
import { activatedExtension, waitFor } from '../helpers';
import { trackEmulator } from '../leak/ledger';

const FIXTURES = path.resolve(__dirname, '../../..', 'test', 'fixtures');
const snapshot = (expand: string[]) => vscode.commands.executeCommand<TreeSnapshot[]>('clusterStacks.explorer.snapshot', { expand });

function clusterIn(namespace: string): KubeObject {
  const obj = yaml.load(fs.readFileSync(path.join(FIXTURES, 'clusters/v1beta2-scs-topology-healthy-derived.yaml'), 'utf8')) as KubeObject;
  obj.metadata = { ...obj.metadata, namespace };
  return obj;
}

/** List (not watch) requests the emulator served since its last reset. */
const lists = (em: Emulator) => em.requests.filter((r) => r.method === 'GET' && !/[?&]watch=(1|true)\b/.test(r.path)).length;

describe('explorer: following the kubeconfig files', function () {
  this.timeout(180_000);
  const ems: Emulator[] = [];
  let dir: string;
  const config = () => vscode.workspace.getConfiguration('clusterStacks');

  before(async () => {
    await activatedExtension();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconfig-watch-it-'));
    for (const [name, tenant] of [
      ['watch-one', 'tenant-one'],
      ['watch-two', 'tenant-two'],
      ['watch-other', 'tenant-other'],
    ]) {
      const em = await startEmulator({
        name,
        seed: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: tenant } }, clusterIn(tenant)],
      });
      trackEmulator(em);
      ems.push(em);
    }
    fs.writeFileSync(path.join(dir, 'one'), ems[0].kubeconfig(), { mode: 0o600 });
    fs.writeFileSync(path.join(dir, 'two'), ems[1].kubeconfig(), { mode: 0o600 });
    await config().update(
      'kubeconfigPaths',
      ['one', 'two', 'three'].map((f) => path.join(dir, f)),
      vscode.ConfigurationTarget.Global,
    );
    await vscode.commands.executeCommand('workbench.view.extension.clusterStacks');
  });

  after(async () => {
    await config().update('kubeconfigPaths', undefined, vscode.ConfigurationTarget.Global);
    for (const em of ems) await em.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const labels = (nodes: TreeSnapshot[] | undefined) => (nodes ?? []).map((n) => n.label);
  const tenantsOf = (tree: TreeSnapshot[], context: string) => labels(tree.find((n) => n.label === context)?.children);

  it('a new file, a context pointed elsewhere and a removed file update the tree; the untouched context is not listed again', async () => {
    await waitFor(
      'both contexts with their tenants',
      async () => {
        const tree = await snapshot(['watch-one', 'watch-two']);
        return tenantsOf(tree, 'watch-one').includes('tenant-one') && tenantsOf(tree, 'watch-two').includes('tenant-two')
          ? tree
          : undefined;
      },
      60_000,
    );
    for (const em of ems) em.resetRequests();

    // A kubeconfig named in the setting that did not exist yet.
    fs.writeFileSync(path.join(dir, 'three'), ems[2].kubeconfig(undefined, 'watch-three'), { mode: 0o600 });
    await waitFor('the new context', async () => (labels(await snapshot([])).includes('watch-three') ? true : undefined), 30_000);

    // watch-two rewritten (as an editor saves: a new file renamed over the old) to point at another cluster.
    const two = yaml.load(ems[2].kubeconfig(undefined, 'watch-two')) as Record<string, unknown>;
    fs.writeFileSync(path.join(dir, 'two.new'), yaml.dump(two), { mode: 0o600 });
    fs.renameSync(path.join(dir, 'two.new'), path.join(dir, 'two'));
    const tree = await waitFor(
      'watch-two to show the other cluster',
      async () => {
        const t = await snapshot(['watch-one', 'watch-two']);
        return tenantsOf(t, 'watch-two').includes('tenant-other') ? t : undefined;
      },
      30_000,
    );
    assert.deepEqual(tenantsOf(tree, 'watch-one'), ['tenant-one'], 'the untouched context still shows its tenant');
    assert.ok(!tenantsOf(tree, 'watch-two').includes('tenant-two'), 'nothing of the old cluster is left under watch-two');

    fs.rmSync(path.join(dir, 'three'));
    await waitFor('the removed context to go', async () => (labels(await snapshot([])).includes('watch-three') ? undefined : true), 30_000);
    assert.deepEqual(labels(await snapshot([])), ['watch-one', 'watch-two']);

    assert.equal(lists(ems[0]), 0, `watch-one was listed again: ${JSON.stringify(ems[0].requests.map((r) => r.path))}`);
    assert.equal(lists(ems[1]), 0, 'the old cluster of watch-two is not asked again');
    assert.ok(lists(ems[2]) > 0, 'the cluster watch-two now points at was listed');
  });
});

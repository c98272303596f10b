// Collapsing a context in the real tree gives its cache back. The case that kept a whole cache (100,000
// Clusters, ~100 MiB of the extension host's heap) after a collapse: VS Code asked for the context's
// children, and the collapse reached the extension host in the same batch (the host was busy, as it is
// while it takes in a large list), so the children request, resumed after the collapse, started a new
// cache for the collapsed context. Here the host's thread is held while VS Code sends both.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { type Emulator, startEmulator } from '../../emulator';
import { activatedExtension, liveResources, type LiveResources, waitFor } from '../helpers';
import { trackEmulator } from '../leak/ledger';

const CTX = 'collapse-it';
const NS = 'tenant-a';

/** Holds the extension host's thread: whatever VS Code sends meanwhile is handled in one go afterwards. */
function holdThread(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // busy on purpose
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('explorer: collapsing a context gives its cache back', function () {
  this.timeout(180_000);
  let em: Emulator;
  let before: unknown;
  const config = () => vscode.workspace.getConfiguration('clusterStacks');

  beforeEach(async () => {
    await activatedExtension();
    em = await startEmulator({
      name: CTX,
      seed: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
        {
          apiVersion: 'cluster.x-k8s.io/v1beta2',
          kind: 'Cluster',
          metadata: { name: 'c1', namespace: NS },
          spec: { topology: { classRef: { name: 'openstack-scs2-1-33-v1' }, version: 'v1.33.1' } },
        },
      ],
    });
    trackEmulator(em);
    before = config().inspect('kubeconfigPaths')?.globalValue;
    await config().update('kubeconfigPaths', [em.kubeconfigPath], vscode.ConfigurationTarget.Global);
  });

  afterEach(async () => {
    await config().update('kubeconfigPaths', before, vscode.ConfigurationTarget.Global);
    await em.stop();
  });

  it('a children request and the collapse arriving together leave no cache, watch, connection or timer behind', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.clusterStacks');
    const base: LiveResources = await waitFor('no cache yet', async () => {
      const now = await liveResources();
      return now.caches === 0 ? now : undefined;
    });
    const requests = () => [...em.requestCount.values()].reduce((a, b) => a + b, 0);
    // The yield before holding the thread varies: the refresh must have left, VS Code's answer not yet arrived.
    for (const yieldMs of [0, 2, 5, 10, 20, 40]) {
      const shown = await vscode.commands.executeCommand<boolean>('clusterStacks.explorer.revealCluster', {
        context: CTX,
        namespace: NS,
        name: 'c1',
      });
      assert.equal(shown, true, 'the cluster revealed: its context expanded in the tree');
      await waitFor('the context watched', () => (em.openWatches > 0 ? true : undefined), 20_000);
      // A relist refreshes the context node: VS Code asks for its children again...
      await vscode.commands.executeCommand('clusterStacks.explorer.retry', { context: CTX });
      const collapsed = vscode.commands.executeCommand('workbench.actions.treeView.clusterStacks.explorer.collapseAll');
      await sleep(yieldMs);
      // ...and collapses it while the host cannot answer.
      holdThread(1500);
      await collapsed;
      const after = await waitFor(
        `collapsed (yield ${yieldMs} ms): caches, clients, leases, timers back to ${JSON.stringify(base)} and no watch open`,
        async () => {
          const now = await liveResources();
          const back = (['caches', 'clients', 'leases', 'timers'] as const).every((k) => now[k] <= base[k]);
          return back && em.openWatches === 0 ? now : undefined;
        },
        10_000,
      );
      // A request sent before the collapse may still be answered; then the server hears nothing more.
      await waitFor(`no request for 1 s after the collapse (yield ${yieldMs} ms)`, async () => {
        const n = requests();
        await sleep(1000);
        return requests() === n ? true : undefined;
      });
      const n = requests();
      await sleep(2000);
      assert.equal(requests(), n, `requests after the collapse (yield ${yieldMs} ms): ${JSON.stringify(em.requests.slice(-5))}`);
      assert.equal(em.openWatches, 0, `watches open after the collapse (yield ${yieldMs} ms)`);
      const now = await liveResources();
      assert.equal(
        now.caches,
        0,
        `a cache came back after the collapse (yield ${yieldMs} ms): ${JSON.stringify(now)}, first back at ${JSON.stringify(after)}`,
      );
    }
  });
});

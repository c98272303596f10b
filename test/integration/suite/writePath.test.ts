// The write path inside a real VS Code against the Kubernetes API emulator (with the cluster-stack
// operator model): protected contexts guard every writing command — a pre-confirmed write is refused
// before any request reaches the cluster, `confirmProtected: true` lets a script through, an interactive
// write asks a second time naming the context — and lifetimes: after each command every leased
// connection, timer and background task is gone again (read through the test hook
// `clusterStacks.test.liveResources`), the releases followed after an interactive apply are an owned
// task that ends and gives its connection back, and a kubeconfig reload disposes the explorer's caches.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ApplyReport } from '../../../src/kube/apply';
import type { ApplyStackResult } from '../../../src/commands/stacks/applyClusterStack';
import type { CommandResult } from '../../../src/commands/credentials/results';
import type { OrderResult } from '../../../src/commands/stacks/orderCluster';
import { type Emulator, startEmulator } from '../../emulator';
import { CsoModel } from '../../emulator/csoController';
import { activatedExtension, captureMessages, liveResources, SCS2_STACK, waitFor, type LiveResources, type Msg } from '../helpers';

const REPO = path.resolve(__dirname, '../../..');
const CTX = 'guarded-mgmt';
const NS = 'tenant-a';
const run = <T>(id: string, args?: unknown) => vscode.commands.executeCommand<T>(id, args);

/** `status.ready` of an emulator object. */
const ready = (o: { status?: unknown } | undefined): boolean => (o?.status as { ready?: unknown } | undefined)?.ready === true;

const configMap = (name: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: ${NS}}\ndata: {purpose: write-path-test}\n`;

describe('the write path: protected contexts guard every write; nothing outlives a command', function () {
  this.timeout(180_000);
  let em: Emulator;
  let cso: CsoModel;
  let dir: string;
  let admin: string;
  const messages: Msg[] = [];
  /** How modals are answered (undefined = dismissed); tests swap it. */
  let answer: (m: Msg, items: string[]) => string | undefined = () => undefined;
  let capture: ReturnType<typeof captureMessages>;
  const config = () => vscode.workspace.getConfiguration('clusterStacks');
  const stack = { context: CTX, namespace: NS, ...SCS2_STACK };
  const openYaml = async (text: string) => (await vscode.workspace.openTextDocument({ language: 'yaml', content: text })).uri.toString();
  const approveAll = (_m: Msg, items: string[]) => items.find((i) => i === `Write to ${CTX}`) ?? items.find((i) => i === 'Write');

  before(async () => {
    await activatedExtension();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'write-path-it-'));
    em = await startEmulator({ name: CTX, seed: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }] });
    cso = new CsoModel(em, { stepMs: 150, fixturesDir: path.join(REPO, 'test', 'fixtures', 'clusterclass') }).start();
    admin = path.join(dir, 'admin.kubeconfig');
    fs.writeFileSync(admin, em.kubeconfig(), { mode: 0o600 });
    await config().update('kubeconfigPaths', [admin], vscode.ConfigurationTarget.Global);
    await config().update('protectedContexts', ['guarded-*'], vscode.ConfigurationTarget.Global);
    capture = captureMessages(messages, (m, items) => answer(m, items));
  });

  after(async () => {
    capture?.restore();
    await cso?.stop();
    await config().update('protectedContexts', undefined, vscode.ConfigurationTarget.Global);
    await config().update('kubeconfigPaths', undefined, vscode.ConfigurationTarget.Global);
    await em?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses every pre-confirmed write into a protected context before any request reaches it', async () => {
    const doc = await openYaml(configMap('refused'));
    const target = path.join(dir, 'tenant-b.kubeconfig');
    em.resetRequests();
    const shown = messages.length;
    const results = [
      await run<ApplyStackResult>('clusterStacks.applyClusterStack', { ...stack, confirmed: true }),
      await run<ApplyReport>('clusterStacks.applyDocument', { uri: doc, context: CTX, confirmed: true }),
      await run('clusterStacks.onboardTenant', {
        context: CTX,
        namespace: 'tenant-b',
        serviceAccount: 'sa',
        role: { kind: 'ClusterRole', name: 'edit' },
        pushCredentials: false,
        target,
        confirmed: true,
      }),
      await run<OrderResult>('clusterStacks.orderCluster', {
        context: CTX,
        namespace: NS,
        className: 'openstack-scs2-1-33-v1',
        name: 'refused',
        controlPlaneReplicas: 1,
        workerReplicas: 1,
        credentials: 'none',
        confirmed: true,
      }),
    ];
    assert.deepEqual(results, [undefined, undefined, undefined, undefined], 'the stack commands end without a result');
    const credentials = await run<CommandResult>('clusterStacks.pushToWorkloadClusters', {
      context: CTX,
      namespace: NS,
      clusters: ['w0'],
      style: 'cloud-config',
      confirmed: true,
    });
    assert.equal(credentials?.outcome, 'refused');
    const errors = messages.slice(shown).filter((m) => m.kind === 'showErrorMessage');
    assert.equal(errors.length, 5, errors.map((e) => e.message).join('\n'));
    for (const e of errors)
      assert.match(
        e.message,
        new RegExp(`Context "${CTX}" is protected \\(clusterStacks\\.protectedContexts\\); pass confirmProtected: true`),
      );
    assert.deepEqual(
      em.requests.map((r) => `${r.method} ${r.path}`),
      [],
      'no request at all reached the protected cluster',
    );
    assert.equal(em.get('v1', 'ConfigMap', NS, 'refused'), undefined);
    assert.equal(em.get('v1', 'Namespace', undefined, 'tenant-b'), undefined);
    assert.equal(fs.existsSync(target), false);
  });

  it('writes into a protected context when the script says confirmProtected: true', async () => {
    const stackResult = await run<ApplyStackResult>('clusterStacks.applyClusterStack', {
      ...stack,
      confirmed: true,
      confirmProtected: true,
    });
    assert.equal(stackResult?.report.outcome, 'created', stackResult?.report.reason);
    const report = await run<ApplyReport>('clusterStacks.applyDocument', {
      uri: await openYaml(configMap('allowed')),
      context: CTX,
      confirmed: true,
      confirmProtected: true,
    });
    assert.equal(report?.outcome, 'created', report?.reason);
    assert.deepEqual(em.get('v1', 'ConfigMap', NS, 'allowed')?.data, { purpose: 'write-path-test' });
  });

  it('asks a second time, naming the protected context, before an interactive write; dismissing it writes nothing', async () => {
    const uri = await openYaml(configMap('interactive'));
    const shown = messages.length;
    answer = (_m, items) => (items.includes('Write') ? 'Write' : undefined); // the confirmation yes, the protected prompt dismissed
    assert.equal(await run('clusterStacks.applyDocument', { uri, context: CTX }), undefined);
    const modals = messages.slice(shown).filter((m) => m.kind === 'showWarningMessage');
    assert.deepEqual(
      modals.map((m) => m.message),
      ['Apply 1 object?', `"${CTX}" is a protected context.`],
    );
    assert.match(modals[0].detail ?? '', new RegExp(`^Apply 1 object\\nContext: ${CTX} \\(PROTECTED\\)\\nNamespace: ${NS}\\n`));
    assert.match(modals[0].detail ?? '', /ConfigMap tenant-a\/interactive: create/);
    assert.equal(em.get('v1', 'ConfigMap', NS, 'interactive'), undefined, 'nothing written');
    answer = approveAll;
    const report = await run<ApplyReport>('clusterStacks.applyDocument', { uri, context: CTX });
    assert.equal(report?.outcome, 'created', report?.reason);
    assert.ok(em.get('v1', 'ConfigMap', NS, 'interactive'));
  });

  describe('lifetimes', () => {
    let baseline: LiveResources;
    const figures: string[] = [];
    /** Waits until nothing is alive beyond `base` (a command's leftovers would never go). */
    const backTo = (what: string, base: LiveResources, keys: (keyof LiveResources)[] = ['clients', 'leases', 'timers', 'tasks']) =>
      waitFor(
        `${what}: ${keys.join(', ')} back to ${JSON.stringify(base)}`,
        async () => {
          const now = await liveResources();
          return keys.every((k) => now[k] <= base[k]) ? now : undefined;
        },
        10_000,
      );

    before(async () => {
      answer = approveAll;
      // The stack and its ready release the order command needs (created by the tests above, or here).
      await run('clusterStacks.applyClusterStack', { ...stack, confirmed: true, confirmProtected: true });
      await waitFor(
        'the release ready',
        () => (ready(em.get('clusterstack.x-k8s.io/v1alpha1', 'ClusterStackRelease', NS, 'openstack-scs2-1-33-v1')) ? true : undefined),
        20_000,
      );
      // Nothing expanded in the explorer: the baseline has no connection of this emulator.
      baseline = await liveResources();
    });

    after(() => console.log(`    live resources (baseline ${JSON.stringify(baseline)}):\n${figures.map((f) => `      ${f}`).join('\n')}`));

    it('gives back every connection, timer and task after each command', async () => {
      const commands: [string, () => Thenable<unknown>][] = [
        [
          'applyDocument',
          async () =>
            run('clusterStacks.applyDocument', {
              uri: await openYaml(configMap('life')),
              context: CTX,
              confirmed: true,
              confirmProtected: true,
            }),
        ],
        [
          'applyDocument (interactive)',
          async () => run('clusterStacks.applyDocument', { uri: await openYaml(configMap('life-2')), context: CTX }),
        ],
        [
          'applyClusterStack (unchanged)',
          () => run('clusterStacks.applyClusterStack', { ...stack, confirmed: true, confirmProtected: true }),
        ],
        ['showPropagation', () => run('clusterStacks.showPropagation', { context: CTX, namespace: NS })],
        [
          'orderCluster',
          () =>
            run('clusterStacks.orderCluster', {
              context: CTX,
              namespace: NS,
              className: 'openstack-scs2-1-33-v1',
              name: 'life',
              controlPlaneReplicas: 1,
              workerReplicas: 1,
              open: false,
              confirmed: true,
              confirmProtected: true,
            }),
        ],
        [
          'applyDocument of a kind the cluster does not serve (refused after connecting)',
          async () =>
            run('clusterStacks.applyDocument', {
              uri: await openYaml(`apiVersion: example.com/v1\nkind: Unknown\nmetadata: {name: x, namespace: ${NS}}\n`),
              context: CTX,
              confirmed: true,
              confirmProtected: true,
            }),
        ],
      ];
      for (const [what, command] of commands) {
        await command();
        figures.push(`after ${what}: ${JSON.stringify(await backTo(what, baseline))}`);
      }
      assert.ok(em.get('v1', 'ConfigMap', NS, 'life-2'), 'the interactive write happened');
      assert.ok(
        em.get('cluster.x-k8s.io/v1beta2', 'Cluster', NS, 'life') ?? em.get('cluster.x-k8s.io/v1beta1', 'Cluster', NS, 'life'),
        'the order happened',
      );
    });

    it('follows the releases after an interactive apply as an owned task that ends and gives its connection back', async () => {
      const result = await run<ApplyStackResult>('clusterStacks.applyClusterStack', {
        ...stack,
        objectName: 'openstack-v2',
        versions: ['v2'],
      });
      assert.equal(result?.report.outcome, 'created', result?.report.reason);
      // The task leases the context's connection for as long as it polls.
      const following = await waitFor('the follow task running with its connection', async () => {
        const now = await liveResources();
        return now.tasks === baseline.tasks + 1 && now.leases > baseline.leases ? now : undefined;
      });
      figures.push(`while following the releases: ${JSON.stringify(following)}`);
      figures.push(`after the releases are ready: ${JSON.stringify(await backTo('follow', baseline))}`);
      assert.equal(ready(em.get('clusterstack.x-k8s.io/v1alpha1', 'ClusterStackRelease', NS, 'openstack-scs2-1-33-v2')), true);
    });

    it('a snapshot of the explorer leaves no timer behind; hiding the view and a kubeconfig reload dispose the caches and their connections', async () => {
      await vscode.commands.executeCommand('workbench.view.extension.clusterStacks');
      await run('clusterStacks.explorer.snapshot', { expand: [CTX] });
      const watching = await backTo('explorer snapshot', baseline, ['timers', 'tasks']);
      assert.ok(watching.caches >= 1 && watching.clients > baseline.clients, `the explorer watches ${CTX}: ${JSON.stringify(watching)}`);
      figures.push(`explorer watching ${CTX}: ${JSON.stringify(watching)}`);
      // Hiding the view stops the watches: the caches and their connections go.
      await vscode.commands.executeCommand('workbench.view.explorer');
      figures.push(
        `explorer hidden: ${JSON.stringify(await backTo('explorer hidden', { ...baseline, caches: 0 }, ['clients', 'leases', 'timers', 'tasks', 'caches']))}`,
      );
      await vscode.commands.executeCommand('workbench.view.extension.clusterStacks');
      await run('clusterStacks.explorer.snapshot', { expand: [CTX] });
      assert.ok((await liveResources()).caches >= 1, 'watching again');
      const empty = path.join(dir, 'empty.kubeconfig');
      fs.writeFileSync(empty, 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n');
      await config().update('kubeconfigPaths', [empty], vscode.ConfigurationTarget.Global);
      const reloaded = await backTo('explorer reload', { ...baseline, caches: 0 }, ['clients', 'leases', 'timers', 'tasks', 'caches']);
      figures.push(`after a kubeconfig reload: ${JSON.stringify(reloaded)}`);
      await config().update('kubeconfigPaths', [admin], vscode.ConfigurationTarget.Global);
    });
  });
});

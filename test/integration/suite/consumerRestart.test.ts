// The consumer restart after a push that changed an existing workload secret, inside a real VS Code,
// against workload emulators that run the OpenStack CCM and Cinder CSI workloads of the
// cloud-provider-openstack charts (test/emulator/openstackAddons.ts) with the deployment and daemon-set
// controllers (test/emulator/apps.ts). The restart and the completed rollout are read back with the
// real kubectl (`get -o json`, `rollout status`), not with the extension's own code.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startEmulator, type Emulator } from '../../emulator';
import { kubectl } from '../../emulator/helpers';
import type { CommandResult } from '../../../src/commands/credentials/results';
import { addEquippedWorkloads } from '../landscape';
import { activatedExtension, captureMessages, liveResources, workspaceFolder, type LiveResources, type Msg } from '../helpers';

const RUN = Math.random().toString(36).slice(2, 8);
const NS = `tenant-rs-${RUN}`;
const CLUSTERS = ['r0', 'r1', 'r2'];
const CONSUMERS = [
  ['daemonset', 'openstack-cloud-controller-manager'],
  ['deployment', 'openstack-cinder-csi-controllerplugin'],
  ['daemonset', 'openstack-cinder-csi-nodeplugin'],
] as const;
const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

describe('consumer restart after a changed push (real VS Code, emulators, kubectl)', function () {
  this.timeout(180_000);
  let mgmt: Emulator;
  let cloudsUri: vscode.Uri;
  let baseline: LiveResources;
  const messages: Msg[] = [];
  let answer: (m: Msg, items: string[]) => string | undefined = () => undefined;
  let capture: ReturnType<typeof captureMessages>;
  const workload = (n: string) => mgmt.workloads.get(`${NS}/${n}`) as Emulator;
  const push = (cloud: string, extra: Record<string, unknown>) =>
    vscode.commands.executeCommand<CommandResult>('clusterStacks.pushToWorkloadClusters', {
      uri: cloudsUri.toString(),
      cloud,
      context: mgmt.name,
      namespace: NS,
      clusters: CLUSTERS,
      style: 'cloud-config',
      ...extra,
    });
  const restartedAt = async (n: string, kind: string, name: string): Promise<string | undefined> => {
    const k = await kubectl(workload(n).kubeconfigPath, ['get', kind, name, '-n', 'kube-system', '-o', 'json']);
    assert.equal(k.code, 0, k.stderr);
    return (JSON.parse(k.stdout) as { spec: { template: { metadata: { annotations?: Record<string, string> } } } }).spec.template.metadata
      .annotations?.[RESTARTED_AT];
  };
  const rolloutStatus = (n: string, kind: string, name: string, timeout: string) =>
    kubectl(workload(n).kubeconfigPath, ['rollout', 'status', `${kind}/${name}`, '-n', 'kube-system', `--timeout=${timeout}`]);

  before(async () => {
    await activatedExtension();
    mgmt = await startEmulator({ name: `mgmt-rs-${RUN}`, seed: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }] });
    await addEquippedWorkloads(mgmt, NS, CLUSTERS, 2);
    // Three clouds with different secrets: each push changes the workload secret.
    const dir = path.join(workspaceFolder().fsPath, `rs-${RUN}`);
    fs.mkdirSync(dir, { recursive: true });
    const cloud = (i: number) =>
      `  c${i}:\n    auth_type: v3applicationcredential\n    region_name: RegionOne\n    auth:\n      auth_url: https://keystone.example.com/v3\n      application_credential_id: id-${RUN}\n      application_credential_secret: rs-secret-${i}-${RUN}\n`;
    fs.writeFileSync(path.join(dir, 'clouds.yaml'), `clouds:\n${[1, 2, 3, 4, 5].map(cloud).join('')}`);
    cloudsUri = vscode.Uri.file(path.join(dir, 'clouds.yaml'));
    await vscode.workspace
      .getConfiguration('clusterStacks')
      .update('kubeconfigPaths', [mgmt.kubeconfigPath], vscode.ConfigurationTarget.Global);
    capture = captureMessages(messages, (m, items) => answer(m, items));
    for (const n of CLUSTERS)
      for (const [kind, name] of CONSUMERS)
        assert.equal((await rolloutStatus(n, kind, name, '60s')).code, 0, `${n} ${name} rolled out first`);
    baseline = await liveResources();
  });

  after(async () => {
    capture?.restore();
    await vscode.workspace.getConfiguration('clusterStacks').update('kubeconfigPaths', undefined, vscode.ConfigurationTarget.Global);
    await mgmt?.stop();
  });

  it('a first push creates the secret: nothing to restart', async () => {
    const r = await push('c1', { confirmed: true, restartConsumers: true });
    assert.deepEqual(
      r?.clusters?.map((c) => c.outcome),
      ['created', 'created', 'created'],
    );
    assert.equal(r?.restarts, undefined);
    for (const n of CLUSTERS) assert.equal(await restartedAt(n, 'daemonset', 'openstack-cloud-controller-manager'), undefined);
  });

  it('restartConsumers: true after a changed push restarts the OCCM and both Cinder CSI plugins and waits for their rollouts', async () => {
    const r = await push('c2', { confirmed: true, restartConsumers: true });
    assert.deepEqual(
      r?.clusters?.map((c) => c.outcome),
      ['updated', 'updated', 'updated'],
    );
    assert.deepEqual(
      r?.restarts?.map((v) => [v.cluster, v.outcome, v.consumers.map((c) => c.name).sort()]),
      CLUSTERS.map((n) => [n, 'complete', CONSUMERS.map(([, name]) => name).sort()]),
    );
    for (const v of r?.restarts ?? []) {
      assert.ok(v.restartedAt, 'the restart time is reported');
      for (const [kind, name] of CONSUMERS) {
        assert.equal(await restartedAt(v.cluster, kind, name), v.restartedAt, `${v.cluster} ${kind}/${name} has the annotation`);
        const s = await rolloutStatus(v.cluster, kind, name, '5s');
        assert.equal(s.code, 0, s.stderr);
        assert.match(s.stdout, /successfully rolled out/);
      }
    }
  });

  it('a cluster whose pods never become ready times out, the others complete; kubectl agrees', async () => {
    workload('r2').apps.stall(true);
    try {
      const r = await push('c3', { confirmed: true, restartConsumers: true, rolloutTimeoutSeconds: 4 });
      assert.deepEqual(
        r?.restarts?.map((v) => [v.cluster, v.outcome]),
        [
          ['r0', 'complete'],
          ['r1', 'complete'],
          ['r2', 'timeout'],
        ],
      );
      assert.match(r?.restarts?.[2].reason ?? '', /not complete after 4 s: Waiting for /);
      const s = await rolloutStatus('r2', 'daemonset', 'openstack-cloud-controller-manager', '2s');
      assert.notEqual(s.code, 0, 'kubectl also says the rollout is not done');
      assert.equal((await rolloutStatus('r0', 'daemonset', 'openstack-cloud-controller-manager', '5s')).code, 0);
      assert.ok(messages.some((m) => m.kind === 'showWarningMessage' && /Restart consumers: .*1 timeout/.test(m.message)));
    } finally {
      workload('r2').apps.stall(false);
    }
  });

  it('a pre-confirmed push without restartConsumers leaves the consumers alone', async () => {
    const before = await restartedAt('r0', 'daemonset', 'openstack-cloud-controller-manager');
    const r = await push('c4', { confirmed: true });
    assert.deepEqual(
      r?.clusters?.map((c) => c.outcome),
      ['updated', 'updated', 'updated'],
    );
    assert.equal(r?.restarts, undefined);
    assert.equal(await restartedAt('r0', 'daemonset', 'openstack-cloud-controller-manager'), before);
  });

  it('interactive: the restart is offered after the push (its own confirmation); dismissing it leaves the consumers alone', async () => {
    const before = await restartedAt('r1', 'deployment', 'openstack-cinder-csi-controllerplugin');
    const seen = messages.length;
    // Confirm the push, dismiss the restart.
    answer = (m, items) => (items.includes('Write') && !m.message.startsWith('Restart ') ? 'Write' : undefined);
    const r = await push('c5', { clusters: ['r1'] });
    answer = () => undefined;
    assert.deepEqual(
      r?.clusters?.map((c) => c.outcome),
      ['updated'],
    );
    const offer = messages.slice(seen).find((m) => m.message.startsWith('Restart '));
    assert.ok(offer, 'the restart was offered');
    assert.match(offer.message, /OpenStack CCM.*Cinder CSI.*in 1 workload cluster/);
    assert.match(offer.detail ?? '', /restart DaemonSet kube-system\/openstack-cloud-controller-manager/);
    assert.deepEqual(
      r?.restarts?.map((v) => [v.cluster, v.outcome]),
      [['r1', 'declined']],
    );
    assert.equal(await restartedAt('r1', 'deployment', 'openstack-cinder-csi-controllerplugin'), before);
  });

  it('leaves no client, lease, timer or task behind', async () => {
    assert.deepEqual(await liveResources(), baseline);
  });
});

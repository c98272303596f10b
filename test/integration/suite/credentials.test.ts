// The credential commands inside a real VS Code, driven with arguments (no prompts), against a
// management emulator with workload emulators: resulting secrets (also via kubectl), the gcfg checker
// on the pushed cloud.conf, fault injection with a dead cluster, drift, the ClusterResourceSet flow,
// protected contexts, the confirmation text of the interactive path, and no secret value in any
// notification or in the output channel.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import * as vscode from 'vscode';
import { startEmulator, type Emulator } from '../../emulator';
import { kubectl } from '../../emulator/helpers';
import { CrsController } from '../../emulator/crsController';
import type { CommandResult } from '../../../src/commands/credentials/results';
import { activatedExtension, captureMessages, ownLog, workspaceFolder, type Msg } from '../helpers';
import { trackEmulator } from '../leak/ledger';
import { SECRETS } from '../secrets';

const REPO = path.resolve(__dirname, '..', '..', '..');
const RUN = Math.random().toString(36).slice(2, 8);
const NS = `tenant-${RUN}`;
const APP_SECRET = SECRETS['credentials.appCredSecret'];
const HAND_EDIT = SECRETS['credentials.handEditedConf'];
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUSecretlessTestCertificate0=\n-----END CERTIFICATE-----\n';
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

/** The real gcfg checker (test/credentials/gcfgCheck.ts through tsx), without blocking the extension host. */
function gcfg(
  texts: string[],
): Promise<{ ok: boolean; error?: string; global: Record<string, unknown>; sections: Record<string, unknown> }[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(REPO, 'node_modules', '.bin', 'tsx'), [path.join(REPO, 'test', 'credentials', 'gcfgCheck.ts')], {
      cwd: REPO,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`gcfg checker: ${err}`))));
    child.stdin.end(JSON.stringify(texts));
  });
}

const run = <T = CommandResult>(id: string, args: unknown) => vscode.commands.executeCommand<T>(id, args);

describe('credential commands (real VS Code, emulators)', function () {
  this.timeout(180_000);
  let mgmt: Emulator;
  let context: string;
  let cloudsUri: vscode.Uri;
  const messages: Msg[] = [];
  const answerWrite = (m: Msg, items: string[]) => (m.kind === 'showWarningMessage' && items.includes('Write') ? 'Write' : undefined);
  let capture: ReturnType<typeof captureMessages>;
  const workload = (n: string) => mgmt.workloads.get(`${NS}/${n}`) as Emulator;

  before(async () => {
    await activatedExtension();
    mgmt = await startEmulator({
      name: `mgmt-${RUN}`,
      seed: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
        {
          apiVersion: 'cluster.x-k8s.io/v1beta1',
          kind: 'ClusterClass',
          metadata: { name: 'openstack-scs-1-32-v1', namespace: NS },
          spec: {
            variables: [
              { name: 'secret_name', required: false, schema: { openAPIV3Schema: { type: 'string', default: 'openstack-creds' } } },
            ],
          },
        },
      ],
    });
    trackEmulator(mgmt);
    context = mgmt.name;
    for (const [n, labels] of [
      ['w0', { 'managed-secret': 'cloud-config' }],
      ['w1', { 'managed-secret': 'cloud-config' }],
      ['w2', {}],
      ['w3', {}],
    ] as const) {
      mgmt.put({
        apiVersion: 'cluster.x-k8s.io/v1beta1',
        kind: 'Cluster',
        metadata: { name: n, namespace: NS, labels: { ...labels } },
        spec: { topology: { class: 'openstack-scs-1-32-v1', version: 'v1.32.5' } },
        // provisioned: CAPI's ClusterCache (and so the ClusterResourceSet controller) only connects then
        status: { phase: 'Provisioned', infrastructureReady: true, controlPlaneReady: true },
      });
      const w = await mgmt.addWorkloadCluster(NS, n);
      w.faults.set({ rate500: 0.1, seed: n.charCodeAt(1) });
    }
    await workload('w3').stop(); // a dead workload cluster
    await vscode.workspace
      .getConfiguration('clusterStacks')
      .update('kubeconfigPaths', [mgmt.kubeconfigPath], vscode.ConfigurationTarget.Global);
    const dir = vscode.Uri.joinPath(workspaceFolder(), `creds-${RUN}`);
    fs.mkdirSync(dir.fsPath, { recursive: true });
    fs.writeFileSync(path.join(dir.fsPath, 'ca.pem'), PEM);
    fs.writeFileSync(
      path.join(dir.fsPath, 'clouds.yaml'),
      'clouds:\n  prod:\n    auth:\n      auth_url: https://keystone.example.com:5000/v3\n      application_credential_id: 0123456789abcdef0123456789abcdef\n    region_name: RegionOne\n    auth_type: v3applicationcredential\n    cacert: ca.pem\n',
    );
    fs.writeFileSync(
      path.join(dir.fsPath, 'secure.yaml'),
      `clouds:\n  prod:\n    auth:\n      application_credential_secret: "${APP_SECRET}"\n`,
    );
    cloudsUri = vscode.Uri.joinPath(dir, 'clouds.yaml');
    capture = captureMessages(messages, answerWrite);
  });

  after(async () => {
    capture?.restore();
    await vscode.workspace.getConfiguration('clusterStacks').update('kubeconfigPaths', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('clusterStacks').update('protectedContexts', undefined, vscode.ConfigurationTarget.Global);
    await mgmt?.stop();
  });

  it('registers the four commands (the clouds.yaml lens "Push to tenant…" relies on it)', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const id of [
      'clusterStacks.pushToTenant',
      'clusterStacks.pushToWorkloadClusters',
      'clusterStacks.keepInSync',
      'clusterStacks.showPropagation',
    ])
      assert.ok(all.includes(id), id);
  });

  it('pushToTenant writes the flattened identity secret under the name the ClusterClass expects', async () => {
    const r = await run('clusterStacks.pushToTenant', {
      uri: cloudsUri.toString(),
      cloud: 'prod',
      context,
      namespace: NS,
      confirmed: true,
    });
    assert.equal(r?.outcome, 'done', r?.message);
    assert.equal(r?.management?.outcome, 'created');
    const s = mgmt.get('v1', 'Secret', NS, 'openstack-creds');
    assert.ok(s, 'secret named after the ClusterClass variable secret_name');
    assert.deepEqual(Object.keys(s.data).sort(), ['cacert', 'cloudName', 'clouds.yaml']);
    assert.deepEqual(s.metadata.labels, { 'clusterctl.cluster.x-k8s.io/move': '' });
    assert.equal(unb64(s.data.cloudName), 'prod');
    assert.equal(unb64(s.data.cacert), PEM);
    const clouds = yaml.load(unb64(s.data['clouds.yaml'])) as { clouds: Record<string, { auth: Record<string, string> }> };
    assert.equal(
      clouds.clouds.prod.auth.application_credential_secret,
      APP_SECRET,
      'secure.yaml is flattened in (CAPO reads no secure.yaml)',
    );
    const k = await kubectl(mgmt.kubeconfigPath, ['get', 'secret', 'openstack-creds', '-n', NS, '-o', 'json']);
    assert.equal(k.code, 0, k.stderr);
    const j = JSON.parse(k.stdout);
    assert.deepEqual({ type: j.type, data: j.data }, { type: 'Opaque', data: s.data });
  });

  it('pushToTenant again is unchanged (idempotent)', async () => {
    const r = await run('clusterStacks.pushToTenant', {
      uri: cloudsUri.toString(),
      cloud: 'prod',
      context,
      namespace: NS,
      confirmed: true,
    });
    assert.equal(r?.management?.outcome, 'unchanged');
  });

  it('pushToWorkloadClusters (from the tenant secret) reports every cluster; the dead one fails; cloud.conf parses with gcfg', async () => {
    const r = await run('clusterStacks.pushToWorkloadClusters', {
      context,
      namespace: NS,
      clusters: 'all',
      style: 'cloud-config',
      confirmed: true,
    });
    assert.equal(r?.outcome, 'done', r?.message);
    assert.deepEqual(
      r?.clusters?.map((c) => [c.cluster, c.outcome]),
      [
        ['w0', 'created'],
        ['w1', 'created'],
        ['w2', 'created'],
        ['w3', 'failed'],
      ],
    );
    assert.match(r?.clusters?.[3].reason ?? '', /Cannot reach/);
    const confs: string[] = [];
    for (const n of ['w0', 'w1', 'w2']) {
      const s = workload(n).get('v1', 'Secret', 'kube-system', 'cloud-config');
      assert.deepEqual(Object.keys(s?.data ?? {}).sort(), ['cacert', 'cloud.conf', 'cloudprovider.conf'], n);
      assert.equal(unb64(s?.data.cacert), PEM);
      assert.equal(s?.data['cloud.conf'], s?.data['cloudprovider.conf']);
      confs.push(unb64(s?.data['cloud.conf']));
    }
    const parsed = await gcfg(confs);
    for (const p of parsed) {
      assert.equal(p.ok, true, p.error);
      assert.equal(p.global['application-credential-secret'], APP_SECRET);
      assert.equal(p.global['ca-file'], '/etc/config/cacert');
      assert.equal(p.global['auth-url'], 'https://keystone.example.com:5000/v3');
    }
    workload('w0').faults.clear();
    const k = await kubectl(workload('w0').kubeconfigPath, ['get', 'secret', 'cloud-config', '-n', 'kube-system', '-o', 'json']);
    assert.equal(k.code, 0, k.stderr);
    assert.equal(JSON.parse(k.stdout).type, 'Opaque');
  });

  it('showPropagation with drift: in-sync, drifted after an edit in a workload cluster, unknown for the dead one', async () => {
    const w1 = workload('w1');
    w1.faults.clear();
    const live = w1.get('v1', 'Secret', 'kube-system', 'cloud-config') as { data: Record<string, string> };
    w1.put({ ...live, data: { ...live.data, 'cloud.conf': b64(HAND_EDIT) } });
    const r = await run('clusterStacks.showPropagation', { context, namespace: NS, drift: true, style: 'cloud-config' });
    assert.deepEqual(
      r?.drift?.map((d) => [d.cluster, d.state ?? 'unknown']),
      [
        ['w0', 'in-sync'],
        ['w1', 'drifted'],
        ['w2', 'in-sync'],
        ['w3', 'unknown'],
      ],
    );
    assert.deepEqual(
      r?.lastPush?.map((c) => c.outcome),
      ['created', 'created', 'created', 'failed'],
    );
  });

  it('keepInSync creates the resource set, labels the asked clusters; the CRS controller model delivers it; propagation is current', async () => {
    const r = await run('clusterStacks.keepInSync', {
      context,
      namespace: NS,
      style: 'cloud-config',
      labelClusters: ['w2'],
      confirmed: true,
    });
    assert.equal(r?.outcome, 'done', r?.message);
    assert.deepEqual(r?.labelled, ['w2']);
    const wrapper = mgmt.get('v1', 'Secret', NS, 'prod-workload-cluster-secret');
    assert.equal(wrapper?.type, 'addons.cluster.x-k8s.io/resource-set');
    const crs = mgmt.get('addons.cluster.x-k8s.io/v1beta1', 'ClusterResourceSet', NS, 'crs-prod-secret');
    assert.deepEqual(crs?.spec, {
      strategy: 'Reconcile',
      clusterSelector: { matchLabels: { 'managed-secret': 'cloud-config' } },
      resources: [{ name: 'prod-workload-cluster-secret', kind: 'Secret' }],
    });
    assert.equal(mgmt.get('cluster.x-k8s.io/v1beta1', 'Cluster', NS, 'w2')?.metadata.labels['managed-secret'], 'cloud-config');
    for (const n of ['w0', 'w1', 'w2']) workload(n).faults.clear();
    const controller = new CrsController(mgmt);
    await controller.reconcileOnce();
    await controller.stop();
    const p = await run('clusterStacks.showPropagation', { context, namespace: NS });
    assert.deepEqual(
      p?.propagation?.[0]?.clusters.map((c) => [c.cluster, c.state]),
      [
        ['w0', 'current'],
        ['w1', 'current'],
        ['w2', 'current'],
      ],
    );
    // The CRS re-applied the tenant's credentials over the hand edit in w1.
    const again = await run('clusterStacks.showPropagation', { context, namespace: NS, drift: true, style: 'cloud-config' });
    assert.equal(again?.drift?.find((d) => d.cluster === 'w1')?.state, 'in-sync');
  });

  it('a protected context is refused when pre-confirmed without confirmProtected, and nothing is written', async () => {
    await vscode.workspace.getConfiguration('clusterStacks').update('protectedContexts', ['mgmt-*'], vscode.ConfigurationTarget.Global);
    const r = await run('clusterStacks.pushToTenant', {
      uri: cloudsUri.toString(),
      cloud: 'prod',
      context,
      namespace: NS,
      secretName: 'guarded',
      confirmed: true,
    });
    assert.equal(r?.outcome, 'refused');
    assert.match(r?.message ?? '', /protected/);
    assert.equal(mgmt.get('v1', 'Secret', NS, 'guarded'), undefined);
    const ok = await run('clusterStacks.pushToTenant', {
      uri: cloudsUri.toString(),
      cloud: 'prod',
      context,
      namespace: NS,
      secretName: 'guarded',
      confirmed: true,
      confirmProtected: true,
    });
    assert.equal(ok?.management?.outcome, 'created');
    await vscode.workspace.getConfiguration('clusterStacks').update('protectedContexts', undefined, vscode.ConfigurationTarget.Global);
  });

  it('the interactive path confirms with a summary and a masked dry-run diff (no values) before writing', async () => {
    const before = messages.length;
    const r = await run('clusterStacks.pushToWorkloadClusters', { context, namespace: NS, clusters: ['w0'], style: 'clouds-yaml' });
    assert.equal(r?.clusters?.[0].outcome, 'created');
    const modal = messages.slice(before).find((m) => m.kind === 'showWarningMessage' && m.detail);
    assert.ok(modal, 'a confirmation was shown');
    for (const expected of [
      `Context: ${context}`,
      `Namespace: ${NS}`,
      'w0',
      'Secret kube-system/clouds-yaml',
      'clouds.yaml',
      'cacert',
      'cloudName',
      '+ data.clouds.yaml (value added)',
    ]) {
      assert.ok(modal.detail?.includes(expected), `confirmation mentions ${expected}:\n${modal.detail}`);
    }
    const s = workload('w0').get('v1', 'Secret', 'kube-system', 'clouds-yaml');
    const doc = yaml.load(unb64(s?.data['clouds.yaml'])) as { clouds: Record<string, Record<string, unknown>> };
    assert.equal(doc.clouds.prod.cacert, '/etc/openstack/cacert');
  });

  it('scs2 style with per-cluster [LoadBalancer] options: a use-clouds cloud.conf per cluster that gcfg reads (cluster-stacks #241)', async () => {
    for (const n of ['w1', 'w2']) workload(n).faults.clear();
    const r = await run('clusterStacks.pushToWorkloadClusters', {
      context,
      namespace: NS,
      clusters: ['w1', 'w2'],
      style: 'clouds-yaml',
      confirmed: true,
      loadBalancer: { 'create-monitor': true },
      perCluster: { w2: { 'lb-provider': 'ovn', 'lb-method': 'SOURCE_IP_PORT' } },
    });
    assert.deepEqual(
      r?.clusters?.map((c) => c.outcome),
      ['created', 'created'],
    );
    const confs = ['w1', 'w2'].map((n) => unb64(workload(n).get('v1', 'Secret', 'kube-system', 'clouds-yaml')?.data['cloud.conf']));
    const [p1, p2] = await gcfg(confs);
    assert.equal(p1.ok && p2.ok, true, `${p1.error} ${p2.error}`);
    for (const p of [p1, p2])
      assert.deepEqual(p.global, { 'use-clouds': true, 'clouds-file': '/etc/openstack/clouds.yaml', cloud: 'prod' });
    assert.deepEqual(p1.sections.LoadBalancer, { 'create-monitor': true });
    assert.deepEqual(p2.sections.LoadBalancer, { 'create-monitor': true, 'lb-provider': 'ovn', 'lb-method': 'SOURCE_IP_PORT' });
  });

  it('a dismissed confirmation writes nothing', async () => {
    capture.restore();
    const dismiss = captureMessages(messages, () => undefined);
    try {
      const before = workload('w2').get('v1', 'Secret', 'kube-system', 'clouds-yaml');
      const r = await run('clusterStacks.pushToWorkloadClusters', {
        context,
        namespace: NS,
        clusters: ['w2'],
        style: 'clouds-yaml',
        loadBalancer: { 'lb-provider': 'amphora' },
      });
      assert.equal(r?.outcome, 'cancelled');
      assert.deepEqual(workload('w2').get('v1', 'Secret', 'kube-system', 'clouds-yaml'), before);
    } finally {
      dismiss.restore();
      capture = captureMessages(messages, answerWrite);
    }
  });

  it('no notification, modal or output-channel line contains a test secret value', async () => {
    const all = messages;
    assert.ok(all.length >= 5, `captured ${all.length} messages`);
    const log = await ownLog(NS);
    assert.match(log, /Push to workload clusters in .*: 3 created, 1 failed/);
    const forbidden = [APP_SECRET, b64(APP_SECRET), 'MIIBszCCAVmgAwIBAgIU', HAND_EDIT, mgmt.token];
    for (const f of forbidden) {
      assert.ok(!log.includes(f), `output channel contains a secret (${f.slice(0, 4)}…)`);
      for (const m of all) assert.ok(!`${m.message}\n${m.detail ?? ''}`.includes(f), `${m.kind} contains a secret (${f.slice(0, 4)}…)`);
    }
  });
});

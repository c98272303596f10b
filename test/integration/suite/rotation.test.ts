// "Rotate application credential" inside a real VS Code, against the real Keystone the runner started
// and a management emulator with three workload emulators that run the OpenStack CCM and Cinder CSI
// workloads. Judged independently: Keystone through the harness's own calls (test/keystone/api.ts:
// which credential authenticates), the clusters through kubectl (the workload secrets, the restart
// annotation). A cluster that cannot be written stops the rotation before the old credential is
// deleted; running it again converges. No secret in notifications, the output channel, the results or
// the rotation record; every Keystone-made secret is registered with the leak check (trackSecret).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import * as vscode from 'vscode';
import type { Emulator } from '../../emulator';
import { kubectl } from '../../emulator/helpers';
import { KeystoneApi, type CreatedAppCred, type Ref, type UserLogin } from '../../keystone/api';
import type { CommandResult } from '../../../src/commands/credentials/results';
import type { TreeSnapshot } from '../../../src/views/explorer/snapshot';
import { keystoneFromRunner, rotationLandscape, rotationTenant } from '../landscape';
import { trackSecret } from '../leak/ledger';
import { SECRETS } from '../secrets';
import { activatedExtension, captureMessages, ownLog, waitFor, workspaceFolder, type Msg } from '../helpers';

const RUN = Math.random().toString(36).slice(2, 8);
const NS = `tenant-rot-${RUN}`;
const CLUSTERS = ['w0', 'w1', 'w2'];
const ANNOTATION = 'cluster-stacks.scs.community/credential-rotation';
const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

describe('Rotate application credential (real VS Code, real Keystone, three workload clusters)', function () {
  this.timeout(240_000);
  let api: KeystoneApi;
  let project: Ref;
  let user: Ref & UserLogin;
  let first: CreatedAppCred;
  let mgmt: Emulator;
  const messages: Msg[] = [];
  const results: unknown[] = [];
  const secrets: string[] = [];
  let capture: ReturnType<typeof captureMessages>;
  const workload = (n: string) => mgmt.workloads.get(`${NS}/${n}`) as Emulator;
  const rotate = async (extra: Record<string, unknown> = {}) => {
    const r = await vscode.commands.executeCommand<CommandResult>('clusterStacks.rotateCredential', {
      context: mgmt.name,
      namespace: NS,
      style: 'cloud-config',
      expiresInDays: 30,
      confirmed: true,
      rolloutTimeoutSeconds: 60,
      ...extra,
    });
    results.push(r);
    return r;
  };
  /** The application credential in the tenant secret, read back with kubectl. */
  const tenantCredential = async (): Promise<{ id: string; secret: string; record?: string }> => {
    const k = await kubectl(mgmt.kubeconfigPath, ['get', 'secret', 'openstack', '-n', NS, '-o', 'json']);
    assert.equal(k.code, 0, k.stderr);
    const s = JSON.parse(k.stdout) as { data: Record<string, string>; metadata: { annotations?: Record<string, string> } };
    const clouds = yaml.load(unb64(s.data['clouds.yaml'])) as { clouds: Record<string, { auth: Record<string, string> }> };
    const auth = clouds.clouds.rot.auth;
    return { id: auth.application_credential_id, secret: auth.application_credential_secret, record: s.metadata.annotations?.[ANNOTATION] };
  };
  const workloadCredentialId = async (n: string): Promise<string | undefined> => {
    const k = await kubectl(workload(n).kubeconfigPath, ['get', 'secret', 'cloud-config', '-n', 'kube-system', '-o', 'json']);
    assert.equal(k.code, 0, k.stderr);
    const conf = unb64((JSON.parse(k.stdout) as { data: Record<string, string> }).data['cloud.conf']);
    return /^application-credential-id="?([^"\n]+)"?$/m.exec(conf)?.[1];
  };

  before(async () => {
    const ks = keystoneFromRunner();
    secrets.push(ks.adminPassword); // the runner registers it with the leak check (run.ts)
    api = new KeystoneApi(ks.url, ks.adminPassword);
    await activatedExtension();
    ({ project, user, first } = await rotationTenant(api, ks.region, `rot-${RUN}`, SECRETS['rotation.userPassword']));
    secrets.push(user.password, first.secret);
    mgmt = await rotationLandscape(`mgmt-rot-${RUN}`, NS, CLUSTERS);
    capture = captureMessages(messages, () => undefined);
    // The starting point: the tenant secret and the workload secrets hold AppCred1.
    const dir = path.join(workspaceFolder().fsPath, `rot-${RUN}`);
    fs.mkdirSync(dir, { recursive: true });
    const clouds = {
      clouds: {
        rot: {
          auth_type: 'v3applicationcredential',
          region_name: ks.region,
          auth: { auth_url: ks.url, application_credential_id: first.id, application_credential_secret: first.secret },
        },
      },
    };
    fs.writeFileSync(path.join(dir, 'clouds.yaml'), yaml.dump(clouds, { forceQuotes: true, lineWidth: -1 }));
    const uri = vscode.Uri.file(path.join(dir, 'clouds.yaml')).toString();
    const t = await vscode.commands.executeCommand<CommandResult>('clusterStacks.pushToTenant', {
      uri,
      cloud: 'rot',
      context: mgmt.name,
      namespace: NS,
      confirmed: true,
    });
    assert.equal(t?.outcome, 'done', t?.message);
    const w = await vscode.commands.executeCommand<CommandResult>('clusterStacks.pushToWorkloadClusters', {
      context: mgmt.name,
      namespace: NS,
      clusters: 'all',
      style: 'cloud-config',
      confirmed: true,
    });
    assert.deepEqual(
      w?.clusters?.map((c) => c.outcome),
      ['created', 'created', 'created'],
    );
  });

  after(async () => {
    capture?.restore();
    await vscode.workspace.getConfiguration('clusterStacks').update('kubeconfigPaths', undefined, vscode.ConfigurationTarget.Global);
    await mgmt?.stop();
  });

  it('rotates: the new credential in the tenant secret and every cluster, every consumer restarted, the old one deleted and refused', async () => {
    const r = await rotate();
    assert.equal(r?.outcome, 'done', r?.message);
    assert.equal(r?.rotation?.step, 'done');
    assert.equal(r?.rotation?.old.id, first.id);
    assert.equal(r?.rotation?.newName, `rot-${RUN}-AppCred2`);
    const now = await tenantCredential();
    secrets.push(trackSecret('rotation: the new credential (read back)', now.secret));
    assert.equal(now.id, r?.rotation?.new?.id);
    assert.notEqual(now.id, first.id);
    // Keystone's own answer: the new one authenticates, the old one no longer does.
    assert.equal((await api.appCredAuthenticates(now.id, now.secret)).status, 201);
    assert.ok([401, 404].includes((await api.appCredAuthenticates(first.id, first.secret)).status), 'the old credential is refused');
    const listed = await api.listApplicationCredentials(user, project.id);
    assert.deepEqual(
      listed.map((c) => c.name),
      [`rot-${RUN}-AppCred2`],
    );
    const expires = Date.parse(`${listed[0].expires_at}Z`);
    assert.ok(Math.abs(expires - (Date.now() + 30 * 86_400_000)) < 3_600_000, 'the chosen expiry (30 days)');
    for (const n of CLUSTERS) {
      assert.equal(await workloadCredentialId(n), now.id, `${n} has the new credential`);
      for (const [kind, name] of [
        ['daemonset', 'openstack-cloud-controller-manager'],
        ['deployment', 'openstack-cinder-csi-controllerplugin'],
        ['daemonset', 'openstack-cinder-csi-nodeplugin'],
      ]) {
        const s = await kubectl(workload(n).kubeconfigPath, ['rollout', 'status', `${kind}/${name}`, '-n', 'kube-system', '--timeout=5s']);
        assert.equal(s.code, 0, s.stderr);
        const g = await kubectl(workload(n).kubeconfigPath, [
          'get',
          kind,
          name,
          '-n',
          'kube-system',
          '-o',
          'jsonpath={.spec.template.metadata.annotations}',
        ]);
        assert.match(g.stdout, /kubectl\.kubernetes\.io\/restartedAt/, `${n} ${name} was restarted`);
      }
    }
    // The record keeps the creation time Keystone does not store.
    const rec = JSON.parse(now.record ?? '{}') as { step: string; new?: { createdAt: string } };
    assert.equal(rec.step, 'done');
    assert.ok(Math.abs(Date.parse(rec.new?.createdAt ?? '') - Date.now()) < 600_000);
  });

  it('a workload cluster that fails stops the rotation before the old credential is deleted; running it again converges', async () => {
    const before = await tenantCredential();
    workload('w1').faults.set({ rate500: 1 });
    let r: CommandResult | undefined;
    try {
      r = await rotate();
    } finally {
      workload('w1').faults.clear();
    }
    assert.equal(r?.outcome, 'failed');
    assert.equal(r?.rotation?.step, 'tenant-updated');
    assert.deepEqual(
      r?.rotation?.failed?.map((f) => f.cluster),
      ['w1'],
    );
    assert.match(r?.message ?? '', /did not get the new credential; the old one stays valid/);
    const mid = await tenantCredential();
    secrets.push(trackSecret('rotation: the resumed credential (read back)', mid.secret));
    assert.notEqual(mid.id, before.id, 'the tenant secret already holds the new credential');
    assert.equal((await api.appCredAuthenticates(before.id, before.secret)).status, 201, 'the old credential still works');
    assert.equal(await workloadCredentialId('w1'), before.id, 'w1 still runs on the old one');
    // Again: resumes at delivery and finishes.
    const again = await rotate();
    assert.equal(again?.outcome, 'done', again?.message);
    assert.equal(again?.rotation?.new?.id, mid.id, 'the same new credential, not a third one');
    for (const n of CLUSTERS) assert.equal(await workloadCredentialId(n), mid.id, n);
    assert.ok([401, 404].includes((await api.appCredAuthenticates(before.id, before.secret)).status), 'the old credential is refused');
    assert.deepEqual(
      (await api.listApplicationCredentials(user, project.id)).map((c) => c.name),
      [`rot-${RUN}-AppCred1`],
      'SCS alternation: back to AppCred1',
    );
  });

  it('killed after Keystone created the new credential, before the tenant secret changed: running again discards it and converges', async () => {
    // The state such a kill leaves: the record at step creating, written as the rotation writes it (server-side
    // apply by cluster-stacks-vscode), and a credential under the new name whose secret nobody kept.
    const before = await tenantCredential();
    const k = await kubectl(mgmt.kubeconfigPath, ['get', 'secret', 'openstack', '-n', NS, '-o', 'json']);
    const live = JSON.parse(k.stdout) as { data: Record<string, string>; type: string; metadata: { labels?: Record<string, string> } };
    const newName = `rot-${RUN}-AppCred2`;
    const t = new Date().toISOString();
    const record = {
      version: 1,
      step: 'creating',
      startedAt: t,
      updatedAt: t,
      old: { id: before.id, name: `rot-${RUN}-AppCred1` },
      newName,
      clusters: CLUSTERS,
    };
    const manifest = {
      apiVersion: 'v1',
      kind: 'Secret',
      type: live.type,
      metadata: { name: 'openstack', namespace: NS, labels: live.metadata.labels, annotations: { [ANNOTATION]: JSON.stringify(record) } },
      data: live.data,
    };
    const a = await kubectl(
      mgmt.kubeconfigPath,
      ['apply', '--server-side', '--field-manager=cluster-stacks-vscode', '-f', '-'],
      JSON.stringify(manifest),
    );
    assert.equal(a.code, 0, a.stderr);
    const orphan = await api.createApplicationCredential(user, project.id, { name: newName, unrestricted: true, roles: ['member'] });
    secrets.push(trackSecret('rotation: the orphan (Keystone)', orphan.secret));
    const r = await rotate();
    assert.equal(r?.outcome, 'done', r?.message);
    const now = await tenantCredential();
    secrets.push(trackSecret('rotation: the new credential (read back)', now.secret));
    assert.notEqual(now.id, orphan.id, 'not the orphan (its secret was lost)');
    assert.ok([401, 404].includes((await api.appCredAuthenticates(orphan.id, orphan.secret)).status), 'the orphan is deleted');
    assert.ok([401, 404].includes((await api.appCredAuthenticates(before.id, before.secret)).status), 'the old one is deleted');
    assert.equal((await api.appCredAuthenticates(now.id, now.secret)).status, 201);
    assert.deepEqual(
      (await api.listApplicationCredentials(user, project.id)).map((c) => [c.id, c.name]),
      [[now.id, newName]],
    );
    for (const n of CLUSTERS) assert.equal(await workloadCredentialId(n), now.id, n);
  });

  it('rollback: refused when no rotation is under way', async () => {
    const r = await rotate({ rollback: true });
    assert.equal(r?.outcome, 'refused');
    assert.match(r?.message ?? '', /No rotation of .* is under way/);
  });

  it('the explorer shows the credential’s expiry from the record, and flags one with less than a third of its lifetime left', async () => {
    const find = (nodes: TreeSnapshot[] | undefined, suffix: string): TreeSnapshot | undefined => {
      for (const n of nodes ?? []) {
        if (n.id?.endsWith(suffix)) return n;
        const c = find(n.children, suffix);
        if (c) return c;
      }
      return undefined;
    };
    // A second identity secret whose record says: created 80 days ago, expires in 5 days (of 85).
    const day = 86_400_000;
    const record = {
      version: 1,
      step: 'done',
      startedAt: new Date(Date.now() - 80 * day).toISOString(),
      updatedAt: new Date(Date.now() - 80 * day).toISOString(),
      old: { id: 'o', name: 'old-AppCred1' },
      newName: 'old-AppCred2',
      new: {
        id: 'n',
        name: 'old-AppCred2',
        createdAt: new Date(Date.now() - 80 * day).toISOString(),
        expiresAt: new Date(Date.now() + 5 * day).toISOString().replace(/Z$/, ''),
      },
      clusters: [],
    };
    mgmt.put({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'aging',
        namespace: NS,
        labels: { 'clusterctl.cluster.x-k8s.io/move': '' },
        annotations: { [ANNOTATION]: JSON.stringify(record) },
      },
      data: { 'clouds.yaml': Buffer.from('clouds: {}\n').toString('base64'), cloudName: Buffer.from('x').toString('base64') },
    });
    const node = await waitFor(
      'the secret nodes',
      async () => {
        const tree = await vscode.commands.executeCommand<TreeSnapshot[]>('clusterStacks.explorer.snapshot', { expand: [mgmt.name] });
        const fresh = find(tree, `/ns:${NS}/secrets:openstack`);
        const aging = find(tree, `/ns:${NS}/secrets:aging`);
        return fresh && aging?.description?.includes('expires') ? { fresh, aging } : undefined;
      },
      20_000,
    );
    assert.match(node.fresh.description ?? '', new RegExp(`"rot-${RUN}-AppCred2" expires in 29 days$`));
    assert.doesNotMatch(node.fresh.description ?? '', /rotate/);
    assert.equal(node.fresh.contextValue, 'object secrets');
    assert.match(node.aging.description ?? '', /"old-AppCred2" expires in [45] days — rotate$/);
    assert.equal(node.aging.contextValue, 'object secrets expiring');
    assert.equal(node.aging.color, 'list.warningForeground');
  });

  it('no secret or password in notifications, the output channel, the results or the rotation record', async () => {
    const log = await ownLog(`Rotate application credential: ${NS}/openstack now uses`);
    const record = (await tenantCredential()).record ?? '';
    const texts = [...messages.map((m) => `${m.message}\n${m.detail ?? ''}`), log, JSON.stringify(results), record];
    for (const t of texts) for (const s of secrets) assert.ok(!t.includes(s), 'a secret value was shown');
    assert.doesNotMatch(log, /gAAAAA[A-Za-z0-9_-]{20,}/, 'no token');
  });
});

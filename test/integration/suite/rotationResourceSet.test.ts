// "Rotate application credential" for a tenant whose clusters get their credentials from a
// ClusterResourceSet, inside a real VS Code, against the real Keystone the runner started, a management
// emulator with three equipped workload emulators, and the emulator's model of Cluster API's
// ClusterResourceSet controller (test/emulator/crsController.ts, from kubernetes-sigs/cluster-api@ae7ff047)
// running beside it. Judged independently: the bindings, the workload secrets and their field managers
// through kubectl; the hash against the one the controller model recorded; Keystone through the harness's
// own calls. Strategy Reconcile: the rotation writes the resource-set Secret once and waits for the
// controller — no direct push. ApplyOnce: refused with the reason before anything changes; with
// `delivery: 'push'` the direct push, the resource-set Secret rewritten too. A restricted application
// credential: the rotation asks for the user's password once (an input box with `password: true`),
// uses it for the create and the delete, and keeps it nowhere.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import * as vscode from 'vscode';
import type { Emulator } from '../../emulator';
import { CrsController } from '../../emulator/crsController';
import { kubectl } from '../../emulator/helpers';
import { KeystoneApi, type CreatedAppCred, type Ref, type UserLogin } from '../../keystone/api';
import type { CommandResult } from '../../../src/commands/credentials/results';
import { keystoneFromRunner, rotationLandscape, rotationTenant } from '../landscape';
import { trackSecret } from '../leak/ledger';
import { SECRETS } from '../secrets';
import { activatedExtension, captureMessages, ownLog, waitFor, workspaceFolder, type Msg } from '../helpers';

const RUN = Math.random().toString(36).slice(2, 8);
const NS = `tenant-rcs-${RUN}`;
const CLUSTERS = ['w0', 'w1', 'w2'];
const CRS = 'crs-rcs-secret';
const WRAPPER = 'rcs-workload-cluster-secret';
const ANNOTATION = 'cluster-stacks.scs.community/credential-rotation';
const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');
const credId = (conf: string) => /^application-credential-id="?([^"\n]+)"?$/m.exec(conf)?.[1];

describe('Rotate application credential through the tenant’s ClusterResourceSet (real VS Code, real Keystone, CRS controller model)', function () {
  this.timeout(300_000);
  let ks: ReturnType<typeof keystoneFromRunner>;
  let api: KeystoneApi;
  let project: Ref;
  let user: Ref & UserLogin;
  let first: CreatedAppCred;
  let mgmt: Emulator;
  let controller: CrsController;
  let dir: string;
  const messages: Msg[] = [];
  const results: unknown[] = [];
  const secrets: string[] = [];
  let capture: ReturnType<typeof captureMessages>;
  const workload = (n: string) => mgmt.workloads.get(`${NS}/${n}`) as Emulator;
  const run = async (command: string, args: Record<string, unknown>) => {
    const r = await vscode.commands.executeCommand<CommandResult>(command, { context: mgmt.name, namespace: NS, confirmed: true, ...args });
    results.push(r);
    return r;
  };
  const rotate = (extra: Record<string, unknown> = {}) =>
    run('clusterStacks.rotateCredential', {
      style: 'cloud-config',
      expiresInDays: 30,
      rolloutTimeoutSeconds: 60,
      deliveryTimeoutSeconds: 120,
      ...extra,
    });
  const getJson = async <T>(kubeconfig: string, args: string[]): Promise<T> => {
    const k = await kubectl(kubeconfig, ['get', ...args, '-o', 'json']);
    assert.equal(k.code, 0, k.stderr);
    return JSON.parse(k.stdout) as T;
  };
  /** The application credential in the tenant secret, read back with kubectl. */
  const tenantCredential = async (): Promise<{ id: string; secret: string; record?: string }> => {
    const s = await getJson<{ data: Record<string, string>; metadata: { annotations?: Record<string, string> } }>(mgmt.kubeconfigPath, [
      'secret',
      'openstack',
      '-n',
      NS,
    ]);
    const clouds = yaml.load(unb64(s.data['clouds.yaml'])) as { clouds: Record<string, { auth: Record<string, string> }> };
    const auth = clouds.clouds.rcs.auth;
    return { id: auth.application_credential_id, secret: auth.application_credential_secret, record: s.metadata.annotations?.[ANNOTATION] };
  };
  type SecretJson = { data: Record<string, string>; metadata: { managedFields?: { manager: string }[] } };
  const workloadSecret = (n: string) =>
    getJson<SecretJson>(workload(n).kubeconfigPath, ['secret', 'cloud-config', '-n', 'kube-system', '--show-managed-fields']);
  /** The application credential id the resource-set Secret delivers (its wrapped workload Secret's cloud.conf). */
  const wrapperCredentialId = async (): Promise<string | undefined> => {
    const w = await getJson<{ data: Record<string, string> }>(mgmt.kubeconfigPath, ['secret', WRAPPER, '-n', NS]);
    const inner = yaml.load(unb64(w.data['cloud-config-secret'])) as { data: Record<string, string> };
    return credId(unb64(inner.data['cloud.conf']));
  };
  type Bindings = {
    items: {
      spec: {
        clusterName: string;
        bindings: { clusterResourceSetName: string; resources?: { name: string; hash?: string; applied?: boolean }[] }[];
      };
    }[];
  };
  /** cluster → the hash its binding records for the resource-set Secret (applied ones only), read with kubectl. */
  const bindingHashes = async (): Promise<Record<string, string | undefined>> => {
    const b = await getJson<Bindings>(mgmt.kubeconfigPath, ['clusterresourcesetbindings', '-n', NS]);
    return Object.fromEntries(
      b.items.map((i) => {
        const r = (i.spec.bindings ?? []).find((x) => x.clusterResourceSetName === CRS)?.resources?.find((x) => x.name === WRAPPER);
        return [i.spec.clusterName, r?.applied ? r.hash : undefined];
      }),
    );
  };
  const pushTenant = async (auth: Record<string, string>) => {
    const clouds = {
      clouds: { rcs: { auth_type: 'v3applicationcredential', region_name: ks.region, auth: { auth_url: ks.url, ...auth } } },
    };
    fs.writeFileSync(path.join(dir, 'clouds.yaml'), yaml.dump(clouds, { forceQuotes: true, lineWidth: -1 }));
    const t = await run('clusterStacks.pushToTenant', { uri: vscode.Uri.file(path.join(dir, 'clouds.yaml')).toString(), cloud: 'rcs' });
    assert.equal(t?.outcome, 'done', t?.message);
  };

  before(async () => {
    ks = keystoneFromRunner();
    api = new KeystoneApi(ks.url, ks.adminPassword);
    await activatedExtension();
    ({ project, user, first } = await rotationTenant(api, ks.region, `rcs-${RUN}`, SECRETS['rotationResourceSet.userPassword']));
    secrets.push(user.password, first.secret);
    mgmt = await rotationLandscape(`mgmt-rcs-${RUN}`, NS, CLUSTERS);
    // Provisioned, so the controller model's ClusterCache connects to them (clusterCache.ts).
    for (const n of CLUSTERS) {
      const c = mgmt.get('cluster.x-k8s.io/v1beta1', 'Cluster', NS, n);
      mgmt.put({ ...c, status: { phase: 'Provisioned', infrastructureReady: true, controlPlaneReady: true } });
    }
    capture = captureMessages(messages, () => undefined);
    dir = path.join(workspaceFolder().fsPath, `rcs-${RUN}`);
    fs.mkdirSync(dir, { recursive: true });
    // The starting point, the csp-helper way: the tenant secret holds AppCred1, a ClusterResourceSet with
    // strategy Reconcile selects the three labelled clusters, and the controller delivered it to each.
    await pushTenant({ application_credential_id: first.id, application_credential_secret: first.secret });
    const k = await run('clusterStacks.keepInSync', { style: 'cloud-config', labelClusters: 'all' });
    assert.equal(k?.outcome, 'done', k?.message);
    controller = new CrsController(mgmt).start(300);
    await waitFor(
      'the first delivery by the ClusterResourceSet',
      async () => {
        const h = await bindingHashes();
        return CLUSTERS.every((c) => h[c]) ? h : undefined;
      },
      60_000,
    );
    for (const n of CLUSTERS) assert.equal(credId(unb64((await workloadSecret(n)).data['cloud.conf'])), first.id, n);
  });

  after(async () => {
    capture?.restore();
    await controller?.stop();
    await vscode.workspace.getConfiguration('clusterStacks').update('kubeconfigPaths', undefined, vscode.ConfigurationTarget.Global);
    await mgmt?.stop();
  });

  it('Reconcile: the Secret is written once, the controller delivers it, every binding records the new hash; no direct push', async () => {
    const before = await bindingHashes();
    const r = await rotate();
    assert.equal(r?.outcome, 'done', r?.message);
    assert.equal(r?.rotation?.step, 'done');
    assert.equal(r?.delivery?.mode, 'resource-set');
    assert.equal(r?.delivery?.crs, CRS);
    assert.deepEqual(r?.delivery?.viaSet, CLUSTERS);
    assert.deepEqual(r?.delivery?.delivered, CLUSTERS);
    assert.deepEqual(r?.delivery?.pushed, []);
    assert.equal(r?.clusters, undefined, 'no cluster was pushed to');
    const now = await tenantCredential();
    secrets.push(trackSecret('rotationResourceSet: the new credential (read back)', now.secret));
    assert.notEqual(now.id, first.id);
    assert.equal(await wrapperCredentialId(), now.id, 'the resource-set Secret carries the new credential');
    // The hash the rotation waited for is the one the controller model recorded (its own computeHash).
    const after = await bindingHashes();
    for (const c of CLUSTERS) {
      assert.equal(after[c], r?.delivery?.hash, `${c}'s binding records the hash the rotation waited for`);
      assert.notEqual(after[c], before[c], `${c}'s binding changed`);
    }
    for (const n of CLUSTERS) {
      const s = await workloadSecret(n);
      assert.equal(credId(unb64(s.data['cloud.conf'])), now.id, `${n} has the new credential`);
      const managers = (s.metadata.managedFields ?? []).map((m) => m.manager);
      assert.ok(!managers.includes('cluster-stacks-vscode'), `${n}: written by the controller only (${managers.join(', ')})`);
      const g = await kubectl(workload(n).kubeconfigPath, [
        'get',
        'daemonset',
        'openstack-cloud-controller-manager',
        '-n',
        'kube-system',
        '-o',
        'jsonpath={.spec.template.metadata.annotations}',
      ]);
      assert.match(g.stdout, /kubectl\.kubernetes\.io\/restartedAt/, `${n}: the CCM was restarted after the delivery`);
    }
    assert.equal((await api.appCredAuthenticates(now.id, now.secret)).status, 201);
    assert.ok([401, 404].includes((await api.appCredAuthenticates(first.id, first.secret)).status), 'the old credential is refused');
  });

  it('ApplyOnce: refused with the reason before anything changes; delivery "push" pushes and rewrites the resource-set Secret', async () => {
    const del = await kubectl(mgmt.kubeconfigPath, ['delete', 'clusterresourceset', CRS, '-n', NS, '--timeout=60s']);
    assert.equal(del.code, 0, del.stderr);
    const crs = {
      apiVersion: 'addons.cluster.x-k8s.io/v1beta1',
      kind: 'ClusterResourceSet',
      metadata: { name: CRS, namespace: NS },
      spec: {
        strategy: 'ApplyOnce',
        clusterSelector: { matchLabels: { 'managed-secret': 'cloud-config' } },
        resources: [{ name: WRAPPER, kind: 'Secret' }],
      },
    };
    const a = await kubectl(mgmt.kubeconfigPath, ['apply', '-f', '-'], JSON.stringify(crs));
    assert.equal(a.code, 0, a.stderr);
    const start = await tenantCredential();
    const listed = (await api.listApplicationCredentials(user, project.id)).map((c) => c.id).sort();
    const refused = await rotate();
    assert.equal(refused?.outcome, 'refused');
    assert.match(refused?.message ?? '', new RegExp(`ClusterResourceSet ${NS}/${CRS} delivers the credentials with strategy ApplyOnce`));
    assert.match(refused?.message ?? '', /Under ApplyOnce a rotation never reaches existing clusters/);
    assert.deepEqual((await api.listApplicationCredentials(user, project.id)).map((c) => c.id).sort(), listed, 'Keystone unchanged');
    const same = await tenantCredential();
    assert.equal(same.id, start.id, 'the tenant secret unchanged');
    assert.equal(JSON.parse(same.record ?? '{}').step, 'done', 'no rotation recorded');

    // The workload secrets were written by the controller (field manager `manager`): the push takes them
    // over, as a person clicking "Take over (force)" in the conflict dialog would.
    const r = await rotate({ delivery: 'push', force: true });
    assert.equal(r?.outcome, 'done', r?.message);
    assert.deepEqual(r?.delivery, { mode: 'push', crs: CRS, pushed: CLUSTERS });
    assert.deepEqual(
      r?.clusters?.map((c) => c.outcome),
      ['updated', 'updated', 'updated'],
    );
    const now = await tenantCredential();
    secrets.push(trackSecret('rotationResourceSet: the pushed credential (read back)', now.secret));
    assert.equal(await wrapperCredentialId(), now.id, 'clusters the set selects later get the new credential, not the deleted one');
    for (const n of CLUSTERS) assert.equal(credId(unb64((await workloadSecret(n)).data['cloud.conf'])), now.id, n);
    assert.ok([401, 404].includes((await api.appCredAuthenticates(start.id, start.secret)).status), 'the old credential is refused');
  });

  it('a restricted application credential: the password is asked once, used for the create and the delete, and kept nowhere', async () => {
    const restricted = await api.createApplicationCredential(user, project.id, { name: `rcs-${RUN}-restricted-1`, roles: ['member'] });
    secrets.push(trackSecret('rotationResourceSet: restricted-1 (Keystone)', restricted.secret));
    await pushTenant({ application_credential_id: restricted.id, application_credential_secret: restricted.secret });
    const w = vscode.window as unknown as Record<string, unknown>;
    const original = w.showInputBox;
    const asked: { title?: string; password?: boolean }[] = [];
    w.showInputBox = (o: vscode.InputBoxOptions) => {
      asked.push({ title: o.title, password: o.password });
      return Promise.resolve(SECRETS['rotationResourceSet.userPassword']);
    };
    let r: CommandResult | undefined;
    try {
      r = await rotate({ delivery: 'push' });
    } finally {
      w.showInputBox = original;
    }
    assert.equal(r?.outcome, 'done', r?.message);
    assert.deepEqual(asked, [{ title: `Password of the user who owns "rcs-${RUN}-restricted-1" (used once, not stored)`, password: true }]);
    const now = await tenantCredential();
    secrets.push(trackSecret('rotationResourceSet: restricted-2 (read back)', now.secret));
    assert.equal(r?.rotation?.new?.name, `rcs-${RUN}-restricted-2`);
    // Keystone's word: the new one works, the old restricted one was deleted (which needed the password too).
    assert.equal((await api.appCredAuthenticates(now.id, now.secret)).status, 201);
    assert.ok([401, 404].includes((await api.appCredAuthenticates(restricted.id, restricted.secret)).status), 'the old one is deleted');
    const names = (await api.listApplicationCredentials(user, project.id)).map((c) => c.name);
    assert.ok(names.includes(`rcs-${RUN}-restricted-2`) && !names.includes(`rcs-${RUN}-restricted-1`), names.join(', '));
    for (const n of CLUSTERS) assert.equal(credId(unb64((await workloadSecret(n)).data['cloud.conf'])), now.id, n);
  });

  it('no secret or password in notifications, the output channel, the results or the rotation record', async () => {
    const log = await ownLog(`Rotate application credential: ${NS}/openstack now uses`);
    assert.match(log, new RegExp(`ClusterResourceSet ${CRS}: done, 3/3 delivered`));
    const record = (await tenantCredential()).record ?? '';
    const texts = [...messages.map((m) => `${m.message}\n${m.detail ?? ''}`), log, JSON.stringify(results), record];
    for (const t of texts) for (const s of secrets) assert.ok(!t.includes(s), 'a secret value was shown');
  });
});

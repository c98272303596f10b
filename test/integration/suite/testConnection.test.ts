// "Test connection" inside a real VS Code against the real Keystone the runner started
// (test/integration/run.ts, test/keystone): the clouds.yaml lens's command and the explorer's tenant
// credential node. What Keystone holds is set up and judged with the harness's own admin calls
// (test/keystone/api.ts), not with src/openstack. No secret, password or token may reach a
// notification, the output channel or the command's result.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import * as vscode from 'vscode';
import { startEmulator, type Emulator } from '../../emulator';
import { KeystoneApi, type CreatedAppCred, type Ref, type UserLogin } from '../../keystone/api';
import type { CommandResult } from '../../../src/commands/credentials/results';
import { keystoneFromRunner } from '../landscape';
import { activatedExtension, captureMessages, manifest, ownLog, workspaceFolder, type Msg } from '../helpers';

const RUN = Math.random().toString(36).slice(2, 8);
const NS = `tenant-tc-${RUN}`;
const PASSWORD = `tc-pw ; # " \\ = é-${RUN}`;
/** Fernet tokens (Keystone's default provider) start with the Fernet version byte, base64: gAAAAA. */
const TOKEN_SHAPE = /gAAAAA[A-Za-z0-9_-]{20,}/;

const run = (args: unknown) => vscode.commands.executeCommand<CommandResult>('clusterStacks.testConnection', args);

describe('Test connection (real VS Code, real Keystone)', function () {
  this.timeout(120_000);
  let ks: { url: string; region: string; adminPassword: string };
  let api: KeystoneApi;
  let project: Ref;
  let user: Ref & UserLogin;
  let good: CreatedAppCred;
  let gone: CreatedAppCred;
  let cloudsUri: vscode.Uri;
  let mgmt: Emulator;
  const messages: Msg[] = [];
  const results: unknown[] = [];
  const secrets: string[] = [PASSWORD];
  let capture: ReturnType<typeof captureMessages>;

  const appCred = (a: { id: string; secret: string }, region: string) => ({
    auth_type: 'v3applicationcredential',
    region_name: region,
    auth: { auth_url: ks.url, application_credential_id: a.id, application_credential_secret: a.secret },
  });
  const test = async (args: Record<string, unknown>) => {
    const r = await run(args);
    results.push(r);
    return r;
  };

  before(async () => {
    ks = keystoneFromRunner();
    secrets.push(ks.adminPassword);
    api = new KeystoneApi(ks.url, ks.adminPassword);
    await activatedExtension();
    await api.catalogForRegion(ks.region);
    await api.catalogForRegion(`NoOctavia${RUN}`, { omit: ['load-balancer'] });
    project = await api.createProject(`tc-${RUN}`);
    user = await api.createUser(`tc-user-${RUN}`, PASSWORD);
    await api.grant(user.id, project.id);
    good = await api.createApplicationCredential(user, project.id, {
      name: `tc-good-${RUN}`,
      expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString().replace(/Z$/, ''),
    });
    gone = await api.createApplicationCredential(user, project.id, { name: `tc-gone-${RUN}` });
    secrets.push(good.secret, gone.secret);
    const dir = path.join(workspaceFolder().fsPath, `tc-${RUN}`);
    fs.mkdirSync(dir, { recursive: true });
    const clouds = {
      good: appCred(good, ks.region),
      wrong: appCred({ id: good.id, secret: `${good.secret}-wrong` }, ks.region),
      deleted: appCred(gone, ks.region),
      noregion: appCred(good, 'Atlantis'),
      nolb: appCred(good, `NoOctavia${RUN}`),
    };
    fs.writeFileSync(path.join(dir, 'clouds.yaml'), yaml.dump({ clouds }, { forceQuotes: true, lineWidth: -1 }));
    cloudsUri = vscode.Uri.file(path.join(dir, 'clouds.yaml'));
    mgmt = await startEmulator({ name: `mgmt-tc-${RUN}`, seed: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }] });
    await vscode.workspace
      .getConfiguration('clusterStacks')
      .update('kubeconfigPaths', [mgmt.kubeconfigPath], vscode.ConfigurationTarget.Global);
    capture = captureMessages(messages, (m, items) => (m.kind === 'showWarningMessage' && items.includes('Write') ? 'Write' : undefined));
  });

  after(async () => {
    capture?.restore();
    await vscode.workspace.getConfiguration('clusterStacks').update('kubeconfigPaths', undefined, vscode.ConfigurationTarget.Global);
    await mgmt?.stop();
  });

  it('is contributed for trusted workspaces, on the tenant and on its credential nodes', () => {
    const cmd = manifest.contributes.commands?.find((c) => c.command === 'clusterStacks.testConnection');
    assert.equal(cmd?.enablement, 'isWorkspaceTrusted');
    const menus = (manifest.contributes as { menus?: Record<string, { command: string; when?: string }[]> }).menus ?? {};
    const whens = (menus['view/item/context'] ?? []).filter((m) => m.command === 'clusterStacks.testConnection').map((m) => m.when ?? '');
    assert.ok(whens.some((w) => w.includes('^tenant')));
    assert.ok(whens.some((w) => w.includes('^object secrets')));
  });

  it('ok: the lens command on a working application credential reports a project token, the region and its expiry', async () => {
    const r = await test({ uri: cloudsUri.toString(), cloud: 'good' });
    assert.equal(r?.outcome, 'done');
    const c = r?.connection;
    assert.ok(c);
    assert.equal(c.ok, true, JSON.stringify(c.problems));
    assert.deepEqual(c.problems, []);
    assert.equal(c.token?.project?.id, project.id);
    assert.equal(c.applicationCredential?.id, good.id);
    assert.equal(c.applicationCredential?.expiresAt?.slice(0, 19), good.expiresAt?.slice(0, 19));
    const note = messages.at(-1);
    assert.equal(note?.kind, 'showInformationMessage');
    assert.match(note?.message ?? '', new RegExp(`cloud "good" OK — project "tc-${RUN}", region ${ks.region}`));
    // Keystone's own answer agrees: the credential authenticates.
    assert.equal((await api.appCredAuthenticates(good.id, good.secret)).status, 201);
  });

  it('wrong secret: Keystone’s 401 text in an error notification', async () => {
    const r = await test({ uri: cloudsUri.toString(), cloud: 'wrong' });
    const c = r?.connection;
    assert.equal(c?.ok, false);
    assert.deepEqual(
      c?.problems.map((p) => [p.code, p.status]),
      [['unauthorized', 401]],
    );
    const note = messages.at(-1);
    assert.equal(note?.kind, 'showErrorMessage');
    assert.match(note?.message ?? '', /cloud "wrong" FAILED — .*The request you have made requires authentication/);
    assert.equal((await api.appCredAuthenticates(good.id, `${good.secret}-wrong`)).status, 401);
  });

  it('deleted credential: passes before the delete, then Keystone’s 404 “Could not find”', async () => {
    assert.equal((await test({ uri: cloudsUri.toString(), cloud: 'deleted' }))?.connection?.ok, true);
    await api.deleteApplicationCredential(user, project.id, gone.id);
    const c = (await test({ uri: cloudsUri.toString(), cloud: 'deleted' }))?.connection;
    assert.equal(c?.ok, false);
    assert.deepEqual(
      c?.problems.map((p) => p.code),
      ['not-found'],
    );
    assert.match(messages.at(-1)?.message ?? '', new RegExp(`Could not find Application Credential: ${gone.id}`));
  });

  it('missing region: the token is issued but the region is not in the catalog', async () => {
    const c = (await test({ uri: cloudsUri.toString(), cloud: 'noregion' }))?.connection;
    assert.equal(c?.ok, false);
    assert.ok(c?.token, 'Keystone issued a token');
    assert.deepEqual(
      c?.problems.map((p) => p.code),
      ['region-missing'],
    );
    assert.match(messages.at(-1)?.message ?? '', /Region "Atlantis" has no endpoint in the catalog/);
  });

  it('missing load-balancer endpoint: the OCCM would exit', async () => {
    const c = (await test({ uri: cloudsUri.toString(), cloud: 'nolb' }))?.connection;
    assert.equal(c?.ok, false);
    assert.deepEqual(
      c?.problems.map((p) => p.code),
      ['endpoint-missing'],
    );
    assert.match(messages.at(-1)?.message ?? '', /No load-balancer endpoint/);
  });

  it('the tenant’s credential node: tests the identity secret pushed to the management cluster', async () => {
    const push = await vscode.commands.executeCommand<CommandResult>('clusterStacks.pushToTenant', {
      uri: cloudsUri.toString(),
      cloud: 'good',
      context: mgmt.name,
      namespace: NS,
      confirmed: true,
    });
    assert.equal(push?.outcome, 'done');
    assert.ok(mgmt.get('v1', 'Secret', NS, 'openstack'), 'the identity secret is there');
    // What VS Code passes for a right-click on the secret under the tenant's Credentials group.
    const node = {
      type: 'object',
      id: `ctx:${mgmt.name}/ns:${NS}/secrets:openstack`,
      context: mgmt.name,
      namespace: NS,
      kind: 'secrets',
      name: 'openstack',
    };
    const r = await vscode.commands.executeCommand<CommandResult>('clusterStacks.testConnection', node);
    results.push(r);
    assert.equal(r?.outcome, 'done');
    assert.equal(r?.namespace, NS);
    assert.equal(r?.connection?.ok, true, JSON.stringify(r?.connection?.problems));
    assert.equal(r?.connection?.applicationCredential?.id, good.id);
    assert.match(messages.at(-1)?.message ?? '', new RegExp(`tenant secret ${NS}/openstack \\(cloud "good"\\) OK`));
    // The tenant node (no secret named) finds the secret the tenant's ClusterClasses expect (the default name here).
    const t = await vscode.commands.executeCommand<CommandResult>('clusterStacks.testConnection', {
      type: 'tenant',
      id: `ctx:${mgmt.name}/ns:${NS}`,
      context: mgmt.name,
      namespace: NS,
    });
    results.push(t);
    assert.equal(t?.connection?.ok, true);
  });

  it('a tenant without an identity secret: a clear refusal, no request to Keystone', async () => {
    const r = await test({ context: mgmt.name, namespace: NS, secretName: 'nope' });
    assert.equal(r?.outcome, 'refused');
    assert.match(r?.message ?? '', new RegExp(`no identity secret ${NS}/nope`));
  });

  it('no secret, password or token in notifications, the output channel or the results', async () => {
    const log = await ownLog(`Test connection of cloud "nolb"`);
    assert.match(log, /problem {5}endpoint-missing/, 'the report reached the output channel');
    const texts = [...messages.map((m) => `${m.message}\n${m.detail ?? ''}`), log, JSON.stringify(results)];
    for (const t of texts) {
      for (const s of secrets) assert.ok(!t.includes(s), 'a secret value was shown');
      assert.doesNotMatch(t, TOKEN_SHAPE, 'a token was shown');
    }
  });
});

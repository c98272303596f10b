// What the API server and Keystone would reject is refused before any write, inside a real VS Code against the emulator
// (its ClusterResourceSet admission follows Cluster API's webhook: a missing strategy defaults to ApplyOnce, strategy and
// clusterSelector are immutable — kubernetes-sigs/cluster-api@ae7ff047 core/webhooks/admission/clusterresourceset.go:51-58,
// :95-107):
//  - push to tenant of a cloud with an error finding (CS103: an application credential without its secret) writes nothing
//    and names the finding in one line;
//  - "Keep in sync" against a live ClusterResourceSet: unchanged says so (the CRS is not written), a changed mutable field
//    is merge-patched (strategy and selector kept), an immutable difference (a CRS created by kubectl without strategy,
//    so ApplyOnce by the webhook) is refused with the reason and nothing — not even the rotated wrapper Secret — is written.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CommandResult } from '../../../src/commands/credentials/results';
import { startEmulator, type Emulator } from '../../emulator';
import { kubectl } from '../../emulator/helpers';
import { activatedExtension, workspaceFolder } from '../helpers';
import { trackEmulator } from '../leak/ledger';
import { SECRETS } from '../secrets';

const RUN = Math.random().toString(36).slice(2, 8);
const NS = `refuse-${RUN}`;
const APP_ID = `refuseid${RUN}0123456789abcdef`;
const APP_SECRET = SECRETS['credentialRefusals.appCredSecret'];
const CRS_V = 'addons.cluster.x-k8s.io/v1beta2';

const run = (id: string, args: unknown) => vscode.commands.executeCommand<CommandResult>(id, args);

describe('refused before any write: CS103 push, immutable ClusterResourceSet fields (real VS Code, emulator)', function () {
  this.timeout(120_000);
  let mgmt: Emulator;
  let dir: string;
  const clouds = (secret: string | undefined) =>
    `clouds:\n  prod:\n    auth:\n      auth_url: https://keystone.example.com:5000/v3\n      application_credential_id: ${APP_ID}\n${
      secret ? `      application_credential_secret: "${secret}"\n` : ''
    }    region_name: RegionOne\n    auth_type: v3applicationcredential\n`;
  const write = (text: string) => fs.writeFileSync(path.join(dir, 'clouds.yaml'), text);
  const keepInSync = () =>
    run('clusterStacks.keepInSync', {
      uri: vscode.Uri.file(path.join(dir, 'clouds.yaml')).toString(),
      cloud: 'prod',
      context: mgmt.name,
      namespace: NS,
      style: 'cloud-config',
      labelClusters: 'none',
      confirmed: true,
    });
  const crs = () => mgmt.get(CRS_V, 'ClusterResourceSet', NS, 'crs-prod-secret');
  const wrapperVersion = () => mgmt.get('v1', 'Secret', NS, 'prod-workload-cluster-secret')?.metadata.resourceVersion;

  before(async () => {
    await activatedExtension();
    mgmt = await startEmulator({ name: `mgmt-refuse-${RUN}`, seed: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }] });
    trackEmulator(mgmt);
    await vscode.workspace
      .getConfiguration('clusterStacks')
      .update('kubeconfigPaths', [mgmt.kubeconfigPath], vscode.ConfigurationTarget.Global);
    dir = path.join(workspaceFolder().fsPath, `refuse-${RUN}`);
    fs.mkdirSync(dir, { recursive: true });
  });

  after(async () => {
    await vscode.workspace.getConfiguration('clusterStacks').update('kubeconfigPaths', undefined, vscode.ConfigurationTarget.Global);
    await mgmt?.stop();
  });

  it('push to tenant of an application credential without its secret (CS103) is refused, names the finding, writes nothing', async () => {
    write(clouds(undefined));
    const r = await run('clusterStacks.pushToTenant', {
      uri: vscode.Uri.file(path.join(dir, 'clouds.yaml')).toString(),
      cloud: 'prod',
      context: mgmt.name,
      namespace: NS,
      secretName: 'must-not-exist',
      confirmed: true,
    });
    assert.equal(r?.outcome, 'refused', r?.message);
    assert.match(r?.message ?? '', /^.*Cloud "prod": CS103 at clouds\.yaml:\d+: .*application_credential_secret/);
    assert.doesNotMatch(r?.message ?? '', /\n/);
    assert.ok(!(r?.message ?? '').includes(APP_ID), 'no credential value in the refusal');
    assert.equal(mgmt.get('v1', 'Secret', NS, 'must-not-exist'), undefined);
    assert.deepEqual(
      mgmt.list('v1', 'Secret', NS).map((s) => s.metadata.name),
      [],
    );
  });

  it('"Keep in sync" creates the ClusterResourceSet, then says it is unchanged and does not write it again', async () => {
    write(clouds(APP_SECRET));
    const first = await keepInSync();
    assert.equal(first?.outcome, 'done', first?.message);
    assert.equal(first?.resourceSet, 'created');
    const rv = crs()?.metadata.resourceVersion;
    assert.ok(rv);
    const again = await keepInSync();
    assert.equal(again?.outcome, 'done', again?.message);
    assert.equal(again?.resourceSet, 'unchanged');
    assert.match(again?.message ?? '', /^ClusterResourceSet refuse-\w+\/crs-prod-secret is unchanged$/);
    assert.equal(crs()?.metadata.resourceVersion, rv, 'the ClusterResourceSet was not written');
  });

  it('a changed mutable field (spec.resources) is merge-patched; strategy and selector stay', async () => {
    const edit = await kubectl(mgmt.kubeconfigPath, [
      'patch',
      'clusterresourceset',
      'crs-prod-secret',
      '-n',
      NS,
      '--type',
      'merge',
      '-p',
      '{"spec":{"resources":[{"kind":"Secret","name":"other"}]}}',
    ]);
    assert.equal(edit.code, 0, edit.stderr);
    const r = await keepInSync();
    assert.equal(r?.outcome, 'done', r?.message);
    assert.equal(r?.resourceSet, 'patched');
    assert.deepEqual(
      r?.management?.objects.map((o) => [o.ref.replace(/ refuse-\w+\//, ' '), o.action]),
      [
        ['Secret prod-workload-cluster-secret', 'unchanged'],
        ['ClusterResourceSet crs-prod-secret', 'update'],
      ],
    );
    // A merge patch is an Update in managedFields (server-side apply would be an Apply): the live object was patched.
    const managed = (crs()?.metadata as { managedFields?: { manager: string; operation: string }[] }).managedFields ?? [];
    assert.ok(
      managed.some((m) => m.manager === 'cluster-stacks-vscode' && m.operation === 'Update'),
      JSON.stringify(managed.map((m) => [m.manager, m.operation])),
    );
    assert.deepEqual(crs()?.spec, {
      strategy: 'Reconcile',
      clusterSelector: { matchLabels: { 'managed-secret': 'cloud-config' } },
      resources: [{ name: 'prod-workload-cluster-secret', kind: 'Secret' }],
    });
  });

  it('an immutable difference (kubectl-created CRS, defaulted to ApplyOnce) is refused with the reason; nothing is written', async () => {
    const del = await kubectl(mgmt.kubeconfigPath, ['delete', 'clusterresourceset', 'crs-prod-secret', '-n', NS]);
    assert.equal(del.code, 0, del.stderr);
    const made = await kubectl(
      mgmt.kubeconfigPath,
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: CRS_V,
        kind: 'ClusterResourceSet',
        metadata: { name: 'crs-prod-secret', namespace: NS },
        spec: { clusterSelector: { matchLabels: { 'managed-secret': 'cloud-config' } }, resources: [{ kind: 'Secret', name: 'x' }] },
      }),
    );
    assert.equal(made.code, 0, made.stderr);
    assert.equal((crs()?.spec as { strategy?: string }).strategy, 'ApplyOnce', 'the webhook defaults the strategy');
    const crsVersion = crs()?.metadata.resourceVersion;
    const secretVersion = wrapperVersion();
    write(clouds(`${APP_SECRET}-rotated`));
    const r = await keepInSync();
    assert.equal(r?.outcome, 'refused', r?.message);
    assert.match(r?.message ?? '', /spec\.strategy is immutable \(it is ApplyOnce, this would set Reconcile\)/);
    assert.ok(!(r?.message ?? '').includes(APP_SECRET), 'no value in the refusal');
    assert.equal(crs()?.metadata.resourceVersion, crsVersion, 'the ClusterResourceSet was not written');
    assert.equal(wrapperVersion(), secretVersion, 'the rotated wrapper Secret was not written');
  });
});

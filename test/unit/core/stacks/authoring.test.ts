import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import {
  bumpVersion,
  clusterStackHash,
  previewRelease,
  validateClusterAddonConfig,
  validateCsctlConfig,
  validateNodeImages,
  type ReleasePreview,
} from '../../../../src/core/stacks/authoring';
import { validateClusterStack } from '../../../../src/core/stacks/clusterStack';
import { diagnoseStackText } from '../../../../src/core/stacks/diagnose';
import { tenantAccessManifests, tenantKubeconfig } from '../../../../src/core/stacks/tenantAccess';

const DIR = path.resolve(__dirname, '../../../fixtures/stacks-authoring');
const read = (f: string): string => fs.readFileSync(path.join(DIR, f), 'utf8');
const load = (f: string): unknown => yaml.load(read(f));

describe('stacks: cluster-stack authoring (csctl.yaml, clusteraddon.yaml, node-images.yaml)', () => {
  it('the real scs2 files pass (with the chart directories of the scs2 tree)', () => {
    assert.deepEqual(validateCsctlConfig(load('csctl.yaml')), []);
    assert.deepEqual(validateClusterAddonConfig(load('clusteraddon.yaml'), ['ccm', 'cni', 'csi', 'metrics-server']), []);
    assert.deepEqual(validateNodeImages(load('node-images.yaml')), []);
  });

  it('csctl.yaml: the checks of GetCsctlConfig, located', () => {
    const text = read('csctl.yaml')
      .replace('v1.34.7', '1.34')
      .replace('type: openstack', 'type: OpenStack')
      .replace('clusterStackName: scs2', 'clusterStackName: ""');
    const findings = diagnoseStackText('/src/stacks/csctl.yaml', text);
    assert.deepEqual(
      findings.map((f) => f.code),
      ['CSK302', 'CSK304', 'CSK306'],
    );
    const kv = findings.find((f) => f.code === 'CSK306')!;
    assert.equal(text.split('\n')[kv.range.start.line].slice(kv.range.start.character, kv.range.end.character), '1.34');
  });

  it('clusteraddon.yaml: unknown hook, missing chart, bad action', () => {
    const doc = load('clusteraddon.yaml') as { addonStages: Record<string, { name: string; action: string }[]> };
    doc.addonStages.AfterClusterUpgrade = [{ name: 'cni', action: 'apply' }];
    doc.addonStages.BeforeClusterUpgrade[0].action = 'install';
    const issues = validateClusterAddonConfig(doc, ['cni', 'csi', 'metrics-server']);
    assert.deepEqual(
      issues.map((i) => [i.code, i.path.join('.')]),
      [
        ['CSK315', 'addonStages.AfterControlPlaneInitialized.3.name'],
        ['CSK316', 'addonStages.BeforeClusterUpgrade.0.action'],
        ['CSK315', 'addonStages.BeforeClusterUpgrade.3.name'],
        ['CSK313', 'addonStages.AfterClusterUpgrade'],
      ],
    );
  });

  it('node-images.yaml: url and createOpts.name are required', () => {
    const doc = load('node-images.yaml') as { openStackNodeImages: Record<string, unknown>[] };
    doc.openStackNodeImages.push({ url: 'ftp://x', createOpts: { disk_format: 'qcow2' } });
    assert.deepEqual(
      validateNodeImages(doc).map((i) => [i.code, i.path.join('.')]),
      [
        ['CSK323', 'openStackNodeImages.1.url'],
        ['CSK324', 'openStackNodeImages.1.createOpts'],
      ],
    );
  });

  it('hash of a directory equals Go dirhash.Hash1 as csctl cleans and cuts it', () => {
    // Reference: golang.org/x/mod/sumdb/dirhash (csctl's vendored copy) HashDir over these four files
    // printed h1:aHxfwTyuDh3BGqle46plKYCYd/Zx3RhqJ7zkQYhWJhM= ; csctl's clean() + [:7] gives "ahxfwty".
    const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
    const files = [
      { path: 'csctl.yaml', content: enc('apiVersion: csctl.clusterstack.x-k8s.io/v1alpha1\n') },
      { path: 'cluster-addon/cni/Chart.yaml', content: enc('name: cni\n') },
      { path: '.hidden/a', content: enc('x') },
      { path: 'B.txt', content: enc('b\n') },
    ];
    assert.equal(clusterStackHash(files), 'ahxfwty');
    assert.equal(clusterStackHash([...files].reverse()), 'ahxfwty');
    assert.notEqual(clusterStackHash(files.slice(1)), 'ahxfwty');
  });

  it('bumps like csctl BumpVersion (every number becomes first+1)', () => {
    assert.equal(bumpVersion('v1'), 'v2');
    assert.equal(bumpVersion('v9'), 'v10');
    assert.equal(bumpVersion('v1-alpha.0'), 'v2-alpha.2');
  });

  it('previews the names per mode; the ClusterStack it shows is valid and names the same class', () => {
    const csctl = load('csctl.yaml');
    const stable = previewRelease({ csctl, mode: 'stable', namespace: 'cluster' }) as ReleasePreview;
    assert.equal(stable.clusterClass, 'openstack-scs2-1-34-v1'); // the fixture ClusterClass name
    assert.equal(stable.channel, 'stable');
    const next = previewRelease({ csctl, mode: 'stable', latestVersion: 'v3' }) as ReleasePreview;
    assert.equal(next.clusterStackRelease, 'openstack-scs2-1-34-v4');
    const hash = previewRelease({ csctl, mode: 'hash', hash: 'ahxfwty' }) as ReleasePreview;
    assert.deepEqual(
      [hash.version, hash.channel, hash.clusterClass, hash.clusterStackRelease],
      ['v0-sha.ahxfwty', 'custom', 'openstack-scs2-1-34-v0-sha.ahxfwty', 'openstack-scs2-1-34-v0-sha-ahxfwty'],
    );
    for (const p of [stable, next, hash])
      assert.deepEqual(
        validateClusterStack(p.clusterStack).filter((i) => i.severity !== 'info'),
        [],
      );
    assert.match(
      previewRelease({ csctl, mode: 'custom', customVersion: 'v1.0', customAddonVersion: 'v1', customNodeImageVersion: 'v1' }) as string,
      /not valid/,
    );
    assert.match(previewRelease({ csctl: { config: {} }, mode: 'stable' }) as string, /provider type must not be empty/);
  });
});

describe('stacks: tenant access (ServiceAccount, RoleBinding, token Secret, kubeconfig)', () => {
  it('builds the three objects of domain.md §(c) for the chosen role', () => {
    const [sa, rb, secret] = tenantAccessManifests({
      namespace: 'my-tenant',
      serviceAccount: 'tenant-admin',
      role: { kind: 'ClusterRole', name: 'admin' },
    });
    assert.deepEqual(sa, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'tenant-admin', namespace: 'my-tenant' } });
    assert.deepEqual((rb as { roleRef: unknown }).roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' });
    assert.deepEqual((rb as { subjects: unknown }).subjects, [{ kind: 'ServiceAccount', name: 'tenant-admin', namespace: 'my-tenant' }]);
    assert.equal((secret as { type: string }).type, 'kubernetes.io/service-account-token');
    assert.deepEqual((secret as { metadata: unknown }).metadata, {
      name: 'tenant-admin-token',
      namespace: 'my-tenant',
      annotations: { 'kubernetes.io/service-account.name': 'tenant-admin' },
    });
  });

  it('the kubeconfig selects the tenant namespace and carries the token only in users[].user.token', () => {
    const token = 'tok-' + 'x'.repeat(20);
    const text = tenantKubeconfig({
      clusterName: 'mgmt',
      server: 'https://127.0.0.1:6443',
      certificateAuthorityData: 'Q0E=',
      namespace: 'my-tenant',
      serviceAccount: 'tenant-admin',
      token,
    });
    const kc = yaml.load(text) as {
      'current-context': string;
      contexts: { name: string; context: { namespace: string; user: string } }[];
      users: { name: string; user: { token: string } }[];
      clusters: { cluster: Record<string, string> }[];
    };
    const ctx = kc.contexts.find((c) => c.name === kc['current-context'])!;
    assert.equal(ctx.context.namespace, 'my-tenant');
    assert.equal(kc.users.find((u) => u.name === ctx.context.user)!.user.token, token);
    assert.equal(kc.clusters[0].cluster['certificate-authority-data'], 'Q0E=');
    assert.equal(text.split(token).length, 2, 'the token appears once');
  });
});

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { errorForStatus, sanitize } from '../../../src/kube/errors';
import { forContext, kubeconfigPaths, loadKubeconfigs } from '../../../src/kube/kubeconfig';
import { KubeconfigMergeError, mergeKubeconfig } from '../../../src/kube/kubeconfigMerge';

function kubeconfig(name: string, server: string, token: string, current?: string): string {
  return yaml.dump({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server } }],
    users: [{ name, user: { token } }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: `${name}-ns` } }],
    ...(current ? { 'current-context': current } : {}),
  });
}

describe('kubeconfig loading (kubectl rules, read-only)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-test-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('setting paths win over KUBECONFIG, which wins over ~/.kube/config', () => {
    assert.deepEqual(kubeconfigPaths(['/a', ' '], { KUBECONFIG: `/b${path.delimiter}/c` }), ['/a']);
    assert.deepEqual(kubeconfigPaths([], { KUBECONFIG: `/b${path.delimiter}${path.delimiter}/c` }), ['/b', '/c']);
    assert.deepEqual(kubeconfigPaths(undefined, {}), [path.join(os.homedir(), '.kube', 'config')]);
    assert.equal(kubeconfigPaths(['~/x'], {})[0], path.join(os.homedir(), 'x'));
  });

  it('merges files with the first file winning per name and for current-context; skips missing files', () => {
    const a = path.join(dir, 'a');
    const b = path.join(dir, 'b');
    fs.writeFileSync(a, kubeconfig('mgmt', 'https://127.0.0.1:1', 'tok-a'));
    fs.writeFileSync(b, kubeconfig('mgmt', 'https://127.0.0.1:2', 'tok-b', 'mgmt') + '');
    const other = path.join(dir, 'c');
    fs.writeFileSync(other, kubeconfig('other', 'https://127.0.0.1:3', 'tok-c', 'other'));
    const before = fs.readFileSync(a, 'utf8');
    const loaded = loadKubeconfigs([a, path.join(dir, 'missing'), b, other]);
    assert.deepEqual(
      loaded.contexts.map((c) => c.name),
      ['mgmt', 'other'],
    );
    assert.equal(loaded.merged.getCluster('mgmt')?.server, 'https://127.0.0.1:1');
    assert.equal(loaded.currentContext, 'mgmt');
    assert.deepEqual(loaded.errors, []);
    assert.equal(fs.readFileSync(a, 'utf8'), before, 'never rewritten');
    const kc = forContext(loaded, 'other');
    assert.equal(kc.getCurrentCluster()?.server, 'https://127.0.0.1:3');
    assert.equal(kc.getContexts().length, 1);
  });

  it('reports a broken file as an error without its content', () => {
    const bad = path.join(dir, 'bad');
    fs.writeFileSync(bad, 'clusters: [\n  token: s3cr3t-value');
    const loaded = loadKubeconfigs([bad]);
    assert.equal(loaded.errors.length, 1);
    assert.equal(loaded.errors[0].file, bad);
    assert.ok(!loaded.errors[0].message.includes('s3cr3t-value'));
  });

  it('forContext names a dangling cluster reference', () => {
    const f = path.join(dir, 'd');
    fs.writeFileSync(f, yaml.dump({ contexts: [{ name: 'x', context: { cluster: 'nope', user: 'u' } }], clusters: [], users: [] }));
    assert.throws(() => forContext(loadKubeconfigs([f]), 'x'), /cluster "nope"/);
  });
});

describe('error messages never carry credentials', () => {
  it('masks bearer tokens, JWTs and token fields', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const out = sanitize(`exec plugin said: Bearer abc123 and ${jwt} and token=xyz789\nsecond line`);
    assert.ok(!out.includes('abc123') && !out.includes(jwt) && !out.includes('xyz789') && !out.includes('second line'), out);
  });
  it('maps statuses to kinds with the server message', () => {
    const forbidden = errorForStatus(
      403,
      JSON.stringify({ kind: 'Status', message: 'secrets is forbidden: User "u" cannot list resource "secrets" in the namespace "t"' }),
      '/api/v1/namespaces/t/secrets',
    );
    assert.equal(forbidden.kind, 'forbidden');
    assert.match(forbidden.message, /cannot list resource "secrets"/);
    assert.equal(errorForStatus(401, '', '/x').kind, 'unauthorized');
    assert.equal(errorForStatus(410, '', '/x').kind, 'gone');
    assert.equal(errorForStatus(404, '', '/x').kind, 'notFound');
  });
});

describe('merging a workload kubeconfig into a file', () => {
  it('adds entries, keeps the target current-context, replaces same-named entries and reports them', () => {
    const target = kubeconfig('mgmt', 'https://m', 't1', 'mgmt');
    const incoming = yaml.dump({
      clusters: [
        { name: 'wc', cluster: { server: 'https://w' } },
        { name: 'mgmt', cluster: { server: 'https://replaced' } },
      ],
      users: [{ name: 'wc-admin', user: { token: 'w' } }],
      contexts: [{ name: 'wc-admin@wc', context: { cluster: 'wc', user: 'wc-admin' } }],
      'current-context': 'wc-admin@wc',
    });
    const plan = mergeKubeconfig(target, incoming);
    const out = yaml.load(plan.text) as {
      clusters: { name: string; cluster: { server: string } }[];
      'current-context': string;
      contexts: { name: string }[];
    };
    assert.equal(out['current-context'], 'mgmt');
    assert.deepEqual(
      out.clusters.map((c) => c.name),
      ['mgmt', 'wc'],
    );
    assert.equal(out.clusters[0].cluster.server, 'https://replaced');
    assert.deepEqual(plan.conflicts, ['cluster/mgmt']);
    assert.deepEqual(plan.added, ['cluster/wc', 'user/wc-admin', 'context/wc-admin@wc']);
    assert.deepEqual(plan.contexts, ['wc-admin@wc']);
  });
  it('merges into an empty file and rejects a non-kubeconfig target with a located error', () => {
    const plan = mergeKubeconfig('', kubeconfig('wc', 'https://w', 't', 'wc'));
    assert.equal((yaml.load(plan.text) as { 'current-context': string })['current-context'], 'wc');
    assert.throws(
      () => mergeKubeconfig('a: [1,\n', 'x: 1'),
      (e: unknown) => e instanceof KubeconfigMergeError && /line/.test((e as Error).message),
    );
    assert.throws(() => mergeKubeconfig('clusters: 3', 'x: 1'), /"clusters" is not a list/);
  });
});

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { errorForStatus, sanitize } from '../../../src/kube/errors';
import { contextChanges, contextDigests, forContext, kubeconfigPaths, loadKubeconfigs } from '../../../src/kube/kubeconfig';
import { watchKubeconfigFiles } from '../../../src/kube/kubeconfigWatch';
import { liveTimers } from '../../../src/lifecycle';
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

describe('kubeconfig changes: per-context digests and watching the files', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-watch-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a new reading says which contexts were added, removed or changed (context, cluster or user, token included)', () => {
    const a = path.join(dir, 'a');
    const b = path.join(dir, 'b');
    fs.writeFileSync(a, kubeconfig('one', 'https://127.0.0.1:1', 'tok-1'));
    fs.writeFileSync(b, kubeconfig('two', 'https://127.0.0.1:2', 'tok-2'));
    const before = contextDigests(loadKubeconfigs([a, b]));
    assert.deepEqual(contextChanges(before, contextDigests(loadKubeconfigs([a, b]))), { added: [], removed: [], changed: [] });
    fs.writeFileSync(b, kubeconfig('two', 'https://127.0.0.1:2', 'tok-2-rotated'));
    assert.deepEqual(contextChanges(before, contextDigests(loadKubeconfigs([a, b]))), { added: [], removed: [], changed: ['two'] });
    fs.writeFileSync(b, kubeconfig('three', 'https://127.0.0.1:3', 'tok-3'));
    assert.deepEqual(contextChanges(before, contextDigests(loadKubeconfigs([a, b]))), { added: ['three'], removed: ['two'], changed: [] });
    assert.ok(![...before.values()].some((d) => d.includes('tok')), 'only digests are kept');
  });

  it('watching the files: an edit, a replace by rename and a new file each call back once after the burst; other files do not', async () => {
    const a = path.join(dir, 'a');
    const missing = path.join(dir, 'later');
    fs.writeFileSync(a, kubeconfig('one', 'https://127.0.0.1:1', 'tok-1'));
    let calls = 0;
    const w = watchKubeconfigFiles([a, missing, path.join(dir, 'no-such-dir', 'x')], () => calls++, 50);
    const settled = async (expected: number) => {
      for (let i = 0; i < 200 && calls < expected; i++) await new Promise((r) => setTimeout(r, 25));
      await new Promise((r) => setTimeout(r, 200)); // a burst must not call back twice
      assert.equal(calls, expected);
    };
    try {
      for (let i = 0; i < 5; i++) fs.appendFileSync(a, '\n');
      await settled(1);
      fs.writeFileSync(path.join(dir, 'unrelated'), 'x');
      fs.writeFileSync(`${a}.tmp`, kubeconfig('one', 'https://127.0.0.1:1', 'tok-2'));
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(calls, 1, 'changes to other files in the directory are ignored');
      fs.renameSync(`${a}.tmp`, a); // how editors and `kubectl config` replace a file
      await settled(2);
      fs.writeFileSync(missing, kubeconfig('two', 'https://127.0.0.1:2', 'tok'));
      await settled(3);
    } finally {
      w.dispose();
    }
    fs.appendFileSync(a, '\n');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(calls, 3, 'nothing after dispose');
    assert.equal(liveTimers(), 0);
  });
});

// What the fault soak (test/soak) found in src/kube, each pinned against a scripted server: writes that
// are not idempotent are not repeated after an unanswered attempt, a failure after an unanswered attempt
// is reported as unknown (not as "not written"), the explorer's list+watch waits as long as the
// server's Retry-After says, and concurrent requests share one run of an exec credential plugin.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { commitPlan, operations, type PlannedObject } from '../../../src/kube/apply';
import { isIdempotent, KubeClient, type RetryPolicy } from '../../../src/kube/client';
import { KubeError } from '../../../src/kube/errors';
import { Reflector } from '../../../src/kube/reflector';
import { writtenLines } from '../../../src/core/manifests/report';
import { json, kubeconfigFor, scripted } from './scripted';

const FAST: RetryPolicy = { retries: 3, baseDelayMs: 5, maxDelayMs: 50, timeoutMs: 2000 };
const lose = (q: http.IncomingMessage) => q.socket.destroy();
const SECRET_REF = { apiVersion: 'v1', kind: 'Secret', namespace: 't1', name: 's' };
const REF = 'Secret t1/s';

function plan(operation: PlannedObject['operation']): PlannedObject[] {
  return [{ ref: REF, action: 'update', changes: [], operation }];
}

describe('writes under faults: no repeat of what is not idempotent, unknown outcomes said (client.ts, apply.ts)', () => {
  it('idempotency by method and patch type', () => {
    assert.ok(isIdempotent('GET'));
    assert.ok(isIdempotent('DELETE'));
    assert.ok(isIdempotent('PATCH', 'application/apply-patch+yaml'));
    assert.ok(isIdempotent('PATCH', 'application/merge-patch+json'));
    assert.ok(!isIdempotent('PATCH', 'application/json-patch+json'));
    assert.ok(!isIdempotent('POST', 'application/json'));
    assert.ok(!isIdempotent('PUT', 'application/json'));
  });

  it('a JSON patch whose answer was lost is sent once and reported unknown, not "not written"', async () => {
    // The old client repeated it: the repeat failed its own `test` and the report said the change was not made.
    const s = await scripted([
      lose,
      (_q, r) => json(r, 422, { kind: 'Status', message: 'testing value /metadata/resourceVersion failed' }),
    ]);
    try {
      const c = new KubeClient(kubeconfigFor(s.url), FAST);
      const patch = operations.jsonPatch(SECRET_REF, [
        { op: 'test', path: '/metadata/resourceVersion', value: '7' },
        { op: 'add', path: '/metadata/labels/x', value: 'y' },
      ]);
      const report = await commitPlan(c, plan(patch));
      assert.equal(s.seen.length, 1, 'the JSON patch was repeated');
      assert.equal(report.outcome, 'failed');
      assert.deepEqual(report.unknown, [REF]);
      assert.match(report.reason ?? '', /may have carried it out/);
      assert.match(writtenLines(report).join('\n'), /^unknown \(no answer; read it back to know whether it was written\): Secret t1\/s$/m);
    } finally {
      await s.close();
    }
  });

  it('a create (POST) is not repeated after a lost answer, but is after a 429 and after a 503 with Retry-After', async () => {
    const s = await scripted([
      lose,
      (_q, r) => json(r, 429, { kind: 'Status' }, { 'Retry-After': '0' }),
      (_q, r) => json(r, 503, { kind: 'Status' }, { 'Retry-After': '0' }),
      (_q, r) => json(r, 201, { kind: 'Secret' }),
    ]);
    try {
      const c = new KubeClient(kubeconfigFor(s.url), FAST);
      await assert.rejects(
        c.request('POST', '/api/v1/namespaces/t1/secrets', { body: {}, contentType: 'application/json' }),
        (e: unknown) => e instanceof KubeError && e.uncertain && e.kind === 'unreachable',
      );
      assert.equal(s.seen.length, 1);
      const res = await c.request('POST', '/api/v1/namespaces/t1/secrets', { body: {}, contentType: 'application/json' });
      assert.equal(res.status, 201);
      assert.equal(s.seen.length, 4);
      assert.equal(res.uncertain, undefined);
    } finally {
      await s.close();
    }
  });

  it('a JSON patch is not repeated after a 500 without Retry-After (the server may have acted)', async () => {
    const s = await scripted([
      (_q, r) => json(r, 500, { kind: 'Status', message: 'etcd: request timed out' }),
      (_q, r) => json(r, 200, {}),
    ]);
    try {
      const c = new KubeClient(kubeconfigFor(s.url), FAST);
      const res = await c.request('PATCH', '/api/v1/namespaces/t1/secrets/s', { body: [], contentType: 'application/json-patch+json' });
      assert.equal(res.status, 500);
      assert.equal(s.seen.length, 1);
    } finally {
      await s.close();
    }
  });

  it('a server-side apply is repeated after a lost answer; when every later attempt fails, the report says unknown', async () => {
    const s = await scripted([lose, (_q, r) => json(r, 500, { kind: 'Status', message: 'injected' })]);
    try {
      const c = new KubeClient(kubeconfigFor(s.url), { ...FAST, retries: 2 });
      const manifest = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 't1' } };
      const report = await commitPlan(c, plan(operations.apply(manifest)));
      assert.equal(s.seen.length, 3, 'apply is idempotent: repeated within the budget');
      assert.equal(report.outcome, 'failed');
      assert.deepEqual(report.unknown, [REF]);
      assert.deepEqual(report.written, []);
    } finally {
      await s.close();
    }
  });

  it('a failure with every attempt answered is a plain failure: nothing unknown', async () => {
    const s = await scripted([(_q, r) => json(r, 403, { kind: 'Status', message: 'forbidden' })]);
    try {
      const c = new KubeClient(kubeconfigFor(s.url), FAST);
      const manifest = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 't1' } };
      const report = await commitPlan(c, plan(operations.apply(manifest)));
      assert.equal(report.outcome, 'failed');
      assert.equal(report.unknown, undefined);
      assert.doesNotMatch(report.reason ?? '', /may have carried it out/);
    } finally {
      await s.close();
    }
  });
});

describe("the explorer's list+watch under 429 (reflector.ts)", () => {
  it("waits at least the server's Retry-After before listing again, even when its own backoff is shorter", async () => {
    const list = { kind: 'SecretList', apiVersion: 'v1', metadata: { resourceVersion: '5' }, items: [] };
    const s = await scripted([
      (_q, r) => json(r, 429, { kind: 'Status', reason: 'TooManyRequests', details: { retryAfterSeconds: 1 } }, { 'Retry-After': '1' }),
      (_q, r) => json(r, 200, list),
      () => undefined /* the watch: never answers */,
    ]);
    const r = new Reflector({
      client: new KubeClient(kubeconfigFor(s.url), FAST),
      path: '/api/v1/secrets',
      transform: (o) => o,
      onChange: () => undefined,
      onStatus: () => undefined,
      minBackoffMs: 20,
    });
    try {
      r.start();
      const end = Date.now() + 10_000;
      while (s.seen.length < 2 && Date.now() < end) await new Promise((res) => setTimeout(res, 20));
      assert.ok(s.seen.length >= 2, 'the reflector never listed again');
      const gap = s.seen[1].at - s.seen[0].at;
      assert.ok(gap >= 990, `listed again ${gap} ms after a 429 with Retry-After: 1`);
    } finally {
      r.stop();
      await s.close();
    }
  });

  it('a 429 carries its Retry-After on the error of getJson and of a watch start', async () => {
    const s = await scripted([(_q, r) => json(r, 429, { kind: 'Status' }, { 'Retry-After': '3' })]);
    try {
      const c = new KubeClient(kubeconfigFor(s.url), { ...FAST, retries: 0 });
      await assert.rejects(c.getJson('/api/v1/secrets'), (e: unknown) => e instanceof KubeError && e.retryAfterMs === 3000);
      await assert.rejects(
        c.watch('/api/v1/secrets?watch=1', () => undefined, new AbortController().signal),
        (e: unknown) => e instanceof KubeError && e.retryAfterMs === 3000,
      );
    } finally {
      await s.close();
    }
  });
});

describe('exec credential plugins under load (client.ts)', () => {
  // A plugin that counts its runs in a file and takes 300 ms; `fail` makes it exit 1.
  function pluginConfig(server: string, dir: string, fail: boolean): KubeConfig {
    const script = path.join(dir, 'plugin.js');
    fs.writeFileSync(
      script,
      `require('fs').appendFileSync(${JSON.stringify(path.join(dir, 'runs'))}, 'x');
setTimeout(() => {
  if (${fail}) { process.stderr.write('plugin down'); process.exit(1); }
  process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential',
    status: { token: 'exec-token', expirationTimestamp: new Date(Date.now() + 60000).toISOString() } }));
}, 300);`,
    );
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server, skipTLSVerify: true }],
      users: [
        {
          name: `exec-${path.basename(dir)}`,
          exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [script] },
        },
      ],
      contexts: [{ name: 'x', cluster: 'c', user: `exec-${path.basename(dir)}` }],
      currentContext: 'x',
    });
    return kc;
  }
  const runs = (dir: string) => (fs.existsSync(path.join(dir, 'runs')) ? fs.readFileSync(path.join(dir, 'runs'), 'utf8').length : 0);

  it('five concurrent requests start the plugin once and all carry its token', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-exec-'));
    const s = await scripted([(q, r) => json(r, 200, { auth: q.headers.authorization })]);
    try {
      const c = new KubeClient(pluginConfig(s.url, dir, false), FAST);
      const answers = await Promise.all(Array.from({ length: 5 }, () => c.getJson<{ auth: string }>('/api/v1/namespaces')));
      assert.deepEqual(
        answers.map((a) => a.auth),
        Array(5).fill('Bearer exec-token'),
      );
      assert.equal(runs(dir), 1);
    } finally {
      await s.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a failing plugin fails the requests that waited for it, without a run each; a later request runs it again', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-exec-'));
    const s = await scripted([(_q, r) => json(r, 200, {})]);
    try {
      const c = new KubeClient(pluginConfig(s.url, dir, true), FAST);
      const results = await Promise.allSettled(Array.from({ length: 5 }, () => c.getJson('/api/v1/namespaces')));
      assert.ok(results.every((r) => r.status === 'rejected' && /Authentication setup failed: plugin down/.test(String(r.reason))));
      assert.equal(runs(dir), 1);
      assert.equal(s.seen.length, 0);
      await assert.rejects(c.getJson('/api/v1/namespaces'), /Authentication setup failed/);
      assert.equal(runs(dir), 2);
    } finally {
      await s.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

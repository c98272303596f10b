import * as assert from 'node:assert/strict';
import { applyObjects, commitPlan, operations, planApply, RESTARTED_AT } from '../../../src/kube/apply';
import { KubeClient, retryDelay, type RetryPolicy } from '../../../src/kube/client';
import { parseConflicts, redact, secretWords } from '../../../src/kube/errors';
import { mapBounded, summarizeResults } from '../../../src/kube/push';
import { b64 } from '../../../src/core/manifests/credentials';
import { json, kubeconfigFor, scripted } from './scripted';

const SECRET = 'pa55-W0rd-never-shown';
const FAST: RetryPolicy = { retries: 3, baseDelayMs: 5, maxDelayMs: 50, timeoutMs: 300 };

describe('credential apply: transport, conflicts, masking', () => {
  it('backoff: Retry-After wins (capped), otherwise exponential with jitter', () => {
    const p: RetryPolicy = { retries: 5, baseDelayMs: 100, maxDelayMs: 1000, timeoutMs: 1 };
    assert.equal(retryDelay(p, 0, '0.3'), 300);
    assert.equal(retryDelay(p, 0, '30'), 1000);
    assert.equal(
      retryDelay(p, 0, undefined, () => 0),
      50,
    );
    assert.equal(
      retryDelay(p, 3, undefined, () => 1),
      800,
    );
    assert.equal(
      retryDelay(p, 9, 'not-a-number', () => 1),
      1000,
    );
  });

  it('parses SSA conflicts into manager + field', () => {
    const status = {
      kind: 'Status',
      reason: 'Conflict',
      details: {
        causes: [
          { type: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using v1', field: '.data.cloud.conf' },
          { reason: 'FieldManagerConflict', message: 'conflict with "helm" using v1', field: '.metadata.labels.a' },
          { type: 'Other', message: 'x' },
        ],
      },
    };
    assert.deepEqual(parseConflicts(status), [
      { manager: 'kubectl-client-side-apply', field: '.data.cloud.conf' },
      { manager: 'helm', field: '.metadata.labels.a' },
    ]);
  });

  it('collects the values of data/stringData (raw, base64, decoded lines) to scrub from messages', () => {
    const obj = {
      metadata: { name: 'cloud-config' },
      data: { 'cloud.conf': b64(`[Global]\npassword="${SECRET}"\n`) },
      stringData: { k: SECRET },
    };
    const words = secretWords([obj]);
    const msg = redact(`bad: password="${SECRET}" ${obj.data['cloud.conf']} for cloud-config`, words);
    assert.ok(!msg.includes(SECRET) && !msg.includes(obj.data['cloud.conf']), msg);
    assert.match(msg, /for cloud-config$/);
  });

  it('retries 429 honouring Retry-After and 503, then succeeds', async () => {
    const s = await scripted([
      (_q, r) => json(r, 429, { kind: 'Status', reason: 'TooManyRequests' }, { 'Retry-After': '0.2' }),
      (_q, r) => json(r, 503, { kind: 'Status' }),
      (_q, r) => json(r, 200, { ok: true }),
    ]);
    try {
      const c = new KubeClient(kubeconfigFor(s.url), { ...FAST, maxDelayMs: 1000 });
      const res = await c.request('GET', '/api/v1/namespaces/x');
      assert.equal(res.status, 200);
      assert.equal(s.seen.length, 3);
      assert.ok(s.seen[1].at - s.seen[0].at >= 190, `waited ${s.seen[1].at - s.seen[0].at} ms after Retry-After: 0.2`);
    } finally {
      await s.close();
    }
  });

  it('retries a timeout and gives up after the budget with a clear, value-free error', async () => {
    const s = await scripted([() => undefined /* never answers */]);
    try {
      const c = new KubeClient(kubeconfigFor(s.url), { ...FAST, retries: 1, timeoutMs: 100 });
      await assert.rejects(c.request('GET', '/api/v1/x'), (e: Error) => /Cannot reach .*ETIMEDOUT/.test(e.message));
      assert.equal(s.seen.length, 2);
    } finally {
      await s.close();
    }
  });

  it('aborts during backoff', async () => {
    const s = await scripted([(_q, r) => json(r, 503, {}, { 'Retry-After': '5' })]);
    try {
      const c = new KubeClient(kubeconfigFor(s.url), { ...FAST, maxDelayMs: 5000 });
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 100);
      const started = Date.now();
      await assert.rejects(c.request('GET', '/x', { signal: ac.signal }), /Cancelled/);
      assert.ok(Date.now() - started < 2000);
    } finally {
      await s.close();
    }
  });

  it('a 409 on the dry run writes nothing and reports the conflict; a 422 never echoes values', async () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'cloud-config', namespace: 'kube-system' },
      type: 'Opaque',
      data: { 'cloud.conf': b64(SECRET) },
    };
    const conflict = await scripted([
      (_q, r) => json(r, 200, { ...secret, data: { 'cloud.conf': b64('old') } }),
      (_q, r) =>
        json(r, 409, {
          kind: 'Status',
          reason: 'Conflict',
          message: 'Apply failed with 1 conflict',
          details: {
            causes: [{ type: 'FieldManagerConflict', message: 'conflict with "kubectl-edit" using v1', field: '.data.cloud.conf' }],
          },
        }),
    ]);
    try {
      const rep = await applyObjects(new KubeClient(kubeconfigFor(conflict.url), FAST), [secret]);
      assert.equal(rep.outcome, 'conflict');
      assert.deepEqual(rep.conflicts, [{ manager: 'kubectl-edit', field: '.data.cloud.conf' }]);
      assert.deepEqual(
        conflict.seen.map((x) => x.method),
        ['GET', 'PATCH'],
      );
      assert.match(conflict.seen[1].url, /dryRun=All/);
      assert.doesNotMatch(conflict.seen[1].url, /force=/);
    } finally {
      await conflict.close();
    }
    const invalid = await scripted([
      (_q, r) => json(r, 404, { kind: 'Status', reason: 'NotFound' }),
      (_q, r) =>
        json(r, 422, {
          kind: 'Status',
          reason: 'Invalid',
          message: `Secret "cloud-config" is invalid: data: value ${SECRET} ${b64(SECRET)}`,
        }),
    ]);
    try {
      const rep = await applyObjects(new KubeClient(kubeconfigFor(invalid.url), FAST), [secret]);
      assert.equal(rep.outcome, 'failed');
      assert.ok(rep.reason && !rep.reason.includes(SECRET) && !rep.reason.includes(b64(SECRET)), rep.reason);
      assert.match(rep.reason ?? '', /422 Invalid/);
      assert.equal(invalid.seen.length, 2);
    } finally {
      await invalid.close();
    }
  });

  it('mapBounded keeps order, never exceeds the limit, and marks work not started after abort', async () => {
    let inFlight = 0;
    let peak = 0;
    const ac = new AbortController();
    const out = await mapBounded(
      Array.from({ length: 20 }, (_, i) => i),
      3,
      async (i) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        if (i === 9) ac.abort();
        return `ok${i}`;
      },
      (i) => `cancelled${i}`,
      ac.signal,
    );
    assert.equal(peak, 3);
    assert.deepEqual(
      out.slice(0, 10),
      Array.from({ length: 10 }, (_, i) => `ok${i}`),
    );
    assert.ok(
      out.slice(12).every((x) => x.startsWith('cancelled')),
      out.join(','),
    );
    assert.equal(summarizeResults([{ outcome: 'updated' }, { outcome: 'failed' }, { outcome: 'updated' }]), '2 updated, 1 failed');
  });
});

describe('write operations beyond server-side apply (apply.ts)', () => {
  const DEPLOYMENTS = { kind: 'APIResourceList', resources: [{ name: 'deployments', kind: 'Deployment', namespaced: true }] };
  const live = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'occm', namespace: 'kube-system' },
    spec: { template: { metadata: { labels: { app: 'occm' } } } },
  };

  it('restart: the pod-template annotation kubectl rollout restart sets, dry-run and commit with the same time', async () => {
    const s = await scripted([
      (_q, r) => json(r, 200, DEPLOYMENTS),
      (_q, r) => json(r, 200, live),
      (_q, r, body) =>
        json(r, 200, {
          ...live,
          spec: { template: { metadata: { labels: { app: 'occm' }, annotations: JSON.parse(body).spec.template.metadata.annotations } } },
        }),
    ]);
    try {
      const c = new KubeClient(kubeconfigFor(s.url), FAST);
      const target = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'kube-system', name: 'occm' };
      const plans = await planApply(c, [operations.restart(target)]);
      assert.equal(plans[0].action, 'restart');
      assert.deepEqual(
        plans[0].changes.map((x) => x.path),
        [`spec.template.metadata.annotations.${RESTARTED_AT}`],
      );
      const report = await commitPlan(c, plans);
      assert.equal(report.outcome, 'restarted');
      const patches = s.seen.filter((x) => x.method === 'PATCH');
      assert.equal(patches.length, 2);
      assert.match(
        patches[0].url,
        /^\/apis\/apps\/v1\/namespaces\/kube-system\/deployments\/occm\?fieldManager=cluster-stacks-vscode&dryRun=All$/,
      );
      assert.equal(patches[1].url, '/apis/apps/v1/namespaces/kube-system/deployments/occm?fieldManager=cluster-stacks-vscode');
      for (const p of patches) assert.equal(p.contentType, 'application/merge-patch+json');
      assert.equal(patches[0].body, patches[1].body, 'the write sends exactly what was dry-run');
      const at = JSON.parse(patches[1].body).spec.template.metadata.annotations[RESTARTED_AT];
      // Go's time.RFC3339 as kubectl writes it: seconds, a zone.
      assert.match(at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    } finally {
      await s.close();
    }
  });

  it('delete: an absent object is "absent" and nothing is sent; a present one is dry-run, then deleted', async () => {
    const s = await scripted([
      (_q, r) => json(r, 200, DEPLOYMENTS),
      (_q, r) => json(r, 404, { kind: 'Status', reason: 'NotFound' }),
      (_q, r) => json(r, 200, live),
      (_q, r) => json(r, 200, { kind: 'Status', status: 'Success' }),
      (_q, r) => json(r, 200, { kind: 'Status', status: 'Success' }),
    ]);
    try {
      const c = new KubeClient(kubeconfigFor(s.url), FAST);
      const target = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'kube-system', name: 'occm' };
      const absent = await applyObjects(c, [operations.delete(target)]);
      assert.deepEqual([absent.outcome, absent.objects[0].action], ['unchanged', 'absent']);
      const deleted = await applyObjects(c, [operations.delete(target)]);
      assert.deepEqual([deleted.outcome, deleted.objects[0].action], ['deleted', 'delete']);
      assert.deepEqual(
        s.seen.map((x) => `${x.method} ${x.url}`),
        [
          'GET /apis/apps/v1',
          'GET /apis/apps/v1/namespaces/kube-system/deployments/occm',
          'GET /apis/apps/v1/namespaces/kube-system/deployments/occm',
          'DELETE /apis/apps/v1/namespaces/kube-system/deployments/occm?dryRun=All',
          'DELETE /apis/apps/v1/namespaces/kube-system/deployments/occm',
        ],
      );
    } finally {
      await s.close();
    }
  });

  it('a merge patch of an object that does not exist is refused in the plan, before any write', async () => {
    const s = await scripted([(_q, r) => json(r, 200, DEPLOYMENTS), (_q, r) => json(r, 404, { kind: 'Status', reason: 'NotFound' })]);
    try {
      const c = new KubeClient(kubeconfigFor(s.url), FAST);
      const rep = await applyObjects(c, [
        operations.mergePatch({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'x', name: 'gone' }, { spec: {} }),
      ]);
      assert.equal(rep.outcome, 'failed');
      assert.equal(rep.reason, 'Deployment x/gone does not exist');
      assert.ok(s.seen.every((x) => x.method === 'GET'));
    } finally {
      await s.close();
    }
  });
});

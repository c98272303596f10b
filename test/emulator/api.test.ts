// kube-apiserver semantics of the emulator over raw HTTPS: paging, concurrency, finalizers, namespace
// termination, subresources, patches, discovery with an uninstalled CRD, and fault injection.
import { strict as assert } from 'node:assert';
import { request as httpsRequest } from 'node:https';
import { startEmulator, Emulator } from './index';
import { call, eventually } from './helpers';

const CLUSTERS = '/apis/cluster.x-k8s.io/v1beta2/namespaces/t1/clusters';

function cluster(name: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'cluster.x-k8s.io/v1beta2',
    kind: 'Cluster',
    metadata: { name, namespace: 't1', ...extra },
    spec: { topology: { classRef: { name: 'c' }, version: 'v1.33.4' } },
  };
}

describe('emulator API semantics (raw HTTPS)', function () {
  this.timeout(30_000);
  let em: Emulator;

  before(async () => {
    em = await startEmulator({ name: 'api', seed: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 't1' } }] });
  });
  after(async () => {
    await em.stop();
  });

  it('pages a list with limit/continue in key order, with remainingItemCount', async () => {
    for (let i = 0; i < 25; i++)
      em.put({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `p-${String(i).padStart(2, '0')}`, namespace: 't1', labels: { page: 'yes' } },
      });
    const names: string[] = [];
    let cont = '';
    const remaining: number[] = [];
    do {
      const r = (
        await call(
          em,
          'GET',
          `/api/v1/namespaces/t1/configmaps?labelSelector=page%3Dyes&limit=10${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`,
        )
      ).json();
      names.push(...r.items.map((i: { metadata: { name: string } }) => i.metadata.name));
      cont = r.metadata.continue ?? '';
      if (r.metadata.remainingItemCount !== undefined) remaining.push(r.metadata.remainingItemCount);
    } while (cont);
    assert.equal(names.length, 25);
    assert.deepEqual(names, [...names].sort());
    const plain = (await call(em, 'GET', '/api/v1/namespaces/t1/configmaps?limit=10')).json();
    assert.equal(plain.metadata.remainingItemCount, 15);
    em.compact();
    const gone = await call(em, 'GET', `/api/v1/namespaces/t1/configmaps?limit=10&continue=${encodeURIComponent(plain.metadata.continue)}`);
    assert.equal(gone.status, 410);
    assert.equal(gone.json().reason, 'Expired');
  });

  it('sets server metadata, drops status on create, keeps it on update, bumps generation on spec changes', async () => {
    const created = await call(em, 'POST', CLUSTERS, { ...cluster('gen'), status: { phase: 'Provisioned' } });
    assert.equal(created.status, 201);
    const c = created.json();
    assert.match(c.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.match(c.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(c.metadata.generation, 1);
    assert.equal(c.status, undefined);
    const st = await call(em, 'PUT', `${CLUSTERS}/gen/status`, { ...c, status: { phase: 'Provisioning' } });
    assert.equal(st.status, 200);
    assert.equal(st.json().metadata.generation, 1);
    const up = await call(
      em,
      'PATCH',
      `${CLUSTERS}/gen`,
      { spec: { topology: { version: 'v1.33.5' } }, status: { phase: 'Failed' } },
      { contentType: 'application/merge-patch+json' },
    );
    assert.equal(up.json().metadata.generation, 2);
    assert.equal(up.json().status.phase, 'Provisioning');
    const smp = await call(
      em,
      'PATCH',
      `${CLUSTERS}/gen`,
      { metadata: { labels: { a: 'b' } } },
      { contentType: 'application/strategic-merge-patch+json' },
    );
    assert.equal(smp.status, 415);
    assert.equal(
      smp.json().message,
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    );
    // The registry names the resource, not the kind, here (kubernetes/apiserver@v0.32.0
    // pkg/registry/generic/registry/store.go:724-729).
    const noRv = await call(em, 'PUT', `${CLUSTERS}/gen`, cluster('gen'));
    assert.equal(noRv.status, 422);
    assert.equal(
      noRv.json().message,
      'clusters.cluster.x-k8s.io "gen" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
    );
    assert.equal(noRv.json().details.kind, 'clusters');
  });

  it('serves objects as written from both CAPI versions (no conversion)', async () => {
    em.put({
      apiVersion: 'cluster.x-k8s.io/v1beta1',
      kind: 'Cluster',
      metadata: { name: 'old', namespace: 't1' },
      spec: { topology: { class: 'openstack-scs-1-32-v1', version: 'v1.32.5' } },
    });
    for (const v of ['v1beta1', 'v1beta2']) {
      const r = (await call(em, 'GET', `/apis/cluster.x-k8s.io/${v}/namespaces/t1/clusters/old`)).json();
      assert.equal(r.apiVersion, 'cluster.x-k8s.io/v1beta1');
      assert.equal(r.spec.topology.class, 'openstack-scs-1-32-v1');
    }
  });

  it('folds Secret stringData into base64 data, and rejects invalid names with the real message', async () => {
    const r = await call(em, 'POST', '/api/v1/namespaces/t1/secrets', {
      metadata: { name: 'sd' },
      stringData: { 'clouds.yaml': 'clouds: {}' },
      data: { other: 'eA==' },
    });
    assert.equal(r.status, 201);
    assert.deepEqual(r.json().data, { other: 'eA==', 'clouds.yaml': Buffer.from('clouds: {}').toString('base64') });
    assert.equal(r.json().stringData, undefined);
    const bad = await call(em, 'POST', '/api/v1/namespaces/t1/secrets', { metadata: { name: 'Bad_Name' } });
    assert.equal(bad.status, 422);
    assert.match(
      bad.json().message,
      /^Secret "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of/,
    );
    const nsMissing = await call(em, 'POST', '/api/v1/namespaces/nope/secrets', { metadata: { name: 'x' } });
    assert.equal(nsMissing.status, 404);
    assert.equal(nsMissing.json().message, 'namespaces "nope" not found');
  });

  it('dryRun=All validates and answers but stores nothing', async () => {
    const rv = em.resourceVersion;
    const r = await call(em, 'POST', `${CLUSTERS}?dryRun=All`, cluster('dry'));
    assert.equal(r.status, 201);
    assert.equal(r.json().metadata.name, 'dry');
    assert.equal(em.get('cluster.x-k8s.io/v1beta2', 'Cluster', 't1', 'dry'), undefined);
    em.put(cluster('keep'));
    const before = em.resourceVersion;
    assert.equal((await call(em, 'DELETE', `${CLUSTERS}/keep?dryRun=All`)).status, 200);
    assert.ok(em.get('cluster.x-k8s.io/v1beta2', 'Cluster', 't1', 'keep'));
    assert.equal(em.resourceVersion, before);
    assert.notEqual(rv, before);
  });

  it('delete with finalizers marks deletionTimestamp; removing the last finalizer deletes', async () => {
    em.put(cluster('fin', { finalizers: ['cluster.cluster.x-k8s.io'] }));
    const d = await call(em, 'DELETE', `${CLUSTERS}/fin`);
    assert.equal(d.status, 200);
    assert.ok(d.json().metadata.deletionTimestamp);
    assert.ok(em.get('cluster.x-k8s.io/v1beta2', 'Cluster', 't1', 'fin')?.metadata.deletionTimestamp);
    const p = await call(
      em,
      'PATCH',
      `${CLUSTERS}/fin`,
      { metadata: { finalizers: null } },
      { contentType: 'application/merge-patch+json' },
    );
    assert.equal(p.status, 200);
    assert.equal(em.get('cluster.x-k8s.io/v1beta2', 'Cluster', 't1', 'fin'), undefined);
    const s = await call(em, 'DELETE', '/api/v1/namespaces/t1/secrets/sd');
    assert.deepEqual(s.json().details, { name: 'sd', kind: 'secrets', uid: s.json().details.uid });
    assert.equal(s.json().status, 'Success');
  });

  it('a deleted namespace goes Terminating, refuses new content, waits for finalizers, then disappears', async () => {
    em.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
    em.put({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'doomed' } });
    em.put({
      ...cluster('held', { finalizers: ['cluster.cluster.x-k8s.io'] }),
      metadata: { name: 'held', namespace: 'doomed', finalizers: ['cluster.cluster.x-k8s.io'] },
    });
    const d = await call(em, 'DELETE', '/api/v1/namespaces/doomed');
    assert.equal(d.json().status.phase, 'Terminating');
    await eventually(() => !em.get('v1', 'Secret', 'doomed', 's'), 2000, 'the secret to go');
    const refused = await call(em, 'POST', '/api/v1/namespaces/doomed/configmaps', { metadata: { name: 'x' } });
    assert.equal(refused.status, 403);
    assert.equal(
      refused.json().message,
      'configmaps "x" is forbidden: unable to create new content in namespace doomed because it is being terminated',
    );
    const held = em.get('cluster.x-k8s.io/v1beta2', 'Cluster', 'doomed', 'held');
    assert.ok(held?.metadata.deletionTimestamp);
    assert.ok(em.get('v1', 'Namespace', undefined, 'doomed'));
    em.put({ ...held, metadata: { ...held?.metadata, finalizers: [] } });
    await eventually(() => !em.get('v1', 'Namespace', undefined, 'doomed'), 2000, 'namespace removal');
  });

  it('answers kubectl-style Table requests', async () => {
    em.put({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'tbl', namespace: 't1' },
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': '', 'tls.key': '' },
    });
    const r = (
      await call(em, 'GET', '/api/v1/namespaces/t1/secrets/tbl', undefined, {
        accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
      })
    ).json();
    assert.equal(r.kind, 'Table');
    assert.deepEqual(
      r.columnDefinitions.map((c: { name: string }) => c.name),
      ['Name', 'Type', 'Data', 'Age'],
    );
    assert.deepEqual(r.rows[0].cells.slice(0, 3), ['tbl', 'kubernetes.io/tls', 2]);
    assert.equal(r.rows[0].object.kind, 'PartialObjectMetadata');
  });

  it('watch honours timeoutSeconds and field selectors', async () => {
    const started = Date.now();
    const events: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const req = httpsRequest(
        `${em.url}/api/v1/namespaces/t1/configmaps?watch=true&timeoutSeconds=1&fieldSelector=metadata.name%3Dp-03`,
        { ca: em.caPem, headers: { Authorization: `Bearer ${em.token}` } },
        (res) => {
          res.on('data', (c: Buffer) =>
            events.push(
              ...c
                .toString()
                .trim()
                .split('\n')
                .map((l) => JSON.parse(l).object.metadata.name),
            ),
          );
          res.on('end', resolve);
        },
      );
      req.on('error', reject);
      req.end();
    });
    assert.deepEqual(events, ['p-03']);
    assert.ok(Date.now() - started >= 900);
  });

  it('leaves an uninstalled CRD out of discovery and answers 404 on its paths', async () => {
    const bare = await startEmulator({ name: 'bare', uninstalledCrds: ['clusterstacks.clusterstack.x-k8s.io'] });
    try {
      const rl = (await call(bare, 'GET', '/apis/clusterstack.x-k8s.io/v1alpha1')).json();
      assert.deepEqual(rl.resources.map((r: { name: string }) => r.name).sort(), [
        'clusteraddons',
        'clusteraddons/status',
        'clusterstackreleases',
        'clusterstackreleases/status',
      ]);
      const nf = await call(bare, 'GET', '/apis/clusterstack.x-k8s.io/v1alpha1/namespaces/default/clusterstacks');
      assert.equal(nf.status, 404);
      assert.equal(nf.json().message, 'the server could not find the requested resource');
      const crd = await call(bare, 'GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/clusterstacks.clusterstack.x-k8s.io');
      assert.equal(crd.status, 404);
      assert.equal(
        (await call(bare, 'GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/clusters.cluster.x-k8s.io')).status,
        200,
      );
    } finally {
      await bare.stop();
    }
  });

  it('forgets watch history beyond its window: resuming from before it is 410 Gone', async () => {
    const small = await startEmulator({ name: 'small', historyLimit: 8 });
    try {
      const start = small.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c0', namespace: 'default' } });
      const recent = (path: string) =>
        call(small, 'GET', path).then((r) =>
          r.text
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l)),
        );
      for (let i = 1; i <= 4; i++) small.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}`, namespace: 'default' } });
      const ok = await recent(`/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=1&resourceVersion=${start}`);
      assert.deepEqual(
        ok.map((e) => `${e.type} ${e.object.metadata.name}`),
        ['ADDED c1', 'ADDED c2', 'ADDED c3', 'ADDED c4'],
      );
      for (let i = 5; i <= 20; i++) small.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}`, namespace: 'default' } });
      const gone = await recent(`/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${start}`);
      assert.equal(gone.length, 1);
      assert.deepEqual([gone[0].type, gone[0].object.code, gone[0].object.reason], ['ERROR', 410, 'Expired']);
    } finally {
      await small.stop();
    }
  });

  it('rejects requests without a valid bearer token (401 Unauthorized)', async () => {
    const r = await call(em, 'GET', '/api/v1/namespaces', undefined, { token: 'wrong' });
    assert.equal(r.status, 401);
    assert.equal(r.json().reason, 'Unauthorized');
  });

  describe('faults', () => {
    afterEach(() => em.faults.clear());

    it('429 with Retry-After, 500 InternalError, dropped connections and latency', async () => {
      em.faults.set({ rate429: 1, retryAfterSeconds: 3 });
      const t = await call(em, 'GET', '/api/v1/namespaces');
      assert.equal(t.status, 429);
      assert.equal(t.headers['retry-after'], '3');
      assert.deepEqual([t.json().reason, t.json().details.retryAfterSeconds], ['TooManyRequests', 3]);
      em.faults.set({ rate500: 1 });
      assert.equal((await call(em, 'GET', '/api/v1/namespaces')).json().reason, 'InternalError');
      em.faults.set({ rateDrop: 1 });
      await assert.rejects(call(em, 'GET', '/api/v1/namespaces'), /socket hang up|ECONNRESET/);
      em.faults.set({ latencyMs: 300 });
      const start = Date.now();
      assert.equal((await call(em, 'GET', '/api/v1/namespaces')).status, 200);
      assert.ok(Date.now() - start >= 290);
      em.faults.set({ rate500: 0.5, seed: 7 });
      const codes = [];
      for (let i = 0; i < 40; i++) codes.push((await call(em, 'GET', '/version')).status);
      const fails = codes.filter((c) => c === 500).length;
      assert.ok(fails > 5 && fails < 35, `about half failed (${fails}/40)`);
    });

    it('latency spikes, lost answers of writes that were carried out, and request records with user and Retry-After', async () => {
      em.resetRequests();
      em.faults.set({ latencySpikeRate: 1, latencySpikeMs: 300 });
      const start = Date.now();
      assert.equal((await call(em, 'GET', '/version')).status, 200);
      assert.ok(Date.now() - start >= 290);
      em.faults.set({ rateLoseResponse: 1 });
      const lostCm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'answer-lost', namespace: 't1' } };
      await assert.rejects(call(em, 'POST', '/api/v1/namespaces/t1/configmaps', lostCm), /socket hang up|ECONNRESET/);
      assert.equal(
        (await call(em, 'GET', '/api/v1/namespaces/t1/configmaps/answer-lost')).status,
        200,
        'reads are answered, the write was made',
      );
      em.faults.set({ rate429: 1, retryAfterSeconds: 2 });
      assert.equal((await call(em, 'GET', '/api/v1/namespaces')).status, 429);
      const recs = em.requests.map((r) => [r.method, r.path, r.status, r.user, r.retryAfter, r.lost ?? false]);
      assert.deepEqual(recs, [
        ['GET', '/version', 200, 'kubernetes-admin', undefined, false],
        ['POST', '/api/v1/namespaces/t1/configmaps', 0, 'kubernetes-admin', undefined, true],
        ['GET', '/api/v1/namespaces/t1/configmaps/answer-lost', 200, 'kubernetes-admin', undefined, false],
        ['GET', '/api/v1/namespaces', 429, 'kubernetes-admin', 2, false],
      ]);
      assert.ok(em.requests.every((r) => Math.abs(r.at - Date.now()) < 60_000));
    });

    it('observe() sees every committed write; restart({ compact }) answers older watches with 410 Gone', async () => {
      const seen: string[] = [];
      const stop = em.observe((ev) => ev.kind === 'ConfigMap' && seen.push(`${ev.type} ${ev.object.metadata.name}`));
      const created = await call(em, 'POST', '/api/v1/namespaces/t1/configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'observed', namespace: 't1' },
      });
      assert.equal(created.status, 201);
      await call(em, 'DELETE', '/api/v1/namespaces/t1/configmaps/observed');
      stop();
      em.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'unobserved', namespace: 't1' } });
      assert.deepEqual(seen, ['ADDED observed', 'DELETED observed']);
      const rv = created.json().metadata.resourceVersion;
      const watchFrom = async () =>
        (await call(em, 'GET', `/api/v1/namespaces/t1/configmaps?watch=true&resourceVersion=${rv}&timeoutSeconds=1`)).text;
      await em.restart();
      assert.doesNotMatch(await watchFrom(), /"code":410/, 'a plain restart keeps the history');
      await em.restart({ compact: true });
      assert.match(await watchFrom(), /"type":"ERROR".*"code":410/);
    });

    it('cuts watch streams after N events', async () => {
      em.faults.set({ watchCutAfterEvents: 2 });
      const got: string[] = [];
      const outcome = await new Promise<string>((resolve) => {
        const req = httpsRequest(
          `${em.url}/api/v1/namespaces/t1/configmaps?watch=true&labelSelector=page%3Dyes`,
          { ca: em.caPem, headers: { Authorization: `Bearer ${em.token}` } },
          (res) => {
            res.on('data', (c: Buffer) => got.push(...c.toString().trim().split('\n')));
            res.on('error', () => resolve('cut'));
            res.on('aborted', () => resolve('cut'));
            res.on('end', () => resolve('ended'));
          },
        );
        req.on('error', () => resolve('cut'));
        req.end();
      });
      assert.equal(outcome, 'cut');
      assert.equal(got.length, 2);
    });

    it('restart keeps port, CA and objects; goAway drops the server for a while', async () => {
      em.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'survivor', namespace: 't1' } });
      const { port, caPem } = em;
      await em.restart();
      assert.equal(em.port, port);
      assert.equal(em.caPem, caPem);
      assert.equal((await call(em, 'GET', '/api/v1/namespaces/t1/configmaps/survivor')).status, 200);
      const away = em.goAway(400);
      await eventually(() => !em.listening, 1000, 'the server to go away');
      await assert.rejects(call(em, 'GET', '/version'), /ECONNREFUSED/);
      await away;
      assert.equal((await call(em, 'GET', '/version')).status, 200);
    });
  });
});

// python3-kubernetes (Debian's package, client 22.6) as a third peer client next to kubectl and
// client-node: test/emulator/python/peer.py drives the emulator through the client's typed, watch and
// dynamic APIs and reports what it got back (or the ApiException it raised); the assertions compare that
// with what the emulator stored and with the requests it saw.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { startEmulator, Emulator } from './index';

const PEER = join(__dirname, 'python', 'peer.py');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Report = Record<string, any>;

function runPeer(kubeconfig: string, namespace: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('/usr/bin/python3', [PEER, kubeconfig, namespace], { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) || 1 : 0, stdout, stderr });
    });
  });
}

describe('emulator with python3-kubernetes as the client', function () {
  this.timeout(90_000);
  let em: Emulator;
  let report: Report;
  const NS = 'py';

  before(async () => {
    em = await startEmulator({ name: 'python', seed: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }] });
    const r = await runPeer(em.kubeconfigPath, NS);
    assert.equal(r.code, 0, `peer.py failed:\n${r.stderr}`);
    report = JSON.parse(r.stdout);
  });
  after(async () => {
    await em?.stop();
  });

  it('creates and lists with a label selector; the list carries the resourceVersion the watch resumes from', () => {
    assert.equal(report.create.ok, report.list.resourceVersion);
    assert.deepEqual(report.list.names, ['py-one']);
  });

  it('watches with watch=True (as the client sends it): one watch request, the events of the writes made meanwhile', () => {
    assert.deepEqual(report.watch, [
      ['MODIFIED', 'py-one'],
      ['ADDED', 'py-two'],
    ]);
    // One list and one watch: a server that answered `watch=True` with a list would make the client re-request.
    assert.equal(em.requestCount.get(`GET /api/v1/namespaces/${NS}/configmaps`), 2);
    assert.equal(em.get('v1', 'ConfigMap', NS, 'py-one')?.data.a, '2');
  });

  it('raises ApiException with the HTTP status, its reason phrase and the real Status body', () => {
    assert.deepEqual(
      [report.alreadyExists.error.status, report.alreadyExists.error.reason, report.alreadyExists.error.body.reason],
      [409, 'Conflict', 'AlreadyExists'],
    );
    assert.equal(report.notFound.error.body.message, 'configmaps "py-missing" not found');
    const bad = report.badLabel.error;
    assert.deepEqual([bad.status, bad.reason, bad.body.reason], [422, 'Unprocessable Entity', 'Invalid']);
    assert.deepEqual(
      bad.body.details.causes.map((c: Report) => [c.reason, c.field]),
      [['FieldValueInvalid', 'metadata.labels']],
    );
    assert.match(bad.body.message, /^ConfigMap "py-bad" is invalid: metadata\.labels: Invalid value: "bad key": name part must consist of/);
    assert.equal(em.get('v1', 'ConfigMap', NS, 'py-bad'), undefined);
    const big = report.tooLarge.error;
    assert.deepEqual(
      [big.status, big.body.reason, big.body.message],
      [413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'],
    );
  });

  it('unknown fields: the default directive (Warn) stores without them and warns; Strict is a 400 and stores nothing', () => {
    assert.equal(report.unknownWarn.status, 201);
    assert.equal(report.unknownWarn.warning, '299 - "unknown field \\"spec\\""');
    const stored = em.get('v1', 'ConfigMap', NS, 'py-warn');
    assert.ok(stored);
    assert.equal(stored.spec, undefined);
    const strict = report.unknownStrict.error;
    assert.equal(strict.status, 400);
    assert.equal(
      strict.body.message,
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "spec"',
    );
    assert.equal(em.get('v1', 'ConfigMap', NS, 'py-strict'), undefined);
  });

  it('server-side apply through the dynamic client: field manager, conflict, force=True, undeclared fields', () => {
    assert.equal(report.apply.ok, 'python-peer');
    const conflict = report.applyConflict.error;
    assert.equal(conflict.status, 409);
    assert.equal(conflict.body.message, 'Apply failed with 1 conflict: conflict with "python-peer": .data.k');
    // The dynamic client sends force=True: a true boolean for the server like any spelling but "0"/"false".
    assert.equal(report.applyForce.ok, 'theirs');
    assert.equal(em.get('v1', 'ConfigMap', NS, 'py-ssa')?.data.k, 'theirs');
    const unknown = report.applyUnknown.error;
    assert.equal(unknown.status, 500);
    assert.equal(
      unknown.body.message,
      `failed to create typed patch object (${NS}/py-ssa; /v1, Kind=ConfigMap): .spec: field not declared in schema`,
    );
  });

  it('deletes with a DeleteOptions body', () => {
    assert.equal(report.delete.ok, 'Success');
    assert.equal(em.get('v1', 'ConfigMap', NS, 'py-two'), undefined);
  });
});

// The rotation state machine (src/core/capi/rotation.ts): the order of the steps, what an
// interruption at each step leads to, the record's validation, that it never holds a secret, the
// alternating credential names of the SCS scripts, and the one-third expiry rule.
import * as assert from 'node:assert/strict';
import * as yaml from 'js-yaml';
import { summarizeSecret } from '../../../../src/core/capi/tenants';
import { withAppCredential } from '../../../../src/core/manifests/credentials';
import {
  advance,
  canRollBack,
  expiryState,
  inProgress,
  nextAction,
  nextCredentialName,
  readRecord,
  ROTATION_ANNOTATION,
  ROTATION_STEPS,
  startRecord,
  stopped,
  writeRecord,
  type RotationRecord,
} from '../../../../src/core/capi/rotation';

const T0 = new Date('2026-01-01T00:00:00Z');
const at = (min: number) => new Date(T0.getTime() + min * 60_000);
const NEW = { id: 'new-id', name: 'tenant-AppCred2', createdAt: at(1).toISOString(), expiresAt: '2026-07-01T00:00:00' };

function fullRun(): RotationRecord[] {
  const r0 = startRecord({
    old: { id: 'old-id', name: 'tenant-AppCred1' },
    newName: 'tenant-AppCred2',
    clusters: ['a', 'b', 'c'],
    now: T0,
  });
  const r1 = advance(r0, 'tenant-updated', at(1), { new: NEW });
  const r2 = advance(r1, 'delivered', at(2));
  const r3 = advance(r2, 'restarted', at(3));
  const r4 = advance(r3, 'old-deleted', at(4));
  const r5 = advance(r4, 'done', at(5));
  return [r0, r1, r2, r3, r4, r5];
}

describe('rotation state machine', () => {
  it('goes through the steps in order; a record read back from its annotation gives the same next action', () => {
    const records = fullRun();
    assert.deepEqual(
      records.map((r) => r.step),
      [...ROTATION_STEPS],
    );
    const actions = records.map((r) => nextAction(readRecord(writeRecord(r)) as RotationRecord).kind);
    assert.deepEqual(actions, ['create', 'deliver', 'restart', 'delete-old', 'confirm-revoked', 'none']);
    assert.equal(nextAction(undefined).kind, 'create');
    assert.deepEqual(records.map(inProgress), [true, true, true, true, true, false]);
  });

  it('interrupted at creating: the credential Keystone may hold under the new name is discarded, then created anew', () => {
    const [r0] = fullRun();
    assert.deepEqual(nextAction(r0), { kind: 'create', discardNamed: 'tenant-AppCred2' });
    assert.equal(canRollBack(r0), true);
  });

  it('from tenant-updated on: only forward (the old credential stays valid until old-deleted)', () => {
    for (const r of fullRun().slice(1)) assert.equal(canRollBack(r), false, r.step);
  });

  it('refuses to skip a step or to go back, and tenant-updated needs the new credential', () => {
    const [r0, r1, r2] = fullRun();
    assert.throws(() => advance(r0, 'delivered', at(1)), /cannot go from creating to delivered/);
    assert.throws(() => advance(r2, 'tenant-updated', at(3), { new: NEW }), /cannot go from delivered to tenant-updated/);
    assert.throws(() => advance(r0, 'tenant-updated', at(1)), /needs the new credential/);
    assert.throws(() => advance(r1, 'restarted', at(2)), /cannot go/);
  });

  it('a failed delivery stays at its step with the clusters and reasons; the next step clears them', () => {
    const [, r1] = fullRun();
    const s = stopped(r1, [{ cluster: 'b', reason: 'Cannot reach the cluster' }], at(2));
    assert.equal(s.step, 'tenant-updated');
    assert.deepEqual(s.failed, [{ cluster: 'b', reason: 'Cannot reach the cluster' }]);
    assert.equal(nextAction(s).kind, 'deliver', 'resuming retries the delivery');
    assert.equal(advance(s, 'delivered', at(3)).failed, undefined);
  });

  it('keeps the new credential’s creation time after done (Keystone does not store it)', () => {
    const done = fullRun()[5];
    assert.equal(done.new?.createdAt, NEW.createdAt);
    assert.equal(done.old.id, 'old-id');
  });

  it('the record holds ids, names, times, steps and cluster names only', () => {
    const allowed = new Set([
      'version',
      'step',
      'startedAt',
      'updatedAt',
      'old',
      'newName',
      'new',
      'clusters',
      'failed',
      'id',
      'name',
      'createdAt',
      'expiresAt',
      'cluster',
      'reason',
    ]);
    const keys = (v: unknown): string[] =>
      v && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => (Array.isArray(v) ? keys(x) : [k, ...keys(x)])) : [];
    for (const r of fullRun()) for (const k of keys(r)) assert.ok(allowed.has(k), `unexpected key ${k}`);
  });

  it('reads back a located error for a broken record, undefined for none', () => {
    assert.equal(readRecord({}), undefined);
    assert.deepEqual(readRecord({ [ROTATION_ANNOTATION]: '{' }), { error: `annotation ${ROTATION_ANNOTATION} is not JSON` });
    assert.match(
      (readRecord({ [ROTATION_ANNOTATION]: '{"version":2,"step":"done"}' }) as { error: string }).error,
      /no known version and step/,
    );
    const bad = { ...fullRun()[2], new: undefined };
    assert.match(
      (readRecord(writeRecord(bad as RotationRecord)) as { error: string }).error,
      /at step delivered without the new credential/,
    );
  });
});

describe('credential names (SCS alternates …-AppCred1 and …-AppCred2)', () => {
  it('alternates 1 and 2, counts other numbers up, adds -2 to names without one, skips taken names', () => {
    assert.equal(nextCredentialName('tenant-AppCred1'), 'tenant-AppCred2');
    assert.equal(nextCredentialName('tenant-AppCred2'), 'tenant-AppCred1');
    assert.equal(nextCredentialName('cred-7'), 'cred-8');
    assert.equal(nextCredentialName('capi'), 'capi-2');
    assert.equal(nextCredentialName('tenant-AppCred1', ['tenant-AppCred2']), 'tenant-AppCred3');
  });
});

describe('expiry: less than a third of the lifetime left', () => {
  const created = '2026-01-01T00:00:00';
  const expires = '2026-04-01T00:00:00'; // 90 days
  it('with a recorded creation time: soon after two thirds of the lifetime', () => {
    assert.equal(expiryState(expires, created, new Date('2026-02-28T00:00:00Z'))?.soon, false); // 31 days left of 90
    assert.equal(expiryState(expires, created, new Date('2026-03-03T00:00:00Z'))?.soon, true); // 29 days left
    assert.equal(expiryState(expires, created, new Date('2026-03-03T00:00:00Z'))?.lifetimeMs, 90 * 86_400_000);
  });
  it('without one: soon within 30 days; expired is soon; never expiring is no state', () => {
    assert.equal(expiryState(expires, undefined, new Date('2026-02-28T00:00:00Z'))?.soon, false);
    assert.equal(expiryState(expires, undefined, new Date('2026-03-03T00:00:00Z'))?.soon, true);
    const gone = expiryState(expires, created, new Date('2026-05-01T00:00:00Z'));
    assert.deepEqual([gone?.soon, gone?.expired], [true, true]);
    assert.equal(expiryState(null, created, T0), undefined);
  });
});

describe('rotation payloads and the tree summary', () => {
  const payload = {
    'clouds.yaml':
      'clouds:\n  t:\n    auth_type: "v3applicationcredential"\n    region_name: "R"\n    auth:\n      auth_url: "https://k/v3"\n      application_credential_name: "old"\n      application_credential_id: "old-id"\n      application_credential_secret: "old-secret"\n',
    cloudName: 't',
  };

  it('withAppCredential replaces id and secret, drops the name, keeps the rest; refuses a password cloud', () => {
    const r = withAppCredential(payload, 'new-id', 'new ; # " secret');
    assert.ok(r.ok);
    const doc = yaml.load(r.payload['clouds.yaml']) as { clouds: { t: Record<string, unknown> & { auth: Record<string, string> } } };
    assert.deepEqual(doc.clouds.t.auth, {
      auth_url: 'https://k/v3',
      application_credential_id: 'new-id',
      application_credential_secret: 'new ; # " secret',
    });
    assert.equal(doc.clouds.t.region_name, 'R');
    const pw = withAppCredential({ 'clouds.yaml': 'clouds:\n  t:\n    auth:\n      password: p\n', cloudName: 't' }, 'x', 'y');
    assert.deepEqual(pw, { ok: false, reason: 'cloud "t" does not use an application credential (auth_type unset)' });
  });

  it('the tree summary keeps a valid record (no values) and drops a broken one', () => {
    const rec = fullRun()[5];
    const s = summarizeSecret({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'openstack', annotations: writeRecord(rec) },
      data: { 'clouds.yaml': 'eA==' },
    });
    assert.deepEqual(s.rotation, rec);
    assert.ok(!JSON.stringify(s).includes('eA=='), 'no data value');
    const broken = summarizeSecret({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'x', annotations: { [ROTATION_ANNOTATION]: '{' } },
    });
    assert.equal(broken.rotation, undefined);
  });
});

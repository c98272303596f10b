// The Keystone operations of a credential rotation (src/openstack appcred.ts) against a real
// Keystone. What they claim is checked with the harness's own Keystone calls (test/keystone/api.ts),
// not with the code under test: the new credential authenticates, has the roles and expiry asked
// for, is listed, and after the delete Keystone refuses it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { inspect } from 'node:util';
import { convertCloud } from '../../src/core/clouds';
import {
  cloudFromConversion,
  confirmRevoked,
  createApplicationCredential,
  deleteApplicationCredential,
  listApplicationCredentials,
  verifyCredential,
  type OpenStackCloud,
} from '../../src/openstack';
import type { CreatedAppCred, Ref, UserLogin } from '../keystone/api';
import type { Keystone } from '../keystone/harness';
import { sharedKeystone, tempDir, writeClouds } from './keystone';

const PASSWORD = 'rot ; # " \\ = é\tpw';

describe('application credential rotation against a real Keystone', function () {
  this.timeout(300_000); // the before hook may start Keystone (bounded at 180 s) on a loaded machine
  let ks: Keystone;
  let dir: string;
  let project: Ref;
  let user: Ref & UserLogin;
  let unrestricted: CreatedAppCred;
  let restricted: CreatedAppCred;
  const outputs: string[] = [];
  const secrets: string[] = [PASSWORD];

  before(async () => {
    ks = await sharedKeystone();
    dir = tempDir();
    const api = ks.api;
    await api.catalogForRegion(ks.region);
    project = await api.createProject('rotation-tenant');
    user = await api.createUser('rotation-user', PASSWORD);
    await api.grant(user.id, project.id);
    await api.grant(user.id, project.id, 'admin'); // a role the credentials below do not all carry
    unrestricted = await api.createApplicationCredential(user, project.id, { name: 'cred-1', unrestricted: true, roles: ['member'] });
    restricted = await api.createApplicationCredential(user, project.id, { name: 'restricted-1', roles: ['member', 'reader'] });
    secrets.push(unrestricted.secret, restricted.secret);
  });

  function cloudOf(auth: Record<string, string>): OpenStackCloud {
    const file = writeClouds(dir, {
      auth: { auth_url: ks.url, ...auth },
      region_name: ks.region,
      auth_type: 'application_credential_id' in auth ? 'v3applicationcredential' : 'password',
    });
    const converted = convertCloud({ clouds: { path: file, text: fs.readFileSync(file, 'utf8') } }, 'test');
    assert.ok(converted.ok);
    return cloudFromConversion(converted);
  }
  const byId = (a: { id: string; secret: string }) => cloudOf({ application_credential_id: a.id, application_credential_secret: a.secret });
  /** Everything an operation returned, as a caller would log or show it. */
  const seen = (v: unknown) => {
    outputs.push(JSON.stringify(v), inspect(v, { depth: 10 }), String(v));
    return v;
  };

  it('round trip from an unrestricted application credential: create (same roles, chosen expiry) → verify → delete the old → the old is refused', async () => {
    const expiresAt = new Date(Date.now() + 30 * 86_400_000);
    const old = byId(unrestricted);
    const created = seen(await createApplicationCredential(old, { name: 'cred-2', expiresAt, description: 'rotated' })) as Awaited<
      ReturnType<typeof createApplicationCredential>
    >;
    assert.ok(created.ok, JSON.stringify(created));
    secrets.push(created.secret.reveal());
    assert.deepEqual(created.credential.roles, ['member']);
    assert.equal(created.credential.restricted, false, 'stays unrestricted, so the next rotation can run from it');
    assert.equal(created.credential.expiresAt, `${expiresAt.toISOString().slice(0, -1)}000`);
    assert.equal(created.credential.userId, user.id);
    assert.equal(created.credential.projectId, project.id);
    // Keystone's own word on the new credential:
    const probe = await ks.api.appCredAuthenticates(created.credential.id, created.secret.reveal());
    assert.equal(probe.status, 201);
    const listed = await ks.api.listApplicationCredentials(user, project.id);
    const record = listed.find((a) => a.id === created.credential.id);
    assert.equal(record?.name, 'cred-2');
    // verify through the new cloud, as the rotation does before switching over
    const verified = seen(await verifyCredential(created.cloud)) as Awaited<ReturnType<typeof verifyCredential>>;
    assert.ok(verified.ok, JSON.stringify(verified));
    assert.equal(verified.identity.applicationCredential?.id, created.credential.id);
    assert.equal(verified.identity.project?.id, project.id);

    const deleted = seen(await deleteApplicationCredential(created.cloud, unrestricted.id));
    assert.deepEqual(deleted, { ok: true, id: unrestricted.id });
    assert.equal((await ks.api.appCredAuthenticates(unrestricted.id, unrestricted.secret)).status, 404);
    const revoked = seen(await confirmRevoked(old));
    assert.deepEqual(revoked, { ok: true, revoked: true, status: 404 });
    const still = await confirmRevoked(created.cloud);
    assert.deepEqual(still, { ok: true, revoked: false });
  });

  it('a restricted application credential may not create one: needs-password; with the user’s password it can, and a wrong password is Keystone’s 401', async () => {
    const cloud = byId(restricted);
    const refused = seen(await createApplicationCredential(cloud, { name: 'restricted-2' }));
    assert.deepEqual((refused as { ok: boolean }).ok, false);
    assert.equal((refused as { problem: { code: string } }).problem.code, 'needs-password');
    const wrong = (await createApplicationCredential(cloud, { name: 'restricted-2', password: 'not-the-password' })) as {
      ok: false;
      problem: { code: string; status?: number };
    };
    assert.equal(wrong.ok, false);
    assert.deepEqual([wrong.problem.code, wrong.problem.status], ['unauthorized', 401]);
    const created = seen(
      await createApplicationCredential(cloud, { name: 'restricted-2', password: PASSWORD, expiresAt: '2098-06-30T12:00:00' }),
    ) as Awaited<ReturnType<typeof createApplicationCredential>>;
    assert.ok(created.ok, JSON.stringify(created));
    secrets.push(created.secret.reveal());
    assert.deepEqual(
      [...created.credential.roles!].sort(),
      ['member', 'reader'],
      'the restricted credential’s roles, not the user’s (admin)',
    );
    assert.equal(created.credential.restricted, true);
    assert.equal(created.credential.expiresAt, '2098-06-30T12:00:00.000000');
    assert.equal((await ks.api.appCredAuthenticates(created.credential.id, created.secret.reveal())).status, 201);

    const noDelete = (await deleteApplicationCredential(created.cloud, restricted.id)) as { ok: boolean; problem?: { code: string } };
    assert.equal(noDelete.problem?.code, 'needs-password');
    assert.equal((await ks.api.appCredAuthenticates(restricted.id, restricted.secret)).status, 201, 'nothing was deleted');
    assert.deepEqual(await deleteApplicationCredential(created.cloud, restricted.id, { password: PASSWORD }), {
      ok: true,
      id: restricted.id,
    });
    assert.equal((await ks.api.appCredAuthenticates(restricted.id, restricted.secret)).status, 404);
  });

  it('from a password credential: no extra password needed; the roles of the token', async () => {
    const cloud = cloudOf({ user_id: user.id, password: PASSWORD, project_id: project.id });
    const created = seen(await createApplicationCredential(cloud, { name: 'from-password' })) as Awaited<
      ReturnType<typeof createApplicationCredential>
    >;
    assert.ok(created.ok, JSON.stringify(created));
    secrets.push(created.secret.reveal());
    assert.deepEqual([...created.credential.roles!].sort(), ['admin', 'member', 'reader']);
    assert.equal(created.credential.expiresAt, null);
    assert.equal((await ks.api.appCredAuthenticates(created.credential.id, created.secret.reveal())).status, 201);
  });

  it('lists the user’s application credentials without secrets, also from a restricted one', async () => {
    const from = await ks.api.createApplicationCredential(user, project.id, { name: 'lister', roles: ['reader'] });
    secrets.push(from.secret);
    const listed = seen(await listApplicationCredentials(byId(from))) as Awaited<ReturnType<typeof listApplicationCredentials>>;
    assert.ok(listed.ok, JSON.stringify(listed));
    const oracle = await ks.api.listApplicationCredentials(user, project.id);
    assert.deepEqual(listed.credentials.map((c) => c.id).sort(), oracle.map((c) => c.id).sort());
    assert.ok(listed.credentials.some((c) => c.name === 'lister' && c.restricted));
    assert.equal(listed.userId, user.id);
  });

  it('Keystone’s refusals come back typed with its message: an expiry in the past, a duplicate name, a wrong secret', async () => {
    const cloud = cloudOf({ user_id: user.id, password: PASSWORD, project_id: project.id });
    const past = (await createApplicationCredential(cloud, { name: 'past', expiresAt: '2001-01-01T00:00:00' })) as {
      ok: false;
      problem: { code: string; message: string };
    };
    assert.equal(past.problem.code, 'bad-request');
    assert.match(past.problem.message, /The 'expires_at' must not be before now/);
    const dup = (await createApplicationCredential(cloud, { name: 'from-password' })) as {
      ok: false;
      problem: { code: string; message: string };
    };
    assert.equal(dup.problem.code, 'conflict');
    assert.match(dup.problem.message, /\(409\)/);
    const wrong = (await verifyCredential(byId({ id: restricted.id, secret: 'wrong-secret' }))) as { ok: false; problem: { code: string } };
    assert.equal(wrong.ok, false);
    assert.ok(['unauthorized', 'not-found'].includes(wrong.problem.code));
  });

  it('nothing an operation returned shows a secret or a token, however it is printed', () => {
    assert.ok(outputs.length >= 20);
    const all = outputs.join('\n');
    for (const s of secrets) assert.equal(all.includes(s), false, 'a secret was printed');
    assert.doesNotMatch(all, /gAAAAA[\w-]{20,}/, 'a Fernet token was printed');
    assert.match(all, /Secret\(••••••\)/, 'the new secrets are shown masked');
  });
});

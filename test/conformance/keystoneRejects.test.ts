/**
 * What a real Keystone (test/keystone: Debian's Keystone 22) says, through the consumers' own clients, about the
 * credentials the converter now refuses (test/conformance/keystoneRejects.ts):
 * - the OpenStack CCM's client (test/conformance/occm-auth: gcfg + gophercloud + clientconfig, as the CCM reads
 *   cloud.conf) on the cloud.conf the converter used to write: refused before or by Keystone, or — without a
 *   project — an unscoped token with no catalog, so no endpoint the CCM needs;
 * - openstacksdk (keystoneauth) on the clouds.yaml itself.
 * Positive control: the same identity, completed, works for both.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startKeystone, type Keystone } from '../keystone/harness';
import { buildOccmAuth, occmAuthenticate, sdkAuthenticate } from './authOracles';
import { cloudsYamlOf, formerCloudConf, rejectedCredentials, type Identity } from './keystoneRejects';

describe('credentials Keystone would reject, by a real Keystone', function () {
  this.timeout(300_000);
  let ks: Keystone;
  let dir: string;
  let id: Identity;
  before(async () => {
    buildOccmAuth();
    ks = await startKeystone();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-ks-rejects-'));
    await ks.api.catalogForRegion(ks.region);
    const project = await ks.api.createProject('rejects-project');
    const user = await ks.api.createUser('rejects-user', 'rejects-pw');
    await ks.api.grant(user.id, project.id);
    const ac = await ks.api.createApplicationCredential(user, project.id, { name: 'rejects-ac' });
    id = {
      authUrl: ks.url,
      region: ks.region,
      user: { id: user.id, name: user.name, password: 'rejects-pw' },
      project,
      appCred: { id: ac.id, name: ac.name, secret: ac.secret },
    };
  });
  after(async () => {
    await ks?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("the CCM's client gets no usable token from any cloud.conf the converter used to write", async () => {
    const cases = rejectedCredentials(id);
    const outcomes = await occmAuthenticate(
      cases.map((c, i) => {
        const conf = path.join(dir, `${i}.conf`);
        fs.writeFileSync(conf, formerCloudConf(id, c));
        return { conf };
      }),
    );
    const verdicts = cases.map((c, i) => `${c.name}: ${outcomes[i].ok ? 'ok' : `${outcomes[i].stage}: ${outcomes[i].error}`}`);
    assert.deepEqual(
      verdicts.map((v) => v.replace(/: [^:]*$/, '')),
      [
        'application credential without its secret: auth',
        'application credential by name without a user: auth',
        'password with no project scope: endpoints',
        'project given by name without its domain: auth',
        'user given by name without its domain: auth',
        'required values left empty: auth',
      ],
      verdicts.join('\n'),
    );
    // without a project Keystone does authenticate the user, but the token has no project and no catalog
    const unscoped = outcomes[2];
    assert.equal(unscoped.project ?? null, null);
    assert.ok(
      Object.values(unscoped.endpoints ?? {}).every((e) => e.error),
      JSON.stringify(unscoped.endpoints),
    );
  });

  it('openstacksdk refuses the clouds.yaml too, or gets no usable token', async () => {
    const cases = rejectedCredentials(id);
    const outcomes = await sdkAuthenticate(
      cases.map((c, i) => {
        const clouds = path.join(dir, `${i}-clouds.yaml`);
        fs.writeFileSync(clouds, cloudsYamlOf(id, c));
        return { clouds, cloud: 'c' };
      }),
    );
    assert.deepEqual(
      outcomes.map((o, i) => `${cases[i].name}: ${o.ok}`),
      cases.map((c) => `${c.name}: false`),
      outcomes.map((o) => `${o.stage}: ${o.error}`).join('\n'),
    );
  });

  it('completed, the same identity works for both (positive control)', async () => {
    const good = `[Global]\nauth-url="${id.authUrl}"\nregion="${id.region}"\napplication-credential-id="${id.appCred.id}"\napplication-credential-secret="${id.appCred.secret}"\n`;
    const conf = path.join(dir, 'good.conf');
    fs.writeFileSync(conf, good);
    const [occm] = await occmAuthenticate([{ conf }]);
    assert.equal(occm.ok, true, `${occm.stage}: ${occm.error}`);
    const clouds = path.join(dir, 'good-clouds.yaml');
    fs.writeFileSync(
      clouds,
      `clouds:\n  c:\n    auth_type: v3password\n    auth:\n      auth_url: ${JSON.stringify(id.authUrl)}\n      username: ${JSON.stringify(id.user.name)}\n      password: ${JSON.stringify(id.user.password)}\n      user_domain_name: Default\n      project_name: ${JSON.stringify(id.project.name)}\n      project_domain_name: Default\n    region_name: ${JSON.stringify(id.region)}\n`,
    );
    const [sdk] = await sdkAuthenticate([{ clouds, cloud: 'c' }]);
    assert.equal(sdk.ok, true, `${sdk.stage}: ${sdk.error}`);
  });
});

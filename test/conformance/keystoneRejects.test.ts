/**
 * What the real consumers say about the credentials the converter now refuses (test/conformance/keystoneRejects.ts):
 * - gophercloud 0.12 + clientconfig, read like the CCM (test/conformance/gophercloud-auth), on the cloud.conf the converter
 *   used to write: refused before any request, or — without a project — an unscoped token request (a token without the
 *   service catalog the CCM looks its endpoints up in);
 * - keystoneauth (through openstacksdk's get_one, validate=True) on the clouds.yaml, where its v3 loaders check it.
 * And the positive control: complete credentials pass both.
 */
import * as assert from 'node:assert/strict';
import { gophercloudAuthMany } from './gophercloudAuth';
import { REJECTED } from './keystoneRejects';
import { openstacksdkResolve } from './openstacksdk';

describe('credentials Keystone would reject, by the real consumers', () => {
  it('gophercloud refuses, or asks for an unscoped token, for every cloud.conf the converter used to write', async () => {
    const checks = await gophercloudAuthMany(REJECTED.map((c) => c.formerCloudConf));
    const verdicts = REJECTED.map((c, i) => `${c.name}: ${checks[i].ok ? `scope ${checks[i].scope}` : checks[i].error}`);
    assert.deepEqual(verdicts, [
      'application credential without its secret: identity: You must provide an Application Credential Secret',
      'application credential by name without a user: identity: Exactly one of Username and UserID must be provided for password authentication',
      'password with no project scope: scope none',
      'project given by name without its domain: scope: You must provide exactly one of DomainID or DomainName in a Scope with ProjectName',
      'user given by name without its domain: identity: You must provide exactly one of DomainID or DomainName to authenticate by Username',
      'required values left empty: identity: You must provide a password to authenticate',
    ]);
  });

  it('keystoneauth refuses the v3 ones when it loads them (application credential secret, names without domain)', () => {
    const results = openstacksdkResolve(REJECTED.map((c) => ({ name: c.name, clouds: c.clouds, cloud: 'c' })));
    const refused = results.filter((r) => r.ok && r.validated === false).map((r) => r.name);
    assert.deepEqual(refused, [
      'application credential without its secret',
      'project given by name without its domain',
      'user given by name without its domain',
      'required values left empty',
    ]);
  });

  it('complete credentials pass both (positive control)', async () => {
    const ok = [
      '[Global]\nauth-url="https://k/v3"\napplication-credential-id="a"\napplication-credential-secret="s"\n',
      '[Global]\nauth-url="https://k/v3"\nusername="u"\npassword="p"\nuser-domain-name="Default"\ntenant-name="demo"\ntenant-domain-name="Default"\n',
    ];
    assert.deepEqual(
      (await gophercloudAuthMany(ok)).map((r) => [r.ok, r.scope]),
      [
        [true, 'none'],
        [true, 'project'],
      ],
    );
    const sdk = openstacksdkResolve([
      {
        name: 'ok',
        cloud: 'c',
        clouds:
          'clouds:\n  c:\n    auth_type: v3password\n    auth:\n      auth_url: https://k/v3\n      username: u\n      password: p\n      user_domain_name: Default\n      project_name: demo\n      project_domain_name: Default\n    region_name: R\n',
      },
    ]);
    assert.equal(sdk[0].validated, true);
  });
});

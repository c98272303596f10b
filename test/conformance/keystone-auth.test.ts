// Conversion proven end to end against a real Keystone: for every auth type the converter supports,
// the identity is created in Keystone, a clouds.yaml is written, the CLI converts it, and the
// consumers' own clients authenticate from what we wrote:
//   occm   cloud.conf (series scs, `kube-system/cloud-config`) read with gcfg + gophercloud as the
//          OpenStack CCM and Cinder CSI do (test/conformance/occm-auth);
//   scs2   the clouds-yaml style (`kube-system/clouds-yaml`: clouds.yaml + a `use-clouds` cloud.conf),
//          read the same way through gophercloud-utils' clientconfig. ReadClouds takes neither `verify`
//          nor `trust_id` from clouds.yaml (cloud-provider-openstack@c453fb7 pkg/client/client.go:216-236),
//          so for such clouds the Secret's own cloud.conf (tls-insecure, trust-id) is what the pods read;
//          before issue #11 these two cases failed here (certificate refused; unscoped token);
//   sdk    openstacksdk from the user's clouds.yaml itself.
// Hostile values (`; # " \ = é`, tabs, long secrets) in secrets and names; a wrong, deleted or
// expired credential must fail the same probe.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dump } from 'js-yaml';
import { run } from '../../src/cli/run';
import { identitySecretPayload } from '../../src/core/clouds';
import { cloudsYamlSecret, CLOUDS_YAML_MOUNT, useCloudsCloudConf } from '../../src/core/manifests/credentials';
import type { CreatedAppCred, Ref, UserLogin } from '../keystone/api';
import { delay, startKeystone, type Keystone } from '../keystone/harness';
import { startTlsTerminator, type TlsTerminator } from '../keystone/tls';
import { buildOccmAuth, occmAuthenticate, sdkAuthenticate, type AuthOutcome } from './authOracles';

const HOSTILE = '; # " \\ = é';
const PASSWORD = `pw${HOSTILE}\ttab`;
const LONG_SECRET = `s3cr${HOSTILE}\t${'L0ng-'.repeat(80)}`;
const CA_IN_POD = '/etc/config/cacert';

type Auth = Record<string, string>;
/** The clouds.yaml entry's settings besides `auth` (cacert, verify) and the auth URL. */
interface Variant {
  readonly auth: Auth;
  readonly extra?: Record<string, unknown>;
  readonly authUrl?: string;
}
interface Case {
  readonly name: string;
  readonly authType: string;
  good(): Variant;
  /** The same identity with a credential Keystone (or TLS) refuses. */
  bad(): Variant;
  /** The project the token must be scoped to. */
  project(): string;
}

type Reader = 'occm' | 'scs2' | 'sdk';
const READERS: readonly Reader[] = ['occm', 'scs2', 'sdk'];

describe('conversion against a real Keystone: OCCM (gcfg + gophercloud), use-clouds (clientconfig), openstacksdk', function () {
  this.timeout(300_000);
  let ks: Keystone;
  let tls: TlsTerminator;
  let dir: string;
  let n = 0;
  const fx = {} as {
    project: Ref;
    domain: Ref;
    domainProject: Ref;
    alice: Ref & UserLogin;
    bob: Ref & UserLogin;
    carol: Ref & UserLogin;
    acById: CreatedAppCred;
    acByName: CreatedAppCred;
    acDeleted: CreatedAppCred;
    acExpiring: CreatedAppCred;
    trust: string;
    token: string;
  };

  before(async () => {
    buildOccmAuth();
    ks = await startKeystone();
    tls = await startTlsTerminator(ks.url);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-keystone-auth-'));
    const api = ks.api;
    await api.catalogForRegion(ks.region);
    fx.project = await api.createProject(`tenant${HOSTILE}`);
    fx.domain = await api.createDomain(`dom${HOSTILE}`);
    fx.domainProject = await api.createProject(`proj${HOSTILE}`, fx.domain.id);
    fx.alice = await api.createUser(`alice${HOSTILE}`, PASSWORD);
    fx.bob = await api.createUser(`bob${HOSTILE}`, PASSWORD, fx.domain.id);
    fx.carol = await api.createUser(`carol${HOSTILE}`, PASSWORD);
    await api.grant(fx.alice.id, fx.project.id);
    await api.grant(fx.bob.id, fx.domainProject.id);
    fx.acById = await api.createApplicationCredential(fx.alice, fx.project.id, { name: 'by-id', secret: LONG_SECRET });
    fx.acByName = await api.createApplicationCredential(fx.bob, fx.domainProject.id, { name: `ac${HOSTILE}`, secret: LONG_SECRET });
    fx.acDeleted = await api.createApplicationCredential(fx.alice, fx.project.id, { name: 'deleted' });
    fx.trust = await api.createTrust(fx.alice, fx.project.id, fx.carol.id);
    fx.token = await api.userToken(fx.alice, fx.project.id);
  });
  after(async () => {
    await tls?.stop();
    await ks?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Writes the clouds.yaml, converts it with the CLI and hands each reader its files; returns the three outcomes. */
  async function probe(authType: string, v: Variant): Promise<Record<Reader, AuthOutcome>> {
    const caseDir = path.join(dir, String(++n));
    const podConfig = path.join(caseDir, 'etc-config');
    const podOpenstack = path.join(caseDir, 'etc-openstack');
    for (const d of [podConfig, podOpenstack]) fs.mkdirSync(d, { recursive: true });
    const clouds = path.join(caseDir, 'clouds.yaml');
    const entry = {
      auth: { auth_url: v.authUrl ?? ks.url, ...v.auth },
      region_name: ks.region,
      auth_type: authType,
      identity_api_version: 3,
      ...(v.extra ?? {}),
    };
    fs.writeFileSync(clouds, dump({ clouds: { test: entry } }, { forceQuotes: true, quotingType: '"', lineWidth: -1 }));

    // scs: the CLI's cloud.conf, the CA where the pod mounts it.
    let out = '';
    let err = '';
    const args = ['cloud-conf', '--cloud', 'test', '--ca-file-in-pod', CA_IN_POD, '--cacert-out', path.join(podConfig, 'cacert'), clouds];
    const code = run(args, { env: {}, cwd: caseDir, stdout: (t) => (out += t), stderr: (t) => (err += t) });
    assert.equal(code, 0, `cloud-conf failed: ${err}`);
    const conf = path.join(caseDir, 'cloud.conf');
    fs.writeFileSync(conf, out);

    // scs2: the kube-system/clouds-yaml secret's files where the pod mounts them, and the use-clouds cloud.conf.
    const payload = identitySecretPayload({ clouds: { path: clouds, text: fs.readFileSync(clouds, 'utf8') } }, 'test', {
      readFile: (p) => fs.readFileSync(p, 'utf8'),
    });
    assert.ok(payload.ok);
    const secret = cloudsYamlSecret(payload.payload);
    for (const [k, b64] of Object.entries(secret.data)) fs.writeFileSync(path.join(podOpenstack, k), Buffer.from(b64, 'base64'));
    // The cloud.conf the Secret carries when the cloud needs one (verify: false, trust_id), else the bare use-clouds one.
    const useClouds = path.join(caseDir, 'use-clouds.conf');
    fs.writeFileSync(useClouds, secret.data['cloud.conf'] ? Buffer.from(secret.data['cloud.conf'], 'base64') : useCloudsCloudConf('test'));

    const [occm, scs2] = await occmAuthenticate([
      { conf, mounts: { '/etc/config': podConfig } },
      { conf: useClouds, mounts: { [CLOUDS_YAML_MOUNT]: podOpenstack } },
    ]);
    const [sdk] = await sdkAuthenticate([{ clouds, cloud: 'test' }]);
    return { occm, scs2, sdk };
  }

  const appCredById = (a: () => CreatedAppCred, extra?: () => Omit<Variant, 'auth'>) => () => ({
    auth: { application_credential_id: a().id, application_credential_secret: a().secret },
    ...(extra ? extra() : {}),
  });

  const cases: Case[] = [
    {
      name: 'application credential by id (long secret)',
      authType: 'v3applicationcredential',
      good: appCredById(() => fx.acById),
      bad: () => ({ auth: { application_credential_id: fx.acById.id, application_credential_secret: `${fx.acById.secret}x` } }),
      project: () => fx.project.id,
    },
    {
      name: 'application credential by name + username + user_domain_name',
      authType: 'v3applicationcredential',
      good: () => ({
        auth: {
          application_credential_name: fx.acByName.name,
          application_credential_secret: fx.acByName.secret,
          username: fx.bob.name,
          user_domain_name: fx.domain.name,
        },
      }),
      bad: () => ({
        auth: {
          application_credential_name: fx.acByName.name,
          application_credential_secret: `x${fx.acByName.secret}`,
          username: fx.bob.name,
          user_domain_name: fx.domain.name,
        },
      }),
      project: () => fx.domainProject.id,
    },
    {
      name: 'application credential by name + user_id',
      authType: 'v3applicationcredential',
      good: () => ({
        auth: { application_credential_name: fx.acByName.name, application_credential_secret: fx.acByName.secret, user_id: fx.bob.id },
      }),
      bad: () => ({ auth: { application_credential_name: fx.acByName.name, application_credential_secret: 'wrong', user_id: fx.bob.id } }),
      project: () => fx.domainProject.id,
    },
    {
      name: 'password with names (user, project and domains)',
      authType: 'password',
      good: () => ({
        auth: {
          username: fx.bob.name,
          password: PASSWORD,
          user_domain_name: fx.domain.name,
          project_name: fx.domainProject.name,
          project_domain_name: fx.domain.name,
        },
      }),
      bad: () => ({
        auth: {
          username: fx.bob.name,
          password: `${PASSWORD} `,
          user_domain_name: fx.domain.name,
          project_name: fx.domainProject.name,
          project_domain_name: fx.domain.name,
        },
      }),
      project: () => fx.domainProject.id,
    },
    {
      name: 'password with ids',
      authType: 'password',
      good: () => ({ auth: { user_id: fx.alice.id, password: PASSWORD, project_id: fx.project.id } }),
      bad: () => ({ auth: { user_id: fx.alice.id, password: PASSWORD.slice(0, -1), project_id: fx.project.id } }),
      project: () => fx.project.id,
    },
    {
      name: 'password with user_id, project by name + domain id',
      authType: 'password',
      good: () => ({
        auth: { user_id: fx.bob.id, password: PASSWORD, project_name: fx.domainProject.name, project_domain_id: fx.domain.id },
      }),
      bad: () => ({ auth: { user_id: fx.bob.id, password: 'nope', project_name: fx.domainProject.name, project_domain_id: fx.domain.id } }),
      project: () => fx.domainProject.id,
    },
    {
      // keystoneauth takes user_id and ignores username and user domain (keystoneauth1 5.0.0
      // identity/v3/password.py get_auth_data); gophercloud refuses user_id with either
      // (auth_options.go ToTokenV3CreateMap), so the converter must write user-id alone.
      name: 'password with user_id plus username and user domain (as openrc-made files carry them)',
      authType: 'password',
      good: () => ({
        auth: {
          user_id: fx.bob.id,
          username: fx.bob.name,
          user_domain_id: fx.domain.id,
          password: PASSWORD,
          project_id: fx.domainProject.id,
        },
      }),
      bad: () => ({
        auth: {
          user_id: fx.bob.id,
          username: fx.bob.name,
          user_domain_id: fx.domain.id,
          password: 'nope',
          project_id: fx.domainProject.id,
        },
      }),
      project: () => fx.domainProject.id,
    },
    {
      name: 'password with user_id and domain_id (spread to the user and project domain)',
      authType: 'password',
      good: () => ({ auth: { user_id: fx.bob.id, password: PASSWORD, project_name: fx.domainProject.name, domain_id: fx.domain.id } }),
      bad: () => ({ auth: { user_id: fx.bob.id, password: 'nope', project_name: fx.domainProject.name, domain_id: fx.domain.id } }),
      project: () => fx.domainProject.id,
    },
    {
      name: 'token with project id',
      authType: 'token',
      good: () => ({ auth: { token: fx.token, project_id: fx.project.id } }),
      bad: () => ({ auth: { token: `${fx.token.slice(0, -4)}AAAA`, project_id: fx.project.id } }),
      project: () => fx.project.id,
    },
    {
      name: 'token with project name + domain name',
      authType: 'token',
      good: () => ({ auth: { token: fx.token, project_name: fx.project.name, project_domain_name: 'Default' } }),
      bad: () => ({ auth: { token: 'not-a-token', project_name: fx.project.name, project_domain_name: 'Default' } }),
      project: () => fx.project.id,
    },
    {
      name: 'trust (trustee password + trust_id)',
      authType: 'password',
      good: () => ({ auth: { user_id: fx.carol.id, password: PASSWORD, trust_id: fx.trust } }),
      bad: () => ({ auth: { user_id: fx.carol.id, password: 'nope', trust_id: fx.trust } }),
      project: () => fx.project.id,
    },
    {
      name: 'TLS with cacert (the terminator’s own CA); without the CA the same probe fails',
      authType: 'v3applicationcredential',
      good: appCredById(
        () => fx.acById,
        () => ({ authUrl: tls.url, extra: { cacert: tls.caFile } }),
      ),
      bad: appCredById(
        () => fx.acById,
        () => ({ authUrl: tls.url }),
      ),
      project: () => fx.project.id,
    },
    {
      name: 'TLS with verify: false; with verification the same probe fails',
      authType: 'v3applicationcredential',
      good: appCredById(
        () => fx.acById,
        () => ({ authUrl: tls.url, extra: { verify: false } }),
      ),
      bad: appCredById(
        () => fx.acById,
        () => ({ authUrl: tls.url }),
      ),
      project: () => fx.project.id,
    },
  ];

  for (const c of cases) {
    it(`${c.name}: every reader authenticates from what we wrote, scoped to the project, with every endpoint; the bad variant fails in every reader`, async () => {
      const good = await probe(c.authType, c.good());
      const bad = await probe(c.authType, c.bad());
      const report = JSON.stringify({ good, bad }, null, 1);
      for (const r of READERS) {
        assert.equal(good[r].ok, true, `${r}: ${report}`);
        assert.equal(good[r].project?.id, c.project(), `${r} scoped to the wrong project: ${report}`);
        for (const service of ['identity', 'compute', 'network', 'load-balancer', 'block-storage'])
          assert.ok(good[r].endpoints?.[service]?.url, `${r}: no ${service} endpoint: ${report}`);
        assert.equal(bad[r].ok, false, `${r} accepted the bad variant: ${report}`);
        assert.equal(bad[r].stage, 'auth', `${r}: ${report}`);
      }
    });
  }

  it('a deleted application credential fails in every reader, as it authenticated before', async () => {
    const before = await probe('v3applicationcredential', appCredById(() => fx.acDeleted)());
    for (const r of READERS) assert.equal(before[r].ok, true, `${r}: ${JSON.stringify(before)}`);
    await ks.api.deleteApplicationCredential(fx.alice, fx.project.id, fx.acDeleted.id);
    const after = await probe('v3applicationcredential', appCredById(() => fx.acDeleted)());
    for (const r of READERS) {
      assert.equal(after[r].ok, false, `${r}: ${JSON.stringify(after)}`);
      assert.equal(after[r].stage, 'auth', `${r}: ${JSON.stringify(after)}`);
    }
  });

  it('an expired application credential fails in every reader (Keystone accepted it before it expired)', async () => {
    fx.acExpiring = await ks.api.createApplicationCredential(fx.alice, fx.project.id, {
      name: 'expiring',
      expiresAt: new Date(Date.now() + 5000).toISOString().replace(/Z$/, ''),
    });
    assert.equal((await ks.api.appCredAuthenticates(fx.acExpiring.id, fx.acExpiring.secret)).status, 201);
    const expiry = Date.parse(`${fx.acExpiring.expiresAt}Z`);
    await delay(Math.max(0, expiry - Date.now() + 200));
    const out = await probe('v3applicationcredential', appCredById(() => fx.acExpiring)());
    for (const r of READERS) {
      assert.equal(out[r].ok, false, `${r}: ${JSON.stringify(out)}`);
      assert.equal(out[r].stage, 'auth', `${r}: ${JSON.stringify(out)}`);
    }
  });

  it('an `interface` other than public/internal/admin: the CCM finds no endpoint (or gcfg cannot read it), so the converter refuses it (CS176)', async () => {
    // The converter's cloud.conf for interface "public", then os-endpoint-type set by hand to what the user wrote.
    const good = await probe(
      'v3applicationcredential',
      appCredById(
        () => fx.acById,
        () => ({ extra: { interface: 'public' } }),
      )(),
    );
    assert.equal(good.occm.ok, true, JSON.stringify(good));
    const conf = path.join(dir, String(n), 'cloud.conf');
    const text = fs.readFileSync(conf, 'utf8');
    assert.match(text, /^os-endpoint-type="public"$/m);
    const writeConf = (name: string, value: string) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text.replace(/^os-endpoint-type=.*$/m, `os-endpoint-type="${value}"`));
      return file;
    };
    const wrong = ['publicURL', 'Public', 'pub lic', 'private'];
    const outcomes = await occmAuthenticate(wrong.map((w, i) => ({ conf: writeConf(`interface-${i}.conf`, w), mounts: {} })));
    outcomes.forEach((o, i) => {
      assert.equal(o.ok, false, `${wrong[i]}: ${JSON.stringify(o)}`);
      assert.ok(o.stage === 'config' || o.stage === 'endpoints', `${wrong[i]}: ${JSON.stringify(o)}`);
    });
    // A space around a known one: gcfg's scan drops it and the CCM reads "internal" — not the value written, and the
    // converter never alters a value, so it is refused too (with the fix "Use internal").
    const [trimmed] = await occmAuthenticate([{ conf: writeConf('interface-space.conf', 'internal '), mounts: {} }]);
    assert.equal(trimmed.ok, true, JSON.stringify(trimmed));
    for (const w of [...wrong, 'internal ']) {
      const clouds = path.join(dir, 'interface-clouds.yaml');
      const entry = {
        auth: { auth_url: ks.url, application_credential_id: 'i', application_credential_secret: 's' },
        region_name: ks.region,
        auth_type: 'v3applicationcredential',
        interface: w,
      };
      fs.writeFileSync(clouds, dump({ clouds: { test: entry } }, { forceQuotes: true, quotingType: '"' }));
      let err = '';
      const code = run(['cloud-conf', '--cloud', 'test', clouds], {
        env: {},
        cwd: dir,
        stdout: () => undefined,
        stderr: (t) => (err += t),
      });
      assert.equal(code, 1, `${w}: ${err}`);
      assert.match(err, /CS176/, w);
    }
  });
});

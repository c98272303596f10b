// `cluster-stacks check` and checkConnection against a real Keystone (test/keystone): the
// credentials, regions and catalog entries are created in Keystone; the verdicts are Keystone's and,
// for the agreement test, the real gophercloud's (test/conformance/occm-auth) on the same files.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { convertCloud } from '../../src/core/clouds';
import { checkConnection, cloudFromConversion, type ConnectionReport } from '../../src/openstack';
import { occmAuthenticate, buildOccmAuth } from '../conformance/authOracles';
import type { CreatedAppCred, Ref, UserLogin } from '../keystone/api';
import { delay, type Keystone } from '../keystone/harness';
import { startTlsTerminator, type TlsTerminator } from '../keystone/tls';
import { generateTls } from '../emulator/tls';
import { cli, printed, sharedKeystone, tempDir, writeClouds } from './keystone';

const PASSWORD = 'pw ; # " \\ = é\tand-more';

describe('check against a real Keystone', function () {
  this.timeout(300_000); // the before hook may start Keystone (bounded at 180 s) on a loaded machine
  let ks: Keystone;
  let tls: TlsTerminator;
  let dir: string;
  let project: Ref;
  let user: Ref & UserLogin;
  let ac: CreatedAppCred;
  let acToDelete: CreatedAppCred;
  let acExpiring: CreatedAppCred;
  let userToken: string;
  const secrets: string[] = [PASSWORD];

  before(async () => {
    ks = await sharedKeystone();
    tls = await startTlsTerminator(ks.url);
    dir = tempDir();
    const api = ks.api;
    await api.catalogForRegion(ks.region);
    await api.catalogForRegion('NoOctavia', { omit: ['load-balancer'] });
    await api.catalogForRegion('PublicOnly', { interfaces: ['public'] });
    await api.catalogForRegion('CinderNewType', { blockStorageType: 'block-storage' });
    project = await api.createProject('check-tenant');
    user = await api.createUser('check-user', PASSWORD);
    await api.grant(user.id, project.id);
    ac = await api.createApplicationCredential(user, project.id, { name: 'check-ac', expiresAt: '2099-01-01T00:00:00' });
    acToDelete = await api.createApplicationCredential(user, project.id, { name: 'check-deleted' });
    userToken = await api.userToken(user, project.id);
    secrets.push(ac.secret, acToDelete.secret, userToken);
  });
  after(async () => {
    await tls?.stop();
  });

  const appCred = (a: CreatedAppCred, more: Record<string, unknown> = {}, url?: string) => ({
    auth: { auth_url: url ?? ks.url, application_credential_id: a.id, application_credential_secret: a.secret },
    region_name: ks.region,
    auth_type: 'v3applicationcredential',
    ...more,
  });

  async function checkJson(entry: Record<string, unknown>, ...flags: string[]): Promise<{ code: number; report: ConnectionReport }> {
    const r = await cli(['check', '-o', 'json', ...flags, writeClouds(dir, entry)], dir);
    assert.doesNotMatch(r.err, /: error /, r.err);
    return { code: r.code, report: JSON.parse(r.out) as ConnectionReport };
  }

  const codes = (r: ConnectionReport) => r.problems.map((p) => p.code);

  it('ok: exit 0, token scoped to the project, the credential’s expiry, every endpoint; the text output says so', async () => {
    const { code, report } = await checkJson(appCred(ac));
    assert.equal(code, 0, JSON.stringify(report));
    assert.equal(report.ok, true);
    assert.deepEqual(report.problems, []);
    assert.equal(report.token?.method, 'application_credential');
    assert.equal(report.token?.project?.id, project.id);
    assert.equal(report.token?.user.id, user.id);
    assert.deepEqual([...(report.token?.roles ?? [])].sort(), ['member', 'reader']);
    assert.equal(report.applicationCredential?.id, ac.id);
    assert.equal(report.applicationCredential?.expiresAt, ac.expiresAt);
    assert.equal(report.applicationCredential?.restricted, true);
    assert.ok(report.catalogRegions?.includes(ks.region));
    assert.deepEqual(
      report.endpoints.map((e) => [e.service, e.required, Boolean(e.url)]),
      [
        ['identity', false, true],
        ['compute', true, true],
        ['network', true, true],
        ['load-balancer', true, true],
        ['block-storage', true, true],
      ],
    );
    assert.equal(report.endpoints.find((e) => e.service === 'compute')?.url, 'http://127.0.0.1:9/compute/public');
    const text = await cli(['check', writeClouds(dir, appCred(ac))], dir);
    assert.equal(text.code, 0);
    assert.match(text.out, /^cloud "test": OK/);
    assert.match(
      text.out,
      /credential {2}application credential "check-ac" \([0-9a-f]+\): expires 2099-01-01T00:00:00\.000000 \(in \d+ days\), restricted/,
    );
    assert.match(text.out, /block-storage {2}ok {7}http:\/\/127\.0\.0\.1:9\/volumev3\/public \(as volumev3\)/);
  });

  it('wrong secret: exit 1 with Keystone’s 401 text', async () => {
    const { code, report } = await checkJson(appCred({ ...ac, secret: `${ac.secret}-wrong` }));
    assert.equal(code, 1);
    assert.equal(report.ok, false);
    assert.deepEqual(codes(report), ['unauthorized']);
    assert.equal(report.problems[0].status, 401);
    assert.match(report.problems[0].message, /The request you have made requires authentication\./);
    assert.equal(report.token, undefined);
  });

  it('deleted application credential: it passed before, after the delete Keystone’s 404 “Could not find”', async () => {
    assert.equal((await checkJson(appCred(acToDelete))).code, 0);
    await ks.api.deleteApplicationCredential(user, project.id, acToDelete.id);
    const { code, report } = await checkJson(appCred(acToDelete));
    assert.equal(code, 1);
    assert.deepEqual(codes(report), ['not-found']);
    assert.equal(report.problems[0].status, 404);
    assert.match(report.problems[0].message, new RegExp(`Could not find Application Credential: ${acToDelete.id}`));
    assert.match(report.problems[0].message, /deleted application credential\?/);
  });

  it('expired application credential: Keystone’s 401, and the report says expiry is one of the causes', async () => {
    // Long enough to be checked once while valid, even on a loaded machine.
    acExpiring = await ks.api.createApplicationCredential(user, project.id, {
      name: 'check-expiring',
      expiresAt: new Date(Date.now() + 15_000).toISOString().replace(/Z$/, ''),
    });
    secrets.push(acExpiring.secret);
    assert.equal((await checkJson(appCred(acExpiring))).code, 0);
    await delay(Math.max(0, Date.parse(`${acExpiring.expiresAt}Z`) - Date.now() + 200));
    const { code, report } = await checkJson(appCred(acExpiring));
    assert.equal(code, 1);
    assert.deepEqual(codes(report), ['unauthorized']);
    assert.match(report.problems[0].message, /expired/);
  });

  it('missing region: the region is not in the catalog', async () => {
    const { code, report } = await checkJson(appCred(ac, { region_name: 'Atlantis' }));
    assert.equal(code, 1);
    assert.deepEqual(codes(report), ['region-missing']);
    assert.match(report.problems[0].message, /Region "Atlantis" has no endpoint in the catalog \(regions: .*RegionOne/);
    assert.ok(report.token, 'the token was issued');
  });

  it('missing load-balancer endpoint: fails, also with --lb none (the OCCM enables load balancers by default); ok with [LoadBalancer] enabled=false', async () => {
    const entry = appCred(ac, { region_name: 'NoOctavia' });
    for (const flags of [[], ['--lb', 'none']]) {
      const { code, report } = await checkJson(entry, ...flags);
      assert.equal(code, 1, JSON.stringify(report));
      assert.deepEqual(codes(report), ['endpoint-missing']);
      assert.match(report.problems[0].message, /No load-balancer endpoint for interface "public" in region "NoOctavia"/);
    }
    const file = writeClouds(dir, entry);
    const converted = convertCloud({ clouds: { path: file, text: fs.readFileSync(file, 'utf8') } }, 'test', {
      extraSections: [{ name: 'LoadBalancer', entries: [{ key: 'enabled', value: false }] }],
    });
    assert.ok(converted.ok);
    const report = await checkConnection(cloudFromConversion(converted));
    assert.equal(report.ok, true, JSON.stringify(report.problems));
    assert.deepEqual(
      report.endpoints.filter((e) => e.service === 'load-balancer').map((e) => [e.required, e.url]),
      [[false, undefined]],
    );
  });

  it('interface: internal finds the internal endpoints; a region with public endpoints only fails for internal', async () => {
    const internal = await checkJson(appCred(ac, { interface: 'internal' }));
    assert.equal(internal.code, 0, JSON.stringify(internal.report.problems));
    assert.equal(internal.report.endpoints.find((e) => e.service === 'network')?.url, 'http://127.0.0.1:9/network/internal');
    const { code, report } = await checkJson(appCred(ac, { interface: 'internal', region_name: 'PublicOnly' }));
    assert.equal(code, 1);
    assert.deepEqual(codes(report), Array(4).fill('endpoint-missing'));
    assert.match(report.problems[0].message, /No compute endpoint for interface "internal" in region "PublicOnly"/);
    assert.deepEqual(
      report.endpoints.filter((e) => e.service === 'identity').map((e) => [e.required, e.url]),
      [[false, undefined]],
      'reported, not required: the consumers renew tokens at auth-url',
    );
  });

  it('block storage registered as `block-storage` (the current service type) is found too', async () => {
    const { code, report } = await checkJson(appCred(ac, { region_name: 'CinderNewType' }));
    assert.equal(code, 0, JSON.stringify(report.problems));
    assert.equal(report.endpoints.find((e) => e.service === 'block-storage')?.type, 'block-storage');
  });

  it('cacert through the TLS terminator: ok with the CA; a TLS problem without it and with a foreign CA', async () => {
    const withCa = await checkJson(appCred(ac, { cacert: tls.caFile }, tls.url));
    assert.equal(withCa.code, 0, JSON.stringify(withCa.report.problems));
    assert.equal(withCa.report.authUrl, tls.url);
    const without = await checkJson(appCred(ac, {}, tls.url));
    assert.equal(without.code, 1);
    assert.deepEqual(codes(without.report), ['tls']);
    assert.match(without.report.problems[0].message, /TLS failed for 127\.0\.0\.1:\d+: .*\. Set `cacert`/);
    const foreign = path.join(dir, 'foreign-ca.pem');
    fs.writeFileSync(foreign, (await generateTls('foreign')).caPem);
    const wrongCa = await checkJson(appCred(ac, { cacert: foreign }, tls.url));
    assert.deepEqual(codes(wrongCa.report), ['tls']);
  });

  it('verify: false: ok through the TLS terminator without a CA; --style clouds-yaml refuses, as OCCM use-clouds ignores verify', async () => {
    const entry = appCred(ac, { verify: false }, tls.url);
    const insecure = await checkJson(entry);
    assert.equal(insecure.code, 0, JSON.stringify(insecure.report.problems));
    const scs2 = await checkJson(entry, '--style', 'clouds-yaml');
    assert.equal(scs2.code, 1);
    assert.deepEqual(codes(scs2.report), ['tls']);
  });

  it('password and token credentials: ok; a password without a project is refused before anything is sent (CS103)', async () => {
    const pw = {
      auth: { auth_url: ks.url, user_id: user.id, password: PASSWORD, project_id: project.id },
      region_name: ks.region,
      auth_type: 'password',
    };
    const ok = await checkJson(pw);
    assert.equal(ok.code, 0, JSON.stringify(ok.report.problems));
    assert.equal(ok.report.token?.method, 'password');
    assert.equal(ok.report.applicationCredential, undefined);
    const token = await checkJson({
      auth: { auth_url: ks.url, token: userToken, project_id: project.id },
      region_name: ks.region,
      auth_type: 'token',
    });
    assert.equal(token.code, 0, JSON.stringify(token.report.problems));
    assert.equal(token.report.token?.method, 'token');
    // Without a project Keystone hands out an unscoped token with no catalog, so the CCM can never work: the
    // conversion refuses it (CS103) and check sends nothing. The agreement test below shows gophercloud failing on it.
    const unscoped = await cli(
      ['check', '-o', 'json', writeClouds(dir, { ...pw, auth: { auth_url: ks.url, user_id: user.id, password: PASSWORD } })],
      dir,
    );
    assert.equal(unscoped.code, 1);
    assert.match(unscoped.err, /:\d+:\d+: error CS103: .*has no project/);
    assert.deepEqual(codes(JSON.parse(unscoped.out) as ConnectionReport), ['conversion']);
  });

  it('a server that never answers: a timeout problem within the --timeout', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const started = Date.now();
      const { code, report } = await checkJson(appCred(ac, {}, `http://127.0.0.1:${port}/v3`), '--timeout', '1');
      assert.equal(code, 1);
      assert.deepEqual(codes(report), ['timeout']);
      assert.ok(Date.now() - started < 10_000, 'bounded by the timeout');
    } finally {
      silent.close();
    }
  });

  it('agrees with the real gophercloud (occm-auth) on the same cloud.conf: who authenticates, who is refused before sending', async () => {
    buildOccmAuth();
    // Not here: block storage registered as `block-storage`. Debian's gophercloud 0.12 looks up `volumev3` only;
    // the CCM's gophercloud v2 also takes `block-storage` and its aliases (gophercloud@95eea8e endpoint_search.go:37).
    const cases: [string, Record<string, unknown>][] = [
      ['ok', appCred(ac)],
      ['wrong secret', appCred({ ...ac, secret: 'nope-nope' })],
      ['missing region', appCred(ac, { region_name: 'Atlantis' })],
      ['missing load-balancer', appCred(ac, { region_name: 'NoOctavia' })],
      ['interface internal', appCred(ac, { interface: 'internal' })],
      ['interface internal, region with public endpoints only', appCred(ac, { interface: 'internal', region_name: 'PublicOnly' })],
      [
        'password with ids',
        {
          auth: { auth_url: ks.url, user_id: user.id, password: PASSWORD, project_id: project.id },
          region_name: ks.region,
          auth_type: 'password',
        },
      ],
      [
        'username and user_id both',
        {
          auth: {
            auth_url: ks.url,
            user_id: user.id,
            username: user.name,
            user_domain_name: 'Default',
            password: PASSWORD,
            project_id: project.id,
          },
          region_name: ks.region,
          auth_type: 'password',
        },
      ],
      [
        'unscoped password',
        { auth: { auth_url: ks.url, user_id: user.id, password: PASSWORD }, region_name: ks.region, auth_type: 'password' },
      ],
      ['token without project', { auth: { auth_url: ks.url, token: userToken }, region_name: ks.region, auth_type: 'token' }],
    ];
    // Refused by the converter (CS103: no project), and the cloud.conf a user would write by hand for them, which
    // the real gophercloud reads as the CCM does: it must not work either (unscoped token, no catalog, or refused).
    const unscopedByHand: [string, string][] = [
      ['unscoped password', `[Global]\nauth-url=${ks.url}\nuser-id=${user.id}\npassword=${PASSWORD}\nregion=${ks.region}\n`],
      ['token without project', `[Global]\nauth-url=${ks.url}\ntoken=${userToken}\nregion=${ks.region}\n`],
    ];
    for (const [name, text] of unscopedByHand) {
      const entry = cases.find(([n]) => n === name)?.[1];
      assert.ok(entry, name);
      const file = writeClouds(dir, entry);
      const converted = convertCloud({ clouds: { path: file, text: fs.readFileSync(file, 'utf8') } }, 'test');
      assert.equal(converted.ok, false, `${name}: converted`);
      assert.ok(
        [...converted.findings.values()].flat().some((f) => f.code === 'CS103'),
        `${name}: CS103`,
      );
      const conf = path.join(dir, `${path.basename(file)}.byhand.conf`);
      fs.writeFileSync(conf, text, { mode: 0o600 });
      const [go] = await occmAuthenticate([{ conf }]);
      assert.equal(go.ok, false, `${name}: gophercloud ${JSON.stringify({ stage: go.stage })}`);
    }
    for (const [name, entry] of cases.filter(([n]) => !unscopedByHand.some(([u]) => u === n))) {
      const file = writeClouds(dir, entry);
      const converted = convertCloud({ clouds: { path: file, text: fs.readFileSync(file, 'utf8') } }, 'test');
      assert.ok(converted.ok, name);
      const conf = path.join(dir, `${path.basename(file)}.conf`);
      fs.writeFileSync(conf, converted.text);
      const [go] = await occmAuthenticate([{ conf }]);
      const ours = await checkConnection(cloudFromConversion(converted));
      const detail = `${name}: ours ${JSON.stringify(ours.problems)} gophercloud ${JSON.stringify(go)}`;
      assert.equal(ours.ok, go.ok, detail);
      // Refused before sending (gophercloud: no token, stage auth without an HTTP status) ⇔ our 'credential' problem.
      const goRefusedLocally = go.stage === 'auth' && !/Authentication failed|Expected HTTP response code/.test(go.error ?? '');
      assert.equal(codes(ours).includes('credential'), goRefusedLocally, detail);
      const goNoEndpoint = go.stage === 'endpoints';
      assert.equal(
        codes(ours).some((c) => ['region-missing', 'endpoint-missing', 'unscoped'].includes(c)),
        goNoEndpoint,
        detail,
      );
    }
  });

  it('no secret, password or token in anything the CLI printed in this stage', () => {
    const all = printed.join('\n');
    assert.ok(all.length > 1000, 'the CLI printed reports');
    for (const s of secrets) assert.equal(all.includes(s), false, 'a secret was printed');
    assert.doesNotMatch(all, /gAAAAA[\w-]{20,}/, 'a Fernet token was printed');
  });
});

import * as assert from 'node:assert/strict';
import { load } from 'js-yaml';
import { analyzeClouds, convertCloud, identitySecretPayload } from '../../../../src/core/clouds';
import type { CloudsInput, ConversionResult, ConvertOptions } from '../../../../src/core/clouds/api';

const DIR = '/home/u/project';
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBexample\n-----END CERTIFICATE-----\n';

function input(clouds: string, secure?: string, pub?: string): CloudsInput {
  return {
    clouds: { path: `${DIR}/clouds.yaml`, text: clouds },
    ...(secure !== undefined ? { secure: { path: `${DIR}/secure.yaml`, text: secure } } : {}),
    ...(pub !== undefined ? { public: { path: `${DIR}/clouds-public.yaml`, text: pub } } : {}),
  };
}

/** `[Global]` of a successful conversion as key → raw text after `=`. */
function global(r: ConversionResult): Record<string, string> {
  assert.equal(r.ok, true, r.ok ? '' : JSON.stringify([...r.findings.values()].flat().map((f) => `${f.code} ${f.message}`)));
  if (!r.ok) return {};
  const out: Record<string, string> = {};
  const block = r.text.split('\n\n')[0].split('\n').slice(1);
  for (const l of block) out[l.slice(0, l.indexOf('='))] = l.slice(l.indexOf('=') + 1);
  return out;
}

function codes(r: ConversionResult): string[] {
  return [...r.findings.values()].flat().map((f) => f.code);
}

const cloud = (auth: string, rest = '    region_name: RegionOne\n') =>
  `clouds:\n  c:\n    auth:\n      auth_url: https://keystone.example.com:5000/v3\n${auth}${rest}`;

describe('clouds.yaml → cloud.conf per auth type (domain.md §(a))', () => {
  it('application credential by id: id + secret only, no user or project', () => {
    const g = global(
      convertCloud(
        input(
          cloud(
            '      application_credential_id: "id1"\n      application_credential_secret: "sec"\n      project_id: p1\n      username: u\n',
            '    region_name: RegionOne\n    auth_type: v3applicationcredential\n',
          ),
        ),
        'c',
      ),
    );
    assert.deepEqual(g, {
      'auth-url': '"https://keystone.example.com:5000/v3"',
      region: '"RegionOne"',
      'application-credential-id': '"id1"',
      'application-credential-secret': '"sec"',
    });
  });

  it('application credential by name + user (+ user domain)', () => {
    const g = global(
      convertCloud(
        input(
          cloud(
            '      application_credential_name: "ci"\n      application_credential_secret: "sec"\n      username: bob\n      user_domain_name: Default\n',
            '    region_name: R\n    auth_type: v3applicationcredential\n',
          ),
        ),
        'c',
      ),
    );
    assert.equal(g['application-credential-name'], '"ci"');
    assert.equal(g.username, '"bob"');
    assert.equal(g['user-domain-name'], '"Default"');
    assert.equal(g['application-credential-id'], undefined);
  });

  it('password with names: tenant-name + tenant-domain-name, user-domain-name', () => {
    const g = global(
      convertCloud(
        input(
          cloud(
            '      username: u\n      password: p\n      user_domain_name: UD\n      project_name: demo\n      project_domain_name: PD\n',
          ),
        ),
        'c',
      ),
    );
    assert.deepEqual(
      [g.username, g.password, g['user-domain-name'], g['tenant-name'], g['tenant-domain-name']],
      ['"u"', '"p"', '"UD"', '"demo"', '"PD"'],
    );
  });

  it('password with ids: user-id, tenant-id; domain_id spreads to the project domain only (a user id takes no domain)', () => {
    // gophercloud refuses a UserID with a DomainID (auth_options.go:363-370; proved in test/conformance/peer-cases.test.ts)
    const r = convertCloud(input(cloud('      user_id: uid\n      password: p\n      project_id: pid\n      domain_id: did\n')), 'c');
    const g = global(r);
    assert.deepEqual(
      [g['user-id'], g['tenant-id'], g['user-domain-id'], g['tenant-domain-id'], g['domain-id']],
      ['"uid"', '"pid"', undefined, '"did"', undefined],
    );
    assert.ok(codes(r).includes('CS122'));
  });

  it('password with user_id and username + user domain: user-id alone, as keystoneauth reads it and gophercloud accepts it', () => {
    const g = global(
      convertCloud(
        input(cloud('      user_id: uid\n      username: u\n      user_domain_name: D\n      password: p\n      project_id: pid\n')),
        'c',
      ),
    );
    assert.deepEqual([g['user-id'], g.username, g['user-domain-name'], g.password], ['"uid"', undefined, undefined, '"p"']);
  });

  it('token: token + project, user settings dropped, warns that it expires', () => {
    const r = convertCloud(
      input(cloud('      token: tkn\n      project_id: pid\n      username: u\n', '    region_name: R\n    auth_type: v3token\n')),
      'c',
    );
    const g = global(r);
    assert.equal(g.token, '"tkn"');
    assert.equal(g['tenant-id'], '"pid"');
    assert.equal(g.username, undefined);
    assert.ok(codes(r).includes('CS170'));
  });

  it('trust: trust-id with the user, project settings dropped', () => {
    const r = convertCloud(
      input(cloud('      username: u\n      password: p\n      user_domain_name: D\n      trust_id: t1\n      project_name: x\n')),
      'c',
    );
    const g = global(r);
    assert.equal(g['trust-id'], '"t1"');
    assert.equal(g['tenant-name'], undefined);
    assert.ok(codes(r).includes('CS173'));
  });

  it('unsupported auth types are refused with the application-credential fix', () => {
    for (const t of ['v3oidcpassword', 'v3totp', 'v3samlpassword', 'none', 'admin_token']) {
      const r = convertCloud(input(cloud('      username: u\n      password: p\n', `    region_name: R\n    auth_type: ${t}\n`)), 'c');
      assert.equal(r.ok, false, t);
      const f = [...r.findings.values()].flat().find((x) => x.code === 'CS110');
      assert.ok(f, t);
      assert.match(f.message, /openstack application credential create/);
      assert.equal(f.range.start.line, 7);
    }
  });

  it('application credential without auth_type: inferred like Go, with a warning', () => {
    const r = convertCloud(input(cloud('      application_credential_id: "id1"\n      application_credential_secret: "sec"\n')), 'c');
    assert.equal(global(r)['application-credential-id'], '"id1"');
    assert.ok(codes(r).includes('CS112'));
  });
});

describe('clouds.yaml resolution (profile < clouds.yaml < secure.yaml, regions, legacy keys)', () => {
  it('merges clouds-public.yaml profile, clouds.yaml and secure.yaml in that order', () => {
    const clouds = 'clouds:\n  c:\n    profile: vendor\n    auth:\n      username: u\n      project_name: mine\n    region_name: R\n';
    const secure = 'clouds:\n  c:\n    auth:\n      password: from-secure\n';
    const pub =
      'public-clouds:\n  vendor:\n    auth:\n      auth_url: https://vendor.example/v3\n      project_name: theirs\n      user_domain_name: Default\n      project_domain_name: Default\n    region_name: VendorRegion\n';
    const g = global(convertCloud(input(clouds, secure, pub), 'c'));
    assert.deepEqual(
      [g['auth-url'], g['tenant-name'], g.password, g.region, g['user-domain-name']],
      ['"https://vendor.example/v3"', '"mine"', '"from-secure"', '"R"', '"Default"'],
    );
  });

  it('regions: strings or {name, values}; the first wins and its values apply', () => {
    const r = convertCloud(
      input(
        'clouds:\n  c:\n    auth:\n      auth_url: https://a/v3\n      application_credential_id: i\n      application_credential_secret: s\n    auth_type: v3applicationcredential\n    regions:\n      - name: R1\n        values:\n          interface: internal\n      - R2\n',
      ),
      'c',
    );
    const g = global(r);
    assert.equal(g.region, '"R1"');
    assert.equal(g['os-endpoint-type'], '"internal"');
    assert.ok(codes(r).includes('CS163') && codes(r).includes('CS166'));
  });

  it('dashed keys, tenant_* and values outside auth move in as openstacksdk does', () => {
    const r = convertCloud(
      input(
        'clouds:\n  c:\n    auth:\n      auth-url: https://a/v3\n      user-name-unused: x\n      password: p\n    username: u\n    user_domain_name: D\n    tenant-name: t\n    project_domain_name: D\n    region-name: R\n    endpoint_type: admin\n',
      ),
      'c',
    );
    const g = global(r);
    assert.deepEqual(
      [g['auth-url'], g.username, g['tenant-name'], g.region, g['os-endpoint-type']],
      ['"https://a/v3"', '"u"', '"t"', '"R"', '"admin"'],
    );
    assert.ok(codes(r).includes('CS161') && codes(r).includes('CS162'));
  });

  it('verify: false and insecure: true → tls-insecure; interface → os-endpoint-type', () => {
    const base = cloud(
      '      application_credential_id: i\n      application_credential_secret: s\n',
      '    region_name: R\n    auth_type: v3applicationcredential\n',
    );
    assert.equal(global(convertCloud(input(base + '    verify: false\n'), 'c'))['tls-insecure'], '"true"');
    assert.equal(global(convertCloud(input(base + '    insecure: "True"\n'), 'c'))['tls-insecure'], '"true"');
    assert.equal(global(convertCloud(input(base), 'c'))['tls-insecure'], undefined);
    assert.equal(global(convertCloud(input(base + '    interface: internal\n'), 'c'))['os-endpoint-type'], '"internal"');
  });
});

describe('conversion options and refusals', () => {
  const app = cloud(
    '      application_credential_id: i\n      application_credential_secret: s\n',
    '    region_name: R\n    auth_type: v3applicationcredential\n',
  );

  it('[LoadBalancer]: scs defaults, ovn variant, none', () => {
    const scs = convertCloud(input(app), 'c', { lb: 'scs' });
    assert.ok(
      scs.ok && scs.text.includes('[LoadBalancer]\nmanage-security-groups=true\nenable-ingress-hostname=true\ncreate-monitor=true\n'),
    );
    const ovn = convertCloud(input(app), 'c', { lb: 'ovn' });
    assert.ok(ovn.ok && ovn.text.includes('create-monitor=true\nlb-provider="ovn"\nlb-method="SOURCE_IP_PORT"\n'));
    const none = convertCloud(input(app), 'c', { lb: 'none' });
    assert.ok(none.ok && !none.text.includes('[LoadBalancer]'));
  });

  it('cacert: read relative to the clouds file, ca-file in the pod, PEM returned', () => {
    const read: string[] = [];
    const options: ConvertOptions = { readFile: (p) => (read.push(p), p === `${DIR}/certs/ca.pem` ? PEM : undefined) };
    const r = convertCloud(input(app + '    cacert: certs/ca.pem\n'), 'c', options);
    assert.equal(global(r)['ca-file'], '"/etc/config/cacert"');
    assert.ok(r.ok && r.cacert === PEM);
    assert.deepEqual(read, [`${DIR}/certs/ca.pem`]);
    const custom = convertCloud(input(app + '    cacert: certs/ca.pem\n'), 'c', { ...options, caFileInPod: '/etc/openstack/cacert' });
    assert.equal(global(custom)['ca-file'], '"/etc/openstack/cacert"');
  });

  it('cacert unreadable or not PEM: located errors', () => {
    const missing = convertCloud(input(app + '    cacert: nope.pem\n'), 'c', { readFile: () => undefined });
    assert.equal(missing.ok, false);
    const f = [...missing.findings.values()].flat().find((x) => x.code === 'CS141');
    assert.equal(f?.range.start.line, 8);
    const notPem = convertCloud(input(app + '    cacert: x.pem\n'), 'c', { readFile: () => 'hello' });
    assert.ok(codes(notPem).includes('CS142'));
  });

  it('extra sections are validated by the gcfg schema (a duration needs a unit)', () => {
    const ok = convertCloud(input(app), 'c', {
      extraSections: [
        {
          name: 'LoadBalancer',
          entries: [
            { key: 'monitor-delay', value: '5s' },
            { key: 'floating-network-id', value: 'net' },
          ],
        },
      ],
    });
    assert.ok(ok.ok && ok.text.includes('monitor-delay="5s"') && ok.text.includes('floating-network-id="net"'));
    const bad = convertCloud(input(app), 'c', {
      extraSections: [{ name: 'LoadBalancer', entries: [{ key: 'monitor-delay', value: '60' }] }],
    });
    assert.equal(bad.ok, false);
    assert.ok(codes(bad).includes('CS181'));
  });

  it('values gcfg cannot carry are refused at their location, never altered', () => {
    const r = convertCloud(input(app.replace('application_credential_secret: s', 'application_credential_secret: "a\\rb"')), 'c');
    assert.equal(r.ok, false);
    const f = [...r.findings.values()].flat().find((x) => x.code === 'CS180');
    assert.equal(f?.range.start.line, 5);
    assert.match(f?.message ?? '', /carriage return/);
  });

  it('gcfg-hostile but representable values are quoted exactly', () => {
    const g = global(
      convertCloud(input(app.replace('application_credential_secret: s', 'application_credential_secret: \'a;b#c "q" \\\\ \'')), 'c'),
    );
    assert.equal(g['application-credential-secret'], '"a;b#c \\"q\\" \\\\\\\\ "');
  });
});

describe('identity secret payload (flattened, for CAPO)', () => {
  it('merges profile and secure.yaml into one cloud, quotes every string, keeps key order', () => {
    const clouds =
      'clouds:\n  other:\n    auth: {auth_url: "https://x/v3"}\n  prod:\n    profile: vendor\n    auth:\n      application_credential_id: 012345\n    region_name: R\n    auth_type: v3applicationcredential\n    cacert: ca.pem\n';
    const secure = 'clouds:\n  prod:\n    auth:\n      application_credential_secret: "yes"\n';
    const pub = 'public-clouds:\n  vendor:\n    auth:\n      auth_url: https://vendor.example/v3\n';
    const refused = identitySecretPayload(input(clouds, secure, pub), 'prod', { readFile: () => PEM });
    assert.equal(refused.ok, false, 'a plain 012345 is ambiguous and must be quoted first');
    const r = identitySecretPayload(input(clouds.replace('012345', '"012345"'), secure, pub), 'prod', { readFile: () => PEM });
    assert.ok(r.ok);
    if (!r.ok) return;
    assert.equal(r.payload.cloudName, 'prod');
    assert.equal(r.payload.cacert, PEM);
    assert.equal(
      r.payload['clouds.yaml'],
      [
        'clouds:',
        '  prod:',
        '    auth:',
        '      auth_url: "https://vendor.example/v3"',
        '      application_credential_id: "012345"',
        '      application_credential_secret: "yes"',
        '    region_name: "R"',
        '    identity_api_version: 3',
        '    auth_type: "v3applicationcredential"',
        '',
      ].join('\n'),
    );
    const doc = load(r.payload['clouds.yaml']) as { clouds: Record<string, { auth: Record<string, unknown> }> };
    assert.deepEqual(Object.keys(doc.clouds), ['prod']);
    assert.equal(doc.clouds.prod.auth.application_credential_secret, 'yes');
  });
});

describe('analysis', () => {
  it('lists every cloud with its key range and effective auth type, findings per cloud', () => {
    const a = analyzeClouds(
      input(
        'clouds:\n  one:\n    auth:\n      auth_url: https://a/v3\n      application_credential_id: i\n      application_credential_secret: s\n    region_name: R\n  two:\n    auth_type: v3token\n    auth: {auth_url: "https://b/v3", token: t, project_id: p}\n',
      ),
    );
    assert.deepEqual(
      a.clouds.map((c) => [c.name, c.authType, c.keyRange.start.line, c.keyRange.start.character]),
      [
        ['one', 'v3applicationcredential', 1, 2],
        ['two', 'v3token', 7, 2],
      ],
    );
    assert.deepEqual(
      a.findingsByCloud.get('one')?.map((f) => f.code),
      ['CS112'],
    );
    assert.ok(a.findingsByCloud.get('two')?.some((f) => f.code === 'CS102'));
  });
});

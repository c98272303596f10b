import * as assert from 'node:assert/strict';
import { analyzeClouds, convertCloud, selectCloud } from '../../../../src/core/clouds';
import type { CloudsInput } from '../../../../src/core/clouds/api';
import type { Finding, TextEdit } from '../../../../src/core/findings';
import { LineIndex } from '../../../../src/core/yaml/lines';

const CLOUDS = '/home/u/.config/openstack/clouds.yaml';
const SECURE = '/home/u/.config/openstack/secure.yaml';
const PUBLIC = '/home/u/.config/openstack/clouds-public.yaml';

function input(clouds: string, secure?: string, pub?: string): CloudsInput {
  return {
    clouds: { path: CLOUDS, text: clouds },
    ...(secure !== undefined ? { secure: { path: SECURE, text: secure } } : {}),
    ...(pub !== undefined ? { public: { path: PUBLIC, text: pub } } : {}),
  };
}

function findingsOf(i: CloudsInput, file = CLOUDS): readonly Finding[] {
  return analyzeClouds(i, { readFile: () => undefined }).findings.get(file) ?? [];
}

/** Applies LSP-style edits (ranges in the original text, non-overlapping). */
function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const offset = (p: { line: number; character: number }) => lines.lineStart(p.line) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

const APP = `clouds:
  prod:
    auth:
      auth_url: https://keystone.example.com:5000/v3
      application_credential_id: "abc"
      application_credential_secret: "s3cr3t-value"
    region_name: RegionOne
    auth_type: v3applicationcredential
`;

interface RuleCase {
  readonly code: string;
  readonly severity: Finding['severity'];
  readonly clouds: string;
  readonly secure?: string;
  readonly public?: string;
  /** 1-based line the finding must start on. */
  readonly line: number;
  /** True when the rule offers a mechanical fix. */
  readonly fixable: boolean;
}

const RULES: RuleCase[] = [
  { code: 'CS001', severity: 'error', clouds: 'clouds:\n  a: [1, 2\n', line: 3, fixable: false },
  { code: 'CS003', severity: 'error', clouds: 'clouds: 42\n', line: 1, fixable: false },
  { code: 'CS101', severity: 'error', clouds: APP.replace(/ +auth_url: .*\n/, ''), line: 2, fixable: true },
  { code: 'CS102', severity: 'error', clouds: APP.replace(/ +region_name: .*\n/, ''), line: 2, fixable: true },
  { code: 'CS103', severity: 'error', clouds: APP.replace(/ +application_credential_secret: .*\n/, ''), line: 2, fixable: true },
  {
    code: 'CS104',
    severity: 'warning',
    clouds: APP.replace('    region_name: RegionOne\n', '    region_name: RegionOne\n    interface:\n'),
    line: 8,
    fixable: true,
  },
  {
    code: 'CS110',
    severity: 'error',
    clouds: APP.replace('auth_type: v3applicationcredential', 'auth_type: v3oidcpassword'),
    line: 8,
    fixable: false,
  },
  { code: 'CS111', severity: 'error', clouds: APP.replace('5000/v3', '5000/v2.0'), line: 4, fixable: true },
  { code: 'CS111', severity: 'error', clouds: APP + '    identity_api_version: 2\n', line: 9, fixable: true },
  {
    code: 'CS111',
    severity: 'error',
    clouds: APP.replace('auth_type: v3applicationcredential', 'auth_type: v2password'),
    line: 8,
    fixable: true,
  },
  { code: 'CS112', severity: 'warning', clouds: APP.replace('    auth_type: v3applicationcredential\n', ''), line: 5, fixable: true },
  {
    code: 'CS120',
    severity: 'warning',
    clouds: APP.replace('      application_credential_id: "abc"\n', '      application_credential_id: "abc"\n      password: "pw"\n'),
    line: 6,
    fixable: true,
  },
  {
    code: 'CS121',
    severity: 'warning',
    clouds: APP.replace('v3applicationcredential', 'password')
      .replace(/ +application_credential_\w+: .*\n/g, '')
      .replace(
        '    auth:\n',
        '    auth:\n      username: u\n      password: p\n      user_domain_name: Default\n      project_id: "0123abc"\n      project_name: demo\n',
      ),
    line: 8,
    fixable: true,
  },
  { code: 'CS130', severity: 'error', clouds: APP.replace('"abc"', '012345'), line: 5, fixable: true },
  { code: 'CS130', severity: 'error', clouds: APP.replace('"abc"', 'yes'), line: 5, fixable: true },
  { code: 'CS130', severity: 'error', clouds: APP.replace('"abc"', '0x1F'), line: 5, fixable: true },
  { code: 'CS130', severity: 'warning', clouds: APP.replace('"abc"', '1e3'), line: 5, fixable: true },
  { code: 'CS130', severity: 'error', clouds: APP.replace('"abc"', '1.50'), line: 5, fixable: true },
  { code: 'CS130', severity: 'error', clouds: APP.replace('"abc"', '1_000'), line: 5, fixable: true },
  { code: 'CS130', severity: 'warning', clouds: APP.replace('"abc"', '12345678901234567890123'), line: 5, fixable: true },
  { code: 'CS140', severity: 'warning', clouds: APP + '    profile: nowhere\n', public: 'public-clouds: {}\n', line: 9, fixable: false },
  { code: 'CS141', severity: 'error', clouds: APP + '    cacert: ca.pem\n', line: 9, fixable: false },
  {
    code: 'CS161',
    severity: 'warning',
    clouds: APP.replace('    region_name: RegionOne\n', '    region_name: RegionOne\n    user_domain_name: Default\n'),
    line: 8,
    fixable: true,
  },
  { code: 'CS162', severity: 'warning', clouds: APP.replace('auth_url:', 'auth-url:'), line: 4, fixable: true },
  {
    code: 'CS162',
    severity: 'warning',
    clouds: APP.replace('v3applicationcredential', 'password')
      .replace(/ +application_credential_\w+: .*\n/g, '')
      .replace(
        '    auth:\n',
        '    auth:\n      username: u\n      password: p\n      user_domain_name: Default\n      tenant_name: demo\n      project_domain_name: Default\n',
      ),
    line: 7,
    fixable: true,
  },
  {
    code: 'CS163',
    severity: 'warning',
    clouds: APP.replace('    region_name: RegionOne\n', '    regions:\n      - RegionOne\n      - RegionTwo\n'),
    line: 7,
    fixable: true,
  },
  { code: 'CS164', severity: 'warning', clouds: APP + '    insecure: true\n', line: 9, fixable: true },
  { code: 'CS165', severity: 'warning', clouds: APP.replace('5000/v3', '5000/{region_name}/v3'), line: 4, fixable: true },
  {
    code: 'CS166',
    severity: 'warning',
    clouds: APP.replace(
      '    region_name: RegionOne\n',
      '    regions:\n      - name: RegionOne\n        values:\n          interface: internal\n',
    ),
    line: 8,
    fixable: false,
  },
  {
    code: 'CS167',
    severity: 'warning',
    clouds: APP.replace('v3applicationcredential', 'password')
      .replace(/ +application_credential_\w+: .*\n/g, '')
      .replace(
        '    auth:\n',
        '    auth:\n      username: u\n      password: p\n      user_domain_name: Default\n      project_name: demo\n      default_domain: default\n',
      ),
    line: 8,
    fixable: false,
  },
  {
    code: 'CS170',
    severity: 'warning',
    clouds: APP.replace('v3applicationcredential', 'v3token')
      .replace(/ +application_credential_\w+: .*\n/g, '')
      .replace('    auth:\n', '    auth:\n      token: tkn\n      project_id: p1\n'),
    line: 4,
    fixable: false,
  },
  { code: 'CS171', severity: 'warning', clouds: APP + '    cert: /tmp/c.crt\n', line: 9, fixable: false },
  { code: 'CS172', severity: 'warning', clouds: APP + '    verify: false\n    cacert: ca.pem\n', line: 10, fixable: false },
  {
    code: 'CS173',
    severity: 'warning',
    clouds: APP.replace('v3applicationcredential', 'password')
      .replace(/ +application_credential_\w+: .*\n/g, '')
      .replace(
        '    auth:\n',
        '    auth:\n      username: u\n      password: p\n      user_domain_name: Default\n      trust_id: t1\n      project_id: p1\n',
      ),
    line: 8,
    fixable: true,
  },
  { code: 'CS180', severity: 'error', clouds: APP.replace('"abc"', '"a\\rb"'), line: 5, fixable: false },
];

describe('clouds.yaml rules: each fires, each fix removes it', () => {
  for (const r of RULES) {
    it(`${r.code} (${r.severity}) on line ${r.line}`, () => {
      const i = input(r.clouds, r.secure, r.public);
      const hits = findingsOf(i).filter((f) => f.code === r.code);
      assert.ok(
        hits.length >= 1,
        `${r.code} did not fire; got ${findingsOf(i)
          .map((f) => f.code)
          .join(', ')}`,
      );
      const hit = hits.find((f) => f.range.start.line === r.line - 1);
      assert.ok(hit, `${r.code} not on line ${r.line}: ${hits.map((f) => f.range.start.line + 1).join(', ')}`);
      assert.equal(hit.severity, r.severity);
      assert.ok(hit.message.length > 20);
      if (!r.fixable) return;
      assert.ok(hit.fixes?.length, `${r.code} has no fix`);
      const fixed = applyEdits(r.clouds, hit.fixes[0].edits);
      const after = findingsOf(input(fixed, r.secure, r.public));
      assert.equal(after.filter((f) => f.code === r.code).length, hits.length - 1, `fix "${hit.fixes[0].title}" left ${r.code}:\n${fixed}`);
      assert.equal(after.filter((f) => f.code === 'CS001').length, 0, `fix broke the YAML:\n${fixed}`);
    });
  }

  it('CS002: an alias bomb is bounded and reported, not expanded', () => {
    let text = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 12; i++)
      text += `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    text += `clouds:\n  bomb:\n    auth: {auth_url: "https://k/v3"}\n    region_name: r\n    regions: *a11\n`;
    // A bound against expansion, not a speed target: expanded, the document has 10^12 nodes and never finishes.
    const started = Date.now();
    const r = convertCloud(input(text), 'bomb');
    assert.ok(Date.now() - started < 20_000);
    assert.equal(r.ok, false);
    const f = [...r.findings.values()].flat();
    assert.ok(
      f.some((x) => x.code === 'CS002'),
      JSON.stringify(f),
    );
  });

  it('CS002: input beyond the size limit is refused with a finding', () => {
    const f = findingsOf(input('#'.repeat(9 * 1024 * 1024)));
    assert.equal(f[0]?.code, 'CS002');
  });

  it('CS150: several clouds and none selected; CS151: an unknown cloud', () => {
    const two = APP + APP.replace('clouds:\n', '').replace('prod:', 'test:');
    const none = selectCloud(input(two), undefined);
    assert.equal(none.ok, false);
    assert.equal(!none.ok && [...none.findings.values()].flat()[0].code, 'CS150');
    const missing = selectCloud(input(two), 'nope');
    assert.equal(!missing.ok && [...missing.findings.values()].flat()[0].code, 'CS151');
    const ok = selectCloud(input(two), 'test');
    assert.deepEqual(ok, { ok: true, cloud: 'test' });
    assert.deepEqual(selectCloud(input(APP), undefined), { ok: true, cloud: 'prod' });
  });

  it('messages never contain secret values', () => {
    const secretish = APP.replace('"s3cr3t-value"', '012345').replace('"abc"', '"a\\u0000b"') + '    insecure: true\n';
    const all = [...analyzeClouds(input(secretish)).findings.values()].flat();
    assert.ok(all.length >= 2);
    for (const f of all) {
      assert.ok(!f.message.includes('012345') && !f.message.includes('5349'), f.message);
    }
    const pw = findingsOf(input(APP.replace('"s3cr3t-value"', '"line\\rbreak-secret"')));
    assert.ok(pw.some((f) => f.code === 'CS180'));
    for (const f of pw) assert.ok(!f.message.includes('break-secret'), f.message);
  });

  it('analyses 2,000 clouds, each without findings (its speed is measured by npm run bench, not here)', () => {
    let text = 'clouds:\n';
    for (let i = 0; i < 2000; i++) {
      text += `  cloud-${i}:\n    auth:\n      auth_url: "https://keystone${i}.example.com:5000/v3"\n      application_credential_id: "id-${i}"\n      application_credential_secret: "secret-${i}"\n    region_name: "Region${i % 7}"\n    auth_type: v3applicationcredential\n`;
    }
    const a = analyzeClouds(input(text));
    assert.equal(a.clouds.length, 2000);
    assert.equal(a.findings.get(CLOUDS)?.length ?? 0, 0);
  });
});

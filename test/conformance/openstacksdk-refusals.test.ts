/**
 * Why the converter refuses what the oracle corpus found: on each of these inputs openstacksdk
 * (python3-openstacksdk, the converter's policy reader) fails to load the cloud or holds something
 * other than the text written, and the CLI refuses with the located error test/unit/core/clouds/
 * readers.test.ts pins. A refusal openstacksdk did not share would show up here.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BoundedCli } from '../corpus/boundedCli';
import { openstacksdkResolve, type OracleResult } from './openstacksdk';
import { goyamlRead } from './yamlOracles';

const APP = (extra = '', auth = '    auth:\n      auth_url: "https://k.example:5000/v3"\n      application_credential_id: "id"\n') =>
  `clouds:\n  c:\n${auth}    region_name: "R"\n    auth_type: "v3applicationcredential"\n${extra}`;
const SECURE = 'clouds:\n  c:\n    auth:\n      application_credential_secret: "s"\n';

interface Case {
  readonly name: string;
  readonly clouds: string;
  readonly secure?: string;
  readonly public?: string;
  /** The CLI's refusal. */
  readonly code: string;
  /** What openstacksdk does instead of reading the text: fail, or this check on its result holds. */
  readonly sdk: 'fails' | ((o: OracleResult) => boolean);
}

const CASES: Case[] = [
  { name: 'del-in-quotes', clouds: APP('    interface: "pub\u007flic"\n'), secure: SECURE, code: 'CS001', sdk: 'fails' },
  { name: 'c1-in-quotes', clouds: APP('    interface: "pub\u0086lic"\n'), secure: SECURE, code: 'CS001', sdk: 'fails' },
  { name: 'single-brace', clouds: APP('    interface: "pub}lic"\n'), secure: SECURE, code: 'CS165', sdk: 'fails' },
  { name: 'open-brace-other-key', clouds: APP('    identity_api_version: "{3"\n'), secure: SECURE, code: 'CS165', sdk: 'fails' },
  { name: 'positional-field', clouds: APP('    interface: "{0}"\n'), secure: SECURE, code: 'CS165', sdk: 'fails' },
  { name: 'verify-string-false', clouds: APP('    verify: "false"\n'), secure: SECURE, code: 'CS105', sdk: (o) => o.verify === 'false' },
  { name: 'insecure-number', clouds: APP('    insecure: 1\n'), secure: SECURE, code: 'CS105', sdk: 'fails' },
  {
    name: 'auth-url-number',
    clouds: APP('', '    auth:\n      auth_url: 42\n      application_credential_id: "id"\n'),
    secure: SECURE,
    code: 'CS105',
    sdk: 'fails',
  },
  { name: 'secure-over-empty-auth', clouds: APP('', '    auth:\n'), secure: SECURE, code: 'CS003', sdk: 'fails' },
  {
    name: 'secure-over-sibling-scalar',
    clouds: APP() + '  d:\n    auth: true\n',
    secure: SECURE + '  d:\n    auth:\n      password: "p"\n',
    code: 'CS003',
    sdk: 'fails',
  },
  { name: 'secure-cloud-null', clouds: APP(), secure: 'clouds:\n  c: null\n', code: 'CS003', sdk: 'fails' },
  { name: 'secure-clouds-empty', clouds: APP(), secure: 'clouds:\n', code: 'CS003', sdk: 'fails' },
  {
    name: 'public-profile-null',
    clouds: APP('    profile: v\n'),
    secure: SECURE,
    public: 'public-clouds:\n  v:\n',
    code: 'CS003',
    sdk: 'fails',
  },
];

describe('inputs the converter refuses because openstacksdk fails on them or reads them differently', function () {
  this.timeout(120_000);
  const cli = new BoundedCli();
  let tmp: string;
  const sdk = new Map<string, OracleResult>();
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-refusals-'));
    for (const r of openstacksdkResolve(CASES.map((c) => ({ ...c, cloud: 'c' })))) sdk.set(r.name, r);
  });
  after(() => {
    cli.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  for (const c of CASES) {
    it(`${c.name}: openstacksdk ${c.sdk === 'fails' ? 'fails to load it' : 'does not read the text'}; the CLI refuses with ${c.code}`, async () => {
      const o = sdk.get(c.name) as OracleResult;
      if (c.sdk === 'fails') assert.equal(o.ok, false, `openstacksdk loaded it: ${JSON.stringify(o)}`);
      else assert.ok(o.ok && c.sdk(o), JSON.stringify(o));
      const dir = path.join(tmp, c.name);
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'clouds.yaml'), c.clouds);
      if (c.secure !== undefined) fs.writeFileSync(path.join(dir, 'secure.yaml'), c.secure);
      if (c.public !== undefined) fs.writeFileSync(path.join(dir, 'clouds-public.yaml'), c.public);
      const r = await cli.run({ args: ['cloud-conf', '--cloud', 'c', 'clouds.yaml'], cwd: dir });
      assert.equal(r.kind, 'exit');
      assert.ok(r.kind === 'exit' && r.code === 1 && r.out === '', JSON.stringify(r));
      assert.match(r.err, new RegExp(`^[\\w.-]+\\.yaml:\\d+:\\d+: error ${c.code}: `, 'm'));
    });
  }

  it("Go's yaml.v2 refuses the raw DEL and C1 characters too", async () => {
    const [del, c1] = await goyamlRead(CASES.slice(0, 2).map((c) => Buffer.from(c.clouds)));
    assert.equal(del.ok, false);
    assert.equal(c1.ok, false);
    assert.match(del.error ?? '', /control characters are not allowed/);
  });
});

/**
 * The peers' own test cases (peer-cases.json, copied from the shared research) through the real CLI:
 * every produced cloud.conf is parsed by the real gcfg (Go checker), every lint case runs through
 * `cluster-stacks lint`, every Go/Python conflict is checked against docs/conformance-policy.md, and
 * openstacksdk (python3-openstacksdk) resolves the same inputs as an oracle. Prints the figures.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gcfgParseMany, type GcfgResult } from './gcfg';
import { occmTokenRequest, type AuthOutcome } from './authOracles';
import { openstacksdkResolve, type OracleResult } from './openstacksdk';
import { compareWithSdk } from './sdkCompare';

interface Expect {
  readonly error?: boolean;
  readonly error_ok?: boolean;
  readonly global?: Readonly<Record<string, string>>;
  readonly absent?: readonly string[];
}
interface ConversionCase {
  readonly name: string;
  readonly clouds: string;
  readonly secure?: string;
  readonly public?: string;
  readonly cloud: string;
  readonly expect: Expect;
  /** A clear refusal is acceptable (the cacert the peer test names does not exist here). */
  readonly error_ok?: boolean;
}
interface LintCase {
  readonly name: string;
  readonly text: string;
  readonly line: number | null;
  readonly severity: 'error' | 'warning' | null;
}
interface ConflictCase extends Omit<ConversionCase, 'expect' | 'error_ok'> {
  readonly expect_go: Expect;
  readonly expect_python: Expect;
  readonly agreed: Readonly<Record<string, string>>;
}

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const cases = JSON.parse(fs.readFileSync(path.join(__dirname, 'peer-cases.json'), 'utf8')) as {
  conversions: ConversionCase[];
  lint: LintCase[];
  conflicts: ConflictCase[];
};

/** This project's own cases for the openstacksdk comparison: auth types and layouts the peer cases do not cover. */
const LOCAL: ConversionCase[] = [
  {
    name: 'local-appcred-name-user',
    cloud: 'c',
    expect: {},
    clouds:
      'clouds:\n  c:\n    auth_type: v3applicationcredential\n    auth:\n      auth_url: https://k.example:5000/v3\n      application_credential_name: ci\n      application_credential_secret: "s ; #x"\n      username: bob\n      user_domain_name: Default\n    region_name: R1\n',
  },
  {
    name: 'local-password-ids-domain',
    cloud: 'c',
    expect: {},
    clouds:
      'clouds:\n  c:\n    auth:\n      auth_url: https://k.example:5000/v3\n      user_id: "0a1b"\n      password: "p\\\\w\\"d"\n      project_id: "9f8e"\n    region_name: R1\n    interface: internal\n',
  },
  {
    name: 'local-trust',
    cloud: 'c',
    expect: {},
    clouds:
      'clouds:\n  c:\n    auth:\n      auth_url: https://k.example:5000/v3\n      username: trustee\n      password: pw\n      user_domain_id: default\n      trust_id: "t-123"\n    region_name: R1\n',
  },
  {
    name: 'local-token-project-domain',
    cloud: 'c',
    expect: {},
    clouds:
      'clouds:\n  c:\n    auth_type: v3token\n    auth:\n      auth_url: https://k.example:5000/v3\n      token: gAAAA-token\n      project_name: demo\n      project_domain_name: Default\n    region_name: R1\n',
  },
  {
    name: 'local-toplevel-and-dashed',
    cloud: 'c',
    expect: {},
    clouds:
      'clouds:\n  c:\n    auth:\n      auth-url: https://k.example:5000/v3\n      password: pw\n    username: u\n    user-domain-name: Default\n    tenant_name: t\n    project_domain_name: Default\n    region-name: R2\n    verify: false\n',
  },
  {
    name: 'local-profile-secure-regions',
    cloud: 'c',
    expect: {},
    clouds:
      'clouds:\n  c:\n    profile: v\n    auth:\n      username: u\n      user_domain_name: D\n      project_name: p\n      project_domain_name: D\n    regions:\n      - name: R3\n        values:\n          interface: admin\n',
    secure: 'clouds:\n  c:\n    auth:\n      password: "ü€ secret"\n',
    public: 'public-clouds:\n  v:\n    auth:\n      auth_url: https://vendor.example/v3\n    region_name: ignored\n',
  },
  {
    name: 'local-example-appcred',
    cloud: 'openstack',
    expect: {},
    clouds: fs.readFileSync(path.join(ROOT, 'examples', 'clouds.yaml'), 'utf8'),
    secure: fs.readFileSync(path.join(ROOT, 'examples', 'secure.yaml'), 'utf8'),
  },
  {
    name: 'local-example-password',
    cloud: 'password-project',
    expect: {},
    clouds: fs.readFileSync(path.join(ROOT, 'examples', 'clouds.yaml'), 'utf8'),
    secure: fs.readFileSync(path.join(ROOT, 'examples', 'secure.yaml'), 'utf8'),
  },
];

/**
 * The documented policy (docs/conformance-policy.md): which reader the converter follows for each
 * conflict, and the finding that warns the user where the readers differ (null: representation only).
 */
const POLICY: Record<string, { follows: 'python' | 'go'; warns: string | null }> = {
  'peer-gcutils-california-regions-list': { follows: 'python', warns: 'CS163' },
  'peer-gcutils-philadelphia-complex-adapted': { follows: 'python', warns: 'CS166' },
  'peer-gcutils-disconnected-clouds-adapted': { follows: 'python', warns: 'CS166' },
  'peer-sdk-regions-hyphenated-adapted': { follows: 'python', warns: 'CS162' },
  'peer-sdk-hyphenated-project-id-adapted': { follows: 'python', warns: 'CS162' },
  'peer-sdk-missing-profile-secure-adapted': { follows: 'python', warns: 'CS140' },
  'peer-cinder-domain-id-representation': { follows: 'python', warns: null },
  'peer-sdk-auth-url-format-adapted': { follows: 'python', warns: 'CS165' },
  // The installed openstacksdk keeps auth.project_id (as Go does); the peer case expected the top level to win.
  'peer-sdk-toplevel-project-id-adapted': { follows: 'go', warns: 'CS161' },
  'peer-sdk-insecure-key-adapted': { follows: 'python', warns: 'CS164' },
  'peer-sdk-token-alias-adapted': { follows: 'python', warns: 'CS162' },
};

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly dir: string;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-peer-'));
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';

function cli(args: readonly string[], cwd: string): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, dir: cwd };
}

/** Writes the case's files into their own folder (secure.yaml / clouds-public.yaml beside clouds.yaml) and converts. */
function convert(c: { name: string; clouds: string; secure?: string; public?: string; cloud: string }): Run {
  const dir = path.join(tmp, c.name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'clouds.yaml'), c.clouds);
  if (c.secure !== undefined) fs.writeFileSync(path.join(dir, 'secure.yaml'), c.secure);
  if (c.public !== undefined) fs.writeFileSync(path.join(dir, 'clouds-public.yaml'), c.public);
  // relative cacert paths of the peer tests get a PEM, so the ca-file handling is exercised too
  for (const m of c.clouds.matchAll(/^\s*cacert:\s*"?([^"/\s][^"\s]*)"?\s*$/gm)) fs.writeFileSync(path.join(dir, m[1]), PEM);
  return cli(['cloud-conf', '--cloud', c.cloud, 'clouds.yaml'], dir);
}

const divergences: string[] = [];
const figures = {
  cases: 0,
  gcfgAgreed: 0,
  refusedAsExpected: 0,
  refusedAcceptably: 0,
  lint: 0,
  conflicts: 0,
  conflictsWarned: 0,
  sdkCompared: 0,
  sdkAgreed: 0,
  sdkDocumented: 0,
  sdkNotLoadable: 0,
  sdkRefusedByPolicy: 0,
};

describe('peer conformance cases through the CLI, the real gcfg and openstacksdk', function () {
  const convRuns = new Map<string, Run>();
  const conflictRuns = new Map<string, Run>();
  const parsed = new Map<string, GcfgResult>();
  const auth = new Map<string, AuthOutcome>();
  let oracle = new Map<string, OracleResult>();

  before(async function () {
    const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
    for (const c of cases.conversions) convRuns.set(c.name, convert(c));
    for (const c of cases.conflicts) conflictRuns.set(c.name, convert(c));
    for (const c of LOCAL) convRuns.set(c.name, convert(c));
    const produced = [...convRuns, ...conflictRuns].filter(([, r]) => r.code === 0);
    const results = await gcfgParseMany(produced.map(([, r]) => r.stdout));
    produced.forEach(([name], i) => parsed.set(name, results[i]));
    const checks = await occmTokenRequest(produced.map(([, r]) => r.stdout));
    produced.forEach(([name], i) => auth.set(name, checks[i]));
    oracle = new Map(openstacksdkResolve([...cases.conversions, ...cases.conflicts, ...LOCAL]).map((r) => [r.name, r]));
  });

  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
    const f = figures;
    console.log(
      `\n  conformance figures: ${f.cases} conversion cases run (${cases.conversions.length} conversions + ${cases.conflicts.length} conflicts), ` +
        `${f.gcfgAgreed} agreed with gcfg on every expected key, ${f.refusedAsExpected} refused as expected, ${f.refusedAcceptably} refused acceptably (cacert file absent); ` +
        `${f.lint} lint cases; ${f.conflicts} conflicts on the documented policy (${f.conflictsWarned} with their warning, the others representation only); ` +
        `openstacksdk (peer cases + ${LOCAL.length} local): ${f.sdkCompared} compared, ${f.sdkAgreed} agreed on auth_url, region and every auth field, ${f.sdkDocumented} documented divergences, ` +
        `${f.sdkRefusedByPolicy} refused by policy (openstacksdk loads them), ${f.sdkNotLoadable} not loadable by openstacksdk`,
    );
    for (const d of divergences) console.log(`    documented divergence ${d}`);
  });

  describe('conversions', () => {
    for (const c of cases.conversions) {
      it(`${c.name}`, () => {
        figures.cases++;
        const run = convRuns.get(c.name) as Run;
        if (c.expect.error) {
          assert.equal(run.code, 1, `expected a refusal, got:\n${run.stdout}`);
          assert.match(run.stderr, /^clouds(-public)?\.yaml:\d+:\d+: error CS\d{3}: .+/m);
          figures.refusedAsExpected++;
          return;
        }
        if (run.code !== 0 && c.error_ok) {
          assert.equal(run.code, 1);
          assert.match(run.stderr, /error CS141: Cannot read the CA certificate/);
          figures.refusedAcceptably++;
          return;
        }
        assert.equal(run.code, 0, run.stderr);
        const g = parsed.get(c.name) as GcfgResult;
        assert.equal(g.ok, true, g.error);
        assert.equal(g.csi.ok, true, g.csi.error);
        for (const [k, v] of Object.entries(c.expect.global ?? {})) assert.equal(g.global[k], v, `[Global] ${k}`);
        for (const k of c.expect.absent ?? []) assert.equal(g.global[k], undefined, `[Global] ${k} must be absent`);
        figures.gcfgAgreed++;
      });
    }
  });

  it("gophercloud (the CCM's Keystone client) builds a token request from every cloud.conf written, scoped to a project or trust", () => {
    // Application credentials carry their own scope (gophercloud/utils clientconfig v3auth: no scope for them).
    const bad = [...auth]
      .filter(
        ([name, a]) =>
          !a.ok ||
          (a.scope === 'none' && !/application-credential-(id|name)=/.test((convRuns.get(name) ?? conflictRuns.get(name))?.stdout ?? '')),
      )
      .map(([name, a]) => `${name}: ${a.error ?? `scope ${a.scope}`}`);
    assert.deepEqual(bad, []);
    assert.ok(auth.size >= 30, `${auth.size} cloud.conf files checked`);
  });

  describe('lint (cloud.conf through `cluster-stacks lint`)', () => {
    for (const c of cases.lint) {
      it(`${c.name}`, () => {
        figures.lint++;
        const dir = path.join(tmp, 'lint', c.name);
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, 'cloud.conf'), c.text);
        const run = cli(['lint', 'cloud.conf'], dir);
        const lines = run.stderr.split('\n').filter(Boolean);
        for (const l of lines) assert.match(l, /^cloud\.conf:\d+:\d+: (error|warning|info) [A-Z]+\d+: .+/);
        if (c.line === null) {
          assert.equal(lines.filter((l) => / error /.test(l)).length, 0, run.stderr);
          assert.equal(run.code, 0);
        } else {
          const hit = lines.find((l) => l.startsWith(`cloud.conf:${c.line}:`) && l.includes(` ${c.severity} `));
          assert.ok(hit, `expected a ${c.severity} on line ${c.line}, got:\n${run.stderr}`);
          assert.equal(run.code, c.severity === 'error' ? 1 : lines.some((l) => / error /.test(l)) ? 1 : 0);
        }
      });
    }
  });

  describe('Go/Python conflicts follow docs/conformance-policy.md and warn', () => {
    for (const c of cases.conflicts) {
      it(`${c.name}`, () => {
        figures.cases++;
        const policy = POLICY[c.name];
        assert.ok(policy, `no documented policy for ${c.name}`);
        const run = conflictRuns.get(c.name) as Run;
        const expect = policy.follows === 'python' ? c.expect_python : c.expect_go;
        assert.equal(run.code, 0, run.stderr);
        const g = parsed.get(c.name) as GcfgResult;
        assert.equal(g.ok, true, g.error);
        for (const [k, v] of Object.entries({ ...c.agreed, ...(expect.global ?? {}) })) assert.equal(g.global[k], v, `[Global] ${k}`);
        for (const k of expect.absent ?? []) assert.equal(g.global[k], undefined, `[Global] ${k} must be absent`);
        if (policy.warns) {
          assert.match(run.stderr, new RegExp(`warning ${policy.warns}: `), run.stderr);
          figures.conflictsWarned++;
        }
        figures.conflicts++;
        figures.gcfgAgreed++;
      });
    }
  });

  describe('openstacksdk oracle (auth_url, region, every auth field)', () => {
    for (const c of [...cases.conversions, ...cases.conflicts, ...LOCAL]) {
      it(`${c.name}`, () => {
        const o = oracle.get(c.name) as OracleResult;
        const run = convRuns.get(c.name) ?? (conflictRuns.get(c.name) as Run);
        if (!o.ok) {
          figures.sdkNotLoadable++;
          assert.equal(run.code, 1, `openstacksdk cannot load ${c.name} (${o.error}) but the converter wrote a cloud.conf`);
          return;
        }
        if (run.code !== 0) {
          // Refused by policy although Python loads it: Keystone v2, no region, unsupported auth, unreadable cacert, or a
          // credential gophercloud (the CCM) refuses, e.g. a user or project name without its domain (CS103).
          assert.match(run.stderr, /error CS(102|103|110|111|141): /);
          figures.sdkRefusedByPolicy++;
          return;
        }
        figures.sdkCompared++;
        const gr = parsed.get(c.name) as GcfgResult;
        assert.equal(gr.ok, true, gr.error);
        const { diffs, documented } = compareWithSdk(o, gr.global, POLICY[c.name]?.follows === 'go');
        assert.deepEqual(diffs, [], `converter and openstacksdk disagree on ${c.name}`);
        if (documented.length) {
          figures.sdkDocumented++;
          divergences.push(`${c.name}: ${documented.join('; ')}`);
        } else figures.sdkAgreed++;
      });
    }
  });
});

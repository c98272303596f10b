import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HELP, run } from '../../../src/cli/run';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIBexample\n-----END CERTIFICATE-----\n';
const EXAMPLES = path.join(__dirname, '..', '..', '..', 'examples');

function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = run(args, { env, cwd, stdout: (t) => (out += t), stderr: (t) => (err += t) }) as number; // the commands tested here are synchronous
  return { code, out, err };
}

describe('cluster-stacks CLI', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-cli-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);

  it('cloud-conf on the shipped example: secure.yaml beside it is merged, exit 0', () => {
    const r = cli(['cloud-conf', '--cloud', 'openstack', path.join(EXAMPLES, 'clouds.yaml')], dir);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^\[Global\]\nauth-url="https:\/\/keystone\.example\.com:5000\/v3"\nregion="RegionOne"\n/);
    assert.match(r.out, /application-credential-secret="example-application-credential-secret"\n/);
    assert.match(r.out, /\n\[LoadBalancer\]\nmanage-security-groups=true\n/);
    assert.equal(r.err, '');
  });

  it('selects --cloud, else OS_CLOUD, else the only cloud; several without a choice is a located error', () => {
    const two = fs.readFileSync(path.join(EXAMPLES, 'clouds.yaml'), 'utf8');
    write('clouds.yaml', two);
    write('secure.yaml', fs.readFileSync(path.join(EXAMPLES, 'secure.yaml'), 'utf8'));
    const none = cli(['cloud-conf', 'clouds.yaml'], dir);
    assert.equal(none.code, 1);
    assert.match(none.err, /^clouds\.yaml:\d+:1: error CS150: The file defines 2 clouds/);
    assert.equal(none.out, '');
    const env = cli(['cloud-conf', 'clouds.yaml'], dir, { OS_CLOUD: 'password-project' });
    assert.equal(env.code, 0, env.err);
    assert.match(env.out, /tenant-name="demo-project"/);
    const flag = cli(['cloud-conf', '--cloud', 'openstack', 'clouds.yaml'], dir, { OS_CLOUD: 'password-project' });
    assert.match(flag.out, /application-credential-id=/);
    write(
      'one.yaml',
      'clouds:\n  only:\n    auth: {auth_url: "https://k/v3", application_credential_id: i, application_credential_secret: s}\n    region_name: R\n    auth_type: v3applicationcredential\n',
    );
    assert.equal(cli(['cloud-conf', 'one.yaml'], dir).code, 0);
    const missing = cli(['cloud-conf', '--cloud', 'nope', 'clouds.yaml'], dir);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /error CS151: Cloud "nope" is not defined/);
  });

  it('cloud-conf errors are file:line:col located on stderr with exit 1; warnings do not fail', () => {
    write(
      'clouds.yaml',
      'clouds:\n  c:\n    auth:\n      auth_url: https://k/v2.0\n      token: t\n      project_id: p\n    auth_type: token\n',
    );
    const r = cli(['cloud-conf', 'clouds.yaml'], dir);
    assert.equal(r.code, 1);
    assert.equal(r.out, '');
    assert.match(r.err, /^clouds\.yaml:2:3: error CS102: /m);
    assert.match(r.err, /^clouds\.yaml:4:17: error CS111: /m);
    assert.match(r.err, /^clouds\.yaml:5:7: warning CS170: /m);
    assert.ok(!r.err.includes(': t\n'));
  });

  it('--lb, --ca-file-in-pod and --cacert-out; --public and --secure name the files explicitly', () => {
    fs.mkdirSync(path.join(dir, 'elsewhere'));
    write('elsewhere/pub.yaml', 'public-clouds:\n  v:\n    auth: {auth_url: "https://vendor/v3"}\n');
    write('elsewhere/sec.yaml', 'clouds:\n  c:\n    auth: {application_credential_secret: s}\n');
    write('ca.pem', PEM);
    write(
      'clouds.yaml',
      'clouds:\n  c:\n    profile: v\n    auth: {application_credential_id: i}\n    region_name: R\n    auth_type: v3applicationcredential\n    cacert: ca.pem\n',
    );
    const r = cli(
      [
        'cloud-conf',
        '--lb',
        'ovn',
        '--ca-file-in-pod',
        '/etc/openstack/cacert',
        '--cacert-out',
        'out.pem',
        '--public',
        'elsewhere/pub.yaml',
        '--secure',
        'elsewhere/sec.yaml',
        'clouds.yaml',
      ],
      dir,
    );
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /auth-url="https:\/\/vendor\/v3"\nregion="R"\nca-file="\/etc\/openstack\/cacert"\n/);
    assert.match(r.out, /lb-provider="ovn"/);
    assert.equal(fs.readFileSync(path.join(dir, 'out.pem'), 'utf8'), PEM);
    assert.equal(cli(['cloud-conf', '--lb', 'maybe', 'clouds.yaml'], dir).code, 2);
  });

  it('lint: clouds.yaml and cloud.conf findings, exit 1 only on errors', () => {
    write(
      'clouds.yaml',
      'clouds:\n  c:\n    auth:\n      auth_url: https://k/v3\n      application_credential_id: 012345\n      application_credential_secret: s\n    region_name: R\n',
    );
    const y = cli(['lint', 'clouds.yaml'], dir);
    assert.equal(y.code, 1);
    assert.match(y.err, /^clouds\.yaml:5:34: error CS130: /m);
    assert.match(y.err, /^clouds\.yaml:5:7: warning CS112: /m);
    write('cloud.conf', '[Global]\nauth-url=https://k/v3\npassword = val#ue\nregion=R\n');
    const c = cli(['lint', 'cloud.conf'], dir);
    assert.match(c.err, /^cloud\.conf:3:\d+: warning /m);
    assert.equal(c.code, 0);
    write('secure.yaml', 'clouds:\n  c:\n    auth:\n      password: [unclosed\n');
    const s = cli(['lint', 'secure.yaml'], dir);
    assert.equal(s.code, 1);
    assert.match(s.err, /^secure\.yaml:\d+:\d+: error CS001: YAML syntax error/m);
    assert.equal(cli(['lint', 'missing.yaml'], dir).code, 2);
  });

  it('secret prints the identity Secret with the flattened clouds.yaml', () => {
    const r = cli(['secret', '--cloud', 'openstack', '--namespace', 'tenant-a', path.join(EXAMPLES, 'clouds.yaml')], dir);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /kind: Secret\n/);
    assert.match(r.out, /namespace: tenant-a\n/);
    assert.match(r.out, /clusterctl\.cluster\.x-k8s\.io\/move: ''/);
    const data = /clouds\.yaml: (\S+)/.exec(r.out)?.[1] ?? '';
    const cloudsYaml = Buffer.from(data, 'base64').toString('utf8');
    assert.match(cloudsYaml, /application_credential_secret: "example-application-credential-secret"/);
    assert.match(cloudsYaml, /auth_type: "v3applicationcredential"/);
  });

  it('--help and usage errors', () => {
    assert.equal(cli(['--help'], dir).out, HELP);
    assert.equal(cli(['lint', '--help'], dir).code, 0);
    assert.equal(cli([], dir).code, 2);
    const bad = cli(['frobnicate'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /unknown command "frobnicate"/);
    assert.equal(cli(['cloud-conf', '--bogus', 'x', 'clouds.yaml'], dir).code, 2);
  });

  it('check: usage errors exit 2 before any network; a conversion error exits 1 with JSON when -o json', async () => {
    write(
      'clouds.yaml',
      'clouds:\n  c:\n    auth: {auth_url: "http://127.0.0.1:9/v3", application_credential_id: i, application_credential_secret: s}\n    auth_type: v3applicationcredential\n',
    );
    const usage = async (args: string[], re: RegExp) => {
      let err = '';
      const code = await run(['check', ...args, 'clouds.yaml'], { env: {}, cwd: dir, stdout: () => undefined, stderr: (t) => (err += t) });
      assert.equal(code, 2, err);
      assert.match(err, re);
    };
    await usage(['-o', 'xml'], /-o must be text or json/);
    await usage(['--timeout', '0'], /--timeout must be a number of seconds/);
    await usage(['--style', 'x'], /--style must be cloud-config or clouds-yaml/);
    await usage(['--nope', '1'], /unknown option --nope/);
    let out = '';
    let err = '';
    const code = await run(['check', '-o', 'json', 'clouds.yaml'], {
      env: {},
      cwd: dir,
      stdout: (t) => (out += t),
      stderr: (t) => (err += t),
    });
    assert.equal(code, 1);
    assert.match(err, /error CS102: Cloud "c" has no region/);
    assert.deepEqual(JSON.parse(out), {
      ok: false,
      cloud: 'c',
      problems: [{ code: 'conversion', message: 'the cloud cannot be converted (see stderr)' }],
    });
  });
});

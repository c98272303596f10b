/**
 * The bad-input classes of issue 15 through the CLI, each in a child process under a time and memory
 * bound (BoundedCli): a hang on a named pipe or an unbounded read of /dev/zero fails the test as
 * "timeout" / "memory" instead of hanging the runner. Every class expects a clear, located, one-line
 * error (or, for `!!binary`, the decoded text), never a stack trace, never a secret on stderr.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { BoundedCli, type CliOutcome } from '../../corpus/boundedCli';

const APP = (extra = '') =>
  `clouds:\n  c:\n    auth:\n      auth_url: "https://k.example:5000/v3"\n      application_credential_id: "id-1"\n      application_credential_secret: "planted-secret-1f2e"\n    region_name: "R"\n    auth_type: "v3applicationcredential"\n${extra}`;
const SECRET = 'planted-secret-1f2e';
const CERT = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUTestCertificateBody0=\n-----END CERTIFICATE-----\n';
const KEY_BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDplantedKEY';
const KEY = `-----BEGIN PRIVATE KEY-----\n${KEY_BODY}\n-----END PRIVATE KEY-----\n`;
/** One located finding per line, or the two usage lines. */
const LINE =
  /^(?:[^\n]+:\d+:\d+: (?:error|warning|info) C[SC]\d{3}: [^\n]+|cluster-stacks: [^\n]+|Run `cluster-stacks --help` for usage\.)$/;

function exited(o: CliOutcome): { code: number; out: string; err: string } {
  assert.equal(o.kind, 'exit', `expected an exit, got ${o.kind}: ${JSON.stringify(o).slice(0, 600)}`);
  if (o.kind !== 'exit') throw new Error('unreachable');
  for (const l of o.err.split('\n').filter(Boolean)) assert.match(l, LINE);
  assert.ok(!o.err.includes(SECRET), 'a secret on stderr');
  return o;
}

describe('bad input through the CLI (child process, time and memory bounded)', function () {
  this.timeout(60_000);
  const cli = new BoundedCli({ timeoutMs: 8_000, maxRssBytes: 768 * 1024 * 1024 });
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-bad-'));
  });
  after(() => {
    cli.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const write = (name: string, data: string | Uint8Array) => fs.writeFileSync(path.join(dir, name), data);
  const run = (...args: string[]) => cli.run({ args, cwd: dir });

  describe('deep nesting: a located CS002, no RangeError', () => {
    const shapes: Record<string, string> = {
      '[': 'clouds: ' + '['.repeat(2000) + ']'.repeat(2000) + '\n',
      '{': 'clouds: ' + '{a: '.repeat(1000) + '1' + '}'.repeat(1000) + '\n',
      'block mappings': 'clouds:\n' + Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i + 1)}a${i}:\n`).join(''),
      '- - -': 'clouds:\n  c:\n    x:\n      ' + '- '.repeat(2000) + 'x\n',
    };
    for (const [shape, text] of Object.entries(shapes)) {
      it(`nested ${shape}`, async () => {
        write('clouds.yaml', text);
        for (const args of [
          ['lint', 'clouds.yaml'],
          ['cloud-conf', 'clouds.yaml'],
        ]) {
          const r = exited(await run(...args));
          assert.equal(r.code, 1);
          assert.match(r.err, /^clouds\.yaml:\d+:\d+: error CS002: The YAML nests deeper than 128 levels here; it is not analysed\.$/m);
        }
      });
    }
  });

  describe('cacert that is not a regular file or too large: CS141 at once', () => {
    const cases: Record<string, () => string> = {
      '/dev/zero': () => '/dev/zero',
      '/dev/urandom': () => '/dev/urandom',
      'a named pipe': () => {
        execFileSync('mkfifo', [path.join(dir, 'pipe')]);
        return 'pipe';
      },
      'a directory': () => {
        fs.mkdirSync(path.join(dir, 'cadir'));
        return 'cadir';
      },
      'a socket': () => {
        const server = net.createServer().listen(path.join(dir, 'ca.sock'));
        after(() => server.close());
        return 'ca.sock';
      },
      'a file over 1 MiB': () => {
        write('big.pem', CERT + '#'.repeat(1024 * 1024) + '\n');
        return 'big.pem';
      },
    };
    for (const [what, make] of Object.entries(cases)) {
      it(what, async () => {
        const ca = make();
        if (what === 'a socket') await new Promise((r) => setTimeout(r, 50));
        write('clouds.yaml', APP(`    cacert: "${ca}"\n`));
        const r = exited(await run('cloud-conf', 'clouds.yaml'));
        assert.equal(r.code, 1);
        assert.equal(r.out, '');
        const reason = {
          '/dev/zero': 'a character device, not a regular file',
          '/dev/urandom': 'a character device, not a regular file',
          'a named pipe': 'a named pipe, not a regular file',
          'a directory': 'a directory, not a regular file',
          'a socket': 'a socket, not a regular file',
          'a file over 1 MiB': 'larger than 1 MiB',
        }[what];
        assert.match(r.err, new RegExp(`^clouds\\.yaml:9:13: error CS141: Cannot read the CA certificate \\S+: it is ${reason}`, 'm'));
      });
    }
  });

  it('a 60 MB clouds.yaml, secure.yaml or clouds-public.yaml is a located CS002, not "cannot read"', async () => {
    const fd = fs.openSync(path.join(dir, 'huge.yaml'), 'w');
    fs.ftruncateSync(fd, 60 * 1024 * 1024);
    fs.closeSync(fd);
    const lint = exited(await run('lint', 'huge.yaml'));
    assert.equal(lint.code, 1);
    assert.match(lint.err, /^huge\.yaml:1:1: error CS002: The file is not analysed: it is larger than 8 MiB \(60 MiB\)\.$/m);
    write('clouds.yaml', APP());
    const conv = exited(await run('cloud-conf', '--secure', 'huge.yaml', 'clouds.yaml'));
    assert.equal(conv.code, 1);
    assert.match(conv.err, /^huge\.yaml:1:1: error CS002: /m);
    const pub = exited(await run('cloud-conf', '--public', 'huge.yaml', 'clouds.yaml'));
    assert.match(pub.err, /^huge\.yaml:1:1: error CS002: /m);
  });

  it('a named pipe or a device as the clouds file itself: exit 2 at once, saying what it is', async () => {
    execFileSync('mkfifo', [path.join(dir, 'clouds-pipe.yaml')]);
    const r = exited(await run('lint', 'clouds-pipe.yaml'));
    assert.equal(r.code, 2);
    assert.match(r.err, /^cluster-stacks: cannot read clouds-pipe\.yaml: it is a named pipe, not a regular file$/m);
    const z = exited(await run('cloud-conf', '/dev/zero'));
    assert.equal(z.code, 2);
    assert.match(z.err, /cannot read \/dev\/zero: it is a character device/);
  });

  it('invalid UTF-8 in a value is refused at the byte (CS180), not turned into U+FFFD', async () => {
    const text = Buffer.from(APP().replace(SECRET, 'pl\u0000nted'), 'utf8');
    const at = text.indexOf(0);
    text[at] = 0xff;
    write('clouds.yaml', text);
    for (const args of [
      ['cloud-conf', 'clouds.yaml'],
      ['lint', 'clouds.yaml'],
    ]) {
      const r = exited(await run(...args));
      assert.equal(r.code, 1);
      assert.equal(r.out, '');
      assert.match(r.err, /^clouds\.yaml:6:41: error CS180: The file is not valid UTF-8 here \(byte 0xFF at offset \d+\)/m);
      assert.ok(!r.err.includes('\ufffd'));
    }
  });

  it('a password, secret or auth_url that is a mapping or a list is a located CS105, not dropped', async () => {
    const cases: [string, string, RegExp][] = [
      [
        'application_credential_secret: "planted-secret-1f2e"',
        'application_credential_secret: {planted-secret-1f2e: x}',
        /^clouds\.yaml:6:38: error CS105: `application_credential_secret` must be a string: it is a mapping\./m,
      ],
      [
        'application_credential_secret: "planted-secret-1f2e"',
        'application_credential_secret: [planted-secret-1f2e]',
        /^clouds\.yaml:6:38: error CS105: `application_credential_secret` must be a string: it is a list\./m,
      ],
      [
        'auth_url: "https://k.example:5000/v3"',
        'auth_url: ["https://k.example:5000/v3"]',
        /^clouds\.yaml:4:17: error CS105: `auth_url` must be a string: it is a list\./m,
      ],
    ];
    for (const [from, to, expected] of cases) {
      write('clouds.yaml', APP().replace(from, to));
      const r = exited(await run('cloud-conf', 'clouds.yaml'));
      assert.equal(r.code, 1, r.out);
      assert.match(r.err, expected);
    }
  });

  it('!!binary: the decoded text, as PyYAML and Go yaml read it (CS106 warning); not UTF-8 → CS180', async () => {
    const b64 = Buffer.from('s3cr3t-ü', 'utf8').toString('base64');
    write('clouds.yaml', APP().replace('"planted-secret-1f2e"', `!!binary ${b64}`));
    const ok = exited(await run('cloud-conf', 'clouds.yaml'));
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /^application-credential-secret="s3cr3t-ü"$/m);
    assert.match(ok.err, /^clouds\.yaml:6:47: warning CS106: /m);
    write('clouds.yaml', APP().replace('"planted-secret-1f2e"', '!!binary /w=='));
    const bad = exited(await run('cloud-conf', 'clouds.yaml'));
    assert.equal(bad.code, 1);
    assert.match(
      bad.err,
      /^clouds\.yaml:6:47: error CS180: `application_credential_secret` must be a string: its `!!binary` bytes are not UTF-8 text/m,
    );
  });

  it('a CA file holding a private key is refused (CS143) without echoing the key; only CERTIFICATE blocks are shipped', async () => {
    write('ca.pem', CERT + KEY);
    write('clouds.yaml', APP('    cacert: ca.pem\n'));
    const r = exited(await run('cloud-conf', '--cacert-out', 'out.pem', 'clouds.yaml'));
    assert.equal(r.code, 1);
    assert.match(r.err, /^clouds\.yaml:9:13: error CS143: \S+ca\.pem holds a private key \(a "PRIVATE KEY" block at line 4\)/m);
    assert.ok(!r.err.includes(KEY_BODY));
    assert.equal(fs.existsSync(path.join(dir, 'out.pem')), false);
    const s = exited(await run('secret', 'clouds.yaml'));
    assert.equal(s.code, 1);
    assert.ok(!s.out.includes(Buffer.from(KEY).toString('base64').slice(0, 20)));
    // A bundle with comments and a CRL: the certificates only, with a warning for the CRL.
    write('ca.pem', `# Issuer: test\n${CERT}-----BEGIN X509 CRL-----\nMIIBcrl=\n-----END X509 CRL-----\n${CERT}`);
    const b = exited(await run('cloud-conf', '--cacert-out', 'out.pem', 'clouds.yaml'));
    assert.equal(b.code, 0, b.err);
    assert.equal(fs.readFileSync(path.join(dir, 'out.pem'), 'utf8'), CERT + CERT);
    assert.match(b.err, /^clouds\.yaml:9:13: warning CS144: \S+ca\.pem line 5: the "X509 CRL" block is not shipped/m);
  });

  it('message hygiene: an inline PEM as cacert and a newline in OS_CLOUD stay on one line; no value is echoed', async () => {
    write('clouds.yaml', APP(`    cacert: "${(CERT + KEY).replace(/\n/g, '\\n')}"\n`));
    const pem = exited(await run('cloud-conf', 'clouds.yaml'));
    assert.equal(pem.code, 1);
    assert.match(pem.err, /^clouds\.yaml:9:13: error CS141: `cacert` holds PEM text, not a path/m);
    assert.ok(!pem.err.includes('MIIB') && !pem.err.includes(KEY_BODY));
    write('clouds.yaml', APP() + '  d:\n    auth: {auth_url: "https://k/v3"}\n');
    const env = exited(
      await cli.run({ args: ['cloud-conf', 'clouds.yaml'], cwd: dir, env: { OS_CLOUD: 'x\nclouds.yaml:1:1: error CS999: forged' } }),
    );
    assert.equal(env.code, 1);
    assert.equal(env.err.split('\n').filter(Boolean).length, 1, env.err);
    assert.match(env.err, /error CS151: Cloud "x\\nclouds\.yaml:1:1: error CS999: forged" is not defined/);
  });

  it('`clouds:` without a cloud: lint and cloud-conf report the same CS003', async () => {
    for (const text of ['clouds:\n', 'clouds: {}\n', 'clouds: ~\n']) {
      write('clouds.yaml', text);
      const lint = exited(await run('lint', 'clouds.yaml'));
      const conv = exited(await run('cloud-conf', 'clouds.yaml'));
      assert.equal(lint.code, 1, text);
      assert.equal(conv.code, 1, text);
      assert.equal(lint.err, 'clouds.yaml:1:1: error CS003: `clouds:` defines no cloud; add one.\n');
      assert.equal(conv.err, lint.err);
    }
  });
});

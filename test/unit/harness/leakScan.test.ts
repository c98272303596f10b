// The leak check of the integration stage (test/integration/leak): it must find a planted secret in
// every place it claims to search and in every form (base64 of a whole pushed document at any
// alignment, JSON-escaped, UTF-16), name the secret and the place without printing the value, stay
// quiet on clean input, and its registry must cover every secret of the workspace fixtures.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { checkLeaks, describeReport } from '../../integration/leak/check';
import type { LedgerFile } from '../../integration/leak/ledger';
import { base64Needles, MIN_SECRET_LENGTH, needles, scanContent } from '../../integration/leak/scan';
import { FIXTURE_SECRETS, registeredSecrets, testSecrets } from '../../integration/secrets';

const REPO = path.resolve(__dirname, '..', '..', '..');
const WORKSPACE = path.join(REPO, 'test', 'integration', 'workspace');
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('leak check (integration stage)', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leak-scan-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A user-data-dir, a workspace and a ledger shaped like a real run's, clean unless planted. */
  function layout(ledger: Partial<LedgerFile> = {}) {
    const userData = path.join(dir, 'user-data');
    const workspace = path.join(dir, 'workspace');
    const log = path.join(userData, 'logs', '20261202T030000', 'exthost1', 'scs.cluster-stacks', 'Cluster Stacks.log');
    fs.mkdirSync(path.dirname(log), { recursive: true });
    fs.writeFileSync(log, '2026-12-02 03:00:00.000 [info] Push to tenant-a/openstack-creds: created\n');
    fs.mkdirSync(path.join(userData, 'User', 'globalStorage'), { recursive: true });
    fs.writeFileSync(path.join(userData, 'User', 'globalStorage', 'state.vscdb'), Buffer.from('SQLite format 3\0clean'));
    fs.cpSync(WORKSPACE, workspace, { recursive: true });
    const ledgerFile = path.join(dir, 'ledger.json');
    fs.writeFileSync(
      ledgerFile,
      JSON.stringify({
        records: [{ where: 'showInformationMessage #1', text: '["Push to tenant-a: 1 created"]' }],
        tokens: [{ id: 'emulator mgmt admin token', value: 'emulator-admin-0123456789abcdef' }],
        ...ledger,
      }),
    );
    return { userData, workspace, log, ledgerFile };
  }
  const secret = testSecrets()['credentials.appCredSecret'];

  it('finds nothing in a clean run (the fixtures in the workspace are credential files)', () => {
    const l = layout();
    const r = checkLeaks({
      ledgerFile: l.ledgerFile,
      storage: [['localStorage x', '{}']],
      userDataDir: l.userData,
      workspace: l.workspace,
    });
    assert.deepEqual(r.hits, []);
    assert.equal(r.secrets, registeredSecrets().length + 1);
    assert.equal(r.files, 3, 'the log, state.vscdb and the workspace README (credential files are exempt)');
  });

  it('fails on a secret planted in the output channel log, naming secret and file, never the value', () => {
    const l = layout();
    fs.appendFileSync(l.log, `2026-12-02 03:00:01.000 [error] request failed: Authorization: ${secret}\n`);
    const r = checkLeaks({ ledgerFile: l.ledgerFile, storage: [], userDataDir: l.userData, workspace: l.workspace });
    assert.equal(r.hits.length, 1);
    assert.equal(r.hits[0].id, 'credentials.appCredSecret');
    assert.match(r.hits[0].where, /^user-data-dir\/logs\/.*\/Cluster Stacks\.log \(byte \d+\)$/);
    const printed = describeReport('suite', r).join('\n');
    assert.match(printed, /1 hits\nLEAK: secret credentials\.appCredSecret \(plain\) in user-data-dir\/logs\//);
    for (const n of needles([{ id: 'x', value: secret }])) assert.ok(!printed.includes(n.bytes.toString('utf8')), n.form);
  });

  it('fails on the base64 of a whole cloud.conf in storage, at every alignment of the secret', () => {
    for (const prefix of ['', 'a', 'ab', 'abc', '[Global]\napplication-credential-secret="']) {
      const conf = `${prefix}${secret}"\nregion="RegionOne"\n`;
      const l = layout();
      const r = checkLeaks({
        ledgerFile: l.ledgerFile,
        storage: [['indexedDB vscode-web-state-db-global/ItemTable/scs.cluster-stacks', JSON.stringify({ conf: b64(conf) })]],
        userDataDir: l.userData,
        workspace: l.workspace,
      });
      assert.deepEqual(
        r.hits.map((h) => [h.id, h.form.replace(/\/\d$/, ''), h.where.replace(/ \(byte \d+\)$/, '')]),
        [['credentials.appCredSecret', 'base64', 'browser storage: indexedDB vscode-web-state-db-global/ItemTable/scs.cluster-stacks']],
        JSON.stringify(prefix),
      );
      fs.rmSync(l.userData, { recursive: true });
      fs.rmSync(l.workspace, { recursive: true });
    }
  });

  it('fails on a token in a command result, a JSON-escaped secret in state.vscdb and a secret in a non-credential workspace file', () => {
    const tricky = testSecrets()['editor.appCredSecret']; // holds " and \, so JSON escapes it
    const l = layout({
      records: [{ where: 'result of clusterStacks.pushToTenant #7', text: '{"message":"401 for emulator-admin-0123456789abcdef"}' }],
    });
    fs.writeFileSync(
      path.join(l.userData, 'User', 'globalStorage', 'state.vscdb'),
      Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.from(JSON.stringify({ v: tricky }))]),
    );
    fs.writeFileSync(
      path.join(l.workspace, 'notes.md'),
      Buffer.from(`pasted ${FIXTURE_SECRETS['workspace/clouds.yaml:password-cloud.password']}`, 'utf16le'),
    );
    fs.writeFileSync(path.join(l.workspace, 'secure.yaml'), `clouds: {x: {auth: {password: "${secret}"}}}\n`); // allowed: a credential file
    const r = checkLeaks({ ledgerFile: l.ledgerFile, storage: [], userDataDir: l.userData, workspace: l.workspace });
    assert.deepEqual(r.hits.map((h) => `${h.id} ${h.form} ${h.where.replace(/ \(byte \d+\)$/, '')}`).sort(), [
      'editor.appCredSecret json-escaped user-data-dir/User/globalStorage/state.vscdb',
      'emulator mgmt admin token plain extension host: result of clusterStacks.pushToTenant #7',
      'workspace/clouds.yaml:password-cloud.password utf-16 workspace/notes.md',
    ]);
  });

  it('base64 needles: each is inside the base64 of any text holding the secret at its alignment', () => {
    const value = 'abcdefghij';
    const ns = base64Needles(value);
    assert.equal(ns.length, 3);
    for (let k = 0; k < 6; k++) {
      const doc = b64(`${'#'.repeat(k)}${value}!tail`);
      assert.ok(
        ns.some((n) => doc.includes(n)),
        `offset ${k}`,
      );
    }
    assert.deepEqual(base64Needles('abcdefg'), [], 'too short for two whole groups at every alignment');
    assert.throws(() => needles([{ id: 'short', value: 'abc' }]), /secret short is shorter than 8/);
    assert.deepEqual(scanContent('x', b64('unrelated text of a cloud.conf'), needles([{ id: 's', value }])), []);
  });

  it('the registry: every secret is long enough, distinct, and every secret of the workspace fixtures is in it', () => {
    const all = registeredSecrets('abcd1234');
    for (const s of all) assert.ok(s.value.length >= MIN_SECRET_LENGTH, s.id);
    assert.equal(new Set(all.map((s) => s.value)).size, all.length, 'distinct values');
    const found: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const f = path.join(d, e.name);
        if (e.isDirectory()) walk(f);
        else if (/\.ya?ml$/.test(e.name)) collect(yaml.load(fs.readFileSync(f, 'utf8')));
      }
    };
    const collect = (v: unknown, key = ''): void => {
      if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) collect(x, k);
      else if (/password|secret|token/.test(key) && v != null) found.push(String(v));
    };
    walk(WORKSPACE);
    assert.ok(found.length >= 4, `${found.length} secrets in the fixtures`);
    const values = Object.values(FIXTURE_SECRETS) as string[];
    for (const f of found) assert.ok(values.includes(f), `a fixture secret is missing from FIXTURE_SECRETS (${f.length} chars)`);
  });
});

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding, TextEdit } from '../../../../src/core/findings';
import { lintCloudConf } from '../../../../src/core/gcfg/lint';

interface PeerLintCase {
  readonly name: string;
  readonly text: string;
  readonly line: number | null;
  readonly severity: string | null;
}
const PEER = (JSON.parse(fs.readFileSync(path.join(__dirname, '../../../conformance/peer-cases.json'), 'utf8')) as { lint: PeerLintCase[] })
  .lint;

const HEAD = '[Global]\nauth-url=https://k:5000/v3\nregion=RegionOne\n';
const codes = (text: string): string[] => lintCloudConf(text).map((f) => f.code);
const only = (text: string, code: string): Finding => {
  const found = lintCloudConf(text).filter((f) => f.code === code);
  assert.equal(found.length, 1, `expected one ${code} in ${JSON.stringify(text)}, got ${JSON.stringify(lintCloudConf(text))}`);
  return found[0];
};

/** Applies LSP-style edits (0-based line/character) to a text. */
function apply(text: string, edits: readonly TextEdit[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const offset = (p: { line: number; character: number }): number => starts[p.line] + p.character;
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
}

describe('cloud.conf linter (lint.ts)', () => {
  describe('peer cases (peer-cases.json lint[])', () => {
    for (const c of PEER) {
      it(`${c.name}: ${c.line === null ? 'no error-level finding' : `${c.severity} on line ${c.line}`}`, () => {
        const findings = lintCloudConf(c.text);
        if (c.line === null) {
          assert.deepEqual(
            findings.filter((f) => f.severity === 'error'),
            [],
          );
        } else {
          assert.ok(
            findings.some((f) => f.range.start.line + 1 === c.line && f.severity === c.severity),
            `no ${c.severity} on line ${c.line}: ${JSON.stringify(findings.map((f) => [f.range.start.line + 1, f.severity, f.code]))}`,
          );
        }
      });
    }
  });

  it('a clean, converter-style file has no findings', () => {
    assert.deepEqual(
      lintCloudConf(
        `${HEAD}application-credential-id="id"\napplication-credential-secret="s;e#c"\n\n[LoadBalancer]\nmonitor-delay=5s\ncreate-monitor=true\n`,
      ),
      [],
    );
  });

  it('never puts a secret value into a message', () => {
    const secrets = ['Hunter2#x', 'Hunter3;y', '"Hun"ter4"', 'Hunter5\\q', 'Hunter6 \\"'];
    for (const key of ['password', 'application-credential-secret', 'token', 'trustee-password']) {
      for (const s of secrets) {
        const text = `${HEAD}${key}=${s}\n`;
        const messages = lintCloudConf(text).map((f) => f.message);
        assert.ok(messages.length > 0, `expected a finding for ${text}`);
        for (const m of messages) assert.ok(!/Hunter|ter[0-9]/.test(m), `${key}: message leaks the value: ${m}`);
      }
    }
  });

  it('CC010: a value cut at # or ; — warning with a fix quoting the whole remainder; info for a spaced comment on a plain key', () => {
    const cut = only(`${HEAD}password = val#ue\n`, 'CC010');
    assert.equal(cut.severity, 'warning');
    assert.equal(apply(`${HEAD}password = val#ue\n`, cut.fixes?.[0].edits ?? []), `${HEAD}password = "val#ue"\n`);
    const spaced = only(`${HEAD}tenant-name = demo ; the project\n`, 'CC010');
    assert.equal(spaced.severity, 'info');
    assert.match(spaced.message, /gcfg reads "demo"/);
  });

  it('CC011/CC012: quotes removed inside a value, continuation lines', () => {
    const text = `${HEAD}tenant-name=a"b"c\n`;
    const f = only(text, 'CC011');
    assert.match(f.message, /reads "abc"/);
    assert.deepEqual(codes(apply(text, f.fixes?.[0].edits ?? [])), []);
    assert.equal(only(`${HEAD}tenant-name=a\\\nb\n`, 'CC012').severity, 'info');
  });

  it('CC001/CC002/CC003: syntax errors, BOM and CR, with fixes for BOM and CR', () => {
    assert.equal(only(`${HEAD}password="open\n`, 'CC001').severity, 'error');
    const bom = `\ufeff${HEAD}`;
    assert.deepEqual(codes(apply(bom, only(bom, 'CC002').fixes?.[0].edits ?? [])), []);
    const crlf = HEAD.replace(/\n/g, '\r\n');
    const cr = only(crlf, 'CC003');
    assert.equal(cr.severity, 'warning');
    assert.deepEqual(cr.range, { start: { line: 0, character: 8 }, end: { line: 0, character: 9 } });
    assert.equal(apply(crlf, cr.fixes?.[0].edits ?? []), HEAD);
  });

  it('CC020/CC021/CC022/CC023/CC024: unknown sections and keys, csp-helper non-keys, subsections', () => {
    assert.equal(only(`${HEAD}[Foo]\nx=1\n`, 'CC020').severity, 'warning');
    const unknown = only(`${HEAD}project-name=demo\n`, 'CC021');
    assert.match(unknown.message, /ignored by OCCM and Cinder CSI as extra data \(did you mean tenant-name\?\)/);
    assert.deepEqual(codes(apply(`${HEAD}project-name=demo\n`, unknown.fixes?.[0].edits ?? [])), []);
    const pid = `${HEAD}project-id=abc\n[LoadBalancer]\nuse-octavia=true\n`;
    const [projectId, octavia] = lintCloudConf(pid).filter((f) => f.code === 'CC022');
    assert.deepEqual(
      projectId.fixes?.map((x) => x.title),
      ['Rename to tenant-id', 'Remove project-id'],
    );
    assert.equal(apply(pid, [...(projectId.fixes?.[1].edits ?? []), ...(octavia.fixes?.[0].edits ?? [])]), `${HEAD}[LoadBalancer]\n`);
    assert.equal(only(`${HEAD}tenant-id=t\nproject-id=abc\n`, 'CC022').fixes?.length, 1, 'no rename when tenant-id exists');
    assert.equal(only(`${HEAD}[Global "two"]\nauth-url=x\nregion=y\n`, 'CC023').severity, 'warning');
    assert.equal(only(`${HEAD}[LoadBalancer "x"]\ncreate-monitor=true\n`, 'CC024').severity, 'warning');
    assert.equal(only(`${HEAD}[LoadBalancerClass]\nsubnet-id=s\n`, 'CC024').severity, 'warning');
    assert.deepEqual(codes(`${HEAD}[LoadBalancerClass "ext"]\nsubnet-id=s\n`), []);
  });

  it('CC030/CC031: values gcfg cannot parse are errors; a bare number of seconds gets a fix', () => {
    const text = `${HEAD}[LoadBalancer]\nmonitor-delay=60\n`;
    const f = only(text, 'CC030');
    assert.match(f.message, /time: missing unit in duration "60"/);
    assert.deepEqual(f.range, { start: { line: 4, character: 14 }, end: { line: 4, character: 16 } });
    assert.deepEqual(codes(apply(text, f.fixes?.[0].edits ?? [])), []);
    for (const bad of ['monitor-max-retries=-1', 'max-shared-lb=lots', 'create-monitor=maybe', 'monitor-timeout=5 s']) {
      assert.equal(only(`${HEAD}[LoadBalancer]\n${bad}\n`, 'CC030').severity, 'error', bad);
    }
    assert.equal(only(`${HEAD}os-endpoint-type=a b\n`, 'CC030').severity, 'error');
    assert.equal(only(`${HEAD}[BlockStorage]\nnode-volume-attach-limit=x\n`, 'CC030').severity, 'error');
    assert.equal(only(`${HEAD}tenant-name\n`, 'CC031').severity, 'error');
    assert.deepEqual(codes(`${HEAD}use-clouds\n[LoadBalancer]\ncreate-monitor\nmonitor-delay=1m30s\nmax-shared-lb=0x10\n`), []);
  });

  it('CC032/CC033/CC043/CC050: consumer checks', () => {
    const tls = `${HEAD}tls-insecure=True\n`;
    const f = only(tls, 'CC032');
    assert.equal(apply(tls, f.fixes?.[0].edits ?? []), `${HEAD}tls-insecure=true\n`);
    assert.deepEqual(codes(`${HEAD}tls-insecure=false\n`), []);
    assert.match(only(`${HEAD}region=Two\n`, 'CC033').message, /first on line 3/);
    assert.equal(only(`${HEAD}os-endpoint-type=private\n`, 'CC043').severity, 'warning');
    assert.equal(only(`${HEAD}[Metadata]\nsearch-order=configDrive,nova\n`, 'CC050').severity, 'error');
    assert.deepEqual(codes(`${HEAD}[Metadata]\nsearch-order=metadataService, configDrive\n`), []);
  });

  it('CC040/CC041/CC042: credentials and required keys of [Global]', () => {
    assert.equal(
      only(`${HEAD}application-credential-id=i\napplication-credential-secret=s\nusername=u\npassword=p\n`, 'CC040').severity,
      'warning',
    );
    const missing = lintCloudConf('[Global]\napplication-credential-id=i\n');
    assert.deepEqual(
      missing.map((f) => [f.code, f.severity]),
      [
        ['CC041', 'warning'],
        ['CC042', 'warning'],
      ],
    );
    assert.deepEqual(
      lintCloudConf('[LoadBalancer]\ncreate-monitor=true\n').map((f) => [f.code, f.severity]),
      [['CC041', 'info']],
    );
    const viaClouds = lintCloudConf('[Global]\nuse-clouds=true\ncloud=x\n');
    assert.deepEqual(
      viaClouds.map((f) => [f.code, f.severity]),
      [
        ['CC041', 'info'],
        ['CC042', 'info'],
      ],
    );
  });

  it('every finding has a range inside the text', () => {
    const texts = [...PEER.map((c) => c.text), `${HEAD}password=a"b\n`, `${HEAD}x=😀#\r\n[Foo "😀"]\n`];
    for (const text of texts) {
      const lines = text.split('\n');
      for (const f of lintCloudConf(text)) {
        const { start, end } = f.range;
        assert.ok(start.line < end.line || (start.line === end.line && start.character <= end.character), `${f.code} range is reversed`);
        assert.ok(end.line < lines.length && end.character <= lines[end.line].length, `${f.code} range is outside the text`);
      }
    }
  });
});

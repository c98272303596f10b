/**
 * `cluster-stacks health` on the states the controllers write (test/fixtures/states, each file names its upstream lines):
 * one entry per Cluster, ClusterStack and ClusterStackRelease, the tree's models, credentials from the
 * ClusterResourceSets in the input, located one-line errors for bad input, documented exit codes.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { run } from '../../../src/cli/run';

const STATES = path.resolve(__dirname, '../../fixtures/states');
const FILES = fs
  .readdirSync(STATES)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => path.join(STATES, f));

function cli(args: string[], stdin?: string, cwd = STATES): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = run(args, { env: {}, cwd, stdout: (t) => (out += t), stderr: (t) => (err += t), stdin: () => stdin ?? '' }) as number; // health is synchronous
  return { code, out, err };
}

type Entry = {
  kind: string;
  namespace: string;
  name: string;
  state: string;
  reason: string;
  credentials?: { state: string; reason: string };
};

describe('cluster-stacks health', () => {
  const all = cli(['health', '-o', 'json', ...FILES]);
  const entries = JSON.parse(all.out) as Entry[];
  const get = (kind: string, name: string) => entries.find((e) => e.kind === kind && e.name === name) as Entry;

  it('every state fixture: the state upstream means, as a JSON array of {kind, namespace, name, state, reason[, credentials]}', () => {
    assert.equal(all.err, '');
    assert.deepEqual(
      entries.map((e) => `${e.kind} ${e.namespace}/${e.name}: ${e.state}${e.credentials ? ` (credentials ${e.credentials.state})` : ''}`),
      [
        'Cluster my-tenant/cs-boot: progressing (credentials pending)',
        'Cluster my-tenant/cs-hook: progressing (credentials none)',
        'Cluster my-tenant/cs-hook-new: progressing (credentials none)',
        'Cluster my-tenant/cs-infra: progressing (credentials none)',
        'Cluster my-tenant/cs-lost: failed (credentials none)',
        'Cluster my-tenant/cs-once: healthy (credentials stale)',
        'Cluster my-tenant/cs-reconcile: healthy (credentials stale)',
        'Cluster my-tenant/cs-topo-fail: failed (credentials none)',
        'Cluster my-tenant/cs-topo-fail-old: failed (credentials none)',
        'Cluster my-tenant/cs-upgrade: progressing (credentials none)',
        'Cluster team-a/cluster-a: unknown (credentials none)',
        'Cluster team-b/cluster-b: unknown (credentials none)',
        'Cluster team-c/cluster-c: unknown (credentials none)',
        'ClusterStack my-tenant/openstack-custom: progressing',
        'ClusterStackRelease my-tenant/openstack-scs2-1-33-v1-alpha-1: progressing',
      ],
    );
    for (const e of entries)
      assert.deepEqual(Object.keys(e), ['kind', 'namespace', 'name', 'state', 'reason', ...(e.credentials ? ['credentials'] : [])]);
    assert.equal(all.code, 1, 'exit 1: something failed');
  });

  it('the reasons name what upstream says: the hook and its ClusterAddon, ApplyOnce, the retry', () => {
    assert.match(
      get('Cluster', 'cs-hook').reason,
      /lifecycle hook BeforeClusterUpgrade is blocking: the cluster-stack operator waits for ClusterAddon cluster-addon-cs-hook/,
    );
    assert.match(get('Cluster', 'cs-hook-new').reason, /waits for ClusterAddon cluster-addon-cs-hook-new, which is not in the input/);
    assert.match(get('Cluster', 'cs-once').credentials!.reason, /ApplyOnce: a rotation never reaches existing clusters/);
    assert.match(get('Cluster', 'cs-reconcile').credentials!.reason, /the controller re-applies it on its next reconcile/);
    assert.match(get('ClusterStackRelease', 'openstack-scs2-1-33-v1-alpha-1').reason, /^retrying: /);
  });

  it('never prints a Secret value (the resource Secrets are in the input)', () => {
    const values = FILES.flatMap((f) => yaml.loadAll(fs.readFileSync(f, 'utf8')) as { kind?: string; data?: Record<string, string> }[])
      .filter((o) => o?.kind === 'Secret' && o.data)
      .flatMap((o) => Object.values(o.data ?? {}));
    assert.ok(values.length >= 2);
    for (const v of values) assert.ok(!all.out.includes(v));
    assert.ok(!/REDACTED-NEW-SECRET|<secret>/.test(all.out));
  });

  it('reads kubectl JSON (kind: List) from stdin and prints a table; exit 0 when all is healthy/ready, 3 when something is progressing', () => {
    const docs = yaml.loadAll(fs.readFileSync(path.join(STATES, 'crs-applyonce-vs-reconcile-after-rotation.yaml'), 'utf8'));
    const clusters = docs.filter((d) => (d as { kind: string }).kind === 'Cluster');
    const list = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: clusters, metadata: { resourceVersion: '' } });
    const ok = cli(['health', '-'], list);
    assert.equal(ok.code, 0, ok.err);
    assert.equal(
      ok.out,
      'KIND     NAMESPACE  NAME          STATE    REASON\nCluster  my-tenant  cs-once       healthy  Available\nCluster  my-tenant  cs-reconcile  healthy  Available\n',
    );
    const boot = cli(['health', '-o', 'json', path.join(STATES, 'cluster-v1beta2-bootstrap.yaml')]);
    assert.equal(boot.code, 3);
    const failed = cli(['health', path.join(STATES, 'cluster-v1beta2-probe-lost.yaml')]);
    assert.equal(failed.code, 1);
  });

  it('a device or a named pipe is refused at once, not read (the bounded reader of every CLI input)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-health-'));
    try {
      execFileSync('mkfifo', [path.join(dir, 'pipe')]);
      // On the old code /dev/zero was read until memory ran out (its size is 0) and the pipe blocked forever.
      const r = cli(['health', '/dev/zero', 'pipe'], undefined, dir);
      assert.equal(r.code, 2);
      const lines = r.err.trimEnd().split('\n');
      assert.deepEqual(
        lines.map((l) => l.replace(/: error: .*/, '')),
        ['/dev/zero', 'pipe'],
      );
      assert.match(lines[0], /cannot read it: it is a (character )?device, not a regular file/);
      assert.match(lines[1], /cannot read it: it is a (named pipe|FIFO|fifo)[^,]*, not a regular file/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bad input: located one-line errors and exit 2', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-health-'));
    try {
      fs.writeFileSync(path.join(dir, 'broken.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata: {name: x\n');
      fs.writeFileSync(path.join(dir, 'broken.json'), '{"kind": "List", "items": [}');
      fs.writeFileSync(path.join(dir, 'scalar.yaml'), '---\njust text\n');
      const r = cli(['health', 'broken.yaml', 'broken.json', 'scalar.yaml', 'missing.yaml'], undefined, dir);
      assert.equal(r.code, 2);
      assert.equal(r.out, '');
      const lines = r.err.trimEnd().split('\n');
      assert.equal(lines.length, 4, r.err);
      assert.match(lines[0], /^broken\.yaml:\d+:\d+: error: /);
      assert.match(lines[1], /^broken\.json:1:\d+: error: invalid JSON: /);
      assert.doesNotMatch(lines[1], /^broken\.json:1:1: /, 'located past the start');
      assert.match(lines[2], /^scalar\.yaml:2:1: error: not a Kubernetes object/);
      assert.match(lines[3], /^missing\.yaml: error: cannot read it/);
      const empty = cli(['health', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n');
      assert.equal(empty.code, 2);
      assert.match(empty.err, /no Cluster, ClusterStack or ClusterStackRelease in the input/);
      assert.equal(cli(['health', '-o', 'yaml', 'x']).code, 2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a dump that is not UTF-8 is refused at the first bad byte (CS180), and input echoed in an error is escaped', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-health-'));
    try {
      // On the old code the bytes were decoded leniently: the U+FFFD in a name went unnoticed.
      fs.writeFileSync(
        path.join(dir, 'latin1.yaml'),
        Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: caf\xe9}\n', 'latin1'),
      );
      // JSON.parse quotes the text around the error: a terminal escape in it must not reach the terminal raw.
      fs.writeFileSync(path.join(dir, 'esc.json'), '{"kind": \u001b[31m}');
      const r = cli(['health', 'latin1.yaml', 'esc.json'], undefined, dir);
      assert.equal(r.code, 2);
      const lines = r.err.trimEnd().split('\n');
      assert.equal(lines.length, 2, r.err);
      assert.match(
        lines[0],
        /^latin1\.yaml:3:\d+: error CS180: The file is not valid UTF-8 here \(byte 0xE9 at offset 51\): Kubernetes objects are UTF-8/,
      );
      assert.match(lines[1], /^esc\.json:1:\d+: error: invalid JSON: /);
      assert.ok(!r.err.includes('\u001b'), 'no raw escape character');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

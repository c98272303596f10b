/**
 * `cluster-stacks health` on a real `kubectl get … -A -o json` dump of the demo management cluster (the emulator, test
 * support; kubectl is the real client): the done-criterion. Every Cluster, ClusterStack and ClusterStackRelease
 * kubectl lists gets one entry, every Cluster its credential state (the dump holds the ClusterResourceSets, bindings and
 * Secrets), and no Secret value reaches the output.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { run } from '../../../src/cli/run';
import { startDemo, type Demo } from '../../emulator/demo';

function kubectl(kubeconfig: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', ['--kubeconfig', kubeconfig, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

describe('cluster-stacks health on a kubectl dump of the demo management cluster', function () {
  this.timeout(120_000);
  let demo: Demo;
  before(async () => {
    demo = await startDemo();
  });
  after(async () => demo?.stop());

  it('one entry per listed object, credentials for every Cluster, no Secret value in the output', async () => {
    const kc = demo.management.kubeconfigPath;
    const dump = await kubectl(kc, [
      'get',
      'clusters,clusterstacks,clusterstackreleases,clusterresourcesets,clusterresourcesetbindings,secrets',
      '-A',
      '-o',
      'json',
    ]);
    assert.equal(dump.code, 0, dump.stderr);
    const list = JSON.parse(dump.stdout) as {
      kind: string;
      items: { kind: string; metadata: { namespace: string; name: string }; data?: Record<string, string> }[];
    };
    assert.equal(list.kind, 'List');
    let out = '';
    let err = '';
    const code = run(['health', '-o', 'json', '-'], {
      env: {},
      cwd: process.cwd(),
      stdout: (t) => (out += t),
      stderr: (t) => (err += t),
      stdin: () => dump.stdout,
    });
    assert.equal(err, '');
    const entries = JSON.parse(out) as { kind: string; namespace: string; name: string; state: string; credentials?: { state: string } }[];
    const listed = list.items
      .filter((i) => ['Cluster', 'ClusterStack', 'ClusterStackRelease'].includes(i.kind))
      .map((i) => `${i.kind} ${i.metadata.namespace}/${i.metadata.name}`)
      .sort();
    assert.deepEqual(entries.map((e) => `${e.kind} ${e.namespace}/${e.name}`).sort(), listed);
    assert.ok(listed.filter((l) => l.startsWith('Cluster ')).length >= 10, 'the demo has its clusters');
    assert.ok(
      entries.filter((e) => e.kind === 'Cluster').every((e) => e.credentials),
      'every Cluster has a credential state',
    );
    assert.ok(
      entries.some((e) => e.state === 'failed'),
      'the demo has a failed cluster',
    );
    assert.equal(code, 1);
    const values = list.items
      .filter((i) => i.kind === 'Secret')
      .flatMap((i) => Object.values(i.data ?? {}))
      .filter((v) => v.length >= 8);
    assert.ok(values.length > 5);
    for (const v of values) assert.ok(!out.includes(v), 'a Secret value (base64) in the output');
  });
});

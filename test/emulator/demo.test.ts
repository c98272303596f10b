// The demo landscape and its CLI: tenants, cluster states, workload clusters behind kubeconfig secrets.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { startDemo, Demo } from './demo';
import { eventually, kubectl } from './helpers';

describe('emulator demo landscape', function () {
  this.timeout(60_000);
  let demo: Demo;

  before(async () => {
    demo = await startDemo();
  });
  after(async () => {
    await demo.stop();
  });

  it('has tenants with cluster stacks, classes, credentials, resource sets and clusters in several states', () => {
    const m = demo.management;
    for (const ns of demo.tenants) assert.ok(m.get('v1', 'Namespace', undefined, ns), ns);
    assert.equal(m.list('clusterstack.x-k8s.io/v1alpha1', 'ClusterStack').length, 2);
    assert.equal(m.list('clusterstack.x-k8s.io/v1alpha1', 'ClusterStackRelease', 'scs2-tenant').length, 2);
    assert.deepEqual(
      m
        .list('cluster.x-k8s.io/v1beta2', 'ClusterClass')
        .map((c) => c.metadata.name)
        .sort(),
      ['openstack-scs-1-32-v1', 'openstack-scs2-1-33-v1'],
    );
    assert.equal(m.list('addons.cluster.x-k8s.io/v1beta2', 'ClusterResourceSet').length, 2);
    assert.ok(
      Buffer.from(m.get('v1', 'Secret', 'scs2-tenant', 'openstack')?.data['clouds.yaml'], 'base64')
        .toString()
        .includes('clouds:'),
    );
    const clusters = m.list('cluster.x-k8s.io/v1beta2', 'Cluster');
    assert.equal(clusters.length, demo.clusters.length);
    const versions = new Set(clusters.map((c) => c.apiVersion));
    assert.deepEqual([...versions].sort(), ['cluster.x-k8s.io/v1beta1', 'cluster.x-k8s.io/v1beta2']);
    assert.ok(
      clusters.some((c) => c.metadata.deletionTimestamp),
      'a deleting cluster',
    );
    assert.ok(
      clusters.some((c) => c.status?.phase === 'Failed'),
      'a failed cluster',
    );
  });

  it('each provisioned workload cluster is reachable through its kubeconfig secret; a lost one is not', async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromString(demo.management.kubeconfig());
    const core = kc.makeApiClient(k8s.CoreV1Api);
    for (const c of demo.clusters.filter((x) => x.workload)) {
      const secret = await core.readNamespacedSecret({ namespace: c.namespace, name: `${c.name}-kubeconfig` });
      assert.equal(secret.metadata?.labels?.['cluster.x-k8s.io/cluster-name'], c.name);
      const wkc = new k8s.KubeConfig();
      wkc.loadFromString(Buffer.from(secret.data?.value ?? '', 'base64').toString());
      const remote = wkc.makeApiClient(k8s.CoreV1Api).readNamespacedSecret({ namespace: 'kube-system', name: 'clouds-yaml' });
      if (c.reachable) assert.equal((await remote).metadata?.name, 'clouds-yaml');
      else await assert.rejects(remote, /ECONNREFUSED/);
    }
  });

  it('hands out a tenant ServiceAccount token that is admin in its tenant only', async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromString(demo.management.kubeconfig({ token: demo.tenantAdminToken, name: 'tenant-admin' }));
    const core = kc.makeApiClient(k8s.CoreV1Api);
    assert.ok((await core.listNamespacedSecret({ namespace: 'scs2-tenant' })).items.length > 0);
    await assert.rejects(core.listNamespacedSecret({ namespace: 'scs-tenant' }), (e: k8s.ApiException<string>) => e.code === 403);
  });

  it('the CLI writes the kubeconfig, serves kubectl and stops on SIGTERM', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kube-emulator-cli-')), 'demo.kubeconfig');
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'cli.ts'), '--demo', '--kubeconfig', file], {
      cwd: join(__dirname, '..', '..'),
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await eventually(() => out.includes('running until interrupted'), 30_000, 'the demo to start');
      assert.match(out, /management cluster "scs-demo" at https:\/\/127\.0\.0\.1:\d+/);
      assert.match(readFileSync(file, 'utf8'), /current-context: scs-demo/);
      const r = await kubectl(file, ['get', 'clusters', '-n', 'scs-tenant', '-o', 'name']);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(r.stdout.trim().split('\n'), [
        'cluster.cluster.x-k8s.io/cs-cluster',
        'cluster.cluster.x-k8s.io/cs-edge',
        'cluster.cluster.x-k8s.io/cs-retired',
      ]);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0);
  });
});

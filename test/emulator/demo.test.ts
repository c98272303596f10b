// The demo landscape and its CLI: tenants, cluster states, workload clusters behind kubeconfig secrets.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { startDemo, Demo } from './demo';
import { eventually, kubectl } from './helpers';
import type { Emulator, KubeObject } from './index';

describe('emulator demo landscape', function () {
  this.timeout(60_000);
  let demo: Demo;

  before(async () => {
    // The landscape as seeded: the controller models are tested running below.
    demo = await startDemo(undefined, undefined, { controllers: false });
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
      ['openstack-scs-1-32-v1', 'openstack-scs-1-33-v1', 'openstack-scs2-1-33-v1'],
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

  it("workload clusters run the OpenStack CCM and Cinder CSI with the Helm charts' labels on Nodes of their topology", () => {
    const w = demo.clusters.find((c) => c.name === 'cs-cluster')?.workload;
    const ds = w?.get('apps/v1', 'DaemonSet', 'kube-system', 'openstack-cloud-controller-manager');
    assert.deepEqual(ds?.spec.selector.matchLabels, {
      component: 'controllermanager',
      app: 'openstack-cloud-controller-manager',
      release: 'cluster-addon',
    });
    assert.equal(ds?.spec.template.metadata.labels.chart, 'openstack-cloud-controller-manager-2.36.0');
    const csi = w?.get('apps/v1', 'Deployment', 'kube-system', 'openstack-cinder-csi-controllerplugin');
    assert.deepEqual(csi?.spec.selector.matchLabels, {
      component: 'controllerplugin',
      app: 'openstack-cinder-csi',
      release: 'cluster-addon',
    });
    assert.ok(w?.get('apps/v1', 'DaemonSet', 'kube-system', 'openstack-cinder-csi-nodeplugin'));
    // cs-cluster: 1 control-plane node + 3 workers (its topology).
    assert.equal(w?.list('v1', 'Node').length, 4);
    assert.equal(w?.list('v1', 'Node', undefined, 'node-role.kubernetes.io/control-plane').length, 1);
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
        'cluster.cluster.x-k8s.io/cs-held',
        'cluster.cluster.x-k8s.io/cs-retired',
      ]);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0);
  });
});

/** `kubectl rollout <verb> daemonset/openstack-cloud-controller-manager` in a workload cluster. */
const ccmRollout = (w: Emulator | undefined, verb: string, ...extra: string[]) =>
  kubectl(w?.kubeconfigPath ?? '', ['rollout', verb, 'daemonset/openstack-cloud-controller-manager', '-n', 'kube-system', ...extra]);

describe('emulator demo landscape with the controller models running', function () {
  this.timeout(120_000);
  let demo: Demo;
  const cluster = (ns: string, name: string): KubeObject | undefined =>
    demo.management.get('cluster.x-k8s.io/v1beta2', 'Cluster', ns, name);
  const cond = (c: KubeObject | undefined, type: string): KubeObject | undefined => {
    const list = c?.apiVersion === 'cluster.x-k8s.io/v1beta1' ? c?.status?.v1beta2?.conditions : c?.status?.conditions;
    return (list ?? []).find((x: KubeObject) => x.type === type);
  };

  before(async () => {
    demo = await startDemo(undefined, 'scs-demo-live', { intervalMs: 100 });
  });
  after(async () => demo.stop());

  it('the ordered cluster bootstraps: Provisioned, control plane initialized, its workload cluster with the CCM comes up', async () => {
    await eventually(
      () => cond(cluster('scs2-tenant', 'ordered'), 'ControlPlaneInitialized')?.status === 'True',
      60_000,
      'ordered initialized',
    );
    const c = cluster('scs2-tenant', 'ordered');
    assert.equal(c?.status.phase, 'Provisioned');
    await eventually(() => demo.management.workloads.has('scs2-tenant/ordered'), 10_000, 'the workload emulator');
    const w = demo.management.workloads.get('scs2-tenant/ordered');
    await eventually(
      () => !!w?.get('apps/v1', 'DaemonSet', 'kube-system', 'openstack-cloud-controller-manager'),
      10_000,
      'the CCM DaemonSet',
    );
    const r = await ccmRollout(w, 'status', '--timeout=30s');
    assert.equal(r.code, 0, r.stderr);
    await eventually(() => cond(cluster('scs2-tenant', 'ordered'), 'RemoteConnectionProbe')?.status === 'True', 30_000, 'probe succeeded');
  });

  it('cs-held waits on the cluster-stack operator hook; the CRS and CSO models keep working on the fixtures', async () => {
    await eventually(
      () => cond(cluster('scs-tenant', 'cs-held'), 'TopologyReconciled')?.reason === 'LifecycleHookBlocking',
      30_000,
      'hook blocking',
    );
    assert.equal(cond(cluster('scs-tenant', 'cs-held'), 'TopologyReconciled')?.message, 'hook "BeforeClusterUpgrade" is blocking');
    assert.equal(
      demo.management.get('clusterstack.x-k8s.io/v1alpha1', 'ClusterAddon', 'scs-tenant', 'cluster-addon-cs-held')?.spec.hook,
      'BeforeClusterUpgrade',
    );
    await eventually(
      () =>
        demo.management.get('clusterstack.x-k8s.io/v1alpha1', 'ClusterStackRelease', 'scs2-tenant', 'openstack-scs2-1-33-v2')?.status
          ?.ready === true,
      30_000,
      'the scs2 v2 release ready',
    );
    await eventually(
      () => !!demo.management.get('addons.cluster.x-k8s.io/v1beta2', 'ClusterResourceSetBinding', 'scs-tenant', 'cs-cluster'),
      30_000,
      'a binding of the scs CRS',
    );
  });

  it('a workload cluster whose pods never become ready: a restart of the CCM never completes', async () => {
    const w = demo.clusters.find((c) => c.name === 'workers-short')?.workload;
    const restart = await ccmRollout(w, 'restart');
    assert.equal(restart.code, 0, restart.stderr);
    const r = await ccmRollout(w, 'status', '--timeout=3s');
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /timed out waiting for the condition/);
  });
});

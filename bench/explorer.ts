/**
 * Explorer benchmark (`npm run bench`): 500 tenants × 20 workload clusters on the Kubernetes API
 * emulator. Measures, for the explorer's per-context cache (the code the tree reads):
 *  - time from refresh (cache start) to a fully populated tenants level, and to one expanded tenant;
 *  - HTTP requests of a full refresh (counted by the client and by the server), for two data sizes;
 *  - `kubectl get clusters.cluster.x-k8s.io -A -o json` on the same data in the same run (peer ratio);
 *  - heap held by the cache with everything cached (heap delta around the cache, after GC).
 * Usage: npm run bench [-- --tenants 500 --clusters 20]
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { clusterCredentials } from '../src/core/capi/credentials';
import { clusterStatus } from '../src/core/capi/status';
import { type TenantContent, tenantsOf } from '../src/core/capi/tenants';
import { ContextCache } from '../src/kube/cache';
import { KubeClient } from '../src/kube/client';
import { ownedLease } from '../src/kube/pool';
import { type Emulator, startEmulator } from '../test/emulator';

const run = promisify(execFile);
const gc = (globalThis as { gc?: () => void }).gc;

function heapMiB(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

const HEALTH_CYCLE = ['True', 'True', 'True', 'False'] as const;

function seed(tenants: number, clustersPer: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let t = 0; t < tenants; t++) {
    const ns = `tenant-${String(t).padStart(3, '0')}`;
    out.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'openstack', namespace: ns },
      stringData: { 'clouds.yaml': 'clouds:\n  openstack: {}\n', cloudName: 'openstack' },
    });
    out.push({
      apiVersion: 'clusterstack.x-k8s.io/v1alpha1',
      kind: 'ClusterStack',
      metadata: { name: 'openstack', namespace: ns },
      spec: { provider: 'openstack', name: 'scs2', kubernetesVersion: '1.33', channel: 'stable', noProvider: true, versions: ['v1'] },
      status: { summary: [{ name: 'v1', phase: 'done', ready: true }] },
    });
    out.push({
      apiVersion: 'addons.cluster.x-k8s.io/v1beta2',
      kind: 'ClusterResourceSet',
      metadata: { name: 'crs-openstack-newsecret', namespace: ns },
      spec: {
        strategy: 'Reconcile',
        clusterSelector: { matchLabels: { 'managed-secret': 'clouds-yaml' } },
        resources: [{ kind: 'Secret', name: 'openstack-workload-cluster-newsecret' }],
      },
    });
    for (let c = 0; c < clustersPer; c++) {
      const available = HEALTH_CYCLE[c % HEALTH_CYCLE.length];
      out.push({
        apiVersion: 'cluster.x-k8s.io/v1beta2',
        kind: 'Cluster',
        metadata: { name: `cluster-${String(c).padStart(2, '0')}`, namespace: ns, labels: { 'managed-secret': 'clouds-yaml' } },
        spec: {
          topology: {
            classRef: { name: 'openstack-scs2-1-33-v1' },
            version: 'v1.33.4',
            controlPlane: { replicas: 3 },
            workers: { machineDeployments: [{ class: 'default-worker', name: 'md-0', replicas: 3 }] },
          },
        },
        status: {
          phase: 'Provisioned',
          initialization: { infrastructureProvisioned: true, controlPlaneInitialized: true },
          conditions: [
            {
              type: 'Available',
              status: available,
              reason: available === 'True' ? 'Available' : 'NotAvailable',
              message: available === 'True' ? '' : '* WorkersAvailable: 0 available replicas',
              lastTransitionTime: '2025-06-02T08:00:00Z',
            },
            { type: 'ControlPlaneAvailable', status: 'True', reason: 'Available', lastTransitionTime: '2025-06-02T08:00:00Z' },
            {
              type: 'WorkersAvailable',
              status: available,
              reason: available === 'True' ? 'Available' : 'NotAvailable',
              lastTransitionTime: '2025-06-02T08:00:00Z',
            },
            { type: 'RollingOut', status: 'False', reason: 'NotRollingOut', lastTransitionTime: '2025-06-02T08:00:00Z' },
          ],
        },
      });
    }
  }
  return out;
}

/** What the tree computes for one expanded tenant: every cluster's status and credentials. */
function expandTenant(t: TenantContent): number {
  let n = 0;
  for (const c of t.clusters) {
    clusterStatus(c);
    clusterCredentials(c, t.resourceSets, t.bindings);
    n++;
  }
  return n;
}

async function refresh(em: Emulator): Promise<{
  cache: ContextCache;
  populatedMs: number;
  expandedMs: number;
  tenants: number;
  serverRequests: number;
  clientRequests: number;
}> {
  const kc = new KubeConfig();
  kc.loadFromString(em.kubeconfig());
  em.resetRequests();
  const cache = new ContextCache(em.name, ownedLease(new KubeClient(kc)));
  const t0 = performance.now();
  cache.start();
  await cache.whenSynced();
  const tenants = tenantsOf(cache.snapshot());
  const populatedMs = performance.now() - t0;
  expandTenant(tenants[Math.floor(tenants.length / 2)]);
  const expandedMs = performance.now() - t0;
  // Watches are requests too; wait until all 8 are open so the count is complete.
  for (let i = 0; i < 100 && em.openWatches < cache.stats().reflectors; i++) await new Promise((r) => setTimeout(r, 20));
  return {
    cache,
    populatedMs,
    expandedMs,
    tenants: tenants.length,
    serverRequests: em.requests.length,
    clientRequests: cache.stats().requests,
  };
}

async function kubectlTime(em: Emulator): Promise<{ ms: number; items: number; requests: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-kubectl-'));
  try {
    const kubeconfig = path.join(dir, 'kubeconfig');
    fs.writeFileSync(kubeconfig, em.kubeconfig(), { mode: 0o600 });
    const env = { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: path.join(dir, 'cache') };
    em.resetRequests();
    const t0 = performance.now();
    const { stdout } = await run('kubectl', ['get', 'clusters.cluster.x-k8s.io', '-A', '-o', 'json'], { env, maxBuffer: 1 << 30 });
    const ms = performance.now() - t0;
    return { ms, items: (JSON.parse(stdout) as { items: unknown[] }).items.length, requests: em.requests.length };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { tenants: { type: 'string', default: '500' }, clusters: { type: 'string', default: '20' } } });
  const tenants = Number(values.tenants);
  const clustersPer = Number(values.clusters);
  if (!gc) console.log('(run with node --expose-gc for exact heap figures; `npm run bench` does)');

  const t = performance.now();
  const small = await startEmulator({ name: 'bench-small', seed: seed(5, 2) });
  const em = await startEmulator({ name: 'bench', seed: seed(tenants, clustersPer) });
  const seedMs = performance.now() - t;

  try {
    const smallRun = await refresh(small);
    smallRun.cache.dispose();

    // Warm-up (JIT, TLS session setup), then the measured refresh.
    const heapNoCache = heapMiB();
    const warm = await refresh(em);
    const heapWarm = heapMiB();
    warm.cache.dispose();
    await new Promise((r) => setTimeout(r, 1500));
    const heapBefore = heapMiB();
    const r = await refresh(em);
    const heapAfter = heapMiB();
    console.log(
      `heap MiB: no cache ${heapNoCache.toFixed(1)}, warm cache ${heapWarm.toFixed(1)}, after dispose ${heapBefore.toFixed(1)}, measured cache ${heapAfter.toFixed(1)}`,
    );
    const k = await kubectlTime(em);
    const rows: [string, string][] = [
      [
        'data',
        `${tenants} tenants × ${clustersPer} clusters = ${tenants * clustersPer} Clusters (+ ${tenants} secrets, stacks, CRS); seeded in ${(seedMs / 1000).toFixed(1)} s`,
      ],
      ['refresh → tenants level populated', `${r.populatedMs.toFixed(0)} ms (${r.tenants} tenants)`],
      ['refresh → one tenant expanded', `${r.expandedMs.toFixed(0)} ms (${clustersPer} clusters with health + credentials)`],
      ['HTTP requests, full refresh (client)', `${r.clientRequests} (8 lists + 8 watches + 4 discovery)`],
      [
        'HTTP requests, full refresh (server log)',
        `${r.serverRequests} answered (lists + discovery; open watches are logged when they end)`,
      ],
      [
        'HTTP requests, 5 tenants × 2 clusters',
        `${smallRun.clientRequests} (client), ${smallRun.serverRequests} (server) — constant per context`,
      ],
      ['kubectl get clusters -A -o json', `${k.ms.toFixed(0)} ms, ${k.items} items, ${k.requests} requests`],
      ['peer ratio (explorer all types / kubectl clusters only)', `${(r.populatedMs / k.ms).toFixed(2)}`],
      ['heap held by the cache (all types cached)', `${(heapAfter - heapBefore).toFixed(1)} MiB${gc ? '' : ' (approx., no --expose-gc)'}`],
    ];
    const w = Math.max(...rows.map(([a]) => a.length));
    console.log(`\n${'metric'.padEnd(w)} | value\n${'-'.repeat(w)}-|-${'-'.repeat(60)}`);
    for (const [a, b] of rows) console.log(`${a.padEnd(w)} | ${b}`);
    r.cache.dispose();
    await new Promise((res) => setTimeout(res, 1500));
    console.log(`heap after disposing the measured cache: ${heapMiB().toFixed(1)} MiB (same as before it = nothing leaked)`);
  } finally {
    await small.stop();
    await em.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

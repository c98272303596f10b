/**
 * Credential push benchmark (`npm run bench`): one management emulator with N workload emulators
 * (default 100), each answering with an added latency (default 50 ms). Measures in the same run:
 *  - the extension's push (`pushToWorkloadClusters`: kubeconfig secret read, live read, server-side
 *    dry run, apply — per cluster, 8 clusters at a time), first run (create) and re-run (unchanged);
 *  - a sequential `kubectl apply --server-side` loop over the same clusters (the manual way), with the
 *    workload kubeconfigs already extracted to files (which favours kubectl);
 * and prints the ratio. Usage: npm run bench -- [--clusters 100 --latency 50 --concurrency 8]
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { cloudConfigSecret } from '../src/core/manifests/credentials';
import { KubeClient } from '../src/kube/client';
import { pushToWorkloadClusters, summarizeResults } from '../src/kube/push';
import { startEmulator } from '../test/emulator';

const run = promisify(execFile);
const CONF =
  '[Global]\nauth-url="https://keystone.example.com:5000/v3"\nregion="RegionOne"\napplication-credential-id="bench-id"\napplication-credential-secret="bench-secret"\n\n[LoadBalancer]\nmanage-security-groups=true\n';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      clusters: { type: 'string', default: '100' },
      latency: { type: 'string', default: '50' },
      concurrency: { type: 'string', default: '8' },
    },
  });
  const n = Number(values.clusters);
  const latencyMs = Number(values.latency);
  const concurrency = Number(values.concurrency);
  const ns = 'tenant-bench';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-push-'));
  const mgmt = await startEmulator({ name: 'bench-mgmt', seed: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }] });
  try {
    let t = Date.now();
    const names = Array.from({ length: n }, (_, i) => `wc-${String(i).padStart(3, '0')}`);
    const files: string[] = [];
    for (const name of names) {
      const w = await mgmt.addWorkloadCluster(ns, name);
      w.faults.set({ latencyMs });
      const f = path.join(dir, `${name}.kubeconfig`);
      fs.writeFileSync(f, w.kubeconfig(), { mode: 0o600 });
      files.push(f);
    }
    console.log(`${n} workload emulators (+${latencyMs} ms per request) started in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    const kc = new KubeConfig();
    kc.loadFromString(mgmt.kubeconfig());
    const client = new KubeClient(kc);
    const secret = cloudConfigSecret({ text: CONF });

    t = Date.now();
    const first = await pushToWorkloadClusters(client, { namespace: ns, clusters: names, objectsFor: () => [secret], concurrency });
    const pushMs = Date.now() - t;
    t = Date.now();
    const again = await pushToWorkloadClusters(client, { namespace: ns, clusters: names, objectsFor: () => [secret], concurrency });
    const rerunMs = Date.now() - t;
    const requests = [...mgmt.workloads.values()].reduce((s, w) => s + w.requests.length, 0);

    const manifest = path.join(dir, 'secret.json');
    fs.writeFileSync(manifest, JSON.stringify({ ...secret, metadata: { ...secret.metadata, name: 'cloud-config-kubectl' } }));
    const cache = path.join(dir, 'kubectl-cache');
    t = Date.now();
    for (const f of files) {
      await run('kubectl', ['apply', '--server-side', '--field-manager=bench-kubectl', '-f', manifest], {
        env: { ...process.env, KUBECONFIG: f, KUBECACHEDIR: cache },
      });
    }
    const kubectlMs = Date.now() - t;

    const rows: [string, string][] = [
      ['workload clusters', `${n} (latency +${latencyMs} ms per request)`],
      ['extension push, first run (create)', `${(pushMs / 1000).toFixed(2)} s — ${summarizeResults(first)}, concurrency ${concurrency}`],
      ['extension push, re-run (unchanged)', `${(rerunMs / 1000).toFixed(2)} s — ${summarizeResults(again)}`],
      [
        'workload API requests, both runs',
        `${requests} (${(requests / n / 2).toFixed(1)} per cluster per run: live read, dry run, apply when changed)`,
      ],
      ['sequential kubectl apply --server-side', `${(kubectlMs / 1000).toFixed(2)} s (kubeconfigs pre-extracted, discovery cache shared)`],
      ['ratio kubectl loop / extension push', `${(kubectlMs / pushMs).toFixed(1)}×`],
    ];
    const w = Math.max(...rows.map((r) => r[0].length));
    console.log(`\n${'metric'.padEnd(w)} | value\n${'-'.repeat(w)}-|-${'-'.repeat(60)}`);
    for (const [a, b] of rows) console.log(`${a.padEnd(w)} | ${b}`);
  } finally {
    await mgmt.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: Error) => {
  console.error(e.stack ?? e.message);
  process.exitCode = 1;
});

/**
 * Credential push: one management emulator with N workload emulators, each answering with an added
 * latency. Measures in the same run:
 *  - the extension's push (`pushToWorkloadClusters`: kubeconfig secret read, live read, server-side
 *    dry run, apply — per cluster, 8 clusters at a time), first run (create) and re-run (unchanged);
 *  - a sequential `kubectl apply --server-side` loop over the same clusters (the manual way), with the
 *    workload kubeconfigs already extracted to files (which favours kubectl).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { cloudConfigSecret } from '../src/core/manifests/credentials';
import { KubeClient } from '../src/kube/client';
import { pushToWorkloadClusters, summarizeResults } from '../src/kube/push';
import { startEmulator } from '../test/emulator';
import { tempDir } from '../test/vscode/codeServer';
import { type Metric, metric } from './metrics';

const run = promisify(execFile);
const CONF =
  '[Global]\nauth-url="https://keystone.example.com:5000/v3"\nregion="RegionOne"\napplication-credential-id="bench-id"\napplication-credential-secret="bench-secret"\n\n[LoadBalancer]\nmanage-security-groups=true\n';

export async function benchPush(
  opts: { clusters: number; latencyMs: number; concurrency: number },
  log: (line: string) => void,
): Promise<Record<string, Metric>> {
  const { clusters: n, latencyMs, concurrency } = opts;
  const ns = 'tenant-bench';
  const dir = tempDir('bench-push');
  const mgmt = await startEmulator({ name: 'bench-mgmt', seed: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }] });
  try {
    let t = performance.now();
    const names = Array.from({ length: n }, (_, i) => `wc-${String(i).padStart(3, '0')}`);
    const files: string[] = [];
    for (const name of names) {
      const w = await mgmt.addWorkloadCluster(ns, name);
      w.faults.set({ latencyMs });
      const f = path.join(dir, `${name}.kubeconfig`);
      fs.writeFileSync(f, w.kubeconfig(), { mode: 0o600 });
      files.push(f);
    }
    log(`  push: ${n} workload emulators (+${latencyMs} ms per request) started in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const kc = new KubeConfig();
    kc.loadFromString(mgmt.kubeconfig());
    const client = new KubeClient(kc);
    const secret = cloudConfigSecret({ text: CONF });

    t = performance.now();
    const first = await pushToWorkloadClusters(client, { namespace: ns, clusters: names, objectsFor: () => [secret], concurrency });
    const pushMs = performance.now() - t;
    t = performance.now();
    const again = await pushToWorkloadClusters(client, { namespace: ns, clusters: names, objectsFor: () => [secret], concurrency });
    const rerunMs = performance.now() - t;
    const created = first.filter((r) => r.outcome === 'created').length;
    const unchanged = again.filter((r) => r.outcome === 'unchanged').length;
    if (created !== n || unchanged !== n)
      throw new Error(`push: expected ${n} created and ${n} unchanged, got ${summarizeResults(first)} / ${summarizeResults(again)}`);
    const requests = [...mgmt.workloads.values()].reduce((s, w) => s + w.requests.length, 0);

    const manifest = path.join(dir, 'secret.json');
    fs.writeFileSync(manifest, JSON.stringify({ ...secret, metadata: { ...secret.metadata, name: 'cloud-config-kubectl' } }));
    const cache = path.join(dir, 'kubectl-cache');
    t = performance.now();
    for (const f of files) {
      await run('kubectl', ['apply', '--server-side', '--field-manager=bench-kubectl', '-f', manifest], {
        env: { ...process.env, KUBECONFIG: f, KUBECACHEDIR: cache },
        timeout: 120_000,
      });
    }
    const kubectlMs = performance.now() - t;
    log(
      `  push: first ${pushMs.toFixed(0)} ms (${summarizeResults(first)}), re-run ${rerunMs.toFixed(0)} ms (${summarizeResults(again)}), ` +
        `${requests} workload requests; kubectl loop ${kubectlMs.toFixed(0)} ms`,
    );
    const workload = `${n} workload clusters, +${latencyMs} ms per request, ${concurrency} at a time`;
    const kubectlPeer = 'sequential `kubectl apply --server-side` loop (kubeconfigs pre-extracted, discovery cache shared)';
    return {
      push_ratio_vs_kubectl_100: metric({
        unit: 'x',
        samples: [kubectlMs / pushMs],
        peer: kubectlPeer,
        ratioIsValue: true,
        workload,
        how: 'kubectl loop wall time ÷ the extension push (first run, all created); > 1: the push is faster',
      }),
      push_ms_100: metric({
        unit: 'ms',
        samples: [pushMs],
        peer: kubectlPeer,
        peerValue: kubectlMs,
        workload,
        how: 'pushToWorkloadClusters wall time, first run (live read, server-side dry run, apply per cluster)',
      }),
      push_rerun_ms_100: metric({
        unit: 'ms',
        samples: [rerunMs],
        workload: `${workload}; ${(requests / n / 2).toFixed(1)} workload requests per cluster per run`,
        how: 'the same push again (all unchanged: read + dry run, no write)',
      }),
    };
  } finally {
    await mgmt.stop();
  }
}

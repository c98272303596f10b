/**
 * Following the ClusterStackReleases a ClusterStack makes the operator create (docs/domain.md §4.2):
 * polls their state once a second until every one is ready, the time is up, or `signal` aborts (then it
 * rejects with AbortedError). The wait never outlives the caller: the timer is cancelled with the signal.
 */
import { releaseState } from '../core/capi/stacks';
import { stringField } from '../core/capi/types';
import { CLUSTER_STACK_API_VERSION } from '../core/stacks/clusterStack';
import { delay } from '../lifecycle';
import type { KubeClient } from './client';
import { listObjects } from './objects';

const RELEASE_POLL_MS = 1000;

/** One line per release (`name: ready (v1.33.4)`); resolves with the last lines. */
export async function followReleases(
  client: KubeClient,
  namespace: string,
  names: readonly string[],
  opts: { timeoutMs: number; signal: AbortSignal; onProgress?: (text: string) => void; pollMs?: number },
): Promise<string[]> {
  const until = Date.now() + opts.timeoutMs;
  for (;;) {
    const items = await listObjects(client, CLUSTER_STACK_API_VERSION, 'ClusterStackRelease', namespace, undefined, opts.signal);
    const lines = names.map((n) => {
      const o = items.find((i) => stringField(i, 'metadata', 'name') === n);
      if (!o) return `${n}: not created yet`;
      const s = releaseState(o);
      return `${n}: ${s.readiness}${s.kubernetesVersion ? ` (${s.kubernetesVersion})` : s.reason ? ` (${s.reason})` : ''}`;
    });
    opts.onProgress?.(lines.join('; '));
    if (lines.every((l) => / ready\b/.test(l)) || Date.now() > until) return lines;
    await delay(opts.pollMs ?? RELEASE_POLL_MS, opts.signal);
  }
}

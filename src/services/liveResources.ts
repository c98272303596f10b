/**
 * Counters of what is alive (connections, leases, explorer caches, timers, background tasks, and whether
 * the Kubernetes bundle is loaded: 1 or 0), for the
 * lifetime tests: each owner registers a probe; the test-only command `clusterStacks.test.liveResources`
 * reads them all. Reading a probe has no effect on anything.
 */
import type { IDisposable } from '../lifecycle';
import { allLiveTimers, kubeLoaded } from './kube';

export class LiveResources {
  private readonly probes = new Map<string, () => number>([
    ['timers', allLiveTimers],
    ['kubeBundle', () => (kubeLoaded() ? 1 : 0)],
  ]);

  /** Adds a named counter until the returned disposable is disposed. */
  add(name: string, probe: () => number): IDisposable {
    this.probes.set(name, probe);
    return { dispose: () => this.probes.delete(name) };
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.probes].map(([name, probe]) => [name, probe()]));
  }
}

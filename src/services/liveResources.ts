/**
 * Counters of what is alive (connections, leases, explorer caches, timers, background tasks), for the
 * lifetime tests: each owner registers a probe; the test-only command `clusterStacks.test.liveResources`
 * reads them all. Reading a probe has no effect on anything.
 */
import { liveTimers, type IDisposable } from '../lifecycle';

export class LiveResources {
  private readonly probes = new Map<string, () => number>([['timers', liveTimers]]);

  /** Adds a named counter until the returned disposable is disposed. */
  add(name: string, probe: () => number): IDisposable {
    this.probes.set(name, probe);
    return { dispose: () => this.probes.delete(name) };
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.probes].map(([name, probe]) => [name, probe()]));
  }
}

/**
 * The one door to the Kubernetes code (src/kube, and with it @kubernetes/client-node): views,
 * commands, the editor and the other services call `await kube()` and use what it resolves to; they
 * import nothing from src/kube but types (the eslint rules of eslint.config.mjs enforce it).
 * scripts/build.mjs builds src/kube/api.ts as its own bundle, dist/kube.js, and turns the
 * `import('../kube/api')` below into a `require('./kube.js')` beside dist/extension.js, so the
 * Kubernetes code (about 1.5 MB, most of it client-node) is loaded on the first call — the first
 * explorer reading, the first command that needs a cluster — and never at activation. Unbundled (the
 * unit tests run the TypeScript sources) the same import resolves to the source module.
 */
import type * as KubeApi from '../kube/api';
import { liveTimers } from '../lifecycle';

export type Kube = typeof KubeApi;

let loaded: Promise<Kube> | undefined;
let module: Kube | undefined;

export function kube(): Promise<Kube> {
  loaded ??= import('../kube/api').then((m) => (module = m));
  return loaded;
}

/** Whether the Kubernetes code has been loaded (the lazy-loading test reads it through the liveResources hook). */
export function kubeLoaded(): boolean {
  return module !== undefined;
}

/**
 * Pending timers of this bundle and of the kube bundle: dist/kube.js carries its own copy of
 * src/lifecycle.ts, so its timers are counted there. Unbundled both are the same module, counted once.
 */
export function allLiveTimers(): number {
  return liveTimers() + (module && module.liveTimers !== liveTimers ? module.liveTimers() : 0);
}

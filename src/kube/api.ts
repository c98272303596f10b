/**
 * Everything the extension's views, commands and editor use from `src/kube` (and so from
 * @kubernetes/client-node), as one module. They never import it directly: they call
 * `await kube()` (src/services/kube.ts), the only value import of this file, so this module and its
 * dependencies can later become a separately loaded bundle without touching any caller. Type imports
 * from `src/kube` are free (erased at build time).
 */
export * from './apply';
export * from './cache';
export * from './client';
export * from './discovery';
export * from './errors';
export * from './identities';
export * from './kubeconfig';
export * from './kubeconfigMerge';
export * from './kubeconfigWatch';
export * from './objects';
export * from './pool';
export * from './releases';
export * from './push';
export * from './resources';
export * from './tenantFacts';
// The kube bundle's own timer count (dist/kube.js has its own copy of lifecycle.ts); services/kube.ts adds it.
export { liveTimers } from '../lifecycle';

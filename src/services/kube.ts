/**
 * The one door to the Kubernetes code (src/kube, and with it @kubernetes/client-node): views,
 * commands, the editor and the other services call `await kube()` and use what it resolves to; they
 * import nothing from src/kube but types (the eslint rules of eslint.config.mjs enforce it). Today
 * the module is bundled into dist/extension.js and `kube()` resolves at once after the first call;
 * a later change can build src/kube/api.ts as its own bundle (like dist/yaml-service.js) and load it
 * here on first use, without touching any caller.
 */
import type * as KubeApi from '../kube/api';

export type Kube = typeof KubeApi;

let loaded: Promise<Kube> | undefined;

export function kube(): Promise<Kube> {
  loaded ??= import('../kube/api');
  return loaded;
}

/**
 * Single-object reads for the explorer's actions: the read-only YAML view (secret values masked before
 * anything else sees them) and a workload cluster's kubeconfig from `<cluster>-kubeconfig` (key `value`).
 */
import * as yaml from 'js-yaml';
import type { ResourceKind } from '../core/capi/tenants';
import type { KubeObject } from '../core/capi/types';
import { KubeError, type KubeHttp } from './http';
import { RESOURCE_DEFS, collectionPath, type Discovery } from './resources';

export const MASK = '********';

export function objectPath(discovery: Discovery | undefined, kind: ResourceKind, namespace: string | undefined, name: string): string {
  const def = RESOURCE_DEFS[kind];
  const gv = discovery?.get(kind);
  if (!gv) throw new KubeError('notFound', `${def.plural} are not served by this cluster`);
  return `${collectionPath(def, gv, namespace)}/${encodeURIComponent(name)}`;
}

/** The object as YAML without managedFields; for Secrets every data/stringData value is masked. */
export async function objectYaml(http: KubeHttp, discovery: Discovery | undefined, kind: ResourceKind, namespace: string | undefined, name: string): Promise<string> {
  const obj = await http.getJson<KubeObject & { data?: Record<string, string>; stringData?: Record<string, string> }>(objectPath(discovery, kind, namespace, name));
  if (obj.metadata) delete (obj.metadata as { managedFields?: unknown }).managedFields;
  if (kind === 'secrets') {
    for (const f of ['data', 'stringData'] as const) {
      const d = obj[f];
      if (d) for (const k of Object.keys(d)) d[k] = MASK;
    }
    const ann = obj.metadata?.annotations;
    if (ann) delete ann['kubectl.kubernetes.io/last-applied-configuration'];
  }
  return yaml.dump(obj, { lineWidth: -1, noRefs: true });
}

/** The decoded kubeconfig of a workload cluster. The caller must not keep or log it. */
export async function workloadKubeconfig(http: KubeHttp, discovery: Discovery | undefined, namespace: string, cluster: string): Promise<string> {
  const name = `${cluster}-kubeconfig`;
  let secret: { data?: Record<string, string> };
  try {
    secret = await http.getJson(objectPath(discovery, 'secrets', namespace, name));
  } catch (e) {
    if (e instanceof KubeError && e.kind === 'notFound') throw new KubeError('notFound', `Secret ${namespace}/${name} does not exist (the cluster has no kubeconfig yet)`, 404);
    throw e;
  }
  const value = secret.data?.value;
  if (!value) throw new KubeError('notFound', `Secret ${namespace}/${name} has no key "value"`);
  return Buffer.from(value, 'base64').toString('utf8');
}

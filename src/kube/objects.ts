/**
 * Single-object reads for the explorer's actions: the read-only YAML view (secret values masked before
 * anything else sees them) and a workload cluster's kubeconfig from `<cluster>-kubeconfig` (key `value`).
 */
import * as yaml from 'js-yaml';
import type { ResourceKind } from '../core/capi/tenants';
import type { KubeObject } from '../core/capi/types';
import { unb64 } from '../core/manifests/credentials';
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
export async function objectYaml(
  http: KubeHttp,
  discovery: Discovery | undefined,
  kind: ResourceKind,
  namespace: string | undefined,
  name: string,
): Promise<string> {
  const obj = await http.getJson<KubeObject & { data?: Record<string, string>; stringData?: Record<string, string> }>(
    objectPath(discovery, kind, namespace, name),
  );
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

export const kubeconfigSecretName = (cluster: string): string => `${cluster}-kubeconfig`;

/**
 * The decoded kubeconfig held by a CAPI kubeconfig secret (`undefined` = the secret does not exist);
 * the one reading of `<cluster>-kubeconfig` for the explorer and the credential push.
 */
export function kubeconfigOfSecret(secret: { data?: unknown } | undefined, namespace: string, cluster: string): string {
  const name = kubeconfigSecretName(cluster);
  if (!secret) throw new KubeError('notFound', `Secret ${namespace}/${name} does not exist (the cluster has no kubeconfig yet)`, 404);
  const value = (secret.data as Record<string, unknown> | undefined)?.value;
  if (typeof value !== 'string' || !value) throw new KubeError('notFound', `Secret ${namespace}/${name} has no key "value"`);
  return unb64(value);
}

/** The decoded kubeconfig of a workload cluster. The caller must not keep or log it. */
export async function workloadKubeconfig(
  http: KubeHttp,
  discovery: Discovery | undefined,
  namespace: string,
  cluster: string,
): Promise<string> {
  let secret: { data?: Record<string, string> } | undefined;
  try {
    secret = await http.getJson(objectPath(discovery, 'secrets', namespace, kubeconfigSecretName(cluster)));
  } catch (e) {
    if (!(e instanceof KubeError && e.kind === 'notFound')) throw e;
  }
  return kubeconfigOfSecret(secret, namespace, cluster);
}

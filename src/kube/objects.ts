/**
 * Reading objects: one object (or undefined when it does not exist), a list, the read-only YAML view
 * of the explorer (secret values masked before anything else sees them), and a workload cluster's
 * kubeconfig from its CAPI secret `<cluster>-kubeconfig` (key `value`, docs/domain.md §7).
 */
import * as yaml from 'js-yaml';
import type { ResourceKind } from '../core/capi/tenants';
import type { KubeObject } from '../core/capi/types';
import { unb64 } from '../core/manifests/credentials';
import { parseJson, type KubeClient } from './client';
import { errorForStatus, KubeError } from './errors';
import { RESOURCE_DEFS, collectionPath, type ExplorerDiscovery } from './resources';

export const MASK = '********';

const where = (kind: string, namespace: string | undefined, name?: string) =>
  `${kind} ${namespace ? `${namespace}/` : ''}${name ?? ''}`.trim();

/** The live object, or undefined when it does not exist. */
export async function getObject(
  client: KubeClient,
  apiVersion: string,
  kind: string,
  namespace: string | undefined,
  name: string,
  signal?: AbortSignal,
): Promise<Record<string, unknown> | undefined> {
  const res = await client.request('GET', await client.discovery.path({ apiVersion, kind, namespace, name }, signal), { signal });
  if (res.status === 404) return undefined;
  if (res.status < 200 || res.status >= 300)
    throw errorForStatus(res.status, res.body, where(kind, namespace, name), { action: `reading ${where(kind, namespace, name)}` });
  return parseJson(res.body, `reading ${where(kind, namespace, name)}`);
}

/** A list of objects (`items`), optionally filtered by a label selector. */
export async function listObjects(
  client: KubeClient,
  apiVersion: string,
  kind: string,
  namespace?: string,
  labelSelector?: string,
  signal?: AbortSignal,
): Promise<Record<string, unknown>[]> {
  const q = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
  const what = `${kind}${namespace ? ` in ${namespace}` : ''}`;
  const res = await client.request('GET', (await client.discovery.path({ apiVersion, kind, namespace }, signal)) + q, { signal });
  if (res.status < 200 || res.status >= 300) throw errorForStatus(res.status, res.body, what, { action: `listing ${what}` });
  return parseJson<{ items?: Record<string, unknown>[] }>(res.body, `listing ${what}`).items ?? [];
}

/** The URL of one object the explorer shows, from the versions its discovery found. */
function objectPath(discovery: ExplorerDiscovery | undefined, kind: ResourceKind, namespace: string | undefined, name: string): string {
  const def = RESOURCE_DEFS[kind];
  const gv = discovery?.get(kind);
  if (!gv) throw new KubeError('notFound', `${def.plural} are not served by this cluster`);
  return `${collectionPath(def, gv, namespace)}/${encodeURIComponent(name)}`;
}

/** The object as YAML without managedFields; for Secrets every data/stringData value is masked. */
export async function objectYaml(
  client: KubeClient,
  discovery: ExplorerDiscovery | undefined,
  kind: ResourceKind,
  namespace: string | undefined,
  name: string,
): Promise<string> {
  const obj = await client.getJson<KubeObject & { data?: Record<string, string>; stringData?: Record<string, string> }>(
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
 * the one reading of `<cluster>-kubeconfig` for the explorer and the connection pool.
 */
function kubeconfigOfSecret(secret: { data?: unknown } | undefined, namespace: string, cluster: string): string {
  const name = kubeconfigSecretName(cluster);
  if (!secret) throw new KubeError('notFound', `Secret ${namespace}/${name} does not exist (the cluster has no kubeconfig yet)`, 404);
  const value = (secret.data as Record<string, unknown> | undefined)?.value;
  if (typeof value !== 'string' || !value) throw new KubeError('notFound', `Secret ${namespace}/${name} has no key "value"`);
  return unb64(value);
}

/** The decoded kubeconfig of a workload cluster. The caller must not keep or log it. */
export async function workloadKubeconfig(client: KubeClient, namespace: string, cluster: string, signal?: AbortSignal): Promise<string> {
  return kubeconfigOfSecret(await getObject(client, 'v1', 'Secret', namespace, kubeconfigSecretName(cluster), signal), namespace, cluster);
}

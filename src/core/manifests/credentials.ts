/**
 * The Kubernetes objects that carry OpenStack credentials, as the SCS tooling shapes them
 * (domain.md §1.2, §3, §(c), §8): the CAPO identity Secret of a tenant, the workload Secrets
 * `kube-system/cloud-config` (series `scs`) and `kube-system/clouds-yaml` (series `scs2`), and the
 * ClusterResourceSet wrapper that lets Cluster API's own controller deliver them.
 *
 * Pure: no `vscode`, no network. Secret values go into `data` (base64) so that what is applied is
 * exactly what `kubectl get -o json` shows afterwards.
 */
import * as yaml from 'js-yaml';
import { MANAGED_SECRET_LABEL } from '../capi/credentials';
import { convertCloud } from '../clouds';
import type { ConversionFailure, ConversionResult, ConvertOptions, IdentitySecretPayload } from '../clouds/api';
import { renderCloudConf, type ConfEntry, type ConfSection } from '../gcfg/encode';

export const MOVE_LABEL = 'clusterctl.cluster.x-k8s.io/move';
export const RESOURCE_SET_SECRET_TYPE = 'addons.cluster.x-k8s.io/resource-set';
export const CRS_API_VERSION = 'addons.cluster.x-k8s.io/v1beta1';
export const WORKLOAD_NAMESPACE = 'kube-system';
/** Where the scs2 charts mount `kube-system/clouds-yaml` in the CCM and CSI pods (domain.md §3.2). */
export const CLOUDS_YAML_MOUNT = '/etc/openstack';
/** CAPO's, the ClusterClasses' and csp-helper's default for both the secret and the cloud name. */
export const DEFAULT_IDENTITY_NAME = 'openstack';

/** `cloud-config`: series `scs` (cloud.conf); `clouds-yaml`: series `scs2` (clouds.yaml + `use-clouds`). */
export type WorkloadStyle = 'cloud-config' | 'clouds-yaml';
export const WORKLOAD_STYLES: readonly WorkloadStyle[] = ['cloud-config', 'clouds-yaml'];

export type ObjectMeta = {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
};

export type SecretManifest = {
  readonly apiVersion: 'v1';
  readonly kind: 'Secret';
  readonly metadata: ObjectMeta;
  readonly type: string;
  /** Base64 values, keyed by secret key. */
  readonly data: Readonly<Record<string, string>>;
};

export type ClusterResourceSetManifest = {
  readonly apiVersion: typeof CRS_API_VERSION;
  readonly kind: 'ClusterResourceSet';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly strategy: 'Reconcile';
    readonly clusterSelector: { readonly matchLabels: Readonly<Record<string, string>> };
    readonly resources: readonly { readonly name: string; readonly kind: 'Secret' }[];
  };
};

export function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

export function unb64(value: string): string {
  return Buffer.from(value, 'base64').toString('utf8');
}

function secret(
  name: string,
  namespace: string,
  type: string,
  values: Record<string, string | undefined>,
  labels?: Record<string, string>,
): SecretManifest {
  const data: Record<string, string> = {};
  for (const key of Object.keys(values).sort()) {
    const v = values[key];
    if (v !== undefined) data[key] = b64(v);
  }
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace, ...(labels ? { labels } : {}) }, type, data };
}

// ---------------------------------------------------------------------------------------------
// Tenant: the CAPO/CSPO/ORC identity secret

export interface ExpectedIdentity {
  readonly secretName: string;
  readonly cloudName: string;
  /** Where the names came from, for the summary shown before a write. */
  readonly source: 'identityRef' | 'secret_name' | 'default';
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function variableSchema(cc: Json, name: string): Json | undefined {
  const spec = isObj(cc.spec) ? cc.spec : undefined;
  const vars = Array.isArray(spec?.variables) ? spec.variables : [];
  const v = vars.find((x): x is Json => isObj(x) && x.name === name);
  const schema = v && isObj(v.schema) && isObj(v.schema.openAPIV3Schema) ? v.schema.openAPIV3Schema : undefined;
  return schema;
}

/**
 * The identity secret name and cloud name a tenant's ClusterClass expects when the Cluster does not
 * set them: series `scs2` variable `identityRef {name, cloudName}` (defaults inside the object
 * schema), series `scs`/`alpha` variables `secret_name` / `cloud_name` (domain.md §3.1, §3.2).
 */
export function expectedIdentity(clusterClass: unknown): ExpectedIdentity {
  const cc = isObj(clusterClass) ? clusterClass : {};
  const ref = variableSchema(cc, 'identityRef');
  if (ref) {
    const props = isObj(ref.properties) ? ref.properties : {};
    const dflt = isObj(ref.default) ? ref.default : {};
    const prop = (k: string) => (isObj(props[k]) ? str(props[k].default) : undefined);
    return {
      secretName: str(dflt.name) ?? prop('name') ?? DEFAULT_IDENTITY_NAME,
      cloudName: str(dflt.cloudName) ?? prop('cloudName') ?? DEFAULT_IDENTITY_NAME,
      source: 'identityRef',
    };
  }
  const secretVar = variableSchema(cc, 'secret_name');
  if (secretVar) {
    const cloudVar = variableSchema(cc, 'cloud_name');
    return {
      secretName: str(secretVar.default) ?? DEFAULT_IDENTITY_NAME,
      cloudName: str(cloudVar?.default) ?? DEFAULT_IDENTITY_NAME,
      source: 'secret_name',
    };
  }
  return { secretName: DEFAULT_IDENTITY_NAME, cloudName: DEFAULT_IDENTITY_NAME, source: 'default' };
}

/**
 * The tenant's identity Secret (CAPO `identityRef`, CSPO, ORC): keys `clouds.yaml`, `cloudName`,
 * optional `cacert`, label `clusterctl.cluster.x-k8s.io/move` so `clusterctl move` takes it along.
 */
export function identitySecret(opts: { namespace: string; name: string; payload: IdentitySecretPayload }): SecretManifest {
  const p = opts.payload;
  return secret(
    opts.name,
    opts.namespace,
    'Opaque',
    { 'clouds.yaml': p['clouds.yaml'], cloudName: p.cloudName, cacert: p.cacert },
    { [MOVE_LABEL]: '' },
  );
}

export function namespaceManifest(name: string): { apiVersion: 'v1'; kind: 'Namespace'; metadata: { name: string } } {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

// ---------------------------------------------------------------------------------------------
// Workload cluster secrets

/** The converted cloud as the workload secrets need it (a subset of ConvertedCloud). */
export interface CloudConfInput {
  /** cloud.conf text (gcfg). */
  readonly text: string;
  readonly cacert?: string;
}

/** `kube-system/cloud-config` of series `scs`: `cloud.conf`, `cloudprovider.conf` (same text, for yawol), `cacert` when a CA is used. */
export function cloudConfigSecret(conf: CloudConfInput): SecretManifest {
  return secret('cloud-config', WORKLOAD_NAMESPACE, 'Opaque', {
    'cloud.conf': conf.text,
    'cloudprovider.conf': conf.text,
    cacert: conf.cacert,
  });
}

/**
 * The clouds.yaml as it must read inside the workload pods: only `cloudName`, with `cacert`
 * pointing at the mounted PEM (`/etc/openstack/cacert`) or removed when no CA is shipped (a local
 * path means nothing in a pod). Throws when the text has no such cloud.
 */
export function cloudsYamlForPods(cloudsYaml: string, cloudName: string, hasCacert: boolean): string {
  const doc = yaml.load(cloudsYaml);
  const clouds = isObj(doc) && isObj(doc.clouds) ? doc.clouds : undefined;
  const cloud = clouds?.[cloudName];
  if (!isObj(cloud)) throw new Error(`clouds.yaml has no cloud "${cloudName}" under "clouds:"`);
  const copy: Json = { ...cloud };
  if (hasCacert) copy.cacert = `${CLOUDS_YAML_MOUNT}/cacert`;
  else delete copy.cacert;
  return yaml.dump({ clouds: { [cloudName]: copy } }, { lineWidth: -1, noRefs: true });
}

/**
 * A cloud.conf for the scs2 style that takes the credentials from the mounted clouds.yaml
 * (`use-clouds`, `clouds-file`, `cloud`) and still carries per-cluster sections such as
 * `[LoadBalancer]` — the gap of SCS cluster-stacks issue #241. ReadClouds copies neither a TLS setting nor a trust
 * from clouds.yaml (kubernetes/cloud-provider-openstack@c453fb7 pkg/client/client.go:206-239) but keeps what cloud.conf
 * already says (replaceEmpty), so `tlsInsecure` (the cloud has `verify: false`) writes `tls-insecure=true` (:272) and
 * `trustId` (the cloud's `auth.trust_id`) writes `trust-id`, which takes the trust path (:296-309).
 */
export function useCloudsCloudConf(cloudName: string, perCluster: readonly ConfSection[] = [], opts: UseCloudsGaps = {}): string {
  if (perCluster.some((s) => s.name.toLowerCase() === 'global' && s.subsection === undefined)) {
    throw new Error('per-cluster options must not contain [Global]: with use-clouds the credentials come from clouds.yaml');
  }
  const global: ConfEntry[] = [
    { key: 'use-clouds', value: true },
    { key: 'clouds-file', value: `${CLOUDS_YAML_MOUNT}/clouds.yaml` },
    { key: 'cloud', value: cloudName },
    ...(opts.tlsInsecure ? [{ key: 'tls-insecure', value: 'true' }] : []),
    ...(opts.trustId !== undefined ? [{ key: 'trust-id', value: opts.trustId }] : []),
  ];
  return renderCloudConf([{ name: 'Global', entries: global }, ...perCluster]);
}

/** What a cloud says that OCCM/Cinder CSI with `use-clouds` would not take from clouds.yaml. */
export interface UseCloudsGaps {
  /** `verify: false` (gophercloud clientconfig reads `verify` only). */
  readonly tlsInsecure?: boolean;
  /** `auth.trust_id`. */
  readonly trustId?: string;
}

function useCloudsGaps(cloudsYaml: string, cloudName: string): UseCloudsGaps {
  const doc = yaml.load(cloudsYaml);
  const cloud = isObj(doc) && isObj(doc.clouds) ? doc.clouds[cloudName] : undefined;
  if (!isObj(cloud)) return {};
  const trust = isObj(cloud.auth) ? cloud.auth.trust_id : undefined;
  return {
    ...(cloud.verify === false ? { tlsInsecure: true } : {}),
    ...(typeof trust === 'string' && trust !== '' ? { trustId: trust } : {}),
  };
}

/**
 * `kube-system/clouds-yaml` of series `scs2`: `clouds.yaml` (cacert path rewritten), `cacert`,
 * `cloudName`. With `perCluster` sections, or when the cloud has `verify: false` or a `trust_id` (which use-clouds ignores), it also
 * carries a `use-clouds` `cloud.conf`, mounted next to clouds.yaml, for charts pointed at it
 * (`CLOUD_CONFIG=/etc/openstack/cloud.conf`).
 */
export function cloudsYamlSecret(payload: IdentitySecretPayload, perCluster?: readonly ConfSection[]): SecretManifest {
  const hasCa = payload.cacert !== undefined;
  const gaps = useCloudsGaps(payload['clouds.yaml'], payload.cloudName);
  return secret('clouds-yaml', WORKLOAD_NAMESPACE, 'Opaque', {
    'clouds.yaml': cloudsYamlForPods(payload['clouds.yaml'], payload.cloudName, hasCa),
    cacert: payload.cacert,
    cloudName: payload.cloudName,
    'cloud.conf':
      (perCluster && perCluster.length) || Object.keys(gaps).length
        ? useCloudsCloudConf(payload.cloudName, perCluster ?? [], gaps)
        : undefined,
  });
}

// ---------------------------------------------------------------------------------------------
// ClusterResourceSet delivery (csp-helper / training-scripts names)

export interface ResourceSetNames {
  /** The wrapper Secret (type addons.cluster.x-k8s.io/resource-set). */
  readonly secret: string;
  /** Its single data key. */
  readonly key: string;
  readonly crs: string;
  /** `managed-secret` label value the CRS selects. */
  readonly selector: WorkloadStyle;
}

/** csp-helper: `<cloud>-workload-cluster-secret` / `crs-<cloud>-secret`; training scripts (scs2): `<cloud>-workload-cluster-newsecret` / `crs-<cloud>-newsecret`. */
export function resourceSetNames(style: WorkloadStyle, cloudName: string): ResourceSetNames {
  return style === 'cloud-config'
    ? {
        secret: `${cloudName}-workload-cluster-secret`,
        key: 'cloud-config-secret',
        crs: `crs-${cloudName}-secret`,
        selector: 'cloud-config',
      }
    : {
        secret: `${cloudName}-workload-cluster-newsecret`,
        key: 'clouds-yaml-secret',
        crs: `crs-${cloudName}-newsecret`,
        selector: 'clouds-yaml',
      };
}

/** The workload Secret as a manifest document, the way a resource-set secret carries it. */
export function manifestText(obj: SecretManifest): string {
  return yaml.dump(obj, { lineWidth: -1, noRefs: true, sortKeys: false });
}

/** The resource-set wrapper Secret and the ClusterResourceSet (strategy Reconcile) that delivers `workload` to labelled Clusters. */
export function resourceSet(opts: {
  namespace: string;
  style: WorkloadStyle;
  cloudName: string;
  workload: SecretManifest;
}): [SecretManifest, ClusterResourceSetManifest] {
  const n = resourceSetNames(opts.style, opts.cloudName);
  const wrapper = secret(n.secret, opts.namespace, RESOURCE_SET_SECRET_TYPE, { [n.key]: manifestText(opts.workload) });
  const crs: ClusterResourceSetManifest = {
    apiVersion: CRS_API_VERSION,
    kind: 'ClusterResourceSet',
    metadata: { name: n.crs, namespace: opts.namespace },
    spec: {
      strategy: 'Reconcile',
      clusterSelector: { matchLabels: { [MANAGED_SECRET_LABEL]: n.selector } },
      resources: [{ name: n.secret, kind: 'Secret' }],
    },
  };
  return [wrapper, crs];
}

/** Reads the objects a resource-set Secret wraps (each data key may hold several YAML/JSON documents). */
export function unwrapResourceSet(data: Readonly<Record<string, string>>): Json[] {
  const out: Json[] = [];
  for (const key of Object.keys(data).sort()) {
    for (const doc of yaml.loadAll(unb64(data[key]))) if (isObj(doc)) out.push(doc);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// From a tenant's identity secret to the workload secret

/** Where the tenant secret's PEM is offered to the converter (never a real file). */
const TENANT_CACERT = '/tenant-secret/cacert';

/**
 * The workload Secret of `style` for a tenant identity payload (what the tenant secret holds). For
 * `cloud-config` the flattened clouds.yaml is converted by the clouds core (`convertCloud`), with the
 * secret's `cacert` offered as the CA file, so the result is what the editor preview shows.
 * Returns the converter's failure unchanged when the credentials cannot be converted.
 */
export function workloadSecretFromPayload(
  payload: IdentitySecretPayload,
  style: WorkloadStyle,
  options: ConvertOptions = {},
  perCluster: readonly ConfSection[] = [],
): { ok: true; secret: SecretManifest } | ConversionFailure {
  if (style === 'clouds-yaml') return { ok: true, secret: cloudsYamlSecret(payload, perCluster) };
  const res = convertPayload(payload, withSections(options, perCluster));
  if (!res.ok) return res;
  return { ok: true, secret: cloudConfigSecret({ text: res.text, ...(res.cacert !== undefined ? { cacert: res.cacert } : {}) }) };
}

/**
 * The payload with another application credential (a rotation): the cloud's `auth` gets the new id and
 * secret and loses `application_credential_name` (an id is unambiguous; a name needs the user too);
 * everything else stays. Refuses a payload whose cloud does not use an application credential.
 */
export function withAppCredential(
  payload: IdentitySecretPayload,
  id: string,
  appSecret: string,
): { ok: true; payload: IdentitySecretPayload } | { ok: false; reason: string } {
  const doc = yaml.load(payload['clouds.yaml']);
  const cloud = isObj(doc) && isObj(doc.clouds) ? doc.clouds[payload.cloudName] : undefined;
  if (!isObj(cloud) || !isObj(cloud.auth)) return { ok: false, reason: `the clouds.yaml has no cloud "${payload.cloudName}" with auth` };
  const type = String(cloud.auth_type ?? '');
  if (!/applicationcredential|application_credential/.test(type) && cloud.auth.application_credential_secret === undefined)
    return { ok: false, reason: `cloud "${payload.cloudName}" does not use an application credential (auth_type ${type || 'unset'})` };
  const { application_credential_name: _name, ...auth } = cloud.auth;
  const clouds = {
    ...(doc as { clouds: Json }).clouds,
    [payload.cloudName]: { ...cloud, auth: { ...auth, application_credential_id: id, application_credential_secret: appSecret } },
  };
  const text = yaml.dump(
    { ...(doc as Json), clouds },
    { forceQuotes: true, quotingType: '"', lineWidth: -1, noRefs: true, sortKeys: false },
  );
  return { ok: true, payload: { ...payload, 'clouds.yaml': text } };
}

/** The tenant identity payload converted to cloud.conf as `convertCloud` does, its `cacert` offered as the CA file. */
export function convertPayload(payload: IdentitySecretPayload, options: ConvertOptions = {}): ConversionResult {
  let text = payload['clouds.yaml'];
  if (payload.cacert !== undefined) {
    const doc = yaml.load(text);
    const cloud = isObj(doc) && isObj(doc.clouds) ? doc.clouds[payload.cloudName] : undefined;
    if (isObj(cloud)) {
      cloud.cacert = TENANT_CACERT;
      text = yaml.dump(doc, { lineWidth: -1, noRefs: true });
    }
  }
  const pem = payload.cacert;
  return convertCloud({ clouds: { path: '/tenant-secret/clouds.yaml', text } }, payload.cloudName, {
    ...options,
    readFile: (p) => (p === TENANT_CACERT ? pem : undefined),
  });
}

/** `options` with per-cluster sections added after the configured extra sections (they win on conflicts). */
export function withSections(options: ConvertOptions, perCluster: readonly ConfSection[]): ConvertOptions {
  return perCluster.length ? { ...options, extraSections: [...(options.extraSections ?? []), ...perCluster] } : options;
}

/** Per-cluster `[LoadBalancer]` options (`{"lb-provider": "ovn"}`) as a section; undefined when empty. */
export function loadBalancerSection(options: Readonly<Record<string, unknown>> | undefined): ConfSection | undefined {
  const entries: ConfEntry[] = [];
  for (const [key, value] of Object.entries(options ?? {})) {
    if (typeof value === 'string' || typeof value === 'boolean') entries.push({ key, value });
    else throw new Error(`[LoadBalancer] ${key}: only text and true/false values are supported`);
  }
  return entries.length ? { name: 'LoadBalancer', entries } : undefined;
}

/**
 * The identity payload held by a tenant Secret object (`data` base64), or why it is not one. The cloud is `cloudName` when
 * the caller knows it (CAPO: `identityRef.cloudName`, see capi/identity.ts), else the Secret's `cloudName` key read as YAML,
 * else `openstack` — what CSPO does (SovereignCloudStack/cluster-stack-provider-openstack@f23bdb5
 * internal/controller/openstacknodeimagerelease_controller.go:56, :344-351), not "the only cloud".
 */
export function payloadOfSecret(
  secret: unknown,
  cloudName?: string,
): { ok: true; payload: IdentitySecretPayload } | { ok: false; reason: string } {
  const data = isObj(secret) && isObj(secret.data) ? secret.data : {};
  const get = (k: string) => (typeof data[k] === 'string' ? unb64(data[k] as string) : undefined);
  const clouds = get('clouds.yaml');
  if (clouds === undefined) return { ok: false, reason: 'the secret has no key "clouds.yaml"' };
  let name = cloudName;
  let from = 'the cloud name asked for';
  if (name === undefined) {
    const raw = get('cloudName');
    if (raw === undefined) {
      name = DEFAULT_IDENTITY_NAME;
      from = 'the secret has no key "cloudName", so CSPO uses "openstack"';
    } else {
      let parsed: unknown;
      try {
        parsed = yaml.load(raw);
      } catch {
        parsed = undefined;
      }
      if (typeof parsed !== 'string' || parsed === '') return { ok: false, reason: 'the secret\'s key "cloudName" is not a YAML string' };
      name = parsed;
      from = 'the secret\'s key "cloudName"';
    }
  }
  let doc: unknown;
  try {
    doc = yaml.load(clouds);
  } catch {
    return { ok: false, reason: 'the secret\'s "clouds.yaml" is not valid YAML' };
  }
  const names = isObj(doc) && isObj(doc.clouds) ? Object.keys(doc.clouds) : [];
  if (!names.includes(name))
    return { ok: false, reason: `its clouds.yaml has no cloud "${name}" (${from}; it has ${names.length ? names.join(', ') : 'none'})` };
  const cacert = get('cacert');
  return { ok: true, payload: { 'clouds.yaml': clouds, cloudName: name, ...(cacert !== undefined ? { cacert } : {}) } };
}

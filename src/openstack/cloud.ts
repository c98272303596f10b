/**
 * A cloud as the workload cluster's consumers will use it: built from the converted cloud.conf
 * (`[Global]`, `[LoadBalancer]`) and the CA PEM shipped beside it, and the Keystone token request
 * that the OpenStack CCM (gophercloud) would send for it. The mapping follows
 * kubernetes/cloud-provider-openstack@c453fb7 pkg/client/client.go (ToAuthOptions :133-168 through
 * gophercloud-utils clientconfig.AuthOptions (v3auth), the trust path of NewOpenStackClient
 * :296-308) and gophercloud@95eea8e auth_options.go (ToTokenV3CreateMap, ToTokenV3ScopeMap); where
 * gophercloud refuses a combination before sending anything, so does `tokenRequest`, with its reason.
 * Proven against a real Keystone together with the real gophercloud (test/conformance/keystone-auth).
 */
import type { ConvertedCloud } from '../core/clouds/api';
import type { ConfSection } from '../core/gcfg/encode';
import { OpenStackError } from './http';
import { secret, Secret } from './secret';

export type EndpointInterface = 'public' | 'internal' | 'admin';

/** How the workload cluster receives the credential: `cloud.conf` (series scs) or clouds.yaml + `use-clouds` (scs2). */
export type DeliveryStyle = 'cloud-config' | 'clouds-yaml';

/** The `[Global]` settings of one cloud, secrets as `Secret`s. Keys are cloud.conf keys. */
export type GlobalSettings = Readonly<Record<string, string | Secret>>;

export interface OpenStackCloud {
  /** The clouds.yaml name, for messages. */
  readonly name: string;
  readonly authUrl: string;
  readonly region: string;
  /** `os-endpoint-type`; gophercloud's default is public. Any other text is kept to be reported. */
  readonly interface: string;
  /** The PEM the consumers will trust (`ca-file`). */
  readonly cacert?: string;
  /** `tls-insecure=true`. */
  readonly insecure: boolean;
  /** The OCCM's load-balancer controller runs unless `[LoadBalancer] enabled=false` (pkg/openstack/openstack.go:212). */
  readonly loadBalancer: boolean;
  readonly global: GlobalSettings;
}

const SECRET_KEYS = new Set(['password', 'application-credential-secret', 'token', 'trustee-password']);

function entriesOf(sections: readonly ConfSection[], name: string): Map<string, string | boolean> {
  const out = new Map<string, string | boolean>();
  for (const s of sections)
    if (s.name.toLowerCase() === name.toLowerCase() && s.subsection === undefined)
      for (const e of s.entries) out.set(e.key.toLowerCase(), e.value);
  return out;
}

/** The cloud the consumers get from a conversion (`convertCloud`); `style: 'clouds-yaml'` applies what use-clouds does not carry. */
export function cloudFromConversion(converted: ConvertedCloud, style: DeliveryStyle = 'cloud-config'): OpenStackCloud {
  return cloudFromSections(converted.cloud, converted.sections, converted.cacert, style);
}

export function cloudFromSections(
  name: string,
  sections: readonly ConfSection[],
  cacert: string | undefined,
  style: DeliveryStyle = 'cloud-config',
): OpenStackCloud {
  const g = entriesOf(sections, 'Global');
  const lb = entriesOf(sections, 'LoadBalancer');
  const global: Record<string, string | Secret> = {};
  for (const [k, v] of g) {
    const text = typeof v === 'boolean' ? String(v) : v;
    global[k] = SECRET_KEYS.has(k) ? new Secret(text) : text;
  }
  if (style === 'clouds-yaml') {
    // OCCM's ReadClouds copies no trust and no TLS verification setting from clouds.yaml
    // (cloud-provider-openstack@c453fb7 pkg/client/client.go:216-236).
    delete global['trust-id'];
    delete global['tls-insecure'];
  }
  const text = (k: string) => {
    const v = global[k];
    return typeof v === 'string' ? v : undefined;
  };
  const enabled = lb.get('enabled');
  return {
    name,
    authUrl: text('auth-url') ?? '',
    region: text('region') ?? '',
    interface: text('os-endpoint-type') || 'public',
    ...(cacert !== undefined && text('ca-file') ? { cacert } : {}),
    insecure: text('tls-insecure') === 'true',
    loadBalancer: !(enabled === false || enabled === 'false'),
    global,
  };
}

/** The same cloud authenticating with an application credential by id (for a freshly created one). */
export function withApplicationCredential(cloud: OpenStackCloud, id: string, appSecret: string | Secret): OpenStackCloud {
  const keep = ['auth-url', 'region', 'os-endpoint-type', 'ca-file', 'tls-insecure'];
  const global: Record<string, string | Secret> = {};
  for (const k of keep) if (cloud.global[k] !== undefined) global[k] = cloud.global[k];
  global['application-credential-id'] = id;
  global['application-credential-secret'] = secret(appSecret);
  return { ...cloud, global };
}

export type AuthMethodName = 'application_credential' | 'password' | 'token' | 'trust';

/** What the token request is made of: the JSON body and the secrets to scrub from anything Keystone says. */
export interface TokenRequest {
  readonly method: AuthMethodName;
  /** Build the body only when sending; it holds the secrets in clear. */
  body(): unknown;
  readonly secrets: readonly Secret[];
}

interface Opts {
  tokenId?: Secret;
  username?: string;
  userId?: string;
  password?: Secret;
  domainId?: string;
  domainName?: string;
  acId?: string;
  acName?: string;
  acSecret?: Secret;
  scope: { projectId?: string; projectName?: string; domainId?: string; domainName?: string; trustId?: string };
}

const refuse = (why: string) =>
  new OpenStackError('credential', `gophercloud (the client of the OpenStack CCM) refuses this credential: ${why}`);

/** The token request gophercloud sends for this cloud; throws OpenStackError('credential') where gophercloud refuses it. */
export function tokenRequest(cloud: OpenStackCloud): TokenRequest {
  const g = cloud.global;
  const str = (k: string) => {
    const v = g[k];
    return v === undefined || v === '' ? undefined : typeof v === 'string' ? v : v.reveal();
  };
  const sec = (k: string) => {
    const v = g[k];
    return v instanceof Secret && v.length ? v : typeof v === 'string' && v ? new Secret(v) : undefined;
  };
  // clientconfig.AuthOptions → v3auth (gophercloud-utils clientconfig/requests.go), AuthInfo from ToAuthOptions.
  const ai = {
    userId: str('user-id'),
    username: str('username'),
    projectId: str('tenant-id'),
    projectName: str('tenant-name'),
    domainId: str('domain-id'),
    domainName: str('domain-name'),
    projectDomainId: str('tenant-domain-id'),
    projectDomainName: str('tenant-domain-name'),
    userDomainId: str('user-domain-id'),
    userDomainName: str('user-domain-name'),
    acId: str('application-credential-id'),
    acName: str('application-credential-name'),
  };
  const password = sec('password');
  const acSecret = sec('application-credential-secret');
  const token = sec('token');
  const setDomainIfNeeded = () => {
    if (ai.domainId) {
      ai.userDomainId ??= ai.domainId;
      ai.projectDomainId ??= ai.domainId;
      ai.domainId = undefined;
    }
    if (ai.domainName) {
      ai.userDomainName ??= ai.domainName;
      ai.projectDomainName ??= ai.domainName;
      ai.domainName = undefined;
    }
  };
  const scope: Opts['scope'] = {};
  if (ai.acId || ai.acName || acSecret) {
    setDomainIfNeeded();
  } else if (!ai.projectId && !ai.projectName) {
    if (ai.domainId) scope.domainId = ai.domainId;
    else if (ai.domainName) scope.domainName = ai.domainName;
  } else {
    setDomainIfNeeded();
    if (ai.projectId) scope.projectId = ai.projectId;
    else {
      scope.projectName = ai.projectName;
      scope.domainId = ai.projectDomainId;
      scope.domainName = ai.projectDomainName;
    }
  }
  let o: Opts = {
    ...(token ? { tokenId: token } : {}),
    username: ai.username,
    userId: ai.userId,
    ...(password ? { password } : {}),
    domainId: ai.userDomainId,
    domainName: ai.userDomainName,
    acId: ai.acId,
    acName: ai.acName,
    ...(acSecret ? { acSecret } : {}),
    scope,
  };
  if (token) o = { ...o, username: undefined, password: undefined, userId: undefined, domainId: undefined, domainName: undefined };

  const trustId = str('trust-id');
  let method: AuthMethodName;
  if (trustId) {
    // NewOpenStackClient's trust path: ToAuth3Options keeps user, password and application
    // credential but no token; trustee-id / trustee-password replace user and password.
    if (token && !password && !sec('trustee-password'))
      throw refuse('with a trust the CCM sends no token (ToAuth3Options drops it): a trust needs the trustee user and password');
    const trusteeId = str('trustee-id');
    const trusteePassword = sec('trustee-password');
    o = {
      username: o.username,
      userId: trusteeId ?? o.userId,
      ...(trusteePassword ? { password: trusteePassword } : o.password ? { password: o.password } : {}),
      domainId: o.domainId,
      domainName: o.domainName,
      acId: o.acId,
      acName: o.acName,
      ...(o.acSecret ? { acSecret: o.acSecret } : {}),
      scope: { trustId },
    };
    method = 'trust';
  } else {
    method = o.tokenId && !o.password ? 'token' : o.password ? 'password' : 'application_credential';
  }

  const identity = identityOf(o);
  const scopeBody = scopeOf(o);
  if (o.tokenId && !o.password && scopeBody === undefined)
    // gophercloud openstack/client.go v3auth: a token without a new scope is passed through, which the
    // CCM's AllowReauth forbids.
    throw refuse(
      'a token without a project cannot be used with re-authentication (AllowReauth), which the CCM always sets; add project_id or project_name',
    );
  const secrets = [o.password, o.acSecret, o.tokenId].filter((s): s is Secret => s !== undefined);
  return {
    method,
    secrets,
    body: () => ({ auth: { identity: identity(), ...(scopeBody ? { scope: scopeBody } : {}) } }),
  };
}

type Json = Record<string, unknown>;

/** gophercloud auth_options.go ToTokenV3CreateMap: the identity part, checked as gophercloud checks it. */
function identityOf(o: Opts): () => Json {
  if (!o.password) {
    if (o.tokenId) {
      const t = o.tokenId;
      return () => ({ methods: ['token'], token: { id: t.reveal() } });
    }
    if (o.acId) {
      if (!o.acSecret) throw refuse('an application credential needs its secret');
      const [id, s] = [o.acId, o.acSecret];
      return () => ({ methods: ['application_credential'], application_credential: { id, secret: s.reveal() } });
    }
    if (o.acName) {
      if (!o.acSecret) throw refuse('an application credential needs its secret');
      let user: Json;
      if (o.userId) user = { id: o.userId };
      else if (!o.username) throw refuse('an application credential by name needs the user (user_id or username)');
      else if (o.domainId) user = { name: o.username, domain: { id: o.domainId } };
      else if (o.domainName) user = { name: o.username, domain: { name: o.domainName } };
      else throw refuse('an application credential by name with a username needs the user domain (user_domain_name or user_domain_id)');
      const [name, s] = [o.acName, o.acSecret];
      return () => ({ methods: ['application_credential'], application_credential: { name, user, secret: s.reveal() } });
    }
    throw refuse('there is no password, token or application credential');
  }
  const pw = o.password;
  if (!o.username && !o.userId) throw refuse('password authentication needs exactly one of username and user_id');
  if (o.username) {
    if (o.userId) throw refuse('password authentication needs exactly one of username and user_id, not both');
    if (!o.domainId && !o.domainName) throw refuse('a username needs its domain (user_domain_name or user_domain_id)');
    if (o.domainId && o.domainName) throw refuse('give the user domain by id or by name, not both');
    const domain = o.domainId ? { id: o.domainId } : { name: o.domainName };
    const name = o.username;
    return () => ({ methods: ['password'], password: { user: { name, domain, password: pw.reveal() } } });
  }
  if (o.domainId || o.domainName) throw refuse('a user_id must not come with a user domain (user_domain_id / user_domain_name)');
  const id = o.userId;
  return () => ({ methods: ['password'], password: { user: { id, password: pw.reveal() } } });
}

/** gophercloud auth_options.go ToTokenV3ScopeMap (v2: application credentials never send a scope; a trust wins). */
function scopeOf(o: Opts): Json | undefined {
  if (o.acId || o.acName) return undefined;
  const s = o.scope;
  if (s.trustId) return { 'OS-TRUST:trust': { id: s.trustId } };
  if (s.projectName) {
    if (!s.domainId && !s.domainName) throw refuse('a project name needs its domain (project_domain_name or project_domain_id)');
    if (s.projectId) throw refuse('give the project by id or by name, not both');
    return { project: { name: s.projectName, domain: s.domainId ? { id: s.domainId } : { name: s.domainName } } };
  }
  if (s.projectId) {
    if (s.domainId || s.domainName) throw refuse('a project id must come alone, without a domain');
    return { project: { id: s.projectId } };
  }
  if (s.domainId) {
    if (s.domainName) throw refuse('give the domain by id or by name, not both');
    return { domain: { id: s.domainId } };
  }
  if (s.domainName) return { domain: { name: s.domainName } };
  return undefined;
}

/**
 * "Test connection": authenticate once with the cloud's credential as the OpenStack CCM would, then
 * report what the workload cluster's consumers need from Keystone: a project-scoped token, the
 * region in the catalog, and an endpoint for the configured interface and region for each service:
 *
 *   identity        reported only: the consumers authenticate and renew tokens at auth-url, not
 *                   at the catalog's identity endpoint (gophercloud@95eea8e openstack/client.go:90-110)
 *   compute         OCCM (instances) and Cinder CSI (attachments)
 *   network         OCCM (node addresses, routes, load balancers)
 *   load-balancer   OCCM's service controller, unless `[LoadBalancer] enabled=false`
 *                   (pkg/openstack/openstack.go:212 defaults it on; :353 exits when it is missing)
 *   block-storage   Cinder CSI
 *
 * Endpoints are matched as gophercloud does (gophercloud@95eea8e openstack/endpoint.go V3Endpoint:
 * service type or alias, `interface` exactly, region by `region_id`/`region`; block-storage aliases
 * from endpoint_search.go:37, without `volumev2`, which implies major version 2 where Cinder CSI
 * asks for 3, endpoint.go:45-62). Newer gophercloud also fetches each endpoint's version document
 * when the clients start; this check reads the catalog only.
 *
 * The token is used for this check only (and for reading the application credential's own record,
 * which reveals its expiry) and then dropped; it is never returned, logged or stored.
 */
import { OpenStackError, type OpenStackErrorCode } from './http';
import type { OpenStackCloud } from './cloud';
import { authenticate, type CatalogService, type NamedRef, type Session, type TokenInfo } from './keystone';

export type ConsumerService = 'identity' | 'compute' | 'network' | 'load-balancer' | 'block-storage';

/** Catalog types that satisfy each consumer service. */
export const SERVICE_TYPES: Readonly<Record<ConsumerService, readonly string[]>> = {
  identity: ['identity'],
  compute: ['compute'],
  network: ['network'],
  'load-balancer': ['load-balancer'],
  'block-storage': ['block-storage', 'volumev3', 'block-store', 'volume'],
};

const NEEDED_BY: Readonly<Record<ConsumerService, string>> = {
  identity: 'no consumer (tokens are renewed at auth-url)',
  compute: 'OpenStack CCM, Cinder CSI',
  network: 'OpenStack CCM',
  'load-balancer': 'OpenStack CCM (load balancers)',
  'block-storage': 'Cinder CSI',
};

export type ProblemCode = OpenStackErrorCode | 'unscoped' | 'interface' | 'region-missing' | 'endpoint-missing';

/** One reason why the consumers could not work; `message` is one line without secrets. */
export interface Problem {
  readonly code: ProblemCode;
  readonly message: string;
  /** HTTP status Keystone answered, when it did. */
  readonly status?: number;
}

export interface EndpointCheck {
  readonly service: ConsumerService;
  /** Whether a consumer needs it with this configuration (identity: never; load-balancer: only when enabled). */
  readonly required: boolean;
  readonly neededBy: string;
  /** The catalog type that matched, and its URL. */
  readonly type?: string;
  readonly url?: string;
}

export interface ApplicationCredentialState {
  readonly id: string;
  readonly name: string;
  /** ISO 8601 (UTC, as Keystone writes it), or null: never expires. */
  readonly expiresAt: string | null;
  readonly restricted: boolean;
  readonly roles?: readonly string[];
  readonly description?: string;
}

export interface ConnectionReport {
  /** True only when the OpenStack CCM and Cinder CSI could work with this credential. */
  readonly ok: boolean;
  readonly cloud: string;
  readonly authUrl: string;
  readonly region: string;
  readonly interface: string;
  readonly loadBalancer: boolean;
  /** Present when Keystone issued a token. */
  readonly token?: {
    readonly method: TokenInfo['method'];
    readonly user: TokenInfo['user'];
    readonly project?: TokenInfo['project'];
    readonly domain?: NamedRef;
    readonly trustId?: string;
    readonly roles: readonly string[];
    readonly expiresAt: string;
  };
  /** For application credentials: what Keystone says about the credential itself. */
  readonly applicationCredential?: ApplicationCredentialState;
  /** Regions that have at least one endpoint in the token's catalog. */
  readonly catalogRegions?: readonly string[];
  readonly endpoints: readonly EndpointCheck[];
  /** Why `ok` is false (empty when ok); in the order found. */
  readonly problems: readonly Problem[];
  readonly durationMs: number;
}

export interface CheckOptions {
  /** Per request; default 10 s. */
  readonly timeoutMs?: number;
}

const HINTS: Partial<Record<string, string>> = {
  unauthorized: 'the secret or password is wrong, or the credential has expired (Keystone does not say which)',
  'not-found': 'Keystone does not know this id (a deleted application credential?)',
};

/** Authenticates once and reports whether the workload cluster's consumers could work. Never throws for a cloud's answer. */
export async function checkConnection(cloud: OpenStackCloud, o: CheckOptions = {}): Promise<ConnectionReport> {
  const started = Date.now();
  const base = {
    cloud: cloud.name,
    authUrl: cloud.authUrl,
    region: cloud.region,
    interface: cloud.interface,
    loadBalancer: cloud.loadBalancer,
  };
  const problems: Problem[] = [];
  const done = (rest: Partial<ConnectionReport>): ConnectionReport => ({
    ok: problems.length === 0,
    ...base,
    endpoints: [],
    ...rest,
    problems,
    durationMs: Date.now() - started,
  });
  let session: Session;
  try {
    session = await authenticate(cloud, o);
  } catch (e) {
    problems.push(problemOf(e));
    return done({});
  }
  const info = session.info;
  const token = {
    method: info.method,
    user: info.user,
    ...(info.project ? { project: info.project } : {}),
    ...(info.domain ? { domain: info.domain } : {}),
    ...(info.trustId ? { trustId: info.trustId } : {}),
    roles: info.roles,
    expiresAt: info.expiresAt,
  };
  let applicationCredential: ApplicationCredentialState | undefined;
  if (info.applicationCredential) applicationCredential = await appCredState(session, info);

  if (!info.project)
    problems.push({
      code: 'unscoped',
      message: `Keystone issued a token without a project (${info.domain ? `scoped to domain "${info.domain.name}"` : 'unscoped'}): it has no catalog and the consumers cannot work. Set project_id or project_name (with its domain).`,
    });
  const iface = cloud.interface;
  if (!['public', 'internal', 'admin'].includes(iface))
    problems.push({
      code: 'interface',
      message: `interface "${iface}" is not public, internal or admin; gophercloud finds no endpoint for it.`,
    });
  const regions = [...new Set(info.catalog.flatMap((s) => s.endpoints.map((e) => e.region)).filter(Boolean))].sort();
  if (info.project && !regions.includes(cloud.region))
    problems.push({
      code: 'region-missing',
      message: `Region "${cloud.region}" has no endpoint in the catalog (regions: ${regions.length ? regions.join(', ') : 'none'}).`,
    });
  const endpoints: EndpointCheck[] = [];
  for (const service of Object.keys(SERVICE_TYPES) as ConsumerService[]) {
    const required = service === 'load-balancer' ? cloud.loadBalancer : service !== 'identity';
    const found = findEndpoint(info.catalog, SERVICE_TYPES[service], iface, cloud.region);
    endpoints.push({ service, required, neededBy: NEEDED_BY[service], ...(found ? { type: found.type, url: found.url } : {}) });
    if (!found && required && info.project && regions.includes(cloud.region))
      problems.push({
        code: 'endpoint-missing',
        message: `No ${service} endpoint for interface "${iface}" in region "${cloud.region}" (needed by ${NEEDED_BY[service]}${service === 'load-balancer' ? '; set [LoadBalancer] enabled=false if the cloud has no Octavia' : ''}).`,
      });
  }
  return done({ token, ...(applicationCredential ? { applicationCredential } : {}), catalogRegions: regions, endpoints });
}

function findEndpoint(catalog: readonly CatalogService[], types: readonly string[], iface: string, region: string) {
  for (const s of catalog) {
    if (!types.includes(s.type)) continue;
    const e = s.endpoints.find((x) => x.interface === iface && (!region || x.region === region));
    if (e) return { type: s.type, url: e.url };
  }
  return undefined;
}

/** GET /v3/users/{user}/application_credentials/{id}: allowed for the credential's own token (restricted too). */
async function appCredState(session: Session, info: TokenInfo): Promise<ApplicationCredentialState> {
  const ac = info.applicationCredential as NonNullable<TokenInfo['applicationCredential']>;
  const fallback: ApplicationCredentialState = { id: ac.id, name: ac.name, expiresAt: null, restricted: ac.restricted };
  try {
    const r = await session.call('GET', `/users/${encodeURIComponent(info.user.id)}/application_credentials/${encodeURIComponent(ac.id)}`);
    return appCredFromBody((r.body as { application_credential?: unknown })?.application_credential) ?? fallback;
  } catch {
    // The token's own expiry is capped at the credential's; without the record, say nothing rather than guess.
    return fallback;
  }
}

/** An application credential record from Keystone (no secret: Keystone returns it only on creation). */
export function appCredFromBody(v: unknown): ApplicationCredentialState | undefined {
  const a = v as
    { id?: unknown; name?: unknown; expires_at?: unknown; unrestricted?: unknown; roles?: unknown; description?: unknown } | undefined;
  if (!a || typeof a.id !== 'string') return undefined;
  const roles = Array.isArray(a.roles)
    ? a.roles.map((r) => (r as { name?: unknown })?.name).filter((n): n is string => typeof n === 'string')
    : undefined;
  return {
    id: a.id,
    name: typeof a.name === 'string' ? a.name : '',
    expiresAt: typeof a.expires_at === 'string' ? a.expires_at : null,
    restricted: a.unrestricted !== true,
    ...(roles ? { roles } : {}),
    ...(typeof a.description === 'string' && a.description ? { description: a.description } : {}),
  };
}

/** An OpenStackError (or anything else) as a Problem, with the hint of its status. */
export function problemOf(e: unknown): Problem {
  if (e instanceof OpenStackError) {
    const hint = HINTS[e.code];
    return { code: e.code, message: hint ? `${e.message} — ${hint}` : e.message, ...(e.status ? { status: e.status } : {}) };
  }
  return { code: 'protocol', message: `Unexpected failure: ${(e as Error)?.message ?? String(e)}`.split('\n')[0] };
}

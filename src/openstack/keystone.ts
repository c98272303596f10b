/**
 * Keystone v3 sessions: one token request with a cloud's credential, the token kept private inside
 * the Session (never returned, logged or stored), and the calls made with it. What the token says
 * about itself (user, project, roles, expiry, catalog, application credential) is returned as data.
 * API: https://docs.openstack.org/api-ref/identity/v3/ (POST /v3/auth/tokens, application credentials).
 */
import { OpenStackError, requestJson, type JsonResponse, type OpenStackErrorCode, type TransportOptions } from './http';
import { tokenRequest, type AuthMethodName, type OpenStackCloud } from './cloud';
import { scrub, Secret } from './secret';

export interface NamedRef {
  readonly id: string;
  readonly name: string;
}

export interface CatalogEndpoint {
  readonly interface: string;
  /** `region_id` (Keystone also sends the legacy `region`, the same value). */
  readonly region: string;
  readonly url: string;
}

export interface CatalogService {
  readonly type: string;
  readonly name?: string;
  readonly endpoints: readonly CatalogEndpoint[];
}

export interface TokenInfo {
  readonly method: AuthMethodName;
  readonly user: NamedRef & { readonly domain?: NamedRef };
  /** The project the token is scoped to; absent for unscoped, domain- or system-scoped tokens. */
  readonly project?: NamedRef & { readonly domain?: NamedRef };
  readonly domain?: NamedRef;
  readonly trustId?: string;
  readonly roles: readonly string[];
  /** When the token expires (Keystone caps it at the application credential's expiry). */
  readonly expiresAt: string;
  readonly applicationCredential?: NamedRef & { readonly restricted: boolean };
  readonly catalog: readonly CatalogService[];
}

export interface SessionOptions {
  /** Per request; default 10 s. */
  readonly timeoutMs?: number;
}

/** An authenticated Keystone session. The token stays inside; `info` is what Keystone said about it. */
export class Session {
  readonly #token: Secret;
  readonly #transport: TransportOptions;
  readonly #secrets: readonly Secret[];

  constructor(
    readonly identityUrl: string,
    token: Secret,
    readonly info: TokenInfo,
    transport: TransportOptions,
    secrets: readonly Secret[],
  ) {
    this.#token = token;
    this.#transport = transport;
    this.#secrets = [...secrets, token];
  }

  /** A request to the identity API (`path` below /v3) with the token; rejects with an OpenStackError for any status not in `ok`. */
  async call(
    method: string,
    path: string,
    body?: unknown,
    ok: readonly number[] = [200, 201, 204],
    extraSecrets: readonly Secret[] = [],
  ): Promise<JsonResponse> {
    const secrets = [...this.#secrets, ...extraSecrets];
    const res = await requestJson(method, `${this.identityUrl}${path}`, {
      ...this.#transport,
      headers: { 'x-auth-token': this.#token.reveal() },
      ...(body !== undefined ? { body } : {}),
      secrets,
    });
    if (!ok.includes(res.status)) throw keystoneError(res, `${method} ${path}`, secrets);
    return res;
  }

  toJSON(): unknown {
    return { identityUrl: this.identityUrl, info: this.info };
  }
}

/** Authenticates with the cloud's credential as the CCM would; rejects with an OpenStackError (Keystone's message, secrets scrubbed). */
export async function authenticate(cloud: OpenStackCloud, o: SessionOptions = {}): Promise<Session> {
  const req = tokenRequest(cloud);
  const transport: TransportOptions = {
    ...(cloud.cacert !== undefined ? { cacert: cloud.cacert } : {}),
    insecure: cloud.insecure,
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
  };
  const identityUrl = await identityBase(cloud.authUrl, transport, req.secrets);
  const res = await requestJson('POST', `${identityUrl}/auth/tokens`, { ...transport, body: req.body(), secrets: req.secrets });
  if (res.status !== 201) throw keystoneError(res, 'token request', req.secrets);
  const header = res.headers['x-subject-token'];
  const token = Array.isArray(header) ? header[0] : header;
  if (!token) throw new OpenStackError('protocol', 'Keystone issued no token (no X-Subject-Token header)');
  return new Session(identityUrl, new Secret(token), tokenInfo(req.method, res.body), transport, req.secrets);
}

/**
 * The v3 base URL: the auth URL itself when it ends in /v3 (gophercloud takes it as is), else the
 * v3 link of Keystone's version document, as gophercloud's ChooseVersion picks it.
 */
async function identityBase(authUrl: string, transport: TransportOptions, secrets: readonly Secret[]): Promise<string> {
  if (!authUrl) throw new OpenStackError('credential', 'The cloud has no auth URL (auth-url)');
  const trimmed = authUrl.replace(/\/+$/, '');
  if (/\/v3$/.test(trimmed)) return trimmed;
  const res = await requestJson('GET', `${trimmed}/`, { ...transport, secrets });
  const body = res.body as { versions?: { values?: unknown[] }; version?: unknown } | undefined;
  const values = (body?.versions?.values ?? (body?.version ? [body.version] : [])) as {
    id?: string;
    status?: string;
    links?: { rel?: string; href?: string }[];
  }[];
  const good = new Set(['current', 'supported', 'stable']);
  for (const v of values) {
    const href = v.links?.find((l) => l.rel === 'self')?.href;
    if (v.id?.startsWith('v3') && href && good.has((v.status ?? '').toLowerCase())) return href.replace(/\/+$/, '');
  }
  throw new OpenStackError(
    'protocol',
    `${trimmed} offers no identity v3 API (the OpenStack CCM needs Keystone v3); use the /v3 URL as auth_url`,
    res.status,
  );
}

const STATUS_CODES: Record<number, OpenStackErrorCode> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
};

/** Keystone's own error message for a response, with the secrets of the request scrubbed. */
export function keystoneError(res: JsonResponse, what: string, secrets: readonly Secret[]): OpenStackError {
  const err = (res.body as { error?: { message?: unknown; title?: unknown } } | undefined)?.error;
  const said = typeof err?.message === 'string' ? err.message : typeof err?.title === 'string' ? err.title : `HTTP ${res.status}`;
  const message = scrub(said, secrets).replace(/\s+/g, ' ').trim().slice(0, 500);
  return new OpenStackError(STATUS_CODES[res.status] ?? 'http', `Keystone refused the ${what} (${res.status}): ${message}`, res.status);
}

type J = Record<string, unknown>;
const obj = (v: unknown): J | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as J) : undefined);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const ref = (v: unknown): NamedRef | undefined => {
  const o = obj(v);
  return o && typeof o.id === 'string' ? { id: o.id, name: str(o.name) } : undefined;
};
const withDomain = (v: unknown): (NamedRef & { domain?: NamedRef }) | undefined => {
  const r = ref(v);
  const d = ref(obj(v)?.domain);
  return r && { ...r, ...(d ? { domain: d } : {}) };
};

function tokenInfo(method: AuthMethodName, body: unknown): TokenInfo {
  const t = obj(obj(body)?.token);
  if (!t) throw new OpenStackError('protocol', 'Keystone answered the token request without a token body');
  const user = withDomain(t.user);
  if (!user) throw new OpenStackError('protocol', 'The token names no user');
  const project = withDomain(t.project);
  const domain = ref(t.domain);
  const trust = ref(t['OS-TRUST:trust']);
  const ac = obj(t.application_credential);
  const catalog: CatalogService[] = [];
  for (const s of Array.isArray(t.catalog) ? t.catalog : []) {
    const so = obj(s);
    if (!so) continue;
    const endpoints: CatalogEndpoint[] = [];
    for (const e of Array.isArray(so.endpoints) ? so.endpoints : []) {
      const eo = obj(e);
      if (eo) endpoints.push({ interface: str(eo.interface), region: str(eo.region_id) || str(eo.region), url: str(eo.url) });
    }
    catalog.push({ type: str(so.type), ...(typeof so.name === 'string' ? { name: so.name } : {}), endpoints });
  }
  return {
    method,
    user,
    ...(project ? { project } : {}),
    ...(domain ? { domain } : {}),
    ...(trust ? { trustId: trust.id } : {}),
    roles: (Array.isArray(t.roles) ? t.roles : []).map((r) => str(obj(r)?.name)).filter(Boolean),
    expiresAt: str(t.expires_at),
    ...(ac && typeof ac.id === 'string'
      ? { applicationCredential: { id: ac.id, name: str(ac.name), restricted: ac.restricted !== false } }
      : {}),
    catalog,
  };
}

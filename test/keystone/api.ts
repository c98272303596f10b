/**
 * Admin helpers for the test Keystone, written against the Keystone v3 API reference
 * (https://docs.openstack.org/api-ref/identity/v3/) with plain fetch. Independent of src/openstack:
 * what the tests create and verify here is not produced or judged by the code under test.
 *
 * Catalog entries are entries only (nothing listens at the compute/network/... URLs).
 */

export interface Ref {
  readonly id: string;
  readonly name: string;
}

/** A user who authenticates with a password (to create their own application credentials and trusts). */
export interface UserLogin {
  readonly id: string;
  readonly password: string;
}

export interface AppCredOptions {
  readonly name: string;
  /** Chosen secret; Keystone generates one when absent. */
  readonly secret?: string;
  /** ISO 8601, e.g. `2030-01-01T00:00:00`; none: never expires. */
  readonly expiresAt?: string;
  /** May create further application credentials and trusts. */
  readonly unrestricted?: boolean;
  /** Role names; default: every role the user has on the project. */
  readonly roles?: readonly string[];
  readonly description?: string;
}

export interface CreatedAppCred {
  readonly id: string;
  readonly name: string;
  readonly secret: string;
  readonly expiresAt: string | null;
  readonly unrestricted: boolean;
  readonly roles: readonly string[];
}

/** The service types of a workload cluster's consumers, as gophercloud looks them up (0.12 and v2 both find `volumev3`). */
export const CONSUMER_SERVICES: Readonly<Record<string, string>> = {
  identity: 'keystone',
  compute: 'nova',
  network: 'neutron',
  'load-balancer': 'octavia',
  volumev3: 'cinderv3',
};

export type Interface = 'public' | 'internal' | 'admin';

export interface RegionCatalog {
  readonly region: string;
  readonly endpointIds: readonly string[];
  /** Deletes the endpoints and the region (when this call created it). */
  remove(): Promise<void>;
}

interface Response {
  readonly status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
  readonly headers: Headers;
}

const TIMEOUT_MS = 20_000;

export class KeystoneApi {
  private admin?: string;
  private readonly services = new Map<string, string>();

  constructor(
    readonly url: string,
    private readonly adminPassword: string,
  ) {}

  /** One request; the body is parsed JSON (or undefined). Never throws for an HTTP status. */
  async request(
    method: string,
    path: string,
    opts: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', ...(opts.headers ?? {}) };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.token) headers['x-auth-token'] = opts.token;
    const res = await fetch(this.url + path, {
      method,
      headers,
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    return { status: res.status, body, headers: res.headers };
  }

  /** POST /v3/auth/tokens with `auth` as given: status, Keystone's error message, and the token when issued. */
  async authenticate(auth: unknown): Promise<{ status: number; message?: string; token?: string; body?: unknown }> {
    const r = await this.request('POST', '/auth/tokens', { body: { auth } });
    const token = r.headers.get('x-subject-token') ?? undefined;
    return {
      status: r.status,
      ...(r.body?.error?.message ? { message: r.body.error.message } : {}),
      ...(token ? { token } : {}),
      body: r.body,
    };
  }

  /** Does this application credential (id + secret) get a token? The tests' own oracle, not src/openstack. */
  async appCredAuthenticates(id: string, secret: string): Promise<{ status: number; message?: string }> {
    const { status, message } = await this.authenticate({
      identity: { methods: ['application_credential'], application_credential: { id, secret } },
    });
    return { status, ...(message ? { message } : {}) };
  }

  private async adminToken(): Promise<string> {
    if (this.admin) return this.admin;
    const r = await this.authenticate({
      identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: this.adminPassword } } },
      scope: { project: { name: 'admin', domain: { id: 'default' } } },
    });
    if (!r.token) throw new Error(`admin login failed: ${r.status} ${r.message ?? ''}`);
    this.admin = r.token;
    return r.token;
  }

  /** An admin request that must answer with one of `ok`; throws with Keystone's message otherwise. */
  async asAdmin(method: string, path: string, body?: unknown, ok: readonly number[] = [200, 201, 204]): Promise<Response> {
    const r = await this.request(method, path, { body, token: await this.adminToken() });
    if (!ok.includes(r.status)) throw new Error(`${method} ${path}: ${r.status} ${r.body?.error?.message ?? JSON.stringify(r.body)}`);
    return r;
  }

  /** A project-scoped token for a user (for token auth and for the user's own application credentials). */
  async userToken(user: UserLogin, projectId?: string): Promise<string> {
    const r = await this.authenticate({
      identity: { methods: ['password'], password: { user: { id: user.id, password: user.password } } },
      ...(projectId ? { scope: { project: { id: projectId } } } : {}),
    });
    if (!r.token) throw new Error(`login of user ${user.id} failed: ${r.status} ${r.message ?? ''}`);
    return r.token;
  }

  async createDomain(name: string): Promise<Ref> {
    const r = await this.asAdmin('POST', '/domains', { domain: { name, enabled: true } });
    return { id: r.body.domain.id, name };
  }

  async deleteDomain(id: string): Promise<void> {
    await this.asAdmin('PATCH', `/domains/${id}`, { domain: { enabled: false } });
    await this.asAdmin('DELETE', `/domains/${id}`);
  }

  async createProject(name: string, domainId = 'default'): Promise<Ref> {
    const r = await this.asAdmin('POST', '/projects', { project: { name, domain_id: domainId, enabled: true } });
    return { id: r.body.project.id, name };
  }

  async deleteProject(id: string): Promise<void> {
    await this.asAdmin('DELETE', `/projects/${id}`);
  }

  async createUser(name: string, password: string, domainId = 'default'): Promise<Ref & UserLogin> {
    const r = await this.asAdmin('POST', '/users', { user: { name, password, domain_id: domainId, enabled: true } });
    return { id: r.body.user.id, name, password };
  }

  async deleteUser(id: string): Promise<void> {
    await this.asAdmin('DELETE', `/users/${id}`);
  }

  async roleId(name: string): Promise<string> {
    const r = await this.asAdmin('GET', `/roles?name=${encodeURIComponent(name)}`);
    const role = (r.body.roles as Ref[])[0];
    if (!role) throw new Error(`no role ${name}`);
    return role.id;
  }

  /** Grants a role (default `member`) to a user on a project. */
  async grant(userId: string, projectId: string, role = 'member'): Promise<void> {
    await this.asAdmin('PUT', `/projects/${projectId}/users/${userId}/roles/${await this.roleId(role)}`);
  }

  /** Creates an application credential as the user (Keystone lets only the owner create one). */
  async createApplicationCredential(user: UserLogin, projectId: string, o: AppCredOptions): Promise<CreatedAppCred> {
    const token = await this.userToken(user, projectId);
    const body = {
      application_credential: {
        name: o.name,
        ...(o.secret !== undefined ? { secret: o.secret } : {}),
        ...(o.expiresAt ? { expires_at: o.expiresAt } : {}),
        ...(o.unrestricted ? { unrestricted: true } : {}),
        ...(o.roles ? { roles: o.roles.map((name) => ({ name })) } : {}),
        ...(o.description ? { description: o.description } : {}),
      },
    };
    const r = await this.request('POST', `/users/${user.id}/application_credentials`, { body, token });
    if (r.status !== 201) throw new Error(`creating application credential ${o.name}: ${r.status} ${r.body?.error?.message ?? ''}`);
    const a = r.body.application_credential;
    return {
      id: a.id,
      name: a.name,
      secret: a.secret,
      expiresAt: a.expires_at ?? null,
      unrestricted: Boolean(a.unrestricted),
      roles: (a.roles as Ref[]).map((x) => x.name),
    };
  }

  async deleteApplicationCredential(user: UserLogin, projectId: string, id: string): Promise<void> {
    const token = await this.userToken(user, projectId);
    const r = await this.request('DELETE', `/users/${user.id}/application_credentials/${id}`, { token });
    if (r.status !== 204) throw new Error(`deleting application credential ${id}: ${r.status} ${r.body?.error?.message ?? ''}`);
  }

  /** The user's application credentials as Keystone lists them (the tests' oracle for list/delete). */
  async listApplicationCredentials(user: UserLogin, projectId: string): Promise<{ id: string; name: string; expires_at: string | null }[]> {
    const token = await this.userToken(user, projectId);
    const r = await this.request('GET', `/users/${user.id}/application_credentials`, { token });
    if (r.status !== 200) throw new Error(`listing application credentials: ${r.status}`);
    return r.body.application_credentials;
  }

  /** A trust from `trustor` (who must have the roles on the project) to `trusteeId`. */
  async createTrust(trustor: UserLogin, projectId: string, trusteeId: string, roles: readonly string[] = ['member']): Promise<string> {
    const token = await this.userToken(trustor, projectId);
    const r = await this.request('POST', '/OS-TRUST/trusts', {
      token,
      body: {
        trust: {
          trustor_user_id: trustor.id,
          trustee_user_id: trusteeId,
          project_id: projectId,
          impersonation: false,
          roles: roles.map((name) => ({ name })),
        },
      },
    });
    if (r.status !== 201) throw new Error(`creating trust: ${r.status} ${r.body?.error?.message ?? ''}`);
    return r.body.trust.id;
  }

  // --- catalog ---

  async createRegion(id: string): Promise<boolean> {
    const r = await this.asAdmin('POST', '/regions', { region: { id } }, [201, 409]);
    return r.status === 201;
  }

  async deleteRegion(id: string): Promise<void> {
    await this.asAdmin('DELETE', `/regions/${id}`);
  }

  /** The id of the service of this type, created once. */
  async service(type: string, name = CONSUMER_SERVICES[type] ?? type): Promise<string> {
    const known = this.services.get(type);
    if (known) return known;
    const list = await this.asAdmin('GET', `/services?type=${encodeURIComponent(type)}`);
    const existing = (list.body.services as { id: string }[])[0];
    const id = existing
      ? existing.id
      : (await this.asAdmin('POST', '/services', { service: { type, name, enabled: true } })).body.service.id;
    this.services.set(type, id);
    return id;
  }

  async createEndpoint(serviceId: string, iface: Interface, url: string, regionId: string): Promise<string> {
    const r = await this.asAdmin('POST', '/endpoints', {
      endpoint: { service_id: serviceId, interface: iface, url, region_id: regionId, enabled: true },
    });
    return r.body.endpoint.id;
  }

  async deleteEndpoint(id: string): Promise<void> {
    await this.asAdmin('DELETE', `/endpoints/${id}`);
  }

  async hasEndpoint(serviceId: string, iface: Interface, region: string): Promise<boolean> {
    const q = `service_id=${serviceId}&interface=${iface}&region_id=${encodeURIComponent(region)}`;
    return (await this.asAdmin('GET', `/endpoints?${q}`)).body.endpoints.length > 0;
  }

  /** Bootstrap's part of the catalog: the region and Keystone's own endpoints (public, internal, admin). */
  async bootstrapIdentityEndpoints(region: string): Promise<void> {
    await this.createRegion(region);
    const id = await this.service('identity');
    for (const iface of ['public', 'internal', 'admin'] as const) await this.createEndpoint(id, iface, this.url, region);
  }

  /**
   * Catalog entries for a region: by default every consumer service of a workload cluster (identity,
   * compute, network, load-balancer, block-storage as `volumev3`) on every interface. `omit` leaves
   * service types out; identity endpoints point at this Keystone (and are not added twice), the others
   * at a closed port.
   */
  async catalogForRegion(
    region: string,
    o: { omit?: readonly string[]; interfaces?: readonly Interface[]; blockStorageType?: string } = {},
  ): Promise<RegionCatalog> {
    const created = await this.createRegion(region);
    const ids: string[] = [];
    const types = Object.keys(CONSUMER_SERVICES).map((t) => (t === 'volumev3' ? (o.blockStorageType ?? t) : t));
    for (const type of types) {
      if (o.omit?.includes(type)) continue;
      const sid = await this.service(type);
      for (const iface of o.interfaces ?? (['public', 'internal', 'admin'] as const)) {
        if (type === 'identity' && (await this.hasEndpoint(sid, iface, region))) continue;
        const url = type === 'identity' ? this.url : `http://127.0.0.1:9/${type}/${iface}`;
        ids.push(await this.createEndpoint(sid, iface, url, region));
      }
    }
    return {
      region,
      endpointIds: ids,
      remove: async () => {
        for (const id of ids) await this.deleteEndpoint(id);
        if (created) await this.deleteRegion(region);
      },
    };
  }
}

/**
 * The Keystone operations of an application-credential rotation (Keystone v3 API: application
 * credentials, https://docs.openstack.org/api-ref/identity/v3/#application-credentials):
 *
 *   createApplicationCredential  a new one with the roles of the current credential and a chosen expiry
 *   verifyCredential             does a credential get a project-scoped token?
 *   listApplicationCredentials   the user's application credentials (metadata, never secrets)
 *   deleteApplicationCredential  delete one by id
 *   confirmRevoked               the credential no longer authenticates (401/404)
 *
 * Who may create or delete: Keystone lets an application credential manage others only when it was
 * created `unrestricted`; otherwise the user's password is needed. It is passed once as a Secret,
 * used for one token request and dropped. Every failure is a typed result carrying Keystone's message
 * with the secrets scrubbed; the new secret comes back only as a Secret (masked when printed).
 */
import { appCredFromBody, problemOf, type ApplicationCredentialState, type Problem } from './check';
import { withApplicationCredential, type OpenStackCloud } from './cloud';
import { OpenStackError } from './http';
import { authenticate, type Session, type SessionOptions, type TokenInfo } from './keystone';
import { secret, Secret } from './secret';

export type Outcome<T> = ({ readonly ok: true } & T) | { readonly ok: false; readonly problem: Problem };

export interface ManageOptions extends SessionOptions {
  /**
   * The user's password, for a restricted application credential (used for one token request as
   * that user on the same project, then forgotten). Not needed for an unrestricted application
   * credential or a password credential.
   */
  readonly password?: string | Secret;
}

export interface CreateOptions extends ManageOptions {
  readonly name: string;
  /** When it expires: a Date or ISO 8601 text (UTC); null or absent: never. */
  readonly expiresAt?: Date | string | null;
  readonly description?: string;
  /** Default: the current credential's own setting (restricted for password credentials). */
  readonly unrestricted?: boolean;
}

export interface CreatedApplicationCredential {
  readonly credential: ApplicationCredentialState & { readonly projectId: string; readonly userId: string };
  /** The new secret: Keystone shows it once. */
  readonly secret: Secret;
  /** The same cloud with the new credential (by id), to verify it and to write it out. */
  readonly cloud: OpenStackCloud;
}

export interface Identity {
  readonly user: TokenInfo['user'];
  readonly project?: TokenInfo['project'];
  readonly roles: readonly string[];
  readonly expiresAt: string;
  readonly applicationCredential?: TokenInfo['applicationCredential'];
}

const fail = (e: unknown): { ok: false; problem: Problem } => ({ ok: false, problem: problemOf(e) });

function identity(info: TokenInfo): Identity {
  return {
    user: info.user,
    ...(info.project ? { project: info.project } : {}),
    roles: info.roles,
    expiresAt: info.expiresAt,
    ...(info.applicationCredential ? { applicationCredential: info.applicationCredential } : {}),
  };
}

/** Does the credential get a project-scoped token? (The check's first step, without the catalog.) */
export async function verifyCredential(cloud: OpenStackCloud, o: SessionOptions = {}): Promise<Outcome<{ identity: Identity }>> {
  try {
    const s = await authenticate(cloud, o);
    if (!s.info.project)
      return fail(new OpenStackError('credential', 'Keystone issued a token without a project; the consumers need a project-scoped one'));
    return { ok: true, identity: identity(s.info) };
  } catch (e) {
    return fail(e);
  }
}

/** After a delete: true when Keystone now refuses the credential (401 or 404); any other failure is reported as it is. */
export async function confirmRevoked(
  cloud: OpenStackCloud,
  o: SessionOptions = {},
): Promise<Outcome<{ revoked: boolean; status?: number }>> {
  try {
    await authenticate(cloud, o);
    return { ok: true, revoked: false };
  } catch (e) {
    if (e instanceof OpenStackError && (e.code === 'unauthorized' || e.code === 'not-found'))
      return { ok: true, revoked: true, status: e.status ?? 0 };
    return fail(e);
  }
}

/**
 * A session allowed to manage the user's application credentials: the credential's own when it is
 * an unrestricted application credential or not an application credential at all; with
 * `password`, a fresh one as the user on the same project.
 */
async function managingSession(cloud: OpenStackCloud, o: ManageOptions): Promise<{ current: Session; manager: Session }> {
  const current = await authenticate(cloud, o);
  const info = current.info;
  if (!info.project) throw new OpenStackError('credential', 'The credential gives no project-scoped token');
  if (o.password !== undefined) {
    const pw = secret(o.password);
    const asUser: OpenStackCloud = {
      ...cloud,
      global: {
        'auth-url': cloud.global['auth-url'] ?? cloud.authUrl,
        'user-id': info.user.id,
        password: pw,
        'tenant-id': info.project.id,
      },
    };
    return { current, manager: await authenticate(asUser, o) };
  }
  if (info.method === 'trust')
    throw new OpenStackError(
      'needs-password',
      'A trust-scoped token cannot manage application credentials: give the password of the user who owns them',
    );
  if (info.applicationCredential?.restricted)
    throw new OpenStackError(
      'needs-password',
      `Application credential "${info.applicationCredential.name}" is restricted: Keystone lets it create or delete no other. Give the user's password (used once), or rotate from an unrestricted one.`,
    );
  return { current, manager: current };
}

function isoExpiry(v: Date | string | null | undefined): string | undefined {
  if (v === null || v === undefined) return undefined;
  const d = typeof v === 'string' ? new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`) : v;
  if (Number.isNaN(d.getTime())) throw new OpenStackError('bad-request', `Not a date: ${String(v)}`);
  // Keystone wants UTC without a zone suffix.
  return d.toISOString().replace(/Z$/, '');
}

/** Creates an application credential with the current credential's roles; returns its secret once, as a Secret. */
export async function createApplicationCredential(cloud: OpenStackCloud, o: CreateOptions): Promise<Outcome<CreatedApplicationCredential>> {
  try {
    const expiresAt = isoExpiry(o.expiresAt);
    const { current, manager } = await managingSession(cloud, o);
    const info = current.info;
    const project = info.project as NonNullable<TokenInfo['project']>;
    let roles = info.roles;
    let unrestricted = o.unrestricted ?? false;
    if (info.applicationCredential) {
      // The record has the credential's own role list (the token's may include implied roles).
      const r = await current.call(
        'GET',
        `/users/${encodeURIComponent(info.user.id)}/application_credentials/${encodeURIComponent(info.applicationCredential.id)}`,
      );
      const own = appCredFromBody((r.body as { application_credential?: unknown })?.application_credential);
      if (own?.roles?.length) roles = own.roles;
      unrestricted = o.unrestricted ?? !info.applicationCredential.restricted;
    }
    const body = {
      application_credential: {
        name: o.name,
        ...(o.description ? { description: o.description } : {}),
        ...(expiresAt ? { expires_at: expiresAt } : {}),
        roles: roles.map((name) => ({ name })),
        unrestricted,
      },
    };
    const r = await manager.call('POST', `/users/${encodeURIComponent(info.user.id)}/application_credentials`, body, [201]);
    const raw = (r.body as { application_credential?: { secret?: unknown } })?.application_credential;
    const state = appCredFromBody(raw);
    if (!state || typeof raw?.secret !== 'string')
      throw new OpenStackError('protocol', 'Keystone created the application credential but returned no id or secret');
    const appSecret = new Secret(raw.secret);
    return {
      ok: true,
      credential: { ...state, projectId: project.id, userId: info.user.id },
      secret: appSecret,
      cloud: withApplicationCredential(cloud, state.id, appSecret),
    };
  } catch (e) {
    return fail(e);
  }
}

/** The user's application credentials (a restricted one may list them). */
export async function listApplicationCredentials(
  cloud: OpenStackCloud,
  o: SessionOptions = {},
): Promise<Outcome<{ userId: string; credentials: ApplicationCredentialState[] }>> {
  try {
    const s = await authenticate(cloud, o);
    const r = await s.call('GET', `/users/${encodeURIComponent(s.info.user.id)}/application_credentials`);
    const list = (r.body as { application_credentials?: unknown[] })?.application_credentials;
    if (!Array.isArray(list)) throw new OpenStackError('protocol', 'Keystone returned no application_credentials list');
    const credentials = list.map(appCredFromBody).filter((a): a is ApplicationCredentialState => a !== undefined);
    return { ok: true, userId: s.info.user.id, credentials };
  } catch (e) {
    return fail(e);
  }
}

/** Deletes one of the user's application credentials (needs an unrestricted credential or the password). */
export async function deleteApplicationCredential(
  cloud: OpenStackCloud,
  id: string,
  o: ManageOptions = {},
): Promise<Outcome<{ id: string }>> {
  try {
    const { current, manager } = await managingSession(cloud, o);
    await manager.call(
      'DELETE',
      `/users/${encodeURIComponent(current.info.user.id)}/application_credentials/${encodeURIComponent(id)}`,
      undefined,
      [204],
    );
    return { ok: true, id };
  } catch (e) {
    return fail(e);
  }
}

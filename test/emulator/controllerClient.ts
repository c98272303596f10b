// The HTTPS client the controller models use to talk to an emulator, as controller-runtime's client does for
// the upstream controllers: bearer token and CA from a kubeconfig, a discovery-based REST mapper (kind →
// resource, namespaced or not, like apiutil's dynamic RESTMapper), a User-Agent from which the API server
// derives the default field manager, and API errors as metav1.Status. It exists so that no model needs
// code from src/ (the code under test) to reach a cluster.
import { Agent, request as httpsRequest } from 'node:https';
import { load as loadYaml } from 'js-yaml';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = Record<string, any>;

/** An error answer of the API server (its metav1.Status), or a transport failure (code 0). */
export class ApiStatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly status?: Obj,
  ) {
    super(message);
  }
}

export const isNotFound = (e: unknown): boolean => e instanceof ApiStatusError && e.code === 404;
export const isAlreadyExists = (e: unknown): boolean => e instanceof ApiStatusError && e.reason === 'AlreadyExists';

export interface ClusterAccess {
  server: string;
  caPem: string;
  token: string;
}

/** Anything that knows how to reach a cluster: an `Emulator`, a kubeconfig text, or the access itself. */
export type ClusterSource = { kubeconfig(): string } | string | ClusterAccess;

/** Server, CA and token of the current context of a kubeconfig (token users only, like the emulator writes). */
export function accessFromKubeconfig(text: string): ClusterAccess {
  const cfg = loadYaml(text) as Obj;
  const ctx = (cfg?.contexts ?? []).find((c: Obj) => c.name === cfg['current-context'])?.context;
  const cluster = (cfg?.clusters ?? []).find((c: Obj) => c.name === ctx?.cluster)?.cluster;
  const user = (cfg?.users ?? []).find((u: Obj) => u.name === ctx?.user)?.user;
  if (!cluster?.server || !user?.token) throw new Error('kubeconfig: the current context needs a server and a token user');
  const caPem = cluster['certificate-authority-data'] ? Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8') : '';
  return { server: String(cluster.server).replace(/\/+$/, ''), caPem, token: String(user.token) };
}

function accessOf(source: ClusterSource): ClusterAccess {
  if (typeof source === 'string') return accessFromKubeconfig(source);
  if ('kubeconfig' in source && typeof source.kubeconfig === 'function') return accessFromKubeconfig(source.kubeconfig());
  return source as ClusterAccess;
}

interface Mapping {
  plural: string;
  namespaced: boolean;
}

export interface ClientOptions {
  /** Sent as User-Agent; the API server takes the part before the first `/` as the default field manager. */
  userAgent?: string;
  timeoutMs?: number;
}

export class ControllerClient {
  private readonly access: ClusterAccess;
  private readonly agent: Agent;
  private readonly mappings = new Map<string, Mapping | null>();

  constructor(
    source: ClusterSource,
    private readonly options: ClientOptions = {},
  ) {
    this.access = accessOf(source);
    this.agent = new Agent({ keepAlive: true, maxSockets: 4 });
  }

  get server(): string {
    return this.access.server;
  }

  close(): void {
    this.agent.destroy();
  }

  /** One request; resolves with the decoded JSON body of a 2xx answer, rejects with ApiStatusError otherwise. */
  request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Obj> {
    const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const headers: Record<string, string> = { Authorization: `Bearer ${this.access.token}`, Accept: 'application/json' };
    if (data !== undefined) headers['Content-Type'] = contentType;
    if (this.options.userAgent) headers['User-Agent'] = this.options.userAgent;
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        `${this.access.server}${path}`,
        { method, headers, ca: this.access.caPem || undefined, agent: this.agent, timeout: this.options.timeoutMs ?? 10_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: Obj;
            try {
              json = text ? (JSON.parse(text) as Obj) : {};
            } catch {
              json = { message: text };
            }
            const code = res.statusCode ?? 0;
            if (code >= 200 && code < 300) resolve(json);
            else reject(new ApiStatusError(code, String(json.reason ?? ''), String(json.message ?? `${method} ${path}: ${code}`), json));
          });
          res.on('error', (e) => reject(new ApiStatusError(0, 'Transport', e.message)));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timeout`)));
      req.on('error', (e) => reject(new ApiStatusError(0, 'Transport', e.message)));
      req.end(data);
    });
  }

  /** The resource of a kind, from the server's discovery document of its group version (cached). */
  async mapping(apiVersion: string, kind: string): Promise<Mapping> {
    const key = `${apiVersion}/${kind}`;
    if (!this.mappings.has(key)) {
      const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      let found: Mapping | null = null;
      try {
        const doc = await this.request('GET', base);
        const r = ((doc.resources ?? []) as Obj[]).find((x) => x.kind === kind && !String(x.name).includes('/'));
        if (r) found = { plural: String(r.name), namespaced: r.namespaced === true };
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      this.mappings.set(key, found);
    }
    const m = this.mappings.get(key);
    // meta.NoKindMatchError's text (k8s.io/apimachinery pkg/api/meta/errors.go).
    if (!m) throw new ApiStatusError(0, 'NoKindMatch', `no matches for kind "${kind}" in version "${apiVersion}"`);
    return m;
  }

  async path(apiVersion: string, kind: string, namespace: string | undefined, name?: string): Promise<string> {
    const m = await this.mapping(apiVersion, kind);
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const ns = m.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
    return `${base}${ns}/${m.plural}${name !== undefined ? `/${encodeURIComponent(name)}` : ''}`;
  }

  async get(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<Obj | undefined> {
    try {
      return await this.request('GET', await this.path(apiVersion, kind, namespace, name));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async list(apiVersion: string, kind: string, namespace?: string, labelSelector?: string): Promise<Obj[]> {
    const q = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
    const out = await this.request('GET', (await this.path(apiVersion, kind, namespace)) + q);
    return ((out.items ?? []) as Obj[]).map((o) => ({ apiVersion, kind, ...o }));
  }

  async create(obj: Obj, query = ''): Promise<Obj> {
    return this.request('POST', (await this.path(obj.apiVersion, obj.kind, obj.metadata?.namespace)) + query, obj);
  }

  async update(obj: Obj, subresource?: 'status'): Promise<Obj> {
    const p = await this.path(obj.apiVersion, obj.kind, obj.metadata?.namespace, obj.metadata?.name);
    return this.request('PUT', subresource ? `${p}/${subresource}` : p, obj);
  }

  async mergePatch(obj: Obj, patch: Obj, subresource?: 'status'): Promise<Obj> {
    const p = await this.path(obj.apiVersion, obj.kind, obj.metadata?.namespace, obj.metadata?.name);
    return this.request('PATCH', subresource ? `${p}/${subresource}` : p, patch, 'application/merge-patch+json');
  }

  /** Server-side apply (`application/apply-patch+yaml` with a JSON body, which is YAML). */
  async apply(obj: Obj, fieldManager: string, force: boolean): Promise<Obj> {
    const p = await this.path(obj.apiVersion, obj.kind, obj.metadata?.namespace, obj.metadata?.name);
    return this.request(
      'PATCH',
      `${p}?fieldManager=${encodeURIComponent(fieldManager)}&force=${force}`,
      obj,
      'application/apply-patch+yaml',
    );
  }

  async delete(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<void> {
    await this.request('DELETE', await this.path(apiVersion, kind, namespace, name));
  }
}

/**
 * A JSON merge patch that turns `from` into `to` (what controller-runtime's `client.MergeFrom` computes with
 * jsonpatch.CreateMergePatch): changed and new keys with their value, removed keys as null, lists whole.
 */
export function mergePatchBetween(from: unknown, to: unknown): Obj {
  const out: Obj = {};
  const a = (from ?? {}) as Obj;
  const b = (to ?? {}) as Obj;
  for (const k of Object.keys(a)) if (!(k in b)) out[k] = null;
  for (const [k, v] of Object.entries(b)) {
    const old = a[k];
    if (isMap(old) && isMap(v)) {
      const inner = mergePatchBetween(old, v);
      if (Object.keys(inner).length) out[k] = inner;
    } else if (JSON.stringify(old) !== JSON.stringify(v)) out[k] = v;
  }
  return out;
}

function isMap(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export const nowRfc3339 = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The periodic resync the models run instead of watches: one pass, then the next `intervalMs` after it ended,
 * until `stop()` (which waits for a pass in flight). A failing pass goes to `onError`; the next one retries.
 */
export class Resync {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly pass: () => Promise<void>,
    private readonly onError: (e: Error) => void,
  ) {}

  start(intervalMs: number): void {
    const tick = () => {
      this.running = this.pass()
        .catch(this.onError)
        .finally(() => {
          if (this.timer !== undefined) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}

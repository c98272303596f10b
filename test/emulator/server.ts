// The HTTPS front: routing like kube-apiserver (discovery, OpenAPI, resource paths), bearer-token
// authentication, RBAC, JSON/Table responses, chunked watch streams, and per-server fault injection.
import { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, Server } from 'node:https';
import { Socket } from 'node:net';
import { gzip } from 'node:zlib';
import { Api, PATCH_TYPES, WriteOptions } from './api';
import { decodeOptionsBody, decodeRequestBody } from './decode';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, openApiV3Doc, openApiV3Root, rootPaths, SERVER_VERSION } from './discovery';
import { field } from './fielderrors';
import { deleteParams, isWatch, listParams, ListParams, writeParams } from './params';
import { authorize, Attributes, rulesFor, TokenMinter, UserInfo } from './rbac';
import { groupVersionOf, Registry, ResourceType } from './resources';
import { ApiError, errors } from './status';
import { deliver, EventType, KubeObject, Store, Watcher } from './store';
import { IncludeObject, toTable, wantsTable } from './table';
import { TlsMaterial } from './tls';

export interface Faults {
  /** Added to every request before it is handled. */
  latencyMs?: number;
  /** Fraction of requests delayed by a further `latencySpikeMs` (a stalled apiserver or etcd). */
  latencySpikeRate?: number;
  latencySpikeMs?: number;
  /** Fraction (0..1) of requests answered 429 TooManyRequests with Retry-After. */
  rate429?: number;
  retryAfterSeconds?: number;
  /** Fraction of requests answered 500 InternalError. */
  rate500?: number;
  /** Fraction of requests whose connection is destroyed without an answer. */
  rateDrop?: number;
  /**
   * Fraction of writes (POST, PUT, PATCH, DELETE) that are carried out and whose answer is then lost
   * (the connection is destroyed instead): an apiserver that committed to etcd and died before replying.
   */
  rateLoseResponse?: number;
  /** Watch streams are cut (socket destroyed) after this many events. */
  watchCutAfterEvents?: number;
  /** Watch streams are cut this long after they start. */
  watchCutAfterMs?: number;
  /** Only requests whose path matches are affected (default: all). */
  pathPattern?: RegExp;
  /** Seed of the pseudo-random generator deciding which requests fail (default 1). */
  seed?: number;
}

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
  /** Server-side time from the request's arrival to its response being handed to the socket. */
  ms: number;
  /** Arrival time (ms since the epoch). */
  at: number;
  /** The authenticated user's name (undefined when the token was missing or rejected). */
  user?: string;
  /** Seconds of the Retry-After header sent with the answer, if any. */
  retryAfter?: number;
  /** The write was carried out and its answer lost (`rateLoseResponse`). */
  lost?: boolean;
}

interface ActiveWatch {
  res: ServerResponse;
  stop(): void;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ResourceRequest {
  t: ResourceType;
  version: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export class ApiServer {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly watches = new Set<ActiveWatch>();
  private faults: Faults = {};
  private random = mulberry32(1);
  readonly requestCount = new Map<string, number>();
  readonly requests: RequestRecord[] = [];
  port = 0;

  constructor(
    private readonly tls: TlsMaterial,
    private readonly registry: Registry,
    private readonly store: Store,
    private readonly api: Api,
    private readonly authenticate: (token: string) => UserInfo | undefined,
    readonly minter: TokenMinter,
  ) {}

  setFaults(f: Faults): void {
    this.faults = { ...f };
    this.random = mulberry32(f.seed ?? 1);
  }

  getFaults(): Faults {
    return { ...this.faults };
  }

  async listen(port = 0): Promise<number> {
    const server = createServer({ cert: this.tls.certPem, key: this.tls.keyPem }, (req, res) => {
      this.handle(req, res).catch((e) => this.fail(res, e));
    });
    server.keepAliveTimeout = 30_000;
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    server.on('secureConnection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const addr = server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : port;
    return this.port;
  }

  /** Closes the listener and every connection (watches end abruptly, like a crashed apiserver). */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const w of [...this.watches]) w.stop();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get listening(): boolean {
    return this.server !== undefined;
  }

  /** Cuts every open watch stream now (the client sees the connection drop). */
  cutWatches(): void {
    for (const w of [...this.watches]) {
      w.stop();
      cutConnection(w.res);
    }
  }

  get openWatches(): number {
    return this.watches.size;
  }

  private fail(res: ServerResponse, e: unknown): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const err = e instanceof ApiError ? e : errors.internal((e as Error)?.message ?? String(e));
    this.sendJson(res, err.status.code, err.status, err.headers);
  }

  private sendJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
    sendText(res, code, JSON.stringify(body), headers);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const method = req.method ?? 'GET';
    const key = `${method} ${url.pathname}`;
    this.requestCount.set(key, (this.requestCount.get(key) ?? 0) + 1);
    const arrived = process.hrtime.bigint();
    const at = Date.now();
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1].trim();
    const record = (status: number, extra: Partial<RequestRecord> = {}) => {
      const ra = Number(sentRetryAfter.get(res));
      this.requests.push({
        method,
        path: url.pathname,
        status,
        ms: Number(process.hrtime.bigint() - arrived) / 1e6,
        at,
        user: bearer ? this.authenticate(bearer)?.name : undefined,
        ...(Number.isFinite(ra) && ra >= 0 ? { retryAfter: ra } : {}),
        ...extra,
      });
    };
    res.on('finish', () => record(res.statusCode));

    const f = this.faults;
    if (!f.pathPattern || f.pathPattern.test(url.pathname)) {
      if (f.latencyMs) await new Promise((r) => setTimeout(r, f.latencyMs));
      if (f.latencySpikeRate && this.random() < f.latencySpikeRate) await new Promise((r) => setTimeout(r, f.latencySpikeMs ?? 2000));
      if (f.rateDrop && this.random() < f.rateDrop) {
        record(0);
        req.socket.destroy();
        return;
      }
      if (f.rateLoseResponse && method !== 'GET' && this.random() < f.rateLoseResponse) {
        // The write runs; its answer never leaves (sendText destroys the connection instead).
        loseResponse.add(res);
        res.on('close', () => record(0, { lost: true }));
      }
      if (f.rate429 && this.random() < f.rate429) throw errors.tooManyRequests(f.retryAfterSeconds ?? 1);
      if (f.rate500 && this.random() < f.rate500) throw errors.internal('injected fault');
    }

    const auth = req.headers.authorization ?? '';
    const m = auth.match(/^Bearer\s+(.+)$/i);
    const user = m ? this.authenticate(m[1].trim()) : undefined;
    if (!user) throw errors.unauthorized();

    const path = url.pathname.replace(/\/+$/, '') || '/';
    const q = url.searchParams;
    const hostPort = `127.0.0.1:${this.port}`;
    if (method === 'GET') {
      const doc = this.nonResource(path, hostPort);
      if (doc !== undefined) {
        // Discovery and OpenAPI are open to every authenticated user (system:discovery).
        if (doc === null) throw errors.pathNotFound();
        this.sendJson(res, 200, doc);
        return;
      }
    }
    const rr = this.parseResourcePath(path);
    if (!rr) throw errors.pathNotFound();
    const verb = this.verbOf(method, rr, q);
    this.requireAllowed(user, rr, verb);
    const body = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method) ? await readBody(req) : Buffer.alloc(0);
    const warnings: string[] = [];
    responseWarnings.set(res, warnings);
    const opts: WriteOptions = { userAgent: req.headers['user-agent'], warnings };
    if (rr.subresource) opts.subresource = rr.subresource;
    await this.dispatch(req, res, rr, verb, q, body, opts, user);
  }

  /** Non-resource GET documents; null = a known prefix with nothing there (404); undefined = not one. */
  private nonResource(path: string, hostPort: string): unknown {
    if (path === '/') return rootPaths(this.registry);
    if (path === '/version') return SERVER_VERSION;
    if (path === '/healthz' || path === '/livez' || path === '/readyz') return 'ok';
    if (path === '/api') return apiVersions(hostPort);
    if (path === '/apis') return apiGroupList(this.registry);
    if (path === '/openapi/v3') return openApiV3Root(this.registry);
    if (path === '/openapi/v2') return null;
    let m = path.match(/^\/openapi\/v3\/api\/(v1)$/);
    if (m) return openApiV3Doc(this.registry, '', m[1]) ?? null;
    m = path.match(/^\/openapi\/v3\/apis\/([^/]+)\/([^/]+)$/);
    if (m) return openApiV3Doc(this.registry, m[1], m[2]) ?? null;
    if (path === '/api/v1') return apiResourceList(this.registry, '', 'v1');
    m = path.match(/^\/apis\/([^/]+)$/);
    if (m) return apiGroup(this.registry, m[1]) ?? null;
    m = path.match(/^\/apis\/([^/]+)\/([^/]+)$/);
    if (m) return apiResourceList(this.registry, m[1], m[2]) ?? null;
    return undefined;
  }

  private parseResourcePath(path: string): ResourceRequest | undefined {
    const segs = path.split('/').filter(Boolean).map(decodeURIComponent);
    let group: string;
    let version: string;
    let rest: string[];
    if (segs[0] === 'api' && segs.length >= 3) {
      group = '';
      version = segs[1];
      rest = segs.slice(2);
    } else if (segs[0] === 'apis' && segs.length >= 4) {
      group = segs[1];
      version = segs[2];
      rest = segs.slice(3);
    } else return undefined;
    let namespace: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      const inner = this.registry.byResource(group, version, rest[2]);
      if (inner?.namespaced) {
        namespace = rest[1];
        rest = rest.slice(2);
      }
    }
    if (rest.length > 3) return undefined;
    const t = this.registry.byResource(group, version, rest[0]);
    if (!t) return undefined;
    if (namespace !== undefined && !t.namespaced) return undefined;
    if (t.namespaced && namespace === undefined && rest.length > 1) return undefined;
    const rr: ResourceRequest = { t, version, namespace, name: rest[1], subresource: rest[2] };
    if (rr.subresource !== undefined) {
      const ok =
        (rr.subresource === 'status' && (t.statusSubresource || t.kind === 'Namespace')) ||
        (rr.subresource === 'token' && t.kind === 'ServiceAccount');
      if (!ok) return undefined;
    }
    return rr;
  }

  private verbOf(method: string, rr: ResourceRequest, q: URLSearchParams): string {
    const watch = isWatch(q);
    switch (method) {
      case 'GET':
        return rr.name !== undefined ? (watch ? 'watch' : 'get') : watch ? 'watch' : 'list';
      case 'POST':
        return 'create';
      case 'PUT':
        return 'update';
      case 'PATCH':
        return 'patch';
      case 'DELETE':
        return rr.name !== undefined ? 'delete' : 'deletecollection';
      default:
        throw errors.methodNotAllowed(rr.t, method);
    }
  }

  private requireAllowed(user: UserInfo, rr: ResourceRequest, verb: string): void {
    const a: Attributes = {
      verb,
      group: rr.t.group,
      resource: rr.t.plural,
      namespace: rr.namespace,
      name: rr.name,
      subresource: rr.subresource,
    };
    if (rr.t.kind === 'Namespace' && rr.t.group === '' && rr.name) a.namespace = rr.name;
    if (!authorize(this.store, user, a).allowed) {
      throw errors.forbidden(rr.t, rr.t.plural, rr.name, user.name, verb, rr.t.group, a.namespace, rr.subresource);
    }
  }

  private async dispatch(
    req: IncomingMessage,
    res: ServerResponse,
    rr: ResourceRequest,
    verb: string,
    q: URLSearchParams,
    body: Buffer,
    o: WriteOptions,
    user: UserInfo,
  ): Promise<void> {
    const { t, namespace, name } = rr;
    const accept = req.headers.accept;
    const contentType = (req.headers['content-type'] ?? 'application/json').split(';')[0].trim();
    const include = (q.get('includeObject') ?? 'Metadata') as IncludeObject;
    const one = (obj: KubeObject, code = 200) => {
      if (wantsTable(accept) && obj.kind !== 'Status')
        this.sendJson(res, code, toTable(t, [obj], { resourceVersion: obj.metadata?.resourceVersion }, include));
      else this.sendJson(res, code, obj);
    };
    if (t.createOnly && verb !== 'create') throw errors.methodNotAllowed(t, verb);
    if (t.kind === 'CustomResourceDefinition' && !['get', 'list', 'watch'].includes(verb)) throw errors.methodNotAllowed(t, verb);
    switch (verb) {
      case 'get':
        one(this.api.get(t, namespace, name as string));
        return;
      case 'list': {
        const r = this.api.list(t, listOptions(namespace, listParams(q)));
        const meta: KubeObject = { resourceVersion: r.resourceVersion };
        if (r.continue) meta.continue = r.continue;
        if (r.remainingItemCount !== undefined) meta.remainingItemCount = r.remainingItemCount;
        if (wantsTable(accept)) this.sendJson(res, 200, toTable(t, r.items, meta, include));
        else this.sendList(res, t, rr.version, r.items, meta);
        return;
      }
      case 'watch':
        this.watch(req, res, rr, listParams(q), wantsTable(accept), include);
        return;
      case 'create': {
        Object.assign(o, writeParams(q, 'CreateOptions'));
        const decode = () => decodeRequestBody(t, rr.version, body, contentType, o.fieldValidation ?? 'Warn', o.warnings);
        if (name !== undefined && rr.subresource === 'token') {
          one(this.tokenRequest(namespace as string, name, body.length ? decode() : {}), 201);
          return;
        }
        if (name !== undefined) throw errors.methodNotAllowed(t, 'create');
        const parsed = decode();
        if (t.createOnly) {
          this.sendJson(res, 201, t.kind === 'SelfSubjectRulesReview' ? this.rulesReview(parsed, user) : this.accessReview(parsed, user));
          return;
        }
        if (t.namespaced && namespace === undefined) throw errors.methodNotAllowed(t, 'create');
        one(this.api.create(t, namespace, parsed, o), 201);
        return;
      }
      case 'update':
        Object.assign(o, writeParams(q, 'UpdateOptions'));
        one(
          this.api.update(
            t,
            namespace,
            name as string,
            decodeRequestBody(t, rr.version, body, contentType, o.fieldValidation ?? 'Warn', o.warnings),
            o,
          ),
        );
        return;
      case 'patch': {
        Object.assign(o, writeParams(q, 'PatchOptions', contentType));
        const existed = !!this.store.get(t, namespace, name as string);
        const out = this.api.patch(t, namespace, name as string, contentType, body.toString('utf8'), o);
        one(out, existed || contentType !== PATCH_TYPES.apply ? 200 : 201);
        return;
      }
      case 'delete': {
        const d = deleteParams(q, body.length ? decodeOptionsBody(body, contentType) : undefined);
        o.dryRun = d.dryRun;
        const r = this.api.delete(t, namespace, name as string, d, o);
        this.sendJson(res, r.code, r.body);
        return;
      }
      case 'deletecollection': {
        const lo = listParams(q);
        const d = deleteParams(q, body.length ? decodeOptionsBody(body, contentType) : undefined);
        o.dryRun = d.dryRun;
        const r = this.api.list(t, listOptions(namespace, lo));
        for (const obj of r.items) this.api.delete(t, obj.metadata.namespace, obj.metadata.name, {}, o);
        this.sendList(res, t, rr.version, r.items, { resourceVersion: String(this.store.currentRv) });
        return;
      }
      default:
        throw errors.methodNotAllowed(t, verb);
    }
  }

  private sendList(res: ServerResponse, t: ResourceType, version: string, items: KubeObject[], meta: KubeObject): void {
    const head = `{"kind":"${t.listKind}","apiVersion":"${groupVersionOf(t, version)}","metadata":${JSON.stringify(meta)},"items":[`;
    const parts: Buffer[] = [Buffer.from(head)];
    items.forEach((o, i) => {
      if (i) parts.push(COMMA);
      parts.push(jsonBuffer(o));
    });
    parts.push(Buffer.from(']}'));
    sendText(res, 200, Buffer.concat(parts));
  }

  private tokenRequest(namespace: string, name: string, body: KubeObject): KubeObject {
    const saType = this.registry.byKind('', 'ServiceAccount') as ResourceType;
    this.api.get(saType, namespace, name);
    const spec = (body.spec ?? {}) as KubeObject;
    const seconds = Number(spec.expirationSeconds ?? 3600);
    return {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name, namespace, creationTimestamp: null },
      spec: { audiences: spec.audiences ?? ['https://kubernetes.default.svc'], expirationSeconds: seconds, boundObjectRef: null },
      status: {
        token: this.minter.mint(namespace, name, ''),
        expirationTimestamp: new Date(Date.now() + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      },
    };
  }

  private accessReview(body: KubeObject, user: UserInfo): KubeObject {
    const spec = body.spec ?? {};
    let a: Attributes;
    if (spec.resourceAttributes) {
      const r = spec.resourceAttributes;
      a = {
        verb: r.verb ?? '',
        group: r.group ?? '',
        resource: r.resource ?? '',
        subresource: r.subresource || undefined,
        namespace: r.namespace || undefined,
        name: r.name || undefined,
      };
    } else if (spec.nonResourceAttributes) {
      a = { verb: spec.nonResourceAttributes.verb ?? '', group: '', resource: '', path: spec.nonResourceAttributes.path ?? '' };
    } else {
      throw errors.invalid('SelfSubjectAccessReview', 'authorization.k8s.io', '', [
        field.invalid('spec.resourceAttributes', 'null', 'exactly one of nonResourceAttributes or resourceAttributes must be specified'),
      ]);
    }
    const d = authorize(this.store, user, a);
    const status: KubeObject = { allowed: d.allowed };
    if (d.reason) status.reason = d.reason;
    return { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, spec, status };
  }

  private rulesReview(body: KubeObject, user: UserInfo): KubeObject {
    const namespace = body.spec?.namespace;
    if (!namespace) {
      throw errors.invalid('SelfSubjectRulesReview', 'authorization.k8s.io', '', [field.required('spec.namespace')]);
    }
    const rules = rulesFor(this.store, user, namespace);
    return {
      kind: 'SelfSubjectRulesReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: { namespace },
      status: {
        resourceRules: rules
          .filter((r) => !r.nonResourceURLs)
          .map(({ verbs, apiGroups, resources, resourceNames }) => ({
            verbs,
            apiGroups,
            resources,
            ...(resourceNames ? { resourceNames } : {}),
          })),
        nonResourceRules: rules.filter((r) => r.nonResourceURLs).map(({ verbs, nonResourceURLs }) => ({ verbs, nonResourceURLs })),
        incomplete: false,
      },
    };
  }

  private watch(
    req: IncomingMessage,
    res: ServerResponse,
    rr: ResourceRequest,
    lo: ListParams,
    table: boolean,
    include: IncludeObject,
  ): void {
    const { t } = rr;
    const filter = this.api.filter(t, listOptions(rr.namespace, lo));
    if (rr.name !== undefined) filter.fields = [...(filter.fields ?? []), { field: 'metadata.name', value: rr.name, negate: false }];
    const rvParam = lo.resourceVersion;
    const timeout = lo.timeoutSeconds ?? 0;
    const bookmarks = lo.allowWatchBookmarks;
    const initialEvents = lo.sendInitialEvents === true;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    let sent = 0;
    let headersSent = false;
    const f = this.faults;
    const faulty = !f.pathPattern || f.pathPattern.test(new URL(req.url ?? '/', 'https://x').pathname);
    const timers: NodeJS.Timeout[] = [];
    const write = (type: EventType | 'BOOKMARK' | 'ERROR', object: KubeObject) => {
      let obj = object;
      if (table && type !== 'BOOKMARK' && type !== 'ERROR') {
        obj = toTable(t, [object], { resourceVersion: object.metadata?.resourceVersion }, include, !headersSent);
        headersSent = true;
      }
      res.write(
        Buffer.concat([
          Buffer.from(`{"type":"${type}","object":`),
          obj === object ? jsonBuffer(object) : Buffer.from(JSON.stringify(obj)),
          EVENT_END,
        ]),
      );
      sent++;
      if (faulty && f.watchCutAfterEvents !== undefined && sent >= f.watchCutAfterEvents) {
        active.stop();
        cutConnection(res);
      }
    };
    const watcher: Watcher = { t, filter, send: (type, obj) => write(type, obj) };
    const active: ActiveWatch = {
      res,
      stop: () => {
        this.store.watchers.delete(watcher);
        this.watches.delete(active);
        for (const tm of timers) clearTimeout(tm);
      },
    };
    this.watches.add(active);
    res.on('close', () => active.stop());
    const bookmark = (annotations?: Record<string, string>) => {
      const metadata: KubeObject = { resourceVersion: String(this.store.currentRv) };
      if (annotations) metadata.annotations = annotations;
      write('BOOKMARK', { kind: t.kind, apiVersion: groupVersionOf(t, rr.version), metadata });
    };
    if (initialEvents || (lo.sendInitialEvents === undefined && (rvParam === '' || rvParam === '0'))) {
      for (const [, obj] of this.store.iterate(t, filter.namespace)) {
        if (this.watches.has(active)) deliver(watcher, { rv: 0, type: 'ADDED', t, obj });
      }
      if (initialEvents && bookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });
    } else if (rvParam !== '' && rvParam !== '0') {
      const rv = Number(rvParam);
      if (!Number.isInteger(rv) || rv < 0) {
        write(
          'ERROR',
          errors.badRequest(`resourceVersion: Invalid value: "${rvParam}": must be a valid resourceVersion`)
            .status as unknown as KubeObject,
        );
        res.end();
        active.stop();
        return;
      }
      const events = this.store.eventsSince(t, rv);
      if (!events) {
        write(
          'ERROR',
          errors.gone(`too old resource version: ${rv} (${this.store.oldestWatchableRv + 1})`).status as unknown as KubeObject,
        );
        res.end();
        active.stop();
        return;
      }
      for (const ev of events) if (this.watches.has(active)) deliver(watcher, ev);
    }
    if (!this.watches.has(active)) return;
    this.store.watchers.add(watcher);
    if (timeout > 0)
      timers.push(
        setTimeout(() => {
          active.stop();
          res.end();
        }, timeout * 1000),
      );
    if (faulty && f.watchCutAfterMs !== undefined)
      timers.push(
        setTimeout(() => {
          active.stop();
          cutConnection(res);
        }, f.watchCutAfterMs),
      );
    if (bookmarks) {
      const tick = () => {
        if (!this.watches.has(active)) return;
        bookmark();
        timers.push(setTimeout(tick, 30_000));
      };
      timers.push(setTimeout(tick, 30_000));
    }
  }
}

/** Like kube-apiserver (APIResponseCompression), bodies over 128 KiB are gzipped (level 1) for clients that accept it. */
const GZIP_THRESHOLD = 128 * 1024;

/** Answers of writes carried out under `rateLoseResponse`: the connection is destroyed instead of answering. */
const loseResponse = new WeakSet<ServerResponse>();
/** The Retry-After each answer carried (for the request records). */
const sentRetryAfter = new WeakMap<ServerResponse, string>();

function sendText(res: ServerResponse, code: number, text: string | Buffer, headers: Record<string, string> = {}): void {
  if (loseResponse.has(res)) {
    res.socket?.destroy();
    return;
  }
  if (headers['Retry-After'] !== undefined) sentRetryAfter.set(res, headers['Retry-After']);
  const base: Record<string, string | string[]> = { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', ...headers };
  const warnings = warningHeaders(responseWarnings.get(res) ?? []);
  if (warnings.length) base.Warning = warnings;
  const body = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  if (body.length > GZIP_THRESHOLD && /\bgzip\b/.test(String(res.req?.headers['accept-encoding'] ?? ''))) {
    gzip(body, { level: 1 }, (err, zipped) => {
      if (err) {
        res.destroy(err);
        return;
      }
      res.writeHead(code, { ...base, 'Content-Encoding': 'gzip', 'Content-Length': zipped.length });
      res.end(zipped);
    });
    return;
  }
  res.writeHead(code, { ...base, 'Content-Length': body.length });
  res.end(body);
}

/**
 * `Warning: 299 - "<text>"` headers as the apiserver's recorder writes them (kubernetes/apiserver@v0.32.0
 * pkg/endpoints/filters/warning.go:39-135, kubernetes/apimachinery pkg/util/net/http.go:655-700): deduplicated,
 * `"` and `\\` escaped, truncated to 256 runes each once they exceed 4096 runes in all. Header bytes are UTF-8.
 */
export function warningHeaders(texts: string[]): string[] {
  const unique = [...new Set(texts.filter((t) => t && !/[\p{Cc}]/u.test(t)))];
  const runes = (t: string) => [...t].length;
  const truncate = unique.reduce((n, t) => n + runes(t), 0) > 4096;
  const out: string[] = [];
  let written = 0;
  for (const raw of unique) {
    const text = truncate && runes(raw) > 256 ? [...raw].slice(0, 256).join('') : raw;
    if (truncate && written >= 4096) break;
    written += runes(text);
    out.push(Buffer.from(`299 - "${text.replace(/["\\]/g, (c) => `\\${c}`)}"`, 'utf8').toString('latin1'));
  }
  return out;
}

/** Ends the connection under a response without finishing the chunked body: what was sent arrives, then the stream breaks. */
function cutConnection(res: ServerResponse): void {
  const socket = res.socket;
  if (!socket) return;
  socket.end();
  setTimeout(() => socket.destroy(), 100).unref();
}

const jsonCache = new WeakMap<KubeObject, Buffer>();
const COMMA = Buffer.from(',');
const EVENT_END = Buffer.from('}\n');

/** Stored objects are never mutated, so their JSON encoding is computed once. */
function jsonBuffer(obj: KubeObject): Buffer {
  let b = jsonCache.get(obj);
  if (b === undefined) {
    b = Buffer.from(JSON.stringify(obj), 'utf8');
    jsonCache.set(obj, b);
  }
  return b;
}

function listOptions(namespace: string | undefined, lo: ListParams) {
  return {
    namespace,
    labelSelector: lo.labelSelector,
    fieldSelector: lo.fieldSelector,
    limit: lo.limit > 0 ? lo.limit : undefined,
    continue: lo.continue,
  };
}

/** kube-apiserver's default MaxRequestBodyBytes (kubernetes/apiserver@v0.32.0 pkg/server/config.go:455). */
export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

/** Stop reading (and drop the connection) beyond this much, so that a runaway client cannot fill memory. */
const DRAIN_LIMIT = 64 * 1024 * 1024;

/** Texts of the `Warning` headers a request collected. */
const responseWarnings = new WeakMap<ServerResponse, string[]>();

/** limitedReadBody (handlers/rest.go:373-390): more than the limit is 413 RequestEntityTooLarge. */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_REQUEST_BODY_BYTES) chunks.push(c);
      else if (size > DRAIN_LIMIT) req.destroy();
    });
    req.on('end', () => {
      if (size > MAX_REQUEST_BODY_BYTES) reject(errors.requestEntityTooLarge(`limit is ${MAX_REQUEST_BODY_BYTES}`));
      else resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

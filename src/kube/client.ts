/**
 * The one Kubernetes client: a JSON client for one cluster (the credentials of a KubeConfig), used by
 * the explorer's caches, the commands and the editor alike.
 *
 * - Transport: node's http/https with the TLS material and credentials client-node derives from the
 *   kubeconfig (`applyToHTTPSOptions` runs exec plugins / OIDC refresh as needed). client-node makes a
 *   new Agent per call (a TLS handshake per request); this keeps one keep-alive agent per client with
 *   the TLS material of the first call, the auth headers are still refreshed per call.
 * - Retries: 429 (honouring Retry-After), 5xx, timeouts and dropped connections, with backoff; the
 *   policy is per client and can be overridden per call (the explorer's list+watch has its own backoff
 *   and asks for none). A request that is not idempotent (create, update, JSON patch) is repeated only
 *   when the server cannot have carried it out (429, 5xx with Retry-After, connection refused), as
 *   client-go does (kubernetes/client-go@32ce75a7 rest/request.go:1066-1078 retries transport errors only
 *   for GET, rest/with_retry.go:309-318 `checkWait` retries 429/5xx only with Retry-After): a JSON patch repeated
 *   after its answer was lost fails its own `test` and would report "failed" for a change that was
 *   made. A write whose attempt got no answer and that then fails is marked `uncertain`.
 * - Errors: every failure is a `KubeError` (errors.ts) whose message never contains a credential.
 * - Watch: line-delimited watch streams with an idle timeout.
 * - Discovery: `discovery` caches what the server serves, per client (no globals).
 * Requests are counted (`requestCount`) for the tests and the benchmark.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { delay, type IDisposable } from '../lifecycle';
import { Discovery } from './discovery';
import { KubeError, errorForStatus, networkError, sanitize } from './errors';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly retries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Per-attempt timeout. */
  readonly timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 4, baseDelayMs: 250, maxDelayMs: 8000, timeoutMs: 15000 };
/** One attempt with a generous timeout: for callers with their own backoff (the explorer's reflectors). */
export const NO_RETRY: RetryPolicy = { retries: 0, baseDelayMs: 0, maxDelayMs: 0, timeoutMs: 30_000 };

export interface Response {
  readonly status: number;
  readonly body: string;
  readonly retryAfter?: string;
  /** A write whose earlier attempt got no answer: a failure status does not prove nothing was written. */
  readonly uncertain?: boolean;
}

export interface RequestOptions {
  readonly body?: unknown;
  readonly contentType?: string;
  readonly signal?: AbortSignal;
  /** Overrides the client's retry policy for this call. */
  readonly retry?: RetryPolicy;
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: Record<string, unknown>;
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
/** Transport failures before anything was sent: the server cannot have seen the request. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/**
 * Whether repeating a request after an attempt with an unknown outcome leads to the same state: reads,
 * deletes (a second one finds the object gone), server-side apply and merge patches do; a create (POST:
 * AlreadyExists), an update (PUT: its resourceVersion is stale by then) and a JSON patch (its `test`
 * operations) do not.
 */
export function isIdempotent(method: string, contentType?: string): boolean {
  if (method === 'GET' || method === 'HEAD' || method === 'DELETE') return true;
  return (
    method === 'PATCH' &&
    (contentType === 'application/apply-patch+yaml' ||
      contentType === 'application/merge-patch+json' ||
      contentType === 'application/strategic-merge-patch+json')
  );
}

/** Delay before retry `attempt` (0-based): Retry-After when the server sent one, else exponential backoff with jitter. */
export function retryDelay(policy: RetryPolicy, attempt: number, retryAfter?: string, random: () => number = Math.random): number {
  const secs = retryAfter !== undefined ? Number(retryAfter) : NaN;
  if (Number.isFinite(secs) && secs >= 0) return Math.min(secs * 1000, policy.maxDelayMs);
  const exp = Math.min(policy.baseDelayMs * 2 ** attempt, policy.maxDelayMs);
  return exp / 2 + random() * (exp / 2);
}

/** JSON.parse whose error never quotes the body (V8's message does). */
export function parseJson<T>(body: string, what: string): T {
  try {
    return JSON.parse(body) as T;
  } catch {
    throw new KubeError('server', `Invalid JSON in the response to ${what}`);
  }
}

export class KubeClient implements IDisposable {
  /** Number of HTTP requests started (every attempt, lists, discovery and watches). */
  requestCount = 0;
  readonly server: string;
  /** What this server serves, learned on demand and cached for the client's life. */
  readonly discovery: Discovery;
  private agent: http.Agent | undefined;
  private disposed = false;
  /** The credential run (exec plugin, OIDC refresh) in flight, shared by concurrent requests. */
  private authRun: Promise<void> | undefined;

  constructor(
    private readonly kc: KubeConfig,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {
    this.server = kc.getCurrentCluster()?.server ?? '';
    this.discovery = new Discovery(this);
  }

  /** The kubeconfig this client talks with (one context). */
  get config(): KubeConfig {
    return this.kc;
  }

  /** True once disposed (a disposed client still works, on new connections; the pool never hands one out). */
  get isDisposed(): boolean {
    return this.disposed;
  }

  private async prepare(
    method: string,
    urlPath: string,
    headers: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<{ url: URL; opts: https.RequestOptions; mod: typeof https | typeof http }> {
    if (!this.server) throw new KubeError('auth', 'The context has no cluster server URL');
    const url = new URL(this.server.replace(/\/$/, '') + urlPath);
    const opts: https.RequestOptions = { method, headers, signal };
    try {
      await this.applyAuth(opts);
    } catch (e) {
      // Exec plugin / OIDC / cert file failures. Never echo a credential.
      throw new KubeError('auth', `Authentication setup failed: ${sanitize(e instanceof Error ? e.message : String(e))}`);
    }
    const mod = url.protocol === 'http:' ? http : https;
    this.agent ??=
      mod === http
        ? new http.Agent({ keepAlive: true })
        : new https.Agent({
            keepAlive: true,
            ca: opts.ca,
            cert: opts.cert,
            key: opts.key,
            pfx: opts.pfx,
            passphrase: opts.passphrase,
            servername: opts.servername,
            ...(opts.rejectUnauthorized !== undefined ? { rejectUnauthorized: opts.rejectUnauthorized } : {}),
          });
    (opts.agent as http.Agent | undefined)?.destroy();
    opts.agent = this.agent;
    return { url, opts, mod };
  }

  /**
   * client-node runs a kubeconfig's exec plugin inside every call that finds no valid cached
   * credential — each a `spawn`, synchronous on the event loop — so a burst of requests (the explorer's
   * reflectors after a restart) started one plugin per request, and a failing plugin one per request
   * again. Here one run is in flight per client: requests that arrive meanwhile wait for it, then find
   * the credential cached, or share its failure.
   */
  private async applyAuth(opts: https.RequestOptions): Promise<void> {
    for (let running = this.authRun; running; running = this.authRun) await running;
    const run = this.kc.applyToHTTPSOptions(opts).then(() => undefined);
    this.authRun = run;
    try {
      await run;
    } finally {
      if (this.authRun === run) this.authRun = undefined;
    }
  }

  /** Closes the kept-alive connections and forgets the discovery cache. */
  dispose(): void {
    this.disposed = true;
    this.agent?.destroy();
    this.agent = undefined;
    this.discovery.reset();
  }

  private async once(method: string, urlPath: string, body: string | undefined, o: RequestOptions, timeoutMs: number): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (o.contentType) headers['Content-Type'] = o.contentType;
    const { url, opts, mod } = await this.prepare(method, urlPath, headers, o.signal);
    this.requestCount++;
    return new Promise<Response>((resolve, reject) => {
      const req = mod.request(url, opts, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => reject(e));
        res.on('end', () => {
          const ra = res.headers['retry-after'];
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            retryAfter: Array.isArray(ra) ? ra[0] : ra,
          });
        });
      });
      req.on('error', (e) => reject(e));
      req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error(`timed out after ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      req.end(body);
    });
  }

  /**
   * One request, retried on 429/5xx/timeouts/dropped connections (a non-idempotent one only when the
   * server cannot have carried it out); resolves with any final status.
   */
  async request(method: string, urlPath: string, opts: RequestOptions = {}): Promise<Response> {
    const policy = opts.retry ?? this.retry;
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const idempotent = isIdempotent(method, opts.contentType);
    const write = method !== 'GET' && method !== 'HEAD';
    // An attempt of this write was sent and got no answer: the server may have carried it out.
    let unanswered = false;
    const cancelled = () => new KubeError('aborted', 'Cancelled', undefined, { uncertain: unanswered });
    for (let attempt = 0; ; attempt++) {
      if (opts.signal?.aborted) throw cancelled();
      let res: Response | undefined;
      let failure: KubeError | undefined;
      let sent = false;
      try {
        res = await this.once(method, urlPath, body, opts, policy.timeoutMs);
      } catch (e) {
        if (e instanceof KubeError) throw unanswered ? e.asUncertain() : e;
        if (opts.signal?.aborted) throw cancelled();
        failure = networkError(e, this.server);
        if (failure.kind === 'aborted') throw unanswered ? failure.asUncertain() : failure;
        sent = !NOT_SENT.has((e as NodeJS.ErrnoException)?.code ?? '');
        if (write && sent) unanswered = true;
      }
      const retryable =
        failure !== undefined
          ? idempotent || !sent
          : res !== undefined && RETRYABLE_STATUS.has(res.status) && (idempotent || res.status === 429 || res.retryAfter !== undefined);
      if (!retryable || attempt >= policy.retries) {
        if (failure) throw unanswered ? failure.asUncertain() : failure;
        const r = res as Response;
        return unanswered && (r.status < 200 || r.status >= 300) ? { ...r, uncertain: true } : r;
      }
      try {
        await delay(retryDelay(policy, attempt, res?.retryAfter), opts.signal);
      } catch {
        throw cancelled();
      }
    }
  }

  /** GET a JSON document; non-2xx → KubeError (`what` names it in messages, default: the path). */
  async getJson<T>(urlPath: string, opts: Omit<RequestOptions, 'body' | 'contentType'> & { what?: string } = {}): Promise<T> {
    const res = await this.request('GET', urlPath, opts);
    if (res.status < 200 || res.status >= 300)
      throw errorForStatus(res.status, res.body, opts.what ?? urlPath, { retryAfter: res.retryAfter });
    return parseJson<T>(res.body, opts.what ?? urlPath);
  }

  /**
   * Streams watch events until the server ends the stream (resolves) or it fails (rejects with a
   * KubeError). An HTTP error status before the stream starts rejects too (e.g. 410 for an old version).
   */
  async watch(urlPath: string, onEvent: (e: WatchEvent) => void, signal: AbortSignal, idleMs = 330_000): Promise<void> {
    const { url, opts, mod } = await this.prepare('GET', urlPath, { Accept: 'application/json' }, signal);
    this.requestCount++;
    const failed = (e: unknown) => (signal.aborted ? new KubeError('aborted', 'Watch stopped') : networkError(e, this.server));
    return new Promise<void>((resolve, reject) => {
      const req = mod.request(url, opts, (res) => {
        const status = res.statusCode ?? 0;
        if (status !== 200) {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          const ra = res.headers['retry-after'];
          const retryAfter = Array.isArray(ra) ? ra[0] : ra;
          res.on('end', () => reject(errorForStatus(status, Buffer.concat(chunks).toString('utf8'), urlPath, { retryAfter })));
          res.on('error', (e) => reject(failed(e)));
          return;
        }
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let nl: number;
          while ((nl = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, nl).trim();
            buffer = buffer.slice(nl + 1);
            if (!line) continue;
            try {
              onEvent(JSON.parse(line) as WatchEvent);
            } catch {
              // A malformed line is skipped; the next resync repairs any gap.
            }
          }
        });
        res.on('end', () => resolve());
        res.on('aborted', () => reject(new KubeError('unreachable', 'Watch stream was cut')));
        res.on('error', (e) => reject(failed(e)));
      });
      req.on('error', (e) => reject(failed(e)));
      // A silently dead connection (no FIN) would hang forever: nothing for `idleMs` ends the stream.
      req.setTimeout(idleMs, () => req.destroy(new Error(`no data for ${Math.round(idleMs / 1000)} s`)));
      req.end();
    });
  }
}

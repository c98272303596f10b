/**
 * The HTTP side of one management-cluster context: JSON GETs and line-delimited watch streams over
 * node's http/https with the TLS material and credentials client-node derives from the kubeconfig
 * (`applyToHTTPSOptions` runs exec plugins / OIDC refresh as needed). Failures become `KubeError`s
 * with a user-facing message that never contains credentials. Requests are counted for the benchmark.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

export type KubeErrorKind = 'unreachable' | 'unauthorized' | 'forbidden' | 'notFound' | 'gone' | 'auth' | 'server' | 'aborted';

export class KubeError extends Error {
  constructor(
    readonly kind: KubeErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'KubeError';
  }
}

const TOKEN_LIKE = /(bearer\s+)\S+|eyJ[\w-]+\.[\w-]+\.[\w-]*|(token["'=:\s]+)[^\s"',}]+/gi;

/** Removes anything that looks like a credential from a message and keeps it to one short line. */
export function sanitize(message: string): string {
  return message
    .split('\n')[0]
    .replace(TOKEN_LIKE, (_m, bearer?: string, tokenKey?: string) => `${bearer ?? tokenKey ?? ''}***`)
    .slice(0, 300);
}

function statusMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { kind?: string; message?: string };
    if (parsed.kind === 'Status' && typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not a Status object
  }
  return undefined;
}

export function errorForStatus(status: number, body: string, what: string): KubeError {
  const detail = sanitize(statusMessage(body) ?? (http.STATUS_CODES[status] || 'error'));
  if (status === 401)
    return new KubeError(
      'unauthorized',
      `Unauthorized (401): the credentials for this context were rejected or have expired. ${detail}`,
      status,
    );
  if (status === 403) return new KubeError('forbidden', `Forbidden (403): ${detail}`, status);
  if (status === 404) return new KubeError('notFound', `Not found (404): ${what}`, status);
  if (status === 410) return new KubeError('gone', `Gone (410): ${detail}`, status);
  return new KubeError('server', `Server error ${status} on ${what}: ${detail}`, status);
}

function networkError(e: unknown, server: string): KubeError {
  const err = e as NodeJS.ErrnoException;
  if (err?.name === 'AbortError') return new KubeError('aborted', 'Request cancelled');
  const code = err?.code ? ` (${err.code})` : '';
  return new KubeError('unreachable', `Cannot reach ${server}${code}: ${sanitize(err?.message ?? String(e))}`);
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: Record<string, unknown>;
}

/**
 * Request options for one cluster (the credentials of a KubeConfig). client-node's
 * `applyToHTTPSOptions` makes a new Agent per call (a TLS handshake per request); this keeps one
 * keep-alive agent per connection instead, with the TLS material of the first call (the auth headers
 * are still refreshed per call). The explorer's `KubeHttp` and the credential commands' `KubeClient`
 * both send through it.
 */
export class KubeConnection {
  readonly server: string;
  private agent: http.Agent | undefined;

  constructor(private readonly kc: KubeConfig) {
    this.server = kc.getCurrentCluster()?.server ?? '';
  }

  async prepare(
    method: string,
    urlPath: string,
    headers: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<{ url: URL; opts: https.RequestOptions; mod: typeof https | typeof http }> {
    if (!this.server) throw new KubeError('auth', 'The context has no cluster server URL');
    const url = new URL(this.server.replace(/\/$/, '') + urlPath);
    const opts: https.RequestOptions = { method, headers, signal };
    try {
      await this.kc.applyToHTTPSOptions(opts);
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

  /** Closes the kept-alive connections (a later request opens new ones). */
  dispose(): void {
    this.agent?.destroy();
    this.agent = undefined;
  }
}

export class KubeHttp {
  /** Number of HTTP requests started (lists, discovery and watches). */
  requestCount = 0;
  readonly server: string;
  private readonly connection: KubeConnection;

  constructor(kc: KubeConfig) {
    this.connection = new KubeConnection(kc);
    this.server = this.connection.server;
  }

  private options(urlPath: string, signal?: AbortSignal) {
    return this.connection.prepare('GET', urlPath, { Accept: 'application/json' }, signal);
  }

  dispose(): void {
    this.connection.dispose();
  }

  /** GET a JSON document; non-2xx → KubeError. */
  async getJson<T>(urlPath: string, signal?: AbortSignal): Promise<T> {
    const { url, opts, mod } = await this.options(urlPath, signal);
    this.requestCount++;
    return new Promise<T>((resolve, reject) => {
      const req = mod.request(url, opts, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => reject(networkError(e, this.server)));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) return reject(errorForStatus(status, body, urlPath));
          try {
            resolve(JSON.parse(body) as T);
          } catch {
            reject(new KubeError('server', `Invalid JSON from ${urlPath}`, status));
          }
        });
      });
      req.on('error', (e) => reject(networkError(e, this.server)));
      req.setTimeout(30_000, () => req.destroy(new Error('timed out after 30 s')));
      req.end();
    });
  }

  /**
   * Streams watch events until the server ends the stream (resolves) or it fails (rejects with a
   * KubeError). An HTTP error status before the stream starts rejects too (e.g. 410 for an old version).
   */
  async watch(urlPath: string, onEvent: (e: WatchEvent) => void, signal: AbortSignal, idleMs = 330_000): Promise<void> {
    const { url, opts, mod } = await this.options(urlPath, signal);
    this.requestCount++;
    return new Promise<void>((resolve, reject) => {
      const req = mod.request(url, opts, (res) => {
        const status = res.statusCode ?? 0;
        if (status !== 200) {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => reject(errorForStatus(status, Buffer.concat(chunks).toString('utf8'), urlPath)));
          res.on('error', (e) => reject(networkError(e, this.server)));
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
        res.on('error', (e) => reject(signal.aborted ? new KubeError('aborted', 'Watch stopped') : networkError(e, this.server)));
      });
      req.on('error', (e) => reject(signal.aborted ? new KubeError('aborted', 'Watch stopped') : networkError(e, this.server)));
      // A silently dead connection (no FIN) would hang forever: nothing for `idleMs` ends the stream.
      req.setTimeout(idleMs, () => req.destroy(new Error(`no data for ${Math.round(idleMs / 1000)} s`)));
      req.end();
    });
  }
}

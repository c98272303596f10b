/**
 * JSON requests to an OpenStack API over node's http/https: the cloud's CA (`cacert`) or no
 * verification (`verify: false`), a timeout for the whole request, bounded response size, no
 * redirects, no proxy, no keep-alive (one request per connection: Keystone's test server and many
 * WSGI servers close anyway). Failures are `OpenStackError`s whose messages carry no secret: the
 * caller's secrets are scrubbed from every server message.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { scrub, type Secret } from './secret';
import { timeout } from '../lifecycle';

export type OpenStackErrorCode =
  /** The credential cannot be sent as it is: gophercloud (the CCM's client) would refuse it before any request. */
  | 'credential'
  /** The auth URL is not an http(s) URL. */
  | 'url'
  | 'tls'
  | 'network'
  | 'timeout'
  /** 401: wrong secret or password, or an expired credential (Keystone does not say which). */
  | 'unauthorized'
  | 'forbidden'
  /** 404: e.g. an application credential id Keystone does not know (deleted?). */
  | 'not-found'
  | 'bad-request'
  | 'conflict'
  | 'http'
  /** Keystone answered something that is not the documented JSON. */
  | 'protocol'
  /** A restricted application credential may not create or delete others: the user's password is needed. */
  | 'needs-password';

export class OpenStackError extends Error {
  constructor(
    readonly code: OpenStackErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'OpenStackError';
  }
}

export interface TransportOptions {
  /** PEM bundle to trust instead of the system CAs. */
  readonly cacert?: string;
  /** Skip TLS verification (`verify: false` / `tls-insecure=true`). */
  readonly insecure?: boolean;
  /** For the whole request; default 10 s. */
  readonly timeoutMs?: number;
}

export interface JsonResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  /** Parsed JSON, or undefined for an empty or non-JSON body. */
  readonly body: unknown;
}

const MAX_BODY = 8 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * One request. Resolves for every HTTP status; rejects with an OpenStackError for TLS, network and
 * timeout failures (messages scrubbed of `secrets`).
 */
export function requestJson(
  method: string,
  url: string,
  o: TransportOptions & { headers?: Record<string, string>; body?: unknown; secrets?: readonly (Secret | undefined)[] } = {},
): Promise<JsonResponse> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return Promise.reject(new OpenStackError('url', `Not a URL: ${scrub(url, o.secrets ?? [])}`));
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    return Promise.reject(new OpenStackError('url', `The auth URL must be http or https, not ${u.protocol}`));
  const payload = o.body === undefined ? undefined : Buffer.from(JSON.stringify(o.body), 'utf8');
  const headers: Record<string, string> = {
    accept: 'application/json',
    'user-agent': 'cluster-stacks-vscode',
    ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
    ...(o.headers ?? {}),
  };
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const mod = u.protocol === 'https:' ? https : http;
  return new Promise<JsonResponse>((resolve, reject) => {
    const fail = (e: OpenStackError) => {
      timer.dispose();
      reject(e);
    };
    const req = mod.request(
      u,
      {
        method,
        headers,
        agent: false,
        ...(u.protocol === 'https:' ? { ca: o.cacert, rejectUnauthorized: !o.insecure } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_BODY) {
            req.destroy();
            fail(new OpenStackError('protocol', `The response from ${u.host} is larger than ${MAX_BODY / 1024 / 1024} MiB`));
          } else chunks.push(c);
        });
        res.on('end', () => {
          timer.dispose();
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
        res.on('error', (e) => fail(networkError(e, u, o.secrets)));
      },
    );
    const timer = timeout(timeoutMs, () => {
      req.destroy();
      fail(new OpenStackError('timeout', `No answer from ${u.host} within ${timeoutMs / 1000} s`));
    });
    req.on('error', (e) => fail(networkError(e, u, o.secrets)));
    req.end(payload);
  });
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'EPROTO',
]);

function networkError(e: unknown, u: URL, secrets: readonly (Secret | undefined)[] = []): OpenStackError {
  const err = e as NodeJS.ErrnoException;
  const code = err?.code ?? '';
  const text = scrub(err?.message ?? String(e), secrets).split('\n')[0];
  if (TLS_CODES.has(code) || /certificate|SSL|TLS/i.test(text))
    return new OpenStackError(
      'tls',
      `TLS failed for ${u.host}: ${text}${code ? ` (${code})` : ''}. Set \`cacert\` to the CA bundle that signed the Keystone certificate.`,
    );
  return new OpenStackError('network', `Cannot reach ${u.host}: ${text}${code && !text.includes(code) ? ` (${code})` : ''}`);
}

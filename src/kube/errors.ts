/**
 * The one error mapping of the Kubernetes client: HTTP statuses and `Status` bodies become `KubeError`s
 * with a short, user-facing message; server-side-apply conflicts become `ApplyConflictError`s naming the
 * other field managers. No message ever contains a credential or a value of the objects in flight:
 * `sanitize` removes token-like words and keeps one line, `redact` removes the values of the Secrets
 * being written (raw, base64 and decoded), which a 422 from the server may quote.
 */
import * as http from 'node:http';
import { unb64 } from '../core/manifests/credentials';

export type KubeErrorKind = 'unreachable' | 'unauthorized' | 'forbidden' | 'notFound' | 'gone' | 'auth' | 'server' | 'aborted';

export interface KubeErrorDetails {
  /** The server's Retry-After (429, 503), in ms: no new attempt should come sooner. */
  readonly retryAfterMs?: number;
  /**
   * An attempt of this request got no answer after it was sent (dropped connection, timeout): the server
   * may have carried it out, so a failure is no proof that nothing was written.
   */
  readonly uncertain?: boolean;
}

export class KubeError extends Error {
  readonly retryAfterMs?: number;
  readonly uncertain: boolean;

  constructor(
    readonly kind: KubeErrorKind,
    message: string,
    readonly status?: number,
    details: KubeErrorDetails = {},
  ) {
    super(details.uncertain ? `${message} (an earlier attempt got no answer: the server may have carried it out)` : message);
    this.name = 'KubeError';
    this.retryAfterMs = details.retryAfterMs;
    this.uncertain = details.uncertain ?? false;
  }

  /** The same error, marked as one whose request may have been carried out. */
  asUncertain(): KubeError {
    if (this.uncertain) return this;
    return new KubeError(this.kind, this.message, this.status, { retryAfterMs: this.retryAfterMs, uncertain: true });
  }
}

/** Retry-After in ms when it is a number of seconds (kube-apiserver never sends the HTTP-date form). */
export function retryAfterMs(header: string | undefined): number | undefined {
  const secs = header !== undefined && header.trim() !== '' ? Number(header) : NaN;
  return Number.isFinite(secs) && secs >= 0 ? secs * 1000 : undefined;
}

const TOKEN_LIKE = /(bearer\s+)\S+|eyJ[\w-]+\.[\w-]+\.[\w-]*|(token["'=:\s]+)[^\s"',}]+/gi;

/** Removes anything that looks like a credential from a message and keeps it to one short line. */
export function sanitize(message: string): string {
  return message
    .split('\n')[0]
    .replace(TOKEN_LIKE, (_m, bearer?: string, tokenKey?: string) => `${bearer ?? tokenKey ?? ''}***`)
    .slice(0, 300);
}

/** A `metav1.Status` body (the parts we read). */
export interface StatusBody {
  kind?: string;
  reason?: string;
  message?: string;
  code?: number;
  details?: { causes?: { type?: string; reason?: string; message?: string; field?: string }[]; retryAfterSeconds?: number };
}

export function parseStatus(body: string): StatusBody | undefined {
  try {
    const s = JSON.parse(body) as StatusBody;
    return s && s.kind === 'Status' ? s : undefined;
  } catch {
    return undefined;
  }
}

/** Words of a message that must never be shown: the values (and their base64) of the objects in flight. */
export function secretWords(objects: readonly unknown[]): string[] {
  const out = new Set<string>();
  const visit = (v: unknown, inData: boolean) => {
    if (typeof v === 'string') {
      if (inData && v.length >= 4) {
        out.add(v);
        const decoded = unb64(v);
        for (const line of decoded.split('\n')) if (line.trim().length >= 4) out.add(line.trim());
      }
    } else if (Array.isArray(v)) v.forEach((x) => visit(x, inData));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) visit(x, inData || k === 'data' || k === 'stringData');
    }
  };
  objects.forEach((o) => visit(o, false));
  return [...out].sort((a, b) => b.length - a.length);
}

export function redact(message: string, words: readonly string[]): string {
  let m = message;
  for (const w of words) m = m.split(w).join('***');
  return m;
}

const HEADS: Readonly<Record<number, [KubeErrorKind, string]>> = {
  401: ['unauthorized', 'Unauthorized (401): the credentials for this context were rejected or have expired.'],
  403: ['forbidden', 'Forbidden (403):'],
  404: ['notFound', 'Not found (404):'],
  410: ['gone', 'Gone (410):'],
};

/**
 * The error for a non-2xx answer. `action` says what was being done (`applying Secret ns/x`) and
 * prefixes the message; `words` are redacted from the server's text. 401/403/404/410 read
 * `Forbidden (403): <server message>`, anything else `<status> <reason>: <server message>`.
 */
export function errorForStatus(
  status: number,
  body: string,
  what: string,
  opts: { action?: string; words?: readonly string[]; retryAfter?: string; uncertain?: boolean } = {},
): KubeError {
  const parsed = parseStatus(body);
  const detail = redact(sanitize(parsed?.message ?? (status === 404 ? what : http.STATUS_CODES[status] || 'error')), opts.words ?? []);
  const head = HEADS[status];
  const text = head ? `${head[1]} ${detail}` : `${status} ${parsed?.reason ?? http.STATUS_CODES[status] ?? ''}: ${detail}`;
  const message = `${opts.action ? `${opts.action}: ` : ''}${text}`.replace(/\s+/g, ' ').trim();
  return new KubeError(head?.[0] ?? 'server', message, status, { retryAfterMs: retryAfterMs(opts.retryAfter), uncertain: opts.uncertain });
}

/** A transport failure (refused, reset, timed out, aborted) as a KubeError naming the server. */
export function networkError(e: unknown, server: string): KubeError {
  if (e instanceof KubeError) return e;
  const err = e as NodeJS.ErrnoException;
  if (err?.name === 'AbortError' || (e instanceof Error && e.name === 'AbortedError')) return new KubeError('aborted', 'Cancelled');
  const code = err?.code ? ` (${err.code})` : '';
  return new KubeError('unreachable', `Cannot reach ${server}${code}: ${sanitize(err?.message ?? String(e))}`);
}

export interface FieldConflict {
  readonly manager: string;
  readonly field: string;
}

export class ApplyConflictError extends Error {
  constructor(
    readonly object: string,
    readonly conflicts: readonly FieldConflict[],
  ) {
    super(
      `${object}: conflict with ${[...new Set(conflicts.map((c) => `"${c.manager}"`))].join(', ')} on ${conflicts.map((c) => c.field).join(', ')}`,
    );
    this.name = 'ApplyConflictError';
  }
}

/** The conflicts of an SSA 409: causes of type FieldManagerConflict, `conflict with "<manager>" …`. */
export function parseConflicts(status: StatusBody | undefined): FieldConflict[] {
  const causes = status?.details?.causes ?? [];
  return causes
    .filter((c) => (c.type ?? c.reason) === 'FieldManagerConflict')
    .map((c) => ({ manager: /conflict with "([^"]*)"/.exec(c.message ?? '')?.[1] ?? 'another manager', field: c.field ?? '?' }));
}

/** A safe one-line reason for any failure (never a value). */
export function reasonOf(e: unknown): string {
  if (e instanceof KubeError || e instanceof ApplyConflictError) return e.message;
  return sanitize(e instanceof Error ? e.message : String(e));
}

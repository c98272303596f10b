/**
 * Server-side apply of credential objects, the careful way:
 *  1. read the live objects and server-side dry-run every apply (no write yet);
 *  2. compute a masked diff (paths and key names only) between the live object and the dry-run result;
 *  3. only then write, and only the objects that change.
 * Field manager `cluster-stacks-vscode`; a conflict with another manager (409 from SSA) is reported
 * with the fields and the other manager and is never forced unless the caller says `force: true`.
 * 429 (honouring Retry-After), 5xx, timeouts and dropped connections are retried with backoff.
 * No error message ever contains a value of the objects being applied.
 */
import * as http from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import { unb64 } from '../core/manifests/credentials';
import { maskedDiff, type PathChange } from '../core/manifests/propagation';
import { KubeConnection, KubeError, sanitize } from './http';

export const FIELD_MANAGER = 'cluster-stacks-vscode';

export interface KubeManifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Readonly<Record<string, string>> };
  readonly [k: string]: unknown;
}

/** Plural resource names of the kinds the credential commands write or read. */
const PLURALS: Readonly<Record<string, string>> = {
  Secret: 'secrets',
  Namespace: 'namespaces',
  ClusterResourceSet: 'clusterresourcesets',
  ClusterResourceSetBinding: 'clusterresourcesetbindings',
  Cluster: 'clusters',
  ClusterClass: 'clusterclasses',
};

/**
 * Plural resource names learned from API discovery, keyed `<apiVersion> <kind>`, for kinds outside
 * PLURALS (the cluster-stack commands apply any kind). Filled by the caller (`learnResource`).
 */
const learned = new Map<string, string>();

export function learnResource(apiVersion: string, kind: string, plural: string): void {
  learned.set(`${apiVersion} ${kind}`, plural);
}

export function resourcePath(apiVersion: string, kind: string, namespace?: string, name?: string): string {
  const plural = PLURALS[kind] ?? learned.get(`${apiVersion} ${kind}`);
  if (!plural) throw new Error(`cannot address kind ${kind}`);
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const ns = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${plural}${name ? `/${encodeURIComponent(name)}` : ''}`;
}

export function describeRef(o: KubeManifest): string {
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
}

// ---------------------------------------------------------------------------------------------
// Errors

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

interface StatusBody {
  kind?: string;
  reason?: string;
  message?: string;
  details?: { causes?: { type?: string; reason?: string; message?: string; field?: string }[]; retryAfterSeconds?: number };
}

function parseStatus(body: string): StatusBody | undefined {
  try {
    const s = JSON.parse(body) as StatusBody;
    return s && s.kind === 'Status' ? s : undefined;
  } catch {
    return undefined;
  }
}

/** The conflicts of an SSA 409: causes of type FieldManagerConflict, `conflict with "<manager>" …`. */
export function parseConflicts(status: StatusBody | undefined): FieldConflict[] {
  const causes = status?.details?.causes ?? [];
  return causes
    .filter((c) => (c.type ?? c.reason) === 'FieldManagerConflict')
    .map((c) => ({ manager: /conflict with "([^"]*)"/.exec(c.message ?? '')?.[1] ?? 'another manager', field: c.field ?? '?' }));
}

// ---------------------------------------------------------------------------------------------
// Transport with retries

export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly retries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Per-attempt timeout. */
  readonly timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 4, baseDelayMs: 250, maxDelayMs: 8000, timeoutMs: 15000 };

interface Response {
  readonly status: number;
  readonly body: string;
  readonly retryAfter?: string;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new KubeError('aborted', 'Cancelled'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new KubeError('aborted', 'Cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

/** Delay before retry `attempt` (0-based): Retry-After when the server sent one, else exponential backoff with jitter. */
export function retryDelay(policy: RetryPolicy, attempt: number, retryAfter?: string, random: () => number = Math.random): number {
  const secs = retryAfter !== undefined ? Number(retryAfter) : NaN;
  if (Number.isFinite(secs) && secs >= 0) return Math.min(secs * 1000, policy.maxDelayMs);
  const exp = Math.min(policy.baseDelayMs * 2 ** attempt, policy.maxDelayMs);
  return exp / 2 + random() * (exp / 2);
}

/** A minimal JSON client for one cluster (the credentials of a KubeConfig), with retries. */
export class KubeClient {
  requestCount = 0;
  readonly server: string;
  private readonly connection: KubeConnection;

  constructor(
    kc: KubeConfig,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {
    this.connection = new KubeConnection(kc);
    this.server = this.connection.server;
  }

  private async once(
    method: string,
    urlPath: string,
    body: string | undefined,
    contentType: string | undefined,
    signal?: AbortSignal,
  ): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (contentType) headers['Content-Type'] = contentType;
    const { url, opts, mod } = await this.connection.prepare(method, urlPath, headers, signal);
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
      req.setTimeout(this.retry.timeoutMs, () =>
        req.destroy(Object.assign(new Error(`timed out after ${this.retry.timeoutMs} ms`), { code: 'ETIMEDOUT' })),
      );
      req.end(body);
    });
  }

  /** Closes the kept-alive connections. */
  dispose(): void {
    this.connection.dispose();
  }

  /** One request, retried on 429/5xx/timeouts/dropped connections; resolves with any final status. */
  async request(
    method: string,
    urlPath: string,
    opts: { body?: unknown; contentType?: string; signal?: AbortSignal } = {},
  ): Promise<Response> {
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    for (let attempt = 0; ; attempt++) {
      if (opts.signal?.aborted) throw new KubeError('aborted', 'Cancelled');
      let res: Response | undefined;
      let failure: KubeError | undefined;
      try {
        res = await this.once(method, urlPath, body, opts.contentType, opts.signal);
      } catch (e) {
        if (e instanceof KubeError) throw e;
        const err = e as NodeJS.ErrnoException;
        if (opts.signal?.aborted || err?.name === 'AbortError') throw new KubeError('aborted', 'Cancelled');
        failure = new KubeError(
          'unreachable',
          `Cannot reach ${this.server}${err?.code ? ` (${err.code})` : ''}: ${sanitize(err?.message ?? String(e))}`,
        );
      }
      const retryable = failure !== undefined || (res !== undefined && RETRYABLE_STATUS.has(res.status));
      if (!retryable || attempt >= this.retry.retries) {
        if (failure) throw failure;
        return res as Response;
      }
      await sleep(retryDelay(this.retry, attempt, res?.retryAfter), opts.signal);
    }
  }
}

/** JSON.parse whose error never quotes the body (V8's message does). */
export function parseJson<T>(body: string, what: string): T {
  try {
    return JSON.parse(body) as T;
  } catch {
    throw new KubeError('server', `Invalid JSON in the response to ${what}`);
  }
}

function failureFor(res: Response, what: string, words: readonly string[]): KubeError {
  const status = parseStatus(res.body);
  const detail = redact(sanitize(status?.message ?? (http.STATUS_CODES[res.status] || 'error')), words);
  const kind = res.status === 401 ? 'unauthorized' : res.status === 403 ? 'forbidden' : res.status === 404 ? 'notFound' : 'server';
  return new KubeError(kind, `${what}: ${res.status} ${status?.reason ?? ''} ${detail}`.replace(/\s+/g, ' ').trim(), res.status);
}

/** The live object, or undefined when it does not exist. */
export async function getObject(
  client: KubeClient,
  apiVersion: string,
  kind: string,
  namespace: string | undefined,
  name: string,
  signal?: AbortSignal,
): Promise<Record<string, unknown> | undefined> {
  const res = await client.request('GET', resourcePath(apiVersion, kind, namespace, name), { signal });
  if (res.status === 404) return undefined;
  if (res.status < 200 || res.status >= 300) throw failureFor(res, `reading ${kind} ${namespace ? `${namespace}/` : ''}${name}`, []);
  return parseJson(res.body, `reading ${kind} ${name}`);
}

/** A list of objects (`items`), optionally filtered by a label selector. */
export async function listObjects(
  client: KubeClient,
  apiVersion: string,
  kind: string,
  namespace?: string,
  labelSelector?: string,
  signal?: AbortSignal,
): Promise<Record<string, unknown>[]> {
  const q = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
  const res = await client.request('GET', resourcePath(apiVersion, kind, namespace) + q, { signal });
  if (res.status < 200 || res.status >= 300) throw failureFor(res, `listing ${kind}${namespace ? ` in ${namespace}` : ''}`, []);
  const list = parseJson<{ items?: Record<string, unknown>[] }>(res.body, `listing ${kind}`);
  return list.items ?? [];
}

async function ssa(
  client: KubeClient,
  obj: KubeManifest,
  o: { dryRun: boolean; force: boolean; signal?: AbortSignal },
): Promise<Record<string, unknown>> {
  const q = new URLSearchParams({ fieldManager: FIELD_MANAGER });
  if (o.force) q.set('force', 'true');
  if (o.dryRun) q.set('dryRun', 'All');
  const p = `${resourcePath(obj.apiVersion, obj.kind, obj.metadata.namespace, obj.metadata.name)}?${q.toString()}`;
  const res = await client.request('PATCH', p, { body: obj, contentType: 'application/apply-patch+yaml', signal: o.signal });
  if (res.status === 409) {
    const conflicts = parseConflicts(parseStatus(res.body));
    if (conflicts.length) throw new ApplyConflictError(describeRef(obj), conflicts);
  }
  if (res.status < 200 || res.status >= 300)
    throw failureFor(res, `${o.dryRun ? 'dry-run of ' : 'applying '}${describeRef(obj)}`, secretWords([obj]));
  return parseJson(res.body, describeRef(obj));
}

// ---------------------------------------------------------------------------------------------
// Plan (dry run) and apply

export type ObjectAction = 'create' | 'update' | 'unchanged';

export interface PlannedObject {
  readonly ref: string;
  readonly action: ObjectAction;
  /** Masked: paths only. */
  readonly changes: readonly PathChange[];
  /** True when the server could not dry-run it because its namespace is created in the same apply. */
  readonly dryRunSkipped?: boolean;
  readonly manifest: KubeManifest;
}

export interface ApplyOptions {
  readonly force?: boolean;
  readonly signal?: AbortSignal;
}

/**
 * Reads every object and dry-runs every apply. Throws ApplyConflictError on the first conflict
 * (unless `force`) and KubeError on any other failure; writes nothing.
 */
export async function planApply(client: KubeClient, objects: readonly KubeManifest[], opts: ApplyOptions = {}): Promise<PlannedObject[]> {
  const plans: PlannedObject[] = [];
  const newNamespaces = new Set<string>();
  for (const obj of objects) {
    const ns = obj.metadata.namespace;
    const live =
      ns && newNamespaces.has(ns) ? undefined : await getObject(client, obj.apiVersion, obj.kind, ns, obj.metadata.name, opts.signal);
    if (ns && newNamespaces.has(ns)) {
      plans.push({ ref: describeRef(obj), action: 'create', changes: maskedDiff(undefined, obj), dryRunSkipped: true, manifest: obj });
      continue;
    }
    const result = await ssa(client, obj, { dryRun: true, force: !!opts.force, signal: opts.signal });
    const changes = maskedDiff(live, result);
    const action: ObjectAction = !live ? 'create' : changes.length ? 'update' : 'unchanged';
    if (obj.kind === 'Namespace' && !live) newNamespaces.add(obj.metadata.name);
    plans.push({ ref: describeRef(obj), action, changes, manifest: obj });
  }
  return plans;
}

export type ApplyOutcome = 'created' | 'updated' | 'unchanged' | 'conflict' | 'failed' | 'cancelled';

export interface ApplyReport {
  readonly outcome: ApplyOutcome;
  readonly objects: readonly PlannedObject[];
  readonly conflicts?: readonly FieldConflict[];
  /** Safe to show: no values. */
  readonly reason?: string;
  /** Objects written before a failure (only when a write after a successful dry run failed). */
  readonly written?: readonly string[];
}

export function outcomeOf(plans: readonly PlannedObject[]): ApplyOutcome {
  if (plans.some((p) => p.action === 'create')) return 'created';
  if (plans.some((p) => p.action === 'update')) return 'updated';
  return 'unchanged';
}

/** Writes the planned objects that change (in order). */
export async function commitPlan(client: KubeClient, plans: readonly PlannedObject[], opts: ApplyOptions = {}): Promise<ApplyReport> {
  const written: string[] = [];
  try {
    for (const p of plans) {
      if (p.action === 'unchanged') continue;
      await ssa(client, p.manifest, { dryRun: false, force: !!opts.force, signal: opts.signal });
      written.push(p.ref);
    }
  } catch (e) {
    return { ...reportForError(e, plans), written };
  }
  return { outcome: outcomeOf(plans), objects: plans };
}

export function reportForError(e: unknown, objects: readonly PlannedObject[] = []): ApplyReport {
  if (e instanceof ApplyConflictError) return { outcome: 'conflict', objects, conflicts: e.conflicts, reason: e.message };
  if (e instanceof KubeError && e.kind === 'aborted') return { outcome: 'cancelled', objects, reason: 'cancelled' };
  const reason = e instanceof KubeError ? e.message : sanitize(e instanceof Error ? e.message : String(e));
  return { outcome: 'failed', objects, reason };
}

/** Dry-run everything, then write what changes; any failure before the first write writes nothing. */
export async function applyObjects(
  client: KubeClient,
  objects: readonly KubeManifest[],
  opts: ApplyOptions & { dryRunOnly?: boolean } = {},
): Promise<ApplyReport> {
  let plans: PlannedObject[];
  try {
    plans = await planApply(client, objects, opts);
  } catch (e) {
    return reportForError(e);
  }
  if (opts.dryRunOnly) return { outcome: outcomeOf(plans), objects: plans };
  return commitPlan(client, plans, opts);
}

/**
 * The fault soak: the explorer's list+watch cache (src/kube/cache.ts, in this process, as the extension
 * host runs it) and the write path's cluster side (src/kube/apply.ts: dry run, then commit) against a
 * Kubernetes API emulator in a child process (host.ts) that injects faults for `minutes`: latency
 * spikes, 10 % 429 with Retry-After, 5 % 500, dropped connections, writes whose answer is lost after they
 * were carried out, watches cut mid-stream, a restart every 20 s (alternately with resourceVersion
 * continuity and with 410 Gone for older versions), and both clients authenticating through an exec
 * credential plugin that fails half the time (execPlugin.mjs). Then the faults stop and it checks:
 *
 *  - convergence: the cache equals what kubectl lists (the oracle) within `convergeBoundS`;
 *  - no half-written object: every state the server held of a written Secret has all its stamp keys
 *    equal to its generation label (host.ts records every commit), and so does kubectl's final read;
 *  - reports tell the truth: a write reported done is on the server, a write reported failed (not
 *    "unknown") is not, a write interrupted between dry run and commit is not, and the final state
 *    kubectl reads is the one the reports imply;
 *  - no unbounded retries: after a 429 with Retry-After no client asks the same path again before the
 *    time is up, and no client sends more than `hotLoopPerSecond` requests to one path in a second;
 *  - bounded memory: the heap after GC grows less than `heapGrowthBoundMb` from the synced start;
 *  - every write returns (a report, never an exception) within `opBoundS`.
 * The event-loop delay under faults (p99, max, the longest stall) and the peak heap and RSS of this
 * process are reported.
 */
import { execFile, fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { promisify } from 'node:util';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { KubeConfig } from '@kubernetes/client-node';
import { RESOURCE_KINDS, type ResourceKind } from '../../src/core/capi/tenants';
import { commitPlan, operations, planApply, applyObjects, type ApplyReport, type KubeManifest } from '../../src/kube/apply';
import { ContextCache } from '../../src/kube/cache';
import { KubeClient } from '../../src/kube/client';
import { getObject } from '../../src/kube/objects';
import { ownedLease } from '../../src/kube/pool';
import { RESOURCE_DEFS } from '../../src/kube/resources';
import { CLUSTER_OWNED, GEN_LABEL, STAMP_KEYS, TENANTS, type HostRequest, type HostStarted, type TruthEvent } from './host';

const run = promisify(execFile);

export interface SoakOptions {
  /** How long the faults run. */
  readonly minutes: number;
  readonly writers?: number;
  readonly convergeBoundS?: number;
  readonly opBoundS?: number;
  readonly heapGrowthBoundMb?: number;
  readonly hotLoopPerSecond?: number;
  readonly log?: (line: string) => void;
}

/** What a written object op was and what its report said. */
export interface OpRecord {
  readonly op: 'apply' | 'patch' | 'delete' | 'interrupted';
  readonly kind: 'Secret' | 'Cluster';
  readonly namespace: string;
  readonly name: string;
  readonly gen?: string;
  readonly start: number;
  end: number;
  outcome: string;
  /** The report said the write may or may not have happened (its answer was lost). */
  unknown: boolean;
  reason?: string;
}

/** A request as the server recorded it (host.ts → emulator's RequestRecord). */
export interface ServedRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly at: number;
  readonly user?: string;
  readonly retryAfter?: number;
  readonly lost?: boolean;
}

export interface FinalObject {
  readonly kind: 'Secret' | 'Cluster';
  readonly namespace: string;
  readonly name: string;
  readonly gen?: string;
  readonly consistent: boolean;
}

export interface SoakResult {
  readonly minutes: number;
  readonly faults: Record<string, number>;
  readonly operations: { writes: number; byOutcome: Record<string, number>; explorerLists: number; requests: number };
  readonly convergenceS?: number;
  readonly lagP99Ms: number;
  readonly lagMaxMs: number;
  /** The longest stall of this process's event loop under faults: when (seconds into the faults) and how long. */
  readonly worstStall: { ms: number; atS: number };
  readonly peakHeapMb: number;
  readonly peakRssMb: number;
  readonly heapGrowthMb: number;
  readonly violations: string[];
}

const SUCCESS = new Set(['created', 'updated', 'deleted', 'restarted', 'unchanged']);
const key = (kind: string, ns: string, name: string) => `${kind} ${ns}/${name}`;
const b64 = (s: string) => Buffer.from(s).toString('base64');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// The invariants (pure, so that test/kube/soak.test.ts can show each one fails on broken data)

/** Reports against the server's record: lost writes, silent writes, interrupted writes that landed, half-written states. */
export function checkWrites(ops: readonly OpRecord[], truth: readonly TruthEvent[]): string[] {
  const out: string[] = [];
  const byKey = new Map<string, TruthEvent[]>();
  for (const e of truth) {
    const k = key(e.kind, e.namespace, e.name);
    byKey.set(k, [...(byKey.get(k) ?? []), e]);
    if (e.type !== 'DELETED' && !e.consistent)
      out.push(`half-written: ${k} was stored at resourceVersion ${e.rv} with stamp keys that disagree`);
  }
  for (const o of ops) {
    const k = key(o.kind, o.namespace, o.name);
    const events = byKey.get(k) ?? [];
    const landed =
      o.op === 'delete'
        ? events.some((e) => e.type === 'DELETED' && e.at >= o.start - 50 && e.at <= o.end + 50)
        : events.some((e) => e.type !== 'DELETED' && e.gen === o.gen);
    const ok = SUCCESS.has(o.outcome);
    const said = `${o.op} of ${k}${o.gen ? ` (${o.gen})` : ''} reported ${o.outcome}${o.reason ? ` (${o.reason})` : ''}`;
    if (o.op === 'interrupted') {
      if (landed) out.push(`interrupted write landed: ${said}`);
    } else if (o.unknown) continue;
    else if (ok && !landed && !(o.op === 'delete' && o.outcome === 'unchanged')) out.push(`lost write: ${said}, the server never held it`);
    else if (!ok && landed) out.push(`silent write: ${said}, but the server holds it`);
  }
  return out;
}

/**
 * The final state (kubectl) against what the reports imply, and every final Secret whole. `initial`: the
 * state before the run per object (`null` absent, `''` present without a generation label).
 */
export function checkFinal(ops: readonly OpRecord[], final: readonly FinalObject[], initial: ReadonlyMap<string, string | null>): string[] {
  const out: string[] = [];
  // What the writer believes each object holds; undefined after an "unknown" report until the next definite one.
  const belief = new Map<string, string | null | undefined>(initial);
  for (const o of ops) {
    const k = key(o.kind, o.namespace, o.name);
    if (o.op === 'interrupted') continue;
    if (o.unknown) belief.set(k, undefined);
    else if (!SUCCESS.has(o.outcome)) continue;
    else if (o.op === 'delete') belief.set(k, null);
    else belief.set(k, o.gen ?? '');
  }
  const seen = new Map(final.map((f) => [key(f.kind, f.namespace, f.name), f]));
  for (const f of final) if (!f.consistent) out.push(`half-written at the end: ${key(f.kind, f.namespace, f.name)}`);
  for (const [k, want] of belief) {
    if (want === undefined) continue;
    const got = seen.get(k);
    const reads = got ? (got.gen ?? 'no generation') : 'nothing';
    if (want === null ? got !== undefined : got === undefined || (got.gen ?? '') !== want)
      out.push(`final state: ${k} should ${want === null ? 'be absent' : `hold ${want || 'no generation'}`}, kubectl reads ${reads}`);
  }
  return out;
}

/** Retry-After honoured per user and path; no hot loop. */
export function checkRetries(requests: readonly ServedRequest[], users: readonly string[], hotLoopPerSecond: number): string[] {
  const out: string[] = [];
  const groups = new Map<string, ServedRequest[]>();
  for (const r of requests) {
    if (!r.user || !users.includes(r.user)) continue;
    const g = `${r.user} ${r.method} ${r.path}`;
    groups.set(g, [...(groups.get(g) ?? []), r]);
  }
  for (const [g, rs] of groups) {
    rs.sort((a, b) => a.at - b.at);
    let early = 0;
    let firstEarly = '';
    for (let i = 0; i < rs.length - 1; i++) {
      const r = rs[i];
      if (r.status !== 429 || r.retryAfter === undefined) continue;
      const gap = rs[i + 1].at - r.at;
      // 20 ms for the two processes' timers.
      if (gap < r.retryAfter * 1000 - 20) {
        early++;
        firstEarly ||= `${gap} ms after a 429 with Retry-After ${r.retryAfter}`;
      }
    }
    if (early) out.push(`Retry-After not honoured ${early}×: ${g} (first ${firstEarly})`);
    let lo = 0;
    let worst = 0;
    for (let hi = 0; hi < rs.length; hi++) {
      while (rs[hi].at - rs[lo].at >= 1000) lo++;
      worst = Math.max(worst, hi - lo + 1);
    }
    if (worst > hotLoopPerSecond) out.push(`retry loop: ${worst} requests within one second to ${g}`);
  }
  return out;
}

/** The cache's snapshot against the oracle's lists: per kind, name → resourceVersion. */
export function diffModels(
  cache: Partial<Record<ResourceKind, readonly { metadata?: { namespace?: string; name?: string; resourceVersion?: string } }[]>>,
  oracle: Partial<Record<ResourceKind, readonly { metadata?: { namespace?: string; name?: string; resourceVersion?: string } }[]>>,
): string[] {
  const out: string[] = [];
  for (const kind of RESOURCE_KINDS) {
    const index = (xs: readonly { metadata?: { namespace?: string; name?: string; resourceVersion?: string } }[] = []) =>
      new Map(xs.map((o) => [`${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`, o.metadata?.resourceVersion]));
    const a = index(cache[kind]);
    const b = index(oracle[kind]);
    for (const [k, rv] of b)
      if (a.get(k) !== rv) out.push(`${kind} ${k}: cache ${a.has(k) ? `rv ${a.get(k)}` : 'missing'}, server rv ${rv}`);
    for (const k of a.keys()) if (!b.has(k)) out.push(`${kind} ${k}: in the cache, not on the server`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The run

class HostProcess {
  private readonly child: ChildProcess;
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor() {
    this.child = fork(path.join(__dirname, 'host.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (m: { id: number; ok: boolean; result?: unknown; error?: string }) => {
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (m.ok) w?.resolve(m.result);
      else w?.reject(new Error(m.error));
    });
    this.child.on('exit', (code) => {
      for (const w of this.waiting.values()) w.reject(new Error(`soak host exited (${code})`));
      this.waiting.clear();
    });
  }

  call<T>(req: HostRequest): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, req });
    });
  }

  async close(): Promise<void> {
    await this.call({ cmd: 'stop' }).catch(() => undefined);
    this.child.kill();
  }
}

function execKubeconfig(h: HostStarted, user: string, token: string, control: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'soak', server: h.url, caData: b64(h.caPem) }],
    users: [
      {
        name: user,
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1',
          command: process.execPath,
          args: [path.join(__dirname, 'execPlugin.mjs')],
          env: [
            { name: 'SOAK_EXEC_TOKEN', value: token },
            { name: 'SOAK_EXEC_CONTROL', value: control },
          ],
          interactiveMode: 'Never',
        },
      },
    ],
    contexts: [{ name: 'soak', cluster: 'soak', user }],
    currentContext: 'soak',
  });
  return kc;
}

/** kubectl's lists of every kind the explorer watches (same field selectors), as the oracle. */
async function oracleLists(env: NodeJS.ProcessEnv): Promise<Partial<Record<ResourceKind, KubeListItem[]>>> {
  const out: Partial<Record<ResourceKind, KubeListItem[]>> = {};
  await Promise.all(
    RESOURCE_KINDS.map(async (kind) => {
      const def = RESOURCE_DEFS[kind];
      const args = ['get', def.group ? `${def.plural}.${def.group}` : def.plural, '-o', 'json', ...(def.namespaced ? ['-A'] : [])];
      if (def.fieldSelector) args.push('--field-selector', def.fieldSelector);
      const { stdout } = await run('kubectl', args, { env, maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
      out[kind] = (JSON.parse(stdout) as { items: KubeListItem[] }).items;
    }),
  );
  return out;
}

type KubeListItem = {
  metadata?: { namespace?: string; name?: string; resourceVersion?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
};

function finalObjects(lists: Partial<Record<ResourceKind, KubeListItem[]>>): FinalObject[] {
  const out: FinalObject[] = [];
  for (const s of lists.secrets ?? []) {
    const md = s.metadata ?? {};
    if (!md.name?.startsWith('soak-s')) continue;
    const gen = md.labels?.[GEN_LABEL];
    const consistent = STAMP_KEYS.every((k) => Buffer.from(s.data?.[k] ?? '', 'base64').toString('utf8') === gen);
    out.push({ kind: 'Secret', namespace: md.namespace ?? '', name: md.name, gen, consistent });
  }
  for (const c of lists.clusters ?? []) {
    const md = c.metadata ?? {};
    if (!md.name?.startsWith('soak-c')) continue;
    out.push({ kind: 'Cluster', namespace: md.namespace ?? '', name: md.name, gen: md.labels?.[GEN_LABEL], consistent: true });
  }
  return out;
}

function forcedGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;

export async function runSoak(opts: SoakOptions): Promise<SoakResult> {
  const log = opts.log ?? (() => undefined);
  const convergeBoundS = opts.convergeBoundS ?? 75;
  const opBoundS = opts.opBoundS ?? 120;
  const heapGrowthBoundMb = opts.heapGrowthBoundMb ?? 40;
  const hotLoop = opts.hotLoopPerSecond ?? 25;
  const gc = forcedGc();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-soak-'));
  const control = path.join(dir, 'exec-fail-rate');
  fs.writeFileSync(control, '0');
  const host = new HostProcess();
  const violations: string[] = [];
  const faults: Record<string, number> = { restarts: 0, restartsWith410: 0, watchCuts: 0 };
  let cache: ContextCache | undefined;
  let writerClient: KubeClient | undefined;
  try {
    const h = await host.call<HostStarted>({ cmd: 'start' });
    const kubectlEnv = { ...process.env, KUBECONFIG: h.kubeconfigPath, KUBECACHEDIR: path.join(dir, 'kubectl-cache') };
    cache = new ContextCache('soak', ownedLease(new KubeClient(execKubeconfig(h, 'soak-explorer', h.tokens.explorer, control))));
    writerClient = new KubeClient(execKubeconfig(h, 'soak-writer', h.tokens.writer, control));
    cache.start();
    await cache.whenSynced();
    // The writer's discovery before the faults: paths are resolved once per client.
    await writerClient.discovery.path({ apiVersion: 'v1', kind: 'Secret', namespace: TENANTS[0], name: 'x' });
    await writerClient.discovery.path({ apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster', namespace: TENANTS[0], name: 'x' });

    // Owned objects and their state before the run (Secrets absent, Clusters without a gen).
    const initial = new Map<string, string | null>();
    const writers = opts.writers ?? 3;
    const owned: { kind: 'Secret' | 'Cluster'; namespace: string; name: string }[][] = [];
    for (let j = 0; j < writers; j++) {
      const mine: { kind: 'Secret' | 'Cluster'; namespace: string; name: string }[] = [];
      for (let k = 0; k < 3; k++) mine.push({ kind: 'Secret', namespace: TENANTS[(j + k) % TENANTS.length], name: `soak-s${j}-${k}` });
      for (const t of TENANTS) if (j < 3) mine.push({ kind: 'Cluster', namespace: t, name: CLUSTER_OWNED(t, j) });
      owned.push(mine);
      for (const o of mine) initial.set(key(o.kind, o.namespace, o.name), o.kind === 'Secret' ? null : '');
    }

    gc();
    const heapStart = process.memoryUsage().heapUsed;
    let peakHeap = heapStart;
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakHeap = Math.max(peakHeap, m.heapUsed);
      peakRss = Math.max(peakRss, m.rss);
    }, 250);
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const t00 = Date.now();
    const worstStall = { ms: 0, atS: 0 };
    let tick = Date.now();
    const stallProbe = setInterval(() => {
      const now = Date.now();
      const stall = now - tick - 100;
      if (stall > worstStall.ms) Object.assign(worstStall, { ms: stall, atS: Math.round((tick - t00) / 100) / 10 });
      tick = now;
    }, 100);

    // Faults on.
    fs.writeFileSync(control, '0.5');
    await host.call({
      cmd: 'faults',
      faults: {
        latencySpikeRate: 0.05,
        latencySpikeMs: 1500,
        rate429: 0.1,
        retryAfterSeconds: 2,
        rate500: 0.05,
        rateDrop: 0.02,
        rateLoseResponse: 0.05,
        watchCutAfterMs: 8000,
      },
    });
    await host.call({ cmd: 'churn', on: true });
    const ends = Date.now() + opts.minutes * 60_000;
    log(`faults on for ${opts.minutes} min`);

    const ops: OpRecord[] = [];
    let gen = 0;
    const writer = async (j: number) => {
      const mine = owned[j];
      const client = writerClient as KubeClient;
      while (Date.now() < ends) {
        const target = mine[Math.floor(Math.random() * mine.length)];
        const roll = Math.random();
        const g = `g${++gen}-${j}`;
        const rec: OpRecord = {
          op: target.kind === 'Cluster' ? 'patch' : roll < 0.65 ? 'apply' : roll < 0.82 ? 'delete' : 'interrupted',
          kind: target.kind,
          namespace: target.namespace,
          name: target.name,
          gen: target.kind === 'Cluster' || roll < 0.65 || roll >= 0.82 ? g : undefined,
          start: Date.now(),
          end: 0,
          outcome: 'pending',
          unknown: false,
        };
        ops.push(rec);
        const work = (async (): Promise<ApplyReport> => {
          const ref = {
            apiVersion: target.kind === 'Secret' ? 'v1' : 'cluster.x-k8s.io/v1beta2',
            kind: target.kind,
            namespace: target.namespace,
            name: target.name,
          };
          if (rec.op === 'delete') return applyObjects(client, [operations.delete(ref)]);
          if (rec.op === 'patch') {
            let live;
            try {
              live = await getObject(client, ref.apiVersion, ref.kind, ref.namespace, ref.name);
            } catch (e) {
              return { outcome: 'failed', objects: [], reason: `read: ${(e as Error).message}` };
            }
            const rv = (live?.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
            return applyObjects(client, [
              operations.jsonPatch(ref, [
                { op: 'test', path: '/metadata/resourceVersion', value: rv },
                { op: 'add', path: `/metadata/labels/${GEN_LABEL}`, value: g },
              ]),
            ]);
          }
          const manifest: KubeManifest = {
            apiVersion: 'v1',
            kind: 'Secret',
            type: 'Opaque',
            metadata: { name: target.name, namespace: target.namespace, labels: { [GEN_LABEL]: g } },
            data: Object.fromEntries(STAMP_KEYS.map((k) => [k, b64(g)])),
          };
          if (rec.op === 'apply') return applyObjects(client, [manifest]);
          // Interrupted between the dry run and the commit: the user cancels once the plan is shown.
          let plans;
          try {
            plans = await planApply(client, [manifest]);
          } catch (e) {
            return { outcome: 'failed', objects: [], reason: `plan: ${(e as Error).message}` };
          }
          const ac = new AbortController();
          ac.abort();
          return commitPlan(client, plans, { signal: ac.signal });
        })();
        let bound: NodeJS.Timeout | undefined;
        const report = await Promise.race([
          work.catch((e: unknown) => {
            violations.push(
              `a write threw instead of reporting: ${rec.op} ${key(rec.kind, rec.namespace, rec.name)}: ${(e as Error).message}`,
            );
            return { outcome: 'threw', objects: [] } as unknown as ApplyReport;
          }),
          new Promise<ApplyReport>((resolve) => {
            bound = setTimeout(() => resolve({ outcome: 'hung', objects: [] } as unknown as ApplyReport), opBoundS * 1000);
          }),
        ]);
        clearTimeout(bound);
        if ((report.outcome as string) === 'hung')
          violations.push(`a write did not return within ${opBoundS} s: ${rec.op} ${key(rec.kind, rec.namespace, rec.name)}`);
        rec.end = Date.now();
        rec.outcome = report.outcome;
        rec.reason = report.reason;
        rec.unknown = ((report as { unknown?: readonly string[] }).unknown ?? []).length > 0;
        await sleep(50 + Math.random() * 100);
      }
    };
    const chaos = (async () => {
      let i = 0;
      while (Date.now() < ends - 5000) {
        await sleep(5000);
        if (Date.now() >= ends - 5000) break;
        i++;
        if (i % 4 === 0) {
          const compact = i % 8 === 0;
          await host.call({ cmd: 'restart', compact });
          faults.restarts++;
          if (compact) faults.restartsWith410++;
        } else if (i % 2 === 0) {
          await host.call({ cmd: 'cutWatches' });
          faults.watchCuts++;
        }
      }
    })();
    await Promise.all([...Array.from({ length: writers }, (_, j) => writer(j)), chaos]);

    // Faults off; the explorer must converge to the server's truth.
    await host.call({ cmd: 'churn', on: false });
    await host.call({ cmd: 'faults', faults: {} });
    fs.writeFileSync(control, '0');
    log(`faults off after ${ops.length} writes; waiting for the explorer to converge`);
    // The event loop is measured while the clients work under faults; the oracle's kubectl runs that follow
    // are the test's, not the clients'.
    lag.disable();
    clearInterval(stallProbe);
    const t0 = Date.now();
    let convergenceS: number | undefined;
    let lastDiff: string[] = [];
    let lists: Partial<Record<ResourceKind, KubeListItem[]>> = {};
    while (Date.now() - t0 < convergeBoundS * 1000) {
      lists = await oracleLists(kubectlEnv);
      lastDiff = diffModels(cache.snapshot(), lists);
      if (lastDiff.length === 0) {
        convergenceS = (Date.now() - t0) / 1000;
        break;
      }
      await sleep(1000);
    }
    if (convergenceS === undefined)
      violations.push(
        `the explorer did not converge within ${convergeBoundS} s: ${lastDiff.length} differences, e.g. ${lastDiff.slice(0, 3).join('; ')}`,
      );

    clearInterval(sampler);
    gc();
    gc();
    const heapGrowth = process.memoryUsage().heapUsed - heapStart;
    if (mb(heapGrowth) > heapGrowthBoundMb) violations.push(`heap after GC grew by ${mb(heapGrowth)} MB (bound ${heapGrowthBoundMb} MB)`);

    const truth = await host.call<TruthEvent[]>({ cmd: 'truth' });
    const requests = await host.call<ServedRequest[]>({ cmd: 'requests' });
    violations.push(...checkWrites(ops, truth));
    violations.push(...checkFinal(ops, finalObjects(lists), initial));
    violations.push(...checkRetries(requests, ['soak-explorer', 'soak-writer'], hotLoop));

    const byOutcome: Record<string, number> = {};
    for (const o of ops) {
      const k = o.unknown ? 'unknown' : o.outcome;
      byOutcome[`${o.op}:${k}`] = (byOutcome[`${o.op}:${k}`] ?? 0) + 1;
    }
    const ours = requests.filter((r) => r.user === 'soak-explorer' || r.user === 'soak-writer' || r.user === undefined);
    faults.requests429 = ours.filter((r) => r.status === 429).length;
    faults.requests500 = ours.filter((r) => r.status === 500).length;
    faults.dropped = ours.filter((r) => r.status === 0 && !r.lost).length;
    faults.answersLost = ours.filter((r) => r.lost).length;
    faults.execFailures = countLines(`${control}.failures`);
    const stats = cache.stats();
    return {
      minutes: opts.minutes,
      faults,
      operations: { writes: ops.length, byOutcome, explorerLists: stats.lists, requests: requests.length },
      convergenceS,
      lagP99Ms: Math.round(lag.percentile(99) / 1e4) / 100,
      lagMaxMs: Math.round(lag.max / 1e4) / 100,
      worstStall,
      peakHeapMb: mb(peakHeap),
      peakRssMb: mb(peakRss),
      heapGrowthMb: mb(heapGrowth),
      violations,
    };
  } finally {
    cache?.dispose();
    writerClient?.dispose();
    await host.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function countLines(file: string): number {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

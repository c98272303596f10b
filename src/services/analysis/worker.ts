/**
 * The analysis worker (its own bundle, dist/analysis-worker.js, run in a `worker_threads` Worker by
 * client.ts): the clouds.yaml analysis and conversion of src/core/clouds, the cluster-stack diagnostics
 * of src/core/stacks and the YAML service (dist/yaml-service.js, loaded on its first call), off the
 * extension host's thread. It keeps the text of the documents the host mirrors into it.
 *
 * Before each job it takes every message already waiting (`receiveMessageOnPort`), so that a burst of
 * edits costs one analysis: a job whose document changed since it was asked for, or that a later request
 * with the same key replaced, is answered `stale` without being run.
 */
import { createRequire } from 'node:module';
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import { convertCloud } from '../../core/clouds';
import type { CloudsInput, SourceFile } from '../../core/clouds/api';
import { CloudsAnalyzer } from '../../core/clouds/incremental';
import { StackDiagnoser } from '../../core/stacks/incremental';
import type { TenantFacts } from '../../core/stacks/topology';
import { YamlStream } from '../../core/yamlStream';
import { readLocalFile } from '../localFile';
import type { CloudsRefs, FileRef, FromWorker, Job, PlainConvertOptions, TextChange, ToWorker, WorkerInit } from './protocol';

type Service = Record<string, (...args: unknown[]) => unknown>;
type ServiceModule = { createYamlService(schemaDir: string, kindOf: (uri: string) => string | undefined): Service };

class Desync extends Error {}

interface Mirrored {
  /** Kept as its YAML documents: an edit replaces the ones it touches, never copying the whole text. */
  readonly stream: YamlStream;
  version: number;
  /** A change did not fit the text: answers `desync` until the host opens the document again. */
  broken: boolean;
}

interface Pending {
  readonly id: number;
  readonly key?: string;
  readonly job: Job;
}

const init = workerData as WorkerInit;
const port = init.port;
const docs = new Map<string, Mirrored>();
const kinds = new Map<string, string>();
const diagnosers = new Map<string, StackDiagnoser>();
const analyzers = new Map<string, CloudsAnalyzer>();
let factsById = new Map<number, TenantFacts>();
let queue: Pending[] = [];
let service: Service | undefined;
let running = false;

function send(m: FromWorker): void {
  port.postMessage(m);
}

function apply(doc: Mirrored, changes: readonly TextChange[], length: number): void {
  if (!changes.every((c) => doc.stream.replace(c.offset, c.length, c.text)) || doc.stream.length !== length) doc.broken = true;
}

function accept(m: ToWorker): void {
  switch (m.type) {
    case 'open':
      docs.set(m.uri, { stream: new YamlStream(m.text), version: m.version, broken: false });
      return;
    case 'change': {
      const doc = docs.get(m.uri);
      if (!doc) return;
      doc.version = m.version;
      if (!doc.broken) apply(doc, m.changes, m.length);
      return;
    }
    case 'close':
      docs.delete(m.uri);
      kinds.delete(m.uri);
      diagnosers.delete(m.uri);
      analyzers.delete(m.uri);
      return;
    case 'schemaKind':
      if (m.kind) kinds.set(m.uri, m.kind);
      else kinds.delete(m.uri);
      return;
    case 'request': {
      const superseded = m.key === undefined ? [] : queue.filter((p) => p.key === m.key);
      for (const p of superseded) send({ id: p.id, stale: true });
      queue = queue.filter((p) => !superseded.includes(p));
      queue.push({ id: m.id, ...(m.key === undefined ? {} : { key: m.key }), job: m.job });
      return;
    }
    case 'cancel':
      queue = queue.filter((p) => p.id !== m.id);
      return;
    case 'crash':
      // A test hook: an exception outside any job ends the worker like a real crash would.
      setImmediate(() => {
        throw new Error('crash requested by the host');
      });
      return;
  }
}

/** Takes every message already waiting on the port. */
function drain(): void {
  for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) accept(m.message as ToWorker);
}

function mirrored(uri: string): Mirrored {
  const doc = docs.get(uri);
  if (!doc || doc.broken) throw new Desync();
  return doc;
}

function source(ref: FileRef): SourceFile {
  return { path: ref.path, text: 'text' in ref ? ref.text : mirrored(ref.uri).stream.text };
}

function input(refs: CloudsRefs): CloudsInput {
  return {
    clouds: source(refs.clouds),
    ...(refs.secure ? { secure: source(refs.secure) } : {}),
    ...(refs.public ? { public: source(refs.public) } : {}),
  };
}

const withReader = (options: PlainConvertOptions) => ({ ...options, readFile: readLocalFile });

function yamlService(): Service {
  if (!service) {
    const mod = createRequire(__filename)(init.yamlServiceFile) as ServiceModule;
    service = mod.createYamlService(init.schemaDir, (uri) => kinds.get(uri));
  }
  return service;
}

async function run(job: Job): Promise<unknown> {
  switch (job.method) {
    case 'clouds': {
      let analyzer = analyzers.get(job.uri);
      if (!analyzer) analyzers.set(job.uri, (analyzer = new CloudsAnalyzer()));
      return analyzer.analyze(input(job.refs), withReader(job.options));
    }
    case 'convert':
      return convertCloud(input(job.refs), job.cloud, withReader(job.options));
    case 'stacks': {
      const doc = mirrored(job.uri);
      const facts = new Map<string, TenantFacts>();
      const known = new Map<number, TenantFacts>();
      for (const [ns, { id, facts: f }] of Object.entries(job.facts)) {
        // The same id keeps the same object, so the per-document cache sees unchanged facts as unchanged.
        const kept = known.get(id) ?? factsById.get(id) ?? f;
        known.set(id, kept);
        facts.set(ns, kept);
      }
      factsById = known; // only the facts in use are kept
      let diagnoser = diagnosers.get(job.uri);
      if (!diagnoser) diagnosers.set(job.uri, (diagnoser = new StackDiagnoser()));
      return diagnoser.diagnose(job.path, doc.stream, {
        factsFor: (ns) => (ns ? facts.get(ns) : undefined),
        schemaRunsToo: job.schemaRunsToo,
      });
    }
    case 'yaml': {
      const fn = yamlService()[job.name];
      if (typeof fn !== 'function') throw new TypeError(`the YAML service has no method ${job.name}`);
      return fn(...job.args);
    }
  }
}

function isStale(job: Job): boolean {
  if (job.method === 'yaml') return false;
  const doc = docs.get(job.uri);
  return doc !== undefined && doc.version > job.version;
}

async function work(): Promise<void> {
  if (running) return;
  running = true;
  try {
    for (drain(); queue.length; drain()) {
      const next = queue.shift()!;
      if (isStale(next.job)) {
        send({ id: next.id, stale: true });
        continue;
      }
      try {
        send({ id: next.id, result: await run(next.job) });
      } catch (e) {
        send(e instanceof Desync ? { id: next.id, desync: true } : { id: next.id, error: e instanceof Error ? e.name : typeof e });
      }
    }
  } finally {
    running = false;
  }
}

port.on('message', (m: ToWorker) => {
  accept(m);
  void work();
});

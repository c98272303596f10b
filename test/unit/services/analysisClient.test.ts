// The analysis worker's protocol (src/services/analysis): the built worker bundle in a real
// worker_threads Worker, driven through the host's client: mirrored text and changes, stale versions
// dropped, a lost change repaired, a crash or a hang answered by a restart (never by waiting forever),
// and disposal.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { cloudsYaml, stackManifest } from '../../../bench/data';
import { analyzeClouds } from '../../../src/core/clouds';
import { diagnoseStackText } from '../../../src/core/stacks/diagnose';
import { AnalysisClient, AnalysisUnavailable, type MirroredText } from '../../../src/services/analysis/client';
import type { Job } from '../../../src/services/analysis/protocol';

const REPO = path.join(__dirname, '..', '..', '..');
const CLOUDS = 'clouds:\n  a:\n    auth:\n      auth_url: https://keystone.example.com:5000/v3\n    region_name: RegionOne\n';

/** A 1,000-cloud clouds.yaml that keeps the worker busy, and a small one to edit meanwhile. */
function bigAndSmall() {
  const big = 'file:///w/big/clouds.yaml';
  const uri = 'file:///w/clouds.yaml';
  const docs = new Map([
    [big, { uri: big, version: 1, text: cloudsYaml(1000).text }],
    [uri, { uri, version: 1, text: CLOUDS }],
  ]);
  return { big, uri, docs };
}

describe('services: the analysis worker protocol', function () {
  this.timeout(60_000);
  let dir: string;
  let workerFile: string;
  const clients: AnalysisClient[] = [];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'analysis-worker-'));
    workerFile = path.join(dir, 'analysis-worker.js');
    await esbuild.build({
      entryPoints: [path.join(REPO, 'src/services/analysis/worker.ts')],
      outfile: workerFile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      logLevel: 'error',
    });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  afterEach(() => {
    for (const c of clients.splice(0)) c.dispose();
  });

  /** A stand-in for dist/yaml-service.js: `body` is the module's source. */
  const serviceFile = (name: string, body: string) => {
    const file = path.join(dir, `${name}.js`);
    fs.writeFileSync(file, body);
    return file;
  };

  /** A client over `docs` (the host's documents, by URI), with the restart lines it reported. */
  function client(docs: Map<string, MirroredText>, opts: { yamlServiceFile?: string; hangMs?: number } = {}) {
    const restarts: string[] = [];
    const c = new AnalysisClient({
      workerFile,
      init: { yamlServiceFile: opts.yamlServiceFile ?? serviceFile('none', ''), schemaDir: dir },
      documents: () => docs.values(),
      onRestart: (line) => restarts.push(line),
      ...(opts.hangMs ? { hangMs: opts.hangMs } : {}),
    });
    clients.push(c);
    return { c, restarts };
  }

  const cloudsJob = (uri: string, version: number): Extract<Job, { method: 'clouds' }> => ({
    method: 'clouds',
    uri,
    version,
    refs: { clouds: { path: '/w/clouds.yaml', uri } },
    options: {},
  });

  it('analyses a mirrored document and follows its changes, as the core does with the same text', async () => {
    const uri = 'file:///w/clouds.yaml';
    const docs = new Map([[uri, { uri, version: 1, text: CLOUDS }]]);
    const { c } = client(docs);
    assert.equal(c.running, false, 'no worker before the first request');
    const first = await c.request(cloudsJob(uri, 1));
    assert.deepEqual(first, analyzeClouds({ clouds: { path: '/w/clouds.yaml', text: CLOUDS } }));
    const at = CLOUDS.indexOf('RegionOne');
    const edited = CLOUDS.slice(0, at) + '012345' + CLOUDS.slice(at + 'RegionOne'.length);
    docs.set(uri, { uri, version: 2, text: edited });
    c.change(uri, 2, [{ offset: at, length: 'RegionOne'.length, text: '012345' }], edited.length);
    const second = await c.request(cloudsJob(uri, 2));
    assert.deepEqual(second, analyzeClouds({ clouds: { path: '/w/clouds.yaml', text: edited } }));
    assert.ok(
      second?.findings.get('/w/clouds.yaml')?.some((f) => f.code === 'CS130'),
      'the edit is what was analysed',
    );
    assert.equal(c.starts, 1);
  });

  it('answers a request whose document changed before it ran as stale, and runs the newer one', async () => {
    const { big, uri, docs } = bigAndSmall();
    const { c } = client(docs);
    await c.request(cloudsJob(uri, 1)); // the worker is up
    // The worker is busy with the large file while the edit and the second request arrive.
    const busy = c.request(cloudsJob(big, 1));
    const old = c.request(cloudsJob(uri, 1));
    const text = CLOUDS.replace('RegionOne', 'RegionTwo');
    docs.set(uri, { uri, version: 2, text });
    c.change(uri, 2, [{ offset: CLOUDS.indexOf('RegionOne'), length: 9, text: 'RegionTwo' }], text.length);
    const current = c.request(cloudsJob(uri, 2));
    assert.ok(await busy);
    assert.equal(await old, undefined, 'version 1 went stale');
    assert.deepEqual(await current, analyzeClouds({ clouds: { path: '/w/clouds.yaml', text } }));
  });

  it('checks a mirrored manifest per document as the whole-stream rules do, and says whose facts they asked for', async () => {
    const uri = 'file:///w/cluster-stacks.yaml';
    const m = stackManifest(60_000);
    const docs = new Map([[uri, { uri, version: 1, text: m.text }]]);
    const { c } = client(docs);
    const job = (version: number): Extract<Job, { method: 'stacks' }> => ({
      method: 'stacks',
      uri,
      version,
      path: '/w/cluster-stacks.yaml',
      schemaRunsToo: true,
      facts: {},
    });
    const first = await c.request(job(1));
    assert.deepEqual(first?.findings, diagnoseStackText('/w/cluster-stacks.yaml', m.text, { schemaRunsToo: true }));
    assert.ok(first?.namespaces.includes('tenant-0000'));
    const lines = m.text.split('\n');
    const offset = lines.slice(0, m.toggle.line).join('\n').length + 1;
    const text = m.text.slice(0, offset) + m.toggle.to + m.text.slice(offset + m.toggle.from.length);
    docs.set(uri, { uri, version: 2, text });
    c.change(uri, 2, [{ offset, length: m.toggle.from.length, text: m.toggle.to }], text.length);
    const second = await c.request(job(2));
    assert.deepEqual(second?.findings, diagnoseStackText('/w/cluster-stacks.yaml', text, { schemaRunsToo: true }));
  });

  it('drops a waiting request that a later one with the same key replaces', async () => {
    const { big, uri, docs } = bigAndSmall();
    const { c } = client(docs);
    await c.request(cloudsJob(uri, 1));
    const busy = c.request(cloudsJob(big, 1));
    const first = c.request(cloudsJob(uri, 1), 'k');
    const second = c.request(cloudsJob(uri, 1), 'k');
    assert.ok(await busy);
    assert.equal(await first, undefined);
    assert.ok(await second);
  });

  it('repairs a mirror that missed a change: the document is sent again and the request answered', async () => {
    const uri = 'file:///w/clouds.yaml';
    const text = CLOUDS.replace('RegionOne', '012345');
    const docs = new Map([[uri, { uri, version: 1, text: CLOUDS }]]);
    const { c } = client(docs);
    await c.request(cloudsJob(uri, 1));
    docs.set(uri, { uri, version: 3, text });
    // A change whose result has the wrong length: the worker's copy is no longer the host's.
    c.change(uri, 3, [{ offset: 0, length: 0, text: 'x' }], text.length);
    assert.deepEqual(await c.request(cloudsJob(uri, 3)), analyzeClouds({ clouds: { path: '/w/clouds.yaml', text } }));
  });

  it('forwards any method of the YAML service by name, with the schema kind the host gave', async () => {
    const file = serviceFile(
      'echo',
      'exports.createYamlService = (dir, kindOf) => ({ anyNewMethod: async (uri, n) => ({ dir, kind: kindOf(uri), n }) });',
    );
    const { c } = client(new Map(), { yamlServiceFile: file });
    c.schemaKind('file:///w/stack.yaml', 'stacks');
    assert.deepEqual(await c.request({ method: 'yaml', name: 'anyNewMethod', args: ['file:///w/stack.yaml', 7] }), {
      dir,
      kind: 'stacks',
      n: 7,
    });
    await assert.rejects(c.request({ method: 'yaml', name: 'missing', args: [] }), AnalysisUnavailable);
    // The proxy the editor uses: any method name, and it survives being returned from an async function.
    const service = await (async () => c.yamlService<{ anyNewMethod(uri: string, n: number): Promise<unknown> }>())();
    assert.deepEqual(await service.anyNewMethod('file:///w/stack.yaml', 8), { dir, kind: 'stacks', n: 8 });
    await assert.rejects(c.request({ method: 'yaml', name: 'anyNewMethod', args: [() => 1] }), (e: Error) => e.name === 'DataCloneError');
  });

  it('restarts after a crash with one line, mirroring the documents into the new worker', async () => {
    const uri = 'file:///w/clouds.yaml';
    const docs = new Map([[uri, { uri, version: 1, text: CLOUDS }]]);
    const { c, restarts } = client(docs);
    await c.request(cloudsJob(uri, 1));
    c.crashForTest();
    for (let i = 0; i < 200 && !restarts.length; i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal(restarts.length, 1);
    assert.match(
      restarts[0]!,
      /^The Cluster Stacks analysis worker stopped \(it failed \(Error\)\); it restarts with the next analysis\.$/,
    );
    assert.deepEqual(await c.request(cloudsJob(uri, 1)), analyzeClouds({ clouds: { path: '/w/clouds.yaml', text: CLOUDS } }));
    assert.equal(c.starts, 2);
  });

  it('retries a request once when the worker dies under it, then rejects it instead of looping', async () => {
    const { c, restarts } = client(new Map(), { yamlServiceFile: serviceFile('exits', 'process.exit(3);') });
    await assert.rejects(c.request({ method: 'yaml', name: 'validate', args: [] }), AnalysisUnavailable);
    assert.deepEqual(restarts, [
      'The Cluster Stacks analysis worker stopped (it exited (code 3)); restarted.',
      'The Cluster Stacks analysis worker stopped (it exited (code 3)); it restarts with the next analysis.',
    ]);
    assert.equal(c.running, false);
  });

  it('ends a worker that does not answer (a hang) and rejects the request after one retry', async () => {
    const file = serviceFile('spins', 'exports.createYamlService = () => ({ validate: () => { for (;;) {} } });');
    const { c, restarts } = client(new Map(), { yamlServiceFile: file, hangMs: 300 });
    await assert.rejects(c.request({ method: 'yaml', name: 'validate', args: [] }), AnalysisUnavailable);
    assert.equal(restarts.length, 2);
    assert.match(restarts[0]!, /did not answer within 0\.3 s\); restarted\.$/);
  });

  it('dispose ends the worker and rejects what is waiting and what comes after', async () => {
    const file = serviceFile('never', 'exports.createYamlService = () => ({ validate: () => new Promise(() => {}) });');
    const { c } = client(new Map(), { yamlServiceFile: file });
    const waiting = c.request({ method: 'yaml', name: 'validate', args: [] });
    assert.equal(c.running, true);
    c.dispose();
    await assert.rejects(waiting, AnalysisUnavailable);
    assert.equal(c.running, false);
    await assert.rejects(c.request({ method: 'yaml', name: 'validate', args: [] }), AnalysisUnavailable);
  });
});

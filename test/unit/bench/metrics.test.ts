// The benchmark's results format (bench/metrics.ts) and the README generator (bench/readme.ts): what a
// `npm run bench` writes must pass the same check the README generator and CI apply.
import * as assert from 'node:assert/strict';
import { type Metric, REQUIRED_METRICS, type Results, markdownTable, metric, percentile, validateResults } from '../../../bench/metrics';
import { readmeSection, replaceSection } from '../../../bench/readme';

const m = (samples: number[], extra: Partial<Parameters<typeof metric>[0]> = {}): Metric =>
  metric({ unit: 'ms', samples, workload: 'w', how: 'h', ...extra });

function results(metrics: Record<string, Metric>): Results {
  return { date: '2025-06-02T08:00:00.000Z', quick: false, machine: { cpus: 2, load: [1, 2, 3], node: 'v20' }, durationS: 60, metrics };
}

const complete = () =>
  results(
    Object.fromEntries(REQUIRED_METRICS.map((id) => [id, m([10, 20, 30], { peer: 'p', peerValue: 10, target: { op: '<=', value: 25 } })])),
  );

describe('bench results', () => {
  it('takes the nearest-rank percentile', () => {
    const xs = Array.from({ length: 20 }, (_, i) => 20 - i);
    assert.equal(percentile(xs, 95), 19);
    assert.equal(percentile(xs, 100), 20);
    assert.equal(percentile([7], 95), 7);
    assert.equal(percentile([], 95), undefined);
  });

  it('summarises samples, compares with the peer and judges the target', () => {
    const x = m([30, 10, 20, 40], { value: 'p95', peer: 'p', peerValue: 20, target: { op: '<=', value: 16 } });
    assert.deepEqual([x.value, x.median, x.min, x.max, x.runs, x.ratio, x.met], [40, 25, 10, 40, 4, 2, false]);
    assert.equal(m([5], { target: { op: '<=', value: 16 } }).met, true);
    assert.equal(m([20], { target: { op: '==', value: 20 } }).met, true);
    assert.equal(m([1]).met, null);
  });

  it('gives no value without samples, and then insists on a note', () => {
    assert.throws(() => m([]), /needs a note/);
    const x = m([], { note: 'not analysed', target: { op: '<=', value: 150 } });
    assert.equal(x.value, null);
    assert.equal(x.met, null);
  });

  it('reports a target missed when what it times never happened, and only then without a figure', () => {
    const x = m([], { note: 'no diagnostics within 3 s', missed: true, peer: 'p', target: { op: '<=', value: 150 } });
    assert.deepEqual([x.value, x.met], [null, false]);
    assert.deepEqual(validateResults(results({ ...complete().metrics, diagnostics_p95_ms_2000_clouds: x })), []);
    assert.throws(() => m([5], { note: 'n', missed: true, target: { op: '<=', value: 150 } }), /missed is for/);
    assert.throws(() => m([], { note: 'n', missed: true }), /missed is for/);
  });

  it('takes a ratio metric’s value as its ratio', () => {
    const x = m([0.5, 0.7], { unit: 'x', peer: 'kubectl', ratioIsValue: true });
    assert.deepEqual([x.value, x.ratio], [0.6, 0.6]);
  });

  it('accepts a complete document', () => {
    assert.deepEqual(validateResults(JSON.parse(JSON.stringify(complete()))), []);
  });

  it('names what is wrong with a document', () => {
    const r = complete();
    const { activation_ms: _dropped, ...rest } = r.metrics;
    assert.ok(validateResults({ ...r, metrics: rest }).includes('metric activation_ms missing'));
    const { peer: _peer, ratio: _ratio, ...peerless } = r.metrics.activation_ms;
    assert.ok(validateResults({ ...r, metrics: { ...r.metrics, activation_ms: peerless } }).includes('metric activation_ms has no peer'));
    const bad = (patch: Partial<Metric>) => validateResults(results({ ...r.metrics, vsix_bytes: { ...r.metrics.vsix_bytes, ...patch } }));
    assert.match(bad({ met: false }).join('\n'), /vsix_bytes: met \(false\) does not follow/);
    assert.match(bad({ unit: 'seconds' as 'ms' }).join('\n'), /vsix_bytes: unit seconds/);
    assert.match(bad({ value: null, met: null }).join('\n'), /vsix_bytes: value null without a note/);
    assert.match(validateResults({ ...r, date: 'yesterday' }).join('\n'), /date/);
    assert.match(validateResults({ ...r, machine: { cpus: 2 } }).join('\n'), /machine/);
  });

  it('renders every metric with its verdict', () => {
    const r = complete();
    const table = markdownTable(r);
    for (const id of REQUIRED_METRICS) assert.ok(table.includes(`\`${id}\``), id);
    assert.equal(table.split('\n').length, REQUIRED_METRICS.length + 2);
    assert.match(table, /≤ 25 ms: \*\*met\*\*/);
    const missed = markdownTable(results({ a: m([30], { target: { op: '<=', value: 25 } }) }));
    assert.match(missed, /≤ 25 ms: \*\*missed\*\*/);
  });

  it('replaces the README section between its markers', () => {
    const section = readmeSection(complete());
    assert.match(section, /^<!-- bench:begin -->\nMeasured 2025-06-02 08:00 UTC .* load average \(1\/5\/15 min\) 1\.0 \/ 2\.0 \/ 3\.0/);
    const readme = 'intro\n<!-- bench:begin -->\nold table\n<!-- bench:end -->\noutro\n';
    const out = replaceSection(readme, section);
    assert.ok(out.startsWith('intro\n<!-- bench:begin -->\nMeasured'));
    assert.ok(out.endsWith('<!-- bench:end -->\noutro\n'));
    assert.ok(!out.includes('old table'));
    assert.throws(() => replaceSection('no markers', section), /no <!-- bench:begin -->/);
  });
});

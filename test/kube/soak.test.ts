// The short fault soak of `npm test` (the long one is `npm run soak`): one minute of faults against the
// explorer's cache and the write path (test/soak/soak.ts), then every invariant; and each invariant
// check shown to fail on the kind of data a broken client would produce.
import * as assert from 'node:assert/strict';
import { checkFinal, checkRetries, checkWrites, diffModels, type OpRecord, runSoak, type ServedRequest } from '../soak/soak';
import type { TruthEvent } from '../soak/host';

const op = (o: Partial<OpRecord> & Pick<OpRecord, 'op' | 'outcome'>): OpRecord => ({
  kind: 'Secret',
  namespace: 't',
  name: 'soak-s0-0',
  start: 1000,
  end: 2000,
  unknown: false,
  ...o,
});
const ev = (e: Partial<TruthEvent>): TruthEvent => ({
  type: 'MODIFIED',
  at: 1500,
  rv: 10,
  kind: 'Secret',
  namespace: 't',
  name: 'soak-s0-0',
  consistent: true,
  ...e,
});

describe('fault soak invariants catch what they guard', () => {
  it('a lost write, a silent write, an interrupted write that landed and a half-written state', () => {
    assert.deepEqual(checkWrites([op({ op: 'apply', gen: 'g1', outcome: 'updated' })], [ev({ gen: 'g1' })]), []);
    assert.match(checkWrites([op({ op: 'apply', gen: 'g1', outcome: 'updated' })], [])[0], /^lost write/);
    assert.match(
      checkWrites([op({ op: 'patch', kind: 'Cluster', gen: 'g2', outcome: 'failed' })], [ev({ kind: 'Cluster', gen: 'g2' })])[0],
      /^silent write/,
    );
    assert.deepEqual(
      checkWrites(
        [op({ op: 'patch', kind: 'Cluster', gen: 'g2', outcome: 'failed', unknown: true })],
        [ev({ kind: 'Cluster', gen: 'g2' })],
      ),
      [],
    );
    assert.match(
      checkWrites([op({ op: 'interrupted', gen: 'g3', outcome: 'cancelled' })], [ev({ gen: 'g3' })])[0],
      /^interrupted write landed/,
    );
    assert.match(checkWrites([], [ev({ gen: 'g4', consistent: false })])[0], /^half-written/);
    assert.match(checkWrites([op({ op: 'delete', outcome: 'deleted' })], [])[0], /^lost write/);
    assert.match(checkWrites([op({ op: 'delete', outcome: 'failed' })], [ev({ type: 'DELETED' })])[0], /^silent write/);
  });

  it('the final state against the reports', () => {
    const initial = new Map([['Secret t/soak-s0-0', null]]);
    const ops = [op({ op: 'apply', gen: 'g1', outcome: 'created' }), op({ op: 'apply', gen: 'g2', outcome: 'failed' })];
    const final = (gen: string, consistent = true) => [{ kind: 'Secret' as const, namespace: 't', name: 'soak-s0-0', gen, consistent }];
    assert.deepEqual(checkFinal(ops, final('g1'), initial), []);
    assert.match(checkFinal(ops, final('g2'), initial)[0], /should hold g1, kubectl reads g2/);
    assert.match(checkFinal(ops, [], initial)[0], /should hold g1, kubectl reads nothing/);
    assert.match(checkFinal(ops, final('g1', false), initial)[0], /^half-written at the end/);
    assert.match(checkFinal([op({ op: 'delete', outcome: 'deleted' })], final('g1'), initial)[0], /should be absent/);
    assert.deepEqual(checkFinal([...ops, op({ op: 'apply', gen: 'g3', outcome: 'failed', unknown: true })], final('g3'), initial), []);
  });

  it('Retry-After not honoured, and a retry loop', () => {
    const r = (at: number, status = 200, retryAfter?: number): ServedRequest => ({
      method: 'GET',
      path: '/api/v1/secrets',
      status,
      at,
      user: 'u',
      retryAfter,
    });
    assert.deepEqual(checkRetries([r(0, 429, 2), r(2000)], ['u'], 25), []);
    assert.match(
      checkRetries([r(0, 429, 2), r(500)], ['u'], 25)[0],
      /Retry-After not honoured 1×: u GET \/api\/v1\/secrets \(first 500 ms/,
    );
    assert.deepEqual(checkRetries([r(0, 429, 2), r(500)], ['someone else'], 25), []);
    assert.match(
      checkRetries(
        Array.from({ length: 30 }, (_, i) => r(i * 10, 500)),
        ['u'],
        25,
      )[0],
      /retry loop: 30 requests within one second/,
    );
  });

  it("the explorer's model against the oracle's lists", () => {
    const o = (name: string, rv: string) => ({ metadata: { namespace: 't', name, resourceVersion: rv } });
    assert.deepEqual(diffModels({ secrets: [o('a', '1')] }, { secrets: [o('a', '1')] }), []);
    assert.match(diffModels({ secrets: [o('a', '1')] }, { secrets: [o('a', '2')] })[0], /secrets t\/a: cache rv 1, server rv 2/);
    assert.match(diffModels({}, { clusters: [o('c', '3')] })[0], /clusters t\/c: cache missing/);
    assert.match(diffModels({ namespaces: [o('gone', '4')] }, {})[0], /in the cache, not on the server/);
  });
});

describe('fault soak, short (test/soak: the explorer cache and the write path under one minute of faults)', function () {
  this.timeout(6 * 60_000);

  it('converges to what kubectl lists, loses and half-writes nothing, honours Retry-After, keeps memory bounded', async () => {
    const r = await runSoak({ minutes: 1 });
    console.log(
      `      soak: ${r.operations.writes} writes ${JSON.stringify(r.operations.byOutcome)}; faults ${JSON.stringify(r.faults)}; ` +
        `converged in ${r.convergenceS ?? '—'} s; lag p99 ${r.lagP99Ms} ms (max ${r.lagMaxMs} ms); heap peak ${r.peakHeapMb} MB, growth ${r.heapGrowthMb} MB; RSS peak ${r.peakRssMb} MB`,
    );
    assert.deepEqual(r.violations, []);
    // The faults really happened and the writers really wrote (a soak that injected nothing proves nothing).
    assert.ok(
      r.faults.requests429 > 0 && r.faults.requests500 > 0 && r.faults.answersLost > 0 && r.faults.execFailures > 0,
      JSON.stringify(r.faults),
    );
    assert.ok(r.faults.restarts > 0 && r.faults.restartsWith410 > 0 && r.faults.watchCuts > 0, JSON.stringify(r.faults));
    const done = Object.entries(r.operations.byOutcome).filter(([k]) => /:(created|updated|deleted)$/.test(k));
    assert.ok(done.length > 0, JSON.stringify(r.operations.byOutcome));
  });
});

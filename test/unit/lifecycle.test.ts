import * as assert from 'node:assert/strict';
import { AbortedError, delay, Disposable, DisposableStore, liveTimers, TaskSet, timeout, toDisposable } from '../../src/lifecycle';

describe('lifetimes (lifecycle.ts)', () => {
  it('a store disposes the last registered first, once, and keeps going when one dispose throws', () => {
    const order: string[] = [];
    const store = new DisposableStore();
    store.add(toDisposable(() => order.push('first')));
    store.add({
      dispose: () => {
        order.push('throws');
        throw new Error('boom');
      },
    });
    store.add(toDisposable(() => order.push('last')));
    store.dispose();
    store.dispose();
    assert.deepEqual(order, ['last', 'throws', 'first']);
    assert.equal(store.size, 0);
  });

  it('an entry can be taken back without being disposed; a late entry is disposed at once', () => {
    const order: string[] = [];
    const store = new DisposableStore();
    const kept = store.add(toDisposable(() => order.push('kept')));
    store.add(toDisposable(() => order.push('owned')));
    store.delete(kept);
    assert.equal(store.size, 1);
    store.dispose();
    assert.deepEqual(order, ['owned']);
    store.add(toDisposable(() => order.push('late')));
    assert.deepEqual(order, ['owned', 'late']);
  });

  it('Disposable subclasses register and unregister through the same store', () => {
    const order: string[] = [];
    class Owner extends Disposable {
      readonly a = this._register(toDisposable(() => order.push('a')));
      readonly b = this._register(toDisposable(() => order.push('b')));
      release(): void {
        this._unregister(this.a);
      }
    }
    const o = new Owner();
    o.release();
    o.dispose();
    assert.deepEqual(order, ['b']);
  });

  it('timeout counts as live until it fires or is cancelled', async () => {
    const before = liveTimers();
    let fired = 0;
    const t1 = timeout(10, () => fired++);
    const t2 = timeout(10_000, () => fired++);
    assert.equal(liveTimers(), before + 2);
    t2.dispose();
    t2.dispose();
    assert.equal(liveTimers(), before + 1);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(fired, 1);
    assert.equal(liveTimers(), before);
    t1.dispose();
    assert.equal(liveTimers(), before);
  });

  it('delay ends early when woken, rejects when aborted, and never leaves its timer', async () => {
    const before = liveTimers();
    let wake: (() => void) | undefined;
    const woken = delay(60_000, undefined, (w) => (wake = w));
    assert.equal(liveTimers(), before + 1);
    wake?.();
    await woken;
    assert.equal(liveTimers(), before);
    const ac = new AbortController();
    const aborted = delay(60_000, ac.signal);
    ac.abort();
    await assert.rejects(aborted, AbortedError);
    assert.equal(liveTimers(), before);
    await assert.rejects(delay(1, ac.signal), AbortedError, 'an already aborted signal rejects at once');
  });

  it('a task set aborts its running tasks when disposed or when their own cancel signal aborts', async () => {
    const tasks = new TaskSet();
    const poll = (signal: AbortSignal) =>
      (async () => {
        for (;;) await delay(20, signal);
      })();
    const cancel = new AbortController();
    const a = tasks.run(poll);
    const b = tasks.run(poll, cancel.signal);
    assert.equal(tasks.size, 2);
    cancel.abort();
    await assert.rejects(b, AbortedError);
    assert.equal(tasks.size, 1);
    tasks.dispose();
    await assert.rejects(a, AbortedError);
    assert.equal(tasks.size, 0);
    await assert.rejects(tasks.run(poll), AbortedError, 'a task started after dispose is aborted from the start');
  });
});

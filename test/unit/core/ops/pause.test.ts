import * as assert from 'node:assert/strict';
import { jsonPatch } from '../../../emulator/patch';
import { PAUSED_ANNOTATION, pauseState, planPause } from '../../../../src/core/ops/pause';
import { clusterStatus } from '../../../../src/core/capi/status';
import { cluster, fixture } from './tenant';

describe('ops: pause and resume', () => {
  it('pause sets spec.paused in both versions; the status model then reads the cluster as paused', () => {
    for (const v of ['v1beta1', 'v1beta2'] as const) {
      const c = planPause(cluster(v), true);
      assert.deepEqual(c.patch.slice(1), [{ op: 'add', path: '/spec/paused', value: true }]);
      assert.deepEqual(jsonPatch(cluster(v) as never, c.patch), c.result);
      assert.deepEqual(c.applyConfiguration?.spec, { paused: true });
      assert.equal(clusterStatus(c.result).health, 'paused');
      assert.match(c.effect, /stops reconciling.*TopologyReconciled turns False with reason Paused/);
      assert.equal(pauseState(c.result).paused, true);
    }
  });

  it('resume: v1beta1 removes the field (false is omitted), v1beta2 writes false', () => {
    const p1 = planPause(cluster('v1beta1'), true).result;
    const r1 = planPause(p1, false);
    assert.deepEqual(r1.patch.slice(1), [{ op: 'remove', path: '/spec/paused' }]);
    assert.equal((r1.result.spec as Record<string, unknown>).paused, undefined);
    const p2 = planPause(cluster('v1beta2'), true).result;
    const r2 = planPause(p2, false);
    assert.deepEqual(r2.patch.slice(1), [{ op: 'replace', path: '/spec/paused', value: false }]);
    assert.equal(pauseState(r2.result).paused, false);
  });

  it('resume also removes the paused annotation (it pauses too), and says so', () => {
    const fx = fixture('clusters/v1alpha3-paused.yaml');
    const c = cluster();
    c.metadata = { ...c.metadata, annotations: { [PAUSED_ANNOTATION]: '' } };
    assert.deepEqual(pauseState(c).by, ['annotation']);
    const r = planPause(c, false);
    assert.deepEqual(r.patch.slice(1), [{ op: 'remove', path: `/metadata/annotations/${PAUSED_ANNOTATION.replace('/', '~1')}` }]);
    assert.equal(r.applyConfiguration, undefined);
    assert.match(r.warnings.join(), /annotation also pauses it/);
    assert.equal(pauseState(fx).paused, true);
  });

  it('pausing a paused or deleting cluster says so', () => {
    const p = planPause(planPause(cluster(), true).result, true);
    assert.deepEqual(
      p.patch.filter((o) => o.op !== 'test'),
      [],
    );
    assert.match(p.warnings.join(), /already paused/);
    const deleting = fixture('clusters/v1beta2-scs-topology-deleting-derived.yaml');
    assert.match(planPause(deleting, true).warnings.join(), /being deleted: while paused, the deletion does not progress/);
  });
});

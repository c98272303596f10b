/**
 * The cluster actions' JSON patches (upgrade, scale, pause/resume) applied by an independent RFC 6902
 * implementation, Debian's python3-jsonpatch: it must produce exactly the Cluster the action shows as its
 * result, and must refuse the patch when the object changed since it was read (the resourceVersion test).
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { KubeObject } from '../../src/core/capi/types';
import type { ClusterChange } from '../../src/core/ops/change';
import { planPause } from '../../src/core/ops/pause';
import { AUTOSCALER_MAX_ANNOTATION, AUTOSCALER_MIN_ANNOTATION, planScale, type MachineDeploymentScale } from '../../src/core/ops/scale';
import { upgradeTargets } from '../../src/core/ops/upgrade';
import { cluster, tenant } from '../unit/core/ops/tenant';
import { runPythonOracle } from './pythonOracle';

type PatchCase = { doc: unknown; ops: unknown };
type PatchResult = { ok: boolean; doc?: unknown; error?: string };

function pythonJsonPatch(cases: readonly PatchCase[]): PatchResult[] {
  return runPythonOracle<PatchResult[]>('jsonpatch_oracle.py', { cases }, 'python3-jsonpatch');
}

/** A cluster with 1-3 MachineDeployments, some with metadata and autoscaler annotations. */
const clusterArb = fc
  .record({
    v2: fc.boolean(),
    cp: fc.option(fc.constantFrom(1, 3), { nil: undefined }),
    mds: fc.array(
      fc.record({ replicas: fc.option(fc.nat(9), { nil: undefined }), meta: fc.constantFrom('none', 'labels', 'autoscaler') }),
      { minLength: 1, maxLength: 3 },
    ),
  })
  .map(({ v2, cp, mds }) => {
    const c = cluster(v2 ? 'v1beta2' : 'v1beta1') as KubeObject & { spec: { topology: Record<string, unknown> } };
    c.spec.topology.controlPlane = cp === undefined ? {} : { replicas: cp };
    c.spec.topology.workers = {
      machineDeployments: mds.map((m, i) => ({
        class: 'default-worker',
        name: `md-${i}`,
        ...(m.replicas === undefined ? {} : { replicas: m.replicas }),
        ...(m.meta === 'labels' ? { metadata: { labels: { tier: 'x' } } } : {}),
        ...(m.meta === 'autoscaler'
          ? { metadata: { annotations: { [AUTOSCALER_MIN_ANNOTATION]: '1', [AUTOSCALER_MAX_ANNOTATION]: '4' } } }
          : {}),
      })),
    };
    return c;
  });

const requestArb = fc.record({
  controlPlaneReplicas: fc.option(fc.constantFrom(1, 3, 5), { nil: undefined }),
  machineDeployments: fc.array(
    fc.record({
      name: fc.constantFrom('md-0', 'md-1', 'md-2'),
      replicas: fc.option(fc.nat(9), { nil: undefined }),
      autoscaler: fc.option(fc.oneof(fc.constant(null), fc.record({ min: fc.nat(3), max: fc.integer({ min: 3, max: 9 }) })), {
        nil: undefined,
      }),
    }),
    { maxLength: 3 },
  ),
});

describe('conformance: cluster action patches vs python3-jsonpatch', function () {
  this.timeout(120_000);

  it('upgrade, pause and resume: the patched Cluster is the shown result; a changed resourceVersion makes the patch fail', () => {
    const changes: { doc: KubeObject; change: ClusterChange }[] = [];
    for (const v of ['v1beta1', 'v1beta2'] as const) {
      const c = cluster(v);
      for (const t of upgradeTargets({ cluster: c, ...tenant() }).targets) if (t.change) changes.push({ doc: c, change: t.change });
      const paused = planPause(c, true);
      changes.push({ doc: c, change: paused });
      changes.push({ doc: paused.result, change: planPause(paused.result, false) });
    }
    assert.equal(changes.length, 8);
    const stale = changes.map(({ doc, change }) => ({
      doc: { ...doc, metadata: { ...doc.metadata, resourceVersion: '9999' } },
      ops: change.patch,
    }));
    const results = pythonJsonPatch([...changes.map(({ doc, change }) => ({ doc, ops: change.patch })), ...stale]);
    changes.forEach(({ change }, i) => {
      assert.ok(results[i].ok, results[i].error);
      assert.deepEqual(results[i].doc, change.result, change.summary);
    });
    for (const r of results.slice(changes.length)) assert.equal(r.ok, false);
  });

  it('scale: random clusters and requests; every patch that is not refused applies to the shown result', () => {
    const cases = fc.sample(fc.tuple(clusterArb, requestArb), { numRuns: 400, seed: 7 });
    const sent: { doc: KubeObject; change: ClusterChange }[] = [];
    let refused = 0;
    for (const [doc, req] of cases) {
      const change = planScale({ cluster: doc }, { ...req, machineDeployments: req.machineDeployments as MachineDeploymentScale[] });
      if (change.refused) refused++;
      else sent.push({ doc, change });
    }
    const results = pythonJsonPatch(sent.map(({ doc, change }) => ({ doc, ops: change.patch })));
    sent.forEach(({ change }, i) => {
      assert.ok(results[i].ok, `${change.summary}: ${results[i].error}`);
      assert.deepEqual(results[i].doc, change.result, change.summary);
    });
    console.log(`      ${sent.length} scale patches applied identically, ${refused} requests refused before sending`);
    assert.ok(sent.length > 100 && refused > 10);
  });
});

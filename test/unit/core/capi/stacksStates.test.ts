/**
 * ClusterStack / ClusterStackRelease readiness on the states the cluster-stack operator writes (fixtures/states).
 * The retrying release was "failed" before issue #11 (Warning was read as failure).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { clusterStackState, releaseState } from '../../../../src/core/capi/stacks';
import type { KubeObject } from '../../../../src/core/capi/types';

const STATES = path.resolve(__dirname, '../../../fixtures/states');
const docs = (file: string): KubeObject[] =>
  yaml.loadAll(fs.readFileSync(path.join(STATES, file), 'utf8')).filter((d): d is KubeObject => !!d && typeof d === 'object');

describe('cluster-stack operator states (fixtures/states)', () => {
  const [stack, release] = docs('clusterstack-release-retrying.yaml');

  it('a release the operator retries (HelmChartApplied False ObjectsApplyingOngoing Warning) is progressing, not failed (clusterstackrelease_controller.go:198-205)', () => {
    const r = releaseState(release);
    assert.equal(r.readiness, 'progressing');
    assert.equal(
      r.reason,
      'retrying: failed to successfully apply everything (ObjectsApplyingOngoing; the operator tries again every 20 s)',
    );
  });

  it('a real apply failure stays failed (FailedToApplyObjects, severity Error, clusterstackrelease_controller.go:309-312)', () => {
    const failed = JSON.parse(JSON.stringify(release)) as { status: { conditions: Record<string, unknown>[] } };
    for (const c of failed.status.conditions)
      if (c.type === 'Ready' || c.type === 'HelmChartApplied')
        Object.assign(c, { reason: 'FailedToApplyObjects', severity: 'Error', message: 'failed to apply' });
    assert.equal(releaseState(failed as KubeObject).readiness, 'failed');
  });

  it('reads the summary in the dash form the operator writes and offers the dot form of spec.versions (util.go:35-37)', () => {
    const s = clusterStackState(stack);
    assert.deepEqual(
      s.versions.map((v) => [v.summaryName, v.version, v.ready]),
      [
        ['v1-alpha-0', 'v1-alpha.0', true],
        ['v1-alpha-1', 'v1-alpha.1', false],
      ],
    );
    // every summary version is one of spec.versions once converted
    const spec = (stack as { spec: { versions: string[] } }).spec.versions;
    assert.ok(s.versions.every((v) => spec.includes(v.version)));
    assert.equal(s.readiness, 'progressing');
    assert.equal(s.reason, 'v1-alpha.1: applying objects (ObjectsApplyingOngoing)');
  });

  it('reads latestRelease as the ClusterClass name (dot form) and the Kubernetes version (clusterstack_controller.go:228-229)', () => {
    assert.deepEqual(clusterStackState(stack).latest, { clusterClass: 'openstack-scs2-1-33-v1-alpha.0', kubernetesVersion: 'v1.33.4' });
    assert.equal(clusterStackState({ ...stack, status: {} }).latest, undefined);
  });

  it('names the provider object: template kind minus "Template" (clusterstack_controller.go:289)', () => {
    const withProvider = {
      ...release,
      spec: {
        providerRef: {
          apiVersion: 'infrastructure.clusterstack.x-k8s.io/v1alpha1',
          kind: 'OpenStackClusterStackRelease',
          name: 'openstack-scs-1-29-v1',
          namespace: 'my-tenant',
        },
      },
    };
    assert.deepEqual(releaseState(withProvider).providerRef, { kind: 'OpenStackClusterStackRelease', name: 'openstack-scs-1-29-v1' });
    assert.equal(releaseState(release).providerRef, undefined);
  });
});

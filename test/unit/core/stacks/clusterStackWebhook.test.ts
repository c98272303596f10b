/**
 * ClusterStack validation is no stricter than the cluster-stack operator's webhook and CRD
 * (SovereignCloudStack/cluster-stack-operator@b3680fb api/v1alpha1/clusterstack_webhook.go, clusterstack_types.go):
 * what they accept is at most a warning, worded as what goes wrong later and where.
 */
import * as assert from 'node:assert/strict';
import { buildClusterStack, validateClusterStack } from '../../../../src/core/stacks/clusterStack';
import { previewRelease, validateCsctlConfig, type ReleasePreview } from '../../../../src/core/stacks/authoring';
import { SCS2 } from './choices';

const sev = (issues: { code: string; severity: string }[]) => issues.map((i) => `${i.code}:${i.severity}`).sort();

describe('stacks: ClusterStack rules follow the webhook, not stricter', () => {
  it('"-" in provider or name passes ValidateCreate (clusterstack_webhook.go:64-92): warnings that say the releases will not parse', () => {
    const issues = validateClusterStack(buildClusterStack({ ...SCS2, provider: 'my-cloud', name: 'scs-2' }));
    assert.deepEqual(sev(issues), ['CSK103:warning', 'CSK109:warning']);
    for (const i of issues) assert.match(i.message, /API server accepts it .* cannot parse them back/);
  });

  it('a provider that is no DNS label is a csctl matter, not a webhook one (csctl config.go:69-75)', () => {
    const [i] = validateClusterStack(buildClusterStack({ ...SCS2, provider: 'OpenStack' }));
    assert.equal(i.severity, 'warning');
    assert.match(i.message, /csctl refuses it as a provider type/);
  });

  it('kubernetesVersion "1.0" matches the CRD pattern ^\\d\\.\\d+$: a warning (the operator rejects 0 later, kubernetesversion.go:86-95)', () => {
    assert.deepEqual(sev(validateClusterStack(buildClusterStack({ ...SCS2, kubernetesVersion: '1.0' }))), ['CSK112:warning']);
    // what the CRD pattern refuses stays an error
    assert.deepEqual(sev(validateClusterStack(buildClusterStack({ ...SCS2, kubernetesVersion: '1.33.4' }))), ['CSK104:error']);
  });

  it('on update the webhook checks only immutability (clusterstack_webhook.go:95-141): versions and providerRef are warnings then', () => {
    const old = buildClusterStack(SCS2);
    const next = buildClusterStack({ ...SCS2, versions: ['v1', 'v2.0'] }) as unknown as { spec: Record<string, unknown> };
    delete next.spec.noProvider;
    assert.deepEqual(sev(validateClusterStack(next, old)), ['CSK106:warning', 'CSK107:warning']);
    // the same object as a create is refused
    assert.deepEqual(sev(validateClusterStack(next)), ['CSK106:error', 'CSK107:error']);
    // an immutable field still refuses the update
    assert.deepEqual(sev(validateClusterStack(buildClusterStack({ ...SCS2, name: 'scs3' }), old)), ['CSK108:error']);
  });

  it('csctl.yaml: csctl accepts "-" in provider type and stack name (config.go:61-79), so the preview still works', () => {
    const csctl = {
      apiVersion: 'csctl.clusterstack.x-k8s.io/v1alpha1',
      config: { kubernetesVersion: 'v1.33.4', clusterStackName: 'scs-2', provider: { type: 'open-stack', apiVersion: 'x/v1' } },
    };
    assert.deepEqual(sev(validateCsctlConfig(csctl)), ['CSK305:warning', 'CSK305:warning']);
    assert.equal((previewRelease({ csctl, mode: 'stable' }) as ReleasePreview).clusterClass, 'open-stack-scs-2-1-33-v1');
  });
});

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as fc from 'fast-check';
import * as yaml from 'js-yaml';
import {
  clusterClassName,
  clusterStackId,
  clusterStackReleaseName,
  isParsed,
  parseClusterClassName,
  parseClusterStackReleaseName,
  parseKubernetesMinor,
  parseStackVersion,
  releaseNameOfClass,
  validateDnsLabel,
} from '../../../../src/core/stacks/names';

const FIXTURES = path.resolve(__dirname, '../../../fixtures');
const loadAll = (rel: string): Record<string, unknown>[] =>
  yaml.loadAll(fs.readFileSync(path.join(FIXTURES, rel), 'utf8')) as Record<string, unknown>[];

describe('stacks: cluster-stack names (CSO pkg/clusterstack, pkg/version)', () => {
  it('accepts the versions version.New accepts and rejects the documented disallowed ones', () => {
    for (const ok of ['v1', 'v12', 'v1-alpha.1', 'v1-alpha.0', 'v0-sha.lvlvyfw']) assert.ok(parseStackVersion(ok), ok);
    // "Sample disallowed inputs" of pkg/version New
    for (const bad of ['v1-alpha', 'v1-alpha-1.0', 'v1-alpha-1.0.0', 'v1-alpha.', 'v1.0-alpha.1', '1', 'V1', ''])
      assert.equal(parseStackVersion(bad), undefined, bad);
    assert.deepEqual(parseStackVersion('v0-sha.lvlvyfw'), { major: 0, channel: 'sha', patch: 'lvlvyfw' });
  });

  it('Kubernetes minor: "1.33" yes, "1.0", "0.1", "1.33.4" no', () => {
    assert.deepEqual(parseKubernetesMinor('1.33'), { major: 1, minor: 33 });
    for (const bad of ['1.0', '0.1', '1.33.4', 'v1.33', '1']) assert.equal(parseKubernetesMinor(bad), undefined, bad);
  });

  it('names the ClusterClass and ClusterStackRelease of every fixture ClusterStack version as the fixtures do', () => {
    // scs2 README ClusterStack (versions v1, v2) → fixture releases openstack-scs2-1-33-v1 / -v2
    const cs = loadAll('clusterstack/scs2-clusterstack-v1-ready-v2-downloading-derived.yaml')[0];
    const spec = cs.spec as { provider: string; name: string; kubernetesVersion: string; versions: string[] };
    const releases = [
      'clusterstack/scs2-clusterstackrelease-ready-derived.yaml',
      'clusterstack/scs2-clusterstackrelease-downloading-derived.yaml',
    ].map((f) => (loadAll(f)[0].metadata as { name: string }).name);
    const names = spec.versions.map((v) => clusterStackReleaseName(clusterStackId(spec.provider, spec.name, spec.kubernetesVersion, v)!));
    assert.deepEqual(names.sort(), releases.sort());
    // the ready release lists its ClusterClass under status.resources
    const ready = loadAll('clusterstack/scs2-clusterstackrelease-ready-derived.yaml')[0] as {
      status: { resources: { kind: string; name: string }[] };
    };
    const cc = ready.status.resources.find((r) => r.kind === 'ClusterClass')!.name;
    assert.equal(clusterClassName(clusterStackId(spec.provider, spec.name, spec.kubernetesVersion, 'v1')!), cc);
  });

  it('parses every topology.class of the fixture Clusters back (5 parts)', () => {
    for (const f of fs.readdirSync(path.join(FIXTURES, 'topology'))) {
      const c = loadAll(`topology/${f}`)[0] as { spec: { topology: { class?: string; classRef?: { name: string } } } };
      const name = c.spec.topology.class ?? c.spec.topology.classRef!.name;
      const id = parseClusterClassName(name);
      assert.ok(isParsed(id), `${f}: ${name}`);
      assert.equal(clusterClassName(id), name);
    }
  });

  it('hash-mode names: the class keeps the dot, the release uses dashes (6 vs 7 parts), and they map onto each other', () => {
    const id = clusterStackId('openstack', 'scs2', '1.33', 'v0-sha.abc1234')!;
    assert.equal(clusterClassName(id), 'openstack-scs2-1-33-v0-sha.abc1234');
    assert.equal(clusterStackReleaseName(id), 'openstack-scs2-1-33-v0-sha-abc1234');
    assert.equal(releaseNameOfClass(clusterClassName(id)), clusterStackReleaseName(id));
    const back = parseClusterStackReleaseName('openstack-scs2-1-33-v0-sha-abc1234');
    assert.ok(isParsed(back));
    assert.deepEqual(back, id);
  });

  it('rejects names the webhook rejects, saying why', () => {
    assert.equal(parseClusterClassName('openstack-scs2-1-33'), 'parts');
    assert.equal(parseClusterClassName('openstack-my-stack-1-33-v1'), 'kubernetes'); // a "-" in the stack name shifts the parts
    assert.equal(parseClusterClassName('-scs2-1-33-v1'), 'provider');
    assert.equal(parseClusterClassName('openstack-scs2-1-33-1'), 'version');
  });

  it('property: format then parse is the identity for every valid id (both spellings)', () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
    const version = fc.oneof(
      fc.nat(99).map((n) => `v${n}`),
      fc.tuple(fc.nat(9), fc.stringMatching(/^[a-z]{1,6}$/), fc.stringMatching(/^[a-z0-9]{1,7}$/)).map(([m, c, p]) => `v${m}-${c}.${p}`),
    );
    fc.assert(
      fc.property(word, word, fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 40 }), version, (p, n, maj, min, v) => {
        const id = clusterStackId(p, n, `${maj}.${min}`, v)!;
        assert.deepEqual(parseClusterClassName(clusterClassName(id)), id);
        assert.deepEqual(parseClusterStackReleaseName(clusterStackReleaseName(id)), id);
      }),
    );
  });
});

describe('stacks: DNS labels (namespaces, ServiceAccounts, Cluster names)', () => {
  // The good and bad values of kubernetes/apimachinery@eed236ce pkg/util/validation/validation_test.go:27 (TestIsDNS1123Label).
  it('accepts and refuses what apimachinery IsDNS1123Label does, with a reason', () => {
    const good = ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '012', '1a', '1-a', '1--a--b--2', 'a'.repeat(63)];
    const bad = ['', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '-1', '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2'];
    bad.push('.', 'a.', '.a', 'a.b', '1.', '.1', '1.2', ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2', 'a'.repeat(64));
    for (const v of good) assert.equal(validateDnsLabel(v), undefined, v);
    for (const v of bad) assert.ok(validateDnsLabel(v), JSON.stringify(v));
    assert.equal(validateDnsLabel(''), 'Required');
    assert.equal(validateDnsLabel('a'.repeat(64)), 'At most 63 characters');
  });
});

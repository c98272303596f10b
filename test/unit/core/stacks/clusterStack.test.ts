import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { buildClusterStack, expectedReleases, validateClusterStack } from '../../../../src/core/stacks/clusterStack';
import { diagnoseStackText } from '../../../../src/core/stacks/diagnose';
import { SCS2 } from './choices';

const FIXTURES = path.resolve(__dirname, '../../../fixtures');
const read = (rel: string): string => fs.readFileSync(path.join(FIXTURES, rel), 'utf8');
const first = (rel: string): Record<string, unknown> => yaml.loadAll(read(rel))[0] as Record<string, unknown>;
const codes = (issues: { code: string }[]): string[] => issues.map((i) => i.code).sort();

describe('stacks: ClusterStack manifest and webhook rules', () => {
  it('generates exactly the scs2 README ClusterStack (noProvider) from its choices', () => {
    assert.deepEqual(buildClusterStack(SCS2), first('clusterstack/scs2-readme-clusterstack-spec.yaml'));
  });

  it('generates the quickstart ClusterStack with a CSPO providerRef', () => {
    const want = first('clusterstack/quickstart-clusterstack-with-cspo-template-spec.yaml');
    const got = buildClusterStack({
      ...SCS2,
      objectName: 'clusterstack',
      namespace: 'my-tenant',
      name: 'scs',
      kubernetesVersion: '1.29',
      providerRef: {
        apiVersion: 'infrastructure.clusterstack.x-k8s.io/v1alpha1',
        kind: 'OpenStackClusterStackReleaseTemplate',
        name: 'cspotemplate',
      },
    });
    assert.deepEqual(got, want);
  });

  it('every fixture ClusterStack passes (no errors)', () => {
    for (const f of fs.readdirSync(path.join(FIXTURES, 'clusterstack'))) {
      for (const d of yaml.loadAll(read(`clusterstack/${f}`)) as Record<string, unknown>[]) {
        if (d.kind !== 'ClusterStack') continue;
        const errors = validateClusterStack(d).filter((i) => i.severity === 'error');
        assert.deepEqual(errors, [], f);
      }
    }
  });

  it('rejects what the webhook rejects: bad versions (located per item), missing providerRef', () => {
    const cs = buildClusterStack({ ...SCS2, versions: ['v1', 'v1.0', 'v2-alpha'] }) as unknown as { spec: Record<string, unknown> };
    delete cs.spec.noProvider;
    const issues = validateClusterStack(cs);
    assert.deepEqual(codes(issues), ['CSK106', 'CSK106', 'CSK107']);
    assert.deepEqual(
      issues.filter((i) => i.code === 'CSK106').map((i) => i.path),
      [
        ['spec', 'versions', 1],
        ['spec', 'versions', 2],
      ],
    );
    assert.match(issues.find((i) => i.code === 'CSK107')!.message, /empty provider ref, even though noProvider mode is turned off/);
  });

  it('rejects CRD-level errors and warns about a "-" in the name (the operator cannot parse the release names back)', () => {
    const cs = {
      apiVersion: 'clusterstack.x-k8s.io/v1alpha1',
      kind: 'ClusterStack',
      spec: { provider: '', name: 'my-stack', kubernetesVersion: '1.33.4', channel: 'beta', noProvider: true, autoSubscribe: false },
    };
    assert.deepEqual(
      validateClusterStack(cs)
        .map((i) => `${i.code}:${i.severity}`)
        .sort(),
      ['CSK101:error', 'CSK103:warning', 'CSK104:error', 'CSK105:error'],
    );
  });

  it('on update: provider, name, channel and kubernetesVersion are immutable, versions are not', () => {
    const old = buildClusterStack(SCS2);
    const next = buildClusterStack({ ...SCS2, kubernetesVersion: '1.34', channel: 'custom', versions: ['v1', 'v2'] });
    const issues = validateClusterStack(next, old);
    assert.deepEqual(issues.map((i) => i.path.join('.')).sort(), ['spec.channel', 'spec.kubernetesVersion']);
    assert.ok(issues.every((i) => i.code === 'CSK108'));
    assert.deepEqual(validateClusterStack(buildClusterStack({ ...SCS2, versions: ['v1', 'v2'] }), old), []);
  });

  it('autoSubscribe left out is worth an info (it defaults to true)', () => {
    const cs = buildClusterStack(SCS2) as unknown as { spec: Record<string, unknown> };
    delete cs.spec.autoSubscribe;
    const issues = validateClusterStack(cs);
    assert.deepEqual(
      issues.map((i) => [i.code, i.severity]),
      [['CSK110', 'info']],
    );
  });

  it('lists the releases and classes the operator will create', () => {
    const spec = (first('clusterstack/scs2-clusterstack-v1-ready-v2-downloading-derived.yaml') as { spec: unknown }).spec;
    assert.deepEqual(expectedReleases(spec), [
      { version: 'v1', clusterStackRelease: 'openstack-scs2-1-33-v1', clusterClass: 'openstack-scs2-1-33-v1' },
      { version: 'v2', clusterStackRelease: 'openstack-scs2-1-33-v2', clusterClass: 'openstack-scs2-1-33-v2' },
    ]);
  });

  it('locates findings in a multi-document text: the bad version item, in the second document', () => {
    const text = `${read('clusterstack/quickstart-clusterstack-with-cspo-template-spec.yaml')}---\n${yaml.dump(buildClusterStack({ ...SCS2, versions: ['v1', 'v1.2'] }))}`;
    const findings = diagnoseStackText('stacks.yaml', text);
    assert.equal(findings.length, 1);
    const f = findings[0];
    assert.equal(f.code, 'CSK106');
    const line = text.split('\n')[f.range.start.line];
    assert.equal(line.slice(f.range.start.character, f.range.end.character), 'v1.2');
  });

  it('with schemaRunsToo, leaves CRD-level checks to the schema but keeps the webhook ones', () => {
    const text =
      'apiVersion: clusterstack.x-k8s.io/v1alpha1\nkind: ClusterStack\nmetadata: {name: x}\nspec:\n  provider: openstack\n  name: scs2\n  kubernetesVersion: "1.33.1"\n  autoSubscribe: false\n  versions: [v1]\n';
    assert.deepEqual(
      diagnoseStackText('a.yaml', text).map((f) => f.code),
      ['CSK104', 'CSK107'],
    );
    assert.deepEqual(
      diagnoseStackText('a.yaml', text, { schemaRunsToo: true }).map((f) => f.code),
      ['CSK107'],
    );
  });
});

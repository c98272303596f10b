import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { stackManifest } from '../../../../bench/data';
import { diagnoseStackText } from '../../../../src/core/stacks/diagnose';
import { documentChunks, StackDiagnoser } from '../../../../src/core/stacks/incremental';
import { classOffer, type TenantFacts } from '../../../../src/core/stacks/topology';

const FIXTURES = path.resolve(__dirname, '../../../fixtures');
const SCS2_CLASS = yaml.loadAll(
  fs.readFileSync(path.join(FIXTURES, 'clusterclass/openstack-scs2-1-34-v1-clusterclass-derived.yaml'), 'utf8'),
)[0];

/** A tenant with class openstack-scs2-1-33-v1 (the 1-34 fixture class renamed) and no releases: the live checks report on it. */
function tenant(): TenantFacts {
  const offer = { ...classOffer(SCS2_CLASS), name: 'openstack-scs2-1-33-v1' };
  return { classes: new Map([[offer.name, offer]]), releases: new Map() };
}

describe('stacks: per-document diagnostics of a manifest', () => {
  it('splits a stream at its --- lines only, keeping every character and the first line of each document', () => {
    const text = 'a: 1\n---\nb: |\n  --- not a marker\n--- # c\nc: 3\n---\n';
    const chunks = documentChunks(text);
    assert.deepEqual(
      chunks.map((c) => c.line),
      [0, 1, 4, 6],
    );
    assert.equal(chunks.map((c) => c.text).join(''), text);
    assert.deepEqual(documentChunks(''), [{ line: 0, text: '' }]);
  });

  it('gives the findings the whole-stream rules give, at the same places, across edits', () => {
    const m = stackManifest(200_000);
    const file = '/w/cluster-stacks.yaml';
    const d = new StackDiagnoser();
    const lines = m.text.split('\n');
    const variants = [
      m.text,
      [...lines.slice(0, m.toggle.line), m.toggle.to, ...lines.slice(m.toggle.line + 1)].join('\n'),
      m.text.replace('kind: ClusterStack', 'kind: ClusterStack\nspec: [broken'),
      m.text.replace('  provider: openstack', '  provider: 42'),
      m.text,
    ];
    for (const text of variants) {
      const whole = diagnoseStackText(file, text, { schemaRunsToo: true });
      assert.deepEqual(d.diagnose(file, text, { schemaRunsToo: true }).findings, whole);
      assert.ok(whole.length > 0);
    }
  });

  it('checks a document again when the facts of its namespace change, and reports the namespaces asked about', () => {
    const m = stackManifest(50_000);
    const file = '/w/cluster-stacks.yaml';
    const d = new StackDiagnoser();
    const without = d.diagnose(file, m.text);
    assert.ok(without.namespaces.includes('tenant-0000'));
    assert.ok(!without.findings.some((f) => f.code === 'CSK205'));
    const facts = tenant();
    const factsFor = (ns: string | undefined) => (ns === 'tenant-0000' ? facts : undefined);
    const withFacts = d.diagnose(file, m.text, { factsFor });
    assert.deepEqual(withFacts.findings, diagnoseStackText(file, m.text, { factsFor }));
    assert.notDeepEqual(withFacts.findings, without.findings, 'the live checks ran with the new facts');
  });

  it('leaves files without cluster-stack documents alone, and checks authoring files whole', () => {
    const d = new StackDiagnoser();
    assert.deepEqual(d.diagnose('/w/other.yaml', 'a: 1\n---\nb: 2\n'), { findings: [], namespaces: [] });
    const csctl = 'apiVersion: csctl.clusterstack.x-k8s.io/v1alpha1\nconfig:\n  kubernetesVersion: 1.33\n---\nx: 1\n';
    assert.deepEqual(d.diagnose('/w/csctl.yaml', csctl).findings, diagnoseStackText('/w/csctl.yaml', csctl));
  });
});

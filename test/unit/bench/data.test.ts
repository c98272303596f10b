// The edit benchmark's premise (bench/data.ts): in the generated files the toggled line adds exactly the
// expected finding and the sentinel finding is always there, so diagnostics without the sentinel are
// no analysis and "finding gone" is a real result.
import * as assert from 'node:assert/strict';
import { cloudsYaml, explorerSeed, stackManifest } from '../../../bench/data';
import { analyzeClouds } from '../../../src/core/clouds';
import { diagnoseStackText } from '../../../src/core/stacks/diagnose';

const toggled = (text: string, t: { line: number; from: string; to: string }) => {
  const lines = text.split('\n');
  assert.equal(lines[t.line], t.from);
  lines[t.line] = t.to;
  return lines.join('\n');
};
const at = (fs: readonly { code: string; range: { start: { line: number } } }[]) => fs.map((f) => `${f.code}@${f.range.start.line}`).sort();

describe('bench data', () => {
  it('clouds.yaml: the sentinel always, the toggled finding only after the toggle', () => {
    const g = cloudsYaml(40);
    const findings = (text: string) => analyzeClouds({ clouds: { path: '/b/clouds.yaml', text } }).findings.get('/b/clouds.yaml') ?? [];
    assert.equal(analyzeClouds({ clouds: { path: '/b/clouds.yaml', text: g.text } }).clouds.length, 40);
    assert.deepEqual(at(findings(g.text)), [`${g.sentinel.code}@${g.sentinel.line}`]);
    assert.deepEqual(
      at(findings(toggled(g.text, g.toggle))),
      [`${g.sentinel.code}@${g.sentinel.line}`, `${g.toggle.code}@${g.toggle.line}`].sort(),
    );
  });

  it('cluster-stack manifest: at least the size asked for, the sentinel always, the toggled finding after the toggle', () => {
    const g = stackManifest(60_000);
    assert.ok(g.text.length >= 60_000, `${g.text.length} chars`);
    assert.ok(g.text.split('\n---\n').length > 20);
    const findings = (text: string) => diagnoseStackText('/b/cluster-stacks.yaml', text, { schemaRunsToo: true });
    assert.deepEqual(at(findings(g.text)), [`${g.sentinel.code}@${g.sentinel.line}`]);
    assert.deepEqual(
      at(findings(toggled(g.text, g.toggle))),
      [`${g.sentinel.code}@${g.sentinel.line}`, `${g.toggle.code}@${g.toggle.line}`].sort(),
    );
  });

  it('explorer seed: per tenant a Secret, ClusterStack, ClusterResourceSet and the clusters', () => {
    const seed = explorerSeed(3, 4) as { kind: string; metadata: { namespace: string } }[];
    assert.equal(seed.length, 3 * (3 + 4));
    assert.equal(seed.filter((o) => o.kind === 'Cluster').length, 12);
    assert.deepEqual([...new Set(seed.map((o) => o.metadata.namespace))], ['tenant-0000', 'tenant-0001', 'tenant-0002']);
  });
});

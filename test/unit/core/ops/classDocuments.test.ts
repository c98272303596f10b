// Which class a Cluster document uses, found in documents, and its variable schema applied by the
// editor's yaml-language-server service (src/editor/yamlService.ts) as a per-call extra schema.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { clusterClassesIn, clusterClassRefs, variablesSchemaFor } from '../../../../src/core/ops/classDocuments';
import { createYamlService } from '../../../../src/editor/yamlService';

const CLASS = `apiVersion: cluster.x-k8s.io/v1beta1
kind: ClusterClass
metadata:
  name: small
  namespace: tenant-a
spec:
  variables:
    - name: region
      required: true
      schema:
        openAPIV3Schema:
          type: string
          description: The OpenStack region.
    - name: flavor
      required: false
      schema:
        openAPIV3Schema:
          type: string
          enum: [SCS-2V-4, SCS-4V-8]
          description: Worker flavor.
    - name: mtu
      required: false
      schema:
        openAPIV3Schema:
          type: integer
          minimum: 1280
          description: Network MTU.
`;

const cluster = (topology: string, variables: string, namespace = 'tenant-a') => `apiVersion: cluster.x-k8s.io/v1beta2
kind: Cluster
metadata:
  name: c1
  namespace: ${namespace}
spec:
  topology:
${topology}
    version: v1.34.2
    controlPlane:
      replicas: 1
    workers:
      machineDeployments:
        - class: default-worker
          name: md-0
          replicas: 1
          variables:
            overrides:
              - name: flavor
                value: SCS-8V-16
    variables:
${variables}`;

const V1BETA2 = '    classRef:\n      name: small';

describe('ops: ClusterClasses and class references in YAML documents', () => {
  it('finds the ClusterClass documents of a stream, also after a broken document', () => {
    const text = `${CLASS}---\nkind: ConfigMap\napiVersion: v1\nmetadata: {name: x}\n---\nkey: [unclosed\n---\n${CLASS.replace('name: small', 'name: big')}`;
    assert.deepEqual(
      clusterClassesIn(text).map((c) => (c.metadata as { name: string }).name),
      ['small', 'big'],
    );
    assert.deepEqual(clusterClassesIn('kind: ClusterClass\napiVersion: v1\nmetadata: {name: x}\n'), []);
  });

  it('reads the class of v1beta1 and v1beta2 topologies with their namespaces', () => {
    assert.deepEqual(clusterClassRefs(cluster(V1BETA2, '      []')), [{ name: 'small', namespace: 'tenant-a' }]);
    assert.deepEqual(clusterClassRefs(cluster('    classRef:\n      name: small\n      namespace: shared', '      []')), [
      { name: 'small', namespace: 'shared' },
    ]);
    const v1beta1 = cluster('    class: small\n    classNamespace: shared', '      []').replace('v1beta2', 'v1beta1');
    assert.deepEqual(clusterClassRefs(v1beta1), [{ name: 'small', namespace: 'shared' }]);
    assert.deepEqual(clusterClassRefs(CLASS), []);
  });

  it('gives no schema when the class is unknown or in another namespace', () => {
    const classes = clusterClassesIn(CLASS);
    assert.equal(variablesSchemaFor(clusterClassRefs(cluster('    class: other', '      []')), classes), undefined);
    assert.equal(variablesSchemaFor(clusterClassRefs(cluster(V1BETA2, '      []', 'tenant-b')), classes), undefined);
    assert.ok(variablesSchemaFor(clusterClassRefs(cluster(V1BETA2, '      []')), classes));
  });
});

describe('editor: yaml service with the class variables as extra schema', () => {
  const service = createYamlService(path.resolve(__dirname, '../../../../schemas'), () => 'stacks');
  let n = 0;
  const run = async (text: string) => {
    const extra = variablesSchemaFor(clusterClassRefs(text), clusterClassesIn(CLASS));
    return { extra, diagnostics: await service.validate(`file:///c${n++}.yaml`, 1, text, extra) };
  };
  const at = (text: string, d: { range: { start: { line: number; character: number }; end: { character: number } } }) =>
    text.split('\n')[d.range.start.line].slice(d.range.start.character, d.range.end.character);

  it('flags an unknown variable, a wrong type and an override outside the enum at their values', async () => {
    const text = cluster(
      V1BETA2,
      '      - name: region\n        value: RegionOne\n      - name: mtu\n        value: "9000"\n      - name: nope\n        value: 1\n',
    );
    const { diagnostics } = await run(text);
    assert.deepEqual(
      diagnostics.map((d) => at(text, d)).sort(),
      ['"9000"', 'SCS-8V-16', 'nope'],
      diagnostics.map((d) => d.message).join(' | '),
    );
  });

  it('a missing required variable is flagged; the same text without the extra schema is clean', async () => {
    const text = cluster(V1BETA2, '      - name: mtu\n        value: 1500\n').replace('SCS-8V-16', 'SCS-4V-8');
    const { diagnostics } = await run(text);
    assert.deepEqual(
      diagnostics.map((d) => d.message),
      ['required variable "region" must be set'],
    );
    assert.deepEqual(await service.validate('file:///plain.yaml', 1, text), []);
  });

  it('completes variable names and enum values, hovers the description', async () => {
    const text = cluster(V1BETA2, '      - name: \n').replace('SCS-8V-16', '');
    const { extra } = await run(text);
    const lines = text.split('\n');
    const nameLine = lines.length - 2;
    const names = (await service.complete('file:///k.yaml', 1, text, { line: nameLine, character: 14 }, extra)).items.map((i) => i.label);
    assert.deepEqual([...names].sort(), ['flavor', 'mtu', 'region']);
    const valueLine = lines.findIndex((l) => l.trim() === 'value:');
    const values = (
      await service.complete('file:///k.yaml', 1, text, { line: valueLine, character: lines[valueLine].length + 1 }, extra)
    ).items.map((i) => i.label);
    assert.ok(values.includes('SCS-2V-4') && values.includes('SCS-4V-8'), values.join(', '));
    const hoverText = cluster(V1BETA2, '      - name: mtu\n        value: 1500\n');
    const hover = await service.hover('file:///h.yaml', 1, hoverText, { line: hoverText.split('\n').length - 2, character: 10 }, extra);
    assert.match(JSON.stringify(hover?.contents), /Network MTU/);
  });
});

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService, type Diagnostic } from 'yaml-language-server';
import { clusterVariablesDocumentSchema } from '../../../../src/core/ops/jsonSchema';
import { classVariables } from '../../../../src/core/ops/variables';
import * as yaml from 'js-yaml';
import { orderForm, orderManifest } from '../../../../src/core/ops/order';
import { clusterClass, fixture, readyRelease } from './tenant';

const SCHEMAS = path.resolve(__dirname, '../../../../schemas');
const SCS2 = fixture('clusterclass/openstack-scs2-1-34-v1-clusterclass-derived.yaml');
const STRICT = {
  metadata: { name: 'strict-class' },
  spec: { variables: [{ name: 'region', required: true, schema: { openAPIV3Schema: { type: 'string', description: 'The region.' } } }] },
};

let docCount = 0;

/**
 * yaml-language-server (the editor's engine) with the generated schema beside the project's
 * stacks-manifests schema, the way the editor will combine them: allOf of both.
 */
function service(): {
  validate(text: string): Promise<Diagnostic[]>;
  complete(text: string, line: number, character: number): Promise<string[]>;
  hover(text: string, line: number, character: number): Promise<string>;
} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-schema-'));
  for (const f of fs.readdirSync(SCHEMAS)) fs.copyFileSync(path.join(SCHEMAS, f), path.join(dir, f));
  fs.writeFileSync(
    path.join(dir, 'cluster-variables.schema.json'),
    JSON.stringify(clusterVariablesDocumentSchema([classVariables(SCS2), classVariables(STRICT)])),
  );
  fs.writeFileSync(
    path.join(dir, 'cluster-with-variables.schema.json'),
    JSON.stringify({
      $schema: 'http://json-schema.org/draft-07/schema#',
      allOf: [{ $ref: 'stacks-manifests.schema.json' }, { $ref: 'cluster-variables.schema.json' }],
    }),
  );
  const ls = getLanguageService({
    schemaRequestService: async (uri) => fs.promises.readFile(fileURLToPath(uri), 'utf8'),
    workspaceContext: { resolveRelativePath: (relative, resource) => new URL(relative, resource).toString() },
  });
  ls.configure({ validate: true, hover: true, completion: true, format: false, yamlVersion: '1.2' });
  ls.registerCustomSchemaProvider(async () => pathToFileURL(path.join(dir, 'cluster-with-variables.schema.json')).toString());
  const doc = (text: string) => TextDocument.create(`file:///cluster${docCount++}.yaml`, 'yaml', 1, text);
  return {
    validate: (text) => ls.doValidation(doc(text), false),
    complete: async (text, line, character) => (await ls.doComplete(doc(text), { line, character }, false)).items.map((i) => i.label),
    hover: async (text, line, character) => {
      const h = await ls.doHover(doc(text), { line, character });
      const c = h?.contents as { value?: string } | string | undefined;
      return typeof c === 'string' ? c : (c?.value ?? '');
    },
  };
}

const cluster = (variables: string, cls = 'openstack-scs2-1-34-v1') => `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: c1
  namespace: my-tenant
  labels:
    managed-secret: clouds-yaml
spec:
  topology:
    class: ${cls}
    version: v1.34.2
    controlPlane:
      replicas: 1
    workers:
      machineDeployments:
        - class: default-worker
          name: md-0
          replicas: 1
    variables:
${variables}`;

const at = (text: string, d: Diagnostic) => text.split('\n')[d.range.start.line].slice(d.range.start.character, d.range.end.character);

describe('ops: generated variable schema in yaml-language-server', () => {
  const ls = service();

  it('accepts a Cluster with valid variables (and the other fixtures stay clean)', async () => {
    const text = cluster(`      - name: workerFlavor
        value: SCS-4V-8
      - name: dnsNameservers
        value: ["9.9.9.9"]
      - name: identityRef
        value: {name: openstack, cloudName: openstack}
      - name: workerAdditionalBlockDevices
        value: [{name: data, sizeGiB: 20}]
`);
    assert.deepEqual(
      (await ls.validate(text)).map((d) => d.message),
      [],
    );
    for (const f of ['topology/scs2-readme-cluster-v1beta1.yaml', 'topology/scs-quickstart-cluster-v1beta1.yaml'])
      assert.deepEqual(
        (await ls.validate(fs.readFileSync(path.join(__dirname, '../../../fixtures', f), 'utf8'))).map((d) => d.message),
        [],
        f,
      );
  });

  it('flags a wrong type, an unknown field, an unknown variable, at the value', async () => {
    const text = cluster(`      - name: networkMTU
        value: "1500"
      - name: identityRef
        value: {name: openstack, region: x}
      - name: nope
        value: 1
`);
    const diags = await ls.validate(text);
    assert.deepEqual(diags.map((d) => at(text, d)).sort(), ['"1500"', 'nope', 'region'].sort(), diags.map((d) => d.message).join(' | '));
  });

  it('a required variable without default must be set; present, it passes', async () => {
    const missing = cluster(
      `      - name: other
        value: 1
`,
      'strict-class',
    );
    const messages = (await ls.validate(missing)).map((d) => d.message);
    assert.ok(messages.includes('required variable "region" must be set'), messages.join(' | '));
    assert.deepEqual(
      (await ls.validate(cluster(`      - name: region\n        value: RegionOne\n`, 'strict-class'))).map((d) => d.message),
      [],
    );
  });

  it('the Cluster an order produces is clean in yaml-language-server too', async () => {
    const cc = clusterClass('openstack-scs2-1-34-v1');
    const releases = [readyRelease('openstack-scs2-1-34-v1', 'v1.34.2')];
    const model = orderForm({ clusterClass: cc, releases });
    const r = orderManifest(
      model,
      {
        name: 'shop',
        controlPlaneReplicas: 3,
        workers: [{ class: 'default-worker', name: 'md-0', replicas: 2 }],
        variables: { workerRootDisk: 40, securityGroups: ['web'], oidcConfig: { clientID: 'kubectl', issuerURL: 'https://dex.example' } },
      },
      { clusterClass: cc, releases },
    );
    assert.equal(r.ok, true);
    assert.deepEqual(
      (await ls.validate(yaml.dump(r.manifest))).map((d) => d.message),
      [],
    );
  });

  it('completion offers the class’s variable names; hover shows the variable’s description', async () => {
    const text = cluster(`      - name: \n`);
    const line = text.split('\n').length - 2;
    const names = await ls.complete(text, line, '      - name: '.length);
    for (const n of ['imageName', 'workerFlavor', 'identityRef', 'oidcConfig']) assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
    const hoverText = cluster(`      - name: networkMTU\n        value: 1500\n`);
    const hoverLine = hoverText.split('\n').length - 2;
    assert.match(await ls.hover(hoverText, hoverLine, '        val'.length), /maximum transmission unit/);
  });
});

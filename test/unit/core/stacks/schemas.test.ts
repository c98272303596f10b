import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService, type Diagnostic } from 'yaml-language-server';
import { diagnoseStackText } from '../../../../src/core/stacks/diagnose';

const SCHEMAS = path.resolve(__dirname, '../../../../schemas');
const FIXTURES = path.resolve(__dirname, '../../../fixtures');

/** Unique per text: yaml-language-server caches parsed documents by URI and version across services. */
let docCount = 0;

/** yaml-language-server (the engine the editor runs in-process) with one of our schemas for every document. */
function validator(schemaFile: string): (text: string) => Promise<Diagnostic[]> {
  const service = getLanguageService({
    schemaRequestService: async (uri) => fs.promises.readFile(fileURLToPath(uri), 'utf8'),
    workspaceContext: { resolveRelativePath: (relative, resource) => new URL(relative, resource).toString() },
  });
  service.configure({ validate: true, hover: false, completion: false, format: false, yamlVersion: '1.2' });
  service.registerCustomSchemaProvider(async () => pathToFileURL(path.join(SCHEMAS, schemaFile)).toString());
  return (text) => service.doValidation(TextDocument.create(`file:///doc${docCount++}.yaml`, 'yaml', 1, text), false);
}

const slice = (text: string, d: Diagnostic): string =>
  text.split('\n')[d.range.start.line].slice(d.range.start.character, d.range.end.character);

describe('stacks: JSON schemas through yaml-language-server', () => {
  const manifests = validator('stacks-manifests.schema.json');

  it('the fixture ClusterStacks and topology Clusters (and other kinds in the same file) validate', async () => {
    for (const dir of ['clusterstack', 'topology']) {
      for (const f of fs.readdirSync(path.join(FIXTURES, dir))) {
        const diags = await manifests(fs.readFileSync(path.join(FIXTURES, dir, f), 'utf8'));
        assert.deepEqual(
          diags.map((d) => d.message),
          [],
          `${dir}/${f}`,
        );
      }
    }
  });

  it("a ClusterStack with kubernetesVersion 1.33.4 is flagged there (the version list is the webhook rules' job: no double report)", async () => {
    const text = fs
      .readFileSync(path.join(FIXTURES, 'clusterstack/scs2-readme-clusterstack-spec.yaml'), 'utf8')
      .replace('"1.33"', '"1.33.4"')
      .replace('- v1', '- v1.0');
    const diags = await manifests(text);
    assert.deepEqual(
      diags.map((d) => slice(text, d)),
      ['"1.33.4"'],
    );
    const rules = diagnoseStackText('stack.yaml', text, { schemaRunsToo: true });
    assert.deepEqual(
      rules.map((f) => [f.code, text.split('\n')[f.range.start.line].slice(f.range.start.character, f.range.end.character)]),
      [['CSK106', 'v1.0']],
    );
  });

  it('a topology Cluster with version 1.33.4 (no v) is flagged; a Cluster without topology is left alone', async () => {
    const text = fs
      .readFileSync(path.join(FIXTURES, 'topology/scs2-readme-cluster-v1beta2-derived.yaml'), 'utf8')
      .replace('version: v1.33.4', 'version: 1.33.4');
    const diags = await manifests(text);
    assert.deepEqual(
      diags.map((d) => slice(text, d)),
      ['1.33.4'],
    );
    assert.deepEqual(
      await manifests('apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata: {name: x}\nspec: {paused: true}\n'),
      [],
    );
  });

  it('csctl.yaml, clusteraddon.yaml, node-images.yaml: the real files validate, mistakes do not', async () => {
    const dir = path.join(FIXTURES, 'stacks-authoring');
    const csctl = validator('csctl.schema.json');
    const text = fs.readFileSync(path.join(dir, 'csctl.yaml'), 'utf8');
    assert.deepEqual(await csctl(text), []);
    const bad = text.replace('v1.34.7', '1.34');
    assert.deepEqual(
      (await csctl(bad)).map((d) => slice(bad, d)),
      ['1.34'],
    );
    assert.deepEqual(await validator('csctl-clusteraddon.schema.json')(fs.readFileSync(path.join(dir, 'clusteraddon.yaml'), 'utf8')), []);
    const addonBad = fs.readFileSync(path.join(dir, 'clusteraddon.yaml'), 'utf8').replace('action: apply', 'action: install');
    assert.equal((await validator('csctl-clusteraddon.schema.json')(addonBad)).length, 1);
    assert.deepEqual(await validator('csctl-node-images.schema.json')(fs.readFileSync(path.join(dir, 'node-images.yaml'), 'utf8')), []);
  });
});

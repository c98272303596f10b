// topology.variables of a Cluster document inside a real VS Code, checked against its ClusterClass by
// the in-process yaml-language-server: a ClusterClass file in the workspace, and a class that exists only
// in the live tenant (the emulator over HTTPS, the kubeconfig's current context). Completion offers the
// class's variable names and a variable's enum values, hover shows the description, a wrong type, an
// unknown variable and a missing required variable are diagnostics at the right place; a Cluster of an
// unknown class keeps its plain schema (no variable errors).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import * as vscode from 'vscode';
import { type Emulator, startEmulator } from '../../emulator';
import { activatedExtension, waitFor, workspaceFolder } from '../helpers';
import { trackEmulator } from '../leak/ledger';

const CTX = 'vars-it';

const classYaml = (name: string, namespace: string) => `apiVersion: cluster.x-k8s.io/v1beta1
kind: ClusterClass
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  variables:
    - name: region
      required: true
      schema:
        openAPIV3Schema:
          type: string
          description: The OpenStack region of ${name}.
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
          description: Network MTU of the private network.
`;

const clusterYaml = (cls: string, namespace: string, variables: string) => `apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata:
  name: c1
  namespace: ${namespace}
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

const labels = (list: vscode.CompletionList) => list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));

async function completions(uri: vscode.Uri, pos: vscode.Position): Promise<string[]> {
  return labels(await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, pos));
}

async function hoverText(uri: vscode.Uri, pos: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos);
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

const schemaDiagnostics = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source?.startsWith('yaml-schema'));

describe('Cluster documents: topology.variables from the ClusterClass', function () {
  this.timeout(60_000);
  const dir = vscode.Uri.joinPath(workspaceFolder(), 'cluster-variables');
  const write = async (name: string, text: string) => {
    const uri = vscode.Uri.joinPath(dir, name);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    return uri;
  };

  before(async () => {
    await activatedExtension();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(dir, { recursive: true });
  });

  it('a ClusterClass file in the workspace: completion of names and enum values, hover, and located diagnostics', async () => {
    await write('class.yaml', classYaml('ws-class', 'tenant-a'));
    const text = clusterYaml(
      'ws-class',
      'tenant-a',
      '      - name: mtu\n        value: "9000"\n      - name: nope\n        value: 1\n      - name: flavor\n        value: SCS-9V-9\n',
    );
    const uri = await write('cluster.yaml', text);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const lines = text.split('\n');
    const line = (s: string) => lines.findIndex((l) => l === s);

    // the wrong type and the value outside the enum at the value, the unknown variable at its name, the
    // missing required variable on the list
    const flavorLine = line('        value: SCS-9V-9');
    const diags = await waitFor('variable diagnostics', () => {
      const d = schemaDiagnostics(uri);
      return d.length >= 4 ? d : undefined;
    });
    assert.deepEqual(
      diags.map((d) => `${d.range.start.line}:${doc.getText(d.range)}: ${d.message}`).sort(),
      [
        `${line('    variables:') + 1}:${doc.getText(diags.find((d) => d.message.startsWith('required'))?.range)}: required variable "region" must be set`,
        `${line('      - name: nope')}:nope: Value is not accepted. Valid values: "region", "flavor", "mtu".`,
        `${line('        value: "9000"')}:"9000": Incorrect type. Expected "integer".`,
        `${flavorLine}:SCS-9V-9: Value is not accepted. Valid values: "SCS-2V-4", "SCS-4V-8".`,
      ].sort(),
    );

    const names = await completions(uri, new vscode.Position(line('      - name: nope'), '      - name: '.length));
    for (const n of ['region', 'flavor', 'mtu']) assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
    const values = await completions(uri, new vscode.Position(flavorLine, '        value: '.length));
    assert.ok(values.includes('SCS-2V-4') && values.includes('SCS-4V-8'), values.join(', '));
    assert.match(await hoverText(uri, new vscode.Position(line('        value: "9000"'), 10)), /Network MTU of the private network/);
  });

  it('a Cluster of a class nobody knows keeps its plain schema: no variable errors', async () => {
    // one error of the plain schema (replicas must be an integer) shows the document has been validated
    const text = clusterYaml('no-such-class', 'tenant-a', '      - name: anything\n        value: "x"\n').replace(
      'replicas: 1',
      'replicas: one',
    );
    const uri = await write('unknown.yaml', text);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const replicasLine = text.split('\n').indexOf('      replicas: one');
    await waitFor('plain schema diagnostic', () => (schemaDiagnostics(uri).length ? true : undefined));
    assert.deepEqual(
      schemaDiagnostics(uri).map((d) => `${d.range.start.line}: ${d.message}`),
      [`${replicasLine}: Incorrect type. Expected "integer".`],
    );
    const names = await completions(uri, new vscode.Position(doc.lineCount - 3, '      - name: '.length));
    assert.ok(!names.includes('region'), names.join(', '));
  });

  describe('a class that exists only in the live tenant', () => {
    let em: Emulator;
    let tmp: string;
    const config = () => vscode.workspace.getConfiguration('clusterStacks');

    before(async () => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vars-it-'));
      em = await startEmulator({
        name: CTX,
        seed: [
          { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tenant-live' } },
          yaml.load(classYaml('live-class', 'tenant-live')) as never,
        ],
      });
      trackEmulator(em);
      const kubeconfig = path.join(tmp, 'admin.kubeconfig');
      fs.writeFileSync(kubeconfig, em.kubeconfig(), { mode: 0o600 });
      await config().update('kubeconfigPaths', [kubeconfig], vscode.ConfigurationTarget.Global);
    });

    after(async () => {
      await config().update('kubeconfigPaths', undefined, vscode.ConfigurationTarget.Global);
      await em?.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    });

    it('validates and hovers against the live ClusterClass once the tenant facts are read', async () => {
      const text = clusterYaml('live-class', 'tenant-live', '      - name: region\n        value: 7\n');
      const file = path.join(tmp, 'live-cluster.yaml');
      fs.writeFileSync(file, text);
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      await vscode.window.showTextDocument(doc);
      const valueLine = text.split('\n').indexOf('        value: 7');
      const diag = await waitFor(
        'live variable diagnostic',
        () => schemaDiagnostics(doc.uri).find((d) => d.range.start.line === valueLine),
        20_000,
      );
      assert.equal(doc.getText(diag.range), '7');
      assert.match(await hoverText(doc.uri, new vscode.Position(valueLine, 10)), /The OpenStack region of live-class/);
    });
  });
});

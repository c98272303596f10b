// clouds.yaml / secure.yaml / cloud.conf in a real VS Code: lenses, preview (= the CLI's output),
// masking, diagnostics, quick fixes, schema completion and hover, bad inputs.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activatedExtension, waitFor, workspaceFolder } from '../helpers';
import { SECRETS } from '../secrets';

const SOURCE = 'cluster-stacks';
const PREVIEW = 'clusterStacks.previewCloudConf';
const REVEAL = 'clusterStacks.preview.revealSecrets';
const PUSH = 'clusterStacks.pushToTenant';

// Placeholders only. The secrets are distinctive so the masking checks can look for them.
const APP_SECRET = SECRETS['editor.appCredSecret'];
const PASSWORD = SECRETS['editor.password'];
const CLOUDS = `clouds:
  app-cred:
    auth:
      auth_url: https://keystone.example.com:5000/v3
      application_credential_id: 0123456789abcdef0123456789abcdef
    region_name: RegionOne
    auth_type: v3applicationcredential
  by-password:
    auth:
      auth_url: https://keystone.example.com:5000/v3
      username: demo
      user_domain_name: Default
      project_id: 4f0e5a3b2c1d4e5f8a9b0c1d2e3f4a5b
    region_name: RegionTwo
    identity_api_version: 3
  third:
    auth:
      auth_url: https://keystone.example.com:5000/v3
      application_credential_id: fedcba9876543210
      application_credential_secret: "${SECRETS['editor.thirdCloudSecret']}"
    region_name: RegionOne
    auth_type: v3applicationcredential
`;
const SECURE = `clouds:
  app-cred:
    auth:
      application_credential_secret: '${APP_SECRET.replace(/'/g, "''")}'
  by-password:
    auth:
      password: '${PASSWORD}'
`;

let dirCounter = 0;
/** Writes files into a fresh folder of the test workspace and returns their URIs by name. */
async function writeFiles(files: Record<string, string | Uint8Array>): Promise<Record<string, vscode.Uri>> {
  const dir = vscode.Uri.joinPath(workspaceFolder(), `editor-${++dirCounter}`);
  const out: Record<string, vscode.Uri> = {};
  for (const [name, content] of Object.entries(files)) {
    const uri = vscode.Uri.joinPath(dir, name);
    await vscode.workspace.fs.writeFile(uri, typeof content === 'string' ? new TextEncoder().encode(content) : content);
    out[name] = uri;
  }
  return out;
}

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

function codeOf(d: vscode.Diagnostic): string {
  return String(typeof d.code === 'object' ? d.code.value : d.code);
}

/** Waits until our diagnostics of `uri` satisfy `ok`. */
function diagnosticsWhere(uri: vscode.Uri, what: string, ok: (ds: vscode.Diagnostic[]) => boolean, timeoutMs = 10_000) {
  return waitFor(what, () => (ok(ours(uri)) ? ours(uri) : undefined), timeoutMs);
}

async function lenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 1000)) ?? [];
}

function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `${needle} is in the fixture`);
  return i;
}

/** `cluster-stacks cloud-conf` from the built CLI, run the way a user runs it. */
function cli(ext: vscode.Extension<unknown>, args: string[]): string {
  return execFileSync(process.execPath, [path.join(ext.extensionPath, 'dist', 'cli.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', OS_CLOUD: '' },
  });
}

async function openPreview(uri: vscode.Uri, cloud: string): Promise<vscode.TextDocument> {
  const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>(PREVIEW, uri, cloud);
  assert.ok(editor, 'the preview opened');
  return editor.document;
}

describe('editor: clouds.yaml and cloud.conf', function () {
  this.timeout(60_000);
  let ext: vscode.Extension<unknown>;

  before(async () => {
    ext = await activatedExtension();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows "Preview cloud.conf" and a problem summary above every cloud of a multi-cloud file', async () => {
    const { 'clouds.yaml': uri } = await writeFiles({ 'clouds.yaml': CLOUDS, 'secure.yaml': SECURE });
    await vscode.window.showTextDocument(uri);
    const all = await waitFor('lenses', async () => {
      const ls = await lenses(uri);
      return ls.length ? ls : undefined;
    });
    const hasPush = (await vscode.commands.getCommands(true)).includes(PUSH);
    for (const cloud of ['app-cred', 'by-password', 'third']) {
      const line = lineOf(CLOUDS, `  ${cloud}:`);
      const titles = all.filter((l) => l.range.start.line === line).map((l) => l.command?.title ?? '');
      assert.equal(titles[0], 'Preview cloud.conf', `first lens of ${cloud}`);
      assert.match(
        titles[1] ?? '',
        /^(no problems|\d+ (errors?|warnings?|infos?)(, \d+ (warnings?|infos?))*)$/,
        `summary lens of ${cloud}`,
      );
      assert.equal(titles.includes('Push to tenant…'), hasPush, 'the push lens follows the push command');
      assert.equal(titles.includes('Test connection'), hasPush, 'the test lens is there in a trusted workspace');
      assert.equal(titles.length, hasPush ? 4 : 2);
    }
    assert.equal(all.length, 3 * (hasPush ? 4 : 2), 'no lens outside the clouds');
    const test = all.find((l) => l.command?.title === 'Test connection');
    if (hasPush)
      assert.deepEqual(
        [test?.command?.command, ...(test?.command?.arguments ?? []).map(String)],
        ['clusterStacks.testConnection', uri.toString(), 'app-cred'],
      );
    const preview = all.find((l) => l.command?.title === 'Preview cloud.conf');
    assert.deepEqual(preview?.command?.arguments?.map(String), [uri.toString(), 'app-cred']);
  });

  it('follows a change of clusterStacks.cloudsYaml.fileNames without a reload (the setting is cached per document)', async () => {
    // No top-level `clouds:`, so only its name can make it a clouds.yaml.
    const { 'my-clouds.yaml': uri } = await writeFiles({ 'my-clouds.yaml': 'profiles: {}\n' });
    const editor = await vscode.window.showTextDocument(uri);
    const edit = () => editor.edit((e) => e.insert(new vscode.Position(0, 0), '# edited\n'));
    const setting = vscode.workspace.getConfiguration('clusterStacks.cloudsYaml');
    const defaults = setting.inspect<string[]>('fileNames')?.defaultValue ?? [];
    await edit();
    assert.deepEqual(ours(uri), [], 'not a clouds.yaml by the default names');
    try {
      await setting.update('fileNames', [...defaults, '**/my-clouds.yaml'], vscode.ConfigurationTarget.Global);
      await edit();
      await diagnosticsWhere(uri, 'findings once the name is a clouds.yaml name', (ds) => ds.length > 0);
    } finally {
      await setting.update('fileNames', undefined, vscode.ConfigurationTarget.Global);
    }
    await edit();
    await diagnosticsWhere(uri, 'no findings once the name is dropped again', (ds) => ds.length === 0);
  });

  it("the problem summary counts the cloud's findings", async () => {
    const text = `clouds:\n  broken:\n    auth:\n      username: demo\n  fine:\n    auth:\n      auth_url: https://k.example.com/v3\n      application_credential_id: abc\n      application_credential_secret: def\n    region_name: RegionOne\n    auth_type: v3applicationcredential\n`;
    const { 'clouds.yaml': uri } = await writeFiles({ 'clouds.yaml': text });
    await vscode.workspace.openTextDocument(uri);
    const diags = await diagnosticsWhere(uri, 'diagnostics on the broken cloud', (ds) => ds.length > 0);
    const brokenLast = lineOf(text, '  fine:');
    const inBroken = diags.filter((d) => d.range.start.line < brokenLast);
    const errors = inBroken.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
    const all = await lenses(uri);
    const summary = all.find((l) => l.range.start.line === lineOf(text, '  broken:') && l.command?.title !== 'Preview cloud.conf');
    assert.ok(errors > 0, 'the cloud without auth_url and region has errors');
    assert.match(summary?.command?.title ?? '', new RegExp(`^${errors} errors?`));
    assert.equal(summary?.command?.command, 'workbench.actions.view.problems');
  });

  it('preview equals `cluster-stacks cloud-conf` once revealed, masks secrets before, and follows edits', async () => {
    const files = await writeFiles({ 'clouds.yaml': CLOUDS, 'secure.yaml': SECURE });
    const uri = files['clouds.yaml']!;
    const source = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(source);
    const preview = await openPreview(uri, 'app-cred');
    assert.equal(preview.uri.scheme, 'cloud-conf-preview');
    assert.equal(preview.languageId, 'cloud-conf');

    const masked = preview.getText();
    assert.ok(!masked.includes(APP_SECRET), 'the secret is masked');
    assert.ok(!masked.includes('S3cr3t'), 'no part of the secret is shown');
    assert.match(masked, /application-credential-secret="•+"/);

    const expected = cli(ext, ['cloud-conf', '--cloud', 'app-cred', '--secure', files['secure.yaml']!.fsPath, uri.fsPath]);
    await vscode.commands.executeCommand(REVEAL, preview.uri);
    const revealed = await waitFor('revealed preview', () => (preview.getText() !== masked ? preview.getText() : undefined));
    assert.equal(revealed, expected);

    // An edit of the clouds.yaml (not saved) reaches the preview after the debounce.
    const edit = new vscode.WorkspaceEdit();
    const line = lineOf(CLOUDS, 'region_name: RegionOne');
    edit.replace(uri, new vscode.Range(line, 0, line + 1, 0), '    region_name: RegionEdited\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const updated = await waitFor('preview after the edit', () =>
      preview.getText().includes('RegionEdited') ? preview.getText() : undefined,
    );
    await source.save();
    assert.equal(updated, cli(ext, ['cloud-conf', '--cloud', 'app-cred', '--secure', files['secure.yaml']!.fsPath, uri.fsPath]));

    // A secure.yaml change (on disk, not open) reaches the preview too.
    await vscode.workspace.fs.writeFile(files['secure.yaml']!, new TextEncoder().encode(SECURE.replace(APP_SECRET.slice(0, 6), 'Rotated')));
    await waitFor('preview after the secure.yaml change', () => (preview.getText().includes('Rotated') ? true : undefined));
  });

  it('revealing holds for that preview only and ends when it is closed', async () => {
    const files = await writeFiles({ 'clouds.yaml': CLOUDS, 'secure.yaml': SECURE });
    const uri = files['clouds.yaml']!;
    await vscode.window.showTextDocument(uri);
    const first = await openPreview(uri, 'app-cred');
    const second = await openPreview(uri, 'by-password');
    await vscode.commands.executeCommand(REVEAL, first.uri);
    await waitFor('first preview revealed', () =>
      first.getText().includes(APP_SECRET.replace(/\\/g, '\\\\').replace(/"/g, '\\"')) ? true : undefined,
    );
    assert.ok(!second.getText().includes(PASSWORD), 'the other preview stays masked');

    await vscode.window.showTextDocument(first, { viewColumn: vscode.ViewColumn.Beside });
    await vscode.commands.executeCommand('workbench.action.closeEditorsInOtherGroups');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor('preview tabs closed', () => (vscode.window.tabGroups.all.every((g) => g.tabs.length === 0) ? true : undefined));
    const again = await openPreview(uri, 'app-cred');
    await waitFor('masked again after closing', () => (again.getText().includes('S3cr3t') ? undefined : true), 5_000);
  });

  it('copies the unmasked cloud.conf only after the modal confirmation', async () => {
    const files = await writeFiles({ 'clouds.yaml': CLOUDS, 'secure.yaml': SECURE });
    await vscode.window.showTextDocument(files['clouds.yaml']!);
    const preview = await openPreview(files['clouds.yaml']!, 'app-cred');
    await vscode.env.clipboard.writeText('clipboard-before');
    // Nobody confirms the modal here (the test workbench refuses to show dialogs): nothing is copied.
    const copied = await vscode.commands.executeCommand<boolean>('clusterStacks.preview.copyUnmasked', preview.uri);
    assert.equal(copied, false);
    assert.equal(await vscode.env.clipboard.readText(), 'clipboard-before');
  });

  it('checks a secure.yaml without a clouds.yaml beside it on its own', async () => {
    const { 'secure.yaml': uri } = await writeFiles({ 'secure.yaml': 'clouds:\n  a: [\n' });
    await vscode.workspace.openTextDocument(uri);
    const ds = await diagnosticsWhere(uri, 'syntax error in the lone secure.yaml', (x) => x.some((d) => codeOf(d) === 'CS001'));
    assert.ok(ds.every((d) => d.range.start.line <= 2));
  });

  it('explains in the preview why a cloud cannot be converted, with file:line:col', async () => {
    const text =
      'clouds:\n  nope:\n    auth_type: v3oidcpassword\n    auth:\n      auth_url: https://k.example.com/v3\n    region_name: R\n';
    const { 'clouds.yaml': uri } = await writeFiles({ 'clouds.yaml': text });
    const preview = await openPreview(uri, 'nope');
    const body = preview.getText();
    assert.match(body, /cannot be generated/);
    assert.ok(body.includes(`${uri.fsPath}:${lineOf(text, 'auth_type') + 1}:`), `the location is given:\n${body}`);
  });

  it('reports core findings with codes and precise ranges, on clouds.yaml and secure.yaml', async () => {
    const text = 'clouds:\n  c:\n    auth:\n      username: demo\n      project_id: 012345\n    verify: yes\n';
    const secure = 'clouds:\n  c:\n    auth:\n      password: 0777\n';
    const files = await writeFiles({ 'clouds.yaml': text, 'secure.yaml': secure });
    await vscode.workspace.openTextDocument(files['clouds.yaml']!);
    const diags = await diagnosticsWhere(files['clouds.yaml']!, 'clouds.yaml diagnostics', (ds) => ds.some((d) => codeOf(d) === 'CS130'));
    const codes = new Set(diags.map(codeOf));
    assert.ok(codes.has('CS101'), `missing auth_url reported (${[...codes]})`);
    assert.ok(codes.has('CS102'), `missing region reported (${[...codes]})`);
    const line = lineOf(text, '012345');
    const hazard = diags.find((d) => codeOf(d) === 'CS130' && d.range.start.line === line);
    assert.ok(hazard, 'the YAML 1.1 hazard 012345 is reported on its line');
    const col = text.split('\n')[line]!.indexOf('012345');
    assert.deepEqual([hazard.range.start.character, hazard.range.end.line, hazard.range.end.character], [col, line, col + 6]);

    await vscode.workspace.openTextDocument(files['secure.yaml']!);
    const sd = await diagnosticsWhere(files['secure.yaml']!, 'secure.yaml diagnostics', (ds) => ds.some((d) => codeOf(d) === 'CS130'));
    const sc = secure.split('\n')[3]!.indexOf('0777');
    assert.ok(
      sd.some((d) => d.range.start.line === 3 && d.range.start.character === sc),
      'the octal-looking password is flagged in secure.yaml',
    );
  });

  it('clears diagnostics when the document closes', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: 'clouds:\n  c:\n    auth: {}\n' });
    await vscode.window.showTextDocument(doc);
    await diagnosticsWhere(doc.uri, 'diagnostics', (ds) => ds.length > 0);
    const closed = new Promise<void>((resolve) => {
      const sub = vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.toString() !== doc.uri.toString()) return;
        sub.dispose();
        resolve();
      });
    });
    // Reverting an untitled editor closes its document at once (a file's document may stay open for a while).
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await closed;
    assert.deepEqual(ours(doc.uri), []);
  });

  it('every quick fix produces a document without its finding', async () => {
    const text = [
      'clouds:',
      '  fixme:',
      '    auth:',
      '      username: demo',
      `      password: ${SECRETS['editor.quickFixPassword']}`,
      '      project_id: 012345',
      '      project_name: demo-project',
      '      application_credential_id: abc',
      '    regions:',
      '      - RegionOne',
      '    project_domain_name: Default',
      '    insecure: true',
      '',
    ].join('\n');
    const { 'clouds.yaml': base } = await writeFiles({ 'clouds.yaml': text });
    await vscode.workspace.openTextDocument(base);
    const diags = await diagnosticsWhere(base, 'fixable findings', (ds) => ds.length > 0);
    const key = (d: vscode.Diagnostic) => `${codeOf(d)} ${d.message}`;
    // `vscode.executeCodeActionProvider` drops the actions' diagnostics, so each action is tried on a
    // fresh copy and must remove one of the findings at the range it was offered for.
    const ranges = diags.map((d) => d.range).filter((r, i, all) => all.findIndex((x) => x.isEqual(r)) === i);
    let applied = 0;
    for (const range of ranges) {
      const atRange = diags.filter((d) => d.range.isEqual(range)).map(key);
      const offered =
        (await vscode.commands.executeCommand<vscode.CodeAction[]>(
          'vscode.executeCodeActionProvider',
          base,
          range,
          vscode.CodeActionKind.QuickFix.value,
        )) ?? [];
      for (const title of offered.map((a) => a.title)) {
        const { 'clouds.yaml': uri } = await writeFiles({ 'clouds.yaml': text });
        const doc = await vscode.workspace.openTextDocument(uri);
        await diagnosticsWhere(uri, 'diagnostics of the copy', (ds) => ds.length === diags.length);
        const actions =
          (await vscode.commands.executeCommand<vscode.CodeAction[]>(
            'vscode.executeCodeActionProvider',
            uri,
            range,
            vscode.CodeActionKind.QuickFix.value,
          )) ?? [];
        const fix = actions.find((a) => a.title === title);
        assert.ok(fix?.edit, `"${title}" is offered on the copy too`);
        assert.equal(fix.kind?.value, vscode.CodeActionKind.QuickFix.value);
        if (atRange.length === 1 && actions.length === 1) assert.equal(fix.isPreferred, true, `"${title}", the only fix, is preferred`);
        assert.ok(await vscode.workspace.applyEdit(fix.edit), `"${title}" applies`);
        const gone = (ds: vscode.Diagnostic[]) =>
          atRange.some((k) => ds.filter((d) => key(d) === k).length < diags.filter((d) => key(d) === k).length);
        await diagnosticsWhere(uri, `a finding at the range of "${title}" to go:\n${doc.getText()}`, gone);
        applied++;
      }
    }
    assert.ok(applied >= 5, `at least five quick fixes applied (got ${applied})`);
  });

  it('recognises an untitled clouds.yaml by its content', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: 'clouds:\n  scratch:\n    auth: {}\n' });
    await vscode.window.showTextDocument(doc);
    const ls = await waitFor('lenses on the untitled document', async () => {
      const l = await lenses(doc.uri);
      return l.length ? l : undefined;
    });
    assert.equal(ls[0]?.command?.title, 'Preview cloud.conf');
    await diagnosticsWhere(doc.uri, 'diagnostics on the untitled document', (ds) => ds.some((d) => codeOf(d) === 'CS101'));
    const other = await vscode.workspace.openTextDocument({ language: 'yaml', content: 'apiVersion: v1\nkind: ConfigMap\n' });
    assert.equal((await lenses(other.uri)).length, 0, 'other YAML gets no lenses');
  });

  it('lints cloud.conf files the way gcfg reads them', async () => {
    const text = '[Global]\nauth-url=https://k.example.com/v3\npassword=pa#ss\napplication-credential-secret="a\\qb"\n';
    const { 'cloud.conf': uri } = await writeFiles({ 'cloud.conf': text });
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.languageId, 'cloud-conf');
    const diags = await diagnosticsWhere(uri, 'cloud.conf diagnostics', (ds) => ds.length >= 2);
    assert.ok(
      diags.some((d) => d.range.start.line === 2),
      'the value truncated at # is flagged',
    );
    assert.ok(
      diags.some((d) => d.range.start.line === 3),
      'the unknown escape \\q is flagged',
    );
    assert.ok(diags.every((d) => /^C[SC]\d+$/.test(codeOf(d))));
  });

  it('completes and hovers from the clouds.yaml schema, and validates against it', async () => {
    const text = 'clouds:\n  c:\n    auth_type: v3applicationcredential\n    verify: "no"\n    \n';
    const { 'clouds.yaml': uri } = await writeFiles({ 'clouds.yaml': text });
    const doc = await vscode.workspace.openTextDocument(uri);
    const list = await waitFor('schema completion', async () => {
      const l = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        uri,
        new vscode.Position(4, 4),
      );
      const labels = l.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      return labels.includes('region_name') ? labels : undefined;
    });
    assert.ok(list.includes('interface'));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(2, 6));
    const hoverText = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(hoverText, /keystoneauth plugin/);
    const schemaDiag = await waitFor('schema diagnostic', () =>
      vscode.languages.getDiagnostics(doc.uri).find((d) => d.source?.startsWith('yaml-schema') && d.range.start.line === 3),
    );
    assert.match(schemaDiag.message, /boolean/);
  });

  describe('bad input never breaks the editor', () => {
    async function stillWorks(): Promise<void> {
      const { 'clouds.yaml': uri } = await writeFiles({ 'clouds.yaml': 'clouds:\n  ok:\n    auth: {}\n' });
      await vscode.workspace.openTextDocument(uri);
      const ls = await waitFor('lenses on a small file afterwards', async () => {
        const l = await lenses(uri);
        return l.length ? l : undefined;
      });
      assert.equal(ls[0]?.command?.title, 'Preview cloud.conf');
    }

    it('broken YAML gets a located syntax diagnostic', async () => {
      const { 'clouds.yaml': uri } = await writeFiles({ 'clouds.yaml': 'clouds:\n  a: [\n  b: "x\n' });
      await vscode.workspace.openTextDocument(uri);
      const ds = await diagnosticsWhere(uri, 'syntax error', (x) => x.some((d) => codeOf(d) === 'CS001'));
      assert.ok(ds.every((d) => d.range.start.line <= 3));
      await stillWorks();
    });

    it('an alias bomb is stopped with a diagnostic', async () => {
      const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
      for (let i = 1; i < 10; i++) {
        const n = String.fromCharCode(97 + i);
        lines.push(
          `${n}: &${n} [${Array(9)
            .fill('*' + String.fromCharCode(96 + i))
            .join(',')}]`,
        );
      }
      const { 'clouds.yaml': uri } = await writeFiles({ 'clouds.yaml': `${lines.join('\n')}\nclouds:\n  x:\n    auth: *j\n` });
      const started = Date.now();
      await vscode.workspace.openTextDocument(uri);
      await diagnosticsWhere(uri, 'alias bomb finding', (x) => x.some((d) => codeOf(d) === 'CS002'), 30_000);
      console.log(`    alias bomb reported in ${Date.now() - started} ms`);
      await stillWorks();
    });

    it('a 10 MB file is skipped with an info diagnostic', async () => {
      const big = 'clouds:\n  big:\n    auth:\n      auth_url: https://k.example.com/v3\n' + `# ${'x'.repeat(98)}\n`.repeat(100_000);
      const { 'clouds.yaml': uri } = await writeFiles({ 'clouds.yaml': big });
      await vscode.workspace.openTextDocument(uri);
      const ds = await diagnosticsWhere(uri, 'size info', (x) => x.length > 0, 20_000);
      assert.equal(ds.length, 1);
      assert.equal(ds[0]!.severity, vscode.DiagnosticSeverity.Information);
      assert.match(ds[0]!.message, /MB/);
      assert.equal((await lenses(uri)).length, 0);
      await stillWorks();
    });

    it('a binary clouds.yaml is refused by VS Code, one with NUL bytes further in is skipped with an info diagnostic', async () => {
      const bytes = new Uint8Array(4096).map((_, i) => (i * 37) % 256);
      const late = `clouds:\n  x:\n    auth: {}\n${'# padding\n'.repeat(300)}\0\0\0\n`;
      const files = await writeFiles({ 'clouds.yaml': bytes });
      await assert.rejects(Promise.resolve(vscode.workspace.openTextDocument(files['clouds.yaml']!)), /binary/);
      const { 'clouds.yaml': uri } = await writeFiles({ 'clouds.yaml': late });
      await vscode.workspace.openTextDocument(uri);
      const ds = await diagnosticsWhere(uri, 'binary info', (x) => x.length > 0);
      assert.equal(ds.length, 1);
      assert.equal(ds[0]!.severity, vscode.DiagnosticSeverity.Information);
      assert.match(ds[0]!.message, /NUL/);
      await stillWorks();
    });

    it('2,000 clouds get their lenses and a clean bill', async function () {
      this.timeout(120_000);
      const text =
        'clouds:\n' +
        Array.from(
          { length: 2000 },
          (_, i) =>
            `  c${i}:\n    auth_type: v3applicationcredential\n    region_name: RegionOne\n    auth:\n      auth_url: https://k.example.com/v3\n      application_credential_id: id${i}\n      application_credential_secret: s${i}\n`,
        ).join('');
      const { 'clouds.yaml': uri } = await writeFiles({ 'clouds.yaml': text });
      const started = Date.now();
      await vscode.window.showTextDocument(uri);
      const perCloud = (await vscode.commands.getCommands(true)).includes(PUSH) ? 4 : 2;
      const ls = await waitFor(
        '2,000 clouds of lenses',
        async () => {
          // The command returns resolved lenses only: resolve them all.
          const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 2000 * perCloud);
          return l && l.length >= 2000 * perCloud ? l : undefined;
        },
        60_000,
      );
      console.log(`    2,000 clouds: ${ls.length} lenses in ${Date.now() - started} ms`);
      assert.equal(ls.length, 2000 * perCloud);
      const titles = new Set(['Preview cloud.conf', 'no problems', ...(perCloud === 4 ? ['Test connection', 'Push to tenant…'] : [])]);
      assert.deepEqual(new Set(ls.map((l) => l.command?.title)), titles);
      assert.deepEqual(ours(uri), [], 'the clean file has no findings');
      await stillWorks();
    });
  });
});

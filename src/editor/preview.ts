import * as vscode from 'vscode';
import type { ConversionResult } from '../core/clouds/api';
import { formatFinding } from '../core/findings';
import { renderCloudConf } from '../core/gcfg/encode';
import { Disposable } from '../lifecycle';
import { type CloudsModel, sameGroup } from '../services/cloudsModel';
import { Command, toUri, type Args, type CommandMeta } from '../services/command';
import { COMMAND } from '../services/commandIds';
import type { Ctx } from '../services/ctx';
import { KeyedDebouncer } from './debounce';
import { PREVIEW_SCHEME } from '../services/documents';
import { logFailure } from './guard';

/** What a masked secret shows in the preview. */
export const SECRET_MASK = '••••••••';
const REFRESH_DELAY_MS = 300;

interface PreviewTarget {
  /** The clouds.yaml document or file. */
  readonly source: vscode.Uri;
  readonly cloud: string;
}

/** `cloud-conf-preview:/<cloud>/cloud.conf?{"source":…,"cloud":…}`: the tab reads "cloud.conf", language cloud-conf. */
export function previewUri(target: PreviewTarget): vscode.Uri {
  return vscode.Uri.from({
    scheme: PREVIEW_SCHEME,
    path: `/${target.cloud.replace(/[/\\]/g, '_')}/cloud.conf`,
    query: JSON.stringify({ source: target.source.toString(), cloud: target.cloud }),
  });
}

function parsePreviewUri(uri: vscode.Uri): PreviewTarget | undefined {
  try {
    const q = JSON.parse(uri.query) as { source?: unknown; cloud?: unknown };
    if (typeof q.source !== 'string' || typeof q.cloud !== 'string') return undefined;
    return { source: vscode.Uri.parse(q.source, true), cloud: q.cloud };
  } catch {
    return undefined;
  }
}

/** A path for messages: the file system path, or the untitled document's name. */
function displayPath(file: string): string {
  return file.startsWith('untitled:') ? file.slice('untitled:'.length) : file;
}

/** Why the cloud cannot be converted, with `file:line:col` locations, as cloud.conf comments. */
function failureText(target: PreviewTarget, result: ConversionResult | undefined): string {
  const lines = [`# cloud.conf for cloud "${target.cloud}" cannot be generated.`];
  if (!result) {
    lines.push('#', `# ${displayPath(target.source.toString(true))} is not open and cannot be read, or it is too large or binary.`);
    return lines.join('\n') + '\n';
  }
  lines.push('#');
  for (const [file, findings] of result.findings) {
    for (const f of findings) if (f.severity === 'error') lines.push(`# ${formatFinding(displayPath(file), f)}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * The read-only cloud.conf preview beside a clouds.yaml: the core's conversion of one cloud with the
 * user's settings (the same call and options as `cluster-stacks cloud-conf`), refreshed 300 ms after the
 * clouds.yaml, its secure.yaml or its clouds-public.yaml change. Secrets are masked until the user
 * reveals them for that one preview; revealing ends when the preview is closed.
 */
export class CloudConfPreview extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly changed = this._register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;
  private readonly revealed = new Set<string>();
  private readonly refresh: KeyedDebouncer<string>;

  constructor(
    private readonly ctx: Ctx,
    private readonly model: CloudsModel,
  ) {
    super();
    this.refresh = this._register(new KeyedDebouncer<string>(REFRESH_DELAY_MS, (key) => this.changed.fire(vscode.Uri.parse(key, true))));
    this._register(vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, this));
    this._register(
      model.onDidChange((changed) => {
        for (const doc of vscode.workspace.textDocuments) {
          const target = doc.uri.scheme === PREVIEW_SCHEME ? parsePreviewUri(doc.uri) : undefined;
          if (target && sameGroup(target.source, changed)) this.refresh.schedule(doc.uri.toString());
        }
      }),
    );
    this._register(vscode.workspace.onDidCloseTextDocument((doc) => this.forget(doc.uri)));
    this._register(
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        for (const tab of e.closed) if (tab.input instanceof vscode.TabInputText) this.forget(tab.input.uri);
      }),
    );
    ctx.own(this);
    new PreviewCommand(ctx, { id: COMMAND.previewCloudConf, title: 'Preview cloud.conf' }, (uri, cloud) => this.open(uri, cloud));
    new PreviewCommand(ctx, { id: COMMAND.revealSecrets, title: 'Reveal secrets' }, (uri) => this.reveal(uri));
    new PreviewCommand(ctx, { id: COMMAND.copyUnmasked, title: 'Copy cloud.conf' }, (uri) => this.copyUnmasked(uri));
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const target = parsePreviewUri(uri);
    if (!target) return '# This preview link is not valid; open the preview again from the clouds.yaml.\n';
    try {
      const result = await this.model.convert(target.source, target.cloud);
      if (!result?.ok) return failureText(target, result);
      if (this.revealed.has(uri.toString())) return result.text;
      const hasSecret = result.sections.some((s) => s.entries.some((e) => e.secret));
      const masked = renderCloudConf(result.sections, { mask: SECRET_MASK });
      return hasSecret ? `# Secrets are masked. Run "Cluster Stacks: Reveal secrets in this preview" to show them.\n${masked}` : masked;
    } catch (e) {
      logFailure(this.ctx, 'rendering the cloud.conf preview', e);
      return `# cloud.conf for cloud "${target.cloud}" cannot be generated: an internal error occurred (see the "Cluster Stacks" output).\n`;
    }
  }

  /** Opens (or focuses) the preview of `cloud` beside the editor; asks for the cloud when not given. */
  async open(uri?: vscode.Uri, cloud?: string): Promise<vscode.TextEditor | undefined> {
    try {
      const editor = vscode.window.activeTextEditor;
      const source = uri ?? (editor && this.model.kindOf(editor.document) === 'clouds' ? editor.document.uri : undefined);
      if (!source) {
        void vscode.window.showInformationMessage('Open a clouds.yaml to preview its cloud.conf.');
        return undefined;
      }
      const name = cloud ?? (await this.pickCloud(source, editor));
      if (!name) return undefined;
      const doc = await vscode.workspace.openTextDocument(previewUri({ source, cloud: name }));
      if (doc.languageId !== 'cloud-conf') await vscode.languages.setTextDocumentLanguage(doc, 'cloud-conf');
      return await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false, preserveFocus: true });
    } catch (e) {
      logFailure(this.ctx, 'opening the cloud.conf preview', e);
      void vscode.window.showErrorMessage('Cluster Stacks could not open the cloud.conf preview; see the "Cluster Stacks" output.');
      return undefined;
    }
  }

  private async pickCloud(source: vscode.Uri, editor: vscode.TextEditor | undefined): Promise<string | undefined> {
    const clouds = (await this.model.analyze(source))?.clouds ?? [];
    if (clouds.length === 0) {
      void vscode.window.showInformationMessage('This clouds.yaml defines no cloud under `clouds:`.');
      return undefined;
    }
    const cursor = editor?.document.uri.toString() === source.toString() ? editor.selection.active : undefined;
    const atCursor = cursor && clouds.find((c) => c.range.start.line <= cursor.line && cursor.line <= c.range.end.line);
    if (atCursor) return atCursor.name;
    if (clouds.length === 1) return clouds[0]?.name;
    const picked = await vscode.window.showQuickPick(
      clouds.map((c) => ({ label: c.name, description: c.authType })),
      { title: 'Preview cloud.conf of which cloud?' },
    );
    return picked?.label;
  }

  private previewTarget(uri: vscode.Uri | undefined): vscode.Uri | undefined {
    const candidate = uri ?? vscode.window.activeTextEditor?.document.uri;
    return candidate?.scheme === PREVIEW_SCHEME ? candidate : undefined;
  }

  /** Shows the secrets in this one preview until it is closed. */
  reveal(uri?: vscode.Uri): boolean {
    const target = this.previewTarget(uri);
    if (!target) {
      void vscode.window.showInformationMessage('Run this command from a cloud.conf preview.');
      return false;
    }
    this.revealed.add(target.toString());
    this.changed.fire(target);
    return true;
  }

  /** Copies the unmasked cloud.conf after the user confirms in a modal dialog. */
  async copyUnmasked(uri?: vscode.Uri): Promise<boolean> {
    try {
      return await this.confirmAndCopy(uri);
    } catch (e) {
      logFailure(this.ctx, 'copying the unmasked cloud.conf', e);
      return false;
    }
  }

  private async confirmAndCopy(uri: vscode.Uri | undefined): Promise<boolean> {
    const target = this.previewTarget(uri);
    const parsed = target && parsePreviewUri(target);
    if (!parsed) {
      void vscode.window.showInformationMessage('Run this command from a cloud.conf preview.');
      return false;
    }
    const converted = await this.model.convert(parsed.source, parsed.cloud);
    if (!converted?.ok) {
      void vscode.window.showWarningMessage(`The cloud.conf of "${parsed.cloud}" cannot be generated; the preview says why.`);
      return false;
    }
    const copy = 'Copy with secrets';
    const answer = await vscode.window.showWarningMessage(
      `Copy the cloud.conf of "${parsed.cloud}" with its secrets in clear text?`,
      { modal: true, detail: 'Anything that reads the clipboard can then read the credentials.' },
      copy,
    );
    if (answer !== copy) return false;
    await vscode.env.clipboard.writeText(converted.text);
    this.ctx.log.info(`Copied the unmasked cloud.conf of cloud "${parsed.cloud}" to the clipboard.`);
    return true;
  }

  private forget(uri: vscode.Uri): void {
    if (uri.scheme !== PREVIEW_SCHEME) return;
    const key = uri.toString();
    const stillShown = vscode.window.tabGroups.all.some((g) =>
      g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === key),
    );
    if (stillShown) return;
    this.refresh.cancel(key);
    // A closed preview's document can outlive its tab; re-render it masked for the next time it is shown.
    if (this.revealed.delete(key)) this.changed.fire(uri);
  }
}

/** One of the preview's commands on the command base; `(uri?, cloud?)` arrive as `{uri, cloud}`. */
class PreviewCommand<R> extends Command<R> {
  constructor(
    ctx: Ctx,
    meta: Pick<CommandMeta, 'id' | 'title'>,
    private readonly action: (uri: vscode.Uri | undefined, cloud: string | undefined) => R | Promise<R>,
  ) {
    super(ctx, { ...meta, writes: false });
  }

  protected async run(args: Args): Promise<R> {
    return this.action(toUri(args.uri), typeof args.cloud === 'string' ? args.cloud : undefined);
  }
}

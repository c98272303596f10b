import * as vscode from 'vscode';
import type { Finding } from '../core/findings';
import { Disposable } from '../lifecycle';
import type { CloudsModel } from '../services/cloudsModel';
import { COMMAND } from '../services/commandIds';
import type { Ctx } from '../services/ctx';
import { KeyedDebouncer } from './debounce';
import { openDocument, unanalysableReason } from '../services/documents';
import { summarize, toRange } from './findings';
import { guarded, logFailure } from './guard';
const PROBLEMS_COMMAND = 'workbench.actions.view.problems';

type LensKind = 'preview' | 'problems' | 'test' | 'push';

class CloudLens extends vscode.CodeLens {
  constructor(
    range: vscode.Range,
    readonly uri: vscode.Uri,
    readonly cloud: string,
    readonly kind: LensKind,
    /** The cloud's findings from the analysis the lenses were placed with. */
    readonly findings: readonly Finding[],
  ) {
    super(range);
  }
}

/**
 * Lenses above each cloud under `clouds:`: "Preview cloud.conf", the cloud's problem summary (focuses the
 * Problems panel) and, in a trusted workspace, "Test connection" (asks Keystone, only when clicked) and
 * "Push to tenant…". `provideCodeLenses` only
 * places them; titles and commands are filled in `resolveCodeLens`, for the lenses VS Code shows.
 */
export class CloudLenses extends Disposable implements vscode.CodeLensProvider<CloudLens> {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly ctx: Ctx,
    private readonly model: CloudsModel,
  ) {
    super();
    const refresh = this._register(new KeyedDebouncer<'all'>(300, () => this.changed.fire()));
    // VS Code asks again for the lenses of an edited document itself; a change of another file (a
    // secure.yaml, the settings) is what only we know about. Asking twice per edit costs the host's thread.
    this._register(
      model.onDidChange((uri) => {
        const doc = openDocument(uri);
        if (!doc || model.kindOf(doc) !== 'clouds') refresh.schedule('all');
      }),
    );
    this._register(ctx.config.onDidChange((e) => e.editor && refresh.schedule('all')));
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()));
    this._register(vscode.languages.registerCodeLensProvider({ language: 'yaml' }, this));
    ctx.own(this);
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<CloudLens[]> {
    try {
      if (this.model.kindOf(doc) !== 'clouds' || unanalysableReason(doc)) return [];
      const version = doc.version;
      const analysis = await this.model.analyze(doc.uri, doc);
      // A newer version is on its way (the edit fires onDidChange, and so a new request for lenses).
      if (!analysis || doc.version !== version) return [];
      const kinds: LensKind[] = ['preview', 'problems'];
      // Talking to Keystone and writing are for trusted workspaces only; the lenses appear once trust is granted.
      if (vscode.workspace.isTrusted) kinds.push('test', 'push');
      const { clouds, findingsByCloud } = analysis;
      return clouds.flatMap((c) =>
        kinds.map((k) => new CloudLens(toRange(c.keyRange), doc.uri, c.name, k, findingsByCloud.get(c.name) ?? [])),
      );
    } catch (e) {
      logFailure(this.ctx, 'code lenses', e);
      return [];
    }
  }

  resolveCodeLens(lens: CloudLens): CloudLens {
    lens.command = guarded(this.ctx, 'resolving a code lens', undefined, () => this.command(lens)) ?? { title: lens.cloud, command: '' };
    return lens;
  }

  private command(lens: CloudLens): vscode.Command {
    switch (lens.kind) {
      case 'preview':
        return {
          title: 'Preview cloud.conf',
          command: COMMAND.previewCloudConf,
          arguments: [lens.uri, lens.cloud],
          tooltip: `Show the cloud.conf generated for "${lens.cloud}"`,
        };
      case 'test':
        return {
          title: 'Test connection',
          command: COMMAND.testConnection,
          arguments: [lens.uri, lens.cloud],
          tooltip: `Authenticate with "${lens.cloud}" as the OpenStack CCM would and check the catalog`,
        };
      case 'push':
        return { title: 'Push to tenant…', command: COMMAND.pushToTenant, arguments: [lens.uri, lens.cloud] };
      case 'problems':
        return { title: summarize(lens.findings), command: PROBLEMS_COMMAND, tooltip: 'Show the Problems panel' };
    }
  }
}

import * as vscode from 'vscode';
import type { Finding } from '../core/findings';
import type { Ctx } from '../services/ctx';
import { Disposable } from '../lifecycle';
import type { RuleDiagnostics } from './diagnostics';
import { CLOUD_CONF_LANGUAGE } from '../services/documents';
import { isDiagnosticOf, toRange } from './findings';
import { logFailure } from './guard';

/**
 * Quick fixes: each core finding's `fixes` (text edits computed by the rule) as a WorkspaceEdit, with the
 * diagnostic attached; the only fix of a finding is the preferred one. No rule logic lives here.
 */
export class QuickFixes extends Disposable implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(
    private readonly ctx: Ctx,
    private readonly diagnostics: RuleDiagnostics,
  ) {
    super();
    this._register(
      vscode.languages.registerCodeActionsProvider([{ language: 'yaml' }, { language: CLOUD_CONF_LANGUAGE }], this, QuickFixes.metadata),
    );
    ctx.own(this);
  }

  async provideCodeActions(
    doc: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): Promise<vscode.CodeAction[]> {
    try {
      if (context.only && !vscode.CodeActionKind.QuickFix.intersects(context.only)) return [];
      const findings = await this.diagnostics.findingsFor(doc);
      const actions: vscode.CodeAction[] = [];
      for (const diagnostic of context.diagnostics) {
        const finding = findings.find((f) => isDiagnosticOf(diagnostic, f));
        if (finding) actions.push(...this.actionsFor(doc, finding, diagnostic));
      }
      return actions;
    } catch (e) {
      logFailure(this.ctx, 'quick fixes', e);
      return [];
    }
  }

  private actionsFor(doc: vscode.TextDocument, finding: Finding, diagnostic: vscode.Diagnostic): vscode.CodeAction[] {
    const fixes = finding.fixes ?? [];
    return fixes.map((fix) => {
      const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.isPreferred = fixes.length === 1;
      action.edit = new vscode.WorkspaceEdit();
      for (const edit of fix.edits) action.edit.replace(doc.uri, toRange(edit.range), edit.newText);
      return action;
    });
  }
}

/**
 * The gate of the write path: the last checks before anything is written. Restricted Mode is refused
 * earlier, by the command base (src/services/command.ts). Here:
 *  - protected contexts (`clusterStacks.protectedContexts`, globs): a pre-confirmed call (`confirmed:
 *    true`) is refused before any request unless it also says `confirmProtected: true`; an interactive
 *    one gets a second modal that names the context;
 *  - the confirmation modal: the summary (what, where, keys only) and the masked server-side dry-run
 *    diff, skipped when the caller pre-confirmed;
 *  - taking over fields another field manager owns (`force`): only after an explicit click, or when the
 *    caller passed `force: true`.
 * Nothing shown here contains a secret value.
 */
import * as vscode from 'vscode';
import { isProtectedContext, summaryText, type WriteSummary } from '../../core/manifests/report';
import type { FieldConflict } from '../../kube/api';
import { Cancelled, UserError } from '../../services/command';
import { PROTECTED_SETTING, type Config } from '../../services/config';

/** The argument vocabulary of every writing command (scripts, tests, tree nodes pass these). */
export interface WriteArgs {
  readonly context?: string;
  readonly namespace?: string;
  /** Skip the confirmation modal (scripts, tests). The target and the plan still go to the output channel. */
  readonly confirmed?: boolean;
  /** Write to a context matching `clusterStacks.protectedContexts` without the extra prompt. */
  readonly confirmProtected?: boolean;
  /** Take over fields another field manager owns (server-side apply `force`). Never implied. */
  readonly force?: boolean;
  /** Only the server-side dry run and its report; nothing is written. */
  readonly dryRun?: boolean;
}

const MAX_DIFF_LINES = 60;

export class Gate {
  constructor(private readonly config: Config) {}

  isProtected(context: string): boolean {
    return isProtectedContext(context, this.config.protectedContexts);
  }

  /** Refuses a pre-confirmed write to a protected context before anything is read or written. */
  precheck(context: string, args: WriteArgs): void {
    if (args.confirmed && !args.dryRun && this.isProtected(context) && !args.confirmProtected)
      throw new UserError(`Context "${context}" is protected (${PROTECTED_SETTING}); pass confirmProtected: true to write to it.`);
  }

  /**
   * The modal with the summary and the masked diff (unless pre-confirmed), then, for a protected
   * context, the modal that names it (unless `confirmProtected`). Throws Cancelled when dismissed.
   * `how` names the write methods the plan uses (server-side apply, a patch, a delete…).
   */
  async confirm(
    summary: Omit<WriteSummary, 'protectedContext'>,
    diff: readonly string[],
    args: WriteArgs,
    how = 'server-side apply',
  ): Promise<void> {
    const prot = this.isProtected(summary.context);
    this.precheck(summary.context, args);
    if (!args.confirmed) {
      const shown = diff.slice(0, MAX_DIFF_LINES).join('\n') || '(none)';
      const more = diff.length > MAX_DIFF_LINES ? `\n… ${diff.length - MAX_DIFF_LINES} more lines in the output channel` : '';
      const detail = `${summaryText({ ...summary, protectedContext: prot })}\n\nChanges (server-side dry run, values masked):\n${shown}${more}\n\nWritten with ${how}, field manager cluster-stacks-vscode.`;
      const ok = await vscode.window.showWarningMessage(`${summary.action}?`, { modal: true, detail }, 'Write');
      if (ok !== 'Write') throw new Cancelled();
    }
    if (prot && !args.confirmProtected) {
      const button = `Write to ${summary.context}`;
      const ok = await vscode.window.showWarningMessage(
        `"${summary.context}" is a protected context.`,
        { modal: true, detail: `It matches ${PROTECTED_SETTING}. Write to it anyway?` },
        button,
      );
      if (ok !== button) throw new Cancelled();
    }
  }

  /** Asks whether to take over conflicting fields; only an explicit click forces, and never without a person. */
  async confirmForce(where: string, conflicts: readonly FieldConflict[], args: WriteArgs): Promise<boolean> {
    if (args.confirmed) return false;
    const managers = [...new Set(conflicts.map((c) => c.manager))].join(', ');
    const ok = await vscode.window.showWarningMessage(
      `${where}: fields are owned by ${managers}.`,
      {
        modal: true,
        detail: `Server-side apply reports conflicts on:\n${conflicts.map((c) => `${c.field} (${c.manager})`).join('\n')}\n\nTaking them over makes ${managers} lose them.`,
      },
      'Take over (force)',
    );
    return ok === 'Take over (force)';
  }
}

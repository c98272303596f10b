/**
 * The interactive parts of the credential commands: quick picks for context, tenant and clusters,
 * the modal confirmation (summary + masked diff, extra step for protected contexts), conflicts and
 * progress with cancellation. Every function here is skipped when the caller passed the value as an
 * argument, so tests and scripts never see a prompt. Nothing shown here contains a secret value.
 */
import * as vscode from 'vscode';
import { isProtectedContext, summaryText, type WriteSummary } from '../core/manifests/report';
import type { FieldConflict } from '../kube/apply';

/** A refusal or bad input: shown to the user as is, never contains a value. */
export class UserError extends Error {}

/** Thrown when the user dismisses a prompt; the command ends quietly. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

export const PROTECTED_SETTING = 'clusterStacks.protectedContexts';

export function protectedPatterns(): readonly unknown[] {
  return vscode.workspace.getConfiguration('clusterStacks').get<unknown[]>('protectedContexts') ?? [];
}

export function requireTrust(): void {
  if (!vscode.workspace.isTrusted)
    throw new UserError('Cluster Stacks writes nothing to a cluster in Restricted Mode. Trust this workspace to push credentials.');
}

export async function pickOne(
  title: string,
  items: readonly { label: string; description?: string; value: string }[],
  placeHolder?: string,
): Promise<string> {
  if (!items.length) throw new UserError(`${title}: nothing to choose from`);
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder, ignoreFocusOut: true });
  if (!picked) throw new Cancelled();
  return picked.value;
}

export async function pickMany(title: string, names: readonly string[], preselect: (n: string) => boolean): Promise<string[]> {
  if (!names.length) throw new UserError(`${title}: there are none`);
  const picked = await vscode.window.showQuickPick(
    names.map((n) => ({ label: n, picked: preselect(n) })),
    { title, canPickMany: true, ignoreFocusOut: true },
  );
  if (!picked || !picked.length) throw new Cancelled();
  return picked.map((p) => p.label);
}

export async function inputName(title: string, prompt: string): Promise<string> {
  const v = await vscode.window.showInputBox({
    title,
    prompt,
    ignoreFocusOut: true,
    validateInput: (s) =>
      /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s) && s.length <= 63 ? undefined : 'lowercase letters, digits and "-", at most 63 characters',
  });
  if (!v) throw new Cancelled();
  return v;
}

export interface ConfirmOptions {
  /** From the arguments: `yes: true` or `confirm: false`. */
  readonly preConfirmed: boolean;
  /** From the arguments: allows a protected context without the extra prompt. */
  readonly confirmProtected?: boolean;
}

/**
 * The last gate before a write: a modal with the summary and the masked diff, then, for a protected
 * context, a second modal that names the context. Pre-confirmed calls skip the first modal; a
 * protected context then still needs `confirmProtected: true`.
 */
export async function confirmWrite(summary: WriteSummary, diff: readonly string[], opts: ConfirmOptions): Promise<void> {
  const prot = isProtectedContext(summary.context, protectedPatterns());
  if (!opts.preConfirmed) {
    const detail = `${summaryText({ ...summary, protectedContext: prot })}\n\nChanges (dry run, values masked):\n${diff.length ? diff.slice(0, 60).join('\n') : '(none)'}${diff.length > 60 ? `\n… ${diff.length - 60} more lines in the output channel` : ''}`;
    const ok = await vscode.window.showWarningMessage(`${summary.action}?`, { modal: true, detail }, 'Write');
    if (ok !== 'Write') throw new Cancelled();
  }
  if (prot && !opts.confirmProtected) {
    if (opts.preConfirmed)
      throw new UserError(`Context "${summary.context}" is protected (${PROTECTED_SETTING}); pass confirmProtected: true to write to it.`);
    const ok = await vscode.window.showWarningMessage(
      `"${summary.context}" is a protected context.`,
      { modal: true, detail: `It matches ${PROTECTED_SETTING}. Write to it anyway?` },
      `Write to ${summary.context}`,
    );
    if (ok !== `Write to ${summary.context}`) throw new Cancelled();
  }
}

/** Asks whether to take over conflicting fields; only an explicit click forces. */
export async function confirmForce(where: string, conflicts: readonly FieldConflict[], interactive: boolean): Promise<boolean> {
  if (!interactive) return false;
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

/** Runs `fn` under a cancellable progress notification; cancelling aborts the signal. */
export function withProgress<T>(
  title: string,
  fn: (signal: AbortSignal, report: (message: string, increment?: number) => void) => Promise<T>,
): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    const ac = new AbortController();
    const sub = token.onCancellationRequested(() => ac.abort());
    return fn(ac.signal, (message, increment) => progress.report({ message, increment })).finally(() => sub.dispose());
  });
}

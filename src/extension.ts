import type * as vscode from 'vscode';
import { Ctx } from './ctx';
import { registerExplorer } from './views/registerExplorer';
import { registerEditorFeatures } from './editor';
import { registerCredentialCommands } from './commands/credentials';
import { registerStackCommands } from './commands/stacks';

/**
 * Entry point. It only wires: every feature lives in its own module, takes the `Ctx` and registers
 * its disposables there. Activation is lazy (activationEvents and implicit view/command activation).
 */
export function activate(context: vscode.ExtensionContext): void {
  const ctx = new Ctx(context);
  context.subscriptions.push(ctx);
  registerExplorer(ctx);
  registerCredentialCommands(ctx, registerEditorFeatures(ctx));
  registerStackCommands(ctx);
}

export function deactivate(): void {
  // Everything is owned by the Ctx, which context.subscriptions disposes.
}

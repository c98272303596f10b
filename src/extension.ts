import type * as vscode from 'vscode';
import { registerShell } from './services/shell';

/**
 * Entry point, kept small so that activation loads almost nothing (docs/architecture.md "Activation"):
 * it registers the command stubs and the explorer's tree view (src/services/shell.ts); the extension
 * proper (src/app.ts) is the bundle dist/app.js, which scripts/build.mjs turns the import below into a
 * `require('./app.js')` for, loaded on first use.
 */
export function activate(context: vscode.ExtensionContext): void {
  registerShell(context, async (shell) => (await import('./app')).start(context, shell));
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions (the app's Ctx among them).
}

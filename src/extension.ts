import * as vscode from 'vscode';

/**
 * Entry point. It only wires: every feature lives in its own module and owns its disposables.
 * Activation is lazy (see `activationEvents`/implicit activation in package.json).
 */
export function activate(context: vscode.ExtensionContext): void {
  void context;
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions.
}

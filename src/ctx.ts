import * as vscode from 'vscode';
import { Disposable, type IDisposable } from './lifecycle';

/**
 * The one context object (after rust-analyzer's `Ctx`): it owns the output channel and every
 * disposable a feature registers, and is itself owned by `ExtensionContext.subscriptions`.
 * The log never receives secret values: callers log names, namespaces and outcomes only.
 */
export class Ctx extends Disposable {
  readonly log: vscode.LogOutputChannel;

  constructor(readonly extensionContext: vscode.ExtensionContext) {
    super();
    this.log = this._register(vscode.window.createOutputChannel('Cluster Stacks', { log: true }));
  }

  /** Owns `d` until the extension deactivates. */
  own<T extends IDisposable>(d: T): T {
    return this._register(d);
  }
}

import * as vscode from 'vscode';
import { Disposable, TaskSet, type IDisposable } from '../lifecycle';
import { Config } from './config';
import { LiveResources } from './liveResources';

/**
 * The one context object (after rust-analyzer's `Ctx`): it owns the output channel, the typed
 * settings, the background tasks and every disposable a feature registers, and is itself owned by
 * `ExtensionContext.subscriptions`. Disposal runs last-registered first, so features go before the
 * services they were built on. The log never receives secret values: callers log names, namespaces and
 * outcomes only.
 */
export class Ctx extends Disposable {
  readonly log: vscode.LogOutputChannel;
  readonly config: Config;
  /** Background work after a command (following releases, waiting for a token): aborted on deactivation. */
  readonly tasks: TaskSet;
  /** What is alive, for the lifetime tests. */
  readonly live = new LiveResources();

  /**
   * @param registerCommand where commands register: by default VS Code itself; the app (src/app.ts) passes
   * the entry's stubs (src/services/shell.ts), which VS Code already knows at activation.
   */
  constructor(
    readonly extensionContext: vscode.ExtensionContext,
    readonly registerCommand: (id: string, run: (...args: unknown[]) => unknown) => vscode.Disposable = vscode.commands.registerCommand,
  ) {
    super();
    this.log = this._register(vscode.window.createOutputChannel('Cluster Stacks', { log: true }));
    this.config = this._register(new Config());
    this.tasks = this._register(new TaskSet());
    this._register(this.live.add('tasks', () => this.tasks.size));
  }

  /** Owns `d` until the extension deactivates. */
  own<T extends IDisposable>(d: T): T {
    return this._register(d);
  }
}

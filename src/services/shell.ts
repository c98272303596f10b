import * as vscode from 'vscode';
import { COMMAND } from './commandIds';
import { CLOUD_CONF_LANGUAGE } from './documents';

/**
 * What the entry (src/extension.ts) registers at activation so that activation loads almost nothing:
 * a stub for every command id and the explorer's tree view with a forwarding data provider. The
 * extension proper (src/app.ts, the bundle dist/app.js) is loaded on its first use — a stub called,
 * the tree asked for its rows, a YAML or cloud.conf document open — and then registers its commands'
 * implementations into the stubs and attaches its tree provider (the `Shell` it is started with).
 * scripts/build.mjs keeps the two bundles apart; test/unit/build/lazyBundles.test.ts checks what the entry holds.
 */
export const VIEW_ID = 'clusterStacks.explorer';

type Handler = (...args: unknown[]) => unknown;

export interface Shell {
  /** Registers a command's implementation behind its stub (the stub is registered with VS Code already). */
  registerCommand(id: string, run: Handler): vscode.Disposable;
  readonly explorer: LazyTree;
}

/** The explorer's tree view, created at activation; its rows come from the provider the app attaches. */
export class LazyTree implements vscode.TreeDataProvider<unknown> {
  private target: vscode.TreeDataProvider<unknown> | undefined;
  private readonly changed = new vscode.EventEmitter<unknown>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<unknown>;

  constructor(
    private readonly load: () => Promise<unknown>,
    subscriptions: vscode.Disposable[],
  ) {
    this.view = vscode.window.createTreeView<unknown>(VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    subscriptions.push(this.changed, this.view);
  }

  /** The app's provider; its change events are forwarded to the view. */
  attach(provider: vscode.TreeDataProvider<unknown>): vscode.Disposable {
    this.target = provider;
    const forward = provider.onDidChangeTreeData?.((e) => this.changed.fire(e));
    this.changed.fire(undefined);
    return new vscode.Disposable(() => {
      forward?.dispose();
      if (this.target === provider) this.target = undefined;
    });
  }

  async getChildren(element?: unknown): Promise<unknown[]> {
    if (!this.target) await this.load();
    return (await this.target?.getChildren(element)) ?? [];
  }

  /** `reveal` walks up with it; elements only come from the attached provider. */
  getParent(element: unknown): vscode.ProviderResult<unknown> {
    return this.target?.getParent?.(element);
  }

  getTreeItem(element: unknown): vscode.TreeItem | Thenable<vscode.TreeItem> {
    // Rows only come from getChildren, which attached the app's provider first.
    if (!this.target) throw new Error('Cluster Stacks: the explorer is not loaded');
    return this.target.getTreeItem(element);
  }
}

/**
 * Registers the stubs and the tree view, and loads the app (`load`, called at most once by its owner)
 * on the first command, the first tree reading, or the first YAML or cloud.conf document.
 */
export function registerShell(context: vscode.ExtensionContext, load: (shell: Shell) => Promise<unknown>): Shell {
  const handlers = new Map<string, Handler>();
  let loading: Promise<unknown> | undefined;
  const ensure = () => (loading ??= load(shell));
  const shell: Shell = {
    registerCommand(id, run) {
      handlers.set(id, run);
      return new vscode.Disposable(() => handlers.get(id) === run && handlers.delete(id));
    },
    explorer: new LazyTree(() => ensure(), context.subscriptions),
  };
  for (const id of Object.values(COMMAND))
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        await ensure();
        const run = handlers.get(id);
        if (!run) throw new Error(`Cluster Stacks: the command ${id} is not available`);
        return run(...args);
      }),
    );
  const edited = (doc: vscode.TextDocument) => doc.languageId === 'yaml' || doc.languageId === CLOUD_CONF_LANGUAGE;
  const loadFor = (doc: vscode.TextDocument) => {
    if (edited(doc))
      void ensure().catch((e: unknown) => void vscode.window.showErrorMessage(`Cluster Stacks failed to load: ${String(e)}`));
  };
  const opened = vscode.workspace.onDidOpenTextDocument((doc) => {
    loadFor(doc);
    if (loading) opened.dispose();
  });
  context.subscriptions.push(opened);
  for (const doc of vscode.workspace.textDocuments) loadFor(doc);
  if (loading) opened.dispose();
  return shell;
}

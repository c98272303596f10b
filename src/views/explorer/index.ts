/**
 * The views room: the management-cluster explorer. Wires the tree view, its commands (actions.ts), the
 * read-only object documents, and the start/stop of watches with expansion and visibility; the explorer
 * state follows the settings through the typed Config.
 */
import * as vscode from 'vscode';
import type { Connections } from '../../services/connections';
import type { Ctx } from '../../services/ctx';
import type { LazyTree } from '../../services/shell';
import { registerExplorerCommands, SHOW_ALL_KEY } from './actions';
import type { ExplorerNode } from './nodes';
import { OBJECT_SCHEME } from '../../services/objectUri';
import { ObjectDocumentProvider } from './objectDocument';
import { ExplorerProvider } from './provider';
import { ExplorerState } from './state';

/** Fills the tree view the entry created at activation (`tree`, src/services/shell.ts). */
export function registerExplorer(ctx: Ctx, connections: Connections, tree: LazyTree): ExplorerProvider {
  const state = ctx.own(new ExplorerState(ctx.config.explorer, connections, ctx.log));
  ctx.own(ctx.live.add('caches', () => state.cacheCount));
  const explorer = ctx.own(new ExplorerProvider(state));
  ctx.own(tree.attach(explorer as unknown as vscode.TreeDataProvider<unknown>));
  const view = tree.view as vscode.TreeView<ExplorerNode>;
  const showAllContext = () => void vscode.commands.executeCommand('setContext', SHOW_ALL_KEY, state.showAllNamespaces);
  showAllContext();

  ctx.own(vscode.workspace.registerTextDocumentContentProvider(OBJECT_SCHEME, new ObjectDocumentProvider(state)));
  ctx.own(
    view.onDidExpandElement((e) => e.element.type === 'context' && void state.expandContext(e.element.context).catch(() => undefined)),
  );
  ctx.own(view.onDidCollapseElement((e) => e.element.type === 'context' && state.collapseContext(e.element.context)));
  // Watches run only while somebody can see them; VS Code asks again for expanded nodes when shown.
  ctx.own(view.onDidChangeVisibility((e) => !e.visible && state.stopAll()));
  ctx.own(
    ctx.config.onDidChange((e) => {
      if (!e.kubeconfig && !e.explorer) return;
      void state.reload(ctx.config.explorer);
      showAllContext();
    }),
  );
  registerExplorerCommands(ctx, explorer, view as vscode.TreeView<unknown>);
  return explorer;
}

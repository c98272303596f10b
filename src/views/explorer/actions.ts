/**
 * The explorer's commands (tree menus, the view title, tests): each a small command on the command
 * base, so a tree node, a plain `{context, kind, namespace, name}` object and a second options object
 * all arrive as one argument object. None of them writes to a cluster.
 */
import * as vscode from 'vscode';
import { RESOURCE_KINDS, type ResourceKind } from '../../core/capi/tenants';
import { delay, timeout } from '../../lifecycle';
import { Command, Cancelled, type Args } from '../../services/command';
import { COMMAND, type CommandId } from '../../services/commandIds';
import type { Ctx } from '../../services/ctx';
import { checkDrift, type PropagationResult } from './checkDrift';
import { objectUri, type ObjectRef } from '../../services/objectUri';
import { ids } from './nodes';
import type { ExplorerProvider } from './provider';
import { snapshot, type TreeSnapshot } from './snapshot';
import type { ExplorerState } from './state';
import { getWorkloadKubeconfig, type KubeconfigAction } from './workloadKubeconfig';

export const SHOW_ALL_KEY = 'clusterStacks.explorer.showAllNamespaces';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The object an action is about: a tree node's, or `{context, kind, namespace, name}` (kind defaults to clusters). */
function objectRef(args: Args): ObjectRef | undefined {
  const o = (args.object ?? {}) as { kind?: unknown; name?: unknown };
  const context = str(args.context);
  const name = str(o.name) ?? str(args.name);
  const kind = (str(o.kind) ?? str(args.kind) ?? 'clusters') as ResourceKind;
  if (!context || !name || !(RESOURCE_KINDS as readonly string[]).includes(kind)) return undefined;
  return { context, kind, namespace: str(args.namespace) ?? '', name };
}

/** A command of the explorer, with the state and the view it acts on. */
abstract class ExplorerCommand<R> extends Command<R> {
  constructor(
    ctx: Ctx,
    protected readonly explorer: ExplorerProvider,
    protected readonly view: vscode.TreeView<unknown>,
    id: CommandId,
    title: string,
  ) {
    super(ctx, { id, title, writes: false });
  }

  protected get state(): ExplorerState {
    return this.explorer.state;
  }
}

/**
 * Refresh (view title, context node) and Retry (error nodes): one context again, or everything. A writing
 * command passes `afterWrite: true`: the context's watches are only woken, not restarted.
 */
class Refresh extends ExplorerCommand<void> {
  constructor(ctx: Ctx, e: ExplorerProvider, v: vscode.TreeView<unknown>, id: CommandId = COMMAND.refresh) {
    super(ctx, e, v, id, id === COMMAND.retry ? 'Retry' : 'Refresh');
  }
  protected async run(args: Args): Promise<void> {
    const context = str(args.context);
    if (context && args.afterWrite === true) this.state.nudge(context);
    else if (context) this.state.retry(context);
    else await this.state.reload();
  }
}

class OpenYaml extends ExplorerCommand<string> {
  constructor(ctx: Ctx, e: ExplorerProvider, v: vscode.TreeView<unknown>) {
    super(ctx, e, v, COMMAND.openYaml, 'Open YAML');
  }
  protected async run(args: Args): Promise<string> {
    const ref = objectRef(args);
    if (!ref) throw new Cancelled();
    const doc = await vscode.workspace.openTextDocument(objectUri(ref));
    await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
    await vscode.window.showTextDocument(doc, { preview: true });
    return doc.uri.toString();
  }
}

class CopyName extends ExplorerCommand<string> {
  constructor(ctx: Ctx, e: ExplorerProvider, v: vscode.TreeView<unknown>) {
    super(ctx, e, v, COMMAND.copyName, 'Copy name');
  }
  protected async run(args: Args): Promise<string> {
    const o = args.object as { name?: unknown } | undefined;
    const name = str(o?.name) ?? str(args.namespace) ?? str(args.context);
    if (!name) throw new Cancelled();
    await vscode.env.clipboard.writeText(name);
    return name;
  }
}

class GetKubeconfig extends ExplorerCommand<{ action: KubeconfigAction; target?: string }> {
  constructor(ctx: Ctx, e: ExplorerProvider, v: vscode.TreeView<unknown>) {
    super(ctx, e, v, COMMAND.getKubeconfig, 'Workload kubeconfig');
  }
  protected run(args: Args): Promise<{ action: KubeconfigAction; target?: string }> {
    const ref = objectRef(args);
    if (!ref || ref.kind !== 'clusters') throw new Cancelled();
    return getWorkloadKubeconfig(this.state, {
      context: ref.context,
      namespace: ref.namespace,
      name: ref.name,
      action: args.action as KubeconfigAction | undefined,
      target: str(args.target),
      confirmed: args.confirmed === true,
    });
  }
}

class FilterTenants extends ExplorerCommand<string> {
  constructor(ctx: Ctx, e: ExplorerProvider, v: vscode.TreeView<unknown>) {
    super(ctx, e, v, COMMAND.filterTenants, 'Filter tenants');
  }
  protected async run(args: Args): Promise<string> {
    const filter =
      typeof args.text === 'string'
        ? args.text
        : await vscode.window.showInputBox({
            title: 'Filter tenants',
            prompt: 'Part of a namespace name (empty shows all)',
            value: this.state.filter,
          });
    if (filter === undefined) throw new Cancelled();
    this.state.setView({ filter });
    this.view.description = filter ? `filter: ${filter}` : undefined;
    return filter;
  }
}

function setShowAll(state: ExplorerState, value: boolean): void {
  state.setView({ showAllNamespaces: value });
  void vscode.commands.executeCommand('setContext', SHOW_ALL_KEY, value);
}

class ShowAllNamespaces extends ExplorerCommand<void> {
  constructor(ctx: Ctx, e: ExplorerProvider, v: vscode.TreeView<unknown>) {
    super(ctx, e, v, COMMAND.showAllNamespaces, 'Show all namespaces');
  }
  protected async run(): Promise<void> {
    setShowAll(this.state, true);
  }
}

class ShowTenantsOnly extends ExplorerCommand<void> {
  constructor(ctx: Ctx, e: ExplorerProvider, v: vscode.TreeView<unknown>) {
    super(ctx, e, v, COMMAND.showTenantsOnly, 'Show tenants only');
  }
  protected async run(): Promise<void> {
    setShowAll(this.state, false);
  }
}

class CheckDrift extends ExplorerCommand<PropagationResult | undefined> {
  constructor(ctx: Ctx, e: ExplorerProvider, v: vscode.TreeView<unknown>) {
    super(ctx, e, v, COMMAND.checkDrift, 'Check credential drift');
  }
  protected run(args: Args): Promise<PropagationResult | undefined> {
    const context = str(args.context);
    const namespace = str(args.namespace);
    if (!context || !namespace) throw new Cancelled();
    const { context: _c, namespace: _n, cluster, clusters, object: _o, ...opts } = args as Record<string, unknown>;
    const fromNode = str(cluster) ?? (Array.isArray(clusters) ? str(clusters[0]) : undefined);
    return checkDrift(this.state, { context, namespace, ...(fromNode ? { cluster: fromNode } : {}) }, opts);
  }
}

class Snapshot extends ExplorerCommand<TreeSnapshot[]> {
  constructor(ctx: Ctx, e: ExplorerProvider, v: vscode.TreeView<unknown>) {
    super(ctx, e, v, COMMAND.snapshot, 'Explorer snapshot');
  }
  protected run(args: Args): Promise<TreeSnapshot[]> {
    return snapshot(this.explorer, args as { expand?: string[]; timeoutMs?: number }, this.view.selection);
  }
}

const REVEAL_TIMEOUT_MS = 30_000;

/**
 * Reveals (selects) the node of a workload cluster `{context, namespace, name}`, waiting until it is in
 * the tree (a cluster just ordered appears with the next watch event): bounded by `timeoutMs` (30 s) and
 * cancellable from its progress notification. Resolves to whether it was revealed.
 */
class RevealCluster extends ExplorerCommand<boolean> {
  constructor(ctx: Ctx, e: ExplorerProvider, v: vscode.TreeView<unknown>) {
    super(ctx, e, v, COMMAND.revealCluster, 'Reveal in tree');
  }
  protected async run(args: Args): Promise<boolean> {
    const { context, namespace, name } = args;
    if (typeof context !== 'string' || typeof namespace !== 'string' || typeof name !== 'string') throw new Cancelled();
    const timeoutMs = typeof args.timeoutMs === 'number' ? args.timeoutMs : REVEAL_TIMEOUT_MS;
    const path = [
      ids.context(context),
      ids.tenant(context, namespace),
      ids.group(context, namespace, 'clusters'),
      ids.object(context, namespace, 'clusters', name),
    ];
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Revealing ${namespace}/${name} in the tree…`, cancellable: true },
      async (_progress, token) => {
        const stop = new AbortController();
        const cancel = token.onCancellationRequested(() => stop.abort());
        const bound = timeout(timeoutMs, () => stop.abort());
        try {
          while (!stop.signal.aborted) {
            const node = await this.explorer.find(path);
            if (node) {
              await this.view.reveal(node, { select: true, focus: true });
              return true;
            }
            // the next state change, or a second: whichever comes first
            let sub: vscode.Disposable | undefined;
            await delay(1000, stop.signal, (wakeUp) => (sub = this.state.onDidChange(wakeUp))).catch(() => undefined);
            sub?.dispose();
          }
          if (!token.isCancellationRequested)
            void vscode.window.showInformationMessage(`${namespace}/${name} did not appear in the tree within ${timeoutMs / 1000} s.`);
          return false;
        } finally {
          bound.dispose();
          cancel.dispose();
        }
      },
    );
  }
}

/** Registers every explorer command (each registers itself with the command base). */
export function registerExplorerCommands(ctx: Ctx, explorer: ExplorerProvider, view: vscode.TreeView<unknown>): void {
  new Refresh(ctx, explorer, view);
  new Refresh(ctx, explorer, view, COMMAND.retry);
  new OpenYaml(ctx, explorer, view);
  new CopyName(ctx, explorer, view);
  new GetKubeconfig(ctx, explorer, view);
  new FilterTenants(ctx, explorer, view);
  new ShowAllNamespaces(ctx, explorer, view);
  new ShowTenantsOnly(ctx, explorer, view);
  new CheckDrift(ctx, explorer, view);
  new Snapshot(ctx, explorer, view);
  new RevealCluster(ctx, explorer, view);
}

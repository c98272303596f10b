/**
 * Wires the management-cluster explorer: the tree view, its commands (all of which accept explicit
 * arguments, so tests and other callers need no UI), the read-only object documents, and the
 * start/stop of watches with expansion and visibility.
 */
import * as vscode from 'vscode';
import { RESOURCE_KINDS, type ResourceKind } from '../core/capi/tenants';
import type { Ctx } from '../ctx';
import { checkDrift } from './checkDrift';
import { ExplorerProvider, type ExplorerSettings } from './explorer';
import type { ExplorerNode } from './nodes';
import { OBJECT_SCHEME, ObjectDocumentProvider, type ObjectRef, objectUri } from './objectDocument';
import { type KubeconfigAction, getWorkloadKubeconfig } from './workloadKubeconfig';

export const VIEW_ID = 'clusterStacks.explorer';
const SHOW_ALL_KEY = 'clusterStacks.explorer.showAllNamespaces';

function readSettings(): ExplorerSettings {
  const cfg = vscode.workspace.getConfiguration('clusterStacks');
  return {
    kubeconfigPaths: cfg.get<string[]>('kubeconfigPaths') ?? [],
    showAllNamespaces: cfg.get<boolean>('explorer.showAllNamespaces') ?? false,
    namespaces: cfg.get<string[]>('explorer.namespaces') ?? [],
  };
}

/** An explorer node, or a plain `{context, kind, namespace, name}` from a test or another command. */
function toRef(arg: unknown): ObjectRef | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const a = arg as Partial<ObjectRef> & { type?: string; cluster?: string };
  if (a.type === 'release' && a.context && a.namespace && a.name)
    return { context: a.context, kind: 'clusterstackreleases', namespace: a.namespace, name: a.name };
  if (typeof a.context !== 'string' || typeof a.name !== 'string') return undefined;
  const kind = (a.kind ?? 'clusters') as ResourceKind;
  if (!(RESOURCE_KINDS as readonly string[]).includes(kind)) return undefined;
  return { context: a.context, kind, namespace: a.namespace ?? '', name: a.name };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function registerExplorer(ctx: Ctx): ExplorerProvider {
  const explorer = ctx.own(new ExplorerProvider(readSettings(), ctx.log));
  const view = ctx.own(vscode.window.createTreeView(VIEW_ID, { treeDataProvider: explorer, showCollapseAll: true }));
  void vscode.commands.executeCommand('setContext', SHOW_ALL_KEY, explorer.showAllNamespaces);

  ctx.own(vscode.workspace.registerTextDocumentContentProvider(OBJECT_SCHEME, new ObjectDocumentProvider(explorer)));

  ctx.own(view.onDidExpandElement((e) => e.element.type === 'context' && explorer.startContext(e.element.context)));
  ctx.own(view.onDidCollapseElement((e) => e.element.type === 'context' && explorer.stopContext(e.element.context)));
  ctx.own(
    view.onDidChangeVisibility((e) => {
      // Watches run only while somebody can see them; VS Code asks again for expanded nodes when shown.
      if (!e.visible) explorer.stopAll();
    }),
  );
  ctx.own(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('clusterStacks.kubeconfigPaths') || e.affectsConfiguration('clusterStacks.explorer')) {
        explorer.reload(readSettings());
        void vscode.commands.executeCommand('setContext', SHOW_ALL_KEY, explorer.showAllNamespaces);
      }
    }),
  );

  const reg = (id: string, fn: (...args: unknown[]) => unknown) => ctx.own(vscode.commands.registerCommand(id, fn));

  reg('clusterStacks.explorer.refresh', (arg?: unknown) => {
    const node = arg as ExplorerNode | undefined;
    if (node && typeof node === 'object' && 'context' in node && node.context) explorer.retry(node.context);
    else explorer.reload(readSettings());
  });
  reg('clusterStacks.explorer.retry', (arg?: unknown) => {
    const node = arg as { context?: string } | undefined;
    if (node?.context) explorer.retry(node.context);
    else explorer.reload(readSettings());
  });
  reg('clusterStacks.explorer.openYaml', async (arg?: unknown) => {
    const ref = toRef(arg);
    if (!ref) return undefined;
    const doc = await vscode.workspace.openTextDocument(objectUri(ref));
    await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
    await vscode.window.showTextDocument(doc, { preview: true });
    return doc.uri.toString();
  });
  reg('clusterStacks.explorer.copyName', async (arg?: unknown) => {
    const a = arg as { name?: string; namespace?: string; context?: string; type?: string } | undefined;
    const name = a?.type === 'tenant' ? a.namespace : a?.type === 'context' ? a.context : a?.name;
    if (!name) return undefined;
    await vscode.env.clipboard.writeText(name);
    return name;
  });
  reg('clusterStacks.explorer.getKubeconfig', async (arg?: unknown, opts?: unknown) => {
    const ref = toRef(arg);
    if (!ref || ref.kind !== 'clusters') return undefined;
    const o = (opts ?? {}) as { action?: KubeconfigAction; target?: string; confirmed?: boolean };
    try {
      return await getWorkloadKubeconfig(explorer, { context: ref.context, namespace: ref.namespace, name: ref.name, ...o });
    } catch (e) {
      void vscode.window.showErrorMessage(`Kubeconfig of ${ref.namespace}/${ref.name}: ${errorText(e)}`);
      return undefined;
    }
  });
  reg('clusterStacks.explorer.filterTenants', async (arg?: unknown) => {
    const filter =
      typeof arg === 'string'
        ? arg
        : await vscode.window.showInputBox({
            title: 'Filter tenants',
            prompt: 'Part of a namespace name (empty shows all)',
            value: explorer.filter,
          });
    if (filter === undefined) return undefined;
    explorer.setView({ filter });
    view.description = filter ? `filter: ${filter}` : undefined;
    return filter;
  });
  const setShowAll = (value: boolean) => {
    explorer.setView({ showAllNamespaces: value });
    void vscode.commands.executeCommand('setContext', SHOW_ALL_KEY, value);
  };
  reg('clusterStacks.explorer.showAllNamespaces', () => setShowAll(true));
  reg('clusterStacks.explorer.showTenantsOnly', () => setShowAll(false));
  reg('clusterStacks.explorer.checkDrift', async (arg?: unknown, opts?: unknown) => {
    const a = arg as { type?: string; context?: string; namespace?: string; name?: string; cluster?: string; kind?: string } | undefined;
    if (!a?.context || !a.namespace) return undefined;
    const cluster = a.type === 'clusterCredentials' ? a.cluster : a.type === 'object' && a.kind === 'clusters' ? a.name : a.cluster;
    return checkDrift(
      explorer,
      { context: a.context, namespace: a.namespace, ...(cluster ? { cluster } : {}) },
      (opts ?? {}) as Parameters<typeof checkDrift>[2],
    );
  });
  reg('clusterStacks.explorer.snapshot', (arg?: unknown) => explorer.snapshot((arg ?? {}) as { expand?: string[]; timeoutMs?: number }));
  return explorer;
}

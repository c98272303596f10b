/**
 * The explorer's test hook `clusterStacks.explorer.snapshot`: the rendered tree as plain, serialisable
 * nodes (tests and the benchmark read it). Contexts listed in `expand` (all when omitted) are started
 * and awaited first, each at most `timeoutMs`; the wait's timer ends with the wait.
 */
import * as vscode from 'vscode';
import { delay } from '../../lifecycle';
import type { ExplorerNode } from './nodes';
import type { ExplorerProvider } from './provider';

export interface TreeSnapshot {
  id?: string;
  label: string;
  description?: string;
  tooltip?: string;
  contextValue?: string;
  icon?: string;
  color?: string;
  children?: TreeSnapshot[];
  /** The node is selected in the tree view. */
  selected?: true;
}

export async function snapshot(
  explorer: ExplorerProvider,
  opts: { expand?: string[]; timeoutMs?: number } = {},
  selection: readonly unknown[] = [],
): Promise<TreeSnapshot[]> {
  const { state } = explorer;
  await state.ready;
  const targets = opts.expand ?? (state.kubeconfig?.contexts ?? []).map((c) => c.name);
  await Promise.all(
    targets.map(async (name) => {
      const cache = await state.expandContext(name);
      const done = new AbortController();
      try {
        await Promise.race([cache.whenSynced(), delay(opts.timeoutMs ?? 20_000, done.signal).catch(() => undefined)]);
      } finally {
        done.abort();
      }
    }),
  );
  const walk = async (node: ExplorerNode): Promise<TreeSnapshot> => {
    const item = explorer.getTreeItem(node);
    const icon = item.iconPath instanceof vscode.ThemeIcon ? item.iconPath : undefined;
    const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
    const tooltip = typeof item.tooltip === 'string' ? item.tooltip : item.tooltip?.value;
    const expand = node.type !== 'context' || targets.includes(node.context);
    const children =
      item.collapsibleState !== vscode.TreeItemCollapsibleState.None && expand
        ? await Promise.all((await explorer.getChildren(node)).map(walk))
        : undefined;
    return {
      id: item.id,
      label,
      description: typeof item.description === 'string' ? item.description : undefined,
      tooltip,
      contextValue: item.contextValue,
      icon: icon?.id,
      color: icon?.color?.id,
      children,
      ...(selection.includes(node) ? { selected: true as const } : {}),
    };
  };
  return Promise.all((await explorer.getChildren()).map(walk));
}

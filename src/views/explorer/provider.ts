/**
 * The management-cluster explorer as a TreeDataProvider: kubeconfig contexts → tenants → groups
 * (workload clusters, cluster stacks, credentials, ClusterResourceSets). Children come from
 * children.ts, items from render.ts, data from state.ts; a state change refreshes only the tenant nodes
 * whose namespace changed, or the context node when the tenant set or a state changed.
 */
import * as vscode from 'vscode';
import { Disposable } from '../../lifecycle';
import { Children } from './children';
import { type ExplorerNode, NodeRegistry, ids } from './nodes';
import { Renderer } from './render';
import type { ExplorerState, StateChange } from './state';

export class ExplorerProvider extends Disposable implements vscode.TreeDataProvider<ExplorerNode> {
  private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<ExplorerNode | undefined>());
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private readonly registry = new NodeRegistry();
  private readonly children: Children;
  private readonly renderer: Renderer;

  constructor(readonly state: ExplorerState) {
    super();
    this.children = new Children(state, this.registry);
    this.renderer = new Renderer(state);
    this._register(state.onDidChange((c) => this.onStateChange(c)));
  }

  private onStateChange(c: StateChange): void {
    if (c.kind === 'all') return this._onDidChangeTreeData.fire(undefined);
    if (!this.state.cache(c.context)?.started) this.registry.dropContext(c.context);
    const ctxNode = this.registry.find(ids.context(c.context));
    if (!ctxNode) return;
    if (c.kind === 'context') return this._onDidChangeTreeData.fire(ctxNode);
    for (const ns of c.namespaces) {
      const node = this.registry.find(ids.tenant(c.context, ns));
      if (node) this._onDidChangeTreeData.fire(node);
    }
  }

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    const children = await this.childrenOf(node);
    this.registry.listed(children, node);
    return children;
  }

  /** Known for every node VS Code has been given (it was listed under its parent first); `reveal` needs it. */
  getParent(node: ExplorerNode): ExplorerNode | undefined {
    return this.registry.parentOf(node);
  }

  /** The node at the end of `path` (ids from the root down), listing each level; undefined while a level lacks it. */
  async find(path: readonly string[]): Promise<ExplorerNode | undefined> {
    let node: ExplorerNode | undefined;
    for (const id of path) {
      // Revealing something inside a context expands it (its children start its cache again).
      if (node?.type === 'context') void this.state.expandContext(node.context).catch(() => undefined);
      node = (await this.getChildren(node)).find((c) => c.id === id);
      if (!node) return undefined;
    }
    return node;
  }

  private async childrenOf(node?: ExplorerNode): Promise<ExplorerNode[]> {
    // A context's cache is asked for before anything is awaited: a collapse handled while this request
    // waits ends the cache it asked for (VS Code may deliver both in one batch).
    const cache = node?.type === 'context' ? this.state.cacheForChildren(node.context) : undefined;
    await this.state.ready;
    if (!node) return this.children.root();
    switch (node.type) {
      case 'context':
        return this.children.context(node.context, cache);
      case 'tenant':
        return this.children.tenant(node.context, node.namespace);
      case 'group':
        return this.children.group(node.context, node.namespace, node.group);
      case 'object':
        return this.children.object(node);
      default:
        return [];
    }
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    return this.renderer.item(node);
  }
}

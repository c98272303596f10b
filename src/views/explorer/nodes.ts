/**
 * Explorer node identities (after vscode-kubernetes-tools' node-type union). A node holds only what
 * identifies it; labels and states are read from the context's cache when VS Code asks for the item,
 * so a node object can be reused across refreshes and passed to `onDidChangeTreeData`.
 */
import type { ConditionGroup } from '../../core/capi/status';
import type { ResourceKind } from '../../core/capi/tenants';

export type GroupKind = 'clusters' | 'stacks' | 'credentials' | 'resourceSets';

export type ExplorerNode =
  | { type: 'context'; id: string; context: string }
  | { type: 'tenant'; id: string; context: string; namespace: string }
  | { type: 'group'; id: string; context: string; namespace: string; group: GroupKind }
  | { type: 'object'; id: string; context: string; namespace: string; kind: ResourceKind; name: string }
  | { type: 'condition'; id: string; context: string; namespace: string; cluster: string; group: ConditionGroup; condition: string }
  | { type: 'release'; id: string; context: string; namespace: string; name: string }
  | { type: 'clusterCredentials'; id: string; context: string; namespace: string; cluster: string }
  | {
      type: 'message';
      id: string;
      context?: string;
      severity: 'info' | 'error' | 'loading';
      label: string;
      detail?: string;
      retry?: boolean;
    };

/** Keeps one object per id so VS Code can match `onDidChangeTreeData` elements to rendered items. */
export class NodeRegistry {
  private readonly nodes = new Map<string, ExplorerNode>();
  /** The parent each node was last listed under (root nodes: undefined), for `getParent`. */
  private readonly parents = new Map<string, ExplorerNode | undefined>();

  get<T extends ExplorerNode>(node: T): T {
    const existing = this.nodes.get(node.id);
    if (existing) {
      Object.assign(existing, node);
      return existing as T;
    }
    this.nodes.set(node.id, node);
    return node;
  }

  find(id: string): ExplorerNode | undefined {
    return this.nodes.get(id);
  }

  listed(children: readonly ExplorerNode[], parent: ExplorerNode | undefined): void {
    for (const c of children) this.parents.set(c.id, parent);
  }

  parentOf(node: ExplorerNode): ExplorerNode | undefined {
    return this.parents.get(node.id);
  }

  /** Forgets every node of a context (it was stopped). */
  dropContext(context: string): void {
    for (const [id, n] of this.nodes)
      if (n.context === context && n.type !== 'context') {
        this.nodes.delete(id);
        this.parents.delete(id);
      }
  }
}

const enc = encodeURIComponent;
export const ids = {
  context: (c: string) => `ctx:${enc(c)}`,
  tenant: (c: string, ns: string) => `ctx:${enc(c)}/ns:${ns}`,
  group: (c: string, ns: string, g: GroupKind) => `ctx:${enc(c)}/ns:${ns}/${g}`,
  object: (c: string, ns: string, kind: ResourceKind, name: string) => `ctx:${enc(c)}/ns:${ns}/${kind}:${name}`,
};

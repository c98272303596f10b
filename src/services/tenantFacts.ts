/**
 * Live tenant facts (ClusterClasses and release versions, src/kube/tenantFacts.ts) for the editor's
 * cluster-stack diagnostics and ClusterClass variable schemas, from the kubeconfig's current context (or
 * the one an explorer document names): cached for 30 s per context and
 * namespace, read in the background through the shared connections (the lease ends with the read),
 * never in Restricted Mode. A cluster that cannot be reached just leaves the live checks out for a while.
 */
import * as vscode from 'vscode';
import type { LiveTenantFacts } from '../kube/api';
import { Disposable } from '../lifecycle';
import type { Connections } from './connections';
import { kube } from './kube';

const FACTS_TTL_MS = 30_000;

interface Entry {
  readonly at: number;
  readonly facts?: LiveTenantFacts;
  /** While a read is under way: who to call when it is done. */
  readonly waiting?: Set<() => void>;
}

export class TenantFactsCache extends Disposable {
  private readonly facts = new Map<string, Entry>();
  /** The current context as of the last read (the kubeconfig is read asynchronously). */
  private currentContext = '';

  constructor(private readonly connections: Connections) {
    super();
  }

  /**
   * The cached facts of `namespace` in `context` (default: the kubeconfig's current one); when they are
   * stale a background read starts (or is under way) and `onLoaded` runs once it is done.
   */
  peek(namespace: string | undefined, onLoaded: () => void, context?: string): LiveTenantFacts | undefined {
    if (!namespace || !vscode.workspace.isTrusted) return undefined;
    const key = `${context ?? this.currentContext}/${namespace}`;
    const entry = this.facts.get(key);
    const fresh = entry && Date.now() - entry.at < FACTS_TTL_MS;
    if (!fresh && entry?.waiting) entry.waiting.add(onLoaded);
    else if (!fresh) {
      const waiting = new Set([onLoaded]);
      void this.read(namespace, context).then((read) => {
        const actual = `${read.context}/${namespace}`;
        // The placeholder entry was filed under the context known before the read.
        if (actual !== key) this.facts.delete(key);
        this.facts.set(actual, { at: Date.now(), facts: read.facts });
        if (context === undefined) this.currentContext = read.context;
        if (!this.isDisposed) for (const callback of waiting) callback();
      });
      this.facts.set(key, { at: entry?.at ?? 0, facts: entry?.facts, waiting });
    }
    return entry?.facts;
  }

  private async read(namespace: string, given?: string): Promise<{ context: string; facts?: LiveTenantFacts }> {
    let context = given ?? this.currentContext;
    let conn;
    try {
      context = given ?? (await this.connections.kubeconfig()).currentContext ?? '';
      if (!context || this.isDisposed) return { context };
      conn = await this.connections.context(context);
      return { context, facts: await (await kube()).readTenantFacts(conn.client, namespace) };
    } catch {
      return { context }; // unreachable or forbidden: no live checks for a while
    } finally {
      conn?.dispose();
    }
  }
}

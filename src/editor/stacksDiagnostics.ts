/**
 * Diagnostics for cluster-stack manifests in YAML documents: ClusterStack and topology Cluster objects
 * (webhook-style rules of src/core/stacks) and the authoring files csctl.yaml, clusteraddon.yaml and
 * node-images.yaml. Topology Clusters are also checked against the live tenant (class exists, version
 * equals the release's) when the kubeconfig's current context can be read; those facts are cached for
 * 30 s per context and namespace, and a cluster that cannot be reached just leaves the live checks out.
 * Cluster reads happen only in a trusted workspace.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { KubeClient } from '../kube/apply';
import { forContext } from '../kube/kubeconfig';
import { concernsStacks, diagnoseStackText } from '../core/stacks/diagnose';
import type { TenantFacts } from '../core/stacks/topology';
import type { Ctx } from '../ctx';
import { Disposable } from '../lifecycle';
import { loadKubeconfig } from '../commands/kubeconfigSetting';
import { tenantFacts } from '../commands/stacksCommon';
import { KeyedDebouncer } from './debounce';
import { unanalysableReason } from './documents';
import { toDiagnostic } from './findings';
import { guarded } from './guard';

const DELAY_MS = 300;
const RED_HAT_YAML = 'redhat.vscode-yaml';
const FACTS_TTL_MS = 30_000;

export class StackDiagnostics extends Disposable {
  private readonly collection = this._register(vscode.languages.createDiagnosticCollection('cluster-stacks-manifests'));
  private readonly debouncer: KeyedDebouncer<string>;
  private readonly facts = new Map<string, { at: number; facts?: TenantFacts; loading?: Promise<void> }>();

  constructor(private readonly ctx: Ctx) {
    super();
    this.debouncer = this._register(
      new KeyedDebouncer<string>(DELAY_MS, (key) => {
        const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
        if (doc) this.lint(doc);
      }),
    );
    this._register(vscode.workspace.onDidOpenTextDocument((d) => this.lint(d)));
    this._register(
      vscode.workspace.onDidChangeTextDocument((e) => e.contentChanges.length && this.debouncer.schedule(e.document.uri.toString())),
    );
    this._register(
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.debouncer.cancel(d.uri.toString());
        this.collection.delete(d.uri);
      }),
    );
    for (const d of vscode.workspace.textDocuments) this.lint(d);
  }

  /** Current diagnostics of a document (for tests and other features). */
  diagnosticsOf(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }

  private lint(doc: vscode.TextDocument): void {
    if (doc.languageId !== 'yaml' || doc.uri.scheme === 'output') return;
    if (unanalysableReason(doc)) {
      this.collection.delete(doc.uri); // too large or binary: the clouds.yaml features say so already
      return;
    }
    const text = doc.getText();
    const file = doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.path;
    if (!concernsStacks(path.basename(file), text)) {
      this.collection.delete(doc.uri);
      return;
    }
    // Without Red Hat's YAML extension our in-process schema service validates these documents too (schemaFeatures.ts).
    const schemaRunsToo = !vscode.extensions.getExtension(RED_HAT_YAML);
    const findings = guarded(this.ctx, 'cluster-stack diagnostics', [], () =>
      diagnoseStackText(file, text, { factsFor: (ns) => this.factsFor(ns, doc), schemaRunsToo }),
    );
    this.collection.set(doc.uri, findings.map(toDiagnostic));
  }

  /** Cached facts of the current context's namespace; starts a background read (then re-lints) when stale. */
  private factsFor(namespace: string | undefined, doc: vscode.TextDocument): TenantFacts | undefined {
    if (!namespace || !vscode.workspace.isTrusted) return undefined;
    let context: string | undefined;
    try {
      context = loadKubeconfig().currentContext;
    } catch {
      return undefined;
    }
    if (!context) return undefined;
    const key = `${context}/${namespace}`;
    const entry = this.facts.get(key);
    const fresh = entry && Date.now() - entry.at < FACTS_TTL_MS;
    if (!fresh && !entry?.loading) {
      const loading = (async () => {
        try {
          const client = new KubeClient(forContext(loadKubeconfig(), context), {
            retries: 0,
            baseDelayMs: 0,
            maxDelayMs: 0,
            timeoutMs: 5000,
          });
          const facts = await tenantFacts(client, namespace);
          this.facts.set(key, { at: Date.now(), facts });
        } catch {
          this.facts.set(key, { at: Date.now() }); // unreachable or forbidden: no live checks for a while
        }
        if (!this.isDisposed) this.debouncer.schedule(doc.uri.toString());
      })();
      this.facts.set(key, { at: entry?.at ?? 0, facts: entry?.facts, loading });
    }
    return entry?.facts;
  }
}

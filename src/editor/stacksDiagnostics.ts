/**
 * Diagnostics for cluster-stack manifests in YAML documents: ClusterStack and topology Cluster objects
 * (webhook-style rules of src/core/stacks) and the authoring files csctl.yaml, clusteraddon.yaml and
 * node-images.yaml. Topology Clusters are also checked against the live tenant (class exists, version
 * equals the release's) with the facts of src/services/tenantFacts.ts (the kubeconfig's current context,
 * cached, trusted workspaces only); until they arrive, or when the cluster cannot be reached, the live
 * checks are left out. The rules run in the analysis worker (services/analysis), per document of the
 * stream, so an edit of a large manifest re-checks the document it changed; a result for a version that
 * is no longer current is dropped.
 */
import * as vscode from 'vscode';
import type { TenantFacts } from '../core/stacks/topology';
import type { DocumentAnalysis } from '../services/analysis/host';
import type { Ctx } from '../services/ctx';
import { Disposable } from '../lifecycle';
import type { TenantFactsCache } from '../services/tenantFacts';
import { KeyedDebouncer } from './debounce';
import { unanalysableReason } from '../services/documents';
import { toDiagnostic } from './findings';
import { logFailure } from './guard';

/** Gathers the edits of one moment; the worker skips versions replaced while they waited. */
const DELAY_MS = 15;
const RED_HAT_YAML = 'redhat.vscode-yaml';

export class StackDiagnostics extends Disposable {
  private readonly collection = this._register(vscode.languages.createDiagnosticCollection('cluster-stacks-manifests'));
  private readonly debouncer: KeyedDebouncer<string>;
  /** The namespaces each document's rules asked facts for, last time. */
  private readonly namespaces = new Map<string, readonly string[]>();

  constructor(
    private readonly ctx: Ctx,
    private readonly facts: TenantFactsCache,
    private readonly analysis: DocumentAnalysis,
  ) {
    super();
    this.debouncer = this._register(
      new KeyedDebouncer<string>(DELAY_MS, (key) => {
        const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
        if (doc) void this.lint(doc);
      }),
    );
    this._register(vscode.workspace.onDidOpenTextDocument((d) => void this.lint(d)));
    this._register(
      vscode.workspace.onDidChangeTextDocument((e) => e.contentChanges.length && this.debouncer.schedule(e.document.uri.toString())),
    );
    this._register(
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.debouncer.cancel(d.uri.toString());
        this.namespaces.delete(d.uri.toString());
        this.collection.delete(d.uri);
      }),
    );
    for (const d of vscode.workspace.textDocuments) void this.lint(d);
  }

  /** Current diagnostics of a document (for tests and other features). */
  diagnosticsOf(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }

  private async lint(doc: vscode.TextDocument): Promise<void> {
    if (doc.languageId !== 'yaml' || doc.uri.scheme === 'output') return;
    if (unanalysableReason(doc) || !this.analysis.has(doc.uri)) {
      this.collection.delete(doc.uri); // too large or binary: the clouds.yaml features say so already
      return;
    }
    const key = doc.uri.toString();
    const version = doc.version;
    const file = doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.path;
    // Without Red Hat's YAML extension our schema service validates these documents too (schemaFeatures.ts).
    const schemaRunsToo = !vscode.extensions.getExtension(RED_HAT_YAML);
    const relint = () => this.relint(doc);
    const known = new Map<string, TenantFacts>();
    for (const ns of this.namespaces.get(key) ?? []) {
      const f = this.facts.peek(ns, relint);
      if (f) known.set(ns, f);
    }
    try {
      const result = await this.analysis.stacks(doc, file, schemaRunsToo, known);
      if (!result || doc.isClosed || doc.version !== version) return;
      this.namespaces.set(key, result.namespaces);
      this.collection.set(doc.uri, result.findings.map(toDiagnostic));
      // Namespaces not asked about before: their facts (cached, or read in the background) count next time.
      if (result.namespaces.some((ns) => !known.has(ns) && this.facts.peek(ns, relint))) relint();
    } catch (e) {
      logFailure(this.ctx, 'cluster-stack diagnostics', e);
    }
  }

  /** Live facts arrived: lint again (debounced), unless the feature is gone. */
  private relint(doc: vscode.TextDocument): void {
    if (!this.isDisposed) this.debouncer.schedule(doc.uri.toString());
  }
}

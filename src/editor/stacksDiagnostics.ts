/**
 * Diagnostics for cluster-stack manifests in YAML documents: ClusterStack and topology Cluster objects
 * (webhook-style rules of src/core/stacks) and the authoring files csctl.yaml, clusteraddon.yaml and
 * node-images.yaml. Topology Clusters are also checked against the live tenant (class exists, version
 * equals the release's) with the facts of src/services/tenantFacts.ts (the kubeconfig's current context,
 * cached, trusted workspaces only); until they arrive, or when the cluster cannot be reached, the live
 * checks are left out.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { concernsStacks, diagnoseStackText } from '../core/stacks/diagnose';
import type { Ctx } from '../services/ctx';
import { Disposable } from '../lifecycle';
import type { TenantFactsCache } from '../services/tenantFacts';
import { KeyedDebouncer } from './debounce';
import { unanalysableReason } from '../services/documents';
import { toDiagnostic } from './findings';
import { guarded } from './guard';

const DELAY_MS = 300;
const RED_HAT_YAML = 'redhat.vscode-yaml';

export class StackDiagnostics extends Disposable {
  private readonly collection = this._register(vscode.languages.createDiagnosticCollection('cluster-stacks-manifests'));
  private readonly debouncer: KeyedDebouncer<string>;

  constructor(
    private readonly ctx: Ctx,
    private readonly facts: TenantFactsCache,
  ) {
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
      diagnoseStackText(file, text, { factsFor: (ns) => this.facts.peek(ns, () => this.relint(doc)), schemaRunsToo }),
    );
    this.collection.set(doc.uri, findings.map(toDiagnostic));
  }

  /** Live facts arrived: lint again (debounced), unless the feature is gone. */
  private relint(doc: vscode.TextDocument): void {
    if (!this.isDisposed) this.debouncer.schedule(doc.uri.toString());
  }
}

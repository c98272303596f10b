import * as vscode from 'vscode';
import { CODES } from '../core/clouds';
import type { Finding } from '../core/findings';
import { lintCloudConf } from '../core/gcfg/lint';
import type { Ctx } from '../services/ctx';
import { Disposable } from '../lifecycle';
import { type CloudsModel, sameGroup } from '../services/cloudsModel';
import { documentDebouncer, type KeyedDebouncer } from './debounce';
import { corePath, unanalysableReason } from '../services/documents';
import { logFailure } from './guard';
import { DIAGNOSTIC_SOURCE, toDiagnostic } from './findings';

const LINT_DELAY_MS = 300;

/**
 * The core's rule findings as diagnostics (source `cluster-stacks`, code = finding code) on clouds.yaml,
 * secure.yaml, clouds-public.yaml and cloud.conf documents: on open, debounced on edit (also when a file
 * read together with it changes), cleared on close. Keeps the findings for the quick fixes.
 */
export class RuleDiagnostics extends Disposable {
  private readonly collection = this._register(vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE));
  private readonly findings = new Map<string, { version: number; findings: readonly Finding[] }>();
  private readonly debouncer: KeyedDebouncer<string>;

  constructor(
    private readonly ctx: Ctx,
    private readonly model: CloudsModel,
  ) {
    super();
    this.debouncer = this._register(documentDebouncer(LINT_DELAY_MS, (doc) => this.lint(doc)));
    this._register(vscode.workspace.onDidOpenTextDocument((doc) => this.lint(doc)));
    this._register(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length && (this.model.kindOf(e.document) || this.findings.has(e.document.uri.toString()))) {
          this.debouncer.schedule(e.document.uri.toString());
        }
      }),
    );
    this._register(
      model.onDidChange((uri) => {
        for (const doc of vscode.workspace.textDocuments) {
          if (sameGroup(doc.uri, uri) && this.model.kindOf(doc)) this.debouncer.schedule(doc.uri.toString());
        }
      }),
    );
    this._register(
      vscode.workspace.onDidCloseTextDocument((doc) => {
        const key = doc.uri.toString();
        this.debouncer.cancel(key);
        this.findings.delete(key);
        this.collection.delete(doc.uri);
      }),
    );
    for (const doc of vscode.workspace.textDocuments) this.lint(doc);
    ctx.own(this);
  }

  /** The findings of `doc` at its current version (recomputed when the published ones are stale). */
  findingsFor(doc: vscode.TextDocument): readonly Finding[] {
    const known = this.findings.get(doc.uri.toString());
    if (known && known.version === doc.version) return known.findings;
    return this.lint(doc);
  }

  private lint(doc: vscode.TextDocument): readonly Finding[] {
    const key = doc.uri.toString();
    try {
      const kind = this.model.kindOf(doc);
      if (!kind) {
        this.findings.delete(key);
        this.collection.delete(doc.uri);
        return [];
      }
      const skipped = unanalysableReason(doc);
      if (skipped) {
        const info = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), skipped, vscode.DiagnosticSeverity.Information);
        info.source = DIAGNOSTIC_SOURCE;
        info.code = CODES.limits;
        this.findings.set(key, { version: doc.version, findings: [] });
        this.collection.set(doc.uri, [info]);
        return [];
      }
      const findings = kind === 'cloud-conf' ? lintCloudConf(doc.getText()) : this.cloudsFindings(doc, kind);
      this.findings.set(key, { version: doc.version, findings });
      this.collection.set(doc.uri, findings.map(toDiagnostic));
      return findings;
    } catch (e) {
      logFailure(this.ctx, `checking a ${doc.languageId} document`, e);
      this.collection.delete(doc.uri);
      return [];
    }
  }

  private cloudsFindings(doc: vscode.TextDocument, kind: 'clouds' | 'secure' | 'public'): readonly Finding[] {
    const cloudsUri = this.model.cloudsUriFor(doc);
    const analysis = cloudsUri
      ? this.model.analyze(cloudsUri)?.analysis
      : kind !== 'clouds'
        ? this.model.analyzeAlone(doc, kind)
        : undefined;
    return analysis?.findings.get(corePath(doc.uri)) ?? [];
  }
}

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

/**
 * Only gathers the edits of one moment: the analysis runs in the worker, which skips versions that were
 * replaced while they waited, so a burst of typing costs it one analysis.
 */
const LINT_DELAY_MS = 15;

/**
 * The core's rule findings as diagnostics (source `cluster-stacks`, code = finding code) on clouds.yaml,
 * secure.yaml, clouds-public.yaml and cloud.conf documents: on open, on edit (also when a file read
 * together with it changes), cleared on close; the clouds.yaml family is analysed in the worker
 * (services/analysis) and a result for a version that is no longer current is dropped. Keeps the
 * findings for the quick fixes.
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
    this.debouncer = this._register(documentDebouncer(LINT_DELAY_MS, (doc) => void this.lint(doc)));
    this._register(vscode.workspace.onDidOpenTextDocument((doc) => void this.lint(doc)));
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
    for (const doc of vscode.workspace.textDocuments) void this.lint(doc);
    ctx.own(this);
  }

  /** The findings of `doc` at its current version (recomputed when the published ones are stale). */
  async findingsFor(doc: vscode.TextDocument): Promise<readonly Finding[]> {
    const known = this.findings.get(doc.uri.toString());
    if (known && known.version === doc.version) return known.findings;
    return (await this.lint(doc)) ?? [];
  }

  /** Lints `doc` and publishes the findings; undefined when `doc` changed before they came. */
  private async lint(doc: vscode.TextDocument): Promise<readonly Finding[] | undefined> {
    const key = doc.uri.toString();
    const version = doc.version;
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
      const findings = kind === 'cloud-conf' ? lintCloudConf(doc.getText()) : await this.cloudsFindings(doc, kind);
      if (!findings || doc.isClosed || doc.version !== version) return undefined;
      this.findings.set(key, { version: doc.version, findings });
      this.collection.set(doc.uri, findings.map(toDiagnostic));
      return findings;
    } catch (e) {
      logFailure(this.ctx, `checking a ${doc.languageId} document`, e);
      this.collection.delete(doc.uri);
      return [];
    }
  }

  /** undefined: the analysis went stale (`doc` changed while it waited). */
  private async cloudsFindings(doc: vscode.TextDocument, kind: 'clouds' | 'secure' | 'public'): Promise<readonly Finding[] | undefined> {
    const cloudsUri = this.model.cloudsUriFor(doc);
    if (!cloudsUri && kind === 'clouds') return [];
    const analysis = await (cloudsUri ? this.model.analyze(cloudsUri, doc) : this.model.analyzeAlone(doc, kind as 'secure' | 'public'));
    return analysis && (analysis.findings.get(corePath(doc.uri)) ?? []);
  }
}

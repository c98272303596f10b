import * as vscode from 'vscode';
import type * as lsp from 'yaml-language-server';
import { stackSchemaKind } from '../core/stacks/diagnose';
import type { DocumentAnalysis } from '../services/analysis/host';
import type { Config } from '../services/config';
import type { Ctx } from '../services/ctx';
import { Disposable } from '../lifecycle';
import { documentDebouncer, type KeyedDebouncer } from './debounce';
import { documentKind, textLength, unanalysableReason } from '../services/documents';
import { logFailure } from './guard';
import type { ClusterVariableSchemas } from './classVariables';
import type { SchemaKind, YamlService } from './yamlService';

const RED_HAT_YAML = 'redhat.vscode-yaml';
const VALIDATE_DELAY_MS = 300;
/**
 * yaml-language-server needs ~0.5–2 s for a 400 KB clouds.yaml (2,000 clouds), in the analysis worker
 * but still in the way of the rule diagnostics queued behind it; above this size the schema features
 * are skipped (the rule diagnostics stay).
 */
const MAX_SCHEMA_CHARS = 256 * 1024;

function schemaKind(doc: vscode.TextDocument, config: Config): SchemaKind | undefined {
  // Size first: the kind checks below read the text.
  if (doc.languageId !== 'yaml' || textLength(doc) > MAX_SCHEMA_CHARS || unanalysableReason(doc)) return undefined;
  const kind = documentKind(doc, config);
  return kind === 'cloud-conf' ? undefined : (kind ?? stackSchemaKind(doc.uri.path, doc.getText()));
}

function toRange(r: lsp.Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

function toMarkdown(content: lsp.MarkupContent | lsp.MarkedString | lsp.MarkedString[] | string): vscode.MarkdownString {
  if (Array.isArray(content)) return new vscode.MarkdownString(content.map((c) => (typeof c === 'string' ? c : c.value)).join('\n\n'));
  return new vscode.MarkdownString(typeof content === 'string' ? content : content.value);
}

const SEVERITY: Record<number, vscode.DiagnosticSeverity> = {
  1: vscode.DiagnosticSeverity.Error,
  2: vscode.DiagnosticSeverity.Warning,
  3: vscode.DiagnosticSeverity.Information,
  4: vscode.DiagnosticSeverity.Hint,
};

function toDiagnostic(d: lsp.Diagnostic): vscode.Diagnostic {
  const message = typeof d.message === 'string' ? d.message : d.message.value;
  const out = new vscode.Diagnostic(toRange(d.range), message, SEVERITY[d.severity ?? 2] ?? vscode.DiagnosticSeverity.Warning);
  if (d.source) out.source = d.source;
  if (d.code !== undefined) out.code = d.code;
  return out;
}

function toCompletion(item: lsp.CompletionItem): vscode.CompletionItem {
  const out = new vscode.CompletionItem(item.label, item.kind ? ((item.kind - 1) as vscode.CompletionItemKind) : undefined);
  const text = item.textEdit?.newText ?? item.insertText ?? item.label;
  out.insertText = item.insertTextFormat === 2 ? new vscode.SnippetString(text) : text;
  if (item.textEdit && 'range' in item.textEdit) out.range = toRange(item.textEdit.range);
  if (item.detail) out.detail = item.detail;
  if (item.documentation) out.documentation = toMarkdown(item.documentation);
  if (item.filterText) out.filterText = item.filterText;
  if (item.sortText) out.sortText = item.sortText;
  return out;
}

/**
 * Schema-driven completion, hover and validation for clouds.yaml, secure.yaml and clouds-public.yaml,
 * from yaml-language-server running in the analysis worker (services/analysis) with the schemas in
 * `schemas/`. The worker loads the service (dist/yaml-service.js) on the first such document.
 *
 * With Red Hat's YAML extension installed we skip all of this: it already validates, completes and
 * hovers every YAML file, and it picks up our schemas through the `yamlValidation` contribution in
 * package.json (files named clouds.yaml, secure.yaml, clouds-public.yaml), so running ours as well would
 * duplicate every schema diagnostic, completion and hover. Our rule diagnostics (source `cluster-stacks`)
 * are independent of this and stay.
 */
export class SchemaFeatures extends Disposable {
  private readonly collection = this._register(vscode.languages.createDiagnosticCollection('cluster-stacks-schema'));
  private service: YamlService | undefined;
  private readonly debouncer: KeyedDebouncer<string>;

  constructor(
    private readonly ctx: Ctx,
    private readonly analysis: DocumentAnalysis,
    private readonly variables: ClusterVariableSchemas,
  ) {
    super();
    this.debouncer = this._register(documentDebouncer(VALIDATE_DELAY_MS, (doc) => void this.validate(doc)));
    const selector: vscode.DocumentSelector = { language: 'yaml' };
    this._register(
      vscode.languages.registerCompletionItemProvider(selector, { provideCompletionItems: (doc, pos) => this.complete(doc, pos) }),
    );
    this._register(vscode.languages.registerHoverProvider(selector, { provideHover: (doc, pos) => this.hover(doc, pos) }));
    this._register(vscode.workspace.onDidOpenTextDocument((doc) => void this.validate(doc)));
    this._register(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length && e.document.languageId === 'yaml') this.debouncer.schedule(e.document.uri.toString());
      }),
    );
    this._register(
      vscode.workspace.onDidCloseTextDocument((doc) => {
        this.debouncer.cancel(doc.uri.toString());
        this.collection.delete(doc.uri);
      }),
    );
    this._register(vscode.extensions.onDidChange(() => this.redHatYamlChanged()));
    for (const doc of vscode.workspace.textDocuments) void this.validate(doc);
    ctx.own(this);
  }

  private get redHatYamlPresent(): boolean {
    return vscode.extensions.getExtension(RED_HAT_YAML) !== undefined;
  }

  private redHatYamlChanged(): void {
    if (this.redHatYamlPresent) this.collection.clear();
    else for (const doc of vscode.workspace.textDocuments) void this.validate(doc);
  }

  /** The language service for `doc`, loaded on first use; undefined when `doc` has no schema of ours. */
  private async serviceFor(doc: vscode.TextDocument): Promise<YamlService | undefined> {
    const kind = this.redHatYamlPresent ? undefined : schemaKind(doc, this.ctx.config);
    if (!kind) return undefined;
    // The worker's service asks which schema a document gets; the answer goes ahead of the call.
    this.analysis.schemaKind(doc.uri, kind);
    this.service ??= this.analysis.yamlService<YamlService>();
    return this.service;
  }

  /** The ClusterClass variable schema of a Cluster document (classVariables.ts); validates again when more is known. */
  private extraSchema(doc: vscode.TextDocument): Promise<object | undefined> {
    return this.variables.schemaFor(doc, () => {
      if (!this.isDisposed && !doc.isClosed) this.debouncer.schedule(doc.uri.toString());
    });
  }

  private async validate(doc: vscode.TextDocument): Promise<void> {
    try {
      const service = await this.serviceFor(doc);
      if (!service) {
        this.collection.delete(doc.uri);
        return;
      }
      const version = doc.version;
      const extra = await this.extraSchema(doc);
      // undefined: a later call replaced this one in the worker's queue.
      const diagnostics = (await service.validate(doc.uri.toString(), version, doc.getText(), extra)) as lsp.Diagnostic[] | undefined;
      if (!diagnostics || doc.isClosed || doc.version !== version) return;
      // Syntax errors (source "YAML") are reported by our own rules already; keep the schema findings.
      this.collection.set(doc.uri, diagnostics.filter((d) => d.source?.startsWith('yaml-schema')).map(toDiagnostic));
    } catch (e) {
      logFailure(this.ctx, 'schema validation', e);
    }
  }

  private async complete(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.CompletionList | undefined> {
    try {
      const service = await this.serviceFor(doc);
      if (!service) return undefined;
      const position = { line: pos.line, character: pos.character };
      const list = (await service.complete(doc.uri.toString(), doc.version, doc.getText(), position, await this.extraSchema(doc))) as
        lsp.CompletionList | undefined;
      if (!list) return undefined;
      return new vscode.CompletionList(list.items.map(toCompletion), list.isIncomplete);
    } catch (e) {
      logFailure(this.ctx, 'schema completion', e);
      return undefined;
    }
  }

  private async hover(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.Hover | undefined> {
    try {
      const service = await this.serviceFor(doc);
      if (!service) return undefined;
      const position = { line: pos.line, character: pos.character };
      const hover = await service.hover(doc.uri.toString(), doc.version, doc.getText(), position, await this.extraSchema(doc));
      return hover ? new vscode.Hover(toMarkdown(hover.contents), hover.range && toRange(hover.range)) : undefined;
    } catch (e) {
      logFailure(this.ctx, 'schema hover', e);
      return undefined;
    }
  }
}

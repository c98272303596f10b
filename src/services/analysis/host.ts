/**
 * Document analysis off the extension host's thread, the VS Code side: one analysis worker per window
 * (client.ts, worker.ts), started by the first analysis (not at activation), disposed with the Ctx. It
 * mirrors every YAML document that can be analysed into the worker: the text once when the worker
 * starts or the document opens, then only each edit's changes, so an edit never copies the document.
 * The services and the editor features ask through it for the clouds.yaml analysis and conversion, the
 * cluster-stack diagnostics and the YAML service; answers for a version that is no longer current come
 * back `undefined`.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CloudsAnalysis, ConversionResult } from '../../core/clouds/api';
import type { TenantFacts } from '../../core/stacks/topology';
import { Disposable } from '../../lifecycle';
import type { Ctx } from '../ctx';
import { MAX_ANALYSED_CHARS, PREVIEW_SCHEME, textLength } from '../documents';
import { AnalysisClient, type MirroredText } from './client';
import type { CloudsRefs, JobResults, PlainConvertOptions } from './protocol';

/** Documents the worker keeps: YAML files the features may analyse (not output channels, not previews). */
function mirrorable(doc: vscode.TextDocument): boolean {
  return (
    doc.languageId === 'yaml' && doc.uri.scheme !== 'output' && doc.uri.scheme !== PREVIEW_SCHEME && textLength(doc) <= MAX_ANALYSED_CHARS
  );
}

export class DocumentAnalysis extends Disposable {
  private readonly client: AnalysisClient;
  private readonly mirrored = new Set<string>();
  private readonly factIds = new WeakMap<TenantFacts, number>();
  private nextFactId = 1;

  constructor(ctx: Ctx) {
    super();
    const dist = path.join(ctx.extensionContext.extensionPath, 'dist');
    this.client = this._register(
      new AnalysisClient({
        workerFile: path.join(dist, 'analysis-worker.js'),
        init: { yamlServiceFile: path.join(dist, 'yaml-service.js'), schemaDir: path.join(ctx.extensionContext.extensionPath, 'schemas') },
        documents: () => this.texts(),
        onRestart: (line) => {
          ctx.log.warn(line);
          void vscode.window.showWarningMessage(line);
        },
      }),
    );
    this._register(vscode.workspace.onDidOpenTextDocument((doc) => this.track(doc)));
    this._register(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!e.contentChanges.length) return;
        const key = e.document.uri.toString();
        if (!this.mirrored.has(key)) return this.track(e.document);
        if (!mirrorable(e.document)) return this.untrack(key);
        const changes = e.contentChanges.map((c) => ({ offset: c.rangeOffset, length: c.rangeLength, text: c.text }));
        this.client.change(key, e.document.version, changes, textLength(e.document));
      }),
    );
    this._register(vscode.workspace.onDidCloseTextDocument((doc) => this.untrack(doc.uri.toString())));
    for (const doc of vscode.workspace.textDocuments) this.track(doc);
  }

  /** True when the worker has `uri`'s text (a file ref may name it instead of carrying its text). */
  has(uri: vscode.Uri): boolean {
    return this.mirrored.has(uri.toString());
  }

  clouds(doc: { uri: vscode.Uri; version: number }, refs: CloudsRefs, options: PlainConvertOptions): Promise<CloudsAnalysis | undefined> {
    const uri = doc.uri.toString();
    return this.client.request({ method: 'clouds', uri, version: doc.version, refs, options }, `clouds:${uri}`);
  }

  convert(
    doc: { uri: vscode.Uri; version: number },
    refs: CloudsRefs,
    cloud: string,
    options: PlainConvertOptions,
  ): Promise<ConversionResult | undefined> {
    const uri = doc.uri.toString();
    return this.client.request({ method: 'convert', uri, version: doc.version, refs, cloud, options });
  }

  /** The cluster-stack findings of `doc` with the facts `factsFor` has now; `namespaces`: whose facts the rules wanted. */
  stacks(
    doc: vscode.TextDocument,
    file: string,
    schemaRunsToo: boolean,
    facts: ReadonlyMap<string, TenantFacts>,
  ): Promise<JobResults['stacks'] | undefined> {
    const uri = doc.uri.toString();
    const withIds: Record<string, { id: number; facts: TenantFacts }> = {};
    for (const [ns, f] of facts) withIds[ns] = { id: this.factId(f), facts: f };
    return this.client.request({ method: 'stacks', uri, version: doc.version, path: file, schemaRunsToo, facts: withIds }, `stacks:${uri}`);
  }

  /**
   * The YAML service in the worker: every method is forwarded by name with its (plain JSON) arguments,
   * so a method added to the service works here without a change. A later call of the same method for
   * the same first argument (the document's URI) replaces one still waiting.
   */
  yamlService<T extends object>(): T {
    return this.client.yamlService<T>();
  }

  /** Which schema the YAML service gives `uri`. */
  schemaKind(uri: vscode.Uri, kind: string | undefined): void {
    this.client.schemaKind(uri.toString(), kind);
  }

  private factId(f: TenantFacts): number {
    let id = this.factIds.get(f);
    if (id === undefined) this.factIds.set(f, (id = this.nextFactId++));
    return id;
  }

  private track(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    if (this.mirrored.has(key) || !mirrorable(doc)) return;
    this.mirrored.add(key);
    // A worker not started yet gets every mirrored text when it starts.
    if (this.client.running) this.client.open({ uri: key, version: doc.version, text: doc.getText() });
  }

  private untrack(key: string): void {
    if (this.mirrored.delete(key)) this.client.close(key);
  }

  private *texts(): Iterable<MirroredText> {
    for (const doc of vscode.workspace.textDocuments) {
      const uri = doc.uri.toString();
      if (this.mirrored.has(uri)) yield { uri, version: doc.version, text: doc.getText() };
    }
  }
}

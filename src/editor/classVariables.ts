/**
 * The ClusterClass variable schema of a Cluster document, for the YAML schema service (schemaFeatures.ts):
 * the classes its topology Clusters use, found live (the tenant facts of the context an explorer document
 * names, else of the kubeconfig's current context) before ClusterClass documents of the same file, the
 * other open documents and the workspace's YAML files. The result is plain JSON (src/core/ops/classDocuments.ts).
 * No class known → undefined, and the document keeps its plain schema.
 */
import * as vscode from 'vscode';
import { clusterClassesIn, clusterClassRefs, variablesSchemaFor } from '../core/ops/classDocuments';
import { Disposable } from '../lifecycle';
import type { TenantFactsCache } from '../services/tenantFacts';
import { OBJECT_SCHEME, parseObjectUri } from '../services/objectUri';

const YAML_GLOB = '**/*.{yaml,yml}';
const MAX_FILES = 2000;
const MAX_FILE_BYTES = 1024 * 1024;
/** Cheap pre-check before any parsing: only topology Clusters get a variables schema. */
const CLUSTER_TEXT = /^kind:\s*["']?Cluster["']?\s*$/m;
const CLASS_TEXT = /^kind:\s*["']?ClusterClass["']?\s*$/m;

export class ClusterVariableSchemas extends Disposable {
  /** ClusterClass objects per workspace file, once the workspace has been scanned. */
  private files: Promise<Map<string, Record<string, unknown>[]>> | undefined;
  /** Who to tell when more classes are known, by document URI. */
  private readonly waiting = new Map<string, () => void>();

  constructor(private readonly facts: TenantFactsCache) {
    super();
  }

  /**
   * The extra schema for `doc`, or undefined. `onLater` runs when more classes became known (live facts
   * read, workspace scanned or a file changed), so the caller can ask again.
   */
  async schemaFor(doc: vscode.TextDocument, onLater: () => void): Promise<object | undefined> {
    const text = doc.getText();
    if (!CLUSTER_TEXT.test(text)) return undefined;
    const refs = clusterClassRefs(text);
    if (!refs.length) return undefined;
    const objectRef = doc.uri.scheme === OBJECT_SCHEME ? parseObjectUri(doc.uri) : undefined;
    const live = [...new Set(refs.map((r) => r.namespace))].flatMap(
      (ns) => this.facts.peek(ns, onLater, objectRef?.context)?.classObjects ?? [],
    );
    const open = vscode.workspace.textDocuments.filter((d) => d !== doc && d.languageId === 'yaml');
    const openUris = new Set(open.map((d) => d.uri.toString()));
    this.waiting.set(doc.uri.toString(), onLater);
    const scanned = await this.workspaceFiles();
    const inFiles = [...scanned].filter(([uri]) => !openUris.has(uri) && uri !== doc.uri.toString()).flatMap(([, classes]) => classes);
    const candidates = [
      ...live,
      ...clusterClassesIn(text),
      ...open.flatMap((d) => (CLASS_TEXT.test(d.getText()) ? clusterClassesIn(d.getText()) : [])),
      ...inFiles,
    ];
    return variablesSchemaFor(refs, candidates);
  }

  private workspaceFiles(): Promise<Map<string, Record<string, unknown>[]>> {
    this.files ??= this.scan();
    return this.files;
  }

  private async scan(): Promise<Map<string, Record<string, unknown>[]>> {
    const files = new Map<string, Record<string, unknown>[]>();
    const watcher = this._register(vscode.workspace.createFileSystemWatcher(YAML_GLOB));
    const reread = async (uri: vscode.Uri) => {
      const classes = await readClasses(uri);
      if (classes.length || files.delete(uri.toString())) {
        if (classes.length) files.set(uri.toString(), classes);
        this.changed();
      }
    };
    this._register(watcher.onDidChange(reread));
    this._register(watcher.onDidCreate(reread));
    this._register(watcher.onDidDelete((uri) => files.delete(uri.toString()) && this.changed()));
    for (const uri of await vscode.workspace.findFiles(YAML_GLOB, '**/node_modules/**', MAX_FILES)) {
      const classes = await readClasses(uri);
      if (classes.length) files.set(uri.toString(), classes);
    }
    return files;
  }

  private changed(): void {
    if (this.isDisposed) return;
    const callbacks = [...this.waiting.values()];
    this.waiting.clear();
    for (const cb of callbacks) cb();
  }
}

async function readClasses(uri: vscode.Uri): Promise<Record<string, unknown>[]> {
  try {
    if ((await vscode.workspace.fs.stat(uri)).size > MAX_FILE_BYTES) return [];
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    return CLASS_TEXT.test(text) ? clusterClassesIn(text) : [];
  } catch {
    return []; // gone or unreadable: no classes from it
  }
}

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CloudsAnalysis, CloudsInput, ConversionResult, ConvertOptions, SourceFile } from '../core/clouds/api';
import { Disposable } from '../lifecycle';
import type { DocumentAnalysis } from './analysis/host';
import type { CloudsRefs, FileRef, PlainConvertOptions } from './analysis/protocol';
import type { Config } from './config';
import { corePath, documentKind, openDocument, unanalysableReason } from './documents';
import { readLocalFile } from './localFile';

const SECURE_NAMES = ['secure.yaml', 'secure.yml'];
const PUBLIC_NAMES = ['clouds-public.yaml', 'clouds-public.yml'];
const CLOUDS_NAMES = ['clouds.yaml', 'clouds.yml'];

/** One clouds.yaml with the secure.yaml and clouds-public.yaml beside it, as the core reads them. */
export interface CloudsGroup {
  readonly input: CloudsInput;
  /** The URI of every file in `input`, by its core path, to map findings back to documents. */
  readonly uris: ReadonlyMap<string, vscode.Uri>;
}

/**
 * Gathers the input files of a clouds.yaml (open buffers preferred over disk), has the analysis worker
 * run the core on them with the user's settings (services/analysis), caches the analysis per version of
 * its inputs, and tells listeners which file changed.
 * A service: the editor features and the credential commands read the same buffers through it.
 */
export class CloudsModel extends Disposable {
  private readonly cache = new Map<string, { key: string; analysis: Promise<CloudsAnalysis | undefined> }>();
  private readonly changed = this._register(new vscode.EventEmitter<vscode.Uri>());
  /** A clouds.yaml, secure.yaml or clouds-public.yaml changed (in an editor or on disk), or the settings did. */
  readonly onDidChange = this.changed.event;

  constructor(
    readonly config: Config,
    private readonly analysis: DocumentAnalysis,
  ) {
    super();
    this._register(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length && this.isCloudsFamily(e.document)) this.changed.fire(e.document.uri);
      }),
    );
    const watcher = this._register(vscode.workspace.createFileSystemWatcher('**/{clouds,secure,clouds-public}.{yaml,yml}'));
    const onDisk = (uri: vscode.Uri) => {
      if (!openDocument(uri)) this.changed.fire(uri);
    };
    this._register(watcher.onDidChange(onDisk));
    this._register(watcher.onDidCreate(onDisk));
    this._register(watcher.onDidDelete(onDisk));
    this._register(
      config.onDidChange((e) => {
        if (!e.editor) return;
        this.cache.clear();
        for (const doc of vscode.workspace.textDocuments) if (this.kindOf(doc)) this.changed.fire(doc.uri);
      }),
    );
    this._register(vscode.workspace.onDidCloseTextDocument((doc) => this.cache.delete(doc.uri.toString())));
  }

  /** What `doc` is for the clouds.yaml features (with the user's file name patterns). */
  kindOf(doc: vscode.TextDocument): ReturnType<typeof documentKind> {
    return documentKind(doc, this.config);
  }

  /** clouds.yaml, secure.yaml or clouds-public.yaml (not cloud.conf). */
  private isCloudsFamily(doc: vscode.TextDocument): boolean {
    const kind = this.kindOf(doc);
    return kind === 'clouds' || kind === 'secure' || kind === 'public';
  }

  /** The clouds.yaml a document belongs to: itself, or the clouds.yaml beside a secure/public file. */
  cloudsUriFor(doc: vscode.TextDocument): vscode.Uri | undefined {
    const kind = this.kindOf(doc);
    if (kind === 'clouds') return doc.uri;
    if ((kind === 'secure' || kind === 'public') && doc.uri.scheme === 'file') return sibling(doc.uri, CLOUDS_NAMES);
    return undefined;
  }

  /** The input files of the clouds.yaml at `cloudsUri`; undefined when it cannot be read or is too large. */
  group(cloudsUri: vscode.Uri): CloudsGroup | undefined {
    const found = inputFiles(cloudsUri, source);
    return found && { input: found.files, uris: found.uris };
  }

  /**
   * The input files of the clouds.yaml at `cloudsUri` as the worker reads them: documents it mirrors by
   * URI (their versions make the cache key), the others with their text; undefined when unusable.
   */
  private refs(cloudsUri: vscode.Uri, options: PlainConvertOptions): { refs: CloudsRefs; key: string } | undefined {
    /** Per input file: its path and the version of its document, or its text. */
    const stamps: [string, string][] = [];
    const found = inputFiles(cloudsUri, (uri): FileRef | undefined => {
      const doc = openDocument(uri);
      if (doc && this.analysis.has(uri) && !unanalysableReason(doc)) {
        stamps.push([uri.toString(), `@${doc.version}`]);
        return { path: corePath(uri), uri: uri.toString() };
      }
      const file = source(uri);
      if (file) stamps.push([file.path, file.text]);
      return file;
    });
    return found && { refs: found.files, key: JSON.stringify([stamps, options]) };
  }

  private options(scope: vscode.Uri): PlainConvertOptions {
    const { readFile: _worker, ...options } = this.config.convertOptions(scope) satisfies ConvertOptions;
    return options;
  }

  /**
   * The core's analysis of the clouds.yaml at `cloudsUri` for the current version of `doc` (the
   * clouds.yaml or a file read with it), cached while no input changes; undefined when it cannot be read
   * or `doc` changed before the analysis ran.
   */
  analyze(cloudsUri: vscode.Uri, doc: vscode.TextDocument | undefined = openDocument(cloudsUri)): Promise<CloudsAnalysis | undefined> {
    const options = this.options(cloudsUri);
    const found = this.refs(cloudsUri, options);
    if (!found) return Promise.resolve(undefined);
    const cacheKey = cloudsUri.toString();
    const cached = this.cache.get(cacheKey);
    if (cached?.key === found.key) return cached.analysis;
    const analysis = this.analysis.clouds(doc ?? { uri: cloudsUri, version: 0 }, found.refs, options);
    this.cache.set(cacheKey, { key: found.key, analysis });
    // A stale answer is not kept: the next call asks again.
    void analysis.then(
      (a) => a === undefined && this.cache.get(cacheKey)?.analysis === analysis && this.cache.delete(cacheKey),
      () => this.cache.get(cacheKey)?.analysis === analysis && this.cache.delete(cacheKey),
    );
    return analysis;
  }

  /**
   * A secure.yaml or clouds-public.yaml with no clouds.yaml beside it, checked on its own for syntax and
   * shape against an empty clouds file, as `cluster-stacks lint` does.
   */
  analyzeAlone(doc: vscode.TextDocument, kind: 'secure' | 'public'): Promise<CloudsAnalysis | undefined> {
    const file: FileRef = this.analysis.has(doc.uri)
      ? { path: corePath(doc.uri), uri: doc.uri.toString() }
      : { path: corePath(doc.uri), text: doc.getText() };
    const clouds: FileRef = { path: `${file.path}#clouds`, text: 'clouds: {}\n' };
    return this.analysis.clouds(doc, kind === 'secure' ? { clouds, secure: file } : { clouds, public: file }, this.options(doc.uri));
  }

  /** Converts one cloud exactly as `cluster-stacks cloud-conf` does with the same files and options. */
  async convert(cloudsUri: vscode.Uri, cloud: string): Promise<ConversionResult | undefined> {
    // An edit while it waited makes the answer stale: ask again for the newer text (typing stops soon enough).
    for (let attempt = 0; attempt < 5; attempt++) {
      const options = this.options(cloudsUri);
      const found = this.refs(cloudsUri, options);
      if (!found) return undefined;
      const doc = openDocument(cloudsUri);
      const result = await this.analysis.convert({ uri: cloudsUri, version: doc?.version ?? 0 }, found.refs, cloud, options);
      if (result) return result;
    }
    return undefined;
  }
}

/** True when `a` and `b` are read together: the same document, or files in the same folder. */
export function sameGroup(a: vscode.Uri, b: vscode.Uri): boolean {
  if (a.toString() === b.toString()) return true;
  return a.scheme === 'file' && b.scheme === 'file' && path.dirname(a.fsPath) === path.dirname(b.fsPath);
}

/**
 * The clouds.yaml at `cloudsUri` and, for a file on disk, the secure.yaml and clouds-public.yaml beside it,
 * each as `read` gives it (undefined: left out; the clouds.yaml undefined: nothing), with their URIs by core path.
 */
function inputFiles<T extends { readonly path: string }>(
  cloudsUri: vscode.Uri,
  read: (uri: vscode.Uri) => T | undefined,
): { files: { clouds: T; secure?: T; public?: T }; uris: Map<string, vscode.Uri> } | undefined {
  const clouds = read(cloudsUri);
  if (!clouds) return undefined;
  const files: { clouds: T; secure?: T; public?: T } = { clouds };
  const uris = new Map([[clouds.path, cloudsUri]]);
  if (cloudsUri.scheme === 'file')
    for (const [key, names] of [
      ['secure', SECURE_NAMES],
      ['public', PUBLIC_NAMES],
    ] as const) {
      const uri = sibling(cloudsUri, names);
      const file = uri && read(uri);
      if (uri && file) {
        files[key] = file;
        uris.set(file.path, uri);
      }
    }
  return { files, uris };
}

/** The first of `names` beside `uri` that is open in an editor or exists on disk. */
function sibling(uri: vscode.Uri, names: readonly string[]): vscode.Uri | undefined {
  const candidates = names.map((n) => vscode.Uri.joinPath(uri, '..', n));
  return candidates.find((c) => openDocument(c)) ?? candidates.find((c) => readLocalFile(c.fsPath) !== undefined);
}

/** The text of `uri`: the open buffer if there is one, else the file on disk; undefined when unusable. */
function source(uri: vscode.Uri): SourceFile | undefined {
  const doc = openDocument(uri);
  if (doc) return unanalysableReason(doc) ? undefined : { path: corePath(uri), text: doc.getText() };
  if (uri.scheme !== 'file') return undefined;
  const text = readLocalFile(uri.fsPath);
  return text === undefined || text.includes('\0') ? undefined : { path: corePath(uri), text };
}

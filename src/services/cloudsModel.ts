import * as path from 'node:path';
import * as vscode from 'vscode';
import { analyzeClouds, convertCloud } from '../core/clouds';
import type { CloudsAnalysis, CloudsInput, ConversionResult, SourceFile } from '../core/clouds/api';
import { Disposable } from '../lifecycle';
import type { Config } from './config';
import { corePath, documentKind, openDocument, readLocalFile, unanalysableReason } from './documents';

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
 * Gathers the input files of a clouds.yaml (open buffers preferred over disk), runs the core on them
 * with the user's settings, caches the analysis per input text, and tells listeners which file changed.
 * A service: the editor features and the credential commands read the same buffers through it.
 */
export class CloudsModel extends Disposable {
  private readonly cache = new Map<string, { texts: readonly (string | undefined)[]; analysis: CloudsAnalysis }>();
  private readonly changed = this._register(new vscode.EventEmitter<vscode.Uri>());
  /** A clouds.yaml, secure.yaml or clouds-public.yaml changed (in an editor or on disk), or the settings did. */
  readonly onDidChange = this.changed.event;

  constructor(readonly config: Config) {
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
    const clouds = source(cloudsUri);
    if (!clouds) return undefined;
    const uris = new Map<string, vscode.Uri>([[clouds.path, cloudsUri]]);
    let secure: SourceFile | undefined;
    let pub: SourceFile | undefined;
    if (cloudsUri.scheme === 'file') {
      const secureUri = sibling(cloudsUri, SECURE_NAMES);
      const publicUri = sibling(cloudsUri, PUBLIC_NAMES);
      secure = secureUri && source(secureUri);
      pub = publicUri && source(publicUri);
      if (secure && secureUri) uris.set(secure.path, secureUri);
      if (pub && publicUri) uris.set(pub.path, publicUri);
    }
    return { input: { clouds, ...(secure ? { secure } : {}), ...(pub ? { public: pub } : {}) }, uris };
  }

  /** The core's analysis of the clouds.yaml at `cloudsUri` (cached while no input text changes). */
  analyze(cloudsUri: vscode.Uri): { group: CloudsGroup; analysis: CloudsAnalysis } | undefined {
    const group = this.group(cloudsUri);
    if (!group) return undefined;
    const texts = [group.input.clouds.text, group.input.secure?.text, group.input.public?.text];
    const key = cloudsUri.toString();
    const cached = this.cache.get(key);
    if (cached && cached.texts.every((t, i) => t === texts[i])) return { group, analysis: cached.analysis };
    const analysis = analyzeClouds(group.input, this.config.convertOptions(cloudsUri));
    this.cache.set(key, { texts, analysis });
    return { group, analysis };
  }

  /**
   * A secure.yaml or clouds-public.yaml with no clouds.yaml beside it, checked on its own for syntax and
   * shape against an empty clouds file, as `cluster-stacks lint` does.
   */
  analyzeAlone(doc: vscode.TextDocument, kind: 'secure' | 'public'): CloudsAnalysis {
    const file: SourceFile = { path: corePath(doc.uri), text: doc.getText() };
    const clouds: SourceFile = { path: `${file.path}#clouds`, text: 'clouds: {}\n' };
    return analyzeClouds(kind === 'secure' ? { clouds, secure: file } : { clouds, public: file }, this.config.convertOptions(doc.uri));
  }

  /** Converts one cloud exactly as `cluster-stacks cloud-conf` does with the same files and options. */
  convert(cloudsUri: vscode.Uri, cloud: string): { group: CloudsGroup; result: ConversionResult } | undefined {
    const group = this.group(cloudsUri);
    if (!group) return undefined;
    return { group, result: convertCloud(group.input, cloud, this.config.convertOptions(cloudsUri)) };
  }
}

/** True when `a` and `b` are read together: the same document, or files in the same folder. */
export function sameGroup(a: vscode.Uri, b: vscode.Uri): boolean {
  if (a.toString() === b.toString()) return true;
  return a.scheme === 'file' && b.scheme === 'file' && path.dirname(a.fsPath) === path.dirname(b.fsPath);
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

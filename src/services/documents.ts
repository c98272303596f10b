import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Config } from './config';

/**
 * Which documents the editor features (and the credential commands) look at, how big they may be,
 * and reading the files beside them. A clouds.yaml is recognised by
 * name (setting `clusterStacks.cloudsYaml.fileNames`) or by content (a top-level `clouds:` mapping),
 * untitled documents included; `secure.yaml` and `clouds-public.yaml` by their names; cloud.conf by
 * the `cloud-conf` language.
 */
export type DocumentKind = 'clouds' | 'secure' | 'public' | 'cloud-conf';

/**
 * Above this size the rules and the schema service are skipped and one info diagnostic says so. The
 * analysis runs in the worker (services/analysis) and per document of a manifest, so a generated 5 MB
 * multi-document manifest is checked; the bound stays because the worker keeps a copy of each such
 * document and its first analysis parses all of it (about 0.2 s and 30 MB of syntax tree per MB).
 */
export const MAX_ANALYSED_CHARS = 8 * 1024 * 1024;
/** How much of a document the content sniffing (top-level `clouds:`, NUL bytes) reads. */
const SNIFF_CHARS = 64 * 1024;

const SECURE_NAME = /^secure\.ya?ml$/i;
const PUBLIC_NAME = /^clouds-public\.ya?ml$/i;
/** `clouds:` as a top-level block or flow mapping key, optionally quoted, at the start of a line. */
const TOP_LEVEL_CLOUDS = /^(?:clouds|"clouds"|'clouds')[ \t]*:(?:[ \t]*(?:#.*)?$|[ \t]*\{)/m;

export const CLOUD_CONF_LANGUAGE = 'cloud-conf';
export const PREVIEW_SCHEME = 'cloud-conf-preview';

/** The kind of `doc`, or undefined when the editor features leave it alone. */
export function documentKind(doc: vscode.TextDocument, config: Config): DocumentKind | undefined {
  if (doc.uri.scheme === PREVIEW_SCHEME) return undefined;
  if (doc.languageId === CLOUD_CONF_LANGUAGE) return 'cloud-conf';
  if (doc.languageId !== 'yaml') return undefined;
  if (config.cloudsYamlFileNames(doc.uri).some((pattern) => vscode.languages.match({ pattern }, doc) > 0)) {
    const base = path.basename(doc.uri.path);
    return SECURE_NAME.test(base) ? 'secure' : PUBLIC_NAME.test(base) ? 'public' : 'clouds';
  }
  return TOP_LEVEL_CLOUDS.test(doc.getText(new vscode.Range(0, 0, doc.positionAt(SNIFF_CHARS).line + 1, 0))) ? 'clouds' : undefined;
}

/** The document's length in characters, without copying its text. */
export function textLength(doc: vscode.TextDocument): number {
  return doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end);
}

/** Why `doc` is not analysed (too large, binary), or undefined when it can be. Never quotes the content. */
export function unanalysableReason(doc: vscode.TextDocument): string | undefined {
  const size = textLength(doc);
  if (size > MAX_ANALYSED_CHARS) {
    return `This file is ${(size / 1024 / 1024).toFixed(1)} MB; Cluster Stacks checks files up to ${MAX_ANALYSED_CHARS / 1024 / 1024} MB and skipped it.`;
  }
  if (doc.getText(new vscode.Range(0, 0, doc.positionAt(SNIFF_CHARS).line + 1, 0)).includes('\0')) {
    return 'This file contains NUL bytes (it looks binary); Cluster Stacks skipped it.';
  }
  return undefined;
}

/** The path the core uses for a document: the file system path, or the URI for untitled/virtual ones. */
export function corePath(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}

/** Open text documents, by URI string. */
export function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  const key = uri.toString();
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
}

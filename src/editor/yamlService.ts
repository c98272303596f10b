/**
 * yaml-language-server 2.0.0 in-process, configured with this project's JSON schemas. This module is
 * bundled on its own (dist/yaml-service.js; see scripts/build.mjs) and loaded on the first clouds.yaml,
 * so the ~2 MB language service costs nothing at activation. No `vscode` import: the adapter in
 * schemaFeatures.ts converts between VS Code and LSP types.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { type CompletionList, type Diagnostic, type Hover, type Position, getLanguageService } from 'yaml-language-server';

export type SchemaKind = 'clouds' | 'secure' | 'public' | 'stacks' | 'csctl' | 'clusteraddon' | 'node-images';

export const SCHEMA_FILES: Readonly<Record<SchemaKind, string>> = {
  clouds: 'clouds.schema.json',
  secure: 'secure.schema.json',
  public: 'clouds-public.schema.json',
  // cluster stacks: ClusterStack / topology Cluster per document, and the csctl source-tree files
  stacks: 'stacks-manifests.schema.json',
  csctl: 'csctl.schema.json',
  clusteraddon: 'csctl-clusteraddon.schema.json',
  'node-images': 'csctl-node-images.schema.json',
};

/**
 * `extra`: a document schema (plain JSON) checked beside the document's own, e.g. the topology variables
 * of the ClusterClass a Cluster uses (src/editor/classVariables.ts); it applies to this call only.
 */
export interface YamlService {
  validate(uri: string, version: number, text: string, extra?: object): Promise<Diagnostic[]>;
  complete(uri: string, version: number, text: string, position: Position, extra?: object): Promise<CompletionList>;
  hover(uri: string, version: number, text: string, position: Position, extra?: object): Promise<Hover | null>;
}

/** Where a document's extra schema is served from (never a file: only this service answers it). */
const EXTRA_PREFIX = 'cluster-stacks-extra:/';

/**
 * `schemaDir` holds the schema files; `kindOf(uri)` says which schema a document gets (the caller
 * recognises documents by name and content, so untitled and renamed files are covered too).
 */
export function createYamlService(schemaDir: string, kindOf: (uri: string) => SchemaKind | undefined): YamlService {
  const root = path.resolve(schemaDir);
  // the extra schema of the calls in flight, by document URI (with the number of calls using it)
  const extras = new Map<string, { json: string; calls: number }>();
  const extraUri = (uri: string) => `${EXTRA_PREFIX}${encodeURIComponent(uri)}.json`;
  const service = getLanguageService({
    // Only this extension's own schema files are ever read: no network, no other paths.
    schemaRequestService: async (uri) => {
      const extra = uri.startsWith(EXTRA_PREFIX)
        ? extras.get(decodeURIComponent(uri.slice(EXTRA_PREFIX.length, -'.json'.length)))
        : undefined;
      if (extra) return extra.json;
      const file = uri.startsWith('file:') ? path.resolve(fileURLToPath(uri)) : '';
      if (path.dirname(file) !== root) throw new Error(`schema ${uri} is not one of this extension's schemas`);
      return readFile(file, 'utf8');
    },
    workspaceContext: { resolveRelativePath: (relative, resource) => new URL(relative, resource).toString() },
  });
  service.configure({ validate: true, hover: true, completion: true, format: false, hoverSchemaSource: false, yamlVersion: '1.2' });
  service.registerCustomSchemaProvider(async (uri) => {
    const kind = kindOf(uri);
    if (!kind) return [];
    const own = pathToFileURL(path.join(root, SCHEMA_FILES[kind])).toString();
    return extras.has(uri) ? [own, extraUri(uri)] : own;
  });
  const doc = (uri: string, version: number, text: string) => TextDocument.create(uri, 'yaml', version, text);
  /** Runs `op` with `extra` as the document's extra schema (custom schemas are read afresh on every call). */
  const withExtra = async <T>(uri: string, extra: object | undefined, op: () => Promise<T>): Promise<T> => {
    if (!extra) return op();
    const entry = extras.get(uri) ?? { json: '', calls: 0 };
    entry.json = JSON.stringify(extra);
    entry.calls++;
    extras.set(uri, entry);
    try {
      return await op();
    } finally {
      if (--entry.calls === 0) extras.delete(uri);
    }
  };
  return {
    validate: (uri, version, text, extra) => withExtra(uri, extra, () => service.doValidation(doc(uri, version, text), false)),
    complete: (uri, version, text, position, extra) =>
      withExtra(uri, extra, () => service.doComplete(doc(uri, version, text), position, false)),
    hover: (uri, version, text, position, extra) => withExtra(uri, extra, () => service.doHover(doc(uri, version, text), position)),
  };
}

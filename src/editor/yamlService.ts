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

export interface YamlService {
  validate(uri: string, version: number, text: string): Promise<Diagnostic[]>;
  complete(uri: string, version: number, text: string, position: Position): Promise<CompletionList>;
  hover(uri: string, version: number, text: string, position: Position): Promise<Hover | null>;
}

/**
 * `schemaDir` holds the schema files; `kindOf(uri)` says which schema a document gets (the caller
 * recognises documents by name and content, so untitled and renamed files are covered too).
 */
export function createYamlService(schemaDir: string, kindOf: (uri: string) => SchemaKind | undefined): YamlService {
  const root = path.resolve(schemaDir);
  const service = getLanguageService({
    // Only this extension's own schema files are ever read: no network, no other paths.
    schemaRequestService: async (uri) => {
      const file = uri.startsWith('file:') ? path.resolve(fileURLToPath(uri)) : '';
      if (path.dirname(file) !== root) throw new Error(`schema ${uri} is not one of this extension's schemas`);
      return readFile(file, 'utf8');
    },
    workspaceContext: { resolveRelativePath: (relative, resource) => new URL(relative, resource).toString() },
  });
  service.configure({ validate: true, hover: true, completion: true, format: false, hoverSchemaSource: false, yamlVersion: '1.2' });
  service.registerCustomSchemaProvider(async (uri) => {
    const kind = kindOf(uri);
    return kind ? pathToFileURL(path.join(root, SCHEMA_FILES[kind])).toString() : [];
  });
  const doc = (uri: string, version: number, text: string) => TextDocument.create(uri, 'yaml', version, text);
  return {
    validate: (uri, version, text) => service.doValidation(doc(uri, version, text), false),
    complete: (uri, version, text, position) => service.doComplete(doc(uri, version, text), position, false),
    hover: (uri, version, text, position) => service.doHover(doc(uri, version, text), position),
  };
}

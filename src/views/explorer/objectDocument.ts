/**
 * Read-only YAML of any explorer object as a virtual document
 * (`clusterstacks-object:/<context>/<kind>/<namespace>/<name>.yaml`), fetched fresh on open; secret
 * values are masked in `objectYaml` before the text exists anywhere else.
 */
import * as vscode from 'vscode';
import { RESOURCE_KINDS, type ResourceKind } from '../../core/capi/tenants';
import { kube } from '../../services/kube';
import type { ExplorerState } from './state';

export const OBJECT_SCHEME = 'clusterstacks-object';

export interface ObjectRef {
  context: string;
  kind: ResourceKind;
  namespace: string;
  name: string;
}

export function objectUri(ref: ObjectRef): vscode.Uri {
  const seg = [ref.context, ref.kind, ref.namespace || '-', `${ref.name}.yaml`].map(encodeURIComponent).join('/');
  return vscode.Uri.from({ scheme: OBJECT_SCHEME, path: `/${seg}` });
}

export function parseObjectUri(uri: vscode.Uri): ObjectRef | undefined {
  const parts = uri.path.replace(/^\//, '').split('/').map(decodeURIComponent);
  if (parts.length !== 4 || !(RESOURCE_KINDS as readonly string[]).includes(parts[1])) return undefined;
  return {
    context: parts[0],
    kind: parts[1] as ResourceKind,
    namespace: parts[2] === '-' ? '' : parts[2],
    name: parts[3].replace(/\.yaml$/, ''),
  };
}

export class ObjectDocumentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly state: ExplorerState) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const ref = parseObjectUri(uri);
    if (!ref) return `# Not an explorer object: ${uri.toString()}\n`;
    const cache = this.state.cache(ref.context);
    if (!cache?.discovery) return `# Context ${ref.context} is not connected; expand it in the explorer first.\n`;
    try {
      return await (await kube()).objectYaml(cache.client, cache.discovery, ref.kind, ref.namespace || undefined, ref.name);
    } catch (e) {
      return `# Cannot read ${ref.kind} ${ref.namespace}/${ref.name}: ${e instanceof Error ? e.message : String(e)}\n`;
    }
  }
}

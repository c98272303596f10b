/**
 * Read-only YAML of any explorer object as a virtual document (src/services/objectUri.ts), fetched fresh on open; secret
 * values are masked in `objectYaml` before the text exists anywhere else.
 */
import * as vscode from 'vscode';
import { kube } from '../../services/kube';
import { parseObjectUri } from '../../services/objectUri';
import type { ExplorerState } from './state';

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

/**
 * The URI of an explorer object's read-only YAML document
 * (`clusterstacks-object:/<context>/<kind>/<namespace>/<name>.yaml`): the explorer opens it, the editor
 * reads the context from it (the live ClusterClass of a Cluster document).
 */
import * as vscode from 'vscode';
import { RESOURCE_KINDS, type ResourceKind } from '../core/capi/tenants';

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

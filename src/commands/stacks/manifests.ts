/**
 * Writing the Kubernetes objects of a YAML text (a document the user opened, or the Cluster the order
 * command generated and the user reviewed), for `applyDocument` and `orderCluster`: every object must
 * be served by the cluster (discovery tells its scope; namespaced objects without a namespace get the
 * given one, else the context's, else `default`), ClusterStacks and topology Clusters must pass the
 * webhook-style rules of src/core/stacks with live facts, then the objects go through the write path.
 * A refusal is a failed report (returned and notified), never a partial write.
 */
import * as yaml from 'js-yaml';
import * as vscode from 'vscode';
import { isClusterStack, validateClusterStack } from '../../core/stacks/clusterStack';
import { diagnoseStackText } from '../../core/stacks/diagnose';
import { parseLocatedDocuments } from '../../core/stacks/located';
import { isTopologyCluster } from '../../core/stacks/topology';
import type { ApplyReport, KubeManifest, LiveTenantFacts } from '../../kube/api';
import { UserError } from '../../services/command';
import type { ContextConnection } from '../../services/connections';
import { kube } from '../../services/kube';
import type { WriteArgs } from '../write/gate';
import type { WritePath } from '../write/writePath';

/** The objects of a multi-document YAML text; a syntax error or a non-object is a located UserError. */
export function objectsOfText(text: string, title: string): KubeManifest[] {
  const docs = parseLocatedDocuments(text);
  const broken = docs.find((d) => d.syntaxErrors.length);
  if (broken) {
    const e = broken.syntaxErrors[0];
    throw new UserError(`${title}: line ${e.range.start.line + 1}: ${e.message}`);
  }
  const objects: KubeManifest[] = [];
  for (const d of docs) {
    if (d.value === undefined || d.value === null) continue;
    const v = d.value as KubeManifest;
    if (typeof v !== 'object' || typeof v.apiVersion !== 'string' || typeof v.kind !== 'string' || typeof v.metadata?.name !== 'string')
      throw new UserError(
        `${title}: the document at line ${d.range.start.line + 1} is not a Kubernetes object (apiVersion, kind, metadata.name).`,
      );
    objects.push(v);
  }
  if (objects.length === 0) throw new UserError(`${title}: the document has no objects.`);
  return objects;
}

function refuse(title: string, reason: string): ApplyReport {
  void vscode.window.showErrorMessage(`${title}: ${reason}`);
  return { outcome: 'failed', objects: [], reason };
}

/** Places, checks and writes `objects` into the cluster of `conn`; see the file comment. */
export async function writeManifests(
  write: WritePath,
  conn: ContextConnection,
  objects: readonly KubeManifest[],
  opts: { title: string; namespace?: string; args: WriteArgs },
): Promise<ApplyReport> {
  const k = await kube();
  const { title } = opts;
  const defaultNs = opts.namespace ?? conn.defaultNamespace ?? 'default';
  const placed: KubeManifest[] = [];
  for (const o of objects) {
    const served = await conn.client.discovery.resource(o.apiVersion, o.kind);
    if (!served) return refuse(title, `${o.kind} (${o.apiVersion}) is not served by this cluster — is its CRD installed?`);
    placed.push(
      served.namespaced && !o.metadata.namespace ? ({ ...o, metadata: { ...o.metadata, namespace: defaultNs } } as KubeManifest) : o,
    );
  }
  // The webhook-style rules, with live facts for topology Clusters and the update rules for ClusterStacks.
  const problems: string[] = [];
  const facts = new Map<string, LiveTenantFacts>();
  for (const o of placed) {
    const ns = o.metadata.namespace ?? defaultNs;
    if (isClusterStack(o)) {
      const live = await k.getObject(conn.client, o.apiVersion, o.kind, ns, o.metadata.name);
      problems.push(
        ...validateClusterStack(o, live)
          .filter((i) => i.severity === 'error')
          .map((i) => `${o.kind} ${o.metadata.name}: ${i.message}`),
      );
    } else if (isTopologyCluster(o)) {
      if (!facts.has(ns)) facts.set(ns, await k.readTenantFacts(conn.client, ns));
      const findings = diagnoseStackText('cluster.yaml', yaml.dump(o), { factsFor: () => facts.get(ns) });
      problems.push(...findings.filter((f) => f.severity === 'error').map((f) => `${o.kind} ${o.metadata.name}: ${f.message}`));
    }
  }
  if (problems.length) return refuse(title, `not applied — ${problems.join('; ')}`);
  const namespaces = [...new Set(placed.map((o) => o.metadata.namespace).filter((n): n is string => !!n))];
  const { report } = await write.toCluster(
    { title, action: `Apply ${placed.length} object${placed.length === 1 ? '' : 's'}`, conn, namespaces, objects: placed },
    opts.args,
  );
  return report;
}

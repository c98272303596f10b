/**
 * `clusterStacks.orderCluster`: the customer step "order a Cluster" (domain.md §(d) 7). From a ClusterClass
 * of the tenant it generates the topology Cluster — name, the Kubernetes version of the class's
 * ClusterStackRelease, control plane and worker counts, the `managed-secret` label the class's credential
 * style needs, `class` (v1beta1) or `classRef` (v1beta2) after the server's preferred CAPI version — checks
 * it like the operator's webhook, opens it for review, and applies the reviewed text on confirmation.
 */
import * as yaml from 'js-yaml';
import * as vscode from 'vscode';
import { listObjects, type ApplyReport } from '../kube/apply';
import { stringField } from '../core/capi/types';
import { WORKLOAD_STYLES, type WorkloadStyle } from '../core/manifests/credentials';
import { isParsed, KUBERNETES_PATCH_PATTERN, parseClusterClassName, releaseNameOfClass } from '../core/stacks/names';
import { buildTopologyCluster, validateTopologyCluster, type CapiVersion, type WorkerChoice } from '../core/stacks/topology';
import type { Ctx } from '../ctx';
import { applyDocument } from './stacksApply';
import { connect, errorText, isTrusted, pickNamespace, targetOf, tenantFacts, validateDnsLabel } from './stacksCommon';

export interface OrderArgs {
  readonly context?: string;
  readonly namespace?: string;
  /** The ClusterClass (an explorer ClusterClass node passes `name`). */
  readonly className?: string;
  readonly name?: string;
  readonly controlPlaneReplicas?: number;
  readonly workerReplicas?: number;
  readonly credentials?: WorkloadStyle | 'none';
  /** Apply without asking (the manifest is still opened unless `open: false`). */
  readonly confirmed?: boolean;
  readonly open?: boolean;
}

export interface OrderResult {
  readonly manifest: Record<string, unknown>;
  readonly uri?: string;
  readonly report?: ApplyReport;
}

async function askNumber(title: string, value: number): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    value: String(value),
    validateInput: (v) => (/^\d+$/.test(v.trim()) ? null : 'A whole number'),
  });
  return text === undefined ? undefined : Number(text.trim());
}

export async function orderCluster(ctx: Ctx, arg?: unknown): Promise<OrderResult | undefined> {
  if (!isTrusted()) return undefined;
  const args = (arg && typeof arg === 'object' ? arg : {}) as OrderArgs & { kind?: string; name?: string };
  // An explorer ClusterClass node carries {kind: 'clusterclasses', name}: that name is the class.
  const fromClassNode = args.kind === 'clusterclasses' ? args.name : undefined;
  try {
    const target = targetOf(arg);
    const conn = await connect(target, 'Order workload cluster');
    if (!conn) return undefined;
    const namespace = await pickNamespace(conn, target, 'Order workload cluster: tenant');
    if (!namespace) return undefined;
    const facts = await tenantFacts(conn.client, namespace);
    if (!facts.capiVersion) throw new Error('Cluster API (cluster.x-k8s.io) is not installed in this cluster');
    let className = args.className ?? fromClassNode;
    if (!className) {
      const items = [...facts.classes.keys()].sort().map((n) => {
        const k8s = facts.releases.get(releaseNameOfClass(n));
        return {
          label: n,
          description: isParsed(parseClusterClassName(n)) ? (k8s ? `Kubernetes ${k8s}` : 'release not ready') : 'not from a cluster stack',
        };
      });
      if (!items.length) throw new Error(`no ClusterClass in ${namespace}: apply a cluster stack first`);
      className = (await vscode.window.showQuickPick(items, { title: `ClusterClass in ${namespace}` }))?.label;
      if (!className) return undefined;
    }
    const offer = facts.classes.get(className);
    if (!offer) throw new Error(`ClusterClass ${className} does not exist in ${namespace}`);
    let version = facts.releases.get(releaseNameOfClass(className));
    if (!version) {
      version = await vscode.window.showInputBox({
        title: `Kubernetes version for ${className} (its ClusterStackRelease reports none)`,
        validateInput: (v) => (KUBERNETES_PATCH_PATTERN.test(v.trim()) ? null : 'e.g. v1.33.4'),
      });
      if (!version) return undefined;
    }
    const existing = new Set(
      (await listObjects(conn.client, facts.capiVersion, 'Cluster', namespace)).map((c) => stringField(c, 'metadata', 'name')),
    );
    const name =
      (fromClassNode ? undefined : args.name) ??
      (
        await vscode.window.showInputBox({
          title: 'Name of the workload cluster',
          validateInput: (v) => validateDnsLabel(v.trim()) ?? (existing.has(v.trim()) ? `${v.trim()} exists in ${namespace}` : null),
        })
      )?.trim();
    if (!name) return undefined;
    const cp = args.controlPlaneReplicas ?? (await askNumber('Control plane nodes (1 or 3)', 1));
    if (cp === undefined) return undefined;
    const workerClasses = offer.workerClasses.length ? offer.workerClasses : ['default-worker'];
    const workers: WorkerChoice[] = [];
    for (const wc of workerClasses.slice(0, 1)) {
      const n = args.workerReplicas ?? (await askNumber(`Worker nodes (${wc})`, 3));
      if (n === undefined) return undefined;
      workers.push({ class: wc, name: wc === 'default-worker' ? 'md-0' : wc, replicas: n });
    }
    let credentials: WorkloadStyle | undefined = args.credentials === 'none' ? undefined : (args.credentials ?? offer.credentials);
    if (args.credentials === undefined && !offer.credentials) {
      const pick = await vscode.window.showQuickPick([...WORKLOAD_STYLES, 'none'], {
        title: 'managed-secret label (which ClusterResourceSet delivers the cloud credentials)',
      });
      if (!pick) return undefined;
      credentials = pick === 'none' ? undefined : (pick as WorkloadStyle);
    }
    const manifest = buildTopologyCluster({
      name,
      namespace,
      className,
      kubernetesVersion: version,
      controlPlaneReplicas: cp,
      workers,
      credentials,
      apiVersion: facts.capiVersion.split('/')[1] === 'v1beta2' ? 'v1beta2' : ('v1beta1' as CapiVersion),
    });
    const errors = validateTopologyCluster(manifest, facts).filter((i) => i.severity === 'error');
    if (errors.length) throw new Error(`the Cluster would be rejected: ${errors.map((e) => e.message).join('; ')}`);

    const text = `# Cluster ordered from ClusterClass ${className} (${namespace} in ${conn.context}).\n# Review it; "Apply" sends exactly this document.\n${yaml.dump(manifest, { lineWidth: -1 })}`;
    let uri: vscode.Uri | undefined;
    if (args.open !== false) {
      const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: text });
      await vscode.window.showTextDocument(doc, { preview: false });
      uri = doc.uri;
    }
    let apply = args.confirmed === true;
    if (!apply)
      apply =
        (await vscode.window.showInformationMessage(
          `Review the Cluster ${name}, then apply it to ${namespace} in ${conn.context}.`,
          'Apply',
          'Not now',
        )) === 'Apply';
    if (!apply) return { manifest, uri: uri?.toString() };
    // The reviewed document (the user may have edited it) goes through the same flow as any YAML document.
    const report = uri
      ? await applyDocument(ctx, { uri: uri.toString(), context: conn.context, namespace, confirmed: args.confirmed })
      : await applyObjectsDirect(ctx, conn.context, namespace, manifest, args.confirmed);
    if (report && ['created', 'updated', 'unchanged'].includes(report.outcome)) {
      void vscode.commands.executeCommand('clusterStacks.explorer.refresh', { context: conn.context }).then(undefined, () => undefined);
    }
    return { manifest, uri: uri?.toString(), report };
  } catch (e) {
    void vscode.window.showErrorMessage(`Order workload cluster: ${errorText(e)}`);
    return undefined;
  }
}

/** Without an editor (`open: false`): apply the generated object through a temporary untitled document. */
async function applyObjectsDirect(
  ctx: Ctx,
  context: string,
  namespace: string,
  manifest: Record<string, unknown>,
  confirmed?: boolean,
): Promise<ApplyReport | undefined> {
  const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: yaml.dump(manifest, { lineWidth: -1 }) });
  return applyDocument(ctx, { uri: doc.uri.toString(), context, namespace, confirmed });
}

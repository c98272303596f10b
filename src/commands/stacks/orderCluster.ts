/**
 * `clusterStacks.orderCluster`: the customer step "order a Cluster" (docs/domain.md §4.6; step 7 of
 * §(d)). From a ClusterClass of the tenant it generates the topology Cluster — name, the Kubernetes
 * version of the class's ClusterStackRelease, control plane and worker counts, the `managed-secret`
 * label the class's credential style needs, `class` (v1beta1) or `classRef` (v1beta2) after the server's
 * preferred CAPI version — checks it like the operator's webhook, opens it for review, and applies the
 * reviewed text (the user may have edited it) through the same checks and write path as any YAML document.
 * Interactively (no `name` argument, or `form: true`) the choices come from a form built from the class's
 * variables (orderForm.ts, src/core/ops/order.ts): every worker class, the variables with their schema's
 * types, enums, defaults and descriptions, validated as they are typed.
 */
import * as yaml from 'js-yaml';
import * as vscode from 'vscode';
import { stringField, type KubeObject } from '../../core/capi/types';
import { orderForm } from '../../core/ops/order';
import { CLUSTER_STACK_API_VERSION } from '../../core/stacks/clusterStack';
import { WORKLOAD_STYLES, type WorkloadStyle } from '../../core/manifests/credentials';
import { isParsed, KUBERNETES_PATCH_PATTERN, parseClusterClassName, releaseNameOfClass } from '../../core/stacks/names';
import { buildTopologyCluster, validateTopologyCluster, type CapiVersion, type WorkerChoice } from '../../core/stacks/topology';
import type { ApplyReport } from '../../kube/api';
import type { DisposableStore } from '../../lifecycle';
import { COMMAND } from '../../services/commandIds';
import { Cancelled, UserError, type Args } from '../../services/command';
import type { ContextConnection } from '../../services/connections';
import type { Ctx } from '../../services/ctx';
import { kube } from '../../services/kube';
import { inputName, inputNumber, inputText, pickNamespace, pickOne } from '../../services/prompts';
import type { WriteArgs } from '../write/gate';
import { objectsOfText, writeManifests } from './manifests';
import { openOrderForm } from './orderForm';
import { StackCommand, type StackDeps } from './stackCommand';

export interface OrderArgs extends WriteArgs {
  /** The ClusterClass (an explorer ClusterClass node passes it). */
  readonly className?: string;
  /** The name of the new cluster. */
  readonly name?: string;
  readonly controlPlaneReplicas?: number;
  readonly workerReplicas?: number;
  readonly credentials?: WorkloadStyle | 'none';
  /** Open the generated Cluster for review (default true); `confirmed: true` then applies it without asking. */
  readonly open?: boolean;
  /** Ask through the form (default: when no `name` is given). */
  readonly form?: boolean;
}

export interface OrderResult {
  readonly manifest: Record<string, unknown>;
  readonly uri?: string;
  readonly report?: ApplyReport;
}

export class OrderCluster extends StackCommand<OrderResult> {
  constructor(ctx: Ctx, deps: StackDeps) {
    super(ctx, deps, { id: COMMAND.orderCluster, title: 'Order workload cluster', writes: true });
  }

  protected async run(raw: Args, scope: DisposableStore): Promise<OrderResult> {
    const args = raw as OrderArgs;
    const k = await kube();
    const conn = await this.deps.write.target(args, this.meta.title, scope);
    const namespace = (await pickNamespace(conn, args.namespace, 'Order workload cluster: tenant')).name;
    const facts = await k.readTenantFacts(conn.client, namespace);
    if (!facts.capiVersion) throw new UserError('Cluster API (cluster.x-k8s.io) is not installed in this cluster');
    const className =
      args.className ??
      (await pickOne(
        `ClusterClass in ${namespace}`,
        [...facts.classes.keys()].sort().map((n) => {
          const k8s = facts.releases.get(releaseNameOfClass(n));
          return {
            label: n,
            description: isParsed(parseClusterClassName(n))
              ? k8s
                ? `Kubernetes ${k8s}`
                : 'release not ready'
              : 'not from a cluster stack',
            value: n,
          };
        }),
      ).catch((e: unknown) => {
        if (e instanceof UserError) throw new UserError(`no ClusterClass in ${namespace}: apply a cluster stack first`);
        throw e;
      }));
    const offer = facts.classes.get(className);
    if (!offer) throw new UserError(`ClusterClass ${className} does not exist in ${namespace}`);
    const existing = new Set(
      (await k.listObjects(conn.client, facts.capiVersion, 'Cluster', namespace)).map((c) => stringField(c, 'metadata', 'name')),
    );
    if (args.form ?? args.name === undefined) {
      const clusterClass = facts.classObjects.find((c) => stringField(c, 'metadata', 'name') === className) as KubeObject;
      const releases = (await k
        .listObjects(conn.client, CLUSTER_STACK_API_VERSION, 'ClusterStackRelease', namespace)
        .catch((): Record<string, unknown>[] => [])) as KubeObject[];
      const model = orderForm({
        clusterClass,
        releases,
        namespace,
        apiVersion: facts.capiVersion.split('/')[1] === 'v1beta2' ? 'v1beta2' : 'v1beta1',
      });
      const existingNames = [...existing].filter((n): n is string => !!n);
      const manifest = await openOrderForm(model, { clusterClass, releases, existingNames }, conn.context, scope);
      if (!manifest) throw new Cancelled();
      return this.reviewAndApply(conn, namespace, className, manifest, args);
    }
    const version =
      facts.releases.get(releaseNameOfClass(className)) ??
      (await inputText(`Kubernetes version for ${className} (its ClusterStackRelease reports none)`, (v) =>
        KUBERNETES_PATCH_PATTERN.test(v) ? undefined : 'e.g. v1.33.4',
      ));
    const name =
      args.name ??
      (await inputName('Name of the workload cluster', { taken: (v) => (existing.has(v) ? `${v} exists in ${namespace}` : undefined) }));
    const cp = args.controlPlaneReplicas ?? (await inputNumber('Control plane nodes (1 or 3)', 1));
    const workerClass = offer.workerClasses[0] ?? 'default-worker';
    const workers: WorkerChoice[] = [
      {
        class: workerClass,
        name: workerClass === 'default-worker' ? 'md-0' : workerClass,
        replicas: args.workerReplicas ?? (await inputNumber(`Worker nodes (${workerClass})`, 3)),
      },
    ];
    const credentials: WorkloadStyle | undefined =
      args.credentials === 'none'
        ? undefined
        : (args.credentials ??
          offer.credentials ??
          (await pickOne<WorkloadStyle | undefined>('managed-secret label (which ClusterResourceSet delivers the cloud credentials)', [
            ...WORKLOAD_STYLES.map((s) => ({ label: s, value: s })),
            { label: 'none', value: undefined },
          ])));
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
    if (errors.length) throw new UserError(`the Cluster would be rejected: ${errors.map((e) => e.message).join('; ')}`);
    return this.reviewAndApply(conn, namespace, className, manifest, args);
  }

  /** Opens the Cluster for review, then applies the reviewed text through the write path. */
  private async reviewAndApply(
    conn: ContextConnection,
    namespace: string,
    className: string,
    manifest: Record<string, unknown>,
    args: OrderArgs,
  ): Promise<OrderResult> {
    const name = stringField(manifest, 'metadata', 'name') ?? '';
    const text = `# Cluster ordered from ClusterClass ${className} (${namespace} in ${conn.context}).\n# Review it; "Apply" sends exactly this document.\n${yaml.dump(manifest, { lineWidth: -1 })}`;
    let doc: vscode.TextDocument | undefined;
    if (args.open !== false) {
      doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: text });
      await vscode.window.showTextDocument(doc, { preview: false });
    }
    const apply =
      args.confirmed === true ||
      (await vscode.window.showInformationMessage(
        `Review the Cluster ${name}, then apply it to ${namespace} in ${conn.context}.`,
        'Apply',
        'Not now',
      )) === 'Apply';
    if (!apply) return { manifest, uri: doc?.uri.toString() };
    // The reviewed document (the user may have edited it) goes through the same checks as any YAML document.
    const objects = objectsOfText(doc ? doc.getText() : text, this.meta.title);
    const report = await writeManifests(this.deps.write, conn, objects, { title: this.meta.title, namespace, args });
    if (['created', 'updated', 'unchanged'].includes(report.outcome)) {
      this.refreshExplorer(conn.context);
      if (args.confirmed !== true) void this.offerReveal({ context: conn.context, namespace, name });
    }
    return { manifest, uri: doc?.uri.toString(), report };
  }

  /** "Reveal in tree" selects the new cluster's node once the watch has it. */
  private async offerReveal(ref: { context: string; namespace: string; name: string }): Promise<void> {
    const choice = await vscode.window.showInformationMessage(`Cluster ${ref.name} applied to ${ref.namespace}.`, 'Reveal in tree');
    if (choice === 'Reveal in tree') await vscode.commands.executeCommand(COMMAND.revealCluster, ref);
  }
}

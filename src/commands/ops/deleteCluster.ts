/**
 * `clusterStacks.deleteCluster`: delete a workload Cluster after the user types its name. Before the
 * name is asked for, the summary of what Cluster API and the OpenStack provider will delete — workers,
 * control plane, infrastructure, servers, ports, volumes, load balancers, floating IPs, as far as the
 * management cluster shows them — and what stays is written to the output channel and shown in the
 * confirmation (src/core/ops/deleteSummary.ts). Scripts pass the name as `typedName`; `confirmed: true`
 * alone does not delete. The node shows "deleting" (its deletionTimestamp) until the Cluster is gone.
 */
import { confirmDeletion, deleteSummary, type DeleteSummary } from '../../core/ops/deleteSummary';
import type { KubeObject } from '../../core/capi/types';
import type { DisposableStore } from '../../lifecycle';
import { UserError, type Args } from '../../services/command';
import { COMMAND } from '../../services/commandIds';
import type { Ctx } from '../../services/ctx';
import { kube } from '../../services/kube';
import { inputText } from '../../services/prompts';
import type { StackDeps } from '../stacks/stackCommand';
import { ClusterCommand, type ClusterArgs, type ClusterTarget, type OpsResult } from './clusterCommand';

export interface DeleteArgs extends ClusterArgs {
  /** The cluster's name typed by the user (required for scripts too). */
  readonly typedName?: string;
}

export interface DeleteResult extends OpsResult {
  readonly summary?: DeleteSummary;
}

const INFRA_API = 'infrastructure.cluster.x-k8s.io';

/** The summary as lines for the output channel and the confirmation. */
export function summaryLines(s: DeleteSummary): string[] {
  const out: string[] = [];
  if (s.deletingSince) out.push(`Already deleting since ${s.deletingSince}`);
  for (const step of s.steps) {
    out.push(`${step.title}:`);
    for (const i of step.items) out.push(`  ${i.kind} ${i.name}${i.detail ? ` (${i.detail})` : ''}`);
  }
  if (s.openstack.length) {
    out.push('In OpenStack:');
    for (const r of s.openstack)
      out.push(`  ${r.kind} ${r.name ?? r.id ?? ''}${r.note ? ` (${r.note})` : ''} — via ${r.via}`.replace(/\s+—/, ' —'));
  }
  if (s.kept.length) out.push('Stays:', ...s.kept.map((k) => `  ${k}`));
  if (s.holds.length) out.push('Holds:', ...s.holds.map((h) => `  ${h}`));
  if (s.unknown.length) out.push('Not shown by the management cluster:', ...s.unknown.map((u) => `  ${u}`));
  return out;
}

export class DeleteCluster extends ClusterCommand {
  constructor(ctx: Ctx, deps: StackDeps) {
    super(ctx, deps, { id: COMMAND.deleteCluster, title: 'Delete workload cluster', writes: true });
  }

  /** The objects of the kinds deletion involves, as far as they are served. */
  private async related(t: ClusterTarget): Promise<KubeObject[]> {
    const infra = await t.conn.client.discovery.preferredVersion(INFRA_API);
    const kinds: [string | undefined, string][] = [
      [t.capiVersion, 'MachineDeployment'],
      [t.capiVersion, 'MachineSet'],
      [t.capiVersion, 'MachinePool'],
      [t.capiVersion, 'Machine'],
      [infra, 'OpenStackCluster'],
      [infra, 'OpenStackMachine'],
    ];
    const lists = await Promise.all(
      kinds.filter((k): k is [string, string] => !!k[0]).map(([v, kind]) => this.listOptional(t, v, kind).catch((): KubeObject[] => [])),
    );
    const cp = await this.controlPlane(t);
    return [...lists.flat(), ...(cp ? [cp] : [])];
  }

  protected async run(raw: Args, scope: DisposableStore): Promise<DeleteResult> {
    const args = raw as DeleteArgs;
    const t = await this.targetCluster(args, scope);
    const name = t.cluster.metadata?.name ?? '';
    const summary = deleteSummary(t.cluster, await this.related(t));
    const lines = summaryLines(summary);
    this.ctx.log.info(`${this.meta.title}: ${t.conn.context}/${t.namespace}/${name}`);
    for (const l of lines) this.ctx.log.info(`  ${l}`);
    const typed =
      args.typedName ??
      (await inputText(`Delete ${name} from ${t.namespace} in ${t.conn.context}`, (v) => confirmDeletion(t.cluster, v).message, {
        prompt: `Type "${name}" to delete it. ${summary.steps.map((s) => `${s.title}: ${s.items.length}`).join(', ')}${summary.openstack.length ? `, ${summary.openstack.length} OpenStack resources` : ''} (details in the "Cluster Stacks" output)`,
      }));
    const check = confirmDeletion(t.cluster, typed);
    if (!check.ok) throw new UserError(check.message ?? 'not confirmed');
    const k = await kube();
    const target = { apiVersion: t.capiVersion, kind: 'Cluster', namespace: t.namespace, name };
    const { report, dryRun } = await this.deps.write.toCluster(
      {
        title: this.meta.title,
        action: `Delete the workload cluster ${name}`,
        details: ['Cluster API deletes, in this order:', ...lines],
        conn: t.conn,
        namespaces: [t.namespace],
        clustersShown: [name],
        objects: [k.operations.delete(target)],
        note: () => 'The tree shows it as deleting until Cluster API has removed it.',
      },
      args,
    );
    if (!dryRun && report.outcome === 'deleted') this.refreshExplorer(t.conn.context);
    return { outcome: dryRun ? 'dry-run' : report.outcome, report, summary, ...(report.reason ? { message: report.reason } : {}) };
  }
}

/**
 * `clusterStacks.showPropagation` (read-only, also in Restricted Mode): per ClusterResourceSet of the
 * tenant, which Clusters it selects and whether each has the current content (the binding's hash,
 * docs/domain.md §8), the last direct push from this window, and with `drift: true` the workload
 * secret of every cluster compared (by hash) with the tenant's credentials. States only, never values.
 */
import { crsPropagation, describeDrift } from '../../core/manifests/propagation';
import type { DisposableStore } from '../../lifecycle';
import { COMMAND } from '../../services/commandIds';
import type { Args } from '../../services/command';
import type { Ctx } from '../../services/ctx';
import { kube } from '../../services/kube';
import { pickContext, pickNamespace, withProgress } from '../../services/prompts';
import { CredentialCommand, type CredentialDeps } from './credentialCommand';
import type { CommandResult, ShowPropagationArgs } from './results';

export class ShowPropagation extends CredentialCommand {
  constructor(ctx: Ctx, deps: CredentialDeps) {
    super(ctx, deps, { id: COMMAND.showPropagation, title: 'Credential propagation', writes: false });
  }

  protected async run(raw: Args, scope: DisposableStore): Promise<CommandResult> {
    const args = raw as ShowPropagationArgs;
    const { connections, sources, history } = this.deps;
    const k = await kube();
    const conn = scope.add(await pickContext(connections, args.context, 'Management cluster (kube context)'));
    const { client, context } = conn;
    const ns = (await pickNamespace(conn, args.namespace, 'Tenant namespace')).name;
    const clusters = await k.listClusters(client, ns);
    const addonsGv = await client.discovery.preferredVersion('addons.cluster.x-k8s.io');
    const sets = addonsGv ? await k.listObjects(client, addonsGv, 'ClusterResourceSet', ns) : [];
    const bindings = addonsGv ? await k.listObjects(client, addonsGv, 'ClusterResourceSetBinding', ns) : [];
    const propagation: { crs: string; clusters: { cluster: string; state: string; lastAppliedTime?: string }[] }[] = [];
    const lines: string[] = [];
    for (const crs of sets) {
      const name = String((crs.metadata as { name?: string }).name);
      const resources = ((crs.spec as { resources?: { name: string; kind: string }[] })?.resources ?? []).filter(
        (r) => r.kind === 'Secret',
      );
      for (const r of resources) {
        const secret = await k.getObject(client, 'v1', 'Secret', ns, r.name);
        const rows = crsPropagation({ crs, resourceSecret: secret ?? { metadata: { name: r.name } }, clusters, bindings });
        propagation.push({ crs: `${name}/${r.name}`, clusters: rows });
        lines.push(`ClusterResourceSet ${name}, Secret ${r.name}: ${rows.length} cluster(s) selected`);
        for (const row of rows)
          lines.push(`    ${row.cluster}: ${row.state}${row.lastAppliedTime ? ` (last applied ${row.lastAppliedTime})` : ''}`);
      }
    }
    const lastPush = history.get(context, ns);
    if (lastPush) {
      lines.push('Last direct push from this window:');
      for (const c of lastPush) lines.push(`    ${c.cluster}: ${c.outcome}${c.reason ? ` — ${c.reason}` : ''}`);
    }
    let drift: CommandResult['drift'];
    if (args.drift) {
      const style = await sources.style(args);
      const { secret } = await sources.workloadSecret(client, ns, args, style);
      const pool = await connections.sharedPool();
      const rows = await withProgress(`Comparing ${clusters.length} workload clusters`, (signal) =>
        k.checkDrift(client, { namespace: ns, clusters: clusters.map((c) => c.name), expected: () => secret, signal, pool }),
      );
      drift = rows.map((r) => ({
        cluster: r.cluster,
        ...(r.drift ? { state: r.drift.state, description: describeDrift(r.drift) } : { reason: r.reason }),
      }));
      lines.push(`Drift of ${secret.metadata.namespace}/${secret.metadata.name}:`);
      for (const d of drift) lines.push(`    ${d.cluster}: ${d.description ?? `unknown — ${d.reason}`}`);
    }
    this.ctx.log.info(`Credential propagation in ${context}/${ns}`);
    for (const l of lines.length ? lines : ['no ClusterResourceSet and no direct push recorded']) this.ctx.log.info(`  ${l}`);
    this.ctx.log.show(true);
    return { outcome: 'done', context, namespace: ns, propagation, ...(drift ? { drift } : {}), ...(lastPush ? { lastPush } : {}) };
  }
}

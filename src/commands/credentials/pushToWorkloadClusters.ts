/**
 * `clusterStacks.pushToWorkloadClusters` (docs/domain.md §3, §8; customer step 9 of §(d)): the tenant's
 * credentials (from its identity secret, or a cloud of a clouds.yaml) converted to the workload secret
 * the cluster-stack series reads (`kube-system/cloud-config` with cloud.conf, or `kube-system/clouds-yaml`),
 * pushed directly into every chosen workload cluster through the write path's fan-out. From the tenant, the
 * credentials are those CAPO reads for the chosen clusters: the tenant's Secret, or the Secret of the
 * OpenStackClusterIdentity they use (a refused or unresolvable identity refuses the push before any write). Clusters with
 * their own `[LoadBalancer]` options get their own secret (same credentials). Where an existing secret
 * changed, the consumers that cache it (OpenStack CCM, Cinder CSI) are restarted when asked
 * (`restartConsumers`, or the offer of an interactive call; consumerRestart.ts).
 */
import type { SecretManifest } from '../../core/manifests/credentials';
import type { DisposableStore } from '../../lifecycle';
import { COMMAND } from '../../services/commandIds';
import { toUri, UserError, type Args } from '../../services/command';
import type { Ctx } from '../../services/ctx';
import { kube } from '../../services/kube';
import { pickMany, pickNamespace } from '../../services/prompts';
import { wantsRestart } from './consumerRestart';
import { CredentialCommand, type CredentialDeps } from './credentialCommand';
import { clusterView, type CommandResult, type PushToWorkloadArgs } from './results';

export class PushToWorkloadClusters extends CredentialCommand {
  constructor(ctx: Ctx, deps: CredentialDeps) {
    super(ctx, deps, { id: COMMAND.pushToWorkloadClusters, title: 'Push to workload clusters', writes: true });
  }

  protected async run(raw: Args, scope: DisposableStore): Promise<CommandResult> {
    const args = raw as PushToWorkloadArgs;
    const { sources, write, history } = this.deps;
    const k = await kube();
    const conn = await write.target(args, 'Management cluster (kube context)', scope);
    const ns = (await pickNamespace(conn, args.namespace, 'Tenant namespace')).name;
    const style = await sources.style(args);
    const all = args.clusters === 'all' || !args.clusters ? (await k.listClusters(conn.client, ns)).map((c) => c.name) : undefined;
    const clusters =
      args.clusters === 'all'
        ? (all ?? [])
        : args.clusters
          ? [...args.clusters]
          : await pickMany(`Workload clusters of ${ns}`, all ?? [], () => true);
    if (!clusters.length) throw new UserError(`Tenant ${ns} has no workload clusters.`);
    // From the tenant (no clouds.yaml, no explicit Secret), the push relies on what CAPO reads for these clusters.
    const identity = toUri(args.uri) || args.secretName ? undefined : await sources.identityTarget(conn.client, ns, clusters);
    const { secret, source } = await sources.workloadSecret(conn.client, ns, args, style, sources.lbSections(args.loadBalancer), identity);
    const own = new Map<string, SecretManifest>();
    for (const c of clusters.filter((x) => args.perCluster?.[x])) {
      own.set(
        c,
        (
          await sources.workloadSecret(
            conn.client,
            ns,
            args,
            style,
            sources.lbSections({ ...args.loadBalancer, ...args.perCluster?.[c] }),
            identity,
          )
        ).secret,
      );
    }
    const ref = `${secret.metadata.namespace}/${secret.metadata.name}`;
    const { results, dryRun } = await write.toWorkloadClusters(
      {
        title: this.meta.title,
        action: `Write ${ref} (from ${source}) into ${clusters.length} workload cluster${clusters.length === 1 ? '' : 's'}`,
        conn,
        namespaces: [ns],
        namespace: ns,
        clusters,
        objectsFor: (c) => [own.get(c) ?? secret],
        concurrency: args.concurrency,
        summary: [{ ref: `Secret ${ref}`, keys: Object.keys(secret.data) }],
      },
      args,
    );
    const views = results.map(clusterView);
    if (!dryRun) history.record(conn.context, ns, views);
    // Only a changed existing secret leaves running consumers on the old credential; a new one has none yet.
    const changed = dryRun ? [] : results.filter((r) => r.objects.some((o) => o.action === 'update')).map((r) => r.cluster);
    let restarts: CommandResult['restarts'];
    if (changed.length && wantsRestart(args)) restarts = await this.deps.restart.run(conn, ns, changed, args);
    else if (changed.length)
      this.ctx.log.info(
        `${this.meta.title}: the secret changed in ${changed.join(', ')}; the OpenStack CCM and Cinder CSI keep the old credential until restarted (restartConsumers: true).`,
      );
    return { outcome: 'done', context: conn.context, namespace: ns, clusters: views, ...(restarts ? { restarts } : {}) };
  }
}

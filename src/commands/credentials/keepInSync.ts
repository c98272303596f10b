/**
 * `clusterStacks.keepInSync` (docs/domain.md §1.2, §8): the csp-helper way of delivering credentials —
 * the workload secret wrapped in a `addons.cluster.x-k8s.io/resource-set` Secret, a ClusterResourceSet
 * selecting `managed-secret=<style>` Clusters, and (on request) that label on existing Clusters, all in
 * one write through the write path.
 */
import { MANAGED_SECRET_LABEL } from '../../core/capi/credentials';
import { resourceSet, resourceSetNames, unb64 } from '../../core/manifests/credentials';
import type { KubeManifest } from '../../kube/api';
import type { DisposableStore } from '../../lifecycle';
import { COMMAND } from '../../services/commandIds';
import { Cancelled, type Args } from '../../services/command';
import type { Ctx } from '../../services/ctx';
import { kube } from '../../services/kube';
import { pickMany, pickNamespace } from '../../services/prompts';
import { CredentialCommand, type CredentialDeps } from './credentialCommand';
import { outcomeOfReport, reportView, type CommandResult, type KeepInSyncArgs } from './results';

export class KeepInSync extends CredentialCommand {
  constructor(ctx: Ctx, deps: CredentialDeps) {
    super(ctx, deps, { id: COMMAND.keepInSync, title: 'Keep credentials in sync', writes: true });
  }

  protected async run(raw: Args, scope: DisposableStore): Promise<CommandResult> {
    const args = raw as KeepInSyncArgs;
    const { sources, write } = this.deps;
    const k = await kube();
    const conn = await write.target(args, 'Management cluster (kube context)', scope);
    const ns = (await pickNamespace(conn, args.namespace, 'Tenant namespace')).name;
    const style = await sources.style(args);
    const { secret, source } = await sources.workloadSecret(conn.client, ns, args, style);
    const cloudName = secret.data.cloudName ? unb64(secret.data.cloudName) : await sources.cloudForNames(conn.client, ns, args);
    const [wrapper, crs] = resourceSet({ namespace: ns, style, cloudName, workload: secret });
    const clusters = await k.listClusters(conn.client, ns);
    const label = resourceSetNames(style, cloudName).selector;
    const unlabelled = clusters.filter((c) => c.labels[MANAGED_SECRET_LABEL] !== label);
    let toLabel: string[];
    if (args.labelClusters === 'all') toLabel = unlabelled.map((c) => c.name);
    else if (args.labelClusters === 'none') toLabel = [];
    else if (args.labelClusters) toLabel = args.labelClusters.filter((n) => unlabelled.some((c) => c.name === n));
    else if (!args.confirmed && unlabelled.length) {
      toLabel = await pickMany(
        `Label existing clusters ${MANAGED_SECRET_LABEL}=${label} (so the ClusterResourceSet selects them)`,
        unlabelled.map((c) => c.name),
        () => false,
      ).catch((e) => {
        if (e instanceof Cancelled) return [];
        throw e;
      });
    } else toLabel = [];
    const labels: KubeManifest[] = toLabel.map((n) => ({
      apiVersion: clusters.find((x) => x.name === n)?.apiVersion ?? 'cluster.x-k8s.io/v1beta1',
      kind: 'Cluster',
      metadata: { name: n, namespace: ns, labels: { [MANAGED_SECRET_LABEL]: label } },
    }));
    const { report, dryRun } = await write.toCluster(
      {
        title: this.meta.title,
        action: `Deliver ${secret.metadata.namespace}/${secret.metadata.name} (from ${source}) with ClusterResourceSet ${crs.metadata.name}`,
        conn,
        namespaces: [ns],
        clustersShown: toLabel,
        objects: [wrapper, crs, ...labels],
        summary: [
          { ref: `Secret ${ns}/${wrapper.metadata.name} (${wrapper.type})`, keys: Object.keys(wrapper.data) },
          { ref: `ClusterResourceSet ${ns}/${crs.metadata.name} (selects ${MANAGED_SECRET_LABEL}=${label})`, keys: [] },
          ...labels.map((l) => ({ ref: `Cluster ${ns}/${l.metadata.name}: add label ${MANAGED_SECRET_LABEL}=${label}`, keys: [] })),
        ],
      },
      args,
    );
    const outcome = dryRun ? 'done' : outcomeOfReport(report);
    return {
      outcome,
      context: conn.context,
      namespace: ns,
      management: reportView(report),
      labelled: outcome === 'failed' ? [] : toLabel,
    };
  }
}

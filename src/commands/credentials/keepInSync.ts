/**
 * `clusterStacks.keepInSync` (docs/domain.md §1.2, §8): the csp-helper way of delivering credentials —
 * the workload secret wrapped in a `addons.cluster.x-k8s.io/resource-set` Secret, a ClusterResourceSet
 * selecting `managed-secret=<style>` Clusters, and (on request) that label on existing Clusters, all in
 * one write through the write path.
 */
import { MANAGED_SECRET_LABEL } from '../../core/capi/credentials';
import { resourceSet, resourceSetNames, unb64 } from '../../core/manifests/credentials';
import { resourceSetUpdate } from '../../core/manifests/resourceSetUpdate';
import type { KubeManifest, WriteItem } from '../../kube/api';
import type { DisposableStore } from '../../lifecycle';
import { COMMAND } from '../../services/commandIds';
import { Cancelled, UserError, type Args } from '../../services/command';
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
    // An existing ClusterResourceSet is updated the way the API server lets it be (strategy and clusterSelector are
    // immutable, core/manifests/resourceSetUpdate.ts): a merge patch of the mutable fields, or a refusal before any write.
    const crsRef = `ClusterResourceSet ${ns}/${crs.metadata.name}`;
    const update = resourceSetUpdate(await k.getObject(conn.client, crs.apiVersion, crs.kind, ns, crs.metadata.name), crs);
    if (update.kind === 'refused') throw new UserError(update.message);
    const crsItem: WriteItem[] =
      update.kind === 'create'
        ? [crs]
        : update.kind === 'patch'
          ? [k.operations.mergePatch({ apiVersion: crs.apiVersion, kind: crs.kind, namespace: ns, name: crs.metadata.name }, update.patch)]
          : [];
    const crsLine =
      update.kind === 'create'
        ? `${crsRef} (selects ${MANAGED_SECRET_LABEL}=${resourceSetNames(style, cloudName).selector})`
        : update.kind === 'patch'
          ? `${crsRef}: patch ${update.changed.join(', ')}`
          : `${crsRef}: unchanged`;
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
        objects: [wrapper, ...crsItem, ...labels],
        ...(update.kind === 'unchanged' ? { note: () => `${crsRef} is unchanged.` } : {}),
        summary: [
          { ref: `Secret ${ns}/${wrapper.metadata.name} (${wrapper.type})`, keys: Object.keys(wrapper.data) },
          { ref: crsLine, keys: [] },
          ...labels.map((l) => ({ ref: `Cluster ${ns}/${l.metadata.name}: add label ${MANAGED_SECRET_LABEL}=${label}`, keys: [] })),
        ],
      },
      args,
    );
    const outcome = dryRun ? 'done' : outcomeOfReport(report);
    return {
      outcome,
      ...(update.kind === 'unchanged' ? { message: `${crsRef} is unchanged` } : {}),
      context: conn.context,
      namespace: ns,
      resourceSet: update.kind === 'create' ? 'created' : update.kind === 'patch' ? 'patched' : 'unchanged',
      management: reportView(report),
      labelled: outcome === 'failed' ? [] : toLabel,
    };
  }
}

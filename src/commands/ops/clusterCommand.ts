/**
 * What the workload-cluster actions (upgrade, scale, pause/resume, delete) share: finding the Cluster
 * (from a tree node's `clusters: [name]`, a script's `cluster`, or a pick), reading the objects their
 * rules need, and sending a `ClusterChange` of src/core/ops through the write path as one JSON patch
 * whose first operation tests the resourceVersion that was read — a Cluster changed in between is
 * refused by the server, never overwritten. Each returns an `OpsResult`, also when refused or cancelled,
 * so scripts and tests can read why.
 */
import { field, type KubeObject } from '../../core/capi/types';
import type { ClusterChange } from '../../core/ops/change';
import type { ApplyReport } from '../../kube/api';
import type { DisposableStore } from '../../lifecycle';
import { UserError } from '../../services/command';
import type { ContextConnection } from '../../services/connections';
import { kube } from '../../services/kube';
import { pickNamespace, pickOne } from '../../services/prompts';
import type { WriteArgs } from '../write/gate';
import { StackCommand } from '../stacks/stackCommand';

export interface ClusterArgs extends WriteArgs {
  /** The workload cluster (a tree node passes `clusters: [name]`). */
  readonly cluster?: string;
  readonly clusters?: readonly string[];
}

export interface OpsResult {
  readonly outcome: ApplyReport['outcome'] | 'refused' | 'cancelled' | 'dry-run';
  /** Why it was refused or failed (safe to show). */
  readonly message?: string;
  readonly report?: ApplyReport;
  readonly change?: ClusterChange;
}

export interface ClusterTarget {
  readonly conn: ContextConnection;
  readonly namespace: string;
  /** The served Cluster API version the Cluster was read with. */
  readonly capiVersion: string;
  readonly cluster: KubeObject;
}

const CAPI_GROUP = 'cluster.x-k8s.io';

export abstract class ClusterCommand extends StackCommand<OpsResult> {
  protected override refused(message: string): OpsResult {
    return { outcome: 'refused', message };
  }

  protected override failed(message: string): OpsResult {
    return { outcome: 'failed', message };
  }

  protected override cancelled(): OpsResult {
    return { outcome: 'cancelled' };
  }

  /** The context (leased into `scope`, protected-context precheck), the tenant and the Cluster, read live. */
  protected async targetCluster(args: ClusterArgs, scope: DisposableStore): Promise<ClusterTarget> {
    const k = await kube();
    const conn = await this.deps.write.target(args, this.meta.title, scope);
    const namespace = (await pickNamespace(conn, args.namespace, `${this.meta.title}: tenant`)).name;
    const capiVersion = await conn.client.discovery.preferredVersion(CAPI_GROUP);
    if (!capiVersion) throw new UserError(`Cluster API (cluster.x-k8s.io) is not installed in ${conn.context}`);
    let name = args.cluster ?? args.clusters?.[0];
    if (!name) {
      const clusters = await k.listObjects(conn.client, capiVersion, 'Cluster', namespace);
      name = await pickOne(
        `${this.meta.title}: workload cluster in ${namespace}`,
        clusters
          .map((c) => (c as KubeObject).metadata?.name ?? '')
          .filter(Boolean)
          .sort()
          .map((n) => ({ label: n, value: n })),
      );
    }
    const cluster = await k.getObject(conn.client, capiVersion, 'Cluster', namespace, name);
    if (!cluster) throw new UserError(`Cluster ${namespace}/${name} does not exist in ${conn.context}`);
    return { conn, namespace, capiVersion, cluster: cluster as KubeObject };
  }

  /** Objects of a kind in the tenant, or none when the kind is not served (e.g. no kubeadm provider). */
  protected async listOptional(t: ClusterTarget, apiVersion: string, kind: string, labelSelector?: string): Promise<KubeObject[]> {
    const k = await kube();
    try {
      return (await k.listObjects(t.conn.client, apiVersion, kind, t.namespace, labelSelector)) as KubeObject[];
    } catch (e) {
      if (e instanceof k.KubeError && (e.kind === 'notFound' || e.status === 404)) return [];
      throw e;
    }
  }

  /** The control plane object the Cluster references, when served and present. */
  protected async controlPlane(t: ClusterTarget): Promise<KubeObject | undefined> {
    const ref = field(t.cluster, 'spec', 'controlPlaneRef') as
      { apiVersion?: string; kind?: string; name?: string; apiGroup?: string } | undefined;
    if (!ref?.kind || !ref.name) return undefined;
    const apiVersion = ref.apiVersion ?? (ref.apiGroup ? await t.conn.client.discovery.preferredVersion(ref.apiGroup) : undefined);
    if (!apiVersion) return undefined;
    const list = await this.listOptional(t, apiVersion, ref.kind);
    return list.find((o) => o.metadata?.name === ref.name);
  }

  /** The Cluster's MachineDeployments (by the cluster-name label). */
  protected machineDeployments(t: ClusterTarget): Promise<KubeObject[]> {
    return this.listOptional(t, t.capiVersion, 'MachineDeployment', `cluster.x-k8s.io/cluster-name=${t.cluster.metadata?.name ?? ''}`);
  }

  /** Refuses a change the rules refuse; else dry run, gate, patch, report. */
  protected async send(t: ClusterTarget, change: ClusterChange, args: ClusterArgs): Promise<OpsResult> {
    const errors = change.issues.filter((i) => i.severity === 'error');
    if (change.refused) throw new UserError(`${change.summary}: refused: ${errors.map((i) => i.message).join('; ')}`);
    for (const w of change.warnings) this.ctx.log.warn(`${this.meta.title}: ${w}`);
    if (!change.patch.some((o) => o.op !== 'test')) {
      const message = change.warnings.join('; ') || 'nothing to change';
      this.ctx.log.info(`${this.meta.title}: ${message}`);
      return { outcome: 'unchanged', message, change };
    }
    const k = await kube();
    const { target } = change;
    const { report, dryRun } = await this.deps.write.toCluster(
      {
        title: this.meta.title,
        action: change.summary,
        details: [change.effect, ...change.warnings.map((w) => `Warning: ${w}`)],
        conn: t.conn,
        namespaces: [t.namespace],
        clustersShown: [target.name],
        objects: [k.operations.jsonPatch({ ...target, apiVersion: t.capiVersion }, change.patch)],
        note: () => change.effect,
      },
      args,
    );
    if (!dryRun && ['updated', 'deleted'].includes(report.outcome)) this.refreshExplorer(t.conn.context);
    return { outcome: dryRun ? 'dry-run' : report.outcome, report, change, ...(report.reason ? { message: report.reason } : {}) };
  }
}

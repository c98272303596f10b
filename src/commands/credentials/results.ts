/**
 * The arguments and results of the credential commands (the scripting and test vocabulary). Writing
 * commands take the write path's `WriteArgs` (context, namespace, confirmed, confirmProtected, force,
 * dryRun); where the credentials come from is `SourceArgs`. Results hold names, keys and outcomes only.
 */
import type * as vscode from 'vscode';
import { formatDiff } from '../../core/manifests/propagation';
import type { WorkloadStyle } from '../../core/manifests/credentials';
import type { ApplyReport, ClusterPushResult } from '../../kube/api';
import type { ConnectionReport, DeliveryStyle } from '../../openstack';
import type { WriteArgs } from '../write/gate';
import type { RestartArgs, RestartView } from './consumerRestart';

/** Where the credentials come from: a cloud of a clouds.yaml (`uri`), or (default) the tenant's identity secret. */
export interface SourceArgs {
  /** The clouds.yaml (a URI string, a file path or a Uri; the lens passes it). */
  readonly uri?: string | vscode.Uri;
  readonly cloud?: string;
  readonly secretName?: string;
}

export interface PushToTenantArgs extends WriteArgs, SourceArgs {
  readonly createNamespace?: boolean;
}
export interface PushToWorkloadArgs extends RestartArgs, SourceArgs {
  readonly clusters?: readonly string[] | 'all';
  readonly style?: WorkloadStyle;
  readonly concurrency?: number;
  /** `[LoadBalancer]` options for every cluster; with style clouds-yaml they go into a use-clouds cloud.conf (cluster-stacks #241). */
  readonly loadBalancer?: Readonly<Record<string, string | boolean>>;
  /** Per-cluster `[LoadBalancer]` options, over `loadBalancer`. */
  readonly perCluster?: Readonly<Record<string, Readonly<Record<string, string | boolean>>>>;
}
export interface KeepInSyncArgs extends WriteArgs, SourceArgs {
  readonly style?: WorkloadStyle;
  /** Clusters to label `managed-secret=<style>` so the ClusterResourceSet selects them. */
  readonly labelClusters?: readonly string[] | 'all' | 'none';
}
export interface ShowPropagationArgs extends SourceArgs {
  readonly context?: string;
  readonly namespace?: string;
  /** Also read every selected workload cluster and compare its secret with the tenant's credentials. */
  readonly drift?: boolean;
  readonly style?: WorkloadStyle;
}

export interface TestConnectionArgs extends SourceArgs {
  readonly context?: string;
  readonly namespace?: string;
  /** A credential node of the explorer (`{kind: 'secrets', name}`): the secret to test. */
  readonly object?: { readonly kind: string; readonly name: string };
  /** Which delivery the consumers get: cloud-config (default) or clouds-yaml (use-clouds carries no trust, no tls-insecure). */
  readonly style?: DeliveryStyle;
  /** Per Keystone request; default 10. */
  readonly timeoutSeconds?: number;
}

export interface ReportView {
  readonly outcome: string;
  readonly reason?: string;
  readonly conflicts?: readonly { manager: string; field: string }[];
  readonly objects: readonly { ref: string; action: string; changes: readonly string[] }[];
}
export interface ClusterView extends ReportView {
  readonly cluster: string;
}

/** What a credential command returns (and logs): names, keys, outcomes. */
export interface CommandResult {
  readonly outcome: 'done' | 'cancelled' | 'refused' | 'failed';
  readonly message?: string;
  readonly context?: string;
  readonly namespace?: string;
  readonly management?: ReportView;
  readonly clusters?: readonly ClusterView[];
  readonly labelled?: readonly string[];
  /** Keep in sync: what happened to the ClusterResourceSet (a live one is merge-patched, never re-applied). */
  readonly resourceSet?: 'created' | 'patched' | 'unchanged';
  readonly propagation?: readonly { crs: string; clusters: readonly { cluster: string; state: string; lastAppliedTime?: string }[] }[];
  readonly drift?: readonly { cluster: string; state?: string; description?: string; reason?: string }[];
  readonly lastPush?: readonly ClusterView[];
  /** After a push that changed existing workload secrets: the consumer restart per cluster. */
  readonly restarts?: readonly RestartView[];
  /** Rotate application credential: where the rotation stands (ids, names, steps; never a secret). */
  readonly rotation?: {
    readonly step: string;
    readonly old: { readonly id: string; readonly name: string };
    readonly newName: string;
    readonly new?: { readonly id: string; readonly name: string; readonly createdAt: string; readonly expiresAt: string | null };
    readonly clusters?: readonly string[];
    readonly failed?: readonly { readonly cluster: string; readonly reason: string }[];
  };
  /**
   * Rotate application credential: how the new credential went out — through the ClusterResourceSet
   * (the clusters whose binding recorded the new content's hash, the binding reads it took) and/or pushed.
   */
  readonly delivery?: {
    readonly mode: 'resource-set' | 'push';
    readonly crs?: string;
    readonly hash?: string;
    readonly viaSet?: readonly string[];
    readonly delivered?: readonly string[];
    readonly reads?: number;
    readonly pushed?: readonly string[];
  };
  /** Test connection: what Keystone said (names, ids, endpoints; no secret, no token). */
  readonly connection?: ConnectionReport;
}

export function reportView(r: ApplyReport): ReportView {
  return {
    outcome: r.outcome,
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.conflicts ? { conflicts: r.conflicts } : {}),
    objects: r.objects.map((o) => ({ ref: o.ref, action: o.action, changes: formatDiff(o.changes) })),
  };
}

export const clusterView = (r: ClusterPushResult): ClusterView => ({ cluster: r.cluster, ...reportView(r) });

/** The command outcome of a management write. */
export const outcomeOfReport = (r: ApplyReport): CommandResult['outcome'] =>
  r.outcome === 'failed' || r.outcome === 'conflict' ? 'failed' : 'done';

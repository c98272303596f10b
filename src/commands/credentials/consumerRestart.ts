/**
 * Restarting the workloads that cache the credentials (the OpenStack CCM DaemonSet and the Cinder CSI
 * controller and node plugins in kube-system, src/core/capi/consumers.ts) after the workload secret of
 * existing clusters changed, and waiting until their rollouts complete. The CCM and Cinder CSI read
 * cloud.conf once at start (kubernetes/cloud-provider-openstack#2284, #2629): without a restart they
 * keep the old credential until their pods happen to restart.
 *
 * Three steps, per cluster: find the consumers by their chart selectors (read only), restart them
 * through the write path (dry run, gate — the interactive offer —, the `kubectl.kubernetes.io/restartedAt`
 * pod-template annotation, as `kubectl rollout restart` sets it), then wait, bounded and cancellable,
 * until `kubectl rollout status` would say done. A cluster that fails or times out is reported with why.
 */
import * as vscode from 'vscode';
import type { ConsumerRef } from '../../core/capi/consumers';
import type { ClusterRollouts, WriteItem } from '../../kube/api';
import { Cancelled, UserError } from '../../services/command';
import type { Connections, ContextConnection } from '../../services/connections';
import type { Ctx } from '../../services/ctx';
import { kube } from '../../services/kube';
import { withProgress } from '../../services/prompts';
import type { WriteArgs } from '../write/gate';
import type { WritePath } from '../write/writePath';

export interface RestartArgs extends WriteArgs {
  /**
   * After a push that changed an existing workload secret: restart the consumers (true), leave them
   * (false). Unset: an interactive call is offered the restart (its confirmation); a pre-confirmed one
   * (`confirmed: true`) does not restart and says so.
   */
  readonly restartConsumers?: boolean;
  /** How long to wait for each cluster's rollouts; default 300. */
  readonly rolloutTimeoutSeconds?: number;
}

/** One cluster's restart: names, kinds, kubectl's rollout words; never a value. */
export interface RestartView {
  readonly cluster: string;
  /** complete: restarted and rolled out; none: no consumer found; declined; failed; timeout; cancelled. */
  readonly outcome: 'complete' | 'none' | 'declined' | 'failed' | 'timeout' | 'cancelled';
  readonly consumers: readonly { readonly kind: string; readonly name: string; readonly what: string; readonly rollout?: string }[];
  readonly restartedAt?: string;
  readonly reason?: string;
}

const rfc3339 = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Whether to restart after a push: `restartConsumers` decides; unset, interactive calls are offered it. */
export function wantsRestart(args: RestartArgs): boolean {
  return args.restartConsumers ?? !args.confirmed;
}

export class ConsumerRestart {
  constructor(
    private readonly ctx: Ctx,
    private readonly deps: { readonly connections: Connections; readonly write: WritePath },
  ) {}

  async run(conn: ContextConnection, namespace: string, clusters: readonly string[], args: RestartArgs): Promise<RestartView[]> {
    const timeoutS = args.rolloutTimeoutSeconds ?? 300;
    if (!(typeof timeoutS === 'number' && timeoutS > 0 && timeoutS <= 3600))
      throw new UserError('rolloutTimeoutSeconds must be between 0 and 3600');
    const k = await kube();
    const pool = await this.deps.connections.sharedPool();
    const title = 'Restart consumers';
    const found = await withProgress(`${title}: finding the OpenStack CCM and Cinder CSI in ${clusters.length} cluster(s)`, (signal) =>
      k.findClusterConsumers(conn.client, { namespace, clusters, pool, signal }),
    );
    const views = new Map<string, RestartView>();
    const refs = new Map<string, readonly ConsumerRef[]>();
    for (const f of found) {
      if (!f.consumers) views.set(f.cluster, { cluster: f.cluster, outcome: 'failed', consumers: [], reason: f.reason ?? 'unknown' });
      else if (!f.consumers.length) views.set(f.cluster, { cluster: f.cluster, outcome: 'none', consumers: [] });
      else refs.set(f.cluster, f.consumers);
    }
    const targets = [...refs.keys()];
    const at = rfc3339(new Date());
    if (targets.length) {
      const ops = new Map<string, WriteItem[]>(targets.map((c) => [c, (refs.get(c) ?? []).map((r) => k.operations.restart(r, at))]));
      const whats = [...new Set([...refs.values()].flat().map((r) => r.what))];
      let restarted: Set<string>;
      try {
        const { results } = await this.deps.write.toWorkloadClusters(
          {
            title,
            action: `Restart ${whats.join(', ')} in ${targets.length} workload cluster${targets.length === 1 ? '' : 's'} (they read the credentials only at start)`,
            conn,
            namespaces: [namespace],
            namespace,
            clusters: targets,
            objectsFor: (c) => ops.get(c) ?? [],
            summary: [...new Map([...refs.values()].flat().map((r) => [`${r.kind} ${r.namespace}/${r.name}`, r])).keys()].map((ref) => ({
              ref: `restart ${ref}`,
              keys: [],
            })),
          },
          { ...args, dryRun: false },
        );
        restarted = new Set(results.filter((r) => r.outcome === 'restarted').map((r) => r.cluster));
        for (const r of results)
          if (r.outcome !== 'restarted')
            views.set(r.cluster, {
              cluster: r.cluster,
              outcome: 'failed',
              consumers: consumerViews(refs.get(r.cluster)),
              reason: r.reason ?? r.outcome,
            });
      } catch (e) {
        if (!(e instanceof Cancelled)) throw e;
        for (const c of targets) views.set(c, { cluster: c, outcome: 'declined', consumers: consumerViews(refs.get(c)) });
        restarted = new Set();
      }
      const waiting = targets.filter((c) => restarted.has(c));
      if (waiting.length) {
        const rollouts = await withProgress(`${title}: waiting for ${waiting.length} cluster(s) to roll out`, (signal, report) =>
          k.waitForRollouts(conn.client, {
            namespace,
            clusters: waiting,
            pool,
            signal,
            consumersFor: (c) => refs.get(c) ?? [],
            timeoutMs: timeoutS * 1000,
            onResult: (r, done, total) => report(`${done}/${total} · ${r.cluster}: ${r.outcome}`, 100 / total),
          }),
        );
        for (const r of rollouts) views.set(r.cluster, rolloutView(r, at));
      }
    }
    const out = clusters.map((c) => views.get(c) ?? { cluster: c, outcome: 'failed' as const, consumers: [], reason: 'not reached' });
    const counts = k.summarizeResults(out);
    if (targets.length) {
      const bad = out.some((v) => v.outcome === 'failed' || v.outcome === 'timeout');
      void (bad ? vscode.window.showWarningMessage : vscode.window.showInformationMessage)(
        `${title}: ${counts}.${bad ? ' Details in the "Cluster Stacks" output.' : ''}`,
      );
    }
    this.ctx.log.info(`${title} in ${conn.context}/${namespace}: ${counts}`);
    for (const v of out)
      this.ctx.log.info(
        `  ${v.cluster}: ${v.outcome}${v.reason ? ` — ${v.reason}` : ''}${v.consumers.length ? ` (${v.consumers.map((c) => `${c.kind} ${c.name}${c.rollout ? `: ${c.rollout}` : ''}`).join('; ')})` : ''}`,
      );
    return out;
  }
}

function consumerViews(refs: readonly ConsumerRef[] | undefined): RestartView['consumers'] {
  return (refs ?? []).map((r) => ({ kind: r.kind, name: r.name, what: r.what }));
}

function rolloutView(r: ClusterRollouts, at: string): RestartView {
  return {
    cluster: r.cluster,
    outcome: r.outcome,
    restartedAt: at,
    consumers: r.rollouts.map((x) => ({ kind: x.consumer.kind, name: x.consumer.name, what: x.consumer.what, rollout: x.state.message })),
    ...(r.reason ? { reason: r.reason } : {}),
  };
}

/**
 * The write path: the one flow every command that writes to a cluster goes through (docs/architecture.md
 * "The write path", "How to add a writing command"). A command resolves its target (a leased context
 * connection), builds its objects or operations, and calls `toCluster` (the management cluster of the
 * context) or `toWorkloadClusters` (every listed workload cluster of a tenant, each reached through its
 * `<cluster>-kubeconfig` secret). Both then run the same steps:
 *   1. protected-context precheck (a pre-confirmed write to a protected context is refused here);
 *   2. plan: server-side dry run of every operation, a masked diff per object (paths and keys only),
 *      written to the output channel; a field-manager conflict offers to take the fields over
 *      (interactive only);
 *   3. `dryRun: true` ends here with the plan; nothing to change ends here too;
 *   4. the gate (gate.ts): confirmation modal with the summary and the diff, protected-context modal;
 *   5. commit: the planned operations that change something (server-side apply with field manager
 *      `cluster-stacks-vscode`, merge patch, delete, restart), with a cancellable progress notification;
 *   6. report: one line per object (what was written, what was not and why) in the output channel, and
 *      a notification naming the target and the outcome.
 * The report is returned (also for failures, which are reports, not exceptions); a dismissed prompt
 * throws `Cancelled`, a refusal `UserError`, both handled by the command base. No step ever shows, logs
 * or returns a secret value.
 */
import * as vscode from 'vscode';
import { planLines, resultLine, writtenLines } from '../../core/manifests/report';
import type { ApplyReport, ClusterPushResult, Operation, PlannedObject, WriteItem } from '../../kube/api';
import type { ContextConnection, Connections } from '../../services/connections';
import type { Ctx } from '../../services/ctx';
import { kube, type Kube } from '../../services/kube';
import { pickContext, withProgress } from '../../services/prompts';
import type { DisposableStore } from '../../lifecycle';
import { Gate, type WriteArgs } from './gate';

/** One line of the confirmation: an object and the keys it carries (never values). */
export interface SummaryLine {
  readonly ref: string;
  readonly keys: readonly string[];
}

export interface WriteRequest {
  /** The title of notifications, progress and log lines ("Push to tenant"). */
  readonly title: string;
  /** The first line of the confirmation: what is written, by name ("Write the identity secret of cloud x to tenant y"). */
  readonly action: string;
  /** Where: the connection of the kubeconfig context (shown first), and the namespaces written to. */
  readonly conn: ContextConnection;
  readonly namespaces: readonly string[];
  /** The confirmation's object lines; by default each object with the data keys of a Secret. */
  readonly summary?: readonly SummaryLine[];
  /** Lines after the objects in the confirmation: what the write causes, warnings. */
  readonly details?: readonly string[];
  /** Workload clusters the write concerns (shown in the confirmation; the fan-out's own list by default). */
  readonly clustersShown?: readonly string[];
  /** Appended to the notification after a successful write (what happens next). */
  readonly note?: (report: ApplyReport) => string | undefined;
}

/** A write into the management cluster of the context. */
export interface ClusterWrite extends WriteRequest {
  readonly objects: readonly WriteItem[];
}

/** A write into workload clusters of the tenant `namespace` (the management cluster is only read). */
export interface WorkloadWrite extends WriteRequest {
  readonly namespace: string;
  readonly clusters: readonly string[];
  readonly objectsFor: (cluster: string) => readonly WriteItem[];
  readonly concurrency?: number;
}

export interface ClusterWriteResult {
  readonly report: ApplyReport;
  /** True when only the dry run ran (`dryRun: true`). */
  readonly dryRun: boolean;
}

export interface WorkloadWriteResult {
  readonly results: readonly ClusterPushResult[];
  readonly dryRun: boolean;
}

const failedOutcome = (o: string) => o === 'failed' || o === 'conflict';

/** The default confirmation lines: every object, with the data keys of Secrets. */
function summaryOf(k: Kube, items: readonly WriteItem[]): SummaryLine[] {
  return items.map((item) => {
    const o = k.toOperation(item);
    const ref = k.describeRef(k.targetOf(o));
    if (o.op !== 'apply') return { ref: `${o.op === 'mergePatch' || o.op === 'jsonPatch' ? 'patch' : o.op} ${ref}`, keys: [] };
    const data = (o.manifest as { data?: Record<string, unknown>; stringData?: Record<string, unknown> }).data ?? {};
    return { ref, keys: Object.keys(data) };
  });
}

export class WritePath {
  private readonly gate: Gate;

  constructor(
    private readonly ctx: Ctx,
    private readonly connections: Connections,
  ) {
    this.gate = new Gate(ctx.config);
  }

  /**
   * Step 0, the target: the kubeconfig context from `args.context` or a pick, leased into `scope`; a
   * pre-confirmed write to a protected context is refused here, before any request.
   */
  async target(args: WriteArgs, title: string, scope: DisposableStore): Promise<ContextConnection> {
    if (args.context) this.gate.precheck(args.context, args);
    const conn = scope.add(await pickContext(this.connections, args.context, title));
    this.gate.precheck(conn.context, args);
    return conn;
  }

  /**
   * The gate on its own, for a command that confirms one plan for several writes (a rotation): the
   * confirmation modal with `lines`, and the protected-context modal. Throws Cancelled when dismissed.
   */
  confirm(summary: Parameters<Gate['confirm']>[0], lines: readonly string[], args: WriteArgs): Promise<void> {
    return this.gate.confirm(summary, lines, args);
  }

  private log(title: string, lines: readonly string[]): void {
    this.ctx.log.info(title);
    for (const l of lines) this.ctx.log.info(`  ${l}`);
  }

  private where(req: WriteRequest): string {
    return req.namespaces.length ? `${req.conn.context}/${req.namespaces.join(',')}` : req.conn.context;
  }

  /** Dry run, gate, server-side apply (or patch/delete/restart) in the management cluster of `req.conn`. */
  async toCluster(req: ClusterWrite, args: WriteArgs): Promise<ClusterWriteResult> {
    const k = await kube();
    const { title, conn } = req;
    this.gate.precheck(conn.context, args);
    let force = !!args.force;
    let plans: PlannedObject[];
    for (;;) {
      try {
        plans = await withProgress(`${title}: server-side dry run…`, (signal) => k.planApply(conn.client, req.objects, { force, signal }));
        break;
      } catch (e) {
        if (e instanceof k.ApplyConflictError && !force && (await this.gate.confirmForce(e.object, e.conflicts, args))) {
          force = true;
          continue;
        }
        return { report: this.finish(req, k.reportForError(e)), dryRun: false };
      }
    }
    this.log(`${title}: dry run on ${conn.context}`, planLines(plans));
    const planned: ApplyReport = { outcome: k.outcomeOf(plans), objects: plans };
    if (args.dryRun) return { report: planned, dryRun: true };
    if (!plans.some(k.changes)) return { report: this.finish(req, planned), dryRun: false };
    await this.gate.confirm(
      {
        action: req.action,
        context: conn.context,
        namespaces: req.namespaces,
        ...(req.clustersShown ? { clusters: req.clustersShown } : {}),
        objects: req.summary ?? summaryOf(k, req.objects),
        ...(req.details ? { details: req.details } : {}),
      },
      planLines(plans),
      args,
      methodsOf(k, req.objects),
    );
    const report = await withProgress(`${title}: applying…`, (signal) => k.commitPlan(conn.client, plans, { force, signal }));
    return { report: this.finish(req, report), dryRun: false };
  }

  /** Logs and notifies the end of a management write; returns the report. */
  private finish(req: WriteRequest, report: ApplyReport): ApplyReport {
    const line = resultLine(this.where(req), report);
    this.log(`${req.title}: ${line}`, writtenLines(report));
    if (failedOutcome(report.outcome)) void vscode.window.showErrorMessage(`${req.title}: ${line}`);
    else {
      const note = req.note?.(report);
      void vscode.window.showInformationMessage(`${req.title}: ${line}${note ? ` ${note}` : ''}`);
    }
    return report;
  }

  /** Dry run in every cluster (interactive and `dryRun` calls), gate, then the write into every cluster. */
  async toWorkloadClusters(req: WorkloadWrite, args: WriteArgs): Promise<WorkloadWriteResult> {
    const k = await kube();
    const { title, conn } = req;
    this.gate.precheck(conn.context, args);
    const pool = await this.connections.sharedPool();
    const n = req.clusters.length;
    const push = (dryRunOnly: boolean, force: boolean, progressTitle: string) =>
      withProgress(progressTitle, (signal, report) =>
        k.pushToWorkloadClusters(conn.client, {
          namespace: req.namespace,
          clusters: req.clusters,
          objectsFor: req.objectsFor,
          concurrency: req.concurrency,
          pool,
          force,
          dryRunOnly,
          signal,
          onResult: (r, done, total) => report(`${done}/${total} · ${resultLine(r.cluster, r)}`, 100 / total),
        }),
      );
    const summary = {
      action: req.action,
      context: conn.context,
      namespaces: req.namespaces,
      clusters: req.clustersShown ?? req.clusters,
      objects: req.summary ?? summaryOf(k, req.clusters.length ? req.objectsFor(req.clusters[0]) : []),
    };
    let force = !!args.force;
    if (!args.confirmed || args.dryRun) {
      const preview = await push(true, force, `${title}: dry run in ${n} workload cluster${n === 1 ? '' : 's'}`);
      const lines = preview.map((r) => resultLine(r.cluster, r));
      const diff = [...new Set(preview.flatMap((r) => planLines(r.objects)))];
      this.log(`${title}: dry run (${k.summarizeResults(preview)})`, [...lines, ...diff]);
      if (args.dryRun) return { results: preview, dryRun: true };
      if (preview.every((r) => r.outcome === 'unchanged')) return { results: this.finishClusters(k, req, preview), dryRun: false };
      const conflicts = preview.flatMap((r) => r.conflicts ?? []);
      if (conflicts.length && !force)
        force = await this.gate.confirmForce(`${preview.filter((r) => r.outcome === 'conflict').length} cluster(s)`, conflicts, args);
      await this.gate.confirm(summary, [`Dry run: ${k.summarizeResults(preview)}`, ...lines, ...diff], args);
    }
    const results = await push(false, force, `${title}: writing to ${n} workload cluster${n === 1 ? '' : 's'}`);
    return { results: this.finishClusters(k, req, results), dryRun: false };
  }

  /** Logs and notifies the end of a workload write; returns the results. */
  private finishClusters(k: Kube, req: WorkloadWrite, results: readonly ClusterPushResult[]): readonly ClusterPushResult[] {
    const counts = k.summarizeResults(results);
    this.log(
      `${req.title} in ${req.conn.context}/${req.namespace}: ${counts}`,
      results.map((r) => resultLine(r.cluster, r)),
    );
    if (results.some((r) => failedOutcome(r.outcome)))
      void vscode.window.showWarningMessage(`${req.title}: ${counts}. Details in the "Cluster Stacks" output.`);
    else void vscode.window.showInformationMessage(`${req.title}: ${counts}.`);
    return results;
  }
}

const METHOD: Readonly<Record<Operation['op'], string>> = {
  apply: 'server-side apply',
  mergePatch: 'a JSON merge patch',
  jsonPatch: 'a JSON patch guarded by the resourceVersion read',
  delete: 'a delete',
  restart: 'the rollout-restart annotation (as kubectl rollout restart)',
};

/** The write methods a plan uses, for the confirmation ("server-side apply and a delete"). */
function methodsOf(k: Kube, items: readonly WriteItem[]): string {
  const names = [...new Set(items.map((i) => METHOD[k.toOperation(i).op]))];
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : (names[0] ?? METHOD.apply);
}

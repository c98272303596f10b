/**
 * What the cluster-stack commands share: where they write (context and namespace, from an explorer node,
 * a plain `{context, namespace}` argument, or quick picks), the workspace-trust gate, learning the plural
 * of any kind from API discovery, and the review → server-side dry run → confirm → server-side apply flow
 * of src/kube/apply.ts with a per-object report. Nothing here logs an object's values.
 */
import * as vscode from 'vscode';
import type { KubeConfig } from '@kubernetes/client-node';
import {
  applyObjects,
  commitPlan,
  KubeClient,
  learnResource,
  listObjects,
  planApply,
  reportForError,
  type ApplyReport,
  type KubeManifest,
  type PlannedObject,
} from '../kube/apply';
import { forContext } from '../kube/kubeconfig';
import { preferredVersion } from '../kube/push';
import { CLUSTER_STACK_API_VERSION } from '../core/stacks/clusterStack';
import { DNS_LABEL_PATTERN } from '../core/stacks/names';
import { classOffer, type TenantFacts } from '../core/stacks/topology';
import type { Ctx } from '../ctx';
import { loadKubeconfig } from './kubeconfigSetting';

/** What a command writes to: from an explorer node (`context`, `namespace`) or a test/script argument. */
export interface Target {
  readonly context?: string;
  readonly namespace?: string;
}

export function targetOf(arg: unknown): Target {
  if (!arg || typeof arg !== 'object') return {};
  const a = arg as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return { context: str(a.context), namespace: str(a.namespace) };
}

/** Kinds the commands write or read that the apply layer does not know by itself. */
for (const [apiVersion, kind, plural] of [
  [CLUSTER_STACK_API_VERSION, 'ClusterStack', 'clusterstacks'],
  [CLUSTER_STACK_API_VERSION, 'ClusterStackRelease', 'clusterstackreleases'],
  ['v1', 'ServiceAccount', 'serviceaccounts'],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding', 'rolebindings'],
  ['rbac.authorization.k8s.io/v1', 'Role', 'roles'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole', 'clusterroles'],
])
  learnResource(apiVersion, kind, plural);

export function isTrusted(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showErrorMessage(
    'Cluster Stacks: writing to a cluster is disabled in Restricted Mode. Trust the workspace to use this command.',
  );
  return false;
}

export interface Connection {
  readonly context: string;
  readonly kc: KubeConfig;
  readonly client: KubeClient;
}

/** The context from the target, or a quick pick (current context first); undefined when cancelled. */
export async function connect(target: Target, title: string): Promise<Connection | undefined> {
  const loaded = loadKubeconfig();
  let context = target.context;
  if (!context) {
    const names = loaded.contexts
      .map((c) => c.name)
      .sort((a, b) => (a === loaded.currentContext ? -1 : b === loaded.currentContext ? 1 : a.localeCompare(b)));
    if (names.length === 0) {
      void vscode.window.showErrorMessage(
        `No kubeconfig context found (${loaded.files.join(', ') || 'no files'}). Set clusterStacks.kubeconfigPaths or KUBECONFIG.`,
      );
      return undefined;
    }
    context = await vscode.window.showQuickPick(names, { title, placeHolder: 'Management cluster (kubeconfig context)' });
    if (!context) return undefined;
  }
  const kc = forContext(loaded, context);
  return { context, kc, client: new KubeClient(kc) };
}

/** Namespaces of the cluster for a quick pick; `extra` adds items at the top (e.g. "new namespace"). */
export async function pickNamespace(
  conn: Connection,
  target: Target,
  title: string,
  opts: { prefer?: (ns: string) => Promise<boolean> } = {},
): Promise<string | undefined> {
  if (target.namespace) return target.namespace;
  const items = await listObjects(conn.client, 'v1', 'Namespace');
  const names = items.map((n) => String((n.metadata as { name?: string })?.name ?? '')).filter((n) => n && !n.startsWith('kube-'));
  const preferred: string[] = [];
  if (opts.prefer) for (const n of names) if (await opts.prefer(n)) preferred.push(n);
  const rest = names.filter((n) => !preferred.includes(n));
  const picks: vscode.QuickPickItem[] = [
    ...preferred.map((n) => ({ label: n, description: 'tenant' })),
    ...rest.map((n) => ({ label: n })),
  ];
  const pick = await vscode.window.showQuickPick(picks, { title, placeHolder: `Tenant namespace in ${conn.context}` });
  return pick?.label;
}

interface ApiResourceList {
  resources?: { name: string; kind: string; namespaced: boolean }[];
}

/**
 * Learns the plural (and scope) of every kind in `objects` from discovery; returns the namespaced flag per
 * `<apiVersion> <kind>`, or a message naming the first kind the server does not serve.
 */
export async function discoverKinds(
  client: KubeClient,
  objects: readonly { apiVersion: string; kind: string }[],
): Promise<Map<string, boolean> | string> {
  const scope = new Map<string, boolean>();
  const byGv = new Map<string, ApiResourceList | undefined>();
  for (const o of objects) {
    if (!byGv.has(o.apiVersion)) {
      const res = await client.request('GET', o.apiVersion.includes('/') ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`);
      byGv.set(o.apiVersion, res.status >= 200 && res.status < 300 ? (JSON.parse(res.body) as ApiResourceList) : undefined);
    }
    const r = byGv.get(o.apiVersion)?.resources?.find((x) => x.kind === o.kind && !x.name.includes('/'));
    if (!r) return `${o.kind} (${o.apiVersion}) is not served by this cluster — is its CRD installed?`;
    learnResource(o.apiVersion, o.kind, r.name);
    scope.set(`${o.apiVersion} ${o.kind}`, r.namespaced);
  }
  return scope;
}

/** What is live in a tenant namespace for the topology rules: ClusterClasses and ClusterStackReleases. */
export async function tenantFacts(
  client: KubeClient,
  namespace: string,
): Promise<TenantFacts & { capiVersion?: string; classObjects: Record<string, unknown>[] }> {
  const capiVersion = await preferredVersion(client, 'cluster.x-k8s.io');
  const classObjects = capiVersion ? await listObjects(client, capiVersion, 'ClusterClass', namespace) : [];
  // Without the cluster-stack operator there is no release to check against.
  const releases = await listObjects(client, CLUSTER_STACK_API_VERSION, 'ClusterStackRelease', namespace).catch(
    (): Record<string, unknown>[] => [],
  );
  return {
    capiVersion,
    classObjects,
    classes: new Map(
      classObjects.map((c) => {
        const o = classOffer(c);
        return [o.name, o];
      }),
    ),
    releases: new Map(
      releases.map((r) => [
        String((r.metadata as { name?: string }).name),
        ((r.status ?? {}) as { kubernetesVersion?: string }).kubernetesVersion,
      ]),
    ),
  };
}

export function describePlan(plans: readonly PlannedObject[]): string[] {
  return plans.map((p) => {
    const paths = p.changes.map((c) => c.path);
    const detail = p.action === 'update' ? `: ${paths.slice(0, 6).join(', ')}${paths.length > 6 ? `, … (${paths.length})` : ''}` : '';
    return `${p.action} ${p.ref}${detail}${p.dryRunSkipped ? ' (namespace created in the same apply)' : ''}`;
  });
}

export interface ReviewOptions {
  readonly title: string;
  /** Shown first in the confirmation: where the write goes. */
  readonly where: string;
  /** Skip the confirmation (scripts and tests). */
  readonly confirmed?: boolean;
}

/** The per-object result lines of an apply (what was written, what was not and why), without values. */
export function reportLines(report: ApplyReport): string[] {
  if (report.outcome === 'failed' || report.outcome === 'conflict' || report.outcome === 'cancelled') {
    const written = new Set(report.written ?? []);
    const lines = report.objects.map(
      (p) => `${written.has(p.ref) ? `${p.action}d` : p.action === 'unchanged' ? 'unchanged' : 'not written'}: ${p.ref}`,
    );
    return [...lines, `${report.outcome}: ${report.reason ?? ''}`];
  }
  return report.objects.map((p) => `${p.action === 'unchanged' ? 'unchanged' : `${p.action}d`}: ${p.ref}`);
}

/**
 * Server-side dry run of every object, a confirmation that names the target and the masked changes, then
 * server-side apply with the extension's field manager. Resolves with the report (also on failure), or
 * undefined when the user declined.
 */
export async function reviewAndApply(
  ctx: Ctx,
  client: KubeClient,
  objects: readonly KubeManifest[],
  opts: ReviewOptions,
): Promise<ApplyReport | undefined> {
  const known = await discoverKinds(client, objects);
  if (typeof known === 'string') return { outcome: 'failed', objects: [], reason: known };
  if (opts.confirmed) {
    const report = await applyObjects(client, objects);
    log(ctx, opts, report);
    return report;
  }
  let plans: PlannedObject[];
  try {
    plans = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `${opts.title}: server-side dry run…` },
      () => planApply(client, objects),
    );
  } catch (e) {
    const report = reportForError(e);
    log(ctx, opts, report);
    return report;
  }
  if (plans.every((p) => p.action === 'unchanged')) {
    void vscode.window.showInformationMessage(`${opts.title}: nothing to change in ${opts.where}.`);
    return { outcome: 'unchanged', objects: plans };
  }
  const detail = [
    `Target: ${opts.where}`,
    '',
    ...describePlan(plans),
    '',
    'Dry run passed on the server. Apply with server-side apply (field manager cluster-stacks-vscode)?',
  ].join('\n');
  const choice = await vscode.window.showWarningMessage(opts.title, { modal: true, detail }, 'Apply');
  if (choice !== 'Apply') return undefined;
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `${opts.title}: applying…` },
    () => commitPlan(client, plans),
  );
  log(ctx, opts, report);
  return report;
}

function log(ctx: Ctx, opts: ReviewOptions, report: ApplyReport): void {
  ctx.log.info(`${opts.title} → ${opts.where}: ${report.outcome}`);
  for (const line of reportLines(report)) ctx.log.info(`  ${line}`);
}

/** A notification for the report; errors name the objects, never values. */
export function showReport(title: string, report: ApplyReport | undefined, extra = ''): void {
  if (!report) return;
  const lines = reportLines(report);
  const text = `${title}: ${lines.join('; ')}${extra ? ` ${extra}` : ''}`;
  if (report.outcome === 'failed' || report.outcome === 'conflict') void vscode.window.showErrorMessage(text);
  else void vscode.window.showInformationMessage(text);
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function validateDnsLabel(v: string): string | undefined {
  if (!v) return 'Required';
  if (v.length > 63) return 'At most 63 characters';
  return DNS_LABEL_PATTERN.test(v) ? undefined : 'Lower-case letters, digits and "-", starting and ending with a letter or digit';
}

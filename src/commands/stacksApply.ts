/**
 * `clusterStacks.applyClusterStack`: the CSP step "provide ClusterClasses per tenant" (domain.md §(d) 4) —
 * choose the stack (offered from what the management cluster already has), generate the ClusterStack,
 * check it like the operator's webhook, dry-run, confirm, server-side apply, then follow the releases.
 * `clusterStacks.applyDocument`: the same flow for any open YAML document (multi-document, any kinds).
 * Both accept an argument object instead of the quick picks (scripts, tests, explorer nodes).
 */
import * as yaml from 'js-yaml';
import * as vscode from 'vscode';
import { getObject, listObjects, type ApplyReport, type KubeManifest } from '../kube/apply';
import { field, stringField } from '../core/capi/types';
import { releaseState } from '../core/capi/stacks';
import {
  buildClusterStack,
  CHANNELS,
  CLUSTER_STACK_API_VERSION,
  expectedReleases,
  isClusterStack,
  validateClusterStack,
  type Channel,
  type ClusterStackChoices,
  type ObjectRef,
} from '../core/stacks/clusterStack';
import { diagnoseStackText } from '../core/stacks/diagnose';
import { parseLocatedDocuments } from '../core/stacks/located';
import { KUBERNETES_MINOR_PATTERN, parseStackVersion } from '../core/stacks/names';
import { isTopologyCluster } from '../core/stacks/topology';
import type { Ctx } from '../ctx';
import {
  connect,
  discoverKinds,
  errorText,
  isTrusted,
  pickNamespace,
  reviewAndApply,
  showReport,
  targetOf,
  tenantFacts,
  type Connection,
} from './stacksCommon';

const CSPO_TEMPLATE_API = 'infrastructure.clusterstack.x-k8s.io/v1alpha1';
const CSPO_TEMPLATE_KIND = 'OpenStackClusterStackReleaseTemplate';

export interface ApplyStackArgs extends Partial<Omit<ClusterStackChoices, 'providerRef'>> {
  readonly context?: string;
  /** A provider template, or `false` for `noProvider: true`. */
  readonly providerRef?: ObjectRef | false;
  readonly confirmed?: boolean;
}

export interface ApplyStackResult {
  readonly manifest: KubeManifest;
  readonly report?: ApplyReport;
  /** The ClusterStackReleases / ClusterClasses the operator will create. */
  readonly releases: ReturnType<typeof expectedReleases>;
}

/** Picks one of `offered` or a typed value; `preset` skips the question. */
async function pickValue(
  title: string,
  offered: readonly string[],
  preset: string | undefined,
  validate: (v: string) => string | undefined,
): Promise<string | undefined> {
  if (preset !== undefined) return preset;
  const other = '$(edit) Other…';
  const unique = [...new Set(offered)].filter((v) => validate(v) === undefined);
  const pick = unique.length ? await vscode.window.showQuickPick([...unique, other], { title }) : other;
  if (pick === undefined) return undefined;
  if (pick !== other) return pick;
  return vscode.window.showInputBox({ title, validateInput: (v) => validate(v.trim()) ?? null }).then((v) => v?.trim());
}

function existingStacks(all: readonly Record<string, unknown>[]): {
  providers: string[];
  names: string[];
  kubernetes: string[];
  versions: string[];
} {
  const val = (o: unknown, k: string) => stringField(o, 'spec', k);
  const versions = all.flatMap((o) => {
    const v = field(o, 'spec', 'versions');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  });
  return {
    providers: all.map((o) => val(o, 'provider')).filter((x): x is string => !!x),
    names: all.map((o) => val(o, 'name')).filter((x): x is string => !!x),
    kubernetes: all.map((o) => val(o, 'kubernetesVersion')).filter((x): x is string => !!x),
    versions,
  };
}

async function choose(
  conn: Connection,
  namespace: string,
  args: ApplyStackArgs,
): Promise<{ choices: ClusterStackChoices; live?: Record<string, unknown> } | undefined> {
  // Not allowed cluster-wide or not installed: offer the SCS defaults only.
  const all = await listObjects(conn.client, CLUSTER_STACK_API_VERSION, 'ClusterStack').catch((): Record<string, unknown>[] => []);
  const seen = existingStacks(all);
  const nonEmpty = (v: string) => (v ? (v.includes('-') ? 'must not contain "-"' : undefined) : 'Required');
  const provider = await pickValue('Provider', [...seen.providers, 'openstack'], args.provider, nonEmpty);
  if (!provider) return undefined;
  const name = await pickValue('Cluster stack name', [...seen.names, 'scs2', 'scs'], args.name, nonEmpty);
  if (!name) return undefined;
  const kubernetesVersion = await pickValue(
    'Kubernetes version (major.minor)',
    [...seen.kubernetes].sort().reverse(),
    args.kubernetesVersion,
    (v) => (KUBERNETES_MINOR_PATTERN.test(v) ? undefined : 'e.g. 1.33'),
  );
  if (!kubernetesVersion) return undefined;
  const channel = (args.channel ??
    (await vscode.window.showQuickPick([...CHANNELS], { title: 'Channel (custom for csctl hash-mode builds)' }))) as Channel | undefined;
  if (!channel) return undefined;
  let versions = args.versions ? [...args.versions] : undefined;
  if (!versions) {
    const text = await vscode.window.showInputBox({
      title: 'Versions (comma-separated)',
      value: [...new Set(seen.versions)].sort().pop() ?? 'v1',
      validateInput: (v) =>
        v
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean)
          .find((x) => !parseStackVersion(x))
          ? 'Each version like v1 or v0-sha.abc1234'
          : null,
    });
    if (text === undefined) return undefined;
    versions = text
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  }
  let autoSubscribe = args.autoSubscribe;
  if (autoSubscribe === undefined) {
    const pick = await vscode.window.showQuickPick(
      ['No: install exactly these versions', 'Yes: the operator installs new releases on its own'],
      { title: 'autoSubscribe' },
    );
    if (!pick) return undefined;
    autoSubscribe = pick.startsWith('Yes');
  }
  let providerRef: ObjectRef | undefined;
  if (args.providerRef !== undefined) providerRef = args.providerRef || undefined;
  else {
    let templates: Record<string, unknown>[] = [];
    const served = await discoverKinds(conn.client, [{ apiVersion: CSPO_TEMPLATE_API, kind: CSPO_TEMPLATE_KIND }]);
    if (typeof served !== 'string') templates = await listObjects(conn.client, CSPO_TEMPLATE_API, CSPO_TEMPLATE_KIND, namespace);
    const none = 'noProvider: true (no cluster-stack provider; scs2)';
    const pick = await vscode.window.showQuickPick(
      [none, ...templates.map((t) => `${CSPO_TEMPLATE_KIND} ${stringField(t, 'metadata', 'name')}`)],
      { title: 'Provider reference' },
    );
    if (!pick) return undefined;
    if (pick !== none) providerRef = { apiVersion: CSPO_TEMPLATE_API, kind: CSPO_TEMPLATE_KIND, name: pick.split(' ')[1] };
  }
  // Updating the ClusterStack of the same stack in this namespace keeps its name (and gets the update rules).
  const same = all.find(
    (o) =>
      stringField(o, 'metadata', 'namespace') === namespace &&
      stringField(o, 'spec', 'provider') === provider &&
      stringField(o, 'spec', 'name') === name &&
      stringField(o, 'spec', 'kubernetesVersion') === kubernetesVersion,
  );
  const objectName =
    args.objectName ?? stringField(same, 'metadata', 'name') ?? `${provider}-${name}-${kubernetesVersion.replace('.', '-')}`;
  const live = await getObject(conn.client, CLUSTER_STACK_API_VERSION, 'ClusterStack', namespace, objectName);
  return { choices: { objectName, namespace, provider, name, kubernetesVersion, channel, versions, autoSubscribe, providerRef }, live };
}

/** Waits (bounded) until the releases are ready, reporting their phases; resolves with the last states. */
async function followReleases(
  conn: Connection,
  namespace: string,
  names: readonly string[],
  progress: (text: string) => void,
  timeoutMs: number,
): Promise<string[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const items = await listObjects(conn.client, CLUSTER_STACK_API_VERSION, 'ClusterStackRelease', namespace);
    const lines = names.map((n) => {
      const o = items.find((i) => stringField(i, 'metadata', 'name') === n);
      if (!o) return `${n}: not created yet`;
      const s = releaseState(o);
      return `${n}: ${s.readiness}${s.kubernetesVersion ? ` (${s.kubernetesVersion})` : s.reason ? ` (${s.reason})` : ''}`;
    });
    progress(lines.join('; '));
    if (lines.every((l) => / ready\b/.test(l)) || Date.now() > until) return lines;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

export async function applyClusterStack(ctx: Ctx, arg?: unknown): Promise<ApplyStackResult | undefined> {
  if (!isTrusted()) return undefined;
  const args = (arg && typeof arg === 'object' ? arg : {}) as ApplyStackArgs;
  try {
    const conn = await connect(targetOf(arg), 'Apply cluster stack');
    if (!conn) return undefined;
    const namespace = await pickNamespace(conn, targetOf(arg), 'Apply cluster stack: tenant');
    if (!namespace) return undefined;
    const chosen = await choose(conn, namespace, args);
    if (!chosen) return undefined;
    const manifest = buildClusterStack(chosen.choices) as unknown as KubeManifest;
    const errors = validateClusterStack(manifest, chosen.live).filter((i) => i.severity === 'error');
    if (errors.length) {
      void vscode.window.showErrorMessage(`The ClusterStack would be rejected: ${errors.map((e) => e.message).join('; ')}`);
      return {
        manifest,
        releases: [],
        report: { outcome: 'failed', objects: [], reason: errors.map((e) => `${e.code} ${e.message}`).join('; ') },
      };
    }
    const releases = expectedReleases(field(manifest, 'spec'));
    if (!args.confirmed) {
      const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: yaml.dump(manifest, { lineWidth: -1 }) });
      await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
    }
    const report = await reviewAndApply(ctx, conn.client, [manifest], {
      title: 'Apply cluster stack',
      where: `context ${conn.context}, namespace ${namespace}`,
      confirmed: args.confirmed,
    });
    if (!report) return { manifest, releases };
    const ok = report.outcome === 'created' || report.outcome === 'updated' || report.outcome === 'unchanged';
    showReport('Apply cluster stack', report, ok ? `ClusterClasses to come: ${releases.map((r) => r.clusterClass).join(', ')}` : '');
    void vscode.commands.executeCommand('clusterStacks.explorer.refresh', { context: conn.context }).then(undefined, () => undefined);
    if (ok && !args.confirmed && releases.length) {
      void vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Cluster stack releases', cancellable: false },
        async (p) => {
          const lines = await followReleases(
            conn,
            namespace,
            releases.map((r) => r.clusterStackRelease),
            (t) => p.report({ message: t }),
            10 * 60_000,
          );
          ctx.log.info(`Cluster stack releases in ${namespace}: ${lines.join('; ')}`);
        },
      );
    }
    return { manifest, report, releases };
  } catch (e) {
    void vscode.window.showErrorMessage(`Apply cluster stack: ${errorText(e)}`);
    return undefined;
  }
}

export interface ApplyDocumentArgs {
  readonly uri?: string;
  readonly context?: string;
  /** For namespaced objects without `metadata.namespace` (default: the context's namespace, else `default`). */
  readonly namespace?: string;
  readonly confirmed?: boolean;
}

export async function applyDocument(ctx: Ctx, arg?: unknown): Promise<ApplyReport | undefined> {
  if (!isTrusted()) return undefined;
  const args = (arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? arg : {}) as ApplyDocumentArgs;
  const uri = arg instanceof vscode.Uri ? arg : args.uri ? vscode.Uri.parse(args.uri) : vscode.window.activeTextEditor?.document.uri;
  if (!uri) {
    void vscode.window.showErrorMessage('Apply YAML document: open a YAML document first.');
    return undefined;
  }
  try {
    const doc = await vscode.workspace.openTextDocument(uri);
    const docs = parseLocatedDocuments(doc.getText());
    const broken = docs.find((d) => d.syntaxErrors.length);
    if (broken) {
      const e = broken.syntaxErrors[0];
      void vscode.window.showErrorMessage(`Apply YAML document: line ${e.range.start.line + 1}: ${e.message}`);
      return undefined;
    }
    const objects: KubeManifest[] = [];
    for (const d of docs) {
      if (d.value === undefined || d.value === null) continue;
      const v = d.value as KubeManifest;
      if (typeof v !== 'object' || typeof v.apiVersion !== 'string' || typeof v.kind !== 'string' || typeof v.metadata?.name !== 'string') {
        void vscode.window.showErrorMessage(
          `Apply YAML document: the document at line ${d.range.start.line + 1} is not a Kubernetes object (apiVersion, kind, metadata.name).`,
        );
        return undefined;
      }
      objects.push(v);
    }
    if (objects.length === 0) {
      void vscode.window.showErrorMessage('Apply YAML document: the document has no objects.');
      return undefined;
    }
    const target = targetOf(arg);
    const conn = await connect(target, 'Apply YAML document');
    if (!conn) return undefined;
    const scope = await discoverKinds(conn.client, objects);
    if (typeof scope === 'string') {
      void vscode.window.showErrorMessage(`Apply YAML document: ${scope}`);
      return { outcome: 'failed', objects: [], reason: scope };
    }
    const defaultNs = args.namespace ?? conn.kc.getContextObject(conn.context)?.namespace ?? 'default';
    const placed = objects.map((o) =>
      scope.get(`${o.apiVersion} ${o.kind}`) && !o.metadata.namespace
        ? ({ ...o, metadata: { ...o.metadata, namespace: defaultNs } } as KubeManifest)
        : o,
    );
    // The webhook-style rules, with live facts for topology Clusters and the update rules for ClusterStacks.
    const problems: string[] = [];
    const factsCache = new Map<string, Awaited<ReturnType<typeof tenantFacts>>>();
    for (const o of placed) {
      const ns = o.metadata.namespace ?? defaultNs;
      if (isClusterStack(o)) {
        const live = await getObject(conn.client, o.apiVersion, o.kind, ns, o.metadata.name);
        problems.push(
          ...validateClusterStack(o, live)
            .filter((i) => i.severity === 'error')
            .map((i) => `${o.kind} ${o.metadata.name}: ${i.message}`),
        );
      } else if (isTopologyCluster(o)) {
        if (!factsCache.has(ns)) factsCache.set(ns, await tenantFacts(conn.client, ns));
        const text = yaml.dump(o);
        const findings = diagnoseStackText('cluster.yaml', text, { factsFor: () => factsCache.get(ns) });
        problems.push(...findings.filter((f) => f.severity === 'error').map((f) => `${o.kind} ${o.metadata.name}: ${f.message}`));
      }
    }
    if (problems.length) {
      void vscode.window.showErrorMessage(`Apply YAML document: not applied — ${problems.join('; ')}`);
      return { outcome: 'failed', objects: [], reason: problems.join('; ') };
    }
    const namespaces = [...new Set(placed.map((o) => o.metadata.namespace).filter(Boolean))];
    const report = await reviewAndApply(ctx, conn.client, placed, {
      title: `Apply ${placed.length} object${placed.length === 1 ? '' : 's'}`,
      where: `context ${conn.context}${namespaces.length ? `, namespace ${namespaces.join(', ')}` : ''}`,
      confirmed: args.confirmed,
    });
    showReport('Apply YAML document', report);
    void vscode.commands.executeCommand('clusterStacks.explorer.refresh', { context: conn.context }).then(undefined, () => undefined);
    return report;
  } catch (e) {
    void vscode.window.showErrorMessage(`Apply YAML document: ${errorText(e)}`);
    return undefined;
  }
}

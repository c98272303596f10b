/**
 * The credential commands (domain.md §1, §3, §8): push a cloud to a tenant, push the converted
 * credentials into workload clusters, keep them in sync with a ClusterResourceSet, and show how far
 * a rotation has propagated. Every command takes an argument object (tests, scripts, tree nodes,
 * the clouds.yaml lens) and prompts only for what is missing; writes need a trusted workspace, a
 * dry run and a confirmation (`yes: true` / `confirm: false` pre-confirms). Results returned, logged
 * and notified hold names, keys and outcomes only.
 */
import * as vscode from 'vscode';
import { convertCloud, identitySecretPayload, selectCloud } from '../core/clouds';
import { validateExtraSections } from '../core/gcfg/schema';
import type { ConfSection } from '../core/gcfg/encode';
import type { FindingsByFile, IdentitySecretPayload } from '../core/clouds/api';
import {
  cloudConfigSecret,
  cloudsYamlSecret,
  expectedIdentity,
  identitySecret,
  loadBalancerSection,
  namespaceManifest,
  payloadOfSecret,
  resourceSet,
  resourceSetNames,
  unb64,
  withSections,
  workloadSecretFromPayload,
  WORKLOAD_STYLES,
  type ExpectedIdentity,
  type SecretManifest,
  type WorkloadStyle,
} from '../core/manifests/credentials';
import { MANAGED_SECRET_LABEL } from '../core/capi/credentials';
import { crsPropagation, describeDrift, formatDiff } from '../core/manifests/propagation';
import { planLines, resultLine } from '../core/manifests/report';
import type { Ctx } from '../ctx';
import type { CloudsModel } from '../editor/cloudsModel';
import { convertOptions } from '../editor/settings';
import {
  ApplyConflictError,
  commitPlan,
  getObject,
  KubeClient,
  listObjects,
  outcomeOf,
  planApply,
  reportForError,
  type ApplyReport,
  type KubeManifest,
  type PlannedObject,
} from '../kube/apply';
import { forContext } from '../kube/kubeconfig';
import { loadKubeconfig } from './kubeconfigSetting';
import { checkDrift, listClusters, preferredVersion, pushToWorkloadClusters, summarizeResults, type ClusterPushResult } from '../kube/push';
import {
  Cancelled,
  confirmForce,
  confirmWrite,
  inputName,
  pickMany,
  pickOne,
  requireTrust,
  UserError,
  withProgress,
} from './credentialsUi';

export const COMMANDS = {
  pushToTenant: 'clusterStacks.pushToTenant',
  pushToWorkloadClusters: 'clusterStacks.pushToWorkloadClusters',
  keepInSync: 'clusterStacks.keepInSync',
  showPropagation: 'clusterStacks.showPropagation',
} as const;

/** Arguments every writing command understands. */
export interface WriteArgs {
  readonly context?: string;
  readonly namespace?: string;
  /** Skip the confirmation modal (scripts, tests). `confirm: false` means the same. */
  readonly yes?: boolean;
  readonly confirm?: boolean;
  /** Write to a context matching `clusterStacks.protectedContexts` without the extra prompt. */
  readonly confirmProtected?: boolean;
  /** Take over fields another field manager owns. Never implied. */
  readonly force?: boolean;
  /** Only dry-run and report. */
  readonly dryRun?: boolean;
}

/** Where the credentials come from: a cloud of a clouds.yaml, or (default) the tenant's identity secret. */
export interface SourceArgs {
  readonly cloudsUri?: string | vscode.Uri;
  readonly cloud?: string;
  readonly secretName?: string;
}

export interface PushToTenantArgs extends WriteArgs, SourceArgs {
  readonly createNamespace?: boolean;
}
export interface PushToWorkloadArgs extends WriteArgs, SourceArgs {
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

/** What a command returns (and logs): names, keys, outcomes. */
export interface CommandResult {
  readonly outcome: 'done' | 'cancelled' | 'refused' | 'failed';
  readonly message?: string;
  readonly context?: string;
  readonly namespace?: string;
  readonly management?: ReportView;
  readonly clusters?: readonly ClusterView[];
  readonly labelled?: readonly string[];
  readonly propagation?: readonly { crs: string; clusters: readonly { cluster: string; state: string; lastAppliedTime?: string }[] }[];
  readonly drift?: readonly { cluster: string; state?: string; description?: string; reason?: string }[];
  readonly lastPush?: readonly ClusterView[];
}

interface ReportView {
  readonly outcome: string;
  readonly reason?: string;
  readonly conflicts?: readonly { manager: string; field: string }[];
  readonly objects: readonly { ref: string; action: string; changes: readonly string[] }[];
}
interface ClusterView extends ReportView {
  readonly cluster: string;
}

function view(r: ApplyReport): ReportView {
  return {
    outcome: r.outcome,
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.conflicts ? { conflicts: r.conflicts } : {}),
    objects: r.objects.map((o) => ({ ref: o.ref, action: o.action, changes: formatDiff(o.changes) })),
  };
}

const clusterView = (r: ClusterPushResult): ClusterView => ({ cluster: r.cluster, ...view(r) });

// ---------------------------------------------------------------------------------------------

/** Normalises what VS Code passes: an argument object, a lens `(uri, cloud)`, or an explorer node. */
export function normalizeArgs(a: unknown, b?: unknown): Record<string, unknown> {
  if (a instanceof vscode.Uri) return { cloudsUri: a, ...(typeof b === 'string' ? { cloud: b } : {}) };
  if (!a || typeof a !== 'object') return {};
  const o = a as Record<string, unknown>;
  switch (o.type) {
    case 'tenant':
      return { context: o.context, namespace: o.namespace };
    case 'object':
      return o.kind === 'clusters'
        ? { context: o.context, namespace: o.namespace, clusters: [o.name] }
        : { context: o.context, namespace: o.namespace };
    case 'clusterCredentials':
      return { context: o.context, namespace: o.namespace, clusters: [o.cluster] };
    case 'context':
      return { context: o.context };
    default:
      return o;
  }
}

function firstErrors(findings: FindingsByFile): string {
  const msgs: string[] = [];
  for (const list of findings.values()) for (const f of list) if (f.severity === 'error') msgs.push(f.message);
  return msgs.slice(0, 3).join(' ') || 'the cloud cannot be converted';
}

const toUri = (u: string | vscode.Uri): vscode.Uri =>
  typeof u === 'string' ? (/^[a-z][a-z0-9+.-]*:/i.test(u) ? vscode.Uri.parse(u) : vscode.Uri.file(u)) : u;

class CredentialCommands {
  /** The last direct push per `context/namespace` (names and outcomes only), for showPropagation. */
  private readonly lastPush = new Map<string, ClusterView[]>();
  /** Management clients of running commands, closed when their command ends. */
  private readonly clients = new Set<KubeClient>();

  constructor(
    private readonly ctx: Ctx,
    private readonly model: CloudsModel,
  ) {}

  // --- plumbing ---------------------------------------------------------------------------------

  private async context(args: { context?: string }): Promise<{ name: string; client: KubeClient }> {
    const loaded = loadKubeconfig();
    const name =
      args.context ??
      (await pickOne(
        'Management cluster (kube context)',
        loaded.contexts.map((c) => ({
          label: c.name,
          description: c.name === loaded.currentContext ? 'current' : c.cluster,
          value: c.name,
        })),
      ));
    let kc;
    try {
      kc = forContext(loaded, name);
    } catch (e) {
      throw new UserError((e as Error).message);
    }
    const client = new KubeClient(kc);
    this.clients.add(client);
    return { name, client };
  }

  private async namespace(client: KubeClient, args: { namespace?: string }, allowNew: boolean): Promise<{ name: string; exists: boolean }> {
    if (args.namespace) return { name: args.namespace, exists: !!(await getObject(client, 'v1', 'Namespace', undefined, args.namespace)) };
    const names = (await listObjects(client, 'v1', 'Namespace'))
      .map((n) => String((n.metadata as { name?: string })?.name ?? ''))
      .filter(Boolean)
      .sort();
    const NEW = '\u0000new';
    const items = [...(allowNew ? [{ label: '$(add) New namespace…', value: NEW }] : []), ...names.map((n) => ({ label: n, value: n }))];
    const picked = await pickOne('Tenant namespace', items);
    if (picked === NEW) return { name: await inputName('New tenant namespace', 'One namespace per OpenStack project'), exists: false };
    return { name: picked, exists: true };
  }

  /** What the tenant's ClusterClasses expect as identity secret name / cloud name. */
  private async expected(client: KubeClient, namespace: string): Promise<ExpectedIdentity> {
    const gv = await preferredVersion(client, 'cluster.x-k8s.io');
    const classes = gv ? await listObjects(client, gv, 'ClusterClass', namespace) : [];
    const found = classes.map(expectedIdentity);
    return found.find((e) => e.source !== 'default') ?? expectedIdentity(undefined);
  }

  private cloudsGroup(uri: vscode.Uri) {
    const group = this.model.group(uri);
    if (!group) throw new UserError(`Cannot read ${uri.fsPath || uri.toString()} (missing or too large).`);
    return group;
  }

  private async cloudName(uri: vscode.Uri, requested: string | undefined): Promise<string> {
    const group = this.cloudsGroup(uri);
    if (requested) return requested;
    const sel = selectCloud(group.input, undefined);
    if (sel.ok) return sel.cloud;
    const clouds = this.model.analyze(uri)?.analysis.clouds ?? [];
    if (clouds.length < 2) throw new UserError(firstErrors(sel.findings));
    return pickOne(
      'Cloud',
      clouds.map((c) => ({ label: c.name, description: c.authType, value: c.name })),
    );
  }

  /** The flattened identity payload of a cloud in a clouds.yaml (+ secure.yaml / profile). */
  private async payloadFromClouds(uri: vscode.Uri, cloud: string | undefined): Promise<IdentitySecretPayload> {
    const name = await this.cloudName(uri, cloud);
    const res = identitySecretPayload(this.cloudsGroup(uri).input, name, convertOptions(uri));
    if (!res.ok) throw new UserError(`Cloud "${name}": ${firstErrors(res.findings)}`);
    return res.payload;
  }

  /** The identity payload held by the tenant's secret. */
  private async payloadFromTenant(
    client: KubeClient,
    namespace: string,
    secretName: string | undefined,
  ): Promise<{ payload: IdentitySecretPayload; secretName: string }> {
    const name = secretName ?? (await this.expected(client, namespace)).secretName;
    const secret = await getObject(client, 'v1', 'Secret', namespace, name);
    if (!secret)
      throw new UserError(
        `The tenant has no identity secret ${namespace}/${name}. Push a cloud to the tenant first, or pass cloudsUri/cloud.`,
      );
    const p = payloadOfSecret(secret);
    if (!p.ok) throw new UserError(`Secret ${namespace}/${name}: ${p.reason}.`);
    return { payload: p.payload, secretName: name };
  }

  /** The workload secret of `style`, from a clouds.yaml when given, else from the tenant secret. */
  private async workloadSecret(
    client: KubeClient,
    namespace: string,
    args: SourceArgs,
    style: WorkloadStyle,
    perCluster: readonly ConfSection[] = [],
  ): Promise<{ secret: SecretManifest; source: string }> {
    if (args.cloudsUri) {
      const uri = toUri(args.cloudsUri);
      const cloud = await this.cloudName(uri, args.cloud);
      const source = `cloud "${cloud}" of ${vscode.workspace.asRelativePath(uri)}`;
      if (style === 'cloud-config') {
        const r = convertCloud(this.cloudsGroup(uri).input, cloud, withSections(convertOptions(uri), perCluster));
        if (!r.ok) throw new UserError(`Cloud "${cloud}": ${firstErrors(r.findings)}`);
        return { secret: cloudConfigSecret({ text: r.text, ...(r.cacert !== undefined ? { cacert: r.cacert } : {}) }), source };
      }
      return { secret: cloudsYamlSecret(await this.payloadFromClouds(uri, cloud), perCluster), source };
    }
    const { payload, secretName } = await this.payloadFromTenant(client, namespace, args.secretName);
    const w = workloadSecretFromPayload(payload, style, convertOptions(undefined), perCluster);
    if (!w.ok) throw new UserError(`Secret ${namespace}/${secretName}: ${firstErrors(w.findings)}`);
    return { secret: w.secret, source: `tenant secret ${namespace}/${secretName}` };
  }

  private async style(args: { style?: WorkloadStyle }): Promise<WorkloadStyle> {
    if (args.style) {
      if (!WORKLOAD_STYLES.includes(args.style)) throw new UserError(`style must be one of ${WORKLOAD_STYLES.join(', ')}`);
      return args.style;
    }
    return (await pickOne('Secret style in the workload clusters', [
      { label: 'cloud-config', description: 'kube-system/cloud-config with cloud.conf (series scs)', value: 'cloud-config' },
      { label: 'clouds-yaml', description: 'kube-system/clouds-yaml with clouds.yaml, use-clouds (series scs2)', value: 'clouds-yaml' },
    ])) as WorkloadStyle;
  }

  /** Plans (dry run) on the management cluster; on conflicts asks whether to force (interactive only). */
  private async planManagement(
    client: KubeClient,
    objects: readonly KubeManifest[],
    args: WriteArgs,
    interactive: boolean,
    where: string,
  ): Promise<{ plans?: PlannedObject[]; report?: ApplyReport; force: boolean }> {
    let force = !!args.force;
    for (;;) {
      try {
        return { plans: await planApply(client, objects, { force }), force };
      } catch (e) {
        if (e instanceof ApplyConflictError && !force && (await confirmForce(where, e.conflicts, interactive))) {
          force = true;
          continue;
        }
        return { report: reportForError(e), force };
      }
    }
  }

  private log(title: string, lines: readonly string[]): void {
    this.ctx.log.info(title);
    for (const l of lines) this.ctx.log.info(`  ${l}`);
  }

  /** Runs a command body: trust check for writers, clean messages for refusals, never a value. */
  private async run(name: string, writes: boolean, body: () => Promise<CommandResult>): Promise<CommandResult> {
    const earlier = new Set(this.clients);
    try {
      if (writes) requireTrust();
      return await body();
    } catch (e) {
      if (e instanceof Cancelled) return { outcome: 'cancelled' };
      const message = e instanceof UserError ? e.message : (reportForError(e).reason ?? 'failed');
      this.ctx.log.error(`${name}: ${message}`);
      void vscode.window.showErrorMessage(`${name}: ${message}`);
      return { outcome: e instanceof UserError ? 'refused' : 'failed', message };
    } finally {
      for (const c of this.clients) {
        if (earlier.has(c)) continue;
        c.dispose();
        this.clients.delete(c);
      }
    }
  }

  // --- commands ---------------------------------------------------------------------------------

  pushToTenant(raw: PushToTenantArgs): Promise<CommandResult> {
    return this.run('Push to tenant', true, async () => {
      const interactive = !(raw.yes || raw.confirm === false);
      if (!raw.cloudsUri) throw new UserError('Open a clouds.yaml and use "Push to tenant…" on a cloud, or pass cloudsUri.');
      const uri = toUri(raw.cloudsUri);
      const payload = await this.payloadFromClouds(uri, raw.cloud);
      const { name: context, client } = await this.context(raw);
      const ns = await this.namespace(client, raw, true);
      if (!ns.exists && raw.createNamespace === false)
        throw new UserError(`Namespace ${ns.name} does not exist (createNamespace is false).`);
      const secretName =
        raw.secretName ?? (ns.exists ? (await this.expected(client, ns.name)).secretName : expectedIdentity(undefined).secretName);
      const objects: KubeManifest[] = [
        ...(ns.exists ? [] : [namespaceManifest(ns.name)]),
        identitySecret({ namespace: ns.name, name: secretName, payload }),
      ];
      const { plans, report, force } = await this.planManagement(client, objects, raw, interactive, `Secret ${ns.name}/${secretName}`);
      if (!plans) return this.finishManagement('Push to tenant', context, ns.name, report as ApplyReport);
      const diff = planLines(plans);
      this.log(`Push to tenant: dry run on ${context}`, diff);
      if (raw.dryRun)
        return { outcome: 'done', context, namespace: ns.name, management: view({ outcome: outcomeOf(plans), objects: plans }) };
      await confirmWrite(
        {
          action: `Write the identity secret of cloud "${payload.cloudName}" to tenant ${ns.name}`,
          context,
          namespaces: [ns.name],
          objects: objects.map((o) => ({
            ref: `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`,
            keys: Object.keys((o as Partial<SecretManifest>).data ?? {}),
          })),
          protectedContext: false,
        },
        diff,
        { preConfirmed: !interactive, confirmProtected: raw.confirmProtected },
      );
      const result = await commitPlan(client, plans, { force });
      return this.finishManagement('Push to tenant', context, ns.name, result);
    });
  }

  private finishManagement(
    title: string,
    context: string,
    namespace: string,
    r: ApplyReport,
    extra: Partial<CommandResult> = {},
  ): CommandResult {
    const line = resultLine(`${context}/${namespace}`, r);
    this.log(`${title}: ${line}`, planLines(r.objects));
    if (r.outcome === 'failed' || r.outcome === 'conflict') void vscode.window.showErrorMessage(`${title}: ${line}`);
    else void vscode.window.showInformationMessage(`${title}: ${line}`);
    return {
      outcome: r.outcome === 'failed' || r.outcome === 'conflict' ? 'failed' : 'done',
      context,
      namespace,
      management: view(r),
      ...extra,
    };
  }

  /** Context, tenant, style and the workload secret they call for: the start of both workload commands. */
  private async workloadTarget(
    raw: WriteArgs & SourceArgs & { style?: WorkloadStyle; loadBalancer?: Readonly<Record<string, string | boolean>> },
  ) {
    const interactive = !(raw.yes || raw.confirm === false);
    const { name: context, client } = await this.context(raw);
    const ns = (await this.namespace(client, raw, false)).name;
    const style = await this.style(raw);
    const { secret, source } = await this.workloadSecret(client, ns, raw, style, this.lbSections(raw.loadBalancer));
    return { interactive, context, client, ns, style, secret, source };
  }

  /** Validated `[LoadBalancer]` options as sections (errors refuse, warnings are logged). */
  private lbSections(options: Readonly<Record<string, unknown>> | undefined): ConfSection[] {
    let section: ConfSection | undefined;
    try {
      section = loadBalancerSection(options);
    } catch (e) {
      throw new UserError((e as Error).message);
    }
    if (!section) return [];
    for (const p of validateExtraSections([section])) {
      if (p.severity === 'error') throw new UserError(p.message);
      this.ctx.log.warn(p.message);
    }
    return [section];
  }

  pushToWorkloadClusters(raw: PushToWorkloadArgs): Promise<CommandResult> {
    return this.run('Push to workload clusters', true, async () => {
      const { interactive, context, client, ns, style, secret, source } = await this.workloadTarget(raw);
      const all = raw.clusters === 'all' || !raw.clusters ? await listClusters(client, ns) : undefined;
      const clusters =
        raw.clusters === 'all'
          ? (all ?? []).map((c) => c.name)
          : raw.clusters
            ? [...raw.clusters]
            : await pickMany(
                `Workload clusters of ${ns}`,
                (all ?? []).map((c) => c.name),
                () => true,
              );
      if (!clusters.length) throw new UserError(`Tenant ${ns} has no workload clusters.`);
      const concurrency = raw.concurrency;
      // Clusters with their own [LoadBalancer] options get their own secret (same credentials).
      const own = new Map<string, SecretManifest>();
      for (const c of clusters.filter((x) => raw.perCluster?.[x])) {
        own.set(
          c,
          (await this.workloadSecret(client, ns, raw, style, this.lbSections({ ...raw.loadBalancer, ...raw.perCluster?.[c] }))).secret,
        );
      }
      const push = (dryRunOnly: boolean, force: boolean, title: string) =>
        withProgress(title, (signal, report) =>
          pushToWorkloadClusters(client, {
            namespace: ns,
            clusters,
            objectsFor: (c) => [own.get(c) ?? secret],
            concurrency,
            force,
            dryRunOnly,
            signal,
            onResult: (r, done, total) => report(`${done}/${total} · ${resultLine(r.cluster, r)}`, 100 / total),
          }),
        );
      const summary = {
        action: `Write ${secret.metadata.namespace}/${secret.metadata.name} (from ${source}) into ${clusters.length} workload cluster${clusters.length === 1 ? '' : 's'}`,
        context,
        namespaces: [ns],
        clusters,
        objects: [{ ref: `Secret ${secret.metadata.namespace}/${secret.metadata.name}`, keys: Object.keys(secret.data) }],
        protectedContext: false,
      };
      let force = !!raw.force;
      if (interactive || raw.dryRun) {
        const preview = await push(true, force, `Dry run in ${clusters.length} workload clusters`);
        const lines = preview.map((r) => resultLine(r.cluster, r));
        this.log(`Push to workload clusters: dry run (${summarizeResults(preview)})`, [
          ...lines,
          ...preview.flatMap((r) => planLines(r.objects)),
        ]);
        if (raw.dryRun) return { outcome: 'done', context, namespace: ns, clusters: preview.map(clusterView) };
        const conflicts = preview.flatMap((r) => r.conflicts ?? []);
        if (conflicts.length && !force)
          force = await confirmForce(`${preview.filter((r) => r.outcome === 'conflict').length} cluster(s)`, conflicts, true);
        const diff = [`Dry run: ${summarizeResults(preview)}`, ...lines, ...[...new Set(preview.flatMap((r) => planLines(r.objects)))]];
        await confirmWrite(summary, diff, { preConfirmed: false, confirmProtected: raw.confirmProtected });
      } else {
        await confirmWrite(summary, [], { preConfirmed: true, confirmProtected: raw.confirmProtected });
      }
      const results = await push(false, force, `Pushing credentials to ${clusters.length} workload clusters`);
      const views = results.map(clusterView);
      this.lastPush.set(`${context}/${ns}`, views);
      const counts = summarizeResults(results);
      this.log(
        `Push to workload clusters in ${context}/${ns}: ${counts}`,
        results.map((r) => resultLine(r.cluster, r)),
      );
      const bad = results.filter((r) => r.outcome === 'failed' || r.outcome === 'conflict');
      if (bad.length)
        void vscode.window.showWarningMessage(`Push to workload clusters: ${counts}. Details in the "Cluster Stacks" output.`);
      else void vscode.window.showInformationMessage(`Push to workload clusters: ${counts}.`);
      return { outcome: 'done', context, namespace: ns, clusters: views };
    });
  }

  keepInSync(raw: KeepInSyncArgs): Promise<CommandResult> {
    return this.run('Keep credentials in sync', true, async () => {
      const { interactive, context, client, ns, style, secret, source } = await this.workloadTarget(raw);
      const cloudName = secret.data.cloudName ? unb64(secret.data.cloudName) : await this.cloudForNames(client, ns, raw);
      const [wrapper, crs] = resourceSet({ namespace: ns, style, cloudName, workload: secret });
      const clusters = await listClusters(client, ns);
      const label = resourceSetNames(style, cloudName).selector;
      const unlabelled = clusters.filter((c) => c.labels[MANAGED_SECRET_LABEL] !== label);
      let toLabel: string[];
      if (raw.labelClusters === 'all') toLabel = unlabelled.map((c) => c.name);
      else if (raw.labelClusters === 'none') toLabel = [];
      else if (raw.labelClusters) toLabel = raw.labelClusters.filter((n) => unlabelled.some((c) => c.name === n));
      else if (interactive && unlabelled.length) {
        toLabel = await pickMany(
          `Label existing clusters ${MANAGED_SECRET_LABEL}=${label} (so the ClusterResourceSet selects them)`,
          unlabelled.map((c) => c.name),
          () => false,
        ).catch((e) => {
          if (e instanceof Cancelled) return [];
          throw e;
        });
      } else toLabel = [];
      const labels: KubeManifest[] = toLabel.map((n) => {
        const c = clusters.find((x) => x.name === n);
        return {
          apiVersion: c?.apiVersion ?? 'cluster.x-k8s.io/v1beta1',
          kind: 'Cluster',
          metadata: { name: n, namespace: ns, labels: { [MANAGED_SECRET_LABEL]: label } },
        };
      });
      const objects: KubeManifest[] = [wrapper, crs, ...labels];
      const { plans, report, force } = await this.planManagement(
        client,
        objects,
        raw,
        interactive,
        `ClusterResourceSet ${ns}/${crs.metadata.name}`,
      );
      if (!plans) return this.finishManagement('Keep credentials in sync', context, ns, report as ApplyReport);
      const diff = planLines(plans);
      this.log(`Keep credentials in sync: dry run on ${context}`, diff);
      if (raw.dryRun)
        return {
          outcome: 'done',
          context,
          namespace: ns,
          management: view({ outcome: outcomeOf(plans), objects: plans }),
          labelled: toLabel,
        };
      await confirmWrite(
        {
          action: `Deliver ${secret.metadata.namespace}/${secret.metadata.name} (from ${source}) with ClusterResourceSet ${crs.metadata.name}`,
          context,
          namespaces: [ns],
          clusters: toLabel,
          objects: [
            { ref: `Secret ${ns}/${wrapper.metadata.name} (${wrapper.type})`, keys: Object.keys(wrapper.data) },
            { ref: `ClusterResourceSet ${ns}/${crs.metadata.name} (selects ${MANAGED_SECRET_LABEL}=${label})`, keys: [] },
            ...labels.map((l) => ({ ref: `Cluster ${ns}/${l.metadata.name}: add label ${MANAGED_SECRET_LABEL}=${label}`, keys: [] })),
          ],
          protectedContext: false,
        },
        diff,
        { preConfirmed: !interactive, confirmProtected: raw.confirmProtected },
      );
      const result = await commitPlan(client, plans, { force });
      return this.finishManagement('Keep credentials in sync', context, ns, result, {
        labelled: result.outcome === 'failed' || result.outcome === 'conflict' ? [] : toLabel,
      });
    });
  }

  /** The cloud name for resource-set names when the workload secret does not carry it (cloud-config style). */
  private async cloudForNames(client: KubeClient, ns: string, args: SourceArgs): Promise<string> {
    if (args.cloudsUri) return this.cloudName(toUri(args.cloudsUri), args.cloud);
    return (await this.payloadFromTenant(client, ns, args.secretName)).payload.cloudName;
  }

  showPropagation(raw: ShowPropagationArgs): Promise<CommandResult> {
    return this.run('Credential propagation', false, async () => {
      const { name: context, client } = await this.context(raw);
      const ns = (await this.namespace(client, raw, false)).name;
      const clusters = await listClusters(client, ns);
      const addonsGv = await preferredVersion(client, 'addons.cluster.x-k8s.io');
      const sets = addonsGv ? await listObjects(client, addonsGv, 'ClusterResourceSet', ns) : [];
      const bindings = addonsGv ? await listObjects(client, addonsGv, 'ClusterResourceSetBinding', ns) : [];
      const propagation: { crs: string; clusters: { cluster: string; state: string; lastAppliedTime?: string }[] }[] = [];
      const lines: string[] = [];
      for (const crs of sets) {
        const name = String((crs.metadata as { name?: string }).name);
        const resources = ((crs.spec as { resources?: { name: string; kind: string }[] })?.resources ?? []).filter(
          (r) => r.kind === 'Secret',
        );
        for (const r of resources) {
          const secret = await getObject(client, 'v1', 'Secret', ns, r.name);
          const rows = crsPropagation({ crs, resourceSecret: secret ?? { metadata: { name: r.name } }, clusters, bindings });
          propagation.push({ crs: `${name}/${r.name}`, clusters: rows });
          lines.push(`ClusterResourceSet ${name}, Secret ${r.name}: ${rows.length} cluster(s) selected`);
          for (const row of rows)
            lines.push(`    ${row.cluster}: ${row.state}${row.lastAppliedTime ? ` (last applied ${row.lastAppliedTime})` : ''}`);
        }
      }
      const lastPush = this.lastPush.get(`${context}/${ns}`);
      if (lastPush) {
        lines.push('Last direct push from this window:');
        for (const c of lastPush) lines.push(`    ${c.cluster}: ${c.outcome}${c.reason ? ` — ${c.reason}` : ''}`);
      }
      let drift: CommandResult['drift'];
      if (raw.drift) {
        const style = await this.style(raw);
        const { secret } = await this.workloadSecret(client, ns, raw, style);
        const rows = await withProgress(`Comparing ${clusters.length} workload clusters`, (signal) =>
          checkDrift(client, { namespace: ns, clusters: clusters.map((c) => c.name), expected: () => secret, signal }),
        );
        drift = rows.map((r) => ({
          cluster: r.cluster,
          ...(r.drift ? { state: r.drift.state, description: describeDrift(r.drift) } : { reason: r.reason }),
        }));
        lines.push(`Drift of ${secret.metadata.namespace}/${secret.metadata.name}:`);
        for (const d of drift) lines.push(`    ${d.cluster}: ${d.description ?? `unknown — ${d.reason}`}`);
      }
      this.log(`Credential propagation in ${context}/${ns}`, lines.length ? lines : ['no ClusterResourceSet and no direct push recorded']);
      this.ctx.log.show(true);
      return { outcome: 'done', context, namespace: ns, propagation, ...(drift ? { drift } : {}), ...(lastPush ? { lastPush } : {}) };
    });
  }
}

/** Registers the four credential commands. `model` is the editor's clouds.yaml model (lens pushes use the same buffers). */
export function registerCredentialCommands(ctx: Ctx, model: CloudsModel): void {
  const c = new CredentialCommands(ctx, model);
  const reg = <T>(id: string, fn: (args: T) => Promise<CommandResult>) =>
    ctx.own(vscode.commands.registerCommand(id, (a?: unknown, b?: unknown) => fn(normalizeArgs(a, b) as T)));
  reg<PushToTenantArgs>(COMMANDS.pushToTenant, (a) => c.pushToTenant(a));
  reg<PushToWorkloadArgs>(COMMANDS.pushToWorkloadClusters, (a) => c.pushToWorkloadClusters(a));
  reg<KeepInSyncArgs>(COMMANDS.keepInSync, (a) => c.keepInSync(a));
  reg<ShowPropagationArgs>(COMMANDS.showPropagation, (a) => c.showPropagation(a));
}

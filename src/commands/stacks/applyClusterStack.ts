/**
 * `clusterStacks.applyClusterStack`: the CSP step "provide ClusterClasses per tenant" (docs/domain.md
 * §4.1, §4.4; step 4 of §(d)) — choose the stack (offered from what the management cluster already
 * has), generate the ClusterStack, check it like the operator's webhook, then the write path; after an
 * interactive apply the releases are followed in a cancellable progress notification owned by the
 * extension (aborted on deactivation, its connection released when it ends).
 */
import * as yaml from 'js-yaml';
import * as vscode from 'vscode';
import { field, stringField } from '../../core/capi/types';
import {
  buildClusterStack,
  CHANNELS,
  CLUSTER_STACK_API_VERSION,
  expectedReleases,
  validateClusterStack,
  type Channel,
  type ClusterStackChoices,
  type ObjectRef,
} from '../../core/stacks/clusterStack';
import { KUBERNETES_MINOR_PATTERN, parseStackVersion } from '../../core/stacks/names';
import type { ApplyReport, KubeManifest } from '../../kube/api';
import type { DisposableStore } from '../../lifecycle';
import { COMMAND } from '../../services/commandIds';
import type { Args } from '../../services/command';
import type { ContextConnection } from '../../services/connections';
import type { Ctx } from '../../services/ctx';
import { kube } from '../../services/kube';
import { inputText, pickNamespace, pickOne, withProgress } from '../../services/prompts';
import type { WriteArgs } from '../write/gate';
import { StackCommand, type StackDeps } from './stackCommand';

const CSPO_TEMPLATE_API = 'infrastructure.clusterstack.x-k8s.io/v1alpha1';
const CSPO_TEMPLATE_KIND = 'OpenStackClusterStackReleaseTemplate';
/** How long the releases are followed after an apply. */
const FOLLOW_MS = 10 * 60_000;

export interface ApplyStackArgs extends Partial<Omit<ClusterStackChoices, 'providerRef'>>, WriteArgs {
  /** A provider template, or `false` for `noProvider: true`. */
  readonly providerRef?: ObjectRef | false;
}

export interface ApplyStackResult {
  readonly manifest: KubeManifest;
  readonly report: ApplyReport;
  /** The ClusterStackReleases / ClusterClasses the operator will create. */
  readonly releases: ReturnType<typeof expectedReleases>;
}

/** Picks one of `offered` or a typed value; `preset` skips the question. */
async function pickValue(
  title: string,
  offered: readonly string[],
  preset: string | undefined,
  validate: (v: string) => string | undefined,
): Promise<string> {
  if (preset !== undefined) return preset;
  const OTHER = '\u0000other';
  const unique = [...new Set(offered)].filter((v) => validate(v) === undefined);
  const pick = unique.length
    ? await pickOne(title, [...unique.map((v) => ({ label: v, value: v })), { label: '$(edit) Other…', value: OTHER }])
    : OTHER;
  return pick !== OTHER ? pick : inputText(title, validate);
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

const splitVersions = (text: string) =>
  text
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

async function choose(
  conn: ContextConnection,
  namespace: string,
  args: ApplyStackArgs,
): Promise<{ choices: ClusterStackChoices; live?: Record<string, unknown> }> {
  const k = await kube();
  // Not allowed cluster-wide or not installed: offer the SCS defaults only.
  const all = await k.listObjects(conn.client, CLUSTER_STACK_API_VERSION, 'ClusterStack').catch((): Record<string, unknown>[] => []);
  const seen = existingStacks(all);
  const nonEmpty = (v: string) => (v ? (v.includes('-') ? 'must not contain "-"' : undefined) : 'Required');
  const provider = await pickValue('Provider', [...seen.providers, 'openstack'], args.provider, nonEmpty);
  const name = await pickValue('Cluster stack name', [...seen.names, 'scs2', 'scs'], args.name, nonEmpty);
  const kubernetesVersion = await pickValue(
    'Kubernetes version (major.minor)',
    [...seen.kubernetes].sort().reverse(),
    args.kubernetesVersion,
    (v) => (KUBERNETES_MINOR_PATTERN.test(v) ? undefined : 'e.g. 1.33'),
  );
  const channel: Channel =
    args.channel ??
    (await pickOne(
      'Channel (custom for csctl hash-mode builds)',
      CHANNELS.map((c) => ({ label: c, value: c })),
    ));
  const versions = args.versions
    ? [...args.versions]
    : splitVersions(
        await inputText(
          'Versions (comma-separated)',
          (v) => (splitVersions(v).find((x) => !parseStackVersion(x)) ? 'Each version like v1 or v0-sha.abc1234' : undefined),
          {
            value: [...new Set(seen.versions)].sort().pop() ?? 'v1',
          },
        ),
      );
  const autoSubscribe =
    args.autoSubscribe ??
    (await pickOne('autoSubscribe', [
      { label: 'No: install exactly these versions', value: false },
      { label: 'Yes: the operator installs new releases on its own', value: true },
    ]));
  let providerRef: ObjectRef | undefined;
  if (args.providerRef !== undefined) providerRef = args.providerRef || undefined;
  else {
    const served = await conn.client.discovery.resource(CSPO_TEMPLATE_API, CSPO_TEMPLATE_KIND);
    const templates = served ? await k.listObjects(conn.client, CSPO_TEMPLATE_API, CSPO_TEMPLATE_KIND, namespace) : [];
    providerRef = await pickOne<ObjectRef | undefined>('Provider reference', [
      { label: 'noProvider: true (no cluster-stack provider; scs2)', value: undefined },
      ...templates.map((t) => {
        const n = stringField(t, 'metadata', 'name') ?? '';
        return { label: `${CSPO_TEMPLATE_KIND} ${n}`, value: { apiVersion: CSPO_TEMPLATE_API, kind: CSPO_TEMPLATE_KIND, name: n } };
      }),
    ]);
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
  const live = await k.getObject(conn.client, CLUSTER_STACK_API_VERSION, 'ClusterStack', namespace, objectName);
  return { choices: { objectName, namespace, provider, name, kubernetesVersion, channel, versions, autoSubscribe, providerRef }, live };
}

export class ApplyClusterStack extends StackCommand<ApplyStackResult> {
  constructor(ctx: Ctx, deps: StackDeps) {
    super(ctx, deps, { id: COMMAND.applyClusterStack, title: 'Apply cluster stack', writes: true });
  }

  protected async run(raw: Args, scope: DisposableStore): Promise<ApplyStackResult> {
    const args = raw as ApplyStackArgs;
    const conn = await this.deps.write.target(args, this.meta.title, scope);
    const namespace = (await pickNamespace(conn, args.namespace, 'Apply cluster stack: tenant')).name;
    const chosen = await choose(conn, namespace, args);
    const manifest = buildClusterStack(chosen.choices) as unknown as KubeManifest;
    const releases = expectedReleases(field(manifest, 'spec'));
    const errors = validateClusterStack(manifest, chosen.live).filter((i) => i.severity === 'error');
    if (errors.length) {
      void vscode.window.showErrorMessage(`The ClusterStack would be rejected: ${errors.map((e) => e.message).join('; ')}`);
      return {
        manifest,
        releases: [],
        report: { outcome: 'failed', objects: [], reason: errors.map((e) => `${e.code} ${e.message}`).join('; ') },
      };
    }
    if (!args.confirmed) {
      const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: yaml.dump(manifest, { lineWidth: -1 }) });
      await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
    }
    const { report, dryRun } = await this.deps.write.toCluster(
      {
        title: this.meta.title,
        action: `Apply ClusterStack ${namespace}/${chosen.choices.objectName}`,
        conn,
        namespaces: [namespace],
        objects: [manifest],
        note: () => `ClusterClasses to come: ${releases.map((r) => r.clusterClass).join(', ')}`,
      },
      args,
    );
    this.refreshExplorer(conn.context);
    const ok = report.outcome === 'created' || report.outcome === 'updated' || report.outcome === 'unchanged';
    if (ok && !dryRun && !args.confirmed && releases.length)
      this.follow(
        conn.context,
        namespace,
        releases.map((r) => r.clusterStackRelease),
      );
    return { manifest, report, releases };
  }

  /** Follows the releases in the background: owned by `ctx.tasks`, cancellable from the notification. */
  private follow(context: string, namespace: string, names: readonly string[]): void {
    const { connections } = this.deps;
    void withProgress('Cluster stack releases', (cancel, report) =>
      this.ctx.tasks.run(async (signal) => {
        const conn = await connections.context(context);
        try {
          const k = await kube();
          const lines = await k.followReleases(conn.client, namespace, names, {
            timeoutMs: FOLLOW_MS,
            signal,
            onProgress: (t) => report(t),
          });
          this.ctx.log.info(`Cluster stack releases in ${namespace}: ${lines.join('; ')}`);
        } finally {
          conn.dispose();
        }
      }, cancel),
    ).catch((e: unknown) => {
      const cancelled = e instanceof Error && (e.name === 'AbortedError' || (e as { kind?: string }).kind === 'aborted');
      if (!cancelled)
        this.ctx.log.warn(
          `Following the cluster stack releases in ${namespace} stopped: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
        );
    });
  }
}

/**
 * How explorer nodes look: the `TreeItem` of each node (label, description, tooltip, icon, context
 * value for the menus), read from the explorer state when VS Code asks. No data access beyond the
 * state's caches; icons and colours per health state come from items.ts.
 */
import * as vscode from 'vscode';
import { resourceSetFailure } from '../../core/capi/credentials';
import { identityOfCluster } from '../../core/capi/identity';
import { credentialNodeView } from '../../core/manifests/clusterCredentialState';
import { clusterStackState, releaseState } from '../../core/capi/stacks';
import { expiryState, inProgress, type RotationRecord } from '../../core/capi/rotation';
import { type SecretSummary, type TenantContent, isKubeconfigSecret } from '../../core/capi/tenants';
import { type ClusterHealth, clusterHealth } from '../../core/health';
import { type KubeObject, field, oneLine } from '../../core/capi/types';
import { pauseState } from '../../core/ops/pause';
import { COMMAND } from '../../services/commandIds';
import { clusterDescription, clusterLabel, clusterTooltip, credentialsIcon, healthIcon, readinessIcon, severityIcon } from './items';
import type { ExplorerNode, GroupKind } from './nodes';
import type { ExplorerState } from './state';

export const GROUPS: readonly { group: GroupKind; label: string; icon: string }[] = [
  { group: 'clusters', label: 'Workload clusters', icon: 'server' },
  { group: 'stacks', label: 'Cluster stacks', icon: 'layers' },
  { group: 'credentials', label: 'Credentials', icon: 'key' },
  { group: 'resourceSets', label: 'ClusterResourceSets', icon: 'package' },
];

const healthMemo = new WeakMap<KubeObject, { tenant: TenantContent; health: ClusterHealth }>();
/**
 * The health of a Cluster as `cluster-stacks health` computes it (core/health.ts `clusterHealth`, one model for both),
 * once per object version and tenant content (both are replaced on change).
 */
export function healthOf(o: KubeObject, t: TenantContent): ClusterHealth {
  const hit = memoised(o, t);
  if (hit) return hit;
  const health = clusterHealth(o, t);
  healthMemo.set(o, { tenant: t, health });
  return health;
}

function memoised(o: KubeObject, t: TenantContent): ClusterHealth | undefined {
  const hit = healthMemo.get(o);
  return hit?.tenant === t ? hit.health : undefined;
}

export class Renderer {
  constructor(private readonly state: ExplorerState) {}

  item(node: ExplorerNode): vscode.TreeItem {
    const None = vscode.TreeItemCollapsibleState.None;
    const Collapsed = vscode.TreeItemCollapsibleState.Collapsed;
    switch (node.type) {
      case 'context': {
        const loaded = this.state.kubeconfig;
        const ctx = loaded?.merged.getContextObject(node.context);
        const server = ctx ? loaded?.merged.getCluster(ctx.cluster)?.server : undefined;
        const item = new vscode.TreeItem(node.context, Collapsed);
        item.id = node.id;
        const started = this.state.cache(node.context)?.started;
        item.description = [node.context === loaded?.currentContext ? 'current' : undefined, server].filter(Boolean).join(' · ');
        item.tooltip = `Context ${node.context}${server ? `\nServer ${server}` : ''}${ctx?.namespace ? `\nNamespace ${ctx.namespace}` : ''}`;
        item.iconPath = new vscode.ThemeIcon(started ? 'vm-active' : 'vm-outline');
        item.contextValue = started ? 'context watching' : 'context';
        return item;
      }
      case 'tenant':
        return this.tenantItem(node);
      case 'group':
        return this.groupItem(node);
      case 'object':
        return this.objectItem(node);
      case 'condition': {
        const t = this.state.tenant(node.context, node.namespace);
        const c = t?.clusters.find((o) => o.metadata?.name === node.cluster);
        const issue =
          t &&
          c &&
          healthOf(c, t)
            .status.issues.find((g) => g.group === node.group)
            ?.conditions.find((x) => x.type === node.condition);
        const item = new vscode.TreeItem(node.condition, None);
        item.id = node.id;
        if (issue) {
          item.description = `${node.group} · ${issue.status}${issue.reason ? ` · ${issue.reason}` : ''}${issue.message ? ` · ${oneLine(issue.message)}` : ''}`;
          item.tooltip = `${node.group} / ${issue.type} = ${issue.status}${issue.reason ? ` (${issue.reason})` : ''}\n\n${issue.message ?? ''}`;
          item.iconPath = severityIcon(issue.severity);
        }
        item.contextValue = 'condition';
        return item;
      }
      case 'clusterCredentials': {
        const t = this.state.tenant(node.context, node.namespace);
        const c = t?.clusters.find((o) => o.metadata?.name === node.cluster);
        const item = new vscode.TreeItem('Cloud credentials', None);
        item.id = node.id;
        if (t && c) {
          const check = this.state.credentialCheck(node.context, node.namespace);
          const drift = check?.drift.get(node.cluster);
          const push = check?.push.get(node.cluster);
          const v = credentialNodeView({
            cluster: c,
            resourceSets: t.resourceSets,
            bindings: t.bindings,
            secrets: t.secrets,
            ...(drift && check ? { drift: { ...drift, checkedAt: check.checkedAt } } : {}),
            ...(push ? { push } : {}),
            identity: identityOfCluster(c, t),
          });
          item.label = v.label;
          item.description = v.description;
          item.iconPath = credentialsIcon(v.state);
          item.tooltip = v.tooltip;
          item.contextValue = `credentials credentials-${v.state}`;
          return item;
        }
        item.contextValue = 'credentials';
        return item;
      }
      case 'release': {
        const r = this.state.tenant(node.context, node.namespace)?.releases.find((o) => o.metadata?.name === node.name);
        const item = new vscode.TreeItem(node.name, None);
        item.id = node.id;
        if (r) {
          const st = releaseState(r);
          item.description = [st.readiness, st.kubernetesVersion].filter(Boolean).join(' · ');
          item.tooltip = st.reason;
          item.iconPath = readinessIcon(st.readiness);
        }
        item.contextValue = 'object release';
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.label, None);
        item.id = node.id;
        item.description = node.detail;
        item.tooltip = [node.label, node.detail].filter(Boolean).join('\n\n');
        item.iconPath =
          node.severity === 'error'
            ? new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'))
            : node.severity === 'loading'
              ? new vscode.ThemeIcon('loading~spin')
              : new vscode.ThemeIcon('info');
        item.contextValue = node.retry ? 'message retry' : 'message';
        if (node.retry && node.context) item.command = { command: COMMAND.retry, title: 'Retry', arguments: [node] };
        return item;
      }
    }
  }

  private tenantItem(node: Extract<ExplorerNode, { type: 'tenant' }>): vscode.TreeItem {
    const t = this.state.tenant(node.context, node.namespace);
    const err = this.state.cache(node.context)?.namespaceErrors().get(node.namespace);
    const item = new vscode.TreeItem(node.namespace, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = node.id;
    item.contextValue = 'tenant';
    if (err?.all) {
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
      item.description = 'no access';
      item.tooltip = err.message;
      return item;
    }
    // Not memoised: VS Code asks for every tenant row, and keeping the health of each of 100,000 Clusters would hold
    // tens of MiB; the memo holds only the clusters whose rows were shown.
    const statuses = t ? t.clusters.map((c) => (memoised(c, t) ?? clusterHealth(c, t)).status) : [];
    const failed = statuses.filter((s) => s.health === 'failed').length;
    const progressing = statuses.filter((s) => s.health === 'progressing').length;
    const parts = [`${statuses.length} cluster${statuses.length === 1 ? '' : 's'}`];
    if (failed) parts.push(`${failed} failed`);
    if (progressing) parts.push(`${progressing} progressing`);
    if (err) parts.push(`no access to ${err.kinds.join(', ')}`);
    item.description = parts.join(' · ');
    item.iconPath = new vscode.ThemeIcon('organization', failed ? new vscode.ThemeColor('testing.iconFailed') : undefined);
    item.tooltip = `Tenant namespace ${node.namespace}\n${t?.clusterStacks.length ?? 0} cluster stack(s), ${t?.credentials.length ?? 0} credentials secret(s)`;
    return item;
  }

  private groupItem(node: Extract<ExplorerNode, { type: 'group' }>): vscode.TreeItem {
    const t = this.state.tenant(node.context, node.namespace);
    const g = GROUPS.find((x) => x.group === node.group) ?? GROUPS[0];
    const count =
      node.group === 'clusters'
        ? t?.clusters.length
        : node.group === 'stacks'
          ? (t?.clusterStacks.length ?? 0) + (t?.clusterClasses.length ?? 0)
          : node.group === 'credentials'
            ? t?.credentials.length
            : t?.resourceSets.length;
    const item = new vscode.TreeItem(g.label, count ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = String(count ?? 0);
    item.iconPath = new vscode.ThemeIcon(g.icon);
    item.contextValue = `group ${node.group}`;
    return item;
  }

  private objectItem(node: Extract<ExplorerNode, { type: 'object' }>): vscode.TreeItem {
    const t = this.state.tenant(node.context, node.namespace);
    const None = vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(node.name, None);
    item.id = node.id;
    item.contextValue = `object ${node.kind}`;
    if (!t) return item;
    switch (node.kind) {
      case 'clusters': {
        const c = t.clusters.find((o) => o.metadata?.name === node.name);
        if (!c) return item;
        const h = healthOf(c, t);
        const s = h.status;
        item.label = clusterLabel(s);
        item.description = clusterDescription(h);
        item.iconPath = healthIcon(s.health);
        item.tooltip = clusterTooltip(h);
        item.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
        const hasKubeconfig = t.secrets.some((x) => x.metadata?.name === `${node.name}-kubeconfig` && isKubeconfigSecret(x));
        // `paused` / `reconciled` choose between Pause and Resume in the context menu.
        item.contextValue = `object clusters health-${s.health}${hasKubeconfig ? ' hasKubeconfig' : ''} ${pauseState(c).paused ? 'paused' : 'reconciled'}`;
        return item;
      }
      case 'clusterstacks': {
        const o = t.clusterStacks.find((x) => x.metadata?.name === node.name);
        if (!o) return item;
        const st = clusterStackState(o);
        item.description = `${st.stack} · ${st.readiness}`;
        item.tooltip = `${st.reason}${st.latestRelease ? `\nLatest release: ${st.latestRelease}` : ''}${st.usableVersions ? `\nUsable versions: ${st.usableVersions}` : ''}`;
        item.iconPath = readinessIcon(st.readiness);
        item.collapsibleState = t.releases.some((r) => releaseState(r).owner === node.name)
          ? vscode.TreeItemCollapsibleState.Collapsed
          : None;
        return item;
      }
      case 'clusterstackreleases': {
        const o = t.releases.find((x) => x.metadata?.name === node.name);
        if (!o) return item;
        const st = releaseState(o);
        item.description = `ClusterStackRelease · ${st.readiness}`;
        item.tooltip = st.reason;
        item.iconPath = readinessIcon(st.readiness);
        return item;
      }
      case 'clusterclasses':
        item.description = 'ClusterClass';
        item.iconPath = new vscode.ThemeIcon('symbol-class');
        return item;
      case 'secrets': {
        const s: SecretSummary | undefined = t.secrets.find((x) => x.metadata?.name === node.name);
        item.description = s ? s.keys.join(', ') : undefined;
        item.tooltip = s
          ? `Secret ${node.namespace}/${node.name}\nType: ${s.type ?? 'Opaque'}\nKeys: ${s.keys.join(', ')}\n(values are never shown)`
          : undefined;
        item.iconPath = new vscode.ThemeIcon('key');
        const note = s?.rotation ? rotationNote(s.rotation, new Date()) : undefined;
        if (note) {
          item.description = `${item.description ?? ''} · ${note.text}`;
          item.tooltip = `${item.tooltip ?? ''}\n${note.tooltip}`;
          if (note.warn) {
            item.iconPath = new vscode.ThemeIcon('key', new vscode.ThemeColor('list.warningForeground'));
            item.contextValue = 'object secrets expiring';
          }
        }
        return item;
      }
      case 'clusterresourcesets': {
        const o = t.resourceSets.find((x) => x.metadata?.name === node.name);
        if (!o) return item;
        const failure = resourceSetFailure(o);
        const sel = field(o, 'spec', 'clusterSelector', 'matchLabels') as Record<string, string> | undefined;
        const bound = t.bindings.filter((b) =>
          JSON.stringify(field(b, 'spec', 'bindings') ?? []).includes(`"clusterResourceSetName":"${node.name}"`),
        ).length;
        item.description = [
          sel
            ? Object.entries(sel)
                .map(([k, v]) => `${k}=${v}`)
                .join(',')
            : undefined,
          `${bound} bound`,
          failure ? 'failed' : undefined,
        ]
          .filter(Boolean)
          .join(' · ');
        item.tooltip = failure ?? `ClusterResourceSet ${node.name}`;
        item.iconPath = failure
          ? new vscode.ThemeIcon('package', new vscode.ThemeColor('testing.iconFailed'))
          : new vscode.ThemeIcon('package');
        return item;
      }
      default:
        return item;
    }
  }
}

/**
 * What the explorer says about a rotated credential: a rotation under way (its step), or the expiry of
 * the current application credential — flagged when less than a third of its lifetime is left, from
 * the creation time the rotation recorded (Keystone does not store it) and the expiry Keystone gave.
 */
function rotationNote(r: RotationRecord, now: Date): { text: string; tooltip: string; warn: boolean } | undefined {
  if (inProgress(r))
    return {
      text: `rotation stopped at ${r.step}`,
      tooltip: `Rotation "${r.old.name}" → "${r.newName}" stopped after step ${r.step}${r.failed?.length ? ` (${r.failed.map((f) => f.cluster).join(', ')} failed)` : ''}: run "Rotate Application Credential…" again to finish it.`,
      warn: true,
    };
  const e = r.new ? expiryState(r.new.expiresAt, r.new.createdAt, now) : undefined;
  if (!r.new || !e) return undefined;
  const days = Math.floor(e.leftMs / 86_400_000);
  const text = e.expired ? `"${r.new.name}" expired` : `"${r.new.name}" expires in ${days} day${days === 1 ? '' : 's'}`;
  return {
    text: e.soon ? `${text} — rotate` : text,
    tooltip: `Application credential "${r.new.name}" (${r.new.id}), created ${r.new.createdAt}, expires ${r.new.expiresAt}${e.soon ? ': less than a third of its lifetime is left' : ''}.`,
    warn: e.soon,
  };
}

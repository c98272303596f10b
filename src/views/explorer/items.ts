/**
 * How explorer data looks: labels, descriptions, icons and colours per health state. Pure mapping from
 * the core status model to `TreeItem` parts; no data access.
 */
import * as vscode from 'vscode';
import type { ClusterStatus, ConditionIssue, Health } from '../../core/capi/status';
import type { ClusterHealth } from '../../core/health';
import type { Readiness } from '../../core/capi/stacks';
import type { CredentialNodeState } from '../../core/manifests/clusterCredentialState';

const HEALTH_ICON: Record<Health, [string, string | undefined]> = {
  healthy: ['pass-filled', 'testing.iconPassed'],
  progressing: ['sync', 'charts.blue'],
  failed: ['error', 'testing.iconFailed'],
  deleting: ['trash', 'charts.orange'],
  paused: ['debug-pause', 'charts.yellow'],
  unknown: ['question', undefined],
};

const READINESS_HEALTH: Record<Readiness, Health> = {
  ready: 'healthy',
  progressing: 'progressing',
  failed: 'failed',
  deleting: 'deleting',
  unknown: 'unknown',
};

export function healthIcon(h: Health): vscode.ThemeIcon {
  const [id, color] = HEALTH_ICON[h];
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

export function readinessIcon(r: Readiness): vscode.ThemeIcon {
  return healthIcon(READINESS_HEALTH[r]);
}

export function severityIcon(s: ConditionIssue['severity']): vscode.ThemeIcon {
  if (s === 'error') return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
  if (s === 'warning') return new vscode.ThemeIcon('warning', new vscode.ThemeColor('charts.yellow'));
  return new vscode.ThemeIcon('info', new vscode.ThemeColor('charts.blue'));
}

const CREDENTIALS_COLOR: Record<CredentialNodeState, string | undefined> = {
  'in-sync': 'testing.iconPassed',
  applied: 'testing.iconPassed',
  drifted: 'charts.yellow',
  stale: 'charts.yellow',
  missing: 'testing.iconFailed',
  failed: 'testing.iconFailed',
  pending: 'charts.blue',
  unknown: undefined,
  none: 'charts.yellow',
  refused: 'testing.iconFailed',
};

export function credentialsIcon(state: CredentialNodeState): vscode.ThemeIcon {
  const color = CREDENTIALS_COLOR[state];
  return new vscode.ThemeIcon('key', color ? new vscode.ThemeColor(color) : undefined);
}

/** `name  v1.xx  class` as the issue asks; missing parts are left out. */
export function clusterLabel(s: ClusterStatus): string {
  return [s.name, s.kubernetesVersion, s.className].filter(Boolean).join('  ');
}

/**
 * Phase (or health: deleting and paused say more than the phase, which stays e.g. Provisioned while paused), and the
 * credential state when it needs attention: a stale, failed or pending rotation.
 */
export function clusterDescription(h: ClusterHealth): string {
  const s = h.status;
  const c = h.credentials?.state;
  return [
    s.health === 'deleting' || s.health === 'paused' ? s.health : (s.phase ?? s.health),
    c === 'stale' || c === 'failed' || c === 'pending' ? `credentials ${c}` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

export function clusterTooltip(h: ClusterHealth): vscode.MarkdownString {
  const s = h.status;
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = false;
  md.appendMarkdown(`**${escape(s.name)}** — ${s.health}\n\n`);
  md.appendMarkdown(escape(s.reason));
  md.appendMarkdown('\n\n');
  const rows: [string, string | undefined][] = [
    ['Phase', s.phase],
    ['Kubernetes', s.kubernetesVersion],
    ['Class', s.className],
    ['API', s.apiVersion],
    ['Credentials', h.credentials ? `${h.credentials.state}: ${h.credentials.reason}` : 'no ClusterResourceSet in this namespace'],
  ];
  for (const [k, v] of rows) if (v) md.appendMarkdown(`${k}: ${escape(v)}  \n`);
  return md;
}

function escape(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

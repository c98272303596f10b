/**
 * Texts of the write path (docs/architecture.md) before and after a write: the summary of what will be
 * written where, the masked plan, per-target result lines, what was and was not written after a
 * failure, and the protected-context check. Names, keys, paths and outcomes only — these functions
 * never receive a secret value. Pure.
 */
import { formatDiff, type PathChange } from './propagation';

/** `*` any run of characters, `?` one character; everything else literal; whole-string match. */
export function globMatches(pattern: string, text: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(text);
}

/** True when `context` matches one of the `clusterStacks.protectedContexts` globs. */
export function isProtectedContext(context: string, patterns: readonly unknown[] | undefined): boolean {
  return (patterns ?? []).some((p) => typeof p === 'string' && p.trim() !== '' && globMatches(p.trim(), context));
}

export interface PlannedLike {
  readonly ref: string;
  readonly action: 'create' | 'update' | 'unchanged' | 'delete' | 'absent' | 'restart';
  readonly changes: readonly PathChange[];
  readonly dryRunSkipped?: boolean;
}

export interface ResultLike {
  readonly outcome: string;
  readonly objects: readonly PlannedLike[];
  readonly reason?: string;
  readonly conflicts?: readonly { manager: string; field: string }[];
  /** Refs written before a failure. */
  readonly written?: readonly string[];
  /** Refs whose write got no answer: may or may not have been written. */
  readonly unknown?: readonly string[];
}

/** The past tense of a planned action (`create` → `created`; `absent` → `absent`). */
const DONE: Readonly<Record<PlannedLike['action'], string>> = {
  create: 'created',
  update: 'updated',
  unchanged: 'unchanged',
  delete: 'deleted',
  absent: 'absent',
  restart: 'restarted',
};

/** The masked diff of planned objects, one block per object. */
export function planLines(objects: readonly PlannedLike[]): string[] {
  const out: string[] = [];
  for (const o of objects) {
    out.push(`${o.ref}: ${o.action}${o.dryRunSkipped ? ' (dry run skipped: its namespace is created first)' : ''}`);
    for (const l of formatDiff(o.changes)) out.push(`    ${l}`);
  }
  return out;
}

/** One line per target (cluster or management object set): outcome and why, never a value. */
export function resultLine(target: string, r: ResultLike): string {
  switch (r.outcome) {
    case 'conflict': {
      const c = r.conflicts ?? [];
      const managers = [...new Set(c.map((x) => `"${x.manager}"`))].join(', ');
      return `${target}: conflict with ${managers || 'another manager'} on ${c.map((x) => x.field).join(', ') || 'some fields'} — nothing written (re-run with force to take the fields over)`;
    }
    case 'failed':
    case 'cancelled':
      return `${target}: ${r.outcome}${r.reason ? ` — ${r.reason}` : ''}`;
    default: {
      const changed = r.objects.filter((o) => o.action !== 'unchanged' && o.action !== 'absent').map((o) => `${o.ref} ${DONE[o.action]}`);
      return `${target}: ${r.outcome}${changed.length ? ` (${changed.join(', ')})` : ''}`;
    }
  }
}

/** One line per object after a write: what was done, or after a failure what was and was not written and why. */
export function writtenLines(r: ResultLike): string[] {
  if (r.outcome === 'failed' || r.outcome === 'conflict' || r.outcome === 'cancelled') {
    const written = new Set(r.written ?? []);
    const unknown = new Set(r.unknown ?? []);
    const lines = r.objects.map(
      (p) =>
        `${written.has(p.ref) ? DONE[p.action] : unknown.has(p.ref) ? 'unknown (no answer; read it back to know whether it was written)' : p.action === 'unchanged' || p.action === 'absent' ? DONE[p.action] : 'not written'}: ${p.ref}`,
    );
    return [...lines, `${r.outcome}: ${r.reason ?? ''}`];
  }
  return r.objects.map((p) => `${DONE[p.action]}: ${p.ref}`);
}

export interface WriteSummary {
  readonly action: string;
  readonly context: string;
  readonly namespaces: readonly string[];
  readonly clusters?: readonly string[];
  /** `Secret kube-system/cloud-config: cacert, cloud.conf, cloudprovider.conf` */
  readonly objects: readonly { ref: string; keys: readonly string[] }[];
  /** What the write will cause and what to watch out for (after the objects). */
  readonly details?: readonly string[];
  readonly protectedContext: boolean;
}

/** The text of the confirmation shown before any write. */
export function summaryText(s: WriteSummary): string {
  const lines = [
    `${s.action}`,
    `Context: ${s.context}${s.protectedContext ? ' (PROTECTED)' : ''}`,
    `Namespace${s.namespaces.length === 1 ? '' : 's'}: ${s.namespaces.join(', ')}`,
  ];
  if (s.clusters)
    lines.push(
      `Workload clusters (${s.clusters.length}): ${s.clusters.length > 12 ? `${s.clusters.slice(0, 12).join(', ')}, …` : s.clusters.join(', ')}`,
    );
  for (const o of s.objects) lines.push(`${o.ref}${o.keys.length ? ` — keys: ${o.keys.join(', ')}` : ''}`);
  if (s.details?.length) lines.push('', ...s.details);
  return lines.join('\n');
}

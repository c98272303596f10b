/**
 * Application-credential rotation of a tenant as a state machine, recorded on the tenant's identity
 * secret so that a cancelled or crashed rotation resumes (or, before the secret changed, rolls back).
 * Pure: the commands run the steps, this module says which step comes next, what to record, and what a
 * failure means. The record holds step names, credential ids and names, times and cluster names —
 * never a secret: Keystone shows an application credential's secret once, at creation, and the only
 * durable place for it is the tenant secret itself.
 *
 * The order (zero downtime: the old credential stays valid until every consumer runs on the new one):
 *
 *   creating         recorded before Keystone is asked, with the new credential's name
 *   tenant-updated   recorded in the same server-side apply that writes the new credential into the
 *                    tenant secret (in place: a new secret name would make CAPO roll every machine,
 *                    kubernetes-sigs/cluster-api-provider-openstack#1613)
 *   delivered        every workload cluster has the new workload secret
 *   restarted        the OpenStack CCM and Cinder CSI of every cluster rolled out on it
 *   old-deleted      the old application credential is deleted in Keystone
 *   done             Keystone refuses the old credential
 *
 * Interrupted at `creating`, the new secret is lost (it was only in memory): a credential Keystone holds
 * under the new name is deleted and created again. From `tenant-updated` on, the new secret is in the
 * tenant secret and the rotation only goes forward; a failed cluster keeps the rotation before
 * `old-deleted`, so the old credential, which the cluster still uses, stays valid.
 *
 * Keystone does not store when an application credential was created; the record's `createdAt` is
 * kept after the rotation (step `done`) for the expiry rule of the explorer.
 */

/** The annotation on the tenant secret holding the record (JSON). */
export const ROTATION_ANNOTATION = 'cluster-stacks.scs.community/credential-rotation';

export const ROTATION_STEPS = ['creating', 'tenant-updated', 'delivered', 'restarted', 'old-deleted', 'done'] as const;
export type RotationStep = (typeof ROTATION_STEPS)[number];

export interface CredentialRef {
  readonly id: string;
  readonly name: string;
}

export interface NewCredential extends CredentialRef {
  /** ISO 8601 UTC, when this rotation created it (Keystone does not keep it). */
  readonly createdAt: string;
  /** ISO 8601 UTC, or null: never expires. */
  readonly expiresAt: string | null;
}

export interface RotationRecord {
  readonly version: 1;
  /** The last step completed. */
  readonly step: RotationStep;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly old: CredentialRef;
  /** The new credential's name from `creating` on; its id and times from `tenant-updated` on. */
  readonly newName: string;
  readonly new?: NewCredential;
  /** The workload clusters the rotation delivers to. */
  readonly clusters: readonly string[];
  /** Why the last attempt stopped, per cluster (names and reasons only). */
  readonly failed?: readonly { readonly cluster: string; readonly reason: string }[];
}

/** What to do next. */
export type RotationAction =
  | { readonly kind: 'create'; readonly discardNamed?: string }
  | { readonly kind: 'deliver' }
  | { readonly kind: 'restart' }
  | { readonly kind: 'delete-old' }
  | { readonly kind: 'confirm-revoked' }
  | { readonly kind: 'none' };

/** The record as read from an annotation: undefined when absent, an error text when unreadable. */
export function readRecord(annotations: Readonly<Record<string, string>> | undefined): RotationRecord | undefined | { error: string } {
  const raw = annotations?.[ROTATION_ANNOTATION];
  if (raw === undefined) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return { error: `annotation ${ROTATION_ANNOTATION} is not JSON` };
  }
  const r = v as Partial<RotationRecord> | null;
  if (!r || r.version !== 1 || !ROTATION_STEPS.includes(r.step as RotationStep))
    return { error: `annotation ${ROTATION_ANNOTATION} has no known version and step` };
  if (!r.old || typeof r.old.id !== 'string' || typeof r.newName !== 'string' || !Array.isArray(r.clusters))
    return { error: `annotation ${ROTATION_ANNOTATION} lacks the old credential, the new name or the clusters` };
  if (r.step !== 'creating' && (!r.new || typeof r.new.id !== 'string'))
    return { error: `annotation ${ROTATION_ANNOTATION} is at step ${r.step} without the new credential` };
  return r as RotationRecord;
}

export const writeRecord = (r: RotationRecord): Record<string, string> => ({ [ROTATION_ANNOTATION]: JSON.stringify(r) });

/** The next action for a record (undefined: no rotation under way, start one). */
export function nextAction(r: RotationRecord | undefined): RotationAction {
  if (!r) return { kind: 'create' };
  switch (r.step) {
    case 'creating':
      // The secret of a credential created under this name was never stored: discard it, create anew.
      return { kind: 'create', discardNamed: r.newName };
    case 'tenant-updated':
      return { kind: 'deliver' };
    case 'delivered':
      return { kind: 'restart' };
    case 'restarted':
      return { kind: 'delete-old' };
    case 'old-deleted':
      return { kind: 'confirm-revoked' };
    case 'done':
      return { kind: 'none' };
  }
}

/** Whether a record is a rotation under way (anything but done). */
export const inProgress = (r: RotationRecord | undefined): boolean => !!r && r.step !== 'done';

/** The record of a new rotation, before Keystone is asked. */
export function startRecord(o: { old: CredentialRef; newName: string; clusters: readonly string[]; now: Date }): RotationRecord {
  const t = iso(o.now);
  return { version: 1, step: 'creating', startedAt: t, updatedAt: t, old: o.old, newName: o.newName, clusters: [...o.clusters] };
}

/** The record after a step completed (`failed` clears unless given). */
export function advance(
  r: RotationRecord,
  step: Exclude<RotationStep, 'creating'>,
  now: Date,
  extra: { new?: NewCredential; failed?: RotationRecord['failed'] } = {},
): RotationRecord {
  const from = ROTATION_STEPS.indexOf(r.step);
  const to = ROTATION_STEPS.indexOf(step);
  if (to !== from + 1) throw new Error(`rotation cannot go from ${r.step} to ${step}`);
  if (step === 'tenant-updated' && !extra.new) throw new Error('tenant-updated needs the new credential');
  const { failed: _dropped, ...rest } = r;
  return {
    ...rest,
    step,
    updatedAt: iso(now),
    ...(extra.new ? { new: extra.new } : {}),
    ...(extra.failed?.length ? { failed: extra.failed } : {}),
  };
}

/** The record after an attempt stopped at its current step (the clusters that failed, and why). */
export function stopped(r: RotationRecord, failed: RotationRecord['failed'], now: Date): RotationRecord {
  return { ...r, updatedAt: iso(now), ...(failed?.length ? { failed } : {}) };
}

/**
 * Whether a rollback is possible: only before the tenant secret changed (then the new credential is
 * deleted and the record removed). After it, the consumers' way back would need the old secret, which
 * is no longer stored anywhere the rotation may read: the rotation goes forward, with the old
 * credential valid until `old-deleted`.
 */
export function canRollBack(r: RotationRecord): boolean {
  return r.step === 'creating';
}

/**
 * The next name in SCS's alternating scheme (`…-AppCred1` ↔ `…-AppCred2`); other names with a number
 * at the end count up; names without one get `-2`. Names in `taken` are skipped.
 */
export function nextCredentialName(old: string, taken: readonly string[] = []): string {
  const m = /^(.*?)(\d+)$/.exec(old);
  let base = m ? m[1] : `${old}-`;
  let n = m ? (m[2] === '1' ? 2 : m[2] === '2' ? 1 : Number(m[2]) + 1) : 2;
  if (!base) base = 'cred-';
  const used = new Set(taken);
  for (let i = 0; i < 1000; i++, n++) {
    const name = `${base}${n}`;
    if (name !== old && !used.has(name)) return name;
  }
  return `${base}${Date.now()}`;
}

export interface ExpiryState {
  /** Lifetime in ms (from the recorded creation time), when known. */
  readonly lifetimeMs?: number;
  readonly leftMs: number;
  /** Less than a third of the lifetime left (or, without a recorded creation, less than 30 days), or expired. */
  readonly soon: boolean;
  readonly expired: boolean;
}

const DAY = 86_400_000;

/**
 * The renewal rule of the SCS training scripts: renew when less than a third of the lifetime is left.
 * The lifetime needs the creation time, which only a rotation record has; without it, 30 days.
 */
export function expiryState(expiresAt: string | null, createdAt: string | undefined, now: Date): ExpiryState | undefined {
  if (!expiresAt) return undefined;
  const end = parseUtc(expiresAt);
  if (Number.isNaN(end)) return undefined;
  const left = end - now.getTime();
  const start = createdAt ? parseUtc(createdAt) : NaN;
  const lifetime = Number.isNaN(start) || start >= end ? undefined : end - start;
  const soon = left <= 0 || (lifetime !== undefined ? left < lifetime / 3 : left < 30 * DAY);
  return { ...(lifetime !== undefined ? { lifetimeMs: lifetime } : {}), leftMs: left, soon, expired: left <= 0 };
}

/** Keystone writes UTC times without a zone suffix. */
export function parseUtc(t: string): number {
  return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(t) ? t : `${t}Z`);
}

const iso = (d: Date): string => d.toISOString();

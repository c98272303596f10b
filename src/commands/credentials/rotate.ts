/**
 * `clusterStacks.rotateCredential` (issue 13 point 3): rotate a tenant's application credential with
 * zero downtime — create a new one in Keystone with the same roles and a chosen expiry → verify it →
 * write it into the tenant's identity secret in place (server-side apply) → deliver the workload secret
 * to every workload cluster (direct push) → restart the consumers that cache it (consumerRestart.ts) →
 * delete the old credential → confirm Keystone refuses it. The state machine and its record on the
 * tenant secret are src/core/capi/rotation.ts: running the command again resumes a rotation that was
 * cancelled, failed or killed (`rollback: true` undoes one that had not yet changed the secret). A
 * failing cluster stops the rotation before the old credential is deleted, and the result says which
 * and why. Every cluster write goes through the write path; every Keystone call through src/openstack;
 * no secret, password or token reaches a notification, the output channel, the result or the record.
 */
import * as vscode from 'vscode';
import type { ConvertedCloud, IdentitySecretPayload } from '../../core/clouds/api';
import {
  advance,
  canRollBack,
  inProgress,
  nextAction,
  nextCredentialName,
  readRecord,
  startRecord,
  stopped,
  writeRecord,
  type RotationRecord,
} from '../../core/capi/rotation';
import {
  convertPayload,
  identitySecret,
  payloadOfSecret,
  withAppCredential,
  workloadSecretFromPayload,
  type WorkloadStyle,
} from '../../core/manifests/credentials';
import type { NamedRef } from '../../kube/api';
import type { DisposableStore } from '../../lifecycle';
import {
  cloudFromConversion,
  confirmRevoked,
  createApplicationCredential,
  deleteApplicationCredential,
  listApplicationCredentials,
  verifyCredential,
  type OpenStackCloud,
} from '../../openstack';
import { COMMAND } from '../../services/commandIds';
import { UserError, type Args } from '../../services/command';
import type { ContextConnection } from '../../services/connections';
import type { Ctx } from '../../services/ctx';
import { kube } from '../../services/kube';
import { inputPassword, pickNamespace, pickOne } from '../../services/prompts';
import type { RestartArgs } from './consumerRestart';
import { CredentialCommand, type CredentialDeps } from './credentialCommand';
import { clusterView, type CommandResult } from './results';
import { firstErrorLine } from '../../core/findings';

export interface RotateArgs extends RestartArgs {
  readonly secretName?: string;
  /** A credential node of the explorer (`{kind: 'secrets', name}`): the tenant secret to rotate. */
  readonly object?: { readonly kind: string; readonly name: string };
  readonly clusters?: readonly string[] | 'all';
  readonly style?: WorkloadStyle;
  /** Lifetime of the new credential in days; 0: never expires. Asked when missing. */
  readonly expiresInDays?: number;
  /** Name of the new credential; default the SCS alternation (…-AppCred1 ↔ …-AppCred2). */
  readonly newName?: string;
  /** The user's password, for a restricted application credential (scripts; otherwise asked once). */
  readonly password?: string;
  /** Undo a rotation that has not yet changed the tenant secret. */
  readonly rollback?: boolean;
}

const DAY = 86_400_000;
/** Per Keystone request: a rotation waits longer than a check (a create that times out leaves a credential to discard). */
const KEYSTONE = { timeoutMs: 30_000 };

export class RotateCredential extends CredentialCommand {
  constructor(ctx: Ctx, deps: CredentialDeps) {
    super(ctx, deps, { id: COMMAND.rotateCredential, title: 'Rotate application credential', writes: true, reachesOut: true });
  }

  protected async run(raw: Args, scope: DisposableStore): Promise<CommandResult> {
    const args = raw as RotateArgs;
    const { write, sources } = this.deps;
    const k = await kube();
    const conn = await write.target(args, 'Management cluster (kube context)', scope);
    const ns = (await pickNamespace(conn, args.namespace, 'Tenant namespace')).name;
    const name =
      args.secretName ?? (args.object?.kind === 'secrets' ? args.object.name : (await sources.expected(conn.client, ns)).secretName);
    const live = await k.getObject(conn.client, 'v1', 'Secret', ns, name);
    if (!live) throw new UserError(`The tenant has no identity secret ${ns}/${name}.`);
    const ref: NamedRef = { apiVersion: 'v1', kind: 'Secret', namespace: ns, name };
    const annotations = (live.metadata as { annotations?: Record<string, string> } | undefined)?.annotations;
    const read = readRecord(annotations);
    if (read && 'error' in read) throw new UserError(`Secret ${ns}/${name}: ${read.error}.`);
    const record = inProgress(read) ? read : undefined;
    const p = payloadOfSecret(live);
    if (!p.ok) throw new UserError(`Secret ${ns}/${name}: ${p.reason}.`);
    const payload = p.payload;
    const cloud = this.cloudOf(payload, ns, name);
    const run = new Run(this.ctx, this.deps, conn, ns, ref, args, payload);

    if (args.rollback) {
      if (!record) throw new UserError(`No rotation of ${ns}/${name} is under way.`);
      if (!canRollBack(record))
        throw new UserError(
          `The rotation of ${ns}/${name} is at step ${record.step}: the tenant secret already holds the new credential; run the rotation again to finish it (the old credential stays valid until then).`,
        );
      await run.discard(cloud, record.newName, args.password);
      await run.mustRecord(null);
      return {
        outcome: 'done',
        context: conn.context,
        namespace: ns,
        rotation: { step: 'rolled-back', old: record.old, newName: record.newName },
      };
    }

    const style = await sources.style(args);
    const clusters = record?.clusters ?? (await this.clusters(conn, ns, args));
    const action = nextAction(record);
    const plan = [
      `Tenant secret ${ns}/${name} (cloud "${payload.cloudName}") in ${conn.context}`,
      `Workload clusters (${clusters.length}): ${clusters.join(', ') || 'none'} — ${style} secret, then restart of the OpenStack CCM and Cinder CSI`,
      record ? `Resume at step ${record.step} → ${action.kind} (old "${record.old.name}", new "${record.newName}")` : 'A new rotation',
    ];
    let current = record;
    let newPayload: IdentitySecretPayload = payload;
    let oldCloud: OpenStackCloud | undefined;
    if (action.kind === 'create') {
      const me = await verifyCredential(cloud, KEYSTONE);
      if (!me.ok) throw new UserError(`The current credential does not authenticate: ${me.problem.message}`);
      const ac = me.identity.applicationCredential;
      if (!ac) throw new UserError(`Secret ${ns}/${name} does not hold an application credential: nothing to rotate.`);
      const listed = await listApplicationCredentials(cloud, KEYSTONE);
      const taken = listed.ok ? listed.credentials.map((c) => c.name) : [];
      const newName = record?.newName ?? args.newName ?? nextCredentialName(ac.name, taken);
      const days = args.expiresInDays ?? (await this.askDays());
      if (!(typeof days === 'number' && days >= 0 && days <= 3650)) throw new UserError('expiresInDays must be between 0 (never) and 3650');
      const expiresAt = days ? new Date(Date.now() + days * DAY) : null;
      plan.push(
        `Create "${newName}" (roles of "${ac.name}", ${expiresAt ? `expires ${expiresAt.toISOString().slice(0, 10)}` : 'never expires'}), then delete "${ac.name}" (${ac.id})`,
      );
      await run.confirm(plan, clusters);
      const password = ac.restricted
        ? (args.password ?? (await inputPassword(`Password of the user who owns "${ac.name}" (used once)`)))
        : args.password;
      current = record ?? startRecord({ old: { id: ac.id, name: ac.name }, newName, clusters, now: new Date() });
      if (action.discardNamed) await run.discard(cloud, action.discardNamed, password);
      await run.mustRecord(current);
      const created = await createApplicationCredential(cloud, {
        name: newName,
        expiresAt,
        password,
        description: `rotated from ${ac.name}`,
      });
      if (!created.ok) return run.stop(current, [], `Keystone did not create "${newName}": ${created.problem.message}`);
      const verified = await verifyCredential(created.cloud, KEYSTONE);
      if (!verified.ok) {
        await deleteApplicationCredential(cloud, created.credential.id, { password, ...KEYSTONE });
        return run.stop(current, [], `The new credential does not authenticate (deleted again): ${verified.problem.message}`);
      }
      const rewritten = withAppCredential(payload, created.credential.id, created.secret.reveal());
      if (!rewritten.ok) throw new UserError(`Secret ${ns}/${name}: ${rewritten.reason}.`);
      newPayload = rewritten.payload;
      const next = advance(current, 'tenant-updated', new Date(), {
        new: { id: created.credential.id, name: newName, createdAt: new Date().toISOString(), expiresAt: created.credential.expiresAt },
      });
      const failure = await run.record(next, newPayload, `Write the new credential "${newName}" into ${ns}/${name} (in place)`);
      if (failure) {
        await deleteApplicationCredential(cloud, created.credential.id, { password, ...KEYSTONE });
        return run.stop(current, [], `The tenant secret could not be updated (${failure}); the new credential was deleted again`);
      }
      current = next;
      oldCloud = cloud;
    } else {
      await run.confirm(plan, clusters);
    }
    const rec = current as RotationRecord;
    const newCloud = this.cloudOf(newPayload, ns, name);
    return run.forward(rec, { newPayload, newCloud, oldCloud, style, password: args.password });
  }

  private cloudOf(payload: IdentitySecretPayload, ns: string, name: string): OpenStackCloud {
    const r = convertPayload(payload, this.ctx.config.convertOptions(undefined));
    if (!r.ok) throw new UserError(`Secret ${ns}/${name}: ${firstErrorLine(r.findings)}`);
    return cloudFromConversion(r as ConvertedCloud);
  }

  private async clusters(conn: ContextConnection, ns: string, args: RotateArgs): Promise<string[]> {
    if (Array.isArray(args.clusters)) return [...(args.clusters as readonly string[])];
    return (await (await kube()).listClusters(conn.client, ns)).map((c) => c.name);
  }

  private askDays(): Promise<number> {
    return pickOne('Lifetime of the new application credential', [
      { label: '90 days', value: 90 },
      { label: '180 days', value: 180 },
      { label: '365 days', value: 365 },
      { label: '30 days', value: 30 },
      { label: 'Never expires', value: 0 },
    ]);
  }
}

/** One run of the rotation: the steps after the plan, each recorded before the next. */
class Run {
  constructor(
    private readonly ctx: Ctx,
    private readonly deps: CredentialDeps,
    private readonly conn: ContextConnection,
    private readonly ns: string,
    private readonly ref: NamedRef,
    private readonly args: RotateArgs,
    /** What the tenant secret holds (the new credential from tenant-updated on). */
    private payload: IdentitySecretPayload,
  ) {}

  /** The writes after the plan was confirmed (or pre-confirmed by the caller, protected contexts included). */
  private get confirmed(): RotateArgs {
    return { ...this.args, confirmed: true, confirmProtected: true, dryRun: false };
  }

  async confirm(plan: readonly string[], clusters: readonly string[]): Promise<void> {
    this.ctx.log.info('Rotate application credential: plan');
    for (const l of plan) this.ctx.log.info(`  ${l}`);
    await this.deps.write.confirm(
      {
        action: `Rotate the application credential of ${this.ns}/${this.ref.name}`,
        context: this.conn.context,
        namespaces: [this.ns],
        clusters,
        objects: [{ ref: `Secret ${this.ns}/${this.ref.name}`, keys: ['clouds.yaml'] }],
      },
      plan,
      this.args,
    );
  }

  /**
   * Writes the tenant secret with its payload and the record (null: without one) in one server-side
   * apply (one field manager, one operation: a merge patch of the annotation would conflict with the
   * next apply), so the record and the credential it describes never disagree. Returns why it failed.
   */
  async record(r: RotationRecord | null, payload = this.payload, action?: string): Promise<string | undefined> {
    const manifest = identitySecret({ namespace: this.ns, name: this.ref.name, payload });
    const objects = [r ? { ...manifest, metadata: { ...manifest.metadata, annotations: writeRecord(r) } } : manifest];
    const { report } = await this.deps.write.toCluster(
      {
        title: 'Rotate application credential',
        action:
          action ??
          (r
            ? `Record the rotation of ${this.ns}/${this.ref.name} at step ${r.step}`
            : `Remove the rotation record of ${this.ns}/${this.ref.name}`),
        conn: this.conn,
        namespaces: [this.ns],
        objects,
      },
      this.confirmed,
    );
    if (report.outcome === 'failed' || report.outcome === 'conflict' || report.outcome === 'cancelled')
      return report.reason ?? report.outcome;
    this.payload = payload;
    return undefined;
  }

  async mustRecord(r: RotationRecord | null): Promise<void> {
    const failure = await this.record(r);
    if (failure) throw new UserError(`Could not record the rotation on ${this.ns}/${this.ref.name} (${failure}); nothing else was done.`);
  }

  /** Deletes a credential Keystone holds under `name` whose secret was lost (an interrupted create). */
  async discard(cloud: OpenStackCloud, name: string, password: string | undefined): Promise<void> {
    const listed = await listApplicationCredentials(cloud, KEYSTONE);
    if (!listed.ok) throw new UserError(`Cannot list the application credentials: ${listed.problem.message}`);
    for (const c of listed.credentials.filter((x) => x.name === name)) {
      const d = await deleteApplicationCredential(cloud, c.id, { password, ...KEYSTONE });
      if (!d.ok) throw new UserError(`Cannot delete the half-created "${name}": ${d.problem.message}`);
      this.ctx.log.info(`Rotate application credential: deleted "${name}" (${c.id}), created by an interrupted rotation`);
    }
  }

  async stop(r: RotationRecord | undefined, failed: { cluster: string; reason: string }[], message: string): Promise<CommandResult> {
    if (r) await this.record(stopped(r, failed, new Date()));
    this.ctx.log.warn(`Rotate application credential stopped: ${message}`);
    return { outcome: 'failed', message, context: this.conn.context, namespace: this.ns, rotation: view(r, failed) };
  }

  async forward(
    start: RotationRecord,
    o: { newPayload: IdentitySecretPayload; newCloud: OpenStackCloud; oldCloud?: OpenStackCloud; style: WorkloadStyle; password?: string },
  ): Promise<CommandResult> {
    let r = start;
    const result: { clusters?: CommandResult['clusters']; restarts?: CommandResult['restarts'] } = {};
    const stopHere = async (failed: { cluster: string; reason: string }[], message: string) => ({
      ...(await this.stop(r, failed, message)),
      ...result,
    });
    if (r.step === 'tenant-updated') {
      const w = workloadSecretFromPayload(o.newPayload, o.style, this.ctx.config.convertOptions(undefined));
      if (!w.ok) return stopHere([], `The new credential cannot be converted: ${firstErrorLine(w.findings)}`);
      if (r.clusters.length) {
        const { results } = await this.deps.write.toWorkloadClusters(
          {
            title: 'Rotate application credential',
            action: `Deliver ${w.secret.metadata.namespace}/${w.secret.metadata.name} with "${r.newName}" to ${r.clusters.length} workload cluster(s)`,
            conn: this.conn,
            namespaces: [this.ns],
            namespace: this.ns,
            clusters: r.clusters,
            objectsFor: () => [w.secret],
          },
          this.confirmed,
        );
        result.clusters = results.map(clusterView);
        const failed = results
          .filter((x) => x.outcome === 'failed' || x.outcome === 'conflict' || x.outcome === 'cancelled')
          .map((x) => ({ cluster: x.cluster, reason: x.reason ?? x.outcome }));
        if (failed.length)
          return stopHere(
            failed,
            `${failed.length} cluster(s) did not get the new credential; the old one stays valid. Run the rotation again to retry.`,
          );
      }
      r = advance(r, 'delivered', new Date());
      await this.mustRecord(r);
    }
    if (r.step === 'delivered') {
      const restarts = r.clusters.length
        ? await this.deps.restart.run(this.conn, this.ns, r.clusters, { ...this.confirmed, restartConsumers: true })
        : [];
      result.restarts = restarts;
      const failed = restarts
        .filter((x) => x.outcome !== 'complete' && x.outcome !== 'none')
        .map((x) => ({ cluster: x.cluster, reason: `${x.outcome}${x.reason ? `: ${x.reason}` : ''}` }));
      if (failed.length)
        return stopHere(
          failed,
          `The consumers of ${failed.length} cluster(s) did not roll out on the new credential; the old one stays valid.`,
        );
      r = advance(r, 'restarted', new Date());
      await this.mustRecord(r);
    }
    if (r.step === 'restarted') {
      const d = await deleteApplicationCredential(o.newCloud, r.old.id, { password: o.password, ...KEYSTONE });
      if (!d.ok && d.problem.code !== 'not-found') return stopHere([], `Keystone did not delete "${r.old.name}": ${d.problem.message}`);
      r = advance(r, 'old-deleted', new Date());
      await this.mustRecord(r);
    }
    if (r.step === 'old-deleted') {
      let refused: boolean;
      if (o.oldCloud) {
        const c = await confirmRevoked(o.oldCloud, KEYSTONE);
        if (!c.ok) return stopHere([], `Could not confirm that "${r.old.name}" is refused: ${c.problem.message}`);
        refused = c.revoked;
      } else {
        // Resumed: the old secret is gone; Keystone no longer listing the id is the confirmation.
        const l = await listApplicationCredentials(o.newCloud, KEYSTONE);
        if (!l.ok) return stopHere([], `Could not list the application credentials: ${l.problem.message}`);
        refused = !l.credentials.some((c) => c.id === r.old.id);
      }
      if (!refused) return stopHere([], `Keystone still accepts "${r.old.name}" after its deletion`);
      r = advance(r, 'done', new Date());
      await this.mustRecord(r);
    }
    this.ctx.log.info(
      `Rotate application credential: ${this.ns}/${this.ref.name} now uses "${r.new?.name}"; "${r.old.name}" is deleted and refused.`,
    );
    void vscode.window.showInformationMessage(
      `Rotate application credential: ${this.ns}/${this.ref.name} now uses "${r.new?.name}" in ${r.clusters.length} workload cluster(s); "${r.old.name}" is deleted.`,
    );
    return { outcome: 'done', context: this.conn.context, namespace: this.ns, rotation: view(r, []), ...result };
  }
}

function view(r: RotationRecord | undefined, failed: readonly { cluster: string; reason: string }[]): CommandResult['rotation'] {
  if (!r) return undefined;
  return {
    step: r.step,
    old: r.old,
    newName: r.newName,
    ...(r.new ? { new: r.new } : {}),
    clusters: r.clusters,
    ...(failed.length ? { failed } : {}),
  };
}

/**
 * `clusterStacks.testConnection`: authenticate once against Keystone with a credential exactly as the
 * workload cluster's OpenStack CCM would (src/openstack `checkConnection`), and say whether the CCM
 * and Cinder CSI could work with it. The credential comes from a cloud of a clouds.yaml (the lens) or
 * from a tenant's identity secret (the explorer's tenant and credential nodes). Only on request; the
 * token is used for this check and dropped. The notification and the output channel show the report
 * (names, ids, regions, endpoints, Keystone's error text), never a secret or a token.
 *
 * Refused in Restricted Mode: it sends the workspace's credentials to the auth_url the workspace names.
 */
import * as vscode from 'vscode';
import type { ConvertedCloud } from '../../core/clouds/api';
import { convertPayload } from '../../core/manifests/credentials';
import type { DisposableStore } from '../../lifecycle';
import { checkConnection, cloudFromConversion, formatConnectionReport, type ConnectionReport, type DeliveryStyle } from '../../openstack';
import { COMMAND } from '../../services/commandIds';
import { Cancelled, toUri, UserError, type Args } from '../../services/command';
import type { Ctx } from '../../services/ctx';
import { pickContext, pickNamespace, withProgress } from '../../services/prompts';
import { CredentialCommand, type CredentialDeps } from './credentialCommand';
import { firstErrorLine } from '../../core/findings';
import type { CommandResult, TestConnectionArgs } from './results';

const STYLES: readonly DeliveryStyle[] = ['cloud-config', 'clouds-yaml'];

export class TestConnection extends CredentialCommand {
  constructor(ctx: Ctx, deps: CredentialDeps) {
    super(ctx, deps, { id: COMMAND.testConnection, title: 'Test connection', writes: false, reachesOut: true });
  }

  protected async run(raw: Args, scope: DisposableStore): Promise<CommandResult> {
    const args = raw as TestConnectionArgs;
    const style = args.style ?? 'cloud-config';
    if (!STYLES.includes(style)) throw new UserError(`style must be one of ${STYLES.join(', ')}`);
    const timeoutS = args.timeoutSeconds ?? 10;
    if (!(typeof timeoutS === 'number' && timeoutS > 0 && timeoutS <= 600)) throw new UserError('timeoutSeconds must be between 0 and 600');
    const { sources, connections } = this.deps;
    const uri = toUri(args.uri);
    let converted: ConvertedCloud;
    let source: string;
    let where: { context?: string; namespace?: string } = {};
    if (uri) {
      const cloud = await sources.cloudName(uri, args.cloud);
      converted = sources.convertedFromClouds(uri, cloud);
      source = `cloud "${cloud}"`;
    } else {
      const conn = scope.add(await pickContext(connections, args.context, 'Management cluster (kube context)'));
      const ns = (await pickNamespace(conn, args.namespace, 'Tenant namespace')).name;
      const named = args.secretName ?? (args.object?.kind === 'secrets' ? args.object.name : undefined);
      const { payload, secretName } = await sources.payloadFromTenant(conn.client, ns, named);
      const r = convertPayload(payload, this.ctx.config.convertOptions(undefined));
      if (!r.ok) throw new UserError(`Secret ${ns}/${secretName}: ${firstErrorLine(r.findings)}`);
      converted = r;
      source = `tenant secret ${ns}/${secretName} (cloud "${payload.cloudName}")`;
      where = { context: conn.context, namespace: ns };
    }
    const cloud = cloudFromConversion(converted, style);
    const report = await withProgress(`Testing ${source} against ${cloud.authUrl}`, (signal) =>
      Promise.race([
        checkConnection(cloud, { timeoutMs: timeoutS * 1000 }),
        new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new Cancelled()), { once: true })),
      ]),
    );
    this.ctx.log.info(`Test connection of ${source}:`);
    for (const line of formatConnectionReport(report).trimEnd().split('\n')) this.ctx.log.info(`  ${line}`);
    this.notify(source, report);
    return { outcome: 'done', ...where, connection: report };
  }

  private notify(source: string, r: ConnectionReport): void {
    const ac = r.applicationCredential;
    const expiry = ac ? `; application credential "${ac.name}" ${ac.expiresAt ? `expires ${ac.expiresAt}` : 'never expires'}` : '';
    const show = 'Show details';
    const answer = r.ok
      ? vscode.window.showInformationMessage(
          `Test connection: ${source} OK — project "${r.token?.project?.name ?? ''}", region ${r.region}, the OpenStack CCM and Cinder CSI find their endpoints${expiry}.`,
          show,
        )
      : vscode.window.showErrorMessage(
          `Test connection: ${source} FAILED — ${r.problems[0]?.message ?? 'unknown'}${r.problems.length > 1 ? ` (+${r.problems.length - 1} more)` : ''}`,
          show,
        );
    void answer.then((a) => a === show && this.ctx.log.show(true));
  }
}

/**
 * `clusterStacks.onboardTenant`: the CSP steps 3, 5 and 6 of docs/domain.md §(d) in one go — the tenant
 * namespace, the OpenStack credentials (through `clusterStacks.pushToTenant`, run by its id), and
 * customer access (§(c) "Customer ServiceAccount kubeconfig"): a ServiceAccount, a RoleBinding to the
 * role the CSP picks and a token Secret, all through the write path, then a kubeconfig scoped to the
 * namespace, saved where the user chooses (mode 0600). The token is written to that file only: never
 * logged, never shown, never put in a message.
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { namespaceManifest, unb64 } from '../../core/manifests/credentials';
import {
  tenantAccessManifests,
  tenantKubeconfig,
  tokenSecretName,
  TENANT_ROLES,
  type TenantAccessChoices,
} from '../../core/stacks/tenantAccess';
import type { ApplyReport, KubeManifest } from '../../kube/api';
import { delay, type DisposableStore } from '../../lifecycle';
import { COMMAND } from '../../services/commandIds';
import { Cancelled, type Args } from '../../services/command';
import type { ContextConnection } from '../../services/connections';
import type { Ctx } from '../../services/ctx';
import { kube } from '../../services/kube';
import { inputName, pickOne } from '../../services/prompts';
import type { WriteArgs } from '../write/gate';
import { StackCommand, type StackDeps } from './stackCommand';

const TOKEN_WAIT_MS = 20_000;
const TOKEN_POLL_MS = 500;

export interface OnboardArgs extends WriteArgs {
  readonly serviceAccount?: string;
  readonly role?: TenantAccessChoices['role'];
  /** Run the credentials push for the new tenant (asked when not given). */
  readonly pushCredentials?: boolean;
  /** Where to write the kubeconfig (a file path); asked with a save dialog when absent. */
  readonly target?: string;
}

export interface OnboardResult {
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly report: ApplyReport;
  /** The file the kubeconfig was written to (absent when the user cancelled the save). */
  readonly kubeconfigPath?: string;
  readonly credentials?: unknown;
}

async function chooseRole(conn: ContextConnection, namespace: string): Promise<TenantAccessChoices['role']> {
  const roles = await (
    await kube()
  )
    .listObjects(conn.client, 'rbac.authorization.k8s.io/v1', 'Role', namespace)
    .catch((): Record<string, unknown>[] => []);
  return pickOne<TenantAccessChoices['role']>(`Role of the customer in ${namespace}`, [
    ...TENANT_ROLES.map((r) => ({
      label: r,
      description: `ClusterRole ${r}, bound in the namespace only`,
      value: { kind: 'ClusterRole' as const, name: r },
    })),
    ...roles.map((r) => {
      const name = String((r.metadata as { name?: string }).name);
      return { label: name, description: `Role in ${namespace}`, value: { kind: 'Role' as const, name } };
    }),
  ]);
}

/** Waits (bounded, cancellable) for the token controller to fill the token Secret; returns its data (never logged). */
async function waitForToken(
  conn: ContextConnection,
  namespace: string,
  secret: string,
  signal: AbortSignal,
): Promise<Record<string, string>> {
  const k = await kube();
  const until = Date.now() + TOKEN_WAIT_MS;
  for (;;) {
    const s = await k.getObject(conn.client, 'v1', 'Secret', namespace, secret, signal);
    const data = (s?.data ?? {}) as Record<string, string>;
    if (data.token) return data;
    if (Date.now() > until)
      throw new Error(
        `the token of Secret ${namespace}/${secret} was not issued within ${TOKEN_WAIT_MS / 1000} s (is the token controller running?)`,
      );
    await delay(TOKEN_POLL_MS, signal);
  }
}

async function caData(conn: ContextConnection, fromSecret: string | undefined): Promise<string | undefined> {
  if (fromSecret) return fromSecret;
  const cluster = conn.kc.getCurrentCluster();
  if (cluster?.caData) return cluster.caData;
  if (cluster?.caFile) return (await fs.readFile(cluster.caFile)).toString('base64');
  return undefined;
}

export class OnboardTenant extends StackCommand<OnboardResult> {
  constructor(ctx: Ctx, deps: StackDeps) {
    super(ctx, deps, { id: COMMAND.onboardTenant, title: 'Onboard tenant', writes: true });
  }

  protected async run(raw: Args, scope: DisposableStore): Promise<OnboardResult> {
    const args = raw as OnboardArgs;
    const conn = await this.deps.write.target(args, this.meta.title, scope);
    const namespace = args.namespace ?? (await inputName('Onboard tenant: namespace (one per OpenStack project)'));
    const role = args.role ?? (await chooseRole(conn, namespace));
    const serviceAccount = args.serviceAccount ?? (await inputName('ServiceAccount of the customer', { value: 'tenant-admin' }));
    const { report } = await this.deps.write.toCluster(
      {
        title: `Onboard tenant ${namespace}`,
        action: `Create tenant ${namespace} with ${role.kind} ${role.name} for ServiceAccount ${serviceAccount}`,
        conn,
        namespaces: [namespace],
        objects: [namespaceManifest(namespace), ...tenantAccessManifests({ namespace, serviceAccount, role })] as unknown as KubeManifest[],
      },
      args,
    );
    if (!['created', 'updated', 'unchanged'].includes(report.outcome) || args.dryRun) return { namespace, serviceAccount, report };

    let credentials: unknown;
    // Dismissing this question means "later": the tenant exists by now, its kubeconfig is still saved.
    const push =
      args.pushCredentials ??
      (await pickOne(`Push OpenStack credentials into ${namespace} now?`, [
        { label: 'Yes', value: true },
        { label: 'Later', value: false },
      ]).catch((e: unknown) => {
        if (e instanceof Cancelled) return false;
        throw e;
      }));
    if (push)
      credentials = await vscode.commands.executeCommand(COMMAND.pushToTenant, {
        context: conn.context,
        namespace,
        ...(args.confirmed ? { confirmed: true } : {}),
        ...(args.confirmProtected ? { confirmProtected: true } : {}),
      });

    const data = await this.ctx.tasks.run((signal) => waitForToken(conn, namespace, tokenSecretName(serviceAccount), signal));
    const cluster = conn.kc.getCurrentCluster();
    if (!cluster) throw new Error(`context ${conn.context} has no cluster`);
    const text = tenantKubeconfig({
      clusterName: cluster.name,
      server: cluster.server,
      certificateAuthorityData: await caData(conn, data['ca.crt']),
      insecureSkipTlsVerify: cluster.skipTLSVerify,
      namespace,
      serviceAccount,
      token: unb64(data.token),
    });
    const target =
      args.target ??
      (
        await vscode.window.showSaveDialog({
          title: `Save the kubeconfig of tenant ${namespace} (it contains a token)`,
          defaultUri: vscode.Uri.file(path.join(os.homedir(), `${namespace}-kubeconfig.yaml`)),
          filters: { Kubeconfig: ['yaml', 'yml', 'conf'] },
        })
      )?.fsPath;
    if (!target) return { namespace, serviceAccount, report, credentials };
    await fs.writeFile(target, text, { mode: 0o600 });
    await fs.chmod(target, 0o600);
    this.ctx.log.info(`Onboard tenant ${namespace}: kubeconfig for ServiceAccount ${serviceAccount} written (${role.kind} ${role.name})`);
    void vscode.window.showInformationMessage(
      `Tenant ${namespace} is ready. Its kubeconfig (ServiceAccount ${serviceAccount}, ${role.kind} ${role.name}) was saved to ${target}; it contains a token — send it securely.`,
    );
    this.refreshExplorer(conn.context, true);
    return { namespace, serviceAccount, report, kubeconfigPath: target, credentials };
  }
}

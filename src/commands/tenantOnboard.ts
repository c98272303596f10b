/**
 * `clusterStacks.onboardTenant`: the CSP steps 3, 5 and 6 of domain.md §(d) in one go — the tenant
 * namespace, the OpenStack credentials (through the credentials feature's `clusterStacks.pushToTenant`,
 * which also offers the ClusterResourceSet for workload clusters), and customer access: a ServiceAccount,
 * a RoleBinding to the role the CSP picks and a token Secret, turned into a kubeconfig scoped to the
 * namespace and saved where the user chooses. The token is written to that file only: never logged,
 * never shown, never put in a message.
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { getObject, listObjects, type ApplyReport, type KubeManifest } from '../kube/apply';
import { namespaceManifest, unb64 } from '../core/manifests/credentials';
import {
  tenantAccessManifests,
  tenantKubeconfig,
  tokenSecretName,
  TENANT_ROLES,
  type TenantAccessChoices,
} from '../core/stacks/tenantAccess';
import type { Ctx } from '../ctx';
import { connect, errorText, isTrusted, reviewAndApply, showReport, targetOf, validateDnsLabel, type Connection } from './stacksCommon';

export const PUSH_TO_TENANT = 'clusterStacks.pushToTenant';

export interface OnboardArgs {
  readonly context?: string;
  readonly namespace?: string;
  readonly serviceAccount?: string;
  readonly role?: TenantAccessChoices['role'];
  /** Run the credentials push for the new tenant (interactive when not given and the command exists). */
  readonly pushCredentials?: boolean;
  /** Where to write the kubeconfig (a file path); asked with a save dialog when absent. */
  readonly target?: string;
  readonly confirmed?: boolean;
}

export interface OnboardResult {
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly report: ApplyReport;
  /** The file the kubeconfig was written to (absent when the user cancelled the save). */
  readonly kubeconfigPath?: string;
  readonly credentials?: unknown;
}

async function chooseRole(conn: Connection, namespace: string): Promise<TenantAccessChoices['role'] | undefined> {
  const roles = await listObjects(conn.client, 'rbac.authorization.k8s.io/v1', 'Role', namespace).catch(
    (): Record<string, unknown>[] => [],
  );
  const items = [
    ...TENANT_ROLES.map((r) => ({
      label: r,
      description: `ClusterRole ${r}, bound in the namespace only`,
      role: { kind: 'ClusterRole' as const, name: r },
    })),
    ...roles.map((r) => {
      const name = String((r.metadata as { name?: string }).name);
      return { label: name, description: `Role in ${namespace}`, role: { kind: 'Role' as const, name } };
    }),
  ];
  const pick = await vscode.window.showQuickPick(items, { title: `Role of the customer in ${namespace}` });
  return pick?.role;
}

/** Waits (bounded) for the token controller to fill the token Secret; returns its data (never logged). */
async function waitForToken(conn: Connection, namespace: string, secret: string, timeoutMs = 20_000): Promise<Record<string, string>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = await getObject(conn.client, 'v1', 'Secret', namespace, secret);
    const data = (s?.data ?? {}) as Record<string, string>;
    if (data.token) return data;
    if (Date.now() > until)
      throw new Error(
        `the token of Secret ${namespace}/${secret} was not issued within ${timeoutMs / 1000} s (is the token controller running?)`,
      );
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function caData(conn: Connection, fromSecret: string | undefined): Promise<string | undefined> {
  if (fromSecret) return fromSecret;
  const cluster = conn.kc.getCurrentCluster();
  if (cluster?.caData) return cluster.caData;
  if (cluster?.caFile) return (await fs.readFile(cluster.caFile)).toString('base64');
  return undefined;
}

export async function onboardTenant(ctx: Ctx, arg?: unknown): Promise<OnboardResult | undefined> {
  if (!isTrusted()) return undefined;
  const args = (arg && typeof arg === 'object' ? arg : {}) as OnboardArgs;
  try {
    const conn = await connect(targetOf(arg), 'Onboard tenant');
    if (!conn) return undefined;
    const namespace =
      args.namespace ??
      (
        await vscode.window.showInputBox({
          title: 'Onboard tenant: namespace (one per OpenStack project)',
          validateInput: (v) => validateDnsLabel(v.trim()) ?? null,
        })
      )?.trim();
    if (!namespace) return undefined;
    const role = args.role ?? (await chooseRole(conn, namespace));
    if (!role) return undefined;
    const serviceAccount =
      args.serviceAccount ??
      (
        await vscode.window.showInputBox({
          title: 'ServiceAccount of the customer',
          value: 'tenant-admin',
          validateInput: (v) => validateDnsLabel(v.trim()) ?? null,
        })
      )?.trim();
    if (!serviceAccount) return undefined;

    const objects = [
      namespaceManifest(namespace),
      ...tenantAccessManifests({ namespace, serviceAccount, role }),
    ] as unknown as KubeManifest[];
    const report = await reviewAndApply(ctx, conn.client, objects, {
      title: `Onboard tenant ${namespace}`,
      where: `context ${conn.context}, namespace ${namespace} (${role.kind} ${role.name} for ServiceAccount ${serviceAccount})`,
      confirmed: args.confirmed,
    });
    if (!report) return undefined;
    showReport(`Onboard tenant ${namespace}`, report);
    if (!['created', 'updated', 'unchanged'].includes(report.outcome)) return { namespace, serviceAccount, report };

    let credentials: unknown;
    const hasPush = (await vscode.commands.getCommands(true)).includes(PUSH_TO_TENANT);
    let push = args.pushCredentials;
    if (push === undefined && hasPush)
      push =
        (await vscode.window.showQuickPick(['Yes', 'Later'], { title: `Push OpenStack credentials into ${namespace} now?` })) === 'Yes';
    if (push && hasPush)
      credentials = await vscode.commands.executeCommand(PUSH_TO_TENANT, {
        context: conn.context,
        namespace,
        ...(args.confirmed ? { yes: true } : {}),
      });

    const data = await waitForToken(conn, namespace, tokenSecretName(serviceAccount));
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
    let target = args.target;
    if (!target) {
      const uri = await vscode.window.showSaveDialog({
        title: `Save the kubeconfig of tenant ${namespace} (it contains a token)`,
        defaultUri: vscode.Uri.file(path.join(os.homedir(), `${namespace}-kubeconfig.yaml`)),
        filters: { Kubeconfig: ['yaml', 'yml', 'conf'] },
      });
      target = uri?.fsPath;
    }
    if (!target) return { namespace, serviceAccount, report, credentials };
    await fs.writeFile(target, text, { mode: 0o600 });
    await fs.chmod(target, 0o600);
    ctx.log.info(`Onboard tenant ${namespace}: kubeconfig for ServiceAccount ${serviceAccount} written (${role.kind} ${role.name})`);
    void vscode.window.showInformationMessage(
      `Tenant ${namespace} is ready. Its kubeconfig (ServiceAccount ${serviceAccount}, ${role.kind} ${role.name}) was saved to ${target}; it contains a token — send it securely.`,
    );
    void vscode.commands.executeCommand('clusterStacks.explorer.refresh', { context: conn.context }).then(undefined, () => undefined);
    return { namespace, serviceAccount, report, kubeconfigPath: target, credentials };
  } catch (e) {
    void vscode.window.showErrorMessage(`Onboard tenant: ${errorText(e)}`);
    return undefined;
  }
}

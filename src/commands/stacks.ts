/**
 * Registers the cluster-stack and tenant commands and the cluster-stack manifest diagnostics. Every
 * command takes an optional argument object (an explorer node or `{context, namespace, …, confirmed}`)
 * and returns its result, so tests and scripts need no UI; writing commands also check workspace trust
 * at run time (package.json disables them in Restricted Mode).
 */
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { StackDiagnostics } from '../editor/stacksDiagnostics';
import { previewRelease } from './stacksPreview';
import { orderCluster } from './orderCluster';
import { applyClusterStack, applyDocument } from './stacksApply';
import { onboardTenant } from './tenantOnboard';

export const STACK_COMMANDS = {
  applyClusterStack: 'clusterStacks.applyClusterStack',
  applyDocument: 'clusterStacks.applyDocument',
  onboardTenant: 'clusterStacks.onboardTenant',
  orderCluster: 'clusterStacks.orderCluster',
  previewRelease: 'clusterStacks.previewRelease',
} as const;

export function registerStackCommands(ctx: Ctx): StackDiagnostics {
  const reg = (id: string, fn: (arg?: unknown) => unknown) => ctx.own(vscode.commands.registerCommand(id, fn));
  reg(STACK_COMMANDS.applyClusterStack, (arg) => applyClusterStack(ctx, arg));
  reg(STACK_COMMANDS.applyDocument, (arg) => applyDocument(ctx, arg));
  reg(STACK_COMMANDS.onboardTenant, (arg) => onboardTenant(ctx, arg));
  reg(STACK_COMMANDS.orderCluster, (arg) => orderCluster(ctx, arg));
  reg(STACK_COMMANDS.previewRelease, (arg) => previewRelease(ctx, arg));
  return ctx.own(new StackDiagnostics(ctx));
}

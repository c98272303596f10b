import type * as vscode from 'vscode';
import { registerCommands } from './commands';
import { registerEditorFeatures } from './editor';
import { CloudsModel } from './services/cloudsModel';
import { Connections } from './services/connections';
import { Ctx } from './services/ctx';
import { TenantFactsCache } from './services/tenantFacts';
import { registerExplorer } from './views/explorer';

/**
 * Entry point. It only wires (docs/architecture.md): the `Ctx` (log, settings, background tasks), the
 * shared services, then the three UI rooms, each registering its own parts with the `Ctx`. Everything
 * is owned by the `Ctx`, which `context.subscriptions` disposes — the rooms before the services they
 * use. Activation is lazy (activationEvents and implicit view/command activation); the Kubernetes code
 * is reached through `await kube()` (src/services/kube.ts) only.
 */
export function activate(context: vscode.ExtensionContext): void {
  const ctx = new Ctx(context);
  context.subscriptions.push(ctx);
  const connections = ctx.own(new Connections(ctx.config));
  ctx.own(ctx.live.add('clients', () => connections.stats().clients));
  ctx.own(ctx.live.add('leases', () => connections.stats().leases));
  const clouds = ctx.own(new CloudsModel(ctx.config));
  const tenantFacts = ctx.own(new TenantFactsCache(connections));
  registerEditorFeatures(ctx, { clouds, tenantFacts });
  registerExplorer(ctx, connections);
  registerCommands(ctx, { connections, clouds });
}

export function deactivate(): void {
  // Everything is owned by the Ctx, which context.subscriptions disposes.
}

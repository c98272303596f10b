import type * as vscode from 'vscode';
import { registerCommands } from './commands';
import { registerEditorFeatures } from './editor';
import { DocumentAnalysis } from './services/analysis/host';
import { CloudsModel } from './services/cloudsModel';
import { Connections } from './services/connections';
import { Ctx } from './services/ctx';
import type { Shell } from './services/shell';
import { TenantFactsCache } from './services/tenantFacts';
import { registerExplorer } from './views/explorer';

/**
 * The extension proper, built as its own bundle (dist/app.js) and loaded by the entry (src/extension.ts)
 * on first use: the first command, the explorer's first reading, the first YAML or cloud.conf document.
 * It only wires (docs/architecture.md): the `Ctx` (log, settings, background tasks), the shared
 * services, then the three UI rooms, each registering its own parts with the `Ctx`. Everything is owned
 * by the `Ctx`, which `context.subscriptions` disposes — the rooms before the services they use. The
 * commands register through the entry's stubs and the explorer fills the tree view the entry created
 * (the `Shell`); the Kubernetes code is reached through `await kube()` (src/services/kube.ts) only.
 */
export function start(context: vscode.ExtensionContext, shell: Shell): void {
  const ctx = new Ctx(context, shell.registerCommand);
  context.subscriptions.push(ctx);
  const connections = ctx.own(new Connections(ctx.config));
  ctx.own(ctx.live.add('clients', () => connections.stats().clients));
  ctx.own(ctx.live.add('leases', () => connections.stats().leases));
  const analysis = ctx.own(new DocumentAnalysis(ctx));
  const clouds = ctx.own(new CloudsModel(ctx.config, analysis));
  const tenantFacts = ctx.own(new TenantFactsCache(connections));
  registerEditorFeatures(ctx, { clouds, tenantFacts, analysis });
  registerExplorer(ctx, connections, shell.explorer);
  registerCommands(ctx, { connections, clouds });
}

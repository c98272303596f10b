/**
 * What the cluster-stack and tenant commands share: the services they use. Their results are their
 * own objects (or the ApplyReport); refusals, failures and dismissed prompts return undefined after the
 * command base has notified (src/services/command.ts).
 */
import { Command, type CommandMeta } from '../../services/command';
import type { Connections } from '../../services/connections';
import type { Ctx } from '../../services/ctx';
import { COMMAND } from '../../services/commandIds';
import * as vscode from 'vscode';
import type { WritePath } from '../write/writePath';

export interface StackDeps {
  readonly connections: Connections;
  readonly write: WritePath;
}

export abstract class StackCommand<R> extends Command<R> {
  constructor(
    ctx: Ctx,
    protected readonly deps: StackDeps,
    meta: CommandMeta,
  ) {
    super(ctx, meta);
  }

  /**
   * Tells the explorer a write happened: its watches show it, one waiting in its backoff reconnects now.
   * `relist` re-reads the whole context instead (a new tenant: a namespace the cache may not watch yet).
   */
  protected refreshExplorer(context: string, relist = false): void {
    const args = relist ? { context } : { context, afterWrite: true };
    void vscode.commands.executeCommand(COMMAND.refresh, args).then(undefined, () => undefined);
  }
}

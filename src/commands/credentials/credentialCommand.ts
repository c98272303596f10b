/**
 * What the four credential commands share: their results for the three endings of the command base
 * (refused, failed, cancelled are `CommandResult`s, so a script always gets an object), the services
 * they use, and the record of the last direct push per tenant (shown by showPropagation and in the
 * explorer's drift check; names and outcomes only).
 */
import { Command, type CommandMeta } from '../../services/command';
import type { Connections } from '../../services/connections';
import type { Ctx } from '../../services/ctx';
import type { WritePath } from '../write/writePath';
import type { ConsumerRestart } from './consumerRestart';
import type { ClusterView, CommandResult } from './results';
import type { CredentialSources } from './sources';

/** The last direct push per `context/namespace`, from this window. */
export class PushHistory {
  private readonly last = new Map<string, readonly ClusterView[]>();

  record(context: string, namespace: string, views: readonly ClusterView[]): void {
    this.last.set(`${context}\u0000${namespace}`, views);
  }

  get(context: string, namespace: string): readonly ClusterView[] | undefined {
    return this.last.get(`${context}\u0000${namespace}`);
  }
}

export interface CredentialDeps {
  readonly connections: Connections;
  readonly write: WritePath;
  readonly sources: CredentialSources;
  readonly history: PushHistory;
  readonly restart: ConsumerRestart;
}

export abstract class CredentialCommand extends Command<CommandResult> {
  constructor(
    ctx: Ctx,
    protected readonly deps: CredentialDeps,
    meta: CommandMeta,
  ) {
    super(ctx, meta);
  }

  protected override refused(message: string): CommandResult {
    return { outcome: 'refused', message };
  }

  protected override failed(message: string): CommandResult {
    return { outcome: 'failed', message };
  }

  protected override cancelled(): CommandResult {
    return { outcome: 'cancelled' };
  }
}

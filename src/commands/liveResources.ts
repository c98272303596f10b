/**
 * `clusterStacks.test.liveResources` (hidden from the palette, like the explorer snapshot): what is
 * alive right now — pooled clients and their leases, explorer caches, pending timers, background
 * tasks. The lifetime tests call it before and after each command; it changes nothing.
 */
import { COMMAND } from '../services/commandIds';
import { Command } from '../services/command';
import type { Ctx } from '../services/ctx';

export class LiveResourcesCommand extends Command<Record<string, number>> {
  constructor(ctx: Ctx) {
    super(ctx, { id: COMMAND.liveResources, title: 'Live resources', writes: false });
  }

  protected run(): Promise<Record<string, number>> {
    return Promise.resolve(this.ctx.live.snapshot());
  }
}

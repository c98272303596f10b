/**
 * `clusterStacks.pauseCluster` and `clusterStacks.resumeCluster`: `spec.paused` of a Cluster (and, on
 * resume, the `cluster.x-k8s.io/paused` annotation that also pauses it); the effect is in the
 * confirmation and, once applied, on the cluster's node in the tree (src/core/ops/pause.ts).
 */
import { planPause } from '../../core/ops/pause';
import type { DisposableStore } from '../../lifecycle';
import type { Args } from '../../services/command';
import { COMMAND } from '../../services/commandIds';
import type { Ctx } from '../../services/ctx';
import type { StackDeps } from '../stacks/stackCommand';
import { ClusterCommand, type OpsResult, type ClusterArgs } from './clusterCommand';

export class PauseCluster extends ClusterCommand {
  constructor(
    ctx: Ctx,
    deps: StackDeps,
    private readonly pause: boolean,
  ) {
    super(ctx, deps, {
      id: pause ? COMMAND.pauseCluster : COMMAND.resumeCluster,
      title: pause ? 'Pause reconciliation' : 'Resume reconciliation',
      writes: true,
    });
  }

  protected async run(raw: Args, scope: DisposableStore): Promise<OpsResult> {
    const args = raw as ClusterArgs;
    const t = await this.targetCluster(args, scope);
    return this.send(t, planPause(t.cluster, this.pause), args);
  }
}

/**
 * `clusterStacks.upgradeCluster`: move a workload cluster along the tenant's cluster stacks — another
 * release of the same stack, or the next Kubernetes minor (src/core/ops/upgrade.ts has the rules of the
 * cluster-stack operator's and Cluster API's webhooks). The pick shows every candidate with its
 * Kubernetes version and release readiness; a refused one says why and is never sent. Class and
 * version change together in one patch.
 */
import { CLUSTER_STACK_API_VERSION } from '../../core/stacks/clusterStack';
import { upgradeTargets, type UpgradeTarget } from '../../core/ops/upgrade';
import type { DisposableStore } from '../../lifecycle';
import { UserError, type Args } from '../../services/command';
import { COMMAND } from '../../services/commandIds';
import type { Ctx } from '../../services/ctx';
import { pickOne } from '../../services/prompts';
import type { StackDeps } from '../stacks/stackCommand';
import { ClusterCommand, type ClusterArgs, type OpsResult } from './clusterCommand';

export interface UpgradeArgs extends ClusterArgs {
  /** The target ClusterClass, e.g. `openstack-scs2-1-34-v1`. */
  readonly className?: string;
}

const KIND_TEXT: Record<UpgradeTarget['kind'], string> = {
  'patch-release': 'new release',
  'next-minor': 'next minor',
  'skip-minor': 'skips a minor',
  older: 'older',
  incomparable: 'other channel',
};

function refusalText(t: UpgradeTarget): string {
  return t.refusals.map((r) => `${r.message} (${r.by})`).join('; ');
}

export class UpgradeCluster extends ClusterCommand {
  constructor(ctx: Ctx, deps: StackDeps) {
    super(ctx, deps, { id: COMMAND.upgradeCluster, title: 'Upgrade workload cluster', writes: true });
  }

  protected async run(raw: Args, scope: DisposableStore): Promise<OpsResult> {
    const args = raw as UpgradeArgs;
    const t = await this.targetCluster(args, scope);
    const [clusterStacks, releases, clusterClasses, controlPlane, machineDeployments] = await Promise.all([
      this.listOptional(t, CLUSTER_STACK_API_VERSION, 'ClusterStack'),
      this.listOptional(t, CLUSTER_STACK_API_VERSION, 'ClusterStackRelease'),
      this.listOptional(t, t.capiVersion, 'ClusterClass'),
      this.controlPlane(t),
      this.machineDeployments(t),
    ]);
    const options = upgradeTargets({ cluster: t.cluster, clusterStacks, releases, clusterClasses, controlPlane, machineDeployments });
    const name = t.cluster.metadata?.name ?? '';
    if (options.error) throw new UserError(`${name}: ${options.error}`);
    let target: UpgradeTarget | undefined;
    if (args.className) {
      target = options.targets.find((x) => x.className === args.className);
      if (!target)
        throw new UserError(
          `${args.className} is not an upgrade target of ${name} (${options.className}): it is not a release of the same cluster stack in ${t.namespace}`,
        );
    } else {
      target = await pickOne(
        `Upgrade ${name} (${options.className}, Kubernetes ${options.kubernetesVersion ?? '?'})`,
        options.targets.map((x) => ({
          label: `${x.allowed ? '$(arrow-up)' : '$(circle-slash)'} ${x.className}`,
          description: [
            x.kubernetesVersion ? `Kubernetes ${x.kubernetesVersion}` : `Kubernetes ${x.kubernetesMinor}`,
            KIND_TEXT[x.kind],
            x.release.readiness,
          ]
            .concat(x.allowed ? [] : [`refused: ${refusalText(x)}`])
            .join(' · '),
          value: x,
        })),
        'Releases of the same cluster stack; the next Kubernetes minor at most',
      );
    }
    if (!target.allowed || !target.change) throw new UserError(`cannot upgrade ${name} to ${target.className}: ${refusalText(target)}`);
    return this.send(t, target.change, args);
  }
}

/**
 * `clusterStacks.scaleCluster`: the control-plane replicas and each MachineDeployment's replicas of a
 * topology Cluster (or its autoscaler range). The rules (odd control-plane counts with stacked etcd, the
 * autoscaler annotations) are src/core/ops/scale.ts; the prompt shows the current counts.
 */
import { field } from '../../core/capi/types';
import { topologyClass } from '../../core/stacks/topology';
import { planScale, scaleState, type MachineDeploymentScale, type ScaleRequest } from '../../core/ops/scale';
import type { DisposableStore } from '../../lifecycle';
import { UserError, type Args } from '../../services/command';
import { COMMAND } from '../../services/commandIds';
import type { Ctx } from '../../services/ctx';
import { inputText, pickOne } from '../../services/prompts';
import type { StackDeps } from '../stacks/stackCommand';
import { ClusterCommand, type ClusterArgs, type OpsResult } from './clusterCommand';

export interface ScaleArgs extends ClusterArgs {
  readonly controlPlaneReplicas?: number;
  /** Per `topology.workers.machineDeployments[].name`: replicas, or the autoscaler range (`null` hands it back). */
  readonly machineDeployments?: readonly MachineDeploymentScale[];
}

const CONTROL_PLANE = '\u0000control plane';

export class ScaleCluster extends ClusterCommand {
  constructor(ctx: Ctx, deps: StackDeps) {
    super(ctx, deps, { id: COMMAND.scaleCluster, title: 'Scale workload cluster', writes: true });
  }

  protected async run(raw: Args, scope: DisposableStore): Promise<OpsResult> {
    const args = raw as ScaleArgs;
    const t = await this.targetCluster(args, scope);
    const [controlPlane, machineDeployments, classes] = await Promise.all([
      this.controlPlane(t),
      this.machineDeployments(t),
      this.listOptional(t, t.capiVersion, 'ClusterClass'),
    ]);
    const className = topologyClass(t.cluster).name;
    const clusterClass = classes.find((c) => c.metadata?.name === className);
    const inputs = { cluster: t.cluster, clusterClass, controlPlane, machineDeployments };
    const name = t.cluster.metadata?.name ?? '';
    let request: ScaleRequest;
    if (args.controlPlaneReplicas !== undefined || args.machineDeployments !== undefined)
      request = { controlPlaneReplicas: args.controlPlaneReplicas, machineDeployments: args.machineDeployments };
    else {
      const state = scaleState(inputs);
      if (field(t.cluster, 'spec', 'topology') === undefined)
        throw new UserError(`${name} is not a topology Cluster: scale its control plane and MachineDeployments directly`);
      const what = await pickOne(`Scale ${name}`, [
        {
          label: 'Control plane',
          description: `${state.controlPlaneReplicas ?? '?'} replicas · etcd ${state.etcd}`,
          value: CONTROL_PLANE,
        },
        ...state.machineDeployments.map((md) => ({
          label: md.name,
          description: [
            md.class,
            md.autoscaler ? `autoscaled ${md.autoscaler.min ?? '?'}–${md.autoscaler.max ?? '?'}` : `${md.replicas ?? '?'} replicas`,
            md.autoscalerFromClass ? 'autoscaler set by the class' : undefined,
          ]
            .filter(Boolean)
            .join(' · '),
          value: md.name,
        })),
      ]);
      const current = what === CONTROL_PLANE ? state.controlPlaneReplicas : state.machineDeployments.find((m) => m.name === what)?.replicas;
      const n = Number(
        await inputText(
          what === CONTROL_PLANE ? `Control-plane replicas of ${name}` : `Replicas of ${what}`,
          (v) => {
            if (!/^\d+$/.test(v)) return 'A whole number';
            if (what !== CONTROL_PLANE) return undefined;
            if (v === '0') return 'At least one control-plane node';
            return Number(v) % 2 === 0
              ? 'An even count: etcd tolerates no more failures than with one node fewer, and KubeadmControlPlane refuses it with stacked etcd'
              : undefined;
          },
          { value: current === undefined ? '' : String(current) },
        ),
      );
      request = what === CONTROL_PLANE ? { controlPlaneReplicas: n } : { machineDeployments: [{ name: what, replicas: n }] };
    }
    return this.send(t, planScale(inputs, request), args);
  }
}

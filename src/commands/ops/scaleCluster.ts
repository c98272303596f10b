/**
 * `clusterStacks.scaleCluster`: the control-plane replicas and each MachineDeployment's replicas of a
 * topology Cluster (or its autoscaler range). The rules (odd control-plane counts with stacked etcd, the
 * autoscaler annotations) are src/core/ops/scale.ts; the prompt shows the current counts.
 */
import { field } from '../../core/capi/types';
import { topologyClass } from '../../core/stacks/topology';
import { planScale, scaleState, type MachineDeploymentScale, type ScaleRequest, type ScaleState } from '../../core/ops/scale';
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
      if (what === CONTROL_PLANE) request = { controlPlaneReplicas: await this.askControlPlane(name, state.controlPlaneReplicas) };
      else {
        const md = state.machineDeployments.find((m) => m.name === what);
        request = { machineDeployments: [await this.askMachineDeployment(what, md)] };
      }
    }
    return this.send(t, planScale(inputs, request), args);
  }

  private async askControlPlane(name: string, current: number | undefined): Promise<number> {
    const v = await inputText(
      `Control-plane replicas of ${name}`,
      (v) => {
        if (!/^\d+$/.test(v)) return 'A whole number';
        if (v === '0') return 'At least one control-plane node';
        return Number(v) % 2 === 0
          ? 'An even count: etcd tolerates no more failures than with one node fewer, and KubeadmControlPlane refuses it with stacked etcd'
          : undefined;
      },
      { value: current === undefined ? '' : String(current) },
    );
    return Number(v);
  }

  /** A fixed count (taking it back from the autoscaler when it has it), or the autoscaler's range. */
  private async askMachineDeployment(
    name: string,
    md: ScaleState['machineDeployments'][number] | undefined,
  ): Promise<MachineDeploymentScale> {
    if (md?.autoscalerFromClass)
      throw new UserError(`${name}: its class ${md.class} carries the autoscaler annotations, so the cluster autoscaler sets its replicas`);
    const autoscaled = md?.autoscaler !== undefined;
    const how = await pickOne<'replicas' | 'range'>(`Scale ${name}`, [
      {
        label: autoscaled ? 'Autoscaler range' : 'Hand over to the autoscaler',
        description: autoscaled
          ? `now ${md?.autoscaler?.min ?? '?'}–${md?.autoscaler?.max ?? '?'}`
          : 'min–max nodes, the cluster autoscaler decides',
        value: 'range',
      },
      {
        label: 'Replicas',
        description: autoscaled ? 'a fixed count: takes it back from the autoscaler' : `now ${md?.replicas ?? '?'}`,
        value: 'replicas',
      },
    ]);
    if (how === 'range') {
      const now = md?.autoscaler;
      const v = await inputText(
        `Autoscaler range of ${name} (min–max)`,
        (v) => {
          const m = /^(\d+)\s*[-–]\s*(\d+)$/.exec(v);
          if (!m) return 'Two whole numbers, min–max (e.g. 1-5)';
          return Number(m[1]) > Number(m[2]) ? `min ${m[1]} is above max ${m[2]}` : undefined;
        },
        { value: now ? `${now.min ?? ''}-${now.max ?? ''}` : '' },
      );
      const [min, max] = v.split(/\s*[-–]\s*/).map(Number);
      return { name, autoscaler: { min, max } };
    }
    const v = await inputText(`Replicas of ${name}`, (v) => (/^\d+$/.test(v) ? undefined : 'A whole number'), {
      value: md?.replicas === undefined ? '' : String(md.replicas),
    });
    return autoscaled ? { name, replicas: Number(v), autoscaler: null } : { name, replicas: Number(v) };
  }
}

// apps/v1 Deployments and DaemonSets: the API server's defaulting and the rollout behaviour of
// kube-controller-manager's deployment and daemon-set controllers, as far as `kubectl rollout status` and
// `kubectl rollout restart` (kubernetes/kubectl@dee3483 pkg/polymorphichelpers/rollout_status.go:59-117,
// objectrestarter.go:32-90) and the explorer see them: generation and observedGeneration, replica and
// scheduling counts, the Deployment's Available/Progressing conditions and the revision annotation.
//
// Pods, ReplicaSets and ControllerRevisions are not objects here: each workload keeps its pods in memory
// (per pod-template hash), a pod becomes ready `podReadyMs` after it was created, and `stall(true)` makes new
// pods never become ready (a workload cluster whose nodes never come up). DaemonSet pods go to the Node
// objects whose labels match the template's nodeSelector (taints, tolerations and affinity are not read).
import type { Api } from './api';
import { field, FieldError } from './fielderrors';
import { Registry, ResourceType } from './resources';
import { ApiError } from './status';
import { KubeObject, Store } from './store';
import { registerKind } from './validation';

const now = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

// ---------------------------------------------------------------- defaulting and validation

/** SetDefaults_Deployment / SetDefaults_DaemonSet (kubernetes/kubernetes pkg/apis/apps/v1/defaults.go), the fields the controllers and kubectl read. */
function defaults(kind: 'Deployment' | 'DaemonSet', obj: KubeObject): void {
  const spec = (obj.spec ??= {});
  if (kind === 'Deployment') {
    spec.replicas ??= 1;
    spec.strategy ??= {};
    spec.strategy.type ??= 'RollingUpdate';
    if (spec.strategy.type === 'RollingUpdate') {
      spec.strategy.rollingUpdate ??= {};
      spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
      spec.strategy.rollingUpdate.maxSurge ??= '25%';
    }
    spec.progressDeadlineSeconds ??= 600;
  } else {
    spec.updateStrategy ??= {};
    spec.updateStrategy.type ??= 'RollingUpdate';
    if (spec.updateStrategy.type === 'RollingUpdate') {
      spec.updateStrategy.rollingUpdate ??= {};
      spec.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
      spec.updateStrategy.rollingUpdate.maxSurge ??= 0;
    }
  }
  spec.revisionHistoryLimit ??= 10;
}

/**
 * The selector rules of pkg/apis/apps/validation (ValidateDeploymentSpec / ValidateDaemonSetSpec): required, not
 * empty, matching the template's labels; immutable on update (apps/v1).
 */
function selectorErrors(kind: string, obj: KubeObject): FieldError[] {
  const sel = obj.spec?.selector;
  if (!sel) return [field.required('spec.selector')];
  if (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length)
    return [field.invalid('spec.selector', sel, `empty selector is invalid for ${kind.toLowerCase()}`)];
  const labels: Record<string, string> = obj.spec?.template?.metadata?.labels ?? {};
  const wanted: Record<string, string> = sel.matchLabels ?? {};
  if (!Object.entries(wanted).every(([k, v]) => labels[k] === v))
    return [field.invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`')];
  return [];
}

for (const kind of ['Deployment', 'DaemonSet'] as const)
  registerKind('apps', kind, {
    builtin: true,
    defaults: (o) => defaults(kind, o),
    validate: (o) => selectorErrors(kind, o),
    validateUpdate: (o, old) =>
      JSON.stringify(o.spec?.selector) === JSON.stringify(old.spec?.selector)
        ? []
        : [field.invalid('spec.selector', o.spec?.selector, 'field is immutable')],
    recheckOnUpdate: true,
  });

// ---------------------------------------------------------------- controllers

interface Pod {
  /** ms epoch at which it is ready; Infinity = never (stalled). */
  readyAt: number;
  node?: string;
}

interface ReplicaSet {
  name: string;
  hash: string;
  revision: number;
  replicas: number;
  pods: Pod[];
}

export interface AppsOptions {
  /** Controller resync period (default 100 ms). */
  stepMs?: number;
  /** How long a new pod takes to become ready (default 200 ms). */
  podReadyMs?: number;
  /** New pods never become ready. */
  stalled?: boolean;
}

/** pod-template-hash: FNV-32a of the template, rendered with rand.SafeEncodeString (the hashed text differs from upstream's spew dump). */
function templateHash(template: unknown): string {
  const text = JSON.stringify(template ?? {});
  let h = 0x811c9dc5;
  for (const b of Buffer.from(text, 'utf8')) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  const alphanums = 'bcdfghjklmnpqrstvwxz2456789';
  return [...String(h)].map((c) => alphanums[c.charCodeAt(0) % alphanums.length]).join('');
}

/** intstr.GetScaledValueFromIntOrPercent. */
function scaled(v: unknown, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(String(v ?? '0'));
  if (!m) return Number(v) || 0;
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

const isReady = (p: Pod, t: number): boolean => p.readyAt <= t;

export class AppsControllers {
  private readonly rs = new Map<string, ReplicaSet[]>();
  private readonly dsPods = new Map<string, Map<string, Pod & { hash: string }>>();
  private timer: NodeJS.Timeout | undefined;
  private stalled: boolean;
  readonly stepMs: number;
  readonly podReadyMs: number;

  constructor(
    private readonly api: Api,
    private readonly store: Store,
    private readonly registry: Registry,
    options: AppsOptions = {},
  ) {
    this.stepMs = options.stepMs ?? 100;
    this.podReadyMs = options.podReadyMs ?? 200;
    this.stalled = options.stalled ?? false;
  }

  /** From now on new pods never become ready (true) or become ready again after `podReadyMs` (false). */
  stall(on: boolean): void {
    this.stalled = on;
    if (!on) {
      const t = Date.now() + this.podReadyMs;
      for (const sets of this.rs.values()) for (const r of sets) for (const p of r.pods) if (p.readyAt === Infinity) p.readyAt = t;
      for (const pods of this.dsPods.values()) for (const p of pods.values()) if (p.readyAt === Infinity) p.readyAt = t;
    }
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.reconcileAll(), this.stepMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private type(kind: string): ResourceType | undefined {
    return this.registry.byKind(kind === 'Node' ? '' : 'apps', kind);
  }

  /** One pass over every Deployment and DaemonSet (what the periodic resync does; exposed for tests). */
  reconcileAll(): void {
    const t = Date.now();
    for (const kind of ['Deployment', 'DaemonSet'] as const) {
      const type = this.type(kind);
      if (!type) continue;
      for (const [key, obj] of [...this.store.iterate(type)]) {
        try {
          if (kind === 'Deployment') this.deployment(type, key, obj, t);
          else this.daemonSet(type, key, obj, t);
        } catch (e) {
          // A write raced with a client (409) or the object went away: the next pass starts from what is there.
          if (!(e instanceof ApiError)) throw e;
        }
      }
    }
  }

  private newPod(t: number, node?: string): Pod {
    return { readyAt: this.stalled ? Infinity : t + this.podReadyMs, ...(node ? { node } : {}) };
  }

  private writeStatus(type: ResourceType, obj: KubeObject, status: KubeObject): void {
    if (JSON.stringify(obj.status ?? {}) === JSON.stringify(status)) return;
    this.api.update(
      type,
      obj.metadata.namespace,
      obj.metadata.name,
      { ...obj, status },
      {
        subresource: 'status',
        fieldManager: 'kube-controller-manager',
      },
    );
  }

  /**
   * The deployment controller's rolling update (pkg/controller/deployment/rolling.go reconcileNewReplicaSet /
   * reconcileOldReplicaSets, recreate.go), status (sync.go calculateStatus) and Progressing condition
   * (progress.go syncRolloutStatus), one step per pass.
   */
  private deployment(type: ResourceType, key: string, d: KubeObject, t: number): void {
    if (d.metadata.deletionTimestamp) {
      this.rs.delete(key);
      return;
    }
    const spec = d.spec ?? {};
    const replicas: number = spec.replicas ?? 1;
    const sets = this.rs.get(key) ?? [];
    this.rs.set(key, sets);
    const hash = templateHash(spec.template);
    const name = `${d.metadata.name}-${hash}`;
    let created = false;
    let newRS = sets.find((r) => r.hash === hash);
    const maxRevision = Math.max(0, ...sets.map((r) => r.revision));
    if (!newRS) {
      newRS = { name, hash, revision: maxRevision + 1, replicas: 0, pods: [] };
      sets.push(newRS);
      created = true;
    } else if (newRS.revision !== maxRevision) newRS.revision = maxRevision + 1; // a rollback to an old template
    const olds = sets.filter((r) => r !== newRS);
    const rolling = spec.strategy?.type !== 'Recreate';
    const maxSurge = rolling ? scaled(spec.strategy?.rollingUpdate?.maxSurge, replicas, true) : 0;
    let maxUnavailable = rolling ? scaled(spec.strategy?.rollingUpdate?.maxUnavailable, replicas, false) : replicas;
    if (rolling && maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
    const available = (r: ReplicaSet) => r.pods.filter((p) => isReady(p, t)).length;

    if (!spec.paused) {
      if (rolling) {
        const total = sets.reduce((n, r) => n + r.replicas, 0);
        if (newRS.replicas < replicas) newRS.replicas += Math.max(0, Math.min(replicas + maxSurge - total, replicas - newRS.replicas));
        else if (newRS.replicas > replicas) newRS.replicas = replicas;
        const allPods = sets.reduce((n, r) => n + r.replicas, 0);
        const newUnavailable = newRS.replicas - available(newRS);
        let budget = allPods - (replicas - maxUnavailable) - newUnavailable;
        for (const r of olds) {
          if (budget <= 0) break;
          const unhealthy = Math.min(budget, r.replicas - available(r));
          r.replicas -= unhealthy;
          budget -= unhealthy;
        }
        for (const r of olds) {
          if (budget <= 0) break;
          const down = Math.min(budget, r.replicas);
          r.replicas -= down;
          budget -= down;
        }
      } else {
        for (const r of olds) r.replicas = 0;
        if (olds.every((r) => r.pods.length === 0)) newRS.replicas = replicas;
      }
    }
    for (const r of sets) {
      while (r.pods.length < r.replicas) r.pods.push(this.newPod(t));
      if (r.pods.length > r.replicas) {
        r.pods.sort((a, b) => Number(isReady(a, t)) - Number(isReady(b, t)));
        r.pods.splice(0, r.pods.length - r.replicas);
      }
    }
    // Keep the revision history (revisionHistoryLimit) of scaled-down sets.
    const limit: number = spec.revisionHistoryLimit ?? 10;
    const empty = olds.filter((r) => r.replicas === 0 && r.pods.length === 0).sort((a, b) => a.revision - b.revision);
    for (const r of empty.slice(0, Math.max(0, empty.length - limit))) sets.splice(sets.indexOf(r), 1);

    const revision = String(newRS.revision);
    if (d.metadata.annotations?.['deployment.kubernetes.io/revision'] !== revision) {
      d = this.api.update(
        type,
        d.metadata.namespace,
        d.metadata.name,
        { ...d, metadata: { ...d.metadata, annotations: { ...d.metadata.annotations, 'deployment.kubernetes.io/revision': revision } } },
        { fieldManager: 'kube-controller-manager' },
      );
    }

    const count = (f: (p: Pod) => boolean, rs: ReplicaSet[] = sets) => rs.reduce((n, r) => n + r.pods.filter(f).length, 0);
    const availableReplicas = count((p) => isReady(p, t));
    const totalReplicas = sets.reduce((n, r) => n + r.replicas, 0);
    const status: KubeObject = {
      observedGeneration: d.metadata.generation,
      replicas: count(() => true),
      updatedReplicas: count(() => true, [newRS]),
      readyReplicas: availableReplicas,
      availableReplicas,
      unavailableReplicas: Math.max(0, totalReplicas - availableReplicas),
    };
    for (const k of Object.keys(status)) if (status[k] === 0) delete status[k];
    const old: KubeObject = d.status ?? {};
    let conditions: KubeObject[] = [...(old.conditions ?? [])];
    const set = (c: KubeObject) => {
      const cur = conditions.find((x) => x.type === c.type);
      if (cur && cur.status === c.status && cur.reason === c.reason) return;
      const next = { ...c, lastUpdateTime: now(), lastTransitionTime: cur && cur.status === c.status ? cur.lastTransitionTime : now() };
      conditions = [...conditions.filter((x) => x.type !== c.type), next];
    };
    if (created) set({ type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', message: `Created new replica set "${name}"` });
    if (availableReplicas >= replicas - maxUnavailable)
      set({ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' });
    else
      set({
        type: 'Available',
        status: 'False',
        reason: 'MinimumReplicasUnavailable',
        message: 'Deployment does not have minimum availability.',
      });
    const progressing = (old.conditions ?? []).find((c: KubeObject) => c.type === 'Progressing');
    const n = (o: KubeObject, k: string): number => Number(o[k] ?? 0);
    const complete =
      n(status, 'updatedReplicas') === replicas &&
      n(status, 'replicas') === replicas &&
      n(status, 'availableReplicas') === replicas &&
      n(status, 'observedGeneration') >= (d.metadata.generation ?? 0);
    const isComplete = n(status, 'replicas') === n(status, 'updatedReplicas') && progressing?.reason === 'NewReplicaSetAvailable';
    if (spec.progressDeadlineSeconds !== undefined && !isComplete) {
      const progressed =
        n(status, 'updatedReplicas') > n(old, 'updatedReplicas') ||
        n(status, 'replicas') - n(status, 'updatedReplicas') < n(old, 'replicas') - n(old, 'updatedReplicas') ||
        n(status, 'readyReplicas') > n(old, 'readyReplicas') ||
        n(status, 'availableReplicas') > n(old, 'availableReplicas');
      if (complete)
        set({
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${name}" has successfully progressed.`,
        });
      // A set created in this pass has shown no progress yet (its pods are counted from the next pass on).
      else if (progressed && !created) {
        const since = progressing?.status === 'True' ? progressing.lastTransitionTime : now();
        conditions = [
          ...conditions.filter((c) => c.type !== 'Progressing'),
          {
            type: 'Progressing',
            status: 'True',
            lastUpdateTime: now(),
            lastTransitionTime: since,
            reason: 'ReplicaSetUpdated',
            message: `ReplicaSet "${name}" is progressing.`,
          },
        ];
      } else if (
        progressing &&
        progressing.reason !== 'NewReplicaSetAvailable' &&
        Date.parse(progressing.lastUpdateTime) + spec.progressDeadlineSeconds * 1000 < t
      )
        set({
          type: 'Progressing',
          status: 'False',
          reason: 'ProgressDeadlineExceeded',
          message: `ReplicaSet "${name}" has timed out progressing.`,
        });
    }
    status.conditions = conditions;
    this.writeStatus(type, d, status);
  }

  /** The daemon-set controller: one pod per matching Node, rolling update within maxUnavailable (pkg/controller/daemon/update.go). */
  private daemonSet(type: ResourceType, key: string, ds: KubeObject, t: number): void {
    if (ds.metadata.deletionTimestamp) {
      this.dsPods.delete(key);
      return;
    }
    const spec = ds.spec ?? {};
    const nodeType = this.type('Node');
    const selector: Record<string, string> = spec.template?.spec?.nodeSelector ?? {};
    const nodes = nodeType
      ? [...this.store.iterate(nodeType)]
          .map(([, n]) => n)
          .filter((n) => Object.entries(selector).every(([k, v]) => (n.metadata.labels ?? {})[k] === v))
          .map((n) => String(n.metadata.name))
      : [];
    const hash = templateHash(spec.template);
    const pods = this.dsPods.get(key) ?? new Map<string, Pod & { hash: string }>();
    this.dsPods.set(key, pods);
    for (const node of [...pods.keys()]) if (!nodes.includes(node)) pods.delete(node);
    for (const node of nodes) if (!pods.has(node)) pods.set(node, { ...this.newPod(t, node), hash });
    if (spec.updateStrategy?.type !== 'OnDelete') {
      const maxUnavailable = Math.max(1, scaled(spec.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1, nodes.length, true));
      let unavailable = [...pods.values()].filter((p) => !isReady(p, t)).length;
      for (const [node, p] of pods) {
        if (p.hash === hash) continue;
        if (unavailable >= maxUnavailable) break;
        if (isReady(p, t)) unavailable++;
        pods.set(node, { ...this.newPod(t, node), hash });
      }
    }
    const all = [...pods.values()];
    const ready = all.filter((p) => isReady(p, t)).length;
    const status: KubeObject = {
      currentNumberScheduled: all.length,
      desiredNumberScheduled: nodes.length,
      numberMisscheduled: 0,
      numberReady: ready,
      observedGeneration: ds.metadata.generation,
      updatedNumberScheduled: all.filter((p) => p.hash === hash).length,
      numberAvailable: ready,
      numberUnavailable: nodes.length - ready,
    };
    for (const k of ['updatedNumberScheduled', 'numberAvailable', 'numberUnavailable']) if (status[k] === 0) delete status[k];
    this.writeStatus(type, ds, status);
  }
}

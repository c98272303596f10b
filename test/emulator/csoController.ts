// A model of what the cluster-stack operator (CSO, SovereignCloudStack/cluster-stack-operator@b3680fb) visibly
// does in a management cluster, for the emulator. It is not the operator: there is no release download,
// no Helm, no provider plugin. What it reproduces is what a user (and this extension) sees:
//
// - For every `spec.versions` entry of a ClusterStack (when `noProvider: true` or a `providerRef` is set) a
//   ClusterStackRelease `<provider>-<name>-<maj>-<min>-<version, dashes>` appears in the same namespace, owned
//   by the ClusterStack (internal/controller/clusterstack_controller.go `getOrCreateClusterStackRelease`).
// - Its status moves through the phases the ClusterStack summary shows (internal/clusterstackrelease/util.go
//   `Summary`): "downloading release assets" (ClusterStackReleaseDownloaded False, ReleaseAssetsNotDownloadedYet)
//   → "applying objects" (downloaded, ProviderClusterStackReleaseReady True) → "done" (Ready True,
//   `status.ready`, `status.kubernetesVersion`, `status.resources`), one step every `stepMs`.
// - On "done" the ClusterClass `<provider>-<name>-<maj>-<min>-<version, dot>` exists in the namespace, labelled
//   `clusterstack.x-k8s.io/instance: owned`. Its spec is the fixture ClusterClass of the same series (scs, scs2)
//   renamed, so workers and variables are realistic; other stacks get a minimal class with `default-worker`.
// - The ClusterStack status carries `summary[]`, `usableVersions`, `latestRelease "<release> | <k8s version>"`
//   and the conditions Ready / ClusterStackReleasesSynced / ClusterStackReleaseAvailable, as in the fixture
//   scs2-clusterstack-v1-ready-v2-downloading-derived.yaml.
// - A version removed from the spec, or the ClusterStack deleted, removes its releases and classes
//   (CSO deletes releases that are neither in the spec nor in use; owner references garbage-collect).
//
// It drives the emulator through its programmatic object API (`put`/`get`/`list`/`delete` of
// test/emulator/index.ts, which emit watch events like any write), by periodic resync like the
// ClusterResourceSet model: `start()` reconciles every `stepMs`, `reconcileOnce()` runs one pass. Each pass
// moves every unfinished release one phase on, so a release is ready after three passes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { expectedReleases } from '../../src/core/stacks/clusterStack';

type KubeObject = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The part of the emulator's API the model uses (the `Emulator` class has it). */
export interface ObjectStore {
  put(obj: KubeObject): unknown;
  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject | undefined;
  list(apiVersion: string, kind: string, namespace?: string): KubeObject[];
  delete(apiVersion: string, kind: string, namespace: string | undefined, name: string): unknown;
}

const CSO_API = 'clusterstack.x-k8s.io/v1alpha1';
const CC_API = 'cluster.x-k8s.io/v1beta1';
const INSTANCE_LABEL = 'clusterstack.x-k8s.io/instance';

/** Patch versions of the SCS releases seen in the fixtures and the cluster-stacks repo (csctl.yaml, README). */
const DEFAULT_PATCH: Record<string, string> = { '1.29': 'v1.29.6', '1.32': 'v1.32.5', '1.33': 'v1.33.4', '1.34': 'v1.34.7' };

export interface CsoModelOptions {
  /** Time between two phases of a release. Default 200 ms. */
  stepMs?: number;
  /** `1.33` → `v1.33.4`; default: the SCS releases above, else `v<minor>.0`. */
  kubernetesVersionOf?: (minor: string) => string;
  /** Where the fixture ClusterClasses are; default test/fixtures/clusterclass. */
  fixturesDir?: string;
}

type Phase = 'downloading' | 'applying' | 'done';

const now = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

function condition(conditions: KubeObject[] | undefined, type: string): KubeObject | undefined {
  return (conditions ?? []).find((c) => c.type === type);
}

/** The phase a release's status shows (internal/clusterstackrelease/util.go `Summary`); undefined = no status yet. */
function phaseOf(csr: KubeObject): Phase | undefined {
  const cs = csr.status?.conditions as KubeObject[] | undefined;
  if (csr.status?.ready === true || condition(cs, 'Ready')?.status === 'True') return 'done';
  if (condition(cs, 'ProviderClusterStackReleaseReady')?.status === 'True') return 'applying';
  if (condition(cs, 'ClusterStackReleaseDownloaded')) return 'downloading';
  return undefined;
}

export class CsoModel {
  private timer: NodeJS.Timeout | undefined;
  private readonly stepMs: number;

  constructor(
    private readonly store: ObjectStore,
    private readonly opts: CsoModelOptions = {},
  ) {
    this.stepMs = opts.stepMs ?? 200;
  }

  /** Reconciles every `stepMs` until `stop()`. */
  start(): this {
    this.stop();
    const tick = (): void => {
      try {
        this.reconcileOnce();
      } catch {
        // An object changed under us (or the emulator stopped): the next pass starts from what is there.
      }
      this.timer = setTimeout(tick, this.stepMs);
    };
    this.timer = setTimeout(tick, 0);
    return this;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One pass over every namespace: create missing releases, move each one phase on, update stack status, clean up. */
  reconcileOnce(): void {
    const stacks = this.store.list(CSO_API, 'ClusterStack');
    const wantedByNs = new Map<string, Set<string>>();
    for (const cs of stacks) {
      const ns: string = cs.metadata.namespace;
      const wanted = wantedByNs.get(ns) ?? new Set<string>();
      wantedByNs.set(ns, wanted);
      if (cs.metadata.deletionTimestamp) continue;
      const spec = cs.spec ?? {};
      if (spec.noProvider !== true && !spec.providerRef) continue; // the webhook refuses these
      for (const r of expectedReleases(spec)) {
        wanted.add(r.clusterStackRelease);
        const csr = this.store.get(CSO_API, 'ClusterStackRelease', ns, r.clusterStackRelease);
        if (!csr) this.writeRelease(cs, r.clusterStackRelease, r.clusterClass, 'downloading');
        else {
          const phase = phaseOf(csr);
          if (phase !== 'done')
            this.writeRelease(
              cs,
              r.clusterStackRelease,
              r.clusterClass,
              phase === 'downloading' ? 'applying' : phase === 'applying' ? 'done' : 'downloading',
              csr,
            );
        }
      }
      this.writeStackStatus(cs);
    }
    // releases whose ClusterStack is gone or no longer lists the version, with their ClusterClasses
    for (const csr of this.store.list(CSO_API, 'ClusterStackRelease')) {
      const ns: string = csr.metadata.namespace;
      if (wantedByNs.get(ns)?.has(csr.metadata.name)) continue;
      if (!(csr.metadata.ownerReferences ?? []).some((o: KubeObject) => o.kind === 'ClusterStack')) continue;
      for (const cc of this.store.list(CC_API, 'ClusterClass', ns)) {
        if ((cc.metadata.ownerReferences ?? []).some((o: KubeObject) => o.kind === 'ClusterStackRelease' && o.name === csr.metadata.name)) {
          this.store.delete(CC_API, 'ClusterClass', ns, cc.metadata.name);
        }
      }
      this.store.delete(CSO_API, 'ClusterStackRelease', ns, csr.metadata.name);
    }
  }

  private writeRelease(cs: KubeObject, release: string, className: string, phase: Phase, existing?: KubeObject): void {
    const ns: string = cs.metadata.namespace;
    const t = now();
    const cond = (type: string, ok: boolean, reason?: string, message?: string): KubeObject =>
      ok
        ? { type, status: 'True', lastTransitionTime: t }
        : { type, status: 'False', severity: 'Info', reason, message, lastTransitionTime: t };
    const base: KubeObject = existing ?? {
      apiVersion: CSO_API,
      kind: 'ClusterStackRelease',
      metadata: {
        name: release,
        namespace: ns,
        labels: { [INSTANCE_LABEL]: 'owned' },
        ownerReferences: [{ apiVersion: CSO_API, kind: 'ClusterStack', name: cs.metadata.name, uid: cs.metadata.uid }],
      },
      spec: cs.spec?.providerRef ? { providerRef: { ...cs.spec.providerRef, name: release, namespace: ns } } : {},
    };
    let status: KubeObject;
    if (phase === 'downloading') {
      status = {
        conditions: [
          cond('Ready', false, 'ReleaseAssetsNotDownloadedYet', 'assets not downloaded yet'),
          cond('ClusterStackReleaseDownloaded', false, 'ReleaseAssetsNotDownloadedYet', 'assets not downloaded yet'),
        ],
      };
    } else if (phase === 'applying') {
      status = {
        conditions: [
          cond('Ready', false, 'ApplyingObjects', 'applying objects'),
          cond('ClusterStackReleaseDownloaded', true),
          cond('ProviderClusterStackReleaseReady', true),
        ],
      };
    } else {
      const kubernetesVersion = (this.opts.kubernetesVersionOf ?? defaultKubernetesVersion)(minorOf(release));
      this.ensureClusterClass(ns, className, base);
      status = {
        conditions: [
          cond('Ready', true),
          cond('ClusterStackReleaseDownloaded', true),
          cond('HelmChartApplied', true),
          cond('ProviderClusterStackReleaseReady', true),
        ],
        kubernetesVersion,
        ready: true,
        resources: [
          { group: 'cluster.x-k8s.io', kind: 'ClusterClass', name: className, namespace: ns, status: 'synced', version: 'v1beta1' },
        ],
      };
    }
    this.store.put({ ...base, status });
  }

  private ensureClusterClass(namespace: string, className: string, owner: KubeObject): void {
    if (this.store.get(CC_API, 'ClusterClass', namespace, className)) return;
    const owning = this.store.get(CSO_API, 'ClusterStackRelease', namespace, owner.metadata.name);
    const cc = this.classTemplate(className);
    cc.metadata = {
      name: className,
      namespace,
      labels: { [INSTANCE_LABEL]: 'owned' },
      ownerReferences: [
        { apiVersion: CSO_API, kind: 'ClusterStackRelease', name: owner.metadata.name, uid: owning?.metadata.uid ?? owner.metadata.uid },
      ],
    };
    this.store.put(cc);
  }

  /** The fixture ClusterClass of the same series with every name renamed, or a minimal one. */
  private classTemplate(className: string): KubeObject {
    const dir = this.opts.fixturesDir ?? path.resolve(__dirname, '../fixtures/clusterclass');
    const series = className.split('-').slice(0, 2).join('-');
    const file = fs.existsSync(dir)
      ? fs.readdirSync(dir).find((f) => f.startsWith(`${series}-`) && /^[a-z]+-[a-z0-9]+-\d+-\d+-v\d+-/.test(f))
      : undefined;
    if (file) {
      const doc = loadYaml(fs.readFileSync(path.join(dir, file), 'utf8')) as KubeObject;
      const fixtureName: string = doc.metadata.name;
      return JSON.parse(JSON.stringify(doc).split(fixtureName).join(className)) as KubeObject;
    }
    const ref = (apiVersion: string, kind: string, suffix: string): KubeObject => ({ apiVersion, kind, name: `${className}-${suffix}` });
    return {
      apiVersion: CC_API,
      kind: 'ClusterClass',
      spec: {
        controlPlane: { ref: ref('controlplane.cluster.x-k8s.io/v1beta1', 'KubeadmControlPlaneTemplate', 'control-plane') },
        infrastructure: { ref: ref('infrastructure.cluster.x-k8s.io/v1beta1', 'DockerClusterTemplate', 'cluster') },
        workers: {
          machineDeployments: [
            {
              class: 'default-worker',
              template: {
                bootstrap: { ref: ref('bootstrap.cluster.x-k8s.io/v1beta1', 'KubeadmConfigTemplate', 'default-worker') },
                infrastructure: { ref: ref('infrastructure.cluster.x-k8s.io/v1beta1', 'DockerMachineTemplate', 'default-worker') },
              },
            },
          ],
        },
      },
    };
  }

  private writeStackStatus(cs: KubeObject): void {
    const ns: string = cs.metadata.namespace;
    const summary: KubeObject[] = [];
    const usable: string[] = [];
    let latest: string | undefined;
    for (const r of expectedReleases(cs.spec ?? {})) {
      const csr = this.store.get(CSO_API, 'ClusterStackRelease', ns, r.clusterStackRelease);
      if (!csr) continue;
      const phase = phaseOf(csr);
      if (phase === 'done') {
        summary.push({ name: r.version, phase: 'done', ready: true });
        usable.push(r.version);
        latest = `${r.clusterStackRelease} | ${csr.status.kubernetesVersion}`;
      } else {
        const reason = condition(csr.status?.conditions, 'Ready')?.reason;
        summary.push({
          name: r.version,
          phase: phase === 'applying' ? 'applying objects' : 'downloading release assets',
          ready: false,
          ...(reason ? { message: reason } : {}),
        });
      }
    }
    const old = cs.status?.conditions as KubeObject[] | undefined;
    const since = (type: string): string =>
      (condition(old, type)?.status === 'True' ? condition(old, type)?.lastTransitionTime : undefined) ?? now();
    const conditions: KubeObject[] = [{ type: 'Ready', status: 'True', lastTransitionTime: since('Ready') }];
    if (latest)
      conditions.push({ type: 'ClusterStackReleaseAvailable', status: 'True', lastTransitionTime: since('ClusterStackReleaseAvailable') });
    conditions.push({ type: 'ClusterStackReleasesSynced', status: 'True', lastTransitionTime: since('ClusterStackReleasesSynced') });
    const status: KubeObject = { conditions, summary };
    if (latest) status.latestRelease = latest;
    if (usable.length) status.usableVersions = usable.join(', ');
    if (JSON.stringify(status) === JSON.stringify(cs.status)) return;
    this.store.put({ ...cs, status });
  }
}

function minorOf(release: string): string {
  const parts = release.split('-');
  return `${parts[2]}.${parts[3]}`;
}

function defaultKubernetesVersion(minor: string): string {
  return DEFAULT_PATCH[minor] ?? `v${minor}.0`;
}

/** Starts the model on an emulator (`startEmulator(...)`); stop it before stopping the emulator. */
export function startCsoModel(store: ObjectStore, opts?: CsoModelOptions): CsoModel {
  return new CsoModel(store, opts).start();
}

// A model of the cluster-stack operator (SovereignCloudStack/cluster-stack-operator@b3680fb), written from
//   internal/controller/clusterstack_controller.go          (CS)
//   internal/controller/clusterstackrelease_controller.go   (CSR)
//   internal/clusterstackrelease/util.go                    (U, the summary)
//   pkg/clusterstack/, pkg/version/ (names, versions and their order), pkg/kube/kube.go (Apply)
// and CAPI v1.8.1's v1beta1 conditions (conditions.ts), importing nothing from src/. It talks to the
// management emulator over HTTPS. What it does not have is the outside world: release assets are not
// downloaded from GitHub/OCI but made from the fixture ClusterClass of the same series (renamed, like the
// scs2 chart's `{{ .Release.Name }}-{{ .Chart.Version }}`), the assets repository of autoSubscribe is the
// `remoteReleases` option, and the provider object (OpenStackClusterStackRelease, reconciled by the
// OpenStack provider CSPO, not mirrored here) becomes `status.ready` after `providerReadyAfter` passes.
//
// Behaviour, with its source:
// - ClusterStackReleases `<provider>-<name>-<maj>-<min>-<version dash form>` for every spec version
//   (CS:587), owned (not controller-owned) by the ClusterStack (CS:243, CS:664); with a provider, the provider
//   object `<kind minus Template>` named like the release, spec from the template's `spec.template`, labels and
//   annotations of the ClusterStack, no owner (CS:280, CS:370); its ClusterStackRelease gets `spec.providerRef`.
// - Releases are kept when in the spec, in use by a Cluster's class, or equal to the latest (autoSubscribe)
//   or latest ready name; the others are deleted (CS:460 makeDiff). The latest ready is compared in its dot
//   form with the dash-form names, so like upstream it never keeps a release by itself.
// - ClusterStack status: `summary[]` per kept release, name = Version.String() (dash form), phase and message
//   from the release's conditions (U:27); `latestRelease` = the dot form of the highest sorted ready release
//   + ` | ` + its Kubernetes version, and ClusterStackReleaseAvailable once there is one (CS:228); it is not
//   cleared when none is ready any more; `usableVersions` = dot forms of the ready releases (CS:601);
//   ClusterStackReleasesSynced, ProviderClusterStackReleasesSynced (with a provider), AssetsClientAPIAvailable and
//   ReleasesSynced (autoSubscribe); Ready = SetSummary of them.
// - ClusterStackRelease (CSR:72): finalizer; first reconcile ClusterStackReleaseDownloaded False
//   ReleaseAssetsNotDownloadedYet (Info) and the download; then Downloaded True, `status.kubernetesVersion`,
//   the provider object gets a controller ownerReference and must be ready (ProviderClusterStackReleaseReady
//   False ProcessOngoing until then), then the objects are applied with server-side apply (field manager
//   `kubectl`, force, label `clusterstack.x-k8s.io/instance: owned`, pkg/kube/kube.go Apply) into
//   `status.resources`; a failed apply is HelmChartApplied False ObjectsApplyingOngoing (Warning) and a
//   retry (CSR:203, 20 s upstream, next pass here); then HelmChartApplied True and `status.ready`.
// - Deleting a release: kept while a Cluster uses its class (CSR:216), else the applied objects are deleted and
//   the finalizer goes. A deleted ClusterStack takes its releases with it through the garbage collector.
// One `reconcileOnce()` reconciles every ClusterStack, every release, the provider objects, and the
// ClusterStacks again (the operator watches release status changes, CS:679).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { csoVersionError, topologyClass } from './admission';
import { falseCondition, isFalse, isTrue, setSummary, setV1Beta1, trueCondition, type V1Beta1Condition } from './conditions';
import { ControllerClient, isNotFound, mergePatchBetween, Resync, type ClusterSource, type Obj } from './controllerClient';

const CSO_API = 'clusterstack.x-k8s.io/v1alpha1';
const CAPI_V1BETA1 = 'cluster.x-k8s.io/v1beta1';
const FINALIZER = 'clusterstackrelease.clusterstack.x-k8s.io';
const OWNED_LABEL = 'clusterstack.x-k8s.io/instance';
/** The operator's binary is `manager` too (cmd/main.go, controller-runtime default user agent). */
const USER_AGENT = 'manager/v0.1.0 (linux/amd64) cluster-stack-operator/b3680fb';

/** Patch versions of the SCS releases seen in the fixtures and the cluster-stacks repo (csctl.yaml, README). */
const DEFAULT_PATCH: Record<string, string> = { '1.29': 'v1.29.6', '1.32': 'v1.32.5', '1.33': 'v1.33.4', '1.34': 'v1.34.7' };

export interface CsoModelOptions {
  /** Resync period of `start()`. Default 200 ms. */
  stepMs?: number;
  /** The Kubernetes version of a release's metadata.yaml; default: the SCS patch versions above, else `v<minor>.0`. */
  kubernetesVersionOf?: (release: string) => string;
  /** Where the fixture ClusterClasses (the stand-in release assets) are; default test/fixtures/clusterclass. */
  fixturesDir?: string;
  /** How many applies of each release fail before one succeeds (the retrying ObjectsApplyingOngoing state). */
  applyFailures?: number;
  /** Release tags the assets repository lists (autoSubscribe picks the latest matching one). */
  remoteReleases?: string[];
  /** The assets client cannot be created (e.g. no GitHub token): AssetsClientAPIAvailable False with this message. */
  assetsClientError?: string;
  /** Passes until a provider object reports `status.ready` (the provider's controller). Default 1. */
  providerReadyAfter?: number;
}

interface Version {
  major: number;
  channel: string;
  patch: string;
}

/** version.ParseVersionString (dash form `v1`, `v1-custom-abc`). */
function parseDash(v: string): Version | undefined {
  if (!/^v\d+(-\b\w+\b-\w+)?$/.test(v)) return undefined;
  const p = v.split('-');
  return { major: Number(p[0].slice(1)), channel: p.length === 3 ? p[1] : 'stable', patch: p.length === 3 ? p[2] : '' };
}

/** version.New (dot form `v1`, `v1-custom.abc`). */
function parseDot(v: string): Version | undefined {
  if (csoVersionError(v)) return undefined;
  const p = v.split('-');
  if (p.length === 1) return { major: Number(p[0].slice(1)), channel: 'stable', patch: '' };
  const [channel, patch] = p[1].split('.');
  return { major: Number(p[0].slice(1)), channel, patch };
}

const dash = (v: Version): string => (v.channel === 'stable' ? `v${v.major}` : `v${v.major}-${v.channel}-${v.patch}`);
const dot = (v: Version): string => (v.channel === 'stable' ? `v${v.major}` : `v${v.major}-${v.channel}.${v.patch}`);

/** Version.Compare: same channel only; major, then patch as strings. */
function compare(a: Version, b: Version): number | undefined {
  if (a.channel !== b.channel) return undefined;
  if (a.major !== b.major) return a.major > b.major ? 1 : -1;
  return a.patch === b.patch ? 0 : a.patch > b.patch ? 1 : -1;
}

interface ReleaseName {
  prefix: string; // provider-name-maj-min
  version: Version;
}

/** NewFromClusterStackReleaseProperties: 5 or 7 dash-separated parts. */
function parseRelease(name: string): ReleaseName | undefined {
  const p = name.split('-');
  if ((p.length !== 5 && p.length !== 7) || !p[0] || !p[1] || !/^\d+$/.test(p[2]) || !/^\d+$/.test(p[3])) return undefined;
  const version = parseDash(p.slice(4).join('-'));
  return version ? { prefix: p.slice(0, 4).join('-'), version } : undefined;
}

const withDot = (r: ReleaseName): string => `${r.prefix}-${dot(r.version)}`;

/** The highest by Version (sort.Sort over ClusterStacks.Less, CS:539), or undefined for none. */
function latestOf(releases: ReleaseName[]): ReleaseName | undefined {
  const sorted = [...releases].sort((a, b) =>
    (compare(a.version, b.version) ?? 0) === -1 ? -1 : (compare(b.version, a.version) ?? 0) === -1 ? 1 : 0,
  );
  return sorted[sorted.length - 1];
}

export class CsoModel {
  private readonly client: ControllerClient;
  private readonly stepMs: number;
  /** Releases whose assets are "in the release directory" (downloaded). */
  private readonly downloaded = new Set<string>();
  private readonly applyAttempts = new Map<string, number>();
  private readonly providerPasses = new Map<string, number>();
  private readonly resync = new Resync(
    () => this.reconcileOnce(),
    (e) => this.errors.push(e.message),
  );
  /** Errors of reconciles (what the operator logs), for assertions. */
  readonly errors: string[] = [];

  constructor(
    source: ClusterSource,
    private readonly opts: CsoModelOptions = {},
  ) {
    this.client = new ControllerClient(source, { userAgent: USER_AGENT });
    this.stepMs = opts.stepMs ?? 200;
  }

  /** Reconciles every `stepMs` until `stop()`. */
  start(): this {
    this.resync.start(this.stepMs);
    return this;
  }

  async stop(): Promise<void> {
    await this.resync.stop();
    this.client.close();
  }

  async reconcileOnce(): Promise<void> {
    const each = async (kind: string, f: (o: Obj) => Promise<void>) => {
      for (const o of await this.client.list(CSO_API, kind)) {
        try {
          await f(o);
        } catch (e) {
          this.errors.push(`${kind} ${o.metadata.namespace}/${o.metadata.name}: ${(e as Error).message}`);
        }
      }
    };
    await each('ClusterStack', (o) => this.reconcileStack(o));
    await each('ClusterStackRelease', (o) => this.reconcileRelease(o));
    await this.reconcileProviders();
    await each('ClusterStack', (o) => this.reconcileStack(o));
  }

  // ------------------------------------------------------------------ ClusterStack

  private async reconcileStack(cs: Obj): Promise<void> {
    const ns: string = cs.metadata.namespace;
    const spec = cs.spec ?? {};
    const status: Obj = structuredClone(cs.status ?? {});
    let conditions: V1Beta1Condition[] = status.conditions ?? [];
    const finish = async () => {
      status.conditions = setSummary(conditions);
      await this.writeStatus(cs, status);
    };
    if (cs.metadata.deletionTimestamp) return finish();

    const existing = (await this.client.list(CSO_API, 'ClusterStackRelease', ns)).filter((r) =>
      (r.metadata.ownerReferences ?? []).some(
        (o: Obj) =>
          String(o.apiVersion).split('/')[0] === 'clusterstack.x-k8s.io' && o.kind === 'ClusterStack' && o.name === cs.metadata.name,
      ),
    );
    const ready = existing.filter((r) => r.status?.ready === true);
    const k8sByDot = new Map<string, string>();
    const readyNames: ReleaseName[] = [];
    for (const r of ready) {
      const parsed = parseRelease(r.metadata.name);
      if (!parsed)
        throw new Error(
          `failed to get latest ready ClusterStackRelease: failed to get clusterstack from ClusterStackRelease.Name "${r.metadata.name}"`,
        );
      readyNames.push(parsed);
      k8sByDot.set(withDot(parsed), String(r.status?.kubernetesVersion ?? ''));
    }
    const latestReadyName = latestOf(readyNames);
    const latestReady = latestReadyName ? withDot(latestReadyName) : undefined;

    let latest: string | undefined;
    if (spec.autoSubscribe === true) {
      conditions = this.assetsClient(conditions);
      if (!isTrue(conditions, 'AssetsClientAPIAvailable')) return finish();
      const matching = (this.opts.remoteReleases ?? [])
        .map((r) => ({ r, p: parseRelease(r) }))
        .filter(
          (x) =>
            x.p &&
            x.p.version.channel === (spec.channel ?? 'stable') &&
            x.p.prefix === `${spec.provider}-${spec.name}-${String(spec.kubernetesVersion ?? '').replace('.', '-')}`,
        )
        .map((x) => x.p as ReleaseName);
      const l = latestOf(matching);
      latest = l ? `${l.prefix}-${dash(l.version)}` : undefined;
      conditions = setV1Beta1(conditions, trueCondition('ReleasesSynced'));
    }

    const inUse = new Set((await this.client.list(CAPI_V1BETA1, 'Cluster', ns)).map(topologyClass).filter(Boolean));
    const inSpec: string[] = [];
    for (const v of (spec.versions ?? []) as string[]) {
      const parsed = parseDot(String(v));
      const k8s = String(spec.kubernetesVersion ?? '').split('.');
      if (!parsed || k8s.length !== 2 || !spec.provider || !spec.name)
        throw new Error(
          `failed to get ClusterStackReleases from clusterstack.spec.versions: failed to create new cluster stack object from spec: invalid version ${v}`,
        );
      inSpec.push(`${spec.provider}-${spec.name}-${Number(k8s[0])}-${Number(k8s[1])}-${dash(parsed)}`);
    }
    const toCreate: string[] = [];
    for (const r of existing) {
      const name: string = r.metadata.name;
      const keep =
        (latest !== undefined && name === latest) ||
        (latestReady !== undefined && name === latestReady) ||
        inSpec.includes(name) ||
        inUse.has(name);
      if (keep) toCreate.push(name);
      else if (!r.metadata.deletionTimestamp) await this.client.delete(CSO_API, 'ClusterStackRelease', ns, name);
    }
    if (latest && !toCreate.includes(latest)) toCreate.push(latest);
    for (const s of inSpec) if (!toCreate.includes(s)) toCreate.push(s);

    const summary: Obj[] = [];
    for (const name of toCreate) {
      const csr = existing.find((r) => r.metadata.name === name) ?? { metadata: { name } };
      summary.push(summaryOf(csr));
      let providerRef: Obj | undefined;
      if (spec.noProvider !== true) {
        try {
          providerRef = await this.providerObject(cs, name);
        } catch (e) {
          conditions = setV1Beta1(
            conditions,
            isNotFound(e)
              ? falseCondition(
                  'ProviderClusterStackReleasesSynced',
                  'ProviderTemplateNotFound',
                  'Error',
                  'provider template could not be found - check provider reference of cluster stack',
                )
              : falseCondition('ProviderClusterStackReleasesSynced', 'FailedToCreateOrUpdate', 'Warning', (e as Error).message),
          );
          await finish();
          throw e;
        }
      }
      if (!existing.some((r) => r.metadata.name === name)) {
        await this.client.create({
          apiVersion: CSO_API,
          kind: 'ClusterStackRelease',
          metadata: {
            name,
            namespace: ns,
            ownerReferences: [{ apiVersion: cs.apiVersion, kind: cs.kind, name: cs.metadata.name, uid: cs.metadata.uid }],
          },
          spec: providerRef ? { providerRef } : {},
        });
      }
    }
    conditions = setV1Beta1(conditions, trueCondition('ClusterStackReleasesSynced'));
    if (spec.noProvider !== true) conditions = setV1Beta1(conditions, trueCondition('ProviderClusterStackReleasesSynced'));
    if (summary.length) status.summary = summary;
    else delete status.summary;
    status.latestRelease ??= '';
    if (latestReady) {
      status.latestRelease = `${latestReady} | ${k8sByDot.get(latestReady) ?? ''}`;
      conditions = setV1Beta1(conditions, trueCondition('ClusterStackReleaseAvailable'));
    }
    const usable = readyNames.map((r) => dot(r.version));
    if (usable.length) status.usableVersions = usable.join(', ');
    else delete status.usableVersions;
    await finish();
  }

  /** CS:280 createOrUpdateProviderClusterStackRelease: the provider object from the template; its reference. */
  private async providerObject(cs: Obj, name: string): Promise<Obj> {
    const ns: string = cs.metadata.namespace;
    const ref = cs.spec.providerRef as Obj | undefined;
    // CAPI v1.8.1 controllers/external/util.go Get with a nil reference.
    if (!ref) throw new Error('ProviderClusterStackReleaseTemplate "" for kind "" not found: cannot get object - object reference not set');
    const template = await this.client.get(ref.apiVersion, ref.kind, ns, ref.name);
    if (!template)
      throw Object.assign(new Error(`ProviderClusterStackReleaseTemplate "${ref.name}" for kind "${ref.kind}" not found`), {
        code: 404,
        reason: 'NotFound',
      });
    const kind = String(template.kind).replace(/Template$/, '');
    const existing = await this.client.get(template.apiVersion, kind, ns, name);
    const desired: Obj = structuredClone(template.spec?.template ?? {});
    const to: Obj = existing ? structuredClone(existing) : { ...desired, metadata: { ...(desired.metadata ?? {}), name, namespace: ns } };
    if (existing && JSON.stringify(existing.spec) !== JSON.stringify(desired.spec)) to.spec = desired.spec;
    to.metadata.annotations = { ...(to.metadata.annotations ?? {}), ...(cs.metadata.annotations ?? {}) };
    to.metadata.labels = { ...(to.metadata.labels ?? {}), ...(cs.metadata.labels ?? {}) };
    to.apiVersion ??= template.apiVersion;
    to.kind ??= kind;
    if (!existing) await this.client.create(to);
    else if (JSON.stringify(existing) !== JSON.stringify(to)) await this.client.update(to);
    // external.GetObjectReference(to): the uid only when the object existed before this reconcile.
    return { apiVersion: to.apiVersion, kind: to.kind, name, namespace: ns, ...(existing ? { uid: existing.metadata.uid } : {}) };
  }

  // ------------------------------------------------------------------ ClusterStackRelease

  private async reconcileRelease(csr: Obj): Promise<void> {
    const name: string = csr.metadata.name;
    const ns: string = csr.metadata.namespace;
    const status: Obj = structuredClone(csr.status ?? {});
    let conditions: V1Beta1Condition[] = status.conditions ?? [];
    let finalizers: string[] = [...(csr.metadata.finalizers ?? [])];
    const deleting = !!csr.metadata.deletionTimestamp;
    if (!deleting && !finalizers.includes(FINALIZER)) finalizers.push(FINALIZER);
    const finish = async () => {
      conditions = setSummary(conditions);
      status.conditions = conditions;
      if (deleting && isFalse(conditions, 'ClusterStackReleaseDownloaded')) finalizers = finalizers.filter((f) => f !== FINALIZER);
      if (JSON.stringify(finalizers) !== JSON.stringify(csr.metadata.finalizers ?? [])) {
        csr = await this.client.mergePatch(csr, { metadata: { finalizers } });
        if (deleting && !finalizers.length) return; // the last finalizer went: the object is gone
      }
      await this.writeStatus(csr, status);
    };
    if (!this.downloaded.has(name)) {
      conditions = setV1Beta1(
        conditions,
        falseCondition('ClusterStackReleaseDownloaded', 'ReleaseAssetsNotDownloadedYet', 'Info', 'assets not downloaded yet'),
      );
      conditions = this.assetsClient(conditions);
      if (!isTrue(conditions, 'AssetsClientAPIAvailable')) return finish();
      this.downloaded.add(name);
      return finish();
    }
    conditions = setV1Beta1(conditions, trueCondition('ClusterStackReleaseDownloaded'));
    if (deleting) {
      const used = (await this.client.list(CAPI_V1BETA1, 'Cluster', ns)).some((c) => topologyClass(c) === name);
      if (!used) {
        for (const r of (status.resources ?? []) as Obj[]) {
          try {
            await this.client.delete(r.group ? `${r.group}/${r.version}` : r.version, r.kind, r.namespace, r.name);
          } catch (e) {
            if (!isNotFound(e)) throw e;
          }
        }
        finalizers = finalizers.filter((f) => f !== FINALIZER);
      }
      return finish();
    }
    status.kubernetesVersion = (this.opts.kubernetesVersionOf ?? defaultKubernetesVersion)(name);
    if (csr.spec?.providerRef) {
      const ref = csr.spec.providerRef as Obj;
      const provider = await this.client.get(ref.apiVersion, ref.kind, ns, ref.name);
      if (!provider) {
        await finish();
        throw new Error('failed to update ProviderClusterStackRelease: failed to get ProviderClusterStackRelease object');
      }
      // controllerutil.SetControllerReference, then the patch helper (CSR:268-274).
      const owner = {
        apiVersion: CSO_API,
        kind: 'ClusterStackRelease',
        name,
        uid: csr.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      };
      const others = ((provider.metadata.ownerReferences ?? []) as Obj[]).filter((o) => !(o.kind === owner.kind && o.name === owner.name));
      if (!(provider.metadata.ownerReferences ?? []).some((o: Obj) => o.uid === owner.uid && o.controller === true))
        await this.client.mergePatch(provider, { metadata: { ownerReferences: [...others, owner] } });
      if (provider.status?.ready !== true) {
        conditions = setV1Beta1(
          conditions,
          falseCondition('ProviderClusterStackReleaseReady', 'ProcessOngoing', 'Info', 'providerClusterStackRelease not ready yet'),
        );
        return finish();
      }
    }
    conditions = setV1Beta1(conditions, trueCondition('ProviderClusterStackReleaseReady'));
    if (isTrue(conditions, 'HelmChartApplied')) return finish();
    const { resources, requeue } = await this.apply(name, ns, status.resources ?? []);
    status.resources = resources;
    if (requeue) {
      conditions = setV1Beta1(
        conditions,
        falseCondition('HelmChartApplied', 'ObjectsApplyingOngoing', 'Warning', 'failed to successfully apply everything'),
      );
      return finish();
    }
    conditions = setV1Beta1(conditions, trueCondition('HelmChartApplied'));
    status.ready = true;
    return finish();
  }

  /** Both controllers create an assets client first (CS:117, CSR:127); without one: AssetsClientAPIAvailable False. */
  private assetsClient(conditions: V1Beta1Condition[]): V1Beta1Condition[] {
    return setV1Beta1(
      conditions,
      this.opts.assetsClientError
        ? falseCondition('AssetsClientAPIAvailable', 'FailedCreateAssetsClient', 'Error', this.opts.assetsClientError)
        : trueCondition('AssetsClientAPIAvailable'),
    );
  }

  /** pkg/kube/kube.go Apply: server-side apply of each object not synced yet, as `kubectl` with force. */
  private async apply(release: string, namespace: string, old: Obj[]): Promise<{ resources: Obj[]; requeue: boolean }> {
    const attempt = (this.applyAttempts.get(release) ?? 0) + 1;
    this.applyAttempts.set(release, attempt);
    const inject = attempt <= (this.opts.applyFailures ?? 0);
    const resources: Obj[] = [];
    let requeue = false;
    for (const obj of this.assets(release, namespace)) {
      const [group, version] = String(obj.apiVersion).includes('/') ? String(obj.apiVersion).split('/') : ['', String(obj.apiVersion)];
      const before = old.find((r) => r.name === obj.metadata.name && r.namespace === obj.metadata.namespace);
      if (before?.status === 'synced') {
        resources.push(before);
        continue;
      }
      const r: Obj = { group, version, kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name };
      try {
        // A webhook of the management cluster not answering yet is the usual reason for a retry in the field.
        if (inject)
          throw new Error(
            `Internal error occurred: failed calling webhook "validation.clusterclass.cluster.x-k8s.io": failed to call webhook: Post "https://capi-webhook-service.capi-system.svc:443/validate-cluster-x-k8s-io-v1beta2-clusterclass?timeout=10s": dial tcp 10.96.0.12:443: connect: connection refused`,
          );
        obj.metadata.labels = { ...(obj.metadata.labels ?? {}), [OWNED_LABEL]: 'owned' };
        await this.client.apply(obj, 'kubectl', true);
        r.status = 'synced';
      } catch (e) {
        r.error = `failed to apply object: ${(e as Error).message}`;
        r.status = 'not-synced';
        requeue = true;
      }
      resources.push(r);
    }
    return { resources, requeue };
  }

  /** The release's ClusterClass: the fixture class of the same series renamed, or a minimal one. */
  private assets(release: string, namespace: string): Obj[] {
    const parsed = parseRelease(release);
    const className = parsed ? withDot(parsed) : release;
    const dir = this.opts.fixturesDir ?? path.resolve(__dirname, '../fixtures/clusterclass');
    const series = className.split('-').slice(0, 2).join('-');
    const file = fs.existsSync(dir)
      ? fs.readdirSync(dir).find((f) => f.startsWith(`${series}-`) && /^[a-z]+-[a-z0-9]+-\d+-\d+-v\d+-/.test(f))
      : undefined;
    let cc: Obj;
    if (file) {
      const doc = loadYaml(fs.readFileSync(path.join(dir, file), 'utf8')) as Obj;
      cc = JSON.parse(JSON.stringify(doc).split(String(doc.metadata.name)).join(className)) as Obj;
    } else {
      const ref = (apiVersion: string, kind: string, suffix: string): Obj => ({ apiVersion, kind, name: `${className}-${suffix}` });
      cc = {
        apiVersion: 'cluster.x-k8s.io/v1beta1',
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
    cc.metadata = { name: className, namespace };
    delete cc.status;
    return [cc];
  }

  /** The provider's controller (CSPO): the provider object becomes ready after `providerReadyAfter` passes. */
  private async reconcileProviders(): Promise<void> {
    let objs: Obj[];
    try {
      objs = await this.client.list('infrastructure.clusterstack.x-k8s.io/v1alpha1', 'OpenStackClusterStackRelease');
    } catch {
      return; // the provider CRDs are not installed
    }
    for (const o of objs) {
      const key = `${o.metadata.namespace}/${o.metadata.name}`;
      const n = (this.providerPasses.get(key) ?? 0) + 1;
      this.providerPasses.set(key, n);
      if (n >= (this.opts.providerReadyAfter ?? 1) && o.status?.ready !== true)
        await this.writeStatus(o, { ...(o.status ?? {}), ready: true });
    }
  }

  private async writeStatus(obj: Obj, status: Obj): Promise<void> {
    if (JSON.stringify(status) === JSON.stringify(obj.status ?? {})) return;
    try {
      await this.client.mergePatch(obj, { status: mergePatchBetween(obj.status ?? {}, status) }, 'status');
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

/** U:27 Summary: done when Ready is True, else the Ready reason as message and the phase from the conditions. */
function summaryOf(csr: Obj): Obj {
  const parsed = parseRelease(csr.metadata.name);
  const c: V1Beta1Condition[] = csr.status?.conditions ?? [];
  const s: Obj = { name: parsed ? dash(parsed.version) : '', ready: false, phase: '' };
  if (isTrue(c, 'Ready')) return { ...s, ready: true, phase: 'done' };
  const ready = c.find((x) => x.type === 'Ready');
  if (ready?.status === 'False' && ready.reason) s.message = ready.reason;
  if (isTrue(c, 'ProviderClusterStackReleaseReady')) s.phase = 'applying objects';
  else if (isTrue(c, 'ClusterStackReleaseDownloaded')) s.phase = 'provider-specific work';
  else if (isFalse(c, 'ClusterStackReleaseDownloaded')) s.phase = 'downloading release assets';
  return s;
}

function defaultKubernetesVersion(release: string): string {
  const p = release.split('-');
  const minor = `${p[2]}.${p[3]}`;
  return DEFAULT_PATCH[minor] ?? `v${minor}.0`;
}

/**
 * The operator's BeforeClusterUpgrade hook (extension/hooks.go:54 DoBeforeClusterUpgrade), for the topology
 * model's `hooks.beforeClusterUpgrade`: the ClusterAddon `cluster-addon-<cluster>` gets `spec.hook:
 * BeforeClusterUpgrade` and loses its HelmChartApplied condition (once per upgrade), and the upgrade waits
 * (retryAfterSeconds 10, no message) until HelmChartApplied is True again; no ClusterAddon is a Failure.
 */
export function beforeClusterUpgradeHook(
  source: ClusterSource,
): (cluster: Obj) => Promise<{ retryAfterSeconds: number; message?: string; failure?: boolean }> {
  const patched = new Set<string>();
  return async (cluster: Obj) => {
    const client = new ControllerClient(source, { userAgent: USER_AGENT });
    try {
      return await hookOnce(client, cluster, patched);
    } finally {
      client.close();
    }
  };
}

async function hookOnce(
  client: ControllerClient,
  cluster: Obj,
  patched: Set<string>,
): Promise<{ retryAfterSeconds: number; message?: string; failure?: boolean }> {
  const ns: string = cluster.metadata.namespace;
  const addon = await client.get(CSO_API, 'ClusterAddon', ns, `cluster-addon-${cluster.metadata.name}`);
  if (!addon)
    return {
      retryAfterSeconds: 0,
      failure: true,
      message: `clusteraddons.clusterstack.x-k8s.io "cluster-addon-${cluster.metadata.name}" not found`,
    };
  // The hook record key is name/namespace/class (hooks.go getHookRecordKey).
  const record = `${cluster.metadata.name}/${ns}/${String(cluster.spec?.topology?.class ?? cluster.spec?.topology?.classRef?.name ?? '')}`;
  let conditions: V1Beta1Condition[] = addon.status?.conditions ?? [];
  if (addon.spec?.hook !== 'BeforeClusterUpgrade' && !patched.has(record)) {
    conditions = conditions.filter((c) => c.type !== 'HelmChartApplied');
    const next = await client.mergePatch(addon, { spec: { hook: 'BeforeClusterUpgrade' } });
    await client.mergePatch(next, { status: { conditions } }, 'status');
    patched.add(record);
  }
  return isTrue(conditions, 'HelmChartApplied') ? { retryAfterSeconds: 0 } : { retryAfterSeconds: 10 };
}

/**
 * Upgrade targets of a topology Cluster along the tenant's cluster stacks: another release of the same
 * stack for the same Kubernetes minor, or a release of the next minor. Each candidate carries its
 * Kubernetes version, the readiness of its ClusterStackRelease, and either the change (class and
 * version together, as the operator requires) or the reasons it would be refused:
 * - the cluster-stack operator's Cluster webhook: provider and stack name fixed, the minor the same or one
 *   higher, `topology.version` equal to the release's `status.kubernetesVersion`
 *   (SovereignCloudStack/cluster-stack-operator@b3680fb api/v1alpha1/cluster_webhook.go:94-141);
 * - Cluster API's Cluster webhook (kubernetes-sigs/cluster-api@ae7ff047 core/webhooks/admission/cluster.go):
 *   no decrease (:437-444), no +2 minor unless the ClusterClass lists `spec.kubernetesVersions` or has an
 *   upgrade-plan extension (:390-400, :446-459), the version one of the class's `kubernetesVersions`
 *   when listed (:925-940), no version change while `AfterClusterUpgrade` is pending (:462-469) or the
 *   control plane or MachineDeployments still run a previous upgrade (:471-496, :498-588), and a class
 *   change only between compatible classes (:406-425, internal/topology/check/compatibility.go:166-202).
 */
import { clusterStackState, releaseState, type Readiness } from '../capi/stacks';
import { field, stringField, type KubeObject } from '../capi/types';
import { expectedReleases } from '../stacks/clusterStack';
import {
  clusterClassName,
  isParsed,
  parseClusterClassName,
  parseClusterStackReleaseName,
  releaseNameOfClass,
  type ClusterStackId,
} from '../stacks/names';
import { tenantFactsOf, topologyClass } from '../stacks/topology';
import { makeChange, isV1beta2, PatchBuilder, type ClusterChange } from './change';
import { compareKubeVersions, compareStackVersions, parseKubeVersion, sameKubeVersion, type KubeVersion } from './versions';

export type UpgradeKind = 'patch-release' | 'next-minor' | 'skip-minor' | 'older' | 'incomparable';

export type RefusalCode =
  | 'no-class'
  | 'class-deleting'
  | 'no-release'
  | 'release-not-ready'
  | 'no-kubernetes-version'
  | 'downgrade'
  | 'older-release'
  | 'other-channel'
  | 'minor-skip'
  | 'not-in-class-versions'
  | 'hook-pending'
  | 'upgrade-in-progress'
  | 'incompatible-class'
  | 'topology-rules';

export interface Refusal {
  readonly code: RefusalCode;
  readonly message: string;
  /** Who refuses: `cluster-stack-operator`, `cluster-api`, or `cluster-stacks` (this tool, for facts it lacks). */
  readonly by: 'cluster-stack-operator' | 'cluster-api' | 'cluster-stacks';
}

export interface UpgradeTarget {
  readonly className: string;
  readonly releaseName: string;
  /** `v2`, `v0-sha.abc1234` */
  readonly stackVersion: string;
  /** `1.34` */
  readonly kubernetesMinor: string;
  /** The release's `status.kubernetesVersion`, when known. */
  readonly kubernetesVersion?: string;
  readonly kind: UpgradeKind;
  readonly release: { readonly readiness: Readiness | 'missing'; readonly reason: string };
  readonly allowed: boolean;
  readonly refusals: readonly Refusal[];
  /** The control-plane versions Cluster API will step through (one entry unless the class lists a chained path). */
  readonly upgradePlan?: readonly string[];
  /** The change to send, when allowed. */
  readonly change?: ClusterChange;
}

export interface UpgradeInputs {
  readonly cluster: KubeObject;
  /** The tenant's objects; only those in the ClusterClass namespace count. */
  readonly clusterStacks: readonly KubeObject[];
  readonly releases: readonly KubeObject[];
  readonly clusterClasses: readonly KubeObject[];
  /** The Cluster's control plane object (e.g. KubeadmControlPlane), when listed. */
  readonly controlPlane?: KubeObject;
  /** The Cluster's MachineDeployments, when listed. */
  readonly machineDeployments?: readonly KubeObject[];
}

export interface UpgradeOptions {
  readonly className?: string;
  readonly kubernetesVersion?: string;
  readonly targets: readonly UpgradeTarget[];
  /** Why no target can be computed (not a topology Cluster, class not from a cluster stack, ...). */
  readonly error?: string;
}

const PENDING_HOOKS_ANNOTATION = 'runtime.cluster.x-k8s.io/pending-hooks';

function stackVersionText(id: ClusterStackId): string {
  const v = id.version;
  return v.channel === 'stable' ? `v${v.major}` : `v${v.major}-${v.channel}.${v.patch}`;
}

function templateRef(cc: KubeObject | undefined, part: 'infrastructure' | 'controlPlane'): { group: string; kind: string } | undefined {
  const ref = field(cc, 'spec', part, 'templateRef') ?? field(cc, 'spec', part, 'ref');
  const kind = stringField(ref, 'kind');
  const apiVersion = stringField(ref, 'apiVersion');
  if (!kind || !apiVersion) return undefined;
  return { group: apiVersion.includes('/') ? apiVersion.split('/')[0] : '', kind };
}

/** `ClusterClassTemplateAreCompatible` for the infrastructure and control plane templates. */
function incompatibilities(current: KubeObject | undefined, target: KubeObject | undefined): string[] {
  const out: string[] = [];
  for (const part of ['infrastructure', 'controlPlane'] as const) {
    const a = templateRef(current, part);
    const b = templateRef(target, part);
    if (!a || !b) continue;
    if (a.group !== b.group)
      out.push(`spec.${part}: group of apiVersion cannot be changed from "${a.group}" to "${b.group}" to prevent incompatible changes`);
    if (a.kind !== b.kind) out.push(`spec.${part}: kind cannot be changed from "${a.kind}" to "${b.kind}" to prevent incompatible changes`);
  }
  return out;
}

/**
 * `GetUpgradePlanFromClusterClassVersions` (exp/topology/desiredstate/upgrade_plan.go:360-431): the listed
 * versions after the current one up to the desired one, keeping the last per minor.
 */
export function upgradePlanFromClassVersions(classVersions: readonly string[], desired: string, current: string): string[] | undefined {
  const want = parseKubeVersion(desired);
  const cur = parseKubeVersion(current);
  if (!want || !cur) return undefined;
  if (sameKubeVersion(want, cur)) return [];
  const plan: string[] = [];
  for (const v of classVersions) {
    const sv = parseKubeVersion(v);
    if (!sv) return undefined;
    if (compareKubeVersions(sv, cur) <= 0) continue;
    if (compareKubeVersions(sv, want, { withBuildTags: true }) === 1) break;
    plan.push(v);
    if (sameKubeVersion(sv, want)) break;
  }
  if (!plan.length) return plan;
  const simplified: string[] = [];
  let minor = cur.minor;
  if (minor === want.minor) simplified.push(plan[0]);
  for (const v of plan) {
    const sv = parseKubeVersion(v) as KubeVersion;
    if (sv.minor > minor) simplified.push(v);
    if (sv.minor === minor && simplified.length) simplified[simplified.length - 1] = v;
    minor = sv.minor;
  }
  return simplified;
}

/** Why Cluster API would refuse to change the version now (hook pending, previous upgrade not finished). */
function versionChangeBlockers(inputs: UpgradeInputs, oldVersion: string): Refusal[] {
  const out: Refusal[] = [];
  const pending = (inputs.cluster.metadata?.annotations?.[PENDING_HOOKS_ANNOTATION] ?? '').split(',').map((s) => s.trim());
  if (pending.includes('AfterClusterUpgrade'))
    out.push({
      code: 'hook-pending',
      by: 'cluster-api',
      message: 'version cannot be changed when the "AfterClusterUpgrade" hook is still blocking',
    });
  const cp = inputs.controlPlane;
  if (cp) {
    const spec = stringField(cp, 'spec', 'version');
    const status = stringField(cp, 'status', 'version');
    const specV = spec ? parseKubeVersion(spec) : undefined;
    const statusV = status ? parseKubeVersion(status) : undefined;
    const oldV = parseKubeVersion(oldVersion);
    if (specV && oldV && !sameKubeVersion(specV, oldV))
      out.push({
        code: 'upgrade-in-progress',
        by: 'cluster-api',
        message: `Cluster.spec.topology.version ${oldVersion} was not propagated to control plane yet (control plane version ${spec})`,
      });
    else if (!statusV)
      out.push({
        code: 'upgrade-in-progress',
        by: 'cluster-api',
        message: 'version cannot be changed: control plane is currently provisioning',
      });
    else if (specV && compareKubeVersions(specV, statusV, { withBuildTags: true }) >= 1)
      out.push({
        code: 'upgrade-in-progress',
        by: 'cluster-api',
        message: 'version cannot be changed: control plane is still completing a previous upgrade',
      });
  }
  const behind = (inputs.machineDeployments ?? [])
    .filter((md) => {
      const v = stringField(md, 'spec', 'template', 'spec', 'version');
      const pv = v ? parseKubeVersion(v) : undefined;
      const ov = parseKubeVersion(oldVersion);
      return pv && ov && !sameKubeVersion(pv, ov);
    })
    .map((md) => md.metadata?.name ?? '');
  if (behind.length)
    out.push({
      code: 'upgrade-in-progress',
      by: 'cluster-api',
      message: `version cannot be changed: there are still MachineDeployments completing a previous upgrade: [${behind.join(', ')}]`,
    });
  return out;
}

function kindOf(current: ClusterStackId, target: ClusterStackId): UpgradeKind {
  const step = (target.kubernetes.major - current.kubernetes.major) * 1000 + target.kubernetes.minor - current.kubernetes.minor;
  if (step < 0) return 'older';
  if (step === 1) return 'next-minor';
  if (step >= 2) return 'skip-minor';
  const c = compareStackVersions(target.version, current.version);
  if (c === undefined) return 'incomparable';
  return c > 0 ? 'patch-release' : 'older';
}

export function upgradeTargets(inputs: UpgradeInputs): UpgradeOptions {
  const cluster = inputs.cluster;
  const cls = topologyClass(cluster);
  const version = stringField(cluster, 'spec', 'topology', 'version');
  if (field(cluster, 'spec', 'topology') === undefined) return { targets: [], error: 'not a topology Cluster (no spec.topology)' };
  if (!cls.name) return { targets: [], error: 'the Cluster names no ClusterClass' };
  const current = parseClusterClassName(cls.name);
  if (!isParsed(current)) return { className: cls.name, targets: [], error: `${cls.name} is not the ClusterClass of a cluster stack` };
  const curVersion = version ? parseKubeVersion(version) : undefined;
  if (!version || !curVersion) return { className: cls.name, targets: [], error: 'the Cluster has no valid spec.topology.version' };

  const ns =
    stringField(cluster, 'spec', 'topology', 'classRef', 'namespace') ??
    stringField(cluster, 'spec', 'topology', 'classNamespace') ??
    cluster.metadata?.namespace;
  const inNs = <T extends KubeObject>(list: readonly T[]): T[] => list.filter((o) => o.metadata?.namespace === ns);
  const classes = inNs(inputs.clusterClasses);
  const releases = inNs(inputs.releases);
  const stacks = inNs(inputs.clusterStacks).filter(
    (s) => stringField(s, 'spec', 'provider') === current.provider && stringField(s, 'spec', 'name') === current.name,
  );
  const sameStack = (id: ClusterStackId): boolean => id.provider === current.provider && id.name === current.name;

  const candidates = new Set<string>();
  for (const c of classes) {
    const n = c.metadata?.name ?? '';
    const id = parseClusterClassName(n);
    if (isParsed(id) && sameStack(id)) candidates.add(n);
  }
  for (const r of releases) {
    const id = parseClusterStackReleaseName(r.metadata?.name ?? '');
    if (isParsed(id) && sameStack(id)) candidates.add(clusterClassName(id));
  }
  for (const s of stacks) for (const e of expectedReleases(s.spec)) candidates.add(e.clusterClass);
  candidates.delete(cls.name);

  const facts = tenantFactsOf(classes, releases);
  const currentClass = classes.find((c) => c.metadata?.name === cls.name);
  const targets: UpgradeTarget[] = [];
  for (const className of candidates) {
    const id = parseClusterClassName(className);
    if (!isParsed(id)) continue;
    const releaseName = releaseNameOfClass(className);
    const classObj = classes.find((c) => c.metadata?.name === className);
    const releaseObj = releases.find((r) => r.metadata?.name === releaseName);
    const rel = releaseObj ? releaseState(releaseObj) : undefined;
    const stackVersion = stackVersionText(id);
    const fromStack = stacks.map((s) => clusterStackState(s).versions.find((v) => v.version === stackVersion)).find((v) => v !== undefined);
    const release = rel
      ? { readiness: rel.readiness, reason: rel.reason }
      : {
          readiness: 'missing' as const,
          reason: fromStack
            ? `no ClusterStackRelease yet; the ClusterStack reports ${stackVersion}: ${fromStack.phase ?? 'not ready'}`
            : 'no ClusterStackRelease',
        };
    const targetVersionText = rel?.kubernetesVersion;
    const targetVersion = targetVersionText ? parseKubeVersion(targetVersionText) : undefined;
    const kind = kindOf(current, id);
    const refusals: Refusal[] = [];
    const refuse = (code: RefusalCode, by: Refusal['by'], message: string): void => {
      refusals.push({ code, by, message });
    };

    if (!classObj)
      refuse(
        'no-class',
        'cluster-stacks',
        `ClusterClass ${className} does not exist in ${ns} (the operator creates it with a ready release)`,
      );
    else if (classObj.metadata?.deletionTimestamp) refuse('class-deleting', 'cluster-stacks', `ClusterClass ${className} is being deleted`);
    if (!releaseObj) refuse('no-release', 'cluster-stacks', `no ClusterStackRelease ${releaseName} in ${ns}`);
    else if (rel?.readiness !== 'ready')
      refuse('release-not-ready', 'cluster-stacks', `ClusterStackRelease ${releaseName} is not ready: ${rel?.reason}`);
    else if (!targetVersion)
      refuse(
        'no-kubernetes-version',
        'cluster-stacks',
        `ClusterStackRelease ${releaseName} reports no Kubernetes version, so topology.version cannot be set to match it`,
      );

    if (targetVersion && compareKubeVersions(targetVersion, curVersion, { withoutPreReleases: true }) < 0)
      refuse('downgrade', 'cluster-api', `version cannot be decreased from "${version}" to "${targetVersionText}"`);
    if (kind === 'older' && id.kubernetes.minor === current.kubernetes.minor && !refusals.some((r) => r.code === 'downgrade'))
      refuse(
        'older-release',
        'cluster-stacks',
        `${stackVersion} is not newer than the current ${stackVersionText(current)}: not an upgrade`,
      );
    if (kind === 'incomparable')
      refuse(
        'other-channel',
        'cluster-stack-operator',
        `cannot compare versions with different channels ${id.version.channel} and ${current.version.channel}`,
      );

    const minorStep = id.kubernetes.minor - current.kubernetes.minor;
    const classVersions = field(classObj, 'spec', 'kubernetesVersions');
    const listed = Array.isArray(classVersions) ? classVersions.filter((v): v is string => typeof v === 'string') : [];
    const extension = stringField(classObj, 'spec', 'upgrade', 'external', 'generateUpgradePlanExtension');
    const capiAllows = listed.length > 0 || extension !== undefined;
    if (minorStep !== 0 && minorStep !== 1)
      refuse(
        'minor-skip',
        'cluster-stack-operator',
        `kubernetes version must be the same or higher by one. Got ${id.kubernetes.major}-${id.kubernetes.minor}, want ${current.kubernetes.major}-${current.kubernetes.minor} or ${current.kubernetes.major}-${current.kubernetes.minor + 1}` +
          (capiAllows && minorStep > 1
            ? ` (Cluster API alone would allow it: ${className} ${listed.length ? 'lists the chained path in spec.kubernetesVersions' : 'has an upgrade-plan extension'})`
            : ''),
      );
    const ceiling = { major: curVersion.major, minor: curVersion.minor + 2, patch: 0, pre: [], build: [] };
    if (!capiAllows && targetVersion && compareKubeVersions(targetVersion, ceiling, { withoutPreReleases: true }) >= 0)
      refuse('minor-skip', 'cluster-api', `version cannot be increased from "${version}" to "${targetVersionText}"`);
    if (listed.length && targetVersionText && !listed.includes(targetVersionText))
      refuse(
        'not-in-class-versions',
        'cluster-api',
        `spec.topology.version ${targetVersionText}: version must match one of the versions defined in the ClusterClass (${listed.join(', ')})`,
      );
    const changesVersion = targetVersion !== undefined && !sameKubeVersion(targetVersion, curVersion);
    if (changesVersion) refusals.push(...versionChangeBlockers(inputs, version));
    for (const m of incompatibilities(currentClass, classObj)) refuse('incompatible-class', 'cluster-api', m);

    let upgradePlan: string[] | undefined;
    if (changesVersion && targetVersionText)
      upgradePlan = listed.length > 0 ? upgradePlanFromClassVersions(listed, targetVersionText, version) : [targetVersionText];

    let change: ClusterChange | undefined;
    if (!refusals.length && targetVersionText) {
      const classPath = isV1beta2(cluster) ? ['spec', 'topology', 'classRef', 'name'] : ['spec', 'topology', 'class'];
      const versionPath = ['spec', 'topology', 'version'];
      const b = new PatchBuilder(cluster);
      b.test(classPath);
      b.test(versionPath);
      b.set(classPath, className);
      if (changesVersion) b.set(versionPath, targetVersionText);
      const topology = isV1beta2(cluster)
        ? { classRef: { name: className }, version: targetVersionText }
        : { class: className, version: targetVersionText };
      const name = cluster.metadata?.name ?? '';
      change = makeChange(cluster, {
        summary: `Upgrade ${name} from ${cls.name} (Kubernetes ${version}) to ${className} (Kubernetes ${targetVersionText})`,
        effect: changesVersion
          ? `The topology controller rolls the control plane to ${targetVersionText} first${upgradePlan && upgradePlan.length > 1 ? ` (through ${upgradePlan.join(' → ')})` : ''}, then the MachineDeployments; machines are replaced one by one.`
          : `Same Kubernetes version: the topology controller rebases the cluster on ${className}; machines whose templates change are replaced.`,
        ops: b.ops,
        apply: { spec: { topology } },
        facts,
      });
      for (const i of change.issues.filter((x) => x.severity === 'error'))
        refuse('topology-rules', 'cluster-stacks', `${i.code}: ${i.message}`);
      if (change.refused) change = undefined;
    }
    targets.push({
      className,
      releaseName,
      stackVersion,
      kubernetesMinor: `${id.kubernetes.major}.${id.kubernetes.minor}`,
      kubernetesVersion: targetVersionText,
      kind,
      release,
      allowed: refusals.length === 0 && change !== undefined,
      refusals,
      upgradePlan,
      change,
    });
  }
  const order = (t: UpgradeTarget): [number, number, string] => {
    const id = parseClusterClassName(t.className) as ClusterStackId;
    return [id.kubernetes.minor, id.version.major, id.version.patch];
  };
  targets.sort((a, b) => {
    const [am, av, ap] = order(a);
    const [bm, bv, bp] = order(b);
    return am - bm || av - bv || ap.localeCompare(bp);
  });
  return { className: cls.name, kubernetesVersion: version, targets };
}

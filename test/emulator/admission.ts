// Admission: the webhooks that a Cluster API + cluster-stack-operator management cluster runs, re-implemented
// from their source. For every write of the main resource (never for /status: the webhook rules name the
// resources only) the Api calls `mutate` after decoding and scheme defaulting and before its own validation, and
// `validate` after it, as kube-apiserver runs mutating admission before the strategy's validation and validating
// admission after it (kubernetes/apiserver@24a394e5 pkg/endpoints/handlers/create.go:202-203, update.go:169-180;
// pkg/registry/generic/registry/store.go:569-575 BeforeCreate then createValidation, :825-840 for updates); deletes
// get `validate` only (store.go:1127 deleteValidation).
//
// Rejections travel as the API server returns them: controller-runtime turns an error that is an API status
// into the admission response's result (controller-runtime pkg/webhook/admission/validator_custom.go:144-150),
// any other error into 403 Forbidden (response.go Denied / ValidationResponse), and kube-apiserver prefixes
// the message with `admission webhook "<name>" denied the request: ` (kubernetes/apiserver
// pkg/admission/plugin/webhook/errors/statuserror.go ToStatusErr). Field errors are collected by apierrors
// NewInvalid (422, causes with type/message/field; status.ts), with the rejected values rendered by the
// webhook's own apimachinery (pkg/util/validation/field/errors.go ErrorBody): CAPI vendors v0.36.3, which
// renders structs and slices as JSON; the cluster-stack operator vendors v0.30.3, which prints them with %#v
// and a nil pointer as the string "null".
import { field, FieldError, GoText, goQuote } from './fielderrors';
import { Registry, ResourceType } from './resources';
import { ApiError, errors, StatusBody } from './status';
import { KubeObject, Store } from './store';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE';

export interface WebhookOptions {
  /** Cluster API's ClusterResourceSet defaulting/validation webhooks (default on). */
  capi?: boolean;
  /** The cluster-stack operator's ClusterStack and ClusterStackRelease validation webhooks (default on). */
  cso?: boolean;
  /** The cluster-stack operator's Cluster validation webhook (default off: it rejects Clusters without topology). */
  csoCluster?: boolean;
}

const failure = (code: number, reason: string, message: string): StatusBody => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason,
  code,
});

/** ToStatusErr: the webhook's result with the "denied the request" prefix. */
function denied(webhook: string, result: StatusBody): ApiError {
  return new ApiError({ ...result, message: `admission webhook "${webhook}" denied the request: ${result.message}` });
}

/** NewInvalid through a denying webhook. */
const deniedInvalid = (webhook: string, group: string, kind: string, name: string, errs: FieldError[]): ApiError =>
  denied(webhook, errors.invalid(kind, group, name, errs).status);

/** A []string as fmt %#v prints it (apimachinery v0.30 ErrorBody's fallback). */
const goStringSlice = (v: string[]): GoText => new GoText(`[]string{${v.map((x) => goQuote(x)).join(', ')}}`);

// ---------------------------------------------------------------- label selectors (apimachinery helpers.go)

/**
 * metav1.LabelSelectorAsSelector's errors for a selector (k8s.io/apimachinery@v0.36.3 pkg/apis/meta/v1/helpers.go
 * and pkg/labels/selector.go NewRequirement), or undefined when it parses; `empty` when it selects everything.
 * Label key/value syntax is not checked.
 */
function parseSelector(sel: KubeObject | undefined): { error?: string; empty: boolean } {
  const labels = Object.entries((sel?.matchLabels ?? {}) as Record<string, string>);
  const exprs = (sel?.matchExpressions ?? []) as KubeObject[];
  if (labels.length + exprs.length === 0) return { empty: true };
  for (const e of exprs) {
    const values = (e.values ?? []) as string[];
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(e.operator))
      return { error: `"${e.operator}" is not a valid label selector operator`, empty: false };
    if ((e.operator === 'In' || e.operator === 'NotIn') && values.length === 0)
      return { error: `values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty`, empty: false };
    if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && values.length !== 0)
      return {
        error: `values: Invalid value: ${JSON.stringify(values)}: values set must be empty for exists and does not exist`,
        empty: false,
      };
  }
  return { empty: false };
}

/** A LabelSelector as Go's encoding/json writes it (v0.36 ErrorBody): struct order, map keys sorted, HTML escaped. */
function selectorValue(sel: KubeObject | undefined): GoText {
  const out: KubeObject = {};
  const labels = (sel?.matchLabels ?? {}) as Record<string, string>;
  if (Object.keys(labels).length)
    out.matchLabels = Object.fromEntries(
      Object.keys(labels)
        .sort()
        .map((k) => [k, labels[k]]),
    );
  if (sel?.matchExpressions?.length)
    out.matchExpressions = (sel.matchExpressions as KubeObject[]).map((e) => ({
      key: e.key,
      operator: e.operator,
      ...(e.values?.length ? { values: e.values } : {}),
    }));
  return new GoText(JSON.stringify(out).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026'));
}

// ---------------------------------------------------------------- Cluster API: ClusterResourceSet

const CRS_VALIDATION_WEBHOOK = 'validation.clusterresourceset.addons.cluster.x-k8s.io';

/**
 * kubernetes-sigs/cluster-api@ae7ff047 core/webhooks/admission/clusterresourceset.go: Default (:52, a missing
 * strategy becomes ApplyOnce, also on update) and validate (:75: the selector must parse and must not be
 * empty; strategy, once set, and clusterSelector are immutable). Registered for v1beta2 with
 * matchPolicy=Equivalent (:45-46), so v1beta1 requests pass the same code after conversion (same layout).
 */
function defaultClusterResourceSet(obj: KubeObject): void {
  // default.clusterresourceset.addons.cluster.x-k8s.io (mutating; never denies)
  obj.spec ??= {};
  if (!obj.spec.strategy) obj.spec.strategy = 'ApplyOnce';
}

function validateClusterResourceSet(op: Operation, obj: KubeObject, old: KubeObject | undefined): void {
  obj.spec ??= {};
  const errs: FieldError[] = [];
  const sel = obj.spec.clusterSelector as KubeObject | undefined;
  const parsed = parseSelector(sel);
  if (parsed.error) errs.push(field.invalid('spec.clusterSelector', selectorValue(sel), parsed.error));
  else if (parsed.empty) errs.push(field.invalid('spec.clusterSelector', selectorValue(sel), 'selector must not be empty'));
  if (op === 'UPDATE' && old) {
    if (old.spec?.strategy && old.spec.strategy !== obj.spec.strategy)
      errs.push(field.invalid('spec.strategy', String(obj.spec.strategy ?? ''), 'field is immutable'));
    if (selectorValue(old.spec?.clusterSelector).text !== selectorValue(sel).text)
      errs.push(field.invalid('spec.clusterSelector', selectorValue(sel), 'field is immutable'));
  }
  if (errs.length) throw deniedInvalid(CRS_VALIDATION_WEBHOOK, 'addons.cluster.x-k8s.io', 'ClusterResourceSet', obj.metadata.name, errs);
}

// ---------------------------------------------------------------- cluster-stack-operator

/** pkg/version/version.go New (the spec.versions form, `v1` or `v1-<channel>.<patch>`): the error text or undefined. */
export function csoVersionError(v: string): string | undefined {
  if (!/^v\d+(-\b\w+\b\.\w+)?$/.test(v)) return `invalid version string ${v}`;
  const parts = v.split('-');
  if (parts.length === 2) {
    const [channel, patch] = parts[1].split('.');
    if (channel !== 'stable') {
      if (/^-?\d+$/.test(patch) && Number(patch) < 0) return 'patch version should be a non-negative integer';
      if (patch === '') return "patch can't empty";
    }
  }
  return undefined;
}

interface StackProperties {
  provider: string;
  name: string;
  /** Kubernetes major-minor as `1.33` (KubernetesVersion.StringWithDot). */
  k8s: string;
  minor: number;
  channel: string;
  /** Version.String(): `v1`, or `v1-<channel>-<patch>`. */
  version: string;
}

function stackProperties(parts: string[], version: string, versionError: string | undefined): StackProperties | undefined {
  if (!parts[0] || !parts[1] || !/^\d+$/.test(parts[2]) || !/^\d+$/.test(parts[3]) || versionError) return undefined;
  const v = version.split(/[-.]/);
  const channel = v.length === 3 ? v[1] : 'stable';
  return {
    provider: parts[0],
    name: parts[1],
    k8s: `${Number(parts[2])}.${Number(parts[3])}`,
    minor: Number(parts[3]),
    channel,
    version: channel === 'stable' ? v[0] : v.join('-'),
  };
}

/** pkg/clusterstack/clusterstack.go NewFromClusterClassProperties: 5 or 6 parts, version in the dot form. */
export function classProperties(cls: string): StackProperties | undefined {
  const p = cls.split('-');
  if (p.length !== 5 && p.length !== 6) return undefined;
  const version = p.slice(4).join('-');
  return stackProperties(p, version, csoVersionError(version));
}

/** NewFromClusterStackReleaseProperties: 5 or 7 parts, version in the dash form (version.ParseVersionString). */
function releaseProperties(csr: string): StackProperties | undefined {
  const p = csr.split('-');
  if (p.length !== 5 && p.length !== 7) return undefined;
  const version = p.slice(4).join('-');
  return stackProperties(p, version, /^v\d+(-\b\w+\b-\w+)?$/.test(version) ? undefined : `invalid version string ${version}`);
}

/** The class a Cluster uses as the v1beta1 API shows it (`topology.class`; v1beta2 `topology.classRef.name` converts to it). */
export const topologyClass = (c: KubeObject): string => String(c.spec?.topology?.class ?? c.spec?.topology?.classRef?.name ?? '');

const CSK_WEBHOOK = 'validation.clusterstack.clusterstack.x-k8s.io';
const CSR_WEBHOOK = 'validation.clusterstackrelease.clusterstack.x-k8s.io';
const CLUSTER_WEBHOOK = 'validation.cluster.cluster.x-k8s.io';

export class Admission {
  private readonly webhooks: Required<WebhookOptions>;

  constructor(
    private readonly store: Store,
    private readonly registry: Registry,
    webhooks: WebhookOptions = {},
  ) {
    this.webhooks = { capi: webhooks.capi ?? true, cso: webhooks.cso ?? true, csoCluster: webhooks.csoCluster ?? false };
  }

  private isCrs = (t: ResourceType): boolean =>
    this.webhooks.capi && t.group === 'addons.cluster.x-k8s.io' && t.kind === 'ClusterResourceSet';

  /** The mutating webhooks: defaults `obj` in place (none of them denies). */
  mutate(t: ResourceType, obj: KubeObject): void {
    if (this.isCrs(t)) defaultClusterResourceSet(obj);
  }

  /** The validating webhooks: returns, or throws the API server's answer. */
  validate(op: Operation, t: ResourceType, obj: KubeObject | undefined, old: KubeObject | undefined): void {
    if (this.isCrs(t) && obj && op !== 'DELETE') validateClusterResourceSet(op, obj, old);
    if (this.webhooks.cso && t.group === 'clusterstack.x-k8s.io') {
      if (t.kind === 'ClusterStack') this.clusterStack(op, obj, old);
      if (t.kind === 'ClusterStackRelease' && op === 'DELETE' && old) this.clusterStackReleaseDelete(old);
    }
    if (this.webhooks.csoCluster && t.group === 'cluster.x-k8s.io' && t.kind === 'Cluster' && obj && op !== 'DELETE')
      this.cluster(op, obj, old);
  }

  private clustersIn(namespace: string): KubeObject[] {
    const t = this.registry.byKind('cluster.x-k8s.io', 'Cluster');
    return t ? [...this.store.iterate(t, namespace)].map(([, o]) => o) : [];
  }

  /** SovereignCloudStack/cluster-stack-operator@b3680fb api/v1alpha1/clusterstack_webhook.go. */
  private clusterStack(op: Operation, obj: KubeObject | undefined, old: KubeObject | undefined): void {
    const group = 'clusterstack.x-k8s.io';
    if (op === 'CREATE' && obj) {
      // ValidateCreate (:64): every version parses (version.New), a providerRef unless noProvider.
      const spec = obj.spec ?? {};
      const errs: FieldError[] = [];
      for (const v of (spec.versions ?? []) as string[]) {
        const err = csoVersionError(String(v));
        if (err) errs.push(field.invalid('spec.versions', goStringSlice(spec.versions), `invalid version: ${err}`));
      }
      // A nil *ObjectReference: v0.30's ErrorBody turns it into the string "null", which it then quotes.
      if (!spec.providerRef && spec.noProvider !== true)
        errs.push(field.invalid('spec.providerRef', 'null', 'empty provider ref, even though noProvider mode is turned off'));
      if (errs.length) throw deniedInvalid(CSK_WEBHOOK, group, 'ClusterStack', obj.metadata.name, errs);
    } else if (op === 'UPDATE' && obj && old) {
      // ValidateUpdate (:95): only immutability of provider, name, channel and kubernetesVersion.
      const errs: FieldError[] = [];
      for (const f of ['provider', 'name', 'channel', 'kubernetesVersion']) {
        const was = old.spec?.[f] ?? (f === 'channel' ? 'stable' : '');
        const now = obj.spec?.[f] ?? (f === 'channel' ? 'stable' : '');
        if (was !== now) errs.push(field.invalid(`spec.${f}`, String(now), 'field is immutable'));
      }
      if (errs.length) throw deniedInvalid(CSK_WEBHOOK, group, 'ClusterStack', obj.metadata.name, errs);
    } else if (op === 'DELETE' && old) {
      // ValidateDelete (:144) + getClustersUsingClusterStack (:161): Clusters whose class belongs to the stack.
      // A missing channel counts as the CRD default `stable` (clusterstack_types.go kubebuilder:default).
      const spec = old.spec ?? {};
      const users = this.clustersIn(old.metadata.namespace)
        .filter((c) => {
          const p = classProperties(topologyClass(c));
          return (
            p &&
            p.provider === spec.provider &&
            p.channel === (spec.channel ?? 'stable') &&
            p.name === spec.name &&
            p.k8s === spec.kubernetesVersion
          );
        })
        .map((c) => c.metadata.name);
      if (users.length)
        throw denied(
          CSK_WEBHOOK,
          failure(400, 'BadRequest', `can't delete ClusterStack as there are clusters using it: [${JSON.stringify(users.join(', '))}]`),
        );
    }
  }

  /**
   * clusterstackrelease_webhook.go ValidateDelete: a release that a Cluster's class names cannot be deleted. A
   * class that does not parse makes the lookup fail, and then the webhook only warns (the delete goes through).
   */
  private clusterStackReleaseDelete(old: KubeObject): void {
    const csr = releaseProperties(old.metadata.name);
    const users: string[] = [];
    for (const c of this.clustersIn(old.metadata.namespace)) {
      if (!c.spec?.topology) continue;
      const p = classProperties(topologyClass(c));
      if (!p || !csr) return;
      if (p.name === csr.name && p.provider === csr.provider && p.k8s === csr.k8s && p.version === csr.version) users.push(c.metadata.name);
    }
    if (users.length)
      throw denied(
        CSR_WEBHOOK,
        failure(
          400,
          'BadRequest',
          `can't delete ClusterStackRelease as there are clusters using it: [${JSON.stringify(users.join(', '))}]`,
        ),
      );
  }

  /**
   * api/v1alpha1/cluster_webhook.go: a topology with a class is required; the version must be the one in the
   * status of the ClusterStackRelease of the class (when it is found and has one, else the webhook only warns,
   * which this model does not return); on update provider and stack name stay and the Kubernetes minor goes
   * up by at most one. Errors that are not API statuses come back as 403 (controller-runtime Denied).
   */
  private cluster(op: Operation, obj: KubeObject, old: KubeObject | undefined): void {
    const forbid = (message: string) => denied(CLUSTER_WEBHOOK, failure(403, 'Forbidden', message));
    const topo = obj.spec?.topology;
    if (!topo) throw forbid('spec.topology: Invalid value: "null": topology field cannot be empty');
    const cls = topologyClass(obj);
    if (!cls) throw forbid('spec.topology.class: Invalid value: "": class field cannot be empty');
    const t = this.registry.byKind('clusterstack.x-k8s.io', 'ClusterStackRelease');
    // pkg/release/release.go:110 ConvertFromClusterClassToClusterStackFormat: exactly one dot becomes a dash.
    const dots = cls.split('.');
    const csrName = dots.length === 2 ? dots.join('-') : cls;
    const csr = t ? this.store.get(t, obj.metadata.namespace, csrName) : undefined;
    const want = csr?.status?.kubernetesVersion;
    // No release, or one without a version: the webhook returns a warning and allows the request (also on update).
    if (!want) return;
    if (topo.version !== want)
      throw forbid(
        `spec.topology.version: Invalid value: ${JSON.stringify(String(topo.version ?? ''))}: clusterClass ${cls} expects Kubernetes version ${want}, but got ${topo.version ?? ''}`,
      );
    if (op !== 'UPDATE' || !old) return;
    const oldCls = topologyClass(old);
    const a = classProperties(oldCls);
    const b = classProperties(cls);
    if (!a)
      throw forbid(
        `expected a clusterclass of form <provider>-<clusterStackName>-<kubernetesVersion>-<clusterStackVersion> but got ${oldCls}: invalid format`,
      );
    if (!b)
      throw forbid(
        `expected a clusterclass of form <provider>-<clusterStackName>-<kubernetesVersion>-<clusterStackVersion> but got ${cls}: invalid format`,
      );
    const errs: FieldError[] = [];
    const at = 'spec.topology.class';
    if (a.provider !== b.provider)
      errs.push(field.invalid(at, cls, `provider name must not change. Got ${b.provider}, want ${a.provider}`));
    if (a.name !== b.name) errs.push(field.invalid(at, cls, `cluster stack name must not change. Got ${b.name}, want ${a.name}`));
    const d = b.minor - a.minor;
    const got = b.k8s.replace('.', '-');
    if (d !== 0 && d !== 1)
      errs.push(
        field.invalid(
          at,
          cls,
          `kubernetes version must be the same or higher by one. Got ${got}, want ${a.k8s.replace('.', '-')} or 1-${a.minor + 1}`,
        ),
      );
    if (errs.length) throw deniedInvalid(CLUSTER_WEBHOOK, 'cluster.x-k8s.io', 'Cluster', old.metadata.name, errs);
  }
}

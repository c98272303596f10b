// Query parameters decoded and validated the way kube-apiserver does it: url.Values → meta/v1 options by
// the generated conversions, then ValidateXOptions (422 with the options' kind). Sources:
//   A = kubernetes/apimachinery@v0.32.0 (59e9003f)
//     pkg/apis/meta/v1/zz_generated.conversion.go (autoConvert_url_Values_To_v1_ListOptions / CreateOptions /
//       PatchOptions / UpdateOptions / DeleteOptions: which parameter is a bool, an int64 or a string)
//     pkg/runtime/conversion.go:70-103 — a boolean is false only for "0" or "false" in any case; every other value,
//       the empty string included, is true (so `watch=True`, as python3-kubernetes sends it, is a watch);
//       :105-110 — integers go through strconv.ParseInt(s, 10, 64), whose error is the 400's message
//     pkg/runtime/codec.go:152-185 (DecodeParameters returns the conversion error as is)
//     pkg/apis/meta/internalversion/defaults.go:25-37 (SetListOptionsDefaults with WatchList on, as in v1.32)
//     pkg/apis/meta/internalversion/validation/validation.go:28-76 (ValidateListOptions)
//     pkg/apis/meta/v1/validation/validation.go:159-254 (ValidateDelete/Create/Update/PatchOptions)
//   S = kubernetes/apiserver@v0.32.0 (9d863059)
//     pkg/endpoints/handlers/get.go:202-222 (listOpts: decode → 400, validate → 422 ListOptions.meta.k8s.io)
//     pkg/endpoints/handlers/create.go:104-113 (→ 400 / 422 CreateOptions.meta.k8s.io; patch.go and update.go alike)
//     pkg/endpoints/request/requestinfo.go:221-242 (list vs watch when the options do not decode)
//     pkg/features/kube_features.go:436-439 (WatchList beta, on by default in 1.32)
import { field, FieldError, goQuote } from './fielderrors';
import { errors } from './status';
import { validateFieldManager } from './validation';

/** runtime.Convert_Slice_string_To_bool on the first value; absent → false. */
export function parseBool(values: string[]): boolean {
  if (!values.length) return false;
  const v = values[0];
  return !(v === '0' || v.toLowerCase() === 'false');
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(s, 10, 64); the error text becomes a 400 BadRequest. */
export function parseInt64(s: string): number {
  const m = /^[+-]?[0-9]+$/.exec(s);
  if (!m) throw errors.badRequest(`strconv.ParseInt: parsing ${goQuote(s)}: invalid syntax`);
  const n = BigInt(s);
  if (n < INT64_MIN || n > INT64_MAX) throw errors.badRequest(`strconv.ParseInt: parsing ${goQuote(s)}: value out of range`);
  return Number(n);
}

function optionalInt(q: URLSearchParams, name: string): number | undefined {
  const v = q.getAll(name);
  return v.length ? parseInt64(v[0]) : undefined;
}

function optionalBool(q: URLSearchParams, name: string): boolean | undefined {
  const v = q.getAll(name);
  return v.length ? parseBool(v) : undefined;
}

const str = (q: URLSearchParams, name: string): string => q.get(name) ?? '';

function invalidOptions(kind: string, errs: FieldError[]): void {
  if (errs.length) throw errors.invalid(kind, 'meta.k8s.io', '', errs);
}

/** requestinfo.go: a request without a name is a watch when `watch` is true (as the bool conversion reads it). */
export function isWatch(q: URLSearchParams): boolean {
  return parseBool(q.getAll('watch'));
}

export interface ListParams {
  watch: boolean;
  labelSelector?: string;
  fieldSelector?: string;
  allowWatchBookmarks: boolean;
  resourceVersion: string;
  resourceVersionMatch: string;
  timeoutSeconds?: number;
  limit: number;
  continue?: string;
  sendInitialEvents?: boolean;
}

/** ListOptions for list, watch and deletecollection. */
export function listParams(q: URLSearchParams): ListParams {
  const o: ListParams = {
    watch: isWatch(q),
    labelSelector: q.get('labelSelector') || undefined,
    fieldSelector: q.get('fieldSelector') || undefined,
    allowWatchBookmarks: parseBool(q.getAll('allowWatchBookmarks')),
    resourceVersion: str(q, 'resourceVersion'),
    resourceVersionMatch: str(q, 'resourceVersionMatch'),
    timeoutSeconds: optionalInt(q, 'timeoutSeconds'),
    limit: optionalInt(q, 'limit') ?? 0,
    continue: q.get('continue') || undefined,
    sendInitialEvents: optionalBool(q, 'sendInitialEvents'),
  };
  // SetListOptionsDefaults: a watch from "" or "0" is a watch-list (initial events, then the end bookmark).
  if (o.watch && o.sendInitialEvents === undefined && !o.resourceVersionMatch && (o.resourceVersion === '' || o.resourceVersion === '0')) {
    o.sendInitialEvents = true;
    o.resourceVersionMatch = 'NotOlderThan';
  }
  invalidOptions('ListOptions', validateListOptions(o));
  return o;
}

function validateListOptions(o: ListParams): FieldError[] {
  const errs: FieldError[] = [];
  const match = o.resourceVersionMatch;
  if (o.watch) {
    if (o.sendInitialEvents !== undefined && match !== 'NotOlderThan')
      errs.push(field.forbidden('resourceVersionMatch', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
    if (match) {
      if (o.sendInitialEvents === undefined)
        errs.push(
          field.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'),
        );
      if (match !== 'NotOlderThan') errs.push(field.notSupported('resourceVersionMatch', match, ['NotOlderThan']));
      if (o.continue) errs.push(field.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
    }
    return errs;
  }
  if (match) {
    if (!o.resourceVersion)
      errs.push(field.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
    if (o.continue) errs.push(field.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
    if (match !== 'Exact' && match !== 'NotOlderThan')
      errs.push(field.notSupported('resourceVersionMatch', match, ['Exact', 'NotOlderThan', '']));
    if (match === 'Exact' && o.resourceVersion === '0')
      errs.push(field.forbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
  }
  if (o.sendInitialEvents !== undefined) errs.push(field.forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  return errs;
}

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteParams {
  dryRun: boolean;
  fieldManager: string;
  /** The directive after defaulting: "" means Warn (handlers/rest.go fieldValidation). */
  fieldValidation: FieldValidation;
  force?: boolean;
}

function dryRunErrors(values: string[]): FieldError[] {
  return values.every((v) => v === 'All') ? [] : [field.notSupported('dryRun', values, ['All'])];
}

function fieldValidationErrors(v: string): FieldError[] {
  return ['', 'Ignore', 'Strict', 'Warn'].includes(v) ? [] : [field.notSupported('fieldValidation', v, ['', 'Ignore', 'Strict', 'Warn'])];
}

/** CreateOptions / UpdateOptions (`kind` names them in the 422) and PatchOptions for `patchType`. */
export function writeParams(q: URLSearchParams, kind: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions', patchType?: string): WriteParams {
  const dryRun = q.getAll('dryRun');
  const fieldManager = str(q, 'fieldManager');
  const fv = str(q, 'fieldValidation');
  const force = kind === 'PatchOptions' ? optionalBool(q, 'force') : undefined;
  const errs: FieldError[] = [];
  if (kind === 'PatchOptions') {
    if (patchType === 'application/apply-patch+yaml') {
      if (!fieldManager) errs.push(field.required('fieldManager', 'is required for apply patch'));
    } else if (force !== undefined) errs.push(field.forbidden('force', 'may not be specified for non-apply patch'));
  }
  errs.push(...validateFieldManager(fieldManager, 'fieldManager'), ...dryRunErrors(dryRun), ...fieldValidationErrors(fv));
  invalidOptions(kind, errs);
  return { dryRun: dryRun.includes('All'), fieldManager, fieldValidation: (fv || 'Warn') as FieldValidation, force };
}

export interface DeleteParams {
  dryRun: boolean;
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** DeleteOptions from the body when there is one, else from the query (delete.go:105-130). */
export function deleteParams(q: URLSearchParams, body: Record<string, unknown> | undefined): DeleteParams {
  let dryRun: string[];
  let grace: number | undefined;
  let policy: string | undefined;
  let orphan: boolean | undefined;
  let preconditions: DeleteParams['preconditions'];
  if (body) {
    dryRun = Array.isArray(body.dryRun) ? body.dryRun.map(String) : [];
    grace = typeof body.gracePeriodSeconds === 'number' ? body.gracePeriodSeconds : undefined;
    policy = typeof body.propagationPolicy === 'string' ? body.propagationPolicy : undefined;
    orphan = typeof body.orphanDependents === 'boolean' ? body.orphanDependents : undefined;
    preconditions = (body.preconditions ?? undefined) as DeleteParams['preconditions'];
  } else {
    dryRun = q.getAll('dryRun');
    grace = optionalInt(q, 'gracePeriodSeconds');
    policy = q.get('propagationPolicy') ?? undefined;
    orphan = optionalBool(q, 'orphanDependents');
  }
  const errs: FieldError[] = [];
  if (orphan !== undefined && policy !== undefined)
    errs.push(field.invalid('propagationPolicy', policy, 'orphanDependents and deletionPropagation cannot be both set'));
  if (policy !== undefined && !['Foreground', 'Background', 'Orphan'].includes(policy))
    errs.push(field.notSupported('propagationPolicy', policy, ['Foreground', 'Background', 'Orphan', 'nil']));
  errs.push(...dryRunErrors(dryRun));
  invalidOptions('DeleteOptions', errs);
  return { dryRun: dryRun.includes('All'), gracePeriodSeconds: grace, propagationPolicy: policy, preconditions };
}

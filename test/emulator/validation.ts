// Object validation as kube-apiserver's registry strategies run it on create and update: object metadata
// (names per kind, generateName, namespace, labels, annotations, owner references, finalizers,
// managedFields), then the kind's own rules. Kinds register their rules here (`registerKind`); a kind
// without rules gets the CR defaults (DNS-1123 subdomain names, no further checks).
//
// Sources (messages are copied from these so that clients see the same text):
//   A = kubernetes/apimachinery@v0.32.0 (59e9003f)
//     pkg/util/validation/validation.go:32-71 (IsQualifiedName), :155-175 (IsValidLabelValue),
//       :177-229 (IsDNS1123Label/Subdomain), :475-491 (IsConfigMapKey), :495-519 (message helpers)
//     pkg/apis/meta/v1/validation/validation.go:105-124 (labels), :211-231 (field manager), :280-315 (managedFields)
//     pkg/api/validation/objectmeta.go:36-70 (annotations, 256 KiB), :97-124 (owner references, finalizers),
//       :154-194 (ValidateObjectMetaAccessor), :196-214 (ValidateFinalizers), :233-265 (update)
//     pkg/api/validation/generic.go:31-80 (name functions, maskTrailingDash), pkg/api/validation/path/name.go:27-49
//   K = kubernetes/kubernetes@000f2605 pkg/apis/core/validation/validation.go (ValidateSecret, ValidateConfigMap,
//       ValidateServiceAccount, ValidateNamespace, validateKubeFinalizerName; offsets ~296000-325000)
//     kubernetes/kubernetes@036ae507 pkg/apis/rbac/validation/validation.go (roles, bindings, subjects)
//   S = kubernetes/apiserver@v0.32.0 (9d863059) pkg/storage/names/generate.go:40-53 (generateName),
//       pkg/registry/rest/create.go:95-139 (BeforeCreate: strategy, then path-segment names)
//   X = kubernetes/apiextensions-apiserver@v0.32.0 (72154699) pkg/registry/customresource/validator.go:46-104
//       (CR metadata; finalizer warnings)
import { field, FieldError, path } from './fielderrors';
import { KubeObject } from './store';

/** ValidateNameFunc: messages for a name (prefix = it is a generateName that gets a suffix). */
export type NameFn = (name: string, prefix: boolean) => string[];

// ---------------------------------------------------------------- string formats (A validation.go)

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const CONFIG_MAP_KEY_FMT = '[-._a-zA-Z0-9]+';
const anchored = (fmt: string) => new RegExp(`^(?:${fmt})$`);
const DNS1123_LABEL = anchored(DNS1123_LABEL_FMT);
const DNS1123_SUBDOMAIN = anchored(DNS1123_SUBDOMAIN_FMT);
const QUALIFIED_NAME = anchored(QUALIFIED_NAME_FMT);
const LABEL_VALUE = anchored(LABEL_VALUE_FMT);
const CONFIG_MAP_KEY = anchored(CONFIG_MAP_KEY_FMT);
const QUALIFIED_NAME_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** Go measures strings in bytes. */
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

export function maxLenError(n: number): string {
  return `must be no more than ${n} characters`;
}

export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (!examples.length) return `${msg} (regex used for validation is '${fmt}')`;
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

export function isDNS1123Label(v: string): string[] {
  const errs: string[] = [];
  if (bytes(v) > 63) errs.push(maxLenError(63));
  if (!DNS1123_LABEL.test(v)) {
    if (DNS1123_SUBDOMAIN.test(v)) errs.push('must not contain dots');
    else
      errs.push(
        regexError(
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
          DNS1123_LABEL_FMT,
          'my-name',
          '123-abc',
        ),
      );
  }
  return errs;
}

export function isDNS1123Subdomain(v: string): string[] {
  const errs: string[] = [];
  if (bytes(v) > 253) errs.push(maxLenError(253));
  if (!DNS1123_SUBDOMAIN.test(v))
    errs.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        DNS1123_SUBDOMAIN_FMT,
        'example.com',
      ),
    );
  return errs;
}

export function isQualifiedName(v: string): string[] {
  const errs: string[] = [];
  const parts = v.split('/');
  let name: string;
  if (parts.length === 1) name = parts[0];
  else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else errs.push(...isDNS1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [
      `a qualified name ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (bytes(name) > 63) errs.push(`name part ${maxLenError(63)}`);
  if (!QUALIFIED_NAME.test(name))
    errs.push(`name part ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

export function isValidLabelValue(v: string): string[] {
  const errs: string[] = [];
  if (bytes(v) > 63) errs.push(maxLenError(63));
  if (!LABEL_VALUE.test(v))
    errs.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        LABEL_VALUE_FMT,
        'MyValue',
        'my_value',
        '12345',
      ),
    );
  return errs;
}

export function isConfigMapKey(v: string): string[] {
  const errs: string[] = [];
  if (bytes(v) > 253) errs.push(maxLenError(253));
  if (!CONFIG_MAP_KEY.test(v))
    errs.push(
      regexError(
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
        CONFIG_MAP_KEY_FMT,
        'key.name',
        'KEY_NAME',
        'key-name',
      ),
    );
  if (v === '.') errs.push(`must not be '.'`);
  else if (v === '..') errs.push(`must not be '..'`);
  else if (v.startsWith('..')) errs.push(`must not start with '..'`);
  return errs;
}

// ---------------------------------------------------------------- name functions (A generic.go, path/name.go)

/** generic.go:72-80 — replaces the last *two* characters of a trailing-dash prefix by "a", exactly as upstream. */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

export const nameIsDNSSubdomain: NameFn = (name, prefix) => isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
export const nameIsDNSLabel: NameFn = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);

/** path.ValidatePathSegmentName: what the generic registry (and RBAC) require of any name. */
export const pathSegmentName: NameFn = (name, prefix) => {
  if (!prefix) {
    if (name === '.' || name === '..') return [`may not be '${name}'`];
  }
  return ['/', '%'].filter((c) => name.includes(c)).map((c) => `may not contain '${c}'`);
};

/** S generate.go:40-53: up to 58 characters of the base plus 5 from the vowel-free alphabet of util/rand. */
export function generateName(base: string): string {
  const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += ALPHANUMS[Math.floor(Math.random() * ALPHANUMS.length)];
  return `${base.length > 58 ? base.slice(0, 58) : base}${suffix}`;
}

// ---------------------------------------------------------------- object metadata (A objectmeta.go)

const isObject = (v: unknown): v is KubeObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): Record<string, string> => (isObject(v) ? (v as Record<string, string>) : {});

export function validateLabels(labels: unknown, fld: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(strings(labels))) {
    for (const m of isQualifiedName(k)) errs.push(field.invalid(fld, k, m));
    for (const m of isValidLabelValue(String(v))) errs.push(field.invalid(fld, v, m));
  }
  return errs;
}

export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

export function validateAnnotations(annotations: unknown, fld: string): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(strings(annotations))) {
    // objectmeta.go:50-52: the label-key rules, case-insensitively.
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(field.invalid(fld, k, m));
    total += bytes(k) + bytes(String(v));
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(field.tooLong(fld, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

function validateOwnerReferences(refs: unknown, fld: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(refs)) return errs;
  let firstController = '';
  refs.forEach((raw, i) => {
    const r = isObject(raw) ? raw : {};
    const p = path.index(fld, i);
    const apiVersion = String(r.apiVersion ?? '');
    const parts = apiVersion.split('/');
    if (!apiVersion) errs.push(field.required(path.child(p, 'apiVersion'), 'must not be empty'));
    else if (parts.length > 2 || !parts[parts.length - 1])
      errs.push(field.invalid(path.child(p, 'apiVersion'), apiVersion, 'must be <group>/<version> or <version>'));
    if (!r.kind) errs.push(field.required(path.child(p, 'kind'), 'must not be empty'));
    if (!r.name) errs.push(field.required(path.child(p, 'name'), 'must not be empty'));
    if (!r.uid) errs.push(field.required(path.child(p, 'uid'), 'must not be empty'));
    if (apiVersion === 'v1' && r.kind === 'Event') errs.push(field.invalid(p, r, '/v1, Kind=Event is disallowed from being an owner'));
    if (r.controller === true) {
      const current = `${r.kind}/${r.name}`;
      if (firstController)
        errs.push(
          field.invalid(
            fld,
            refs,
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          ),
        );
      else firstController = current;
    }
  });
  return errs;
}

function validateFinalizers(finalizers: unknown, fld: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(finalizers)) return errs;
  for (const f of finalizers) for (const m of isQualifiedName(String(f))) errs.push(field.invalid(fld, f, m));
  if (finalizers.includes('orphan') && finalizers.includes('foregroundDeletion'))
    errs.push(field.invalid(fld, finalizers, 'finalizer orphan and foregroundDeletion cannot be both set'));
  return errs;
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** A validation.go:211-231. */
export function validateFieldManager(manager: string, fld: string): FieldError[] {
  const errs: FieldError[] = [];
  if (bytes(manager) > 128) errs.push(field.tooLong(fld, 128));
  let pos = 0;
  for (const ch of manager) {
    if (!PRINTABLE.test(ch)) {
      const cp = ch.codePointAt(0) as number;
      errs.push(field.invalid(fld, manager, `invalid character U+${cp.toString(16).toUpperCase().padStart(4, '0')} (at position ${pos})`));
    }
    pos += bytes(ch);
  }
  return errs;
}

function validateManagedFields(entries: unknown, fld: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(entries)) return errs;
  entries.forEach((raw, i) => {
    const e = isObject(raw) ? raw : {};
    const p = path.index(fld, i);
    if (!e.operation) errs.push(field.required(path.child(p, 'operation'), 'must not be empty'));
    else if (e.operation !== 'Apply' && e.operation !== 'Update')
      errs.push(field.notSupported(path.child(p, 'operation'), e.operation, ['Apply', 'Update']));
    if (e.fieldsType && e.fieldsType !== 'FieldsV1')
      errs.push(field.invalid(path.child(p, 'fieldsType'), e.fieldsType, 'must be `FieldsV1`'));
    errs.push(...validateFieldManager(String(e.manager ?? ''), path.child(p, 'manager')));
    if (bytes(String(e.subresource ?? '')) > 256) errs.push(field.tooLong(path.child(p, 'subresource'), 256));
  });
  return errs;
}

/** A objectmeta.go:154-194 (ValidateObjectMetaAccessor): metadata of an object being created. */
export function validateObjectMeta(md: KubeObject, namespaced: boolean, nameFn: NameFn, fld = 'metadata'): FieldError[] {
  const errs: FieldError[] = [];
  const generateName = String(md.generateName ?? '');
  if (generateName) for (const m of nameFn(generateName, true)) errs.push(field.invalid(path.child(fld, 'generateName'), generateName, m));
  const name = String(md.name ?? '');
  if (!name) errs.push(field.required(path.child(fld, 'name'), 'name or generateName is required'));
  else for (const m of nameFn(name, false)) errs.push(field.invalid(path.child(fld, 'name'), name, m));
  const ns = String(md.namespace ?? '');
  if (namespaced) {
    if (!ns) errs.push(field.required(path.child(fld, 'namespace')));
    else for (const m of nameIsDNSLabel(ns, false)) errs.push(field.invalid(path.child(fld, 'namespace'), ns, m));
  } else if (ns) errs.push(field.forbidden(path.child(fld, 'namespace'), 'not allowed on this type'));
  errs.push(...metaCommon(md, fld));
  errs.push(...validateFinalizers(md.finalizers, path.child(fld, 'finalizers')));
  errs.push(...validateManagedFields(md.managedFields, path.child(fld, 'managedFields')));
  return errs;
}

function metaCommon(md: KubeObject, fld: string): FieldError[] {
  const errs: FieldError[] = [];
  if (typeof md.generation === 'number' && md.generation < 0)
    errs.push(field.invalid(path.child(fld, 'generation'), md.generation, 'must be greater than or equal to 0'));
  errs.push(...validateLabels(md.labels, path.child(fld, 'labels')));
  errs.push(...validateAnnotations(md.annotations, path.child(fld, 'annotations')));
  errs.push(...validateOwnerReferences(md.ownerReferences, path.child(fld, 'ownerReferences')));
  return errs;
}

/** A objectmeta.go:233-265 (ValidateObjectMetaAccessorUpdate). `resourceVersion` is filled in before for kinds that allow unconditional updates. */
export function validateObjectMetaUpdate(md: KubeObject, old: KubeObject, fld = 'metadata'): FieldError[] {
  const errs: FieldError[] = [];
  if (old.deletionTimestamp) {
    const extra = [...new Set((md.finalizers ?? []) as string[])].filter((f) => !((old.finalizers ?? []) as string[]).includes(f)).sort();
    if (extra.length)
      errs.push(
        field.forbidden(
          path.child(fld, 'finalizers'),
          `no new finalizers can be added if the object is being deleted, found new finalizers []string{${extra.map((f) => JSON.stringify(f)).join(', ')}}`,
        ),
      );
  }
  if ((md.generation ?? 0) < (old.generation ?? 0))
    errs.push(field.invalid(path.child(fld, 'generation'), md.generation ?? 0, 'must not be decremented'));
  if (md.uid !== old.uid) errs.push(field.invalid(path.child(fld, 'uid'), md.uid ?? '', 'field is immutable'));
  errs.push(...metaCommon(md, fld));
  errs.push(...validateManagedFields(md.managedFields, path.child(fld, 'managedFields')));
  return errs;
}

// ---------------------------------------------------------------- per-kind rules

export interface KindRules {
  /** Names (and generateName prefixes) of this kind; default DNS-1123 subdomain. */
  name?: NameFn;
  /** Built-in kinds also require finalizers to be standard or domain-qualified (K validateKubeFinalizerName). */
  builtin?: boolean;
  /** Server-side defaulting before validation (SetDefaults_*). */
  defaults?(obj: KubeObject): void;
  /** The kind's own checks on create; built-in kinds re-run them on update unless `recheckOnUpdate` is false. */
  validate?(obj: KubeObject): FieldError[];
  /** Extra checks comparing with the stored object. */
  validateUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  /** ValidateXUpdate calls ValidateX again (Secret, ConfigMap, ServiceAccount, RBAC); not for Namespace. */
  recheckOnUpdate?: boolean;
}

const registry = new Map<string, KindRules>();

/** Registers the validation of a kind (`group` '' for core). Later registrations replace earlier ones. */
export function registerKind(group: string, kind: string, rules: KindRules): void {
  registry.set(`${group}/${kind}`, rules);
}

export function kindRules(group: string, kind: string): KindRules {
  return registry.get(`${group}/${kind}`) ?? {};
}

const STANDARD_FINALIZERS = ['kubernetes', 'orphan', 'foregroundDeletion'];

function kubeFinalizerNames(md: KubeObject, fld: string): FieldError[] {
  const out: FieldError[] = [];
  ((md.finalizers ?? []) as unknown[]).forEach((f, i) => {
    const s = String(f);
    if (!s.includes('/') && !STANDARD_FINALIZERS.includes(s))
      out.push(field.invalid(path.index(fld, i), s, 'name is neither a standard finalizer name nor is it fully qualified'));
  });
  return out;
}

export interface Verdict {
  errors: FieldError[];
  warnings: string[];
}

const metaOf = (obj: KubeObject): KubeObject => (isObject(obj.metadata) ? obj.metadata : {});

/**
 * strategy.Validate on create, then BeforeCreate's generic path-segment check (S create.go:121-131).
 * `extra` are the schema errors of a CR (the validator appends them after the metadata ones).
 */
export function validateCreate(group: string, kind: string, namespaced: boolean, obj: KubeObject, extra: FieldError[] = []): Verdict {
  const rules = kindRules(group, kind);
  const md = metaOf(obj);
  const errors = validateObjectMeta(md, namespaced, rules.name ?? nameIsDNSSubdomain);
  if (rules.builtin) errors.push(...kubeFinalizerNames(md, 'metadata.finalizers'));
  errors.push(...extra, ...(rules.validate?.(obj) ?? []));
  if (!errors.length) errors.push(...validateObjectMeta(md, namespaced, pathSegmentName));
  return { errors, warnings: rules.builtin ? [] : finalizerWarnings(md.finalizers, []) };
}

/**
 * BeforeUpdate (S update.go:86-160): the common create-style and update checks of the metadata, then
 * the strategy's ValidateUpdate. Causes repeat where upstream's checks overlap (the message dedupes them).
 */
export function validateUpdate(
  group: string,
  kind: string,
  namespaced: boolean,
  obj: KubeObject,
  old: KubeObject,
  extra: FieldError[] = [],
): Verdict {
  const rules = kindRules(group, kind);
  const md = metaOf(obj);
  const oldMd = metaOf(old);
  const errors = [...validateObjectMeta(md, namespaced, pathSegmentName), ...validateObjectMetaUpdate(md, oldMd)];
  errors.push(...validateObjectMetaUpdate(md, oldMd));
  if (rules.builtin) {
    errors.push(...kubeFinalizerNames(md, 'metadata.finalizers'));
    errors.push(...(rules.validateUpdate?.(obj, old) ?? []));
    if (rules.recheckOnUpdate !== false) {
      errors.push(
        ...validateObjectMeta(md, namespaced, rules.name ?? nameIsDNSSubdomain),
        ...kubeFinalizerNames(md, 'metadata.finalizers'),
      );
      errors.push(...(rules.validate?.(obj) ?? []));
    }
  } else {
    errors.push(...extra, ...(rules.validateUpdate?.(obj, old) ?? []), ...(rules.validate?.(obj) ?? []));
  }
  return { errors, warnings: rules.builtin ? [] : finalizerWarnings(md.finalizers, oldMd.finalizers ?? []) };
}

/** X validator.go:82-101: CRs may use any qualified finalizer name, but unqualified ones draw a warning. */
function finalizerWarnings(finalizers: unknown, old: unknown[]): string[] {
  const out: string[] = [];
  const added = [...new Set(((Array.isArray(finalizers) ? finalizers : []) as unknown[]).map(String))]
    .filter((f) => !old.includes(f))
    .sort();
  for (const f of added) {
    for (const m of isQualifiedName(f)) out.push(`metadata.finalizers: ${JSON.stringify(f)}: ${m}`);
    if (!f.includes('/') && !STANDARD_FINALIZERS.includes(f)) {
      out.push(
        f.includes('.')
          ? `metadata.finalizers: ${JSON.stringify(f)}: prefer a domain-qualified finalizer name including a path (/) to avoid accidental conflicts with other finalizer writers`
          : `metadata.finalizers: ${JSON.stringify(f)}: prefer a domain-qualified finalizer name to avoid accidental conflicts with other finalizer writers`,
      );
    }
  }
  return out;
}

// ---------------------------------------------------------------- core/v1 and RBAC kinds (K)

/** core.MaxSecretSize: Secret data and ConfigMap data+binaryData. */
export const MAX_SECRET_SIZE = 1024 * 1024;

const decodedLength = (b64: unknown) => (typeof b64 === 'string' ? Buffer.from(b64, 'base64').length : 0);

registerKind('', 'Namespace', {
  builtin: true,
  name: nameIsDNSLabel,
  recheckOnUpdate: false,
  validate(obj) {
    const errs: FieldError[] = [];
    for (const f of (obj.spec?.finalizers ?? []) as unknown[]) {
      const s = String(f);
      for (const m of isQualifiedName(s)) errs.push(field.invalid('spec.finalizers', s, m));
      if (!s.includes('/') && !STANDARD_FINALIZERS.includes(s))
        errs.push(field.invalid('spec.finalizers', s, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
    return errs;
  },
});

registerKind('', 'ServiceAccount', { builtin: true });

registerKind('', 'ConfigMap', {
  builtin: true,
  validate(obj) {
    const errs: FieldError[] = [];
    let total = 0;
    const data = strings(obj.data);
    const binary = strings(obj.binaryData);
    for (const [k, v] of Object.entries(data)) {
      for (const m of isConfigMapKey(k)) errs.push(field.invalid(path.key('data', k), k, m));
      if (k in binary) errs.push(field.invalid(path.key('data', k), k, 'duplicate of key present in binaryData'));
      total += bytes(String(v));
    }
    for (const [k, v] of Object.entries(binary)) {
      for (const m of isConfigMapKey(k)) errs.push(field.invalid(path.key('binaryData', k), k, m));
      total += decodedLength(v);
    }
    // The whole object: field.NewPath("") renders as "[]".
    if (total > MAX_SECRET_SIZE) errs.push(field.tooLong('[]', MAX_SECRET_SIZE));
    return errs;
  },
  validateUpdate: (obj, old) => immutableData(obj, old, ['data', 'binaryData']),
});

function immutableData(obj: KubeObject, old: KubeObject, fields: string[]): FieldError[] {
  const errs: FieldError[] = [];
  if (old.immutable !== true) return errs;
  if (obj.immutable !== true) errs.push(field.forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of fields) {
    if (JSON.stringify(obj[f] ?? {}) !== JSON.stringify(old[f] ?? {}))
      errs.push(field.forbidden(f, 'field is immutable when `immutable` is set'));
  }
  return errs;
}

registerKind('', 'Secret', {
  builtin: true,
  validate(obj) {
    const errs: FieldError[] = [];
    const data = strings(obj.data);
    let total = 0;
    for (const [k, v] of Object.entries(data)) {
      for (const m of isConfigMapKey(k)) errs.push(field.invalid(path.key('data', k), k, m));
      total += decodedLength(v);
    }
    if (total > MAX_SECRET_SIZE) errs.push(field.tooLong('data', MAX_SECRET_SIZE));
    const has = (k: string) => k in data;
    switch (obj.type) {
      case 'kubernetes.io/service-account-token':
        if (!obj.metadata?.annotations?.['kubernetes.io/service-account.name'])
          errs.push(field.required(path.key('metadata.annotations', 'kubernetes.io/service-account.name')));
        break;
      case 'kubernetes.io/dockercfg':
      case 'kubernetes.io/dockerconfigjson': {
        const key = obj.type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
        if (!has(key)) errs.push(field.required(path.key('data', key)));
        else {
          try {
            const v = JSON.parse(Buffer.from(data[key], 'base64').toString('utf8'));
            if (!isObject(v)) throw new Error('json: cannot unmarshal into Go value of type map[string]interface {}');
          } catch (e) {
            errs.push(field.invalid(path.key('data', key), '<secret contents redacted>', (e as Error).message));
          }
        }
        break;
      }
      case 'kubernetes.io/basic-auth':
        if (!has('username') && !has('password')) errs.push(field.required('data[username]'), field.required('data[password]'));
        break;
      case 'kubernetes.io/ssh-auth':
        if (!decodedLength(data['ssh-privatekey'])) errs.push(field.required('data[ssh-privatekey]'));
        break;
      case 'kubernetes.io/tls':
        if (!has('tls.crt')) errs.push(field.required('data[tls.crt]'));
        if (!has('tls.key')) errs.push(field.required('data[tls.key]'));
        break;
      default:
    }
    return errs;
  },
  validateUpdate(obj, old) {
    const errs: FieldError[] = [];
    if (obj.type !== old.type) errs.push(field.invalid('type', obj.type, 'field is immutable'));
    return [...errs, ...immutableData(obj, old, ['data'])];
  },
});

const RBAC = 'rbac.authorization.k8s.io';

function validateRules(obj: KubeObject, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  ((obj.rules ?? []) as KubeObject[]).forEach((raw, i) => {
    const r = isObject(raw) ? raw : {};
    const p = path.index('rules', i);
    const len = (k: string) => (Array.isArray(r[k]) ? r[k].length : 0);
    if (!len('verbs')) errs.push(field.required(path.child(p, 'verbs'), 'verbs must contain at least one value'));
    if (len('nonResourceURLs')) {
      if (namespaced)
        errs.push(field.invalid(path.child(p, 'nonResourceURLs'), r.nonResourceURLs, 'namespaced rules cannot apply to non-resource URLs'));
      if (len('apiGroups') || len('resources') || len('resourceNames'))
        errs.push(
          field.invalid(
            path.child(p, 'nonResourceURLs'),
            r.nonResourceURLs,
            'rules cannot apply to both regular resources and non-resource URLs',
          ),
        );
      return;
    }
    if (!len('apiGroups')) errs.push(field.required(path.child(p, 'apiGroups'), 'resource rules must supply at least one api group'));
    if (!len('resources')) errs.push(field.required(path.child(p, 'resources'), 'resource rules must supply at least one resource'));
    if (len('resourceNames') && len('resources') > 1)
      errs.push(field.required(path.child(p, 'resourceNames'), 'resource names cannot apply to multiple resources'));
  });
  return errs;
}

/** rbac/v1 SetDefaults_Subject: User and Group subjects default to the RBAC API group. */
function defaultSubjects(obj: KubeObject): void {
  for (const s of (obj.subjects ?? []) as KubeObject[]) {
    if (isObject(s) && !s.apiGroup && (s.kind === 'User' || s.kind === 'Group')) s.apiGroup = RBAC;
  }
}

function validateBinding(obj: KubeObject, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const ref = isObject(obj.roleRef) ? obj.roleRef : {};
  if (ref.apiGroup !== RBAC) errs.push(field.notSupported('roleRef.apiGroup', ref.apiGroup ?? '', [RBAC]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(ref.kind)) errs.push(field.notSupported('roleRef.kind', ref.kind ?? '', kinds));
  if (!ref.name) errs.push(field.required('roleRef.name'));
  else for (const m of pathSegmentName(String(ref.name), false)) errs.push(field.invalid('roleRef.name', ref.name, m));
  ((obj.subjects ?? []) as KubeObject[]).forEach((raw, i) => {
    const s = isObject(raw) ? raw : {};
    const p = path.index('subjects', i);
    const name = String(s.name ?? '');
    if (!name) errs.push(field.required(path.child(p, 'name')));
    switch (s.kind) {
      case 'ServiceAccount':
        if (name) for (const m of nameIsDNSSubdomain(name, false)) errs.push(field.invalid(path.child(p, 'name'), name, m));
        if (s.apiGroup) errs.push(field.notSupported(path.child(p, 'apiGroup'), s.apiGroup, ['']));
        if (!namespaced && !s.namespace) errs.push(field.required(path.child(p, 'namespace')));
        break;
      case 'User':
      case 'Group':
        if (!name) errs.push(field.invalid(path.child(p, 'name'), name, `${s.kind === 'User' ? 'user' : 'group'} name cannot be empty`));
        if (s.apiGroup !== RBAC) errs.push(field.notSupported(path.child(p, 'apiGroup'), s.apiGroup ?? '', [RBAC]));
        break;
      default:
        errs.push(field.notSupported(path.child(p, 'kind'), s.kind ?? '', ['ServiceAccount', 'User', 'Group']));
    }
  });
  return errs;
}

function roleRefUnchanged(obj: KubeObject, old: KubeObject): FieldError[] {
  const a = obj.roleRef ?? {};
  const b = old.roleRef ?? {};
  return a.apiGroup === b.apiGroup && a.kind === b.kind && a.name === b.name ? [] : [field.invalid('roleRef', a, 'cannot change roleRef')];
}

registerKind(RBAC, 'Role', { builtin: true, name: pathSegmentName, validate: (o) => validateRules(o, true) });
registerKind(RBAC, 'ClusterRole', { builtin: true, name: pathSegmentName, validate: (o) => validateRules(o, false) });
registerKind(RBAC, 'RoleBinding', {
  builtin: true,
  name: pathSegmentName,
  defaults: defaultSubjects,
  validate: (o) => validateBinding(o, true),
  validateUpdate: roleRefUnchanged,
});
registerKind(RBAC, 'ClusterRoleBinding', {
  builtin: true,
  name: pathSegmentName,
  defaults: defaultSubjects,
  validate: (o) => validateBinding(o, false),
  validateUpdate: roleRefUnchanged,
});

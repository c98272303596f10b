// The apiserver's object semantics, shared by the HTTP layer and the programmatic API: validation (per
// kind, validation.ts; CR schemas, schema.ts), server-set metadata, optimistic concurrency, finalizers,
// namespace termination, Secret stringData, ServiceAccount token minting, patches, server-side apply,
// dry-run and the etcd request size limit.
import { randomUUID } from 'node:crypto';
import { load as loadYaml } from 'js-yaml';
import type { Admission } from './admission';
import { applyStrictness, decodePatched, goMapString, readPatch, settleApplied } from './decode';
import { serverSideApply, updateManagedFields, ManagedFieldsEntry } from './fields';
import { field, FieldError, GoText } from './fielderrors';
import { FieldValidation } from './params';
import { isPlainObject, jsonPatch, mergePatch, strategicMergePatch } from './patch';
import { TokenMinter } from './rbac';
import { groupVersionOf, Registry, ResourceType } from './resources';
import { applyTypeError, modelFor, validateCustomResource } from './schema';
import { parseFieldSelector, parseLabelSelector } from './selectors';
import { ApiError, errors, successStatus } from './status';
import { Filter, KubeObject, matches, Store } from './store';
import { generateName, kindRules, validateCreate, validateUpdate } from './validation';

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  force?: boolean;
  /** `User-Agent`, used for the default field manager name like the real server. */
  userAgent?: string;
  subresource?: string;
  /** How patches treat unknown and duplicate fields (create/update bodies are decoded before). Default Warn. */
  fieldValidation?: FieldValidation;
  /** Collects the texts of the response's `Warning: 299` headers. */
  warnings?: string[];
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

/**
 * etcd's default --max-request-bytes (etcd-io/etcd server/embed/config.go DefaultMaxRequestBytes, 1.5 MiB):
 * larger writes fail with "etcdserver: request is too large", which kube-apiserver passes on as a 500
 * (kubernetes/apiserver@v0.32.0 pkg/endpoints/handlers/rest.go:458-472, after retrying once without
 * managedFields except for apply, create.go:209-218, patch.go:709-728). The size is approximated by the
 * object's JSON plus its key.
 */
export const ETCD_MAX_REQUEST_BYTES = 1.5 * 1024 * 1024;

export const PATCH_TYPES = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export function nowTimestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function clone<T>(o: T): T {
  return structuredClone(o);
}

export class Api {
  /** Resource version below which continue tokens are refused (set by an explicit compaction). */
  continueFloor = 0;
  /** Mutating webhooks before validation and validating webhooks after it, on main-resource writes; validating on deletes (admission.ts). */
  admission: Admission | undefined;

  constructor(
    readonly store: Store,
    private readonly registry: Registry,
    private readonly minter: TokenMinter,
    private readonly caPem: () => string,
  ) {}

  private type(group: string, kind: string): ResourceType {
    const t = this.registry.byKind(group, kind);
    if (!t) throw new Error(`emulator: no type ${kind}.${group}`);
    return t;
  }

  get(t: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const obj = this.store.get(t, t.namespaced ? namespace : undefined, name);
    if (!obj) throw errors.notFound(t, name);
    return obj;
  }

  filter(t: ResourceType, o: ListOptions): Filter {
    const f: Filter = {};
    if (t.namespaced && o.namespace !== undefined) f.namespace = o.namespace;
    if (o.labelSelector) f.labels = parseLabelSelector(o.labelSelector);
    if (o.fieldSelector) f.fields = parseFieldSelector(o.fieldSelector, t.fieldSelectors);
    return f;
  }

  list(t: ResourceType, o: ListOptions): ListResult {
    const filter = this.filter(t, o);
    const limit = o.limit && o.limit > 0 ? o.limit : Infinity;
    let after: string | undefined;
    const listRv = this.store.currentRv;
    if (o.continue) {
      let token: { rv?: number; start?: string };
      try {
        token = JSON.parse(Buffer.from(o.continue, 'base64').toString('utf8'));
      } catch {
        throw errors.badRequest('continue key is not valid: illegal base64 data at input byte 0');
      }
      if (typeof token.start !== 'string' || typeof token.rv !== 'number')
        throw errors.badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
      if (token.rv < this.continueFloor) {
        throw errors.gone(
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
        );
      }
      after = token.start;
    }
    const items: KubeObject[] = [];
    let lastKey = '';
    let more = false;
    let remaining = 0;
    const plain = !filter.labels && !filter.fields;
    for (const [key, obj] of this.store.iterate(t, filter.namespace, after)) {
      if (!matches(filter, obj)) continue;
      if (items.length >= limit) {
        more = true;
        if (!plain) break;
        remaining++;
        continue;
      }
      items.push(obj);
      lastKey = key;
    }
    const result: ListResult = { items, resourceVersion: String(listRv) };
    if (more) {
      result.continue = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: listRv, start: lastKey })).toString('base64');
      if (plain) result.remainingItemCount = remaining;
    }
    return result;
  }

  // ---------------------------------------------------------------- create

  create(t: ResourceType, namespace: string | undefined, body: unknown, o: WriteOptions = {}): KubeObject {
    const obj = this.prepareCreate(t, namespace, body, o);
    const manager = o.fieldManager || defaultManager(o.userAgent);
    obj.metadata.managedFields = updateManagedFields(
      [],
      undefined,
      obj,
      manager,
      apiVersionOf(obj, t),
      t.statusSubresource,
      nowTimestamp(),
    );
    return this.finishCreate(t, obj, o, false);
  }

  /**
   * The create path in upstream order: namespace admission (404/403), name generation, PrepareForCreate
   * and defaulting, mutating webhooks, validation (422), validating webhooks, then the storage checks
   * (resourceVersion 400, AlreadyExists 409).
   */
  private prepareCreate(t: ResourceType, namespace: string | undefined, body: unknown, o: WriteOptions): KubeObject {
    if (t.createOnly) throw errors.methodNotAllowed(t, 'create');
    const obj = this.checkBody(t, body);
    const md = obj.metadata;
    if (t.namespaced) {
      if (md.namespace !== undefined && md.namespace !== '' && namespace !== undefined && md.namespace !== namespace) {
        throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      md.namespace = namespace ?? md.namespace;
      if (!md.namespace) throw errors.badRequest('namespace is required');
      this.checkNamespaceWritable(t, md.namespace, md.name ?? md.generateName ?? '');
    } else delete md.namespace;
    const generated = !md.name && !!md.generateName;
    if (generated) md.name = generateName(String(md.generateName));
    const rv = md.resourceVersion;
    for (const k of [
      'uid',
      'creationTimestamp',
      'deletionTimestamp',
      'deletionGracePeriodSeconds',
      'selfLink',
      'managedFields',
      'resourceVersion',
    ])
      delete md[k];
    if (t.generation) md.generation = 1;
    else delete md.generation;
    if (t.statusSubresource) delete obj.status;
    this.normalize(t, obj, undefined);
    kindRules(t.group, t.kind).defaults?.(obj);
    this.admission?.mutate(t, obj);
    const verdict = validateCreate(t.group, t.kind, t.namespaced, obj, this.schemaErrors(t, obj));
    if (verdict.errors.length) throw errors.invalid(t.kind, t.group, md.name ?? '', verdict.errors);
    o.warnings?.push(...verdict.warnings);
    this.admission?.validate('CREATE', t, obj, undefined);
    if (rv) throw errors.badRequest('resourceVersion should not be set on objects to be created');
    if (generated) {
      // RetryGenerateName (GA in 1.32): up to 8 names, then the conflict (registry/store.go:430-475).
      for (let i = 1; i < 8 && this.store.get(t, md.namespace, md.name); i++) md.name = generateName(String(md.generateName));
      if (this.store.get(t, md.namespace, md.name)) throw errors.generateNameConflict(t, md.name);
    } else if (this.store.get(t, md.namespace, md.name)) throw errors.alreadyExists(t, md.name);
    md.uid = randomUUID();
    md.creationTimestamp = nowTimestamp();
    return obj;
  }

  /** A CR against its OpenAPI schema (none for built-ins: their Go types were checked while decoding). */
  private schemaErrors(t: ResourceType, obj: KubeObject, old?: KubeObject, only?: 'status'): FieldError[] {
    if (!t.crd) return [];
    const model = modelFor(t.group, String(obj.apiVersion).split('/').pop() ?? '', t.kind);
    return model ? validateCustomResource(obj, model, old, only) : [];
  }

  private finishCreate(t: ResourceType, obj: KubeObject, o: WriteOptions, apply: boolean): KubeObject {
    if (o.dryRun) return obj;
    return clone(this.store.commit(t, 'ADDED', this.fitEtcd(t, obj, apply)));
  }

  /** Refuses what etcd would refuse; like the handlers, first retries without managedFields (not for apply). */
  private fitEtcd(t: ResourceType, obj: KubeObject, apply: boolean): KubeObject {
    const key = `/registry/${t.crd ? `${t.group}/` : ''}${t.plural}/${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}`;
    const size = (o: KubeObject) => Buffer.byteLength(JSON.stringify(o)) + key.length;
    if (size(obj) <= ETCD_MAX_REQUEST_BYTES) return obj;
    if (!apply) {
      const slim = { ...obj, metadata: { ...obj.metadata } };
      delete slim.metadata.managedFields;
      if (size(slim) <= ETCD_MAX_REQUEST_BYTES) return slim;
    }
    throw errors.plain('etcdserver: request is too large');
  }

  private checkBody(t: ResourceType, body: unknown): KubeObject {
    if (!isPlainObject(body)) throw errors.badRequest('the body of the request was in an unknown format');
    const obj = clone(body);
    if (obj.kind !== undefined && obj.kind !== t.kind) {
      throw errors.badRequest(
        `${obj.kind} in version "${String(obj.apiVersion ?? '')
          .split('/')
          .pop()}" cannot be handled as a ${t.kind}: converting (${obj.kind}) to (${t.kind}): unknown conversion`,
      );
    }
    obj.kind = t.kind;
    if (obj.apiVersion === undefined) obj.apiVersion = groupVersionOf(t, t.versions[0]);
    const served = t.versions.map((v) => groupVersionOf(t, v));
    if (!served.includes(obj.apiVersion)) {
      throw errors.badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${served[0]})`);
    }
    if (!t.crd) obj.apiVersion = served[0];
    if (!isPlainObject(obj.metadata)) obj.metadata = {};
    return obj;
  }

  private checkNamespaceWritable(t: ResourceType, namespace: string, name: string): void {
    const nsType = this.type('', 'Namespace');
    const ns = this.store.get(nsType, undefined, namespace);
    if (!ns) throw errors.notFound(nsType, namespace);
    if (ns.metadata.deletionTimestamp) {
      throw errors.forbiddenMessage(t, name, `unable to create new content in namespace ${namespace} because it is being terminated`);
    }
  }

  /** Kind-specific preparation (PrepareForCreate / PrepareForUpdate; old = undefined on create). */
  private normalize(t: ResourceType, obj: KubeObject, old: KubeObject | undefined): void {
    if (t.group === '' && t.kind === 'Secret') this.normalizeSecret(obj);
    if (t.group === '' && t.kind === 'Namespace') {
      obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': obj.metadata.name };
      obj.spec = { finalizers: ['kubernetes'], ...obj.spec };
      obj.status = old?.status ?? { phase: 'Active' };
    }
  }

  /** stringData is folded into data (v1 → internal conversion); the token controller fills token Secrets. */
  private normalizeSecret(obj: KubeObject): void {
    const name = obj.metadata.name;
    if (isPlainObject(obj.stringData)) {
      const data: KubeObject = { ...(obj.data ?? {}) };
      for (const [k, v] of Object.entries(obj.stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
      obj.data = data;
    }
    delete obj.stringData;
    if (!obj.type) obj.type = 'Opaque';
    const sa = obj.metadata.annotations?.['kubernetes.io/service-account.name'];
    if (obj.type === 'kubernetes.io/service-account-token' && sa) {
      const account = this.store.get(this.type('', 'ServiceAccount'), obj.metadata.namespace, sa);
      if (account && !obj.data?.token) {
        const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
        obj.data = {
          ...obj.data,
          token: b64(this.minter.mint(obj.metadata.namespace, sa, name)),
          'ca.crt': b64(this.caPem()),
          namespace: b64(obj.metadata.namespace),
        };
        obj.metadata.annotations = { ...obj.metadata.annotations, 'kubernetes.io/service-account.uid': account.metadata.uid };
      }
    }
  }

  // ---------------------------------------------------------------- update / patch / apply

  update(t: ResourceType, namespace: string | undefined, name: string, body: unknown, o: WriteOptions = {}): KubeObject {
    const old = this.get(t, namespace, name);
    const obj = this.checkBody(t, body);
    if (obj.metadata.name !== undefined && obj.metadata.name !== name) {
      throw errors.badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
    }
    if (t.namespaced && obj.metadata.namespace && obj.metadata.namespace !== old.metadata.namespace) {
      throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const rv = obj.metadata.resourceVersion;
    if (!rv && t.crd) {
      // registry/generic/registry/store.go (Update): CRs do not allow unconditional updates; the kind is the resource.
      throw errors.invalid(t.plural, t.group, name, [
        field.invalid('metadata.resourceVersion', new GoText('0x0'), 'must be specified for an update'),
      ]);
    }
    if (rv && rv !== old.metadata.resourceVersion) throw errors.conflict(t, name);
    return this.replace(t, old, obj, o, false, (entries, next) =>
      updateManagedFields(
        entries,
        old,
        next,
        o.fieldManager || defaultManager(o.userAgent),
        apiVersionOf(next, t),
        skipStatus(t, o),
        nowTimestamp(),
        o.subresource,
      ),
    );
  }

  patch(t: ResourceType, namespace: string | undefined, name: string, contentType: string, body: string, o: WriteOptions = {}): KubeObject {
    const type = contentType.split(';')[0].trim();
    if (type === PATCH_TYPES.apply) return this.apply(t, namespace, name, body, o);
    const accepted = t.crd
      ? [PATCH_TYPES.json, PATCH_TYPES.merge, PATCH_TYPES.apply]
      : [PATCH_TYPES.json, PATCH_TYPES.merge, PATCH_TYPES.strategic, PATCH_TYPES.apply];
    if (!accepted.includes(type)) throw errors.unsupportedMediaType(type, accepted);
    const old = this.get(t, namespace, name);
    const directive = o.fieldValidation ?? 'Warn';
    const kind = type === PATCH_TYPES.json ? 'json' : type === PATCH_TYPES.merge ? 'merge' : 'strategic';
    const patch = readPatch(body, kind, directive);
    let next: KubeObject;
    if (kind === 'json') next = jsonPatch(old, patch.value);
    else if (kind === 'merge') next = mergePatch(old, patch.value) as KubeObject;
    else next = strategicMergePatch(old, patch.value) as KubeObject;
    if (next.metadata?.resourceVersion && next.metadata.resourceVersion !== old.metadata.resourceVersion) throw errors.conflict(t, name);
    const shown = kind === 'strategic' ? goMapString(patch.value) : JSON.stringify(next);
    const obj = this.checkBody(t, decodePatched(t, next, patch.strict, shown, directive, o.warnings));
    return this.replace(t, old, obj, o, false, (entries, n) =>
      updateManagedFields(
        entries,
        old,
        n,
        o.fieldManager || defaultManager(o.userAgent),
        apiVersionOf(n, t),
        skipStatus(t, o),
        nowTimestamp(),
        o.subresource,
      ),
    );
  }

  /** Server-side apply; `o.fieldManager` is required (the HTTP layer answers 422 PatchOptions without it). */
  apply(t: ResourceType, namespace: string | undefined, name: string, body: string, o: WriteOptions = {}): KubeObject {
    const manager = o.fieldManager ?? '';
    let applied: unknown;
    try {
      applied = loadYaml(body, { json: true });
    } catch (e) {
      throw errors.badRequest(`error decoding YAML: ${(e as Error).message.split('\n')[0]}`);
    }
    if (!isPlainObject(applied)) throw errors.badRequest('error decoding YAML: the apply configuration must be an object');
    if (!applied.apiVersion || !applied.kind) throw errors.badRequest("Object 'Kind' is missing in apply configuration");
    const md = isPlainObject(applied.metadata) ? applied.metadata : {};
    const model = modelFor(t.group, String(applied.apiVersion).split('/').pop() ?? '', t.kind);
    const typeError = model && applyTypeError(applied, model);
    if (typeError) {
      const gv = String(applied.apiVersion);
      const gvk = `${gv.includes('/') ? gv : `/${gv}`}, Kind=${applied.kind}`;
      throw errors.plain(`failed to create typed patch object (${md.namespace ?? ''}/${md.name ?? ''}; ${gvk}): ${typeError}`);
    }
    if (md.name !== undefined && md.name !== name) {
      throw errors.badRequest(`the name of the object (${md.name}) does not match the name on the URL (${name})`);
    }
    const cfg = this.checkBody(t, { ...applied, metadata: { ...md, name } });
    if (t.kind === 'Secret' && isPlainObject(cfg.stringData)) this.normalizeSecretStringData(cfg);
    const old = this.store.get(t, t.namespaced ? namespace : undefined, name);
    const now = nowTimestamp();
    const apiVersion = apiVersionOf(cfg, t);
    const directive = o.fieldValidation ?? 'Warn';
    if (!old) {
      const managedFields = serverSideApply(undefined, cfg, manager, apiVersion, true, skipStatus(t, o), now).managedFields;
      applyStrictness(body, directive, o.warnings);
      const created = this.prepareCreate(t, namespace, settleApplied(t, cfg), o);
      created.metadata.managedFields = managedFields;
      return this.finishCreate(t, created, o, true);
    }
    if (cfg.metadata.resourceVersion && cfg.metadata.resourceVersion !== old.metadata.resourceVersion) throw errors.conflict(t, name);
    const { object, managedFields } = serverSideApply(old, cfg, manager, apiVersion, o.force === true, skipStatus(t, o), now);
    // Without conversion the merge happened in the stored object's layout, so it keeps that version (and
    // is pruned and validated against its schema); a real server converts both sides to the applied version.
    if (old.apiVersion !== object.apiVersion) object.apiVersion = old.apiVersion;
    applyStrictness(body, directive, o.warnings);
    return this.replace(t, old, this.checkBody(t, settleApplied(t, object)), o, true, () => managedFields);
  }

  private normalizeSecretStringData(cfg: KubeObject): void {
    const data: KubeObject = { ...(cfg.data ?? {}) };
    for (const [k, v] of Object.entries(cfg.stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
    cfg.data = data;
    delete cfg.stringData;
  }

  /** Common tail of update/patch/apply: keep server-owned fields, validate, bump generation, commit. */
  private replace(
    t: ResourceType,
    old: KubeObject,
    obj: KubeObject,
    o: WriteOptions,
    apply: boolean,
    managed: (entries: ManagedFieldsEntry[], next: KubeObject) => ManagedFieldsEntry[],
  ): KubeObject {
    const md = obj.metadata;
    md.uid ??= old.metadata.uid;
    for (const k of ['creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'namespace', 'name']) {
      if (old.metadata[k] === undefined) delete md[k];
      else md[k] = old.metadata[k];
    }
    md.resourceVersion = old.metadata.resourceVersion;
    if (o.subresource === 'status') {
      const status = obj.status;
      const kept = clone(old);
      if (status === undefined) delete kept.status;
      else kept.status = status;
      this.validateUpdate(t, kept, old, o, 'status');
      kept.metadata.managedFields = managed(old.metadata.managedFields ?? [], kept);
      return this.commitUpdate(t, old, kept, o, apply);
    }
    if (t.statusSubresource) {
      if (old.status === undefined) delete obj.status;
      else obj.status = old.status;
    }
    this.normalize(t, obj, old);
    kindRules(t.group, t.kind).defaults?.(obj);
    this.admission?.mutate(t, obj);
    this.validateUpdate(t, obj, old, o);
    this.admission?.validate('UPDATE', t, obj, old);
    if (t.generation) {
      const spec = (x: KubeObject) => JSON.stringify({ ...x, metadata: undefined, status: undefined, apiVersion: undefined });
      md.generation = (old.metadata.generation ?? 1) + (spec(old) !== spec(obj) ? 1 : 0);
    } else delete md.generation;
    md.managedFields = managed(old.metadata.managedFields ?? [], obj);
    return this.commitUpdate(t, old, obj, o, apply);
  }

  private validateUpdate(t: ResourceType, obj: KubeObject, old: KubeObject, o: WriteOptions, only?: 'status'): void {
    const verdict = validateUpdate(t.group, t.kind, t.namespaced, obj, old, this.schemaErrors(t, obj, old, only));
    if (verdict.errors.length) throw errors.invalid(t.kind, t.group, obj.metadata.name ?? '', verdict.errors);
    o.warnings?.push(...verdict.warnings);
  }

  private commitUpdate(t: ResourceType, old: KubeObject, obj: KubeObject, o: WriteOptions, apply: boolean): KubeObject {
    if (sameIgnoringTimes(old, obj)) return clone(old);
    if (o.dryRun) return obj;
    if (obj.metadata.deletionTimestamp && !obj.metadata.finalizers?.length) {
      return clone(this.store.commit(t, 'DELETED', obj));
    }
    return clone(this.store.commit(t, 'MODIFIED', this.fitEtcd(t, obj, apply)));
  }

  // ---------------------------------------------------------------- delete

  /** Deletes an object; returns the HTTP status and body kube-apiserver would send. */
  delete(
    t: ResourceType,
    namespace: string | undefined,
    name: string,
    opts: KubeObject = {},
    o: WriteOptions = {},
  ): { code: number; body: KubeObject } {
    const old = this.get(t, namespace, name);
    const pre = opts.preconditions ?? {};
    if ((pre.uid && pre.uid !== old.metadata.uid) || (pre.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion)) {
      throw errors.conflict(t, name);
    }
    // Preconditions first: etcd3 GuaranteedUpdate/Delete check them before calling deleteValidation
    // (kubernetes/apiserver@24a394e5 pkg/storage/etcd3/store.go:391, :510; registry/store.go:1127).
    this.admission?.validate('DELETE', t, undefined, old);
    const now = nowTimestamp();
    if (t.group === '' && t.kind === 'Namespace') {
      const terminating = clone(old);
      terminating.metadata.deletionTimestamp ??= now;
      terminating.status = { phase: 'Terminating' };
      if (o.dryRun) return { code: 200, body: terminating };
      const committed = this.store.commit(t, 'MODIFIED', terminating);
      setImmediate(() => this.finishNamespace(name));
      return { code: 200, body: clone(committed) };
    }
    if (old.metadata.finalizers?.length) {
      if (old.metadata.deletionTimestamp) return { code: 200, body: clone(old) };
      const marked = clone(old);
      marked.metadata.deletionTimestamp = now;
      marked.metadata.deletionGracePeriodSeconds = 0;
      if (t.generation) marked.metadata.generation = (old.metadata.generation ?? 1) + 1;
      if (o.dryRun) return { code: 200, body: marked };
      return { code: 200, body: clone(this.store.commit(t, 'MODIFIED', marked)) };
    }
    if (!o.dryRun) this.store.commit(t, 'DELETED', old);
    return { code: 200, body: successStatus(t, name, old.metadata.uid) };
  }

  /**
   * The namespace controller: deletes everything in a terminating namespace (objects with finalizers get
   * a deletionTimestamp and are waited for, re-checked every 50 ms), then removes the namespace.
   */
  private finishNamespace(name: string): void {
    const nsType = this.type('', 'Namespace');
    const ns = this.store.get(nsType, undefined, name);
    if (!ns?.metadata.deletionTimestamp) return;
    let waiting = false;
    for (const t of this.registry.types.filter((x) => x.namespaced)) {
      for (const [, obj] of [...this.store.iterate(t, name)]) {
        if (!obj.metadata.finalizers?.length) this.store.commit(t, 'DELETED', obj);
        else {
          waiting = true;
          // A delete a webhook denies is retried on the next pass, like the namespace controller does.
          if (!obj.metadata.deletionTimestamp) tryDelete(() => this.delete(t, name, obj.metadata.name));
        }
      }
    }
    if (waiting) setTimeout(() => this.finishNamespace(name), 50).unref();
    else this.store.commit(nsType, 'DELETED', ns);
  }
}

function tryDelete(del: () => unknown): void {
  try {
    del();
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
  }
}

function skipStatus(t: ResourceType, o: WriteOptions): boolean {
  return t.statusSubresource && o.subresource !== 'status';
}

function apiVersionOf(obj: KubeObject, t: ResourceType): string {
  return typeof obj.apiVersion === 'string' ? obj.apiVersion : groupVersionOf(t, t.versions[0]);
}

export function defaultManager(userAgent: string | undefined): string {
  const ua = userAgent ?? 'unknown';
  return ua.split('/')[0].slice(0, 128) || 'unknown';
}

function sameIgnoringTimes(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) =>
    JSON.stringify({
      ...o,
      metadata: {
        ...o.metadata,
        managedFields: (o.metadata.managedFields ?? []).map((e: ManagedFieldsEntry) => ({ ...e, time: undefined })),
      },
    });
  return strip(a) === strip(b);
}

export { ApiError };

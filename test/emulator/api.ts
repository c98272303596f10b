// The apiserver's object semantics, shared by the HTTP layer and the programmatic API: validation,
// server-set metadata, optimistic concurrency, finalizers, namespace termination, Secret stringData,
// ServiceAccount token minting, patches, server-side apply and dry-run.
import { randomUUID } from 'node:crypto';
import { load as loadYaml } from 'js-yaml';
import type { Admission } from './admission';
import { serverSideApply, updateManagedFields, ManagedFieldsEntry } from './fields';
import { isPlainObject, jsonPatch, mergePatch, strategicMergePatch } from './patch';
import { TokenMinter } from './rbac';
import { groupVersionOf, Registry, ResourceType } from './resources';
import { parseFieldSelector, parseLabelSelector } from './selectors';
import { ApiError, errors, successStatus } from './status';
import { Filter, KubeObject, matches, Store } from './store';

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  force?: boolean;
  /** `User-Agent`, used for the default field manager name like the real server. */
  userAgent?: string;
  subresource?: string;
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

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

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
  /** Defaulting and webhooks run on main-resource writes and deletes (admission.ts). */
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
    const obj = this.prepareCreate(t, namespace, body);
    const manager = o.fieldManager ?? defaultManager(o.userAgent);
    obj.metadata.managedFields = updateManagedFields(
      [],
      undefined,
      obj,
      manager,
      apiVersionOf(obj, t),
      t.statusSubresource,
      nowTimestamp(),
    );
    return this.finishCreate(t, obj, o);
  }

  private prepareCreate(t: ResourceType, namespace: string | undefined, body: unknown, keepStatus = false): KubeObject {
    if (t.createOnly) throw errors.methodNotAllowed(t, 'create');
    const obj = this.checkBody(t, body);
    const md = obj.metadata;
    if (t.namespaced) {
      if (md.namespace !== undefined && md.namespace !== '' && namespace !== undefined && md.namespace !== namespace) {
        throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      md.namespace = namespace ?? md.namespace;
      if (!md.namespace) throw errors.badRequest('namespace is required');
    } else delete md.namespace;
    if (!md.name && md.generateName) md.name = `${md.generateName}${Math.random().toString(36).slice(2, 7)}`;
    this.validateName(t, md.name, obj.kind);
    if (md.resourceVersion) throw errors.badRequest('resourceVersion should not be set on objects to be created');
    if (t.namespaced) this.checkNamespaceWritable(t, md.namespace, md.name);
    if (this.store.get(t, md.namespace, md.name)) throw errors.alreadyExists(t, md.name);
    md.uid = randomUUID();
    md.creationTimestamp = nowTimestamp();
    for (const k of ['deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink', 'managedFields']) delete md[k];
    if (t.generation) md.generation = 1;
    else delete md.generation;
    if (t.statusSubresource && !keepStatus) delete obj.status;
    this.normalize(t, obj, undefined);
    this.admission?.admit('CREATE', t, obj, undefined);
    return obj;
  }

  private finishCreate(t: ResourceType, obj: KubeObject, o: WriteOptions): KubeObject {
    if (o.dryRun) return obj;
    return clone(this.store.commit(t, 'ADDED', obj));
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

  private validateName(t: ResourceType, name: unknown, kind: string): void {
    const group = t.group;
    if (typeof name !== 'string' || name === '') {
      throw errors.invalid(kind, group, '', [
        { field: 'metadata.name', type: 'Required value', detail: 'name or generateName is required' },
      ]);
    }
    if (t.kind === 'Namespace') {
      if (!DNS_LABEL.test(name) || name.length > 63) {
        throw errors.invalid(kind, group, name, [
          {
            field: 'metadata.name',
            type: 'Invalid value',
            detail: `"${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
          },
        ]);
      }
    } else if (!DNS_SUBDOMAIN.test(name) || name.length > 253) {
      throw errors.invalid(kind, group, name, [
        {
          field: 'metadata.name',
          type: 'Invalid value',
          detail: `"${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
        },
      ]);
    }
  }

  private checkNamespaceWritable(t: ResourceType, namespace: string, name: string): void {
    const nsType = this.type('', 'Namespace');
    const ns = this.store.get(nsType, undefined, namespace);
    if (!ns) throw errors.notFound(nsType, namespace);
    if (ns.metadata.deletionTimestamp) {
      throw errors.forbiddenMessage(t, name, `unable to create new content in namespace ${namespace} because it is being terminated`);
    }
  }

  /** Kind-specific defaulting and validation (old = undefined on create). */
  private normalize(t: ResourceType, obj: KubeObject, old: KubeObject | undefined): void {
    if (t.group === '' && t.kind === 'Secret') this.normalizeSecret(obj, old);
    if (t.group === '' && t.kind === 'ConfigMap' && old?.immutable === true) {
      if (JSON.stringify(old.data) !== JSON.stringify(obj.data) || JSON.stringify(old.binaryData) !== JSON.stringify(obj.binaryData)) {
        throw errors.invalid('ConfigMap', '', obj.metadata.name, [
          { field: 'data', type: 'Forbidden', detail: 'field is immutable when `immutable` is set' },
        ]);
      }
    }
    if (t.group === '' && t.kind === 'Namespace') {
      obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': obj.metadata.name };
      obj.spec = { finalizers: ['kubernetes'], ...obj.spec };
      obj.status = old?.status ?? { phase: 'Active' };
    }
  }

  private normalizeSecret(obj: KubeObject, old: KubeObject | undefined): void {
    const name = obj.metadata.name;
    if (isPlainObject(obj.stringData)) {
      const data: KubeObject = { ...(obj.data ?? {}) };
      for (const [k, v] of Object.entries(obj.stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
      obj.data = data;
    }
    delete obj.stringData;
    if (!obj.type) obj.type = 'Opaque';
    for (const [k, v] of Object.entries(obj.data ?? {})) {
      if (!SECRET_KEY.test(k)) {
        throw errors.invalid('Secret', '', name, [
          {
            field: `data[${k}]`,
            type: 'Invalid value',
            detail: `"${k}": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
          },
        ]);
      }
      if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v) || v.length % 4 !== 0) {
        throw errors.badRequest(`Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 0`);
      }
    }
    if (old) {
      if (old.type !== obj.type)
        throw errors.invalid('Secret', '', name, [{ field: 'type', type: 'Invalid value', detail: `"${obj.type}": field is immutable` }]);
      if (old.immutable === true && JSON.stringify(old.data) !== JSON.stringify(obj.data)) {
        throw errors.invalid('Secret', '', name, [
          { field: 'data', type: 'Forbidden', detail: 'field is immutable when `immutable` is set' },
        ]);
      }
    }
    if (obj.type === 'kubernetes.io/service-account-token') {
      const sa = obj.metadata.annotations?.['kubernetes.io/service-account.name'];
      if (!sa) {
        throw errors.invalid('Secret', '', name, [
          { field: 'metadata.annotations[kubernetes.io/service-account.name]', type: 'Required value', detail: '' },
        ]);
      }
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
      throw errors.invalid(t.kind, t.group, name, [
        { field: 'metadata.resourceVersion', type: 'Invalid value', detail: '0x0: must be specified for an update' },
      ]);
    }
    if (rv && rv !== old.metadata.resourceVersion) throw errors.conflict(t, name);
    return this.replace(t, old, obj, o, (entries, next) =>
      updateManagedFields(
        entries,
        old,
        next,
        o.fieldManager ?? defaultManager(o.userAgent),
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
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (e) {
      throw errors.badRequest(`error decoding patch: ${(e as Error).message}`);
    }
    let next: KubeObject;
    if (type === PATCH_TYPES.json) next = jsonPatch(old, parsed);
    else if (type === PATCH_TYPES.merge) next = mergePatch(old, parsed) as KubeObject;
    else next = strategicMergePatch(old, parsed) as KubeObject;
    if (next.metadata?.resourceVersion && next.metadata.resourceVersion !== old.metadata.resourceVersion) throw errors.conflict(t, name);
    const obj = this.checkBody(t, next);
    return this.replace(t, old, obj, o, (entries, n) =>
      updateManagedFields(
        entries,
        old,
        n,
        o.fieldManager ?? defaultManager(o.userAgent),
        apiVersionOf(n, t),
        skipStatus(t, o),
        nowTimestamp(),
        o.subresource,
      ),
    );
  }

  apply(t: ResourceType, namespace: string | undefined, name: string, body: string, o: WriteOptions = {}): KubeObject {
    if (!o.fieldManager) {
      throw errors.invalid('PatchOptions', 'meta.k8s.io', '', [
        { field: 'fieldManager', type: 'Required value', detail: 'is required for apply patch' },
      ]);
    }
    let applied: unknown;
    try {
      applied = loadYaml(body);
    } catch (e) {
      throw errors.badRequest(`error decoding YAML: ${(e as Error).message.split('\n')[0]}`);
    }
    if (!isPlainObject(applied)) throw errors.badRequest('error decoding YAML: the apply configuration must be an object');
    if (!applied.apiVersion || !applied.kind) throw errors.badRequest("Object 'Kind' is missing in apply configuration");
    const md = isPlainObject(applied.metadata) ? applied.metadata : {};
    if (md.name !== undefined && md.name !== name) {
      throw errors.badRequest(`the name of the object (${md.name}) does not match the name on the URL (${name})`);
    }
    const cfg = this.checkBody(t, { ...applied, metadata: { ...md, name } });
    if (t.kind === 'Secret' && isPlainObject(cfg.stringData)) this.normalizeSecretStringData(cfg);
    const old = this.store.get(t, t.namespaced ? namespace : undefined, name);
    const now = nowTimestamp();
    const apiVersion = apiVersionOf(cfg, t);
    if (!old) {
      const created = this.prepareCreate(t, namespace, cfg);
      created.metadata.managedFields = serverSideApply(
        undefined,
        cfg,
        o.fieldManager,
        apiVersion,
        true,
        skipStatus(t, o),
        now,
      ).managedFields;
      return this.finishCreate(t, created, o);
    }
    if (cfg.metadata.resourceVersion && cfg.metadata.resourceVersion !== old.metadata.resourceVersion) throw errors.conflict(t, name);
    const { object, managedFields } = serverSideApply(old, cfg, o.fieldManager, apiVersion, o.force === true, skipStatus(t, o), now);
    return this.replace(t, old, this.checkBody(t, object), o, () => managedFields);
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
    managed: (entries: ManagedFieldsEntry[], next: KubeObject) => ManagedFieldsEntry[],
  ): KubeObject {
    const md = obj.metadata;
    for (const k of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'namespace', 'name']) {
      if (old.metadata[k] === undefined) delete md[k];
      else md[k] = old.metadata[k];
    }
    md.resourceVersion = old.metadata.resourceVersion;
    if (o.subresource === 'status') {
      const status = obj.status;
      const kept = clone(old);
      if (status === undefined) delete kept.status;
      else kept.status = status;
      kept.metadata.managedFields = managed(old.metadata.managedFields ?? [], kept);
      return this.commitUpdate(t, old, kept, o);
    }
    if (t.statusSubresource) {
      if (old.status === undefined) delete obj.status;
      else obj.status = old.status;
    }
    this.normalize(t, obj, old);
    this.admission?.admit('UPDATE', t, obj, old);
    if (t.generation) {
      const spec = (x: KubeObject) => JSON.stringify({ ...x, metadata: undefined, status: undefined, apiVersion: undefined });
      md.generation = (old.metadata.generation ?? 1) + (spec(old) !== spec(obj) ? 1 : 0);
    } else delete md.generation;
    md.managedFields = managed(old.metadata.managedFields ?? [], obj);
    return this.commitUpdate(t, old, obj, o);
  }

  private commitUpdate(t: ResourceType, old: KubeObject, obj: KubeObject, o: WriteOptions): KubeObject {
    if (sameIgnoringTimes(old, obj)) return clone(old);
    if (o.dryRun) return obj;
    if (obj.metadata.deletionTimestamp && !obj.metadata.finalizers?.length) {
      return clone(this.store.commit(t, 'DELETED', obj));
    }
    return clone(this.store.commit(t, 'MODIFIED', obj));
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
    this.admission?.admit('DELETE', t, undefined, old);
    const pre = opts.preconditions ?? {};
    if ((pre.uid && pre.uid !== old.metadata.uid) || (pre.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion)) {
      throw errors.conflict(t, name);
    }
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

// Legacy (unaggregated) discovery documents, /version, OpenAPI v3 per group version (paths with the
// `fieldValidation` parameter, so kubectl leaves validation to the server, and the component schemas of
// schemas.json the server validates with), and the CustomResourceDefinition objects of the installed CRDs.
import { createHash } from 'node:crypto';
import { Registry, ResourceType } from './resources';
import { componentSchemas, Model, modelFor } from './schema';
import { KubeObject } from './store';

export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2024-12-11T00:00:00Z',
  goVersion: 'go1.23.3',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export function apiVersions(hostPort: string): KubeObject {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: hostPort }] };
}

/** `GET /`: the path list kube-apiserver serves (what CAPI's ClusterCache probes, cluster_accessor.go HealthCheck). */
export function rootPaths(reg: Registry): KubeObject {
  const paths = ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/openapi/v3', '/readyz', '/version'];
  for (const [g, vs] of reg.groups()) if (g) paths.push(`/apis/${g}`, ...vs.map((v) => `/apis/${g}/${v}`));
  return { paths: paths.sort() };
}

function groupDoc(name: string, versions: string[]): KubeObject {
  const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: vs, preferredVersion: vs[0] };
}

export function apiGroupList(reg: Registry): KubeObject {
  const groups = [...reg.groups()].filter(([g]) => g !== '').map(([g, vs]) => groupDoc(g, vs));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

export function apiGroup(reg: Registry, group: string): KubeObject | undefined {
  const vs = reg.groups().get(group);
  if (!vs || group === '') return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(group, vs) };
}

function storageVersionHash(t: ResourceType): string {
  return createHash('sha256').update(`${t.group}/${t.versions[0]}/${t.kind}`).digest('base64').slice(0, 11);
}

export function apiResourceList(reg: Registry, group: string, version: string): KubeObject | undefined {
  const types = reg.types.filter((t) => t.group === group && t.versions.includes(version));
  if (!types.length) return undefined;
  const resources: KubeObject[] = [];
  for (const t of types) {
    const r: KubeObject = { name: t.plural, singularName: t.singular, namespaced: t.namespaced, kind: t.kind, verbs: t.verbs };
    if (t.shortNames.length) r.shortNames = t.shortNames;
    if (t.categories.length) r.categories = t.categories;
    if (!t.createOnly) r.storageVersionHash = storageVersionHash(t);
    resources.push(r);
    if (t.statusSubresource || t.kind === 'Namespace') {
      resources.push({
        name: `${t.plural}/status`,
        singularName: '',
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: ['get', 'patch', 'update'],
      });
    }
    if (t.group === '' && t.kind === 'ServiceAccount') {
      resources.push({
        name: 'serviceaccounts/token',
        singularName: '',
        namespaced: true,
        group: 'authentication.k8s.io',
        version: 'v1',
        kind: 'TokenRequest',
        verbs: ['create'],
      });
    }
  }
  const doc: KubeObject = { kind: 'APIResourceList', groupVersion: group ? `${group}/${version}` : version, resources };
  if (group) doc.apiVersion = 'v1';
  return doc;
}

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

export function openApiV3Root(reg: Registry): KubeObject {
  const paths: KubeObject = {};
  for (const [g, vs] of reg.groups()) {
    for (const v of vs) {
      const p = gvPath(g, v);
      const hash = createHash('sha512')
        .update(JSON.stringify(openApiV3Doc(reg, g, v)))
        .digest('hex')
        .slice(0, 64)
        .toUpperCase();
      paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${hash}` };
    }
  }
  return { paths };
}

const WRITE_PARAMS = ['dryRun', 'fieldManager', 'fieldValidation'].map((name) => ({
  name,
  in: 'query',
  schema: { type: 'string', uniqueItems: true },
}));

export function openApiV3Doc(reg: Registry, group: string, version: string): KubeObject | undefined {
  const types = reg.types.filter((t) => t.group === group && t.versions.includes(version) && !t.createOnly);
  if (!types.length && !reg.types.some((t) => t.group === group && t.versions.includes(version))) return undefined;
  const paths: KubeObject = {};
  const models: Model[] = [];
  const fallbacks: KubeObject = {};
  for (const t of types) {
    const gvk = { group, version, kind: t.kind };
    const model = modelFor(group, version, t.kind);
    const name = model?.name ?? schemaName(t, version);
    if (model) models.push(model);
    else
      fallbacks[name] = {
        type: 'object',
        description: `${t.kind} (the emulator has no schema for it; any fields are accepted)`,
        'x-kubernetes-preserve-unknown-fields': true,
        'x-kubernetes-group-version-kind': [gvk],
      };
    const ref = { $ref: `#/components/schemas/${name}` };
    const body = { content: { 'application/json': { schema: ref } } };
    const ok = { 200: { description: 'OK', content: { 'application/json': { schema: ref } } } };
    const base = `/${gvPath(group, version)}${t.namespaced ? '/namespaces/{namespace}' : ''}/${t.plural}`;
    paths[`${base}/{name}`] = {
      get: { operationId: `read${t.kind}`, 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': gvk, responses: ok },
      put: {
        operationId: `replace${t.kind}`,
        requestBody: body,
        parameters: WRITE_PARAMS,
        'x-kubernetes-action': 'put',
        'x-kubernetes-group-version-kind': gvk,
        responses: ok,
      },
      patch: {
        operationId: `patch${t.kind}`,
        parameters: [...WRITE_PARAMS, { name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } }],
        requestBody: {
          content: {
            'application/apply-patch+yaml': { schema: { type: 'object' } },
            'application/merge-patch+json': { schema: { type: 'object' } },
          },
        },
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': gvk,
        responses: ok,
      },
      delete: { operationId: `delete${t.kind}`, 'x-kubernetes-action': 'delete', 'x-kubernetes-group-version-kind': gvk, responses: ok },
      parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } }],
    };
    paths[base] = {
      get: { operationId: `list${t.kind}`, 'x-kubernetes-action': 'list', 'x-kubernetes-group-version-kind': gvk, responses: ok },
      post: {
        operationId: `create${t.kind}`,
        requestBody: body,
        parameters: WRITE_PARAMS,
        'x-kubernetes-action': 'post',
        'x-kubernetes-group-version-kind': gvk,
        responses: ok,
      },
    };
  }
  const schemas = { ...componentSchemas(models), ...fallbacks };
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: SERVER_VERSION.gitVersion }, paths, components: { schemas } };
}

function schemaName(t: ResourceType, version: string): string {
  const g = t.group ? t.group.split('.').reverse().join('.') : 'io.k8s.api.core';
  return `${g}.${version}.${t.kind}`;
}

export function crdObject(t: ResourceType): KubeObject {
  const names = {
    kind: t.kind,
    listKind: t.listKind,
    plural: t.plural,
    singular: t.singular,
    shortNames: t.shortNames,
    categories: t.categories.length ? t.categories : undefined,
  };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: t.crd, annotations: { 'emulator.test/served-by': 'kube-emulator' } },
    spec: {
      group: t.group,
      names,
      scope: t.namespaced ? 'Namespaced' : 'Cluster',
      versions: t.versions.map((v, i) => ({
        name: v,
        served: true,
        storage: i === 0,
        schema: { openAPIV3Schema: modelFor(t.group, v, t.kind)?.root ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        subresources: { status: {} },
        additionalPrinterColumns: t.columns,
      })),
      conversion: { strategy: 'None' },
    },
    status: {
      acceptedNames: names,
      storedVersions: [t.versions[0]],
      conditions: [
        {
          type: 'NamesAccepted',
          status: 'True',
          reason: 'NoConflicts',
          message: 'no conflicts found',
          lastTransitionTime: '2024-01-01T00:00:00Z',
        },
        {
          type: 'Established',
          status: 'True',
          reason: 'InitialNamesAccepted',
          message: 'the initial names have been accepted',
          lastTransitionTime: '2024-01-01T00:00:00Z',
        },
      ],
    },
  };
}

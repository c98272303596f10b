// Generates test/emulator/schemas.json: the OpenAPI schemas the Kubernetes API emulator serves and
// validates against (known fields for fieldValidation, CR pruning, defaulting and value validation).
// Every schema is derived from upstream files read out of bare git mirrors at pinned commits:
//   - built-in kinds: the OpenAPI v2 document of Kubernetes v1.27.0 that kube-openapi keeps as test data,
//     converted to OpenAPI v3 component references (`#/definitions/X` → `#/components/schemas/X`);
//   - CRD-backed kinds: `spec.versions[].schema.openAPIV3Schema` of the upstream CRD manifests.
// Descriptions are dropped (size); nothing else is changed.
//
//   npx tsx scripts/emulator-schemas.ts [--mirror /work/.mirror]   (MIRROR env works too)
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';

interface Source {
  repo: string;
  commit: string;
  path: string;
}

const KUBE_OPENAPI: Source = {
  repo: 'kubernetes/kube-openapi',
  commit: 'd427ff9ee9ad05f5da435abbb7c5929cb713ac56',
  path: 'pkg/schemaconv/testdata/swagger.json',
};

/** Built-in kinds the emulator serves (or may serve: apps/v1 for the workload models), by group/version/kind. */
const BUILTIN_GVKS: [string, string, string][] = [
  ['', 'v1', 'Namespace'],
  ['', 'v1', 'Secret'],
  ['', 'v1', 'ConfigMap'],
  ['', 'v1', 'ServiceAccount'],
  ['rbac.authorization.k8s.io', 'v1', 'Role'],
  ['rbac.authorization.k8s.io', 'v1', 'RoleBinding'],
  ['rbac.authorization.k8s.io', 'v1', 'ClusterRole'],
  ['rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding'],
  ['authorization.k8s.io', 'v1', 'SelfSubjectAccessReview'],
  ['authorization.k8s.io', 'v1', 'SelfSubjectRulesReview'],
  ['authentication.k8s.io', 'v1', 'TokenRequest'],
  ['apps', 'v1', 'Deployment'],
  ['apps', 'v1', 'StatefulSet'],
  ['apps', 'v1', 'DaemonSet'],
  ['apps', 'v1', 'ReplicaSet'],
];

const CAPI = { repo: 'kubernetes-sigs/cluster-api', commit: 'ae7ff047db499ac3858ade268ba38db8c9f128bb' };
const CSO = { repo: 'SovereignCloudStack/cluster-stack-operator', commit: 'b3680fbbd4ebd89dfaabfe9a598cde00d1a1ab88' };
const CSPO = { repo: 'SovereignCloudStack/cluster-stack-provider-openstack', commit: 'f23bdb5d866911d6bbcbe53cbab1e007cb038ce6' };
const CAPO = { repo: 'kubernetes-sigs/cluster-api-provider-openstack', commit: 'e52de58abe6f70f4ad3ad7f7f51632bfd70354b7' };

const CRDS: Source[] = [
  { ...CAPI, path: 'core/config/crd/bases/cluster.x-k8s.io_clusters.yaml' },
  { ...CAPI, path: 'core/config/crd/bases/cluster.x-k8s.io_clusterclasses.yaml' },
  { ...CAPI, path: 'core/config/crd/bases/addons.cluster.x-k8s.io_clusterresourcesets.yaml' },
  { ...CAPI, path: 'core/config/crd/bases/addons.cluster.x-k8s.io_clusterresourcesetbindings.yaml' },
  { ...CSO, path: 'config/crd/bases/clusterstack.x-k8s.io_clusterstacks.yaml' },
  { ...CSO, path: 'config/crd/bases/clusterstack.x-k8s.io_clusterstackreleases.yaml' },
  { ...CSO, path: 'config/crd/bases/clusterstack.x-k8s.io_clusteraddons.yaml' },
  { ...CSPO, path: 'config/crd/bases/infrastructure.clusterstack.x-k8s.io_openstackclusterstackreleasetemplates.yaml' },
  // What CAPO reads a cluster's credentials from: OpenStackCluster.spec.identityRef, and the cluster-scoped identity it may name.
  { ...CAPO, path: 'config/crd/bases/infrastructure.cluster.x-k8s.io_openstackclusters.yaml' },
  { ...CAPO, path: 'config/crd/bases/infrastructure.cluster.x-k8s.io_openstackclusteridentities.yaml' },
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function mirrorRoot(): string {
  const i = process.argv.indexOf('--mirror');
  return i >= 0 ? process.argv[i + 1] : (process.env.MIRROR ?? '/work/.mirror');
}

function read(s: Source): string {
  const dir = join(mirrorRoot(), s.repo.replace('/', '+'), 'repo');
  try {
    return execFileSync('git', ['-C', dir, 'show', `${s.commit}:${s.path}`], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    throw new Error(`cannot read ${s.repo}@${s.commit} ${s.path} from ${dir}: ${(e as Error).message.split('\n')[0]}`, { cause: e });
  }
}

/** Drops `description` keys (but not properties named "description"). */
function strip(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(strip);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'description' && typeof v === 'string') continue;
    if (k === 'properties' && v && typeof v === 'object') {
      out[k] = Object.fromEntries(Object.entries(v).map(([p, s]) => [p, strip(s)]));
      continue;
    }
    out[k] = strip(v);
  }
  return out;
}

function builtins(): { definitions: Json; kinds: Json[] } {
  const swagger = JSON.parse(read(KUBE_OPENAPI));
  const defs: Json = swagger.definitions;
  const wanted = new Map<string, string>();
  const kinds: Json[] = [];
  for (const [name, d] of Object.entries<Json>(defs)) {
    for (const gvk of d['x-kubernetes-group-version-kind'] ?? []) {
      const hit = BUILTIN_GVKS.find(([g, v, k]) => g === gvk.group && v === gvk.version && k === gvk.kind);
      if (hit && !wanted.has(name)) {
        wanted.set(name, hit.join('/'));
        kinds.push({ group: hit[0], version: hit[1], kind: hit[2], definition: name });
      }
    }
  }
  for (const [g, v, k] of BUILTIN_GVKS) {
    if (!kinds.some((x) => x.group === g && x.version === v && x.kind === k)) throw new Error(`no definition for ${g}/${v} ${k}`);
  }
  const definitions: Json = {};
  const visit = (name: string): void => {
    if (definitions[name]) return;
    const d = defs[name];
    if (!d) throw new Error(`dangling reference ${name}`);
    const text = JSON.stringify(strip(d)).replace(/"#\/definitions\//g, '"#/components/schemas/');
    definitions[name] = JSON.parse(text);
    for (const m of text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)) visit(m[1]);
  };
  for (const name of wanted.keys()) visit(name);
  kinds.sort((a, b) => `${a.group}/${a.kind}`.localeCompare(`${b.group}/${b.kind}`));
  return { definitions: Object.fromEntries(Object.entries(definitions).sort(([a], [b]) => a.localeCompare(b))), kinds };
}

function crds(): Json[] {
  return CRDS.map((s) => {
    const crd = load(read(s)) as Json;
    const versions: Json = {};
    for (const v of crd.spec.versions) {
      if (!v.served) continue;
      versions[v.name] = strip(v.schema.openAPIV3Schema);
    }
    return {
      group: crd.spec.group,
      kind: crd.spec.names.kind,
      plural: crd.spec.names.plural,
      source: `${s.repo}@${s.commit} ${s.path}`,
      versions,
    };
  });
}

const { definitions, kinds } = builtins();
const out = {
  generatedBy: 'scripts/emulator-schemas.ts',
  sources: {
    builtins: `${KUBE_OPENAPI.repo}@${KUBE_OPENAPI.commit} ${KUBE_OPENAPI.path} (Kubernetes v1.27.0 OpenAPI v2, converted to v3 component references)`,
    crds: CRDS.map((s) => `${s.repo}@${s.commit} ${s.path}`),
  },
  builtins: kinds,
  definitions,
  crds: crds(),
};
const target = join(__dirname, '..', 'test', 'emulator', 'schemas.json');
writeFileSync(target, JSON.stringify(out) + '\n');
console.log(
  `wrote ${target}: ${kinds.length} built-in kinds, ${Object.keys(definitions).length} definitions, ${out.crds.length} CRDs (${(JSON.stringify(out).length / 1024).toFixed(0)} KiB)`,
);

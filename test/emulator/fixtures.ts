// Loading seed objects from YAML files or directories (e.g. test/fixtures), multi-document aware.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { load, loadAll } from 'js-yaml';
import { KubeObject } from './store';

/** The repository's copy of the shared fixtures: real objects of this domain with their sources (its README). */
export const FIXTURES_DIR = join(__dirname, '..', 'fixtures');
/** Its folders of Kubernetes objects (`stacks-authoring` holds cluster-stack source files, not objects). */
export const OBJECT_FIXTURE_DIRS = ['addons', 'clusterclass', 'clusters', 'clusterstack', 'secrets', 'topology'].map((d) =>
  join(FIXTURES_DIR, d),
);

export interface LoadedObject {
  object: KubeObject;
  file: string;
}

export function loadYamlObjects(path: string): LoadedObject[] {
  const st = statSync(path);
  if (st.isDirectory()) {
    return readdirSync(path)
      .sort()
      .flatMap((f) => {
        const p = join(path, f);
        return statSync(p).isDirectory() || /\.ya?ml$/.test(f) ? loadYamlObjects(p) : [];
      });
  }
  const docs = loadAll(readFileSync(path, 'utf8'));
  const out: LoadedObject[] = [];
  for (const d of docs) {
    if (d && typeof d === 'object' && !Array.isArray(d)) {
      const o = d as KubeObject;
      if (o.kind === 'List' && Array.isArray(o.items)) for (const i of o.items) out.push({ object: i, file: path });
      else out.push({ object: o, file: path });
    }
  }
  return out;
}

/** An scs2 ClusterStack (openstack, no provider, stable channel) of one Kubernetes minor with these releases. */
export function scs2ClusterStack(namespace: string, minor: string, versions: string[]): KubeObject {
  return {
    apiVersion: 'clusterstack.x-k8s.io/v1alpha1',
    kind: 'ClusterStack',
    metadata: { name: `scs2-${minor.replace('.', '-')}`, namespace },
    spec: {
      provider: 'openstack',
      name: 'scs2',
      kubernetesVersion: minor,
      channel: 'stable',
      autoSubscribe: false,
      noProvider: true,
      versions,
    },
  };
}

/**
 * The scs2 README Cluster (v1beta2, class openstack-scs2-1-33-v1), renamed into `namespace` with its class there
 * too; `fixturesDir` is test/fixtures (bundled tests cannot use this file's own location).
 */
export function scs2ReadmeCluster(name: string, namespace: string, fixturesDir = FIXTURES_DIR): KubeObject {
  const file = join(fixturesDir, 'topology', 'scs2-readme-cluster-v1beta2-derived.yaml');
  const c = load(readFileSync(file, 'utf8')) as KubeObject;
  c.metadata = { ...c.metadata, name, namespace };
  c.spec.topology.classRef.namespace = namespace;
  return c;
}

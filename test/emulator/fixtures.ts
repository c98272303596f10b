// Loading seed objects from YAML files or directories (e.g. test/fixtures), multi-document aware.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
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

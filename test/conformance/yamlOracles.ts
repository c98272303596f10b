/**
 * The two YAML readers the consumers use, as oracles for what a clouds.yaml value is: PyYAML's
 * `yaml.safe_load` (openstacksdk's loader; yaml_oracle.py with the system python3) and gopkg.in/yaml.v2
 * (CAPO/CSPO via sigs.k8s.io/yaml, gophercloud's clientconfig; yaml-checker/main.go). Both print strings
 * as text, bytes (`!!binary` in Python, invalid UTF-8 in Go) as {"$bytes": base64}, other scalars with their type.
 */
import * as path from 'node:path';
import { goBinary, runBatch } from './go';
import { runPythonOracle } from './pythonOracle';

export interface YamlRead {
  readonly ok: boolean;
  readonly error?: string;
  readonly value?: unknown;
}

const b64 = (inputs: readonly Uint8Array[]) => inputs.map((b) => Buffer.from(b).toString('base64'));

export function pyyamlRead(inputs: readonly Uint8Array[]): YamlRead[] {
  return runPythonOracle<YamlRead[]>('yaml_oracle.py', b64(inputs), 'python3-yaml');
}

export function goyamlRead(inputs: readonly Uint8Array[]): Promise<YamlRead[]> {
  const bin = goBinary({
    name: 'yaml-checker',
    sources: path.join(__dirname, 'yaml-checker'),
    files: { 'main.go': 'src/yaml-checker/main.go' },
    needs: [{ importPath: 'gopkg.in/yaml.v2', file: 'decode.go', pkg: 'golang-gopkg-yaml.v2-dev' }],
  });
  return runBatch<YamlRead>(bin, [], JSON.stringify(b64(inputs)), 'Go yaml oracle (yaml-checker)', inputs.length);
}

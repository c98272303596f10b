/**
 * The two YAML readers the consumers use, as oracles for what a clouds.yaml value is: PyYAML's
 * `yaml.safe_load` (openstacksdk's loader) with the system python3, and gopkg.in/yaml.v2 (CAPO/CSPO via
 * sigs.k8s.io/yaml, gophercloud's clientconfig) through test/conformance/yaml-checker. Both print
 * strings as text, bytes (`!!binary` in Python, invalid UTF-8 in Go) as {"$bytes": base64}, other
 * scalars with their type.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { goCheckerPath } from './goBuild';
import { PYTHON } from './openstacksdk';

export interface YamlRead {
  readonly ok: boolean;
  readonly error?: string;
  readonly value?: unknown;
}

const PY = `
import base64, datetime, json, sys, yaml
def plain(v):
    if isinstance(v, dict): return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, list): return [plain(x) for x in v]
    if isinstance(v, bytes): return {'$bytes': base64.b64encode(v).decode()}
    if isinstance(v, (datetime.date, datetime.datetime)): return {'$time': str(v)}
    if isinstance(v, (str, bool)) or v is None: return v
    return {'$' + type(v).__name__: str(v)}
out = []
for b64 in json.load(sys.stdin):
    try:
        out.append({'ok': True, 'value': plain(yaml.safe_load(base64.b64decode(b64)))})
    except Exception as e:
        out.append({'ok': False, 'error': '%s: %s' % (type(e).__name__, e)})
json.dump(out, sys.stdout)
`;

function run(cmd: string, args: string[], inputs: readonly Uint8Array[], what: string): YamlRead[] {
  const r = spawnSync(cmd, args, {
    input: JSON.stringify(inputs.map((b) => Buffer.from(b).toString('base64'))),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error || r.status !== 0) throw new Error(`${what} failed: ${r.error?.message ?? r.stderr}`);
  return JSON.parse(r.stdout) as YamlRead[];
}

export function pyyamlRead(inputs: readonly Uint8Array[]): YamlRead[] {
  return run(PYTHON, ['-c', PY], inputs, 'PyYAML oracle (python3-yaml, with python3-openstacksdk)');
}

export function goyamlRead(inputs: readonly Uint8Array[]): YamlRead[] {
  const bin = goCheckerPath({
    name: 'yaml-checker',
    sources: path.join(__dirname, 'yaml-checker'),
    files: { 'main.go': 'src/yaml-checker/main.go' },
    requires: [{ file: 'src/gopkg.in/yaml.v2/decode.go', pkg: 'gopkg.in/yaml.v2', deb: 'golang-gopkg-yaml.v2-dev' }],
  });
  return run(bin, [], inputs, 'Go yaml oracle');
}

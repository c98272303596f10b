/**
 * Conversion throughput: every cloud of an N-cloud clouds.yaml converted to cloud.conf through the CLI
 * core (`convertCloud`, what `cluster-stacks cloud-conf --cloud NAME` runs), against openstacksdk
 * loading the same file and resolving every cloud (`get_one`) in the same run. Both sides' auth URLs are
 * compared cloud by cloud, so a conversion that does less work cannot pass for a fast one.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { convertCloud } from '../src/core/clouds';
import { tempDir } from '../test/vscode/codeServer';
import { cloudsYaml } from './data';
import { type Metric, median, metric } from './metrics';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3'; // Debian's, with python3-openstacksdk

export async function benchConvert(opts: { clouds: number; runs: number }, log: (line: string) => void): Promise<Record<string, Metric>> {
  const { text } = cloudsYaml(opts.clouds);
  const file = path.join(tempDir('bench-convert'), 'clouds.yaml');
  fs.writeFileSync(file, text);
  const input = { clouds: { path: file, text } };
  const names = Array.from({ length: opts.clouds }, (_, i) => `cloud-${i}`);

  const convertAll = (): Map<string, string> => {
    const urls = new Map<string, string>();
    for (const name of names) {
      const r = convertCloud(input, name, { lb: 'scs' });
      if (!r.ok) throw new Error(`${name} did not convert: ${JSON.stringify([...r.findings.values()].flat().map((f) => f.message))}`);
      urls.set(name, /^auth-url="([^"]*)"$/m.exec(r.text)?.[1] ?? '');
    }
    return urls;
  };
  convertCloud(input, names[0]); // JIT warm-up, not timed
  const ours: number[] = [];
  let urls = new Map<string, string>();
  for (let i = 0; i < opts.runs; i++) {
    const t0 = performance.now();
    urls = convertAll();
    ours.push(performance.now() - t0);
  }
  const peer: number[] = [];
  for (let i = 0; i < opts.runs; i++) {
    const { stdout } = await run(PYTHON, [path.join(__dirname, 'openstacksdk_clouds.py'), file, ...names], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      maxBuffer: 64 * 2 ** 20,
      timeout: 600_000,
    });
    const r = JSON.parse(stdout) as { ms: number; auth_urls: Record<string, string> };
    for (const name of names) {
      if (r.auth_urls[name] !== urls.get(name))
        throw new Error(`${name}: openstacksdk reads auth_url ${r.auth_urls[name]}, the conversion wrote ${urls.get(name)}`);
    }
    peer.push(r.ms);
  }
  const perS = (ms: number) => (opts.clouds / ms) * 1000;
  log(
    `  convert: ${opts.clouds} clouds in ${ours.map((m) => m.toFixed(0)).join(', ')} ms; openstacksdk ${peer.map((m) => m.toFixed(0)).join(', ')} ms`,
  );
  const peerPerS = perS(median(peer)!);
  return {
    convert_clouds_per_s: metric({
      unit: 'clouds/s',
      samples: ours.map(perS),
      peer: `openstacksdk loading the file and resolving every cloud (get_one), median ${peerPerS.toFixed(0)} clouds/s (ratio > 1: the core is faster)`,
      peerValue: peerPerS,
      workload: `${opts.clouds.toLocaleString('en-US')} application-credential clouds in one clouds.yaml, each converted; ${opts.runs} run(s)`,
      how: 'convertCloud() per cloud in this process (the CLI core); auth URLs cross-checked against openstacksdk',
    }),
  };
}

/**
 * The bad-input corpus with its oracles: the unit stage's generator (test/corpus/generate.ts), a
 * different run of cases, every invariant of the unit stage, and for each case the CLI converted
 * (exit 0): the real gcfg accepts the cloud.conf for OCCM and Cinder CSI, and openstacksdk reading
 * the same files holds exactly the values written (auth_url, region, interface, TLS, every auth
 * field), apart from the divergences docs/conformance-policy.md documents. Seeded and bounded.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BoundedCli, type CliOutcome } from '../corpus/boundedCli';
import { caseDescription, materialize, writeCase, type CorpusCase } from '../corpus/generate';
import { violations } from '../corpus/invariants';
import { CorpusStats } from '../corpus/stats';
import { gcfgParseMany } from './gcfg';
import { openstacksdkResolve } from './openstacksdk';
import { compareWithSdk } from './sdkCompare';

// A fixed default seed keeps CI reproducible; CS_SEED=<n> explores others (seed 890801854 found an `interface` value
// gcfg cannot read as gophercloud.Availability written as is: now CS176).
const SEED = Number(process.env.CS_SEED ?? 20261202);
const RUNS = Number(process.env.CS_CORPUS_RUNS ?? 400);

describe(`bad-input corpus against the real gcfg and openstacksdk (seed ${SEED}, ${RUNS} cases)`, function () {
  this.timeout(900_000);
  const converted: { c: CorpusCase; o: Extract<CliOutcome, { kind: 'exit' }>; files: Record<string, string> }[] = [];
  const stats = new CorpusStats();

  before(async () => {
    const cli = new BoundedCli();
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-corpus-oracle-'));
    try {
      const descriptions = fc.sample(caseDescription, { seed: SEED, numRuns: RUNS });
      for (let i = 0; i < descriptions.length; i++) {
        const c = materialize(descriptions[i]);
        const dir = path.join(tmp, `case-${i}`);
        writeCase(c, dir);
        const o = await cli.run({ args: c.args, cwd: dir, env: c.env });
        stats.add(c, o);
        assert.deepEqual(violations(c, o, dir), [], `seed ${SEED}, case ${i}: ${c.classes.join(' ')} ${JSON.stringify(c.args)}`);
        if (o.kind === 'exit' && o.code === 0 && c.command === 'cloud-conf') {
          const files: Record<string, string> = {};
          for (const name of ['clouds.yaml', 'secure.yaml', 'clouds-public.yaml'])
            if (fs.existsSync(path.join(dir, name))) files[name] = fs.readFileSync(path.join(dir, name), 'utf8');
          converted.push({ c, o, files });
        }
        fs.rmSync(dir, { recursive: true, force: true });
      }
    } finally {
      cli.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  after(() => console.log(stats.summary('oracle corpus', SEED)));

  it('every converted cloud.conf is accepted by the real gcfg, for OCCM and for Cinder CSI', async () => {
    assert.ok(converted.length >= RUNS / 10, `only ${converted.length} of ${RUNS} cases converted: the generator is too destructive`);
    const parsed = await gcfgParseMany(converted.map((x) => x.o.out));
    parsed.forEach((g, i) => {
      assert.equal(g.ok, true, `seed ${SEED}: ${converted[i].c.classes.join(' ')}: ${g.error}`);
      assert.equal(g.csi.ok, true, `seed ${SEED}: ${converted[i].c.classes.join(' ')}: ${g.csi.error}`);
    });
  });

  it('openstacksdk holds exactly the values the converter wrote (documented divergences apart); planted secrets among them', async () => {
    const parsed = await gcfgParseMany(converted.map((x) => x.o.out));
    const sdk = openstacksdkResolve(
      converted.map((x, i) => ({
        name: `k${i}`,
        cloud: x.c.cloud as string,
        clouds: x.files['clouds.yaml'],
        ...(x.files['secure.yaml'] !== undefined ? { secure: x.files['secure.yaml'] } : {}),
        ...(x.files['clouds-public.yaml'] !== undefined ? { public: x.files['clouds-public.yaml'] } : {}),
      })),
    );
    let agreed = 0;
    let documented = 0;
    let secretsChecked = 0;
    const problems: string[] = [];
    converted.forEach((x, i) => {
      const o = sdk[i];
      const where = `seed ${SEED}, ${x.c.classes.join(' ')} ${JSON.stringify(x.c.args)}`;
      if (!o.ok) return void problems.push(`${where}: openstacksdk cannot load what the converter converted: ${o.error}`);
      const r = compareWithSdk(o, parsed[i].global, false);
      for (const d of r.diffs) problems.push(`${where}: ${d}`);
      if (r.diffs.length === 0 && r.documented.length) documented++;
      else if (r.diffs.length === 0) agreed++;
      for (const v of Object.values(parsed[i].global)) if (typeof v === 'string' && x.c.secrets.includes(v)) secretsChecked++;
    });
    console.log(
      `      ${converted.length} converted cases: ${agreed} agree with openstacksdk on every value, ${documented} with documented divergences only; ${secretsChecked} planted secrets read back exactly`,
    );
    assert.deepEqual(problems, []);
  });
});

/** Figures of a corpus run: cases, outcomes, classes hit, finding codes seen, time and memory. */
import type { CliOutcome } from './boundedCli';
import type { CorpusCase } from './generate';

export class CorpusStats {
  cases = 0;
  readonly exits = new Map<string, number>();
  readonly classes = new Map<string, number>();
  readonly codes = new Map<string, number>();
  totalMs = 0;
  maxMs = 0;
  maxRss = 0;
  private readonly started = Date.now();

  add(c: CorpusCase, o: CliOutcome): void {
    this.cases++;
    const key = o.kind === 'exit' ? `exit ${o.code}` : o.kind;
    this.exits.set(key, (this.exits.get(key) ?? 0) + 1);
    for (const k of c.classes) this.classes.set(k, (this.classes.get(k) ?? 0) + 1);
    if (o.kind === 'exit') for (const m of o.err.matchAll(/ (C[SC]\d{3}): /g)) this.codes.set(m[1], (this.codes.get(m[1]) ?? 0) + 1);
    this.totalMs += o.ms;
    this.maxMs = Math.max(this.maxMs, o.ms);
    this.maxRss = Math.max(this.maxRss, o.rss);
  }

  summary(label: string, seed: number): string {
    const list = (m: Map<string, number>) =>
      [...m]
        .sort((a, b) => a[0].localeCompare(b[0]))
        .map(([k, n]) => `${k} ${n}`)
        .join(', ');
    const wall = ((Date.now() - this.started) / 1000).toFixed(1);
    return [
      `      ${label} (seed ${seed}): ${this.cases} cases in ${wall} s (CLI time ${(this.totalMs / 1000).toFixed(1)} s, slowest ${this.maxMs} ms, peak RSS ${Math.round(this.maxRss / 1048576)} MiB)`,
      `        outcomes: ${list(this.exits)}`,
      `        classes hit (${this.classes.size}): ${list(this.classes)}`,
      `        finding codes seen (${this.codes.size}): ${list(this.codes)}`,
    ].join('\n');
  }
}

/**
 * The benchmark's results: one metric per id with its samples' summary, the peer it was compared to
 * in the same run, and the target the issue set (met / missed). `bench-results.json` has this shape;
 * `validateResults` checks it (the bench smoke test and the README generator use it), `markdownTable`
 * renders it (the console table and the README's).
 */

export type Unit = 'ms' | 'MiB' | 'count' | 'x' | 'clouds/s' | 'bytes';

/** A target: the value must be `op` the threshold. */
export interface Target {
  readonly op: '<=' | '>=' | '==';
  readonly value: number;
}

export interface Metric {
  /** The figure that is compared with the target; null when it could not be measured (`note` says why). */
  readonly value: number | null;
  readonly unit: Unit;
  readonly median: number | null;
  readonly min: number | null;
  readonly max: number | null;
  /** Samples behind median/min/max (edits, launches, refreshes, repetitions). */
  readonly runs: number;
  /** What the value was compared to, measured in the same run. */
  readonly peer?: string;
  /** value ÷ peer's figure (see each metric's `peer` for the direction). */
  readonly ratio?: number | null;
  readonly target?: Target;
  /**
   * value against target; null when there is no target, or no value without `missed` (false: the
   * target was not reached although nothing could be timed, e.g. no diagnostics arrived).
   */
  readonly met: boolean | null;
  /** The data the metric was measured on, e.g. "2,000 clouds, 20 edits". */
  readonly workload: string;
  /** How it is measured (one line). */
  readonly how: string;
  readonly note?: string;
}

export interface Results {
  readonly date: string;
  readonly quick: boolean;
  readonly machine: { readonly cpus: number; readonly load: number[]; readonly loadAtEnd?: number[]; readonly node: string };
  readonly vscode?: string;
  readonly durationS: number;
  readonly metrics: Record<string, Metric>;
}

/** The ids the issue asks for (a full and a `--quick` run both produce each of them). */
export const REQUIRED_METRICS = [
  'activation_ms',
  'vsix_bytes',
  'extension_bundle_bytes',
  'edit_host_p95_ms_2000_clouds',
  'diagnostics_p95_ms_2000_clouds',
  'edit_host_p95_ms_5mb_manifest',
  'diagnostics_p95_ms_5mb_manifest',
  'explorer_tenants_ms_500x20',
  'explorer_ratio_vs_kubectl_500x20',
  'explorer_tenants_ms_5000x20',
  'explorer_ratio_vs_kubectl_5000x20',
  'explorer_host_heap_mib_5000x20',
  'explorer_requests_per_refresh',
  'push_ratio_vs_kubectl_100',
  'convert_clouds_per_s',
] as const;

const UNITS: readonly Unit[] = ['ms', 'MiB', 'count', 'x', 'clouds/s', 'bytes'];

/** Nearest-rank percentile (p in 0..100) of the samples; undefined for none. */
export function percentile(samples: readonly number[], p: number): number | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function median(samples: readonly number[]): number | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round = (x: number) => (Math.abs(x) >= 100 ? Math.round(x) : Math.round(x * 100) / 100);

export function isMet(value: number | null, target: Target | undefined): boolean | null {
  if (!target || value === null) return null;
  if (target.op === '<=') return value <= target.value;
  if (target.op === '>=') return value >= target.value;
  return value === target.value;
}

export interface MetricInput {
  readonly unit: Unit;
  /** The samples; `value` picks the figure from them (default: the median). */
  readonly samples: readonly number[];
  readonly value?: 'median' | 'p95' | 'min' | 'max' | number;
  readonly peer?: string;
  /** The peer's figure in the same unit: ratio = value ÷ peerValue. */
  readonly peerValue?: number;
  /** For a metric that is itself a ratio against `peer`: the ratio is the value. */
  readonly ratioIsValue?: true;
  /** With no samples: the target is missed all the same (what it times never happened; `note` says why). */
  readonly missed?: true;
  readonly target?: Target;
  readonly workload: string;
  readonly how: string;
  readonly note?: string;
}

/** A metric from its samples; no samples give value null (then `note` must say why). */
export function metric(m: MetricInput): Metric {
  const pick = m.value ?? 'median';
  const raw =
    typeof pick === 'number'
      ? pick
      : pick === 'p95'
        ? percentile(m.samples, 95)
        : pick === 'min'
          ? Math.min(...m.samples)
          : pick === 'max'
            ? Math.max(...m.samples)
            : median(m.samples);
  const value = raw === undefined || !Number.isFinite(raw) ? null : round(raw);
  if (value === null && !m.note) throw new Error(`a metric without a value needs a note (${m.workload})`);
  const has = m.samples.length > 0;
  const ratio =
    value !== null && m.ratioIsValue
      ? value
      : value !== null && m.peerValue !== undefined && m.peerValue > 0
        ? Math.round((value / m.peerValue) * 1000) / 1000
        : undefined;
  if (m.missed && (value !== null || !m.target || !m.note))
    throw new Error(`missed is for a metric with a target, a note and no value (${m.workload})`);
  return {
    value,
    unit: m.unit,
    median: has ? round(median(m.samples)!) : null,
    min: has ? round(Math.min(...m.samples)) : null,
    max: has ? round(Math.max(...m.samples)) : null,
    runs: m.samples.length,
    ...(m.peer ? { peer: m.peer, ratio: ratio ?? null } : {}),
    ...(m.target ? { target: m.target } : {}),
    met: m.missed ? false : isMet(value, m.target),
    workload: m.workload,
    how: m.how,
    ...(m.note ? { note: m.note } : {}),
  };
}

/** Problems with a results document (empty when it has the shape and every required id). */
export function validateResults(x: unknown): string[] {
  const problems: string[] = [];
  const r = x as Partial<Results> | null;
  if (!r || typeof r !== 'object') return ['not an object'];
  if (typeof r.date !== 'string' || Number.isNaN(Date.parse(r.date))) problems.push('date is not an ISO date');
  if (typeof r.quick !== 'boolean') problems.push('quick is not a boolean');
  const m = r.machine;
  if (!m || typeof m.cpus !== 'number' || !Array.isArray(m.load) || m.load.some((l) => typeof l !== 'number'))
    problems.push('machine needs cpus (number) and load (numbers)');
  if (!r.metrics || typeof r.metrics !== 'object') return [...problems, 'metrics missing'];
  for (const id of REQUIRED_METRICS) {
    if (!(id in r.metrics)) problems.push(`metric ${id} missing`);
    else if (r.metrics[id].peer === undefined) problems.push(`metric ${id} has no peer`);
  }
  for (const [id, mt] of Object.entries(r.metrics)) {
    const bad = (what: string) => problems.push(`${id}: ${what}`);
    if (!UNITS.includes(mt.unit)) bad(`unit ${String(mt.unit)} is not one of ${UNITS.join(', ')}`);
    if (mt.value === null) {
      if (!mt.note) bad('value null without a note saying why');
    } else if (typeof mt.value !== 'number' || !Number.isFinite(mt.value)) bad('value is not a finite number');
    for (const k of ['median', 'min', 'max'] as const) if (mt[k] !== null && typeof mt[k] !== 'number') bad(`${k} is not a number`);
    if (!Number.isInteger(mt.runs) || mt.runs < 0) bad('runs is not a count');
    if (mt.value !== null && mt.runs === 0 && !mt.note) bad('a value without samples');
    if (mt.peer !== undefined && (typeof mt.peer !== 'string' || (mt.ratio !== null && typeof mt.ratio !== 'number')))
      bad('peer needs a text and a ratio (number or null)');
    if (mt.target && !(['<=', '>=', '=='].includes(mt.target.op) && typeof mt.target.value === 'number')) bad('target malformed');
    const missedUnmeasured = mt.value === null && mt.target !== undefined && mt.met === false;
    if (mt.met !== isMet(mt.value, mt.target) && !missedUnmeasured) bad(`met (${String(mt.met)}) does not follow from value and target`);
    if (typeof mt.workload !== 'string' || typeof mt.how !== 'string') bad('workload and how must be texts');
  }
  return problems;
}

const UNIT_TEXT: Record<Unit, string> = { ms: ' ms', MiB: ' MiB', count: '', x: '×', 'clouds/s': ' clouds/s', bytes: ' B' };

export function formatValue(v: number | null, unit: Unit): string {
  if (v === null) return 'n/a';
  if (unit === 'bytes') return v >= 1e6 ? `${(v / 1e6).toFixed(2)} MB` : `${(v / 1e3).toFixed(1)} kB`;
  return `${v.toLocaleString('en-US')}${UNIT_TEXT[unit]}`;
}

function targetText(m: Metric): string {
  if (!m.target) return '—';
  const verdict = m.met === null ? 'not measured' : m.met ? '**met**' : '**missed**';
  return `${m.target.op === '==' ? '=' : m.target.op === '<=' ? '≤' : '≥'} ${formatValue(m.target.value, m.unit)}: ${verdict}`;
}

/** The results as a Markdown table: metric, value, median/min/max over runs, peer and ratio, target. */
export function markdownTable(r: Results): string {
  const rows = [
    '| metric | value | median (min–max), runs | peer in the same run (ratio) | target | workload |',
    '|---|---|---|---|---|---|',
  ];
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  for (const [id, m] of Object.entries(r.metrics)) {
    const spread =
      m.median === null ? '—' : `${formatValue(m.median, m.unit)} (${formatValue(m.min, m.unit)}–${formatValue(m.max, m.unit)}), ${m.runs}`;
    const peer = m.peer ? `${m.peer}${m.ratio === null || m.ratio === undefined ? '' : ` (${m.ratio}×)`}` : '—';
    const value = formatValue(m.value, m.unit) + (m.note ? ` — ${m.note}` : '');
    rows.push(`| \`${id}\` | ${esc(value)} | ${esc(spread)} | ${esc(peer)} | ${esc(targetText(m))} | ${esc(m.workload)} |`);
  }
  return rows.join('\n');
}

/**
 * What the benchmark driver (bench/host.ts, outside VS Code) asks the agent (bench/host/agent.ts,
 * inside the extension host) to do, and what comes back. The agent long-polls the driver's loopback
 * control server: it posts the previous answer and receives the next task.
 */

/** Where the agent finds the driver: `http://127.0.0.1:<port>/agent` (environment of code-server). */
export const CONTROL_ENV = 'CLUSTER_STACKS_BENCH_CONTROL';

/** A line the edit benchmark toggles between two texts; `code` is the finding the `to` text causes. */
export interface Toggle {
  readonly line: number;
  readonly from: string;
  readonly to: string;
  readonly code: string;
}

/** A finding (code at a line) that the analysed file always has. */
export interface Sentinel {
  readonly line: number;
  readonly code: string;
}

export interface EditArgs {
  /** The file our extension analyses, and the same text as plain text (the peer). */
  readonly file: string;
  readonly peerFile: string;
  readonly toggle: Toggle;
  /** Diagnostics count as the analysis of the edit only when they also hold this finding. */
  readonly sentinel: Sentinel;
  /** Edits per file (even, so the file ends as it started). */
  readonly edits: number;
  /** A window lasts at least this long after the edit... */
  readonly minWindowMs: number;
  /** ...and until this long after the diagnostics arrived. */
  readonly settleMs: number;
  /** Diagnostics later than this after opening or an edit count as not arrived... */
  readonly diagnosticsTimeoutMs: number;
  /** ...or later than this after an edit when the sentinel did not show after opening (the file is not analysed). */
  readonly unanalysedTimeoutMs: number;
}

export interface EditSample {
  /** CPU time of the extension host's main thread in the window (process.threadCpuUsage). */
  readonly threadCpuMs: number;
  /** Event-loop busy time of that thread in the window (eventLoopUtilization().active, wall clock). */
  readonly busyMs: number;
  /** The longest stretch the thread could not run a 20 ms timer (monitorEventLoopDelay max). */
  readonly longestBlockMs: number;
  /** Edit → onDidChangeDiagnostics with the toggled finding present/absent as expected; null: none in time. */
  readonly diagnosticsMs: number | null;
  /** When no diagnostics came in time: the file's diagnostics then (code@line, 0-based), to show why. */
  readonly lateState?: string;
  /** The edit's own round trip (TextEditor.edit resolving). */
  readonly editMs: number;
  readonly windowMs: number;
}

export interface EditResult {
  readonly ours: EditSample[];
  readonly peer: EditSample[];
  /** Whether the sentinel finding arrived after opening our file. */
  readonly analysedOnOpen: boolean;
  readonly chars: number;
  /** Where threadCpuMs comes from: the main thread (Node ≥ 23.9) or, failing that, the whole process. */
  readonly cpu: 'thread' | 'process';
}

export interface ActivationResult {
  readonly id: string;
  readonly wasActive: boolean;
  /** Wall time of `await extension.activate()` in the extension host. */
  readonly wallMs: number;
}

export interface HeapArgs {
  /** Also write a heap snapshot (after GC) to this file. */
  readonly snapshot?: string;
}

export interface HeapResult {
  readonly heapUsedMiB: number;
  readonly rssMiB: number;
  readonly gc: boolean;
}

export type Task =
  | { readonly id: number; readonly op: 'activate'; readonly args: { readonly ids: string[] } }
  | { readonly id: number; readonly op: 'command'; readonly args: { readonly command: string; readonly args?: unknown[] } }
  | { readonly id: number; readonly op: 'edits'; readonly args: EditArgs }
  | { readonly id: number; readonly op: 'heap'; readonly args: HeapArgs }
  | { readonly id: number; readonly op: 'exit' };

export type Answer =
  | { readonly hello: true; readonly vscode: string; readonly pid: number }
  | { readonly id: number; readonly result: unknown }
  | { readonly id: number; readonly error: string };

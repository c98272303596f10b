/**
 * What the extension showed and returned inside the extension host, kept for the leak check: every
 * notification and modal (message, detail, items), every result and error of a `clusterStacks.*`
 * command, the tokens of the emulators the tests started, and the secrets made at run time (Keystone's
 * application credential secrets, which it shows once, at creation). One ledger per extension host (on
 * globalThis: each test file is bundled separately). The suite index installs the recorders and, at the
 * end, writes the ledger to CLUSTER_STACKS_LEAK_LEDGER (a 0600 file in the runner's temp dir) for the
 * runner to scan (run.ts).
 */
import * as fs from 'node:fs';
import type { Secret } from './scan';

/** The parts of an emulator the ledger reads its tokens from (test/emulator's `Emulator`). */
export interface TokenSource {
  readonly name: string;
  readonly token: string;
  readonly workloads: ReadonlyMap<string, TokenSource>;
  list(apiVersion: string, kind: string): Record<string, unknown>[];
}

export interface LedgerRecord {
  where: string;
  text: string;
}

interface Ledger {
  records: LedgerRecord[];
  emulators: TokenSource[];
  secrets: Secret[];
}

const KEY = Symbol.for('cluster-stacks.leak-ledger');

function ledger(): Ledger {
  const g = globalThis as unknown as Record<symbol, Ledger | undefined>;
  const l = (g[KEY] ??= { records: [], emulators: [], secrets: [] });
  l.secrets ??= []; // a ledger made by a bundle built before this field
  return l;
}

export function record(where: string, text: string): void {
  ledger().records.push({ where: `${where} #${ledger().records.length + 1}`, text });
}

/** Registers an emulator: its admin token, its workload clusters' and its service-account tokens are searched for. */
export function trackEmulator<T extends TokenSource>(em: T): T {
  ledger().emulators.push(em);
  return em;
}

/**
 * Registers a secret a test did not choose (a Keystone application credential's secret, read from its
 * creation or back from a cluster): the leak check searches for it like the registry's. Returns the value.
 */
export function trackSecret(id: string, value: string): string {
  if (value.length >= 8 && !ledger().secrets.some((s) => s.value === value)) ledger().secrets.push({ id, value });
  return value;
}

/** The tokens of the tracked emulators (read at the end: workload clusters and minted tokens come later). */
export function emulatorTokens(): Secret[] {
  const out: Secret[] = [];
  const visit = (em: TokenSource) => {
    out.push({ id: `emulator ${em.name} admin token`, value: em.token });
    for (const s of em.list('v1', 'Secret') as {
      type?: string;
      metadata: { namespace?: string; name: string };
      data?: Record<string, string>;
    }[]) {
      if (s.type !== 'kubernetes.io/service-account-token' || !s.data?.token) continue;
      out.push({
        id: `emulator ${em.name} service-account token ${s.metadata.namespace}/${s.metadata.name}`,
        value: Buffer.from(s.data.token, 'base64').toString('utf8'),
      });
    }
    for (const w of em.workloads.values()) visit(w);
  };
  ledger().emulators.forEach(visit);
  return out;
}

/** JSON of plain data only (class instances such as TextEditor or CodeLens are left out). */
export function plainJson(value: unknown): string {
  return (
    JSON.stringify(value, (_k, v: unknown) => {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
      const proto = Object.getPrototypeOf(v) as object | null;
      return proto === Object.prototype || proto === null ? v : `[${proto.constructor?.name ?? 'object'}]`;
    }) ?? String(value)
  );
}

/** What the runner reads back. */
export interface LedgerFile {
  records: LedgerRecord[];
  tokens: Secret[];
}

/** Writes the ledger for the runner, when it asked for one. */
export function writeLedger(): void {
  const file = process.env.CLUSTER_STACKS_LEAK_LEDGER;
  if (!file) return;
  const out: LedgerFile = { records: ledger().records, tokens: [...emulatorTokens(), ...ledger().secrets] };
  fs.writeFileSync(file, JSON.stringify(out), { mode: 0o600 });
}

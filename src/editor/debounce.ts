import * as vscode from 'vscode';
import { timeout, type IDisposable } from '../lifecycle';

/** Runs `run(key)` once `delayMs` after the last `schedule(key)` for that key. */
export class KeyedDebouncer<K> implements IDisposable {
  private readonly timers = new Map<K, IDisposable>();

  constructor(
    private readonly delayMs: number,
    private readonly run: (key: K) => void,
  ) {}

  schedule(key: K): void {
    this.timers.get(key)?.dispose();
    this.timers.set(
      key,
      timeout(this.delayMs, () => {
        this.timers.delete(key);
        this.run(key);
      }),
    );
  }

  cancel(key: K): void {
    this.timers.get(key)?.dispose();
    this.timers.delete(key);
  }

  dispose(): void {
    for (const t of this.timers.values()) t.dispose();
    this.timers.clear();
  }
}

/** Debounces per document (keyed by URI string); runs `run(doc)` only if the document is still open. */
export function documentDebouncer(delayMs: number, run: (doc: vscode.TextDocument) => void): KeyedDebouncer<string> {
  return new KeyedDebouncer<string>(delayMs, (key) => {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
    if (doc) run(doc);
  });
}

import * as vscode from 'vscode';
import type { IDisposable } from '../lifecycle';

/** Runs `run(key)` once `delayMs` after the last `schedule(key)` for that key. */
export class KeyedDebouncer<K> implements IDisposable {
  private readonly timers = new Map<K, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly delayMs: number,
    private readonly run: (key: K) => void,
  ) {}

  schedule(key: K): void {
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.run(key);
      }, this.delayMs),
    );
  }

  cancel(key: K): void {
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.delete(key);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
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

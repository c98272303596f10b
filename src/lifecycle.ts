/**
 * Disposable ownership, after vscode-pull-request-github's `common/lifecycle.ts`: an owner registers
 * what it creates with `_register` and disposes all of it at once. Registering on an already
 * disposed owner disposes the newcomer immediately, so late async work cannot leak.
 */

export interface IDisposable {
  dispose(): unknown;
}

export function disposeAll(disposables: Iterable<IDisposable>): void {
  for (const d of disposables) {
    try {
      d.dispose();
    } catch {
      // One failing dispose must not keep the others alive.
    }
  }
}

export abstract class Disposable implements IDisposable {
  private readonly _disposables = new Set<IDisposable>();
  private _isDisposed = false;

  protected get isDisposed(): boolean {
    return this._isDisposed;
  }

  protected _register<T extends IDisposable>(d: T): T {
    if (this._isDisposed) d.dispose();
    else this._disposables.add(d);
    return d;
  }

  dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    disposeAll(this._disposables);
    this._disposables.clear();
  }
}

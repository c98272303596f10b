/**
 * Watching the kubeconfig files for the explorer: the directory of each file is watched (an editor or
 * `kubectl config` often replaces the file by a rename, and a file named in KUBECONFIG may not exist yet),
 * events for other names in the directory are ignored, and a burst of events becomes one call after
 * `debounceMs`. Nothing is read here; the caller re-reads the files. A directory that does not exist is not
 * watched (the refresh button, or a settings change, still re-reads everything).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DisposableStore, timeout, toDisposable, type IDisposable } from '../lifecycle';

export function watchKubeconfigFiles(files: readonly string[], onChange: () => void, debounceMs = 250): IDisposable {
  const store = new DisposableStore();
  let pending: IDisposable | undefined;
  const changed = () => {
    if (store.isDisposed) return;
    pending?.dispose();
    pending = timeout(debounceMs, () => {
      pending = undefined;
      onChange();
    });
  };
  store.add(toDisposable(() => pending?.dispose()));
  const byDir = new Map<string, Set<string>>();
  for (const f of files) {
    const abs = path.resolve(f);
    const names = byDir.get(path.dirname(abs)) ?? new Set<string>();
    names.add(path.basename(abs));
    byDir.set(path.dirname(abs), names);
  }
  for (const [dir, names] of byDir) {
    let watcher: fs.FSWatcher;
    try {
      watcher = fs.watch(dir, { persistent: false }, (_event, name) => {
        if (name === null || names.has(name.toString())) changed();
      });
    } catch {
      continue; // no such directory (or not readable): nothing to watch there
    }
    watcher.on('error', () => watcher.close()); // the directory went away: stop watching it, quietly
    store.add(toDisposable(() => watcher.close()));
  }
  return store;
}

import * as fs from 'node:fs';

/** Largest file read from disk beside a clouds.yaml (secure.yaml, clouds-public.yaml, cacert). */
const MAX_SIBLING_BYTES = 1024 * 1024;

/**
 * Reads a local file for the core (a `cacert`, a file beside a clouds.yaml); undefined when missing,
 * unreadable or too large. No `vscode`: the analysis worker reads with it too.
 */
export function readLocalFile(file: string): string | undefined {
  try {
    if (fs.statSync(file).size > MAX_SIBLING_BYTES) return undefined;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Helpers for the tests that run inside VS Code (see suite/index.ts for the layout). */
import * as vscode from 'vscode';
import pkg from '../../package.json';

/** The parts of package.json the tests derive their expectations from. */
export interface Manifest {
  name: string;
  publisher: string;
  version: string;
  capabilities?: { untrustedWorkspaces?: { supported?: boolean | 'limited' } };
  contributes: {
    commands?: { command: string; title: string; enablement?: string }[];
    viewsContainers?: Record<string, { id: string; title: string }[]>;
    views?: Record<string, { id: string; name: string }[]>;
    languages?: { id: string; filenames?: string[]; extensions?: string[] }[];
    configuration?: { properties?: Record<string, unknown> } | { properties?: Record<string, unknown> }[];
  };
}

export const manifest = pkg as unknown as Manifest;
export const extensionId = `${manifest.publisher}.${manifest.name}`;

/** The extension under test, activated. */
export async function activatedExtension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(extensionId);
  if (!ext) throw new Error(`extension ${extensionId} is not installed in this VS Code`);
  await ext.activate();
  return ext;
}

/** The folder the runner opened (a fresh copy of test/integration/workspace). */
export function workspaceFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open');
  return folder.uri;
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Helpers for the tests that run inside VS Code (see suite/index.ts for the layout). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import pkg from '../../package.json';
import type { TreeSnapshot } from '../../src/views/explorer/snapshot';
import { plainJson, record } from './leak/ledger';

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

/** A notification or modal the extension showed: its text and, for modals, the detail. */
export type Msg = { kind: string; message: string; detail?: string };

/**
 * Captures every notification/modal the extension shows (the tests get the same `vscode` API object as
 * the extension under test) and answers modals with `answer` (undefined = dismissed). Restore it after.
 */
export function captureMessages(seen: Msg[], answer: (m: Msg, items: string[]) => string | undefined) {
  const w = vscode.window as unknown as Record<string, unknown>;
  const originals = new Map<string, unknown>();
  for (const kind of ['showInformationMessage', 'showWarningMessage', 'showErrorMessage']) {
    originals.set(kind, w[kind]);
    w[kind] = (message: string, ...rest: unknown[]) => {
      const opts =
        rest[0] && typeof rest[0] === 'object' && !Array.isArray(rest[0]) ? (rest[0] as { detail?: string; modal?: boolean }) : undefined;
      const items = rest.filter((r): r is string => typeof r === 'string');
      const m = { kind, message, ...(opts?.detail ? { detail: opts.detail } : {}) };
      seen.push(m);
      record(kind, plainJson([message, ...rest]));
      return Promise.resolve(answer(m, items));
    };
  }
  return { restore: () => originals.forEach((v, k) => (w[k] = v)) };
}

/** What the extension has alive (pooled clients, leases, explorer caches, timers, background tasks; kubeBundle: 1 once dist/kube.js is loaded). */
export type LiveResources = Record<'clients' | 'leases' | 'caches' | 'timers' | 'tasks' | 'kubeBundle', number>;

/** The extension's live resources, through its test hook `clusterStacks.test.liveResources`. */
export async function liveResources(): Promise<LiveResources> {
  const r = await vscode.commands.executeCommand<LiveResources>('clusterStacks.test.liveResources');
  if (!r) throw new Error('clusterStacks.test.liveResources returned nothing');
  return r;
}

/** The choices of the scs2 README ClusterStack (openstack, scs2, Kubernetes 1.33, v1, no provider) as command arguments. */
export const SCS2_STACK = {
  objectName: 'openstack',
  provider: 'openstack',
  name: 'scs2',
  kubernetesVersion: '1.33',
  channel: 'stable',
  versions: ['v1'],
  autoSubscribe: false,
  providerRef: false,
} as const;

/** The first node of an explorer snapshot (depth first) whose id ends with `suffix`. */
export function findById(nodes: readonly TreeSnapshot[] | undefined, suffix: string): TreeSnapshot | undefined {
  for (const n of nodes ?? []) {
    if (n.id?.endsWith(suffix)) return n;
    const hit = findById(n.children, suffix);
    if (hit) return hit;
  }
  return undefined;
}

/** The extension's "Cluster Stacks" log file of this window (found by a marker it must contain). */
export async function ownLog(marker: string): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    for (const d of fs.readdirSync(os.tmpdir()).filter((x) => x.startsWith('cluster-stacks-'))) {
      const logs = path.join(os.tmpdir(), d, 'logs');
      if (!fs.existsSync(logs)) continue;
      for (const session of fs.readdirSync(logs)) {
        for (const host of fs.readdirSync(path.join(logs, session)).filter((h) => h.startsWith('exthost'))) {
          const file = path.join(logs, session, host, extensionId, 'Cluster Stacks.log');
          if (fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes(marker)) return fs.readFileSync(file, 'utf8');
        }
      }
    }
    if (Date.now() > deadline) throw new Error(`no Cluster Stacks log containing ${marker}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

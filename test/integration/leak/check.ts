/**
 * The leak check after each integration suite (run.ts): every registered test secret (secrets.ts) and
 * every token of the emulators the tests started is searched for in what the extension showed and
 * returned (the ledger the extension host wrote), in the browser-side storage of the workbench
 * (IndexedDB and localStorage: where VS Code for the web keeps the extensions' globalState and
 * workspaceState), in code-server's user-data-dir after it stopped (logs, among them the output
 * channel's "Cluster Stacks.log", settings, storage folders) and in the workspace copy, where only
 * the credential files the tests wrote or a command was asked to write may hold secrets.
 */
import * as fs from 'node:fs';
import type { Page } from 'playwright-core';
import { registeredSecrets } from '../secrets';
import type { LedgerFile } from './ledger';
import { formatHit, type Hit, needles, scanContent, scanTree, type Secret } from './scan';

/**
 * Runs in the workbench page: every localStorage entry and every IndexedDB record as text (a string
 * so that no DOM types reach this Node-side file).
 */
const DUMP_BROWSER_STORAGE = `(async () => {
  const text = (v) => typeof v === 'string' ? v : v instanceof Uint8Array || v instanceof ArrayBuffer ? new TextDecoder().decode(v) : JSON.stringify(v);
  const out = [];
  for (let i = 0; i < localStorage.length; i++) { const k = localStorage.key(i); out.push(['localStorage ' + k, text(localStorage.getItem(k))]); }
  for (const d of await indexedDB.databases()) {
    const db = await new Promise((res, rej) => { const r = indexedDB.open(d.name); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
    for (const store of Array.from(db.objectStoreNames)) {
      const [keys, values] = await new Promise((res, rej) => {
        const tx = db.transaction(store, 'readonly');
        const keys = tx.objectStore(store).getAllKeys();
        const values = tx.objectStore(store).getAll();
        tx.oncomplete = () => res([keys.result, values.result]);
        tx.onerror = () => rej(tx.error);
      });
      keys.forEach((k, i) => out.push(['indexedDB ' + d.name + '/' + store + '/' + String(k), text(values[i])]));
    }
    db.close();
  }
  return out;
})()`;

/** The workbench's browser storage: [location, text] pairs. */
export async function dumpBrowserStorage(page: Page): Promise<[string, string][]> {
  return page.evaluate<[string, string][]>(DUMP_BROWSER_STORAGE);
}

/** Files in the workspace that hold credentials by design: the tests' inputs and requested outputs. */
const CREDENTIAL_FILE = /(^|\/)(clouds|secure)\.ya?ml$|\.conf$|kubeconfig|\.pem$/;

export interface LeakReport {
  secrets: number;
  forms: number;
  records: number;
  storageEntries: number;
  files: number;
  bytes: number;
  hits: Hit[];
}

export function checkLeaks(opts: {
  ledgerFile: string;
  storage: [string, string][];
  userDataDir: string;
  workspace: string;
  extra?: Secret[];
}): LeakReport {
  if (!fs.existsSync(opts.ledgerFile)) throw new Error(`the extension host wrote no leak ledger (${opts.ledgerFile})`);
  const ledger = JSON.parse(fs.readFileSync(opts.ledgerFile, 'utf8')) as LedgerFile;
  const secrets = [...registeredSecrets(), ...ledger.tokens, ...(opts.extra ?? [])];
  const ns = needles(secrets);
  const hits: Hit[] = [];
  for (const r of ledger.records) hits.push(...scanContent(`extension host: ${r.where}`, r.text, ns));
  for (const [where, text] of opts.storage) hits.push(...scanContent(`browser storage: ${where}`, text, ns));
  const userData = scanTree('user-data-dir', opts.userDataDir, ns);
  const workspace = scanTree('workspace', opts.workspace, ns, (rel) => CREDENTIAL_FILE.test(rel));
  hits.push(...userData.hits, ...workspace.hits);
  return {
    secrets: secrets.length,
    forms: ns.length,
    records: ledger.records.length,
    storageEntries: opts.storage.length,
    files: userData.files + workspace.files,
    bytes: userData.bytes + workspace.bytes,
    hits,
  };
}

export function describeReport(name: string, r: LeakReport): string[] {
  const head =
    `leak check (${name}): ${r.secrets} secrets (${r.forms} forms) searched in ${r.records} messages/command results, ` +
    `${r.storageEntries} browser storage entries, ${r.files} files (${(r.bytes / 1024 / 1024).toFixed(1)} MiB): ${r.hits.length} hits`;
  return [head, ...r.hits.map(formatHit)];
}

/**
 * "Get kubeconfig" on a workload cluster: reads `<cluster>-kubeconfig` (key `value`) and opens it in an
 * untitled editor, saves it to a file the user picks (mode 0600), or merges it into a kubeconfig file
 * the user picks after a confirmation listing what is added and replaced. Never written silently: the
 * programmatic `confirmed: true` exists for tests and callers that did their own confirmation.
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Cancelled } from '../../services/command';
import { kube } from '../../services/kube';
import type { ExplorerState } from './state';

export type KubeconfigAction = 'open' | 'save' | 'merge';

export interface KubeconfigRequest {
  context: string;
  namespace: string;
  name: string;
  action?: KubeconfigAction;
  /** File for save/merge; asked for when missing. */
  target?: string;
  confirmed?: boolean;
}

/** New files get mode 0600; an existing file keeps its mode (and stays a symlink if it is one). */
function writePrivate(file: string, text: string): Promise<void> {
  return fs.writeFile(file, text, { mode: 0o600 });
}

/** Returns what was done; throws Cancelled when the user cancelled. */
export async function getWorkloadKubeconfig(
  state: ExplorerState,
  req: KubeconfigRequest,
): Promise<{ action: KubeconfigAction; target?: string }> {
  const cache = state.cache(req.context);
  if (!cache?.discovery) throw new Error(`Context ${req.context} is not connected; expand it in the explorer first.`);
  const k = await kube();
  let action = req.action;
  if (!action) {
    const pick = await vscode.window.showQuickPick(
      [
        { label: 'Open in editor', action: 'open' as const },
        { label: 'Save to file…', action: 'save' as const },
        { label: 'Merge into a kubeconfig file…', action: 'merge' as const },
      ],
      { title: `Kubeconfig of ${req.namespace}/${req.name}` },
    );
    if (!pick) throw new Cancelled();
    action = pick.action;
  }
  const text = await k.workloadKubeconfig(cache.client, req.namespace, req.name);
  if (action === 'open') {
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: text });
    await vscode.window.showTextDocument(doc, { preview: false });
    return { action };
  }
  if (action === 'save') {
    let target = req.target;
    if (!target) {
      const uri = await vscode.window.showSaveDialog({
        title: `Save kubeconfig of ${req.name}`,
        defaultUri: vscode.Uri.file(path.join(os.homedir(), `${req.name}.kubeconfig`)),
        saveLabel: 'Save kubeconfig',
      });
      if (!uri) throw new Cancelled();
      target = uri.fsPath;
    }
    await writePrivate(target, text);
    void vscode.window.showInformationMessage(`Saved the kubeconfig of ${req.name} to ${target}.`);
    return { action, target };
  }
  let target = req.target;
  if (!target) {
    const picked = await vscode.window.showOpenDialog({
      title: `Merge the kubeconfig of ${req.name} into…`,
      defaultUri: vscode.Uri.file(path.join(os.homedir(), '.kube')),
      canSelectMany: false,
      openLabel: 'Merge into this file',
    });
    if (!picked?.[0]) throw new Cancelled();
    target = picked[0].fsPath;
  }
  const existing = await fs.readFile(target, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return '';
    throw e;
  });
  const plan = k.mergeKubeconfig(existing, text);
  if (!req.confirmed) {
    const detail = [
      plan.added.length ? `Adds: ${plan.added.join(', ')}` : undefined,
      plan.conflicts.length ? `Replaces: ${plan.conflicts.join(', ')}` : undefined,
      'The current context of the file is kept.',
    ]
      .filter(Boolean)
      .join('\n');
    const ok = await vscode.window.showWarningMessage(
      `Merge the kubeconfig of ${req.name} into ${target}?`,
      { modal: true, detail },
      'Merge',
    );
    if (ok !== 'Merge') throw new Cancelled();
  }
  await writePrivate(target, plan.text);
  void vscode.window.showInformationMessage(`Merged context(s) ${plan.contexts.join(', ')} into ${target}.`);
  return { action, target };
}

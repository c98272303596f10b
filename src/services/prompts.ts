/**
 * The questions commands ask when an argument is missing: quick picks, names, numbers, and where a
 * write goes (a kubeconfig context, a tenant namespace). Every prompt is skipped when the caller passed
 * the value, so tests and scripts never see one. A dismissed prompt throws `Cancelled`; a question
 * without any possible answer throws a `UserError` saying so. Nothing shown here contains a secret value.
 */
import * as vscode from 'vscode';
import { validateDnsLabel } from '../core/stacks/names';
import { Cancelled, UserError } from './command';
import type { Connections, ContextConnection } from './connections';
import { kube } from './kube';

export interface PickItem<T> {
  readonly label: string;
  readonly description?: string;
  readonly value: T;
}

export async function pickOne<T>(title: string, items: readonly PickItem<T>[], placeHolder?: string): Promise<T> {
  if (!items.length) throw new UserError(`${title}: nothing to choose from`);
  const picked = await vscode.window.showQuickPick(
    items.map((i) => ({ label: i.label, description: i.description, item: i })),
    { title, placeHolder, ignoreFocusOut: true },
  );
  if (!picked) throw new Cancelled();
  return picked.item.value;
}

export async function pickMany(title: string, names: readonly string[], preselect: (n: string) => boolean): Promise<string[]> {
  if (!names.length) throw new UserError(`${title}: there are none`);
  const picked = await vscode.window.showQuickPick(
    names.map((n) => ({ label: n, picked: preselect(n) })),
    { title, canPickMany: true, ignoreFocusOut: true },
  );
  if (!picked || !picked.length) throw new Cancelled();
  return picked.map((p) => p.label);
}

/** A free-text answer checked by `validate` (undefined = valid); trimmed. */
export async function inputText(
  title: string,
  validate: (v: string) => string | undefined,
  opts: { prompt?: string; value?: string } = {},
): Promise<string> {
  const v = await vscode.window.showInputBox({
    title,
    prompt: opts.prompt,
    value: opts.value,
    ignoreFocusOut: true,
    validateInput: (s) => validate(s.trim()) ?? null,
  });
  if (v === undefined || v.trim() === '') throw new Cancelled();
  return v.trim();
}

/** A password, asked once (masked input); the caller uses it for one request and drops it. */
export async function inputPassword(title: string): Promise<string> {
  const v = await vscode.window.showInputBox({ title, password: true, ignoreFocusOut: true });
  if (v === undefined || v === '') throw new Cancelled();
  return v;
}

/** A DNS label (namespace, ServiceAccount, Cluster name); `taken` refuses existing names. */
export function inputName(
  title: string,
  opts: { prompt?: string; value?: string; taken?: (v: string) => string | undefined } = {},
): Promise<string> {
  return inputText(title, (v) => validateDnsLabel(v) ?? opts.taken?.(v), opts);
}

export async function inputNumber(title: string, value: number): Promise<number> {
  return Number(await inputText(title, (v) => (/^\d+$/.test(v) ? undefined : 'A whole number'), { value: String(value) }));
}

/**
 * The kubeconfig context from `context`, else a quick pick (current context first). Resolves with a
 * leased connection the caller disposes.
 */
export async function pickContext(connections: Connections, context: string | undefined, title: string): Promise<ContextConnection> {
  const loaded = await connections.kubeconfig();
  let name = context;
  if (!name) {
    if (loaded.contexts.length === 0)
      throw new UserError(
        `No kubeconfig context found (${loaded.files.join(', ') || 'no files'}). Set clusterStacks.kubeconfigPaths or KUBECONFIG.`,
      );
    const current = loaded.currentContext;
    const names = loaded.contexts
      .map((c) => ({ name: c.name, cluster: c.cluster }))
      .sort((a, b) => (a.name === current ? -1 : b.name === current ? 1 : a.name.localeCompare(b.name)));
    name = await pickOne(
      title,
      names.map((c) => ({ label: c.name, description: c.name === current ? 'current' : c.cluster, value: c.name })),
      'Management cluster (kubeconfig context)',
    );
  }
  try {
    return await connections.context(name, loaded);
  } catch (e) {
    if (e instanceof Error && /is not in the kubeconfig|refers to/.test(e.message)) throw new UserError(e.message);
    throw e;
  }
}

const NEW = '\u0000new namespace';

/**
 * The tenant namespace from `namespace`, else a quick pick of the cluster's namespaces (system
 * namespaces `kube-*` left out). With `allowNew` the first item asks for a new name, and `exists` says
 * whether the namespace is there already (read from the cluster when it was passed in).
 */
export async function pickNamespace(
  conn: ContextConnection,
  namespace: string | undefined,
  title: string,
  opts: { allowNew?: boolean } = {},
): Promise<{ name: string; exists?: boolean }> {
  const k = await kube();
  if (namespace) {
    if (!opts.allowNew) return { name: namespace };
    return { name: namespace, exists: !!(await k.getObject(conn.client, 'v1', 'Namespace', undefined, namespace)) };
  }
  const names = (await k.listObjects(conn.client, 'v1', 'Namespace'))
    .map((n) => String((n.metadata as { name?: string })?.name ?? ''))
    .filter((n) => n && !n.startsWith('kube-'))
    .sort();
  const items: PickItem<string>[] = [
    ...(opts.allowNew ? [{ label: '$(add) New namespace…', value: NEW }] : []),
    ...names.map((n) => ({ label: n, value: n })),
  ];
  const picked = await pickOne(title, items, `Tenant namespace in ${conn.context}`);
  if (picked === NEW)
    return { name: await inputName('New tenant namespace', { prompt: 'One namespace per OpenStack project' }), exists: false };
  return { name: picked, exists: true };
}

/** Runs `fn` under a cancellable progress notification; cancelling aborts the signal. */
export function withProgress<T>(
  title: string,
  fn: (signal: AbortSignal, report: (message: string, increment?: number) => void) => Promise<T>,
): Promise<T> {
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      const ac = new AbortController();
      const sub = token.onCancellationRequested(() => ac.abort());
      return fn(ac.signal, (message, increment) => progress.report({ message, increment })).finally(() => sub.dispose());
    }),
  );
}

/**
 * Kubeconfig loading the way kubectl does it, read-only: the files of `KUBECONFIG` (or the
 * `clusterStacks.kubeconfigPaths` setting, or `~/.kube/config`) are merged with the first file winning
 * for every cluster/user/context name and for `current-context`; missing files are skipped. Nothing is
 * ever written back. Exec plugins and OIDC are handled by client-node's authenticators at request time.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KubeConfig, type Context } from '@kubernetes/client-node';

export interface KubeconfigLoadError {
  file: string;
  message: string;
}

export interface LoadedKubeconfig {
  /** All contexts, merged; use `forContext` to get a per-context config. */
  merged: KubeConfig;
  files: string[];
  contexts: Context[];
  currentContext?: string;
  errors: KubeconfigLoadError[];
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith(`~${path.sep}`) || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
}

/** The kubeconfig files to read, in precedence order. */
export function kubeconfigPaths(settingPaths: readonly string[] | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  const fromSetting = (settingPaths ?? []).map((p) => p.trim()).filter((p) => p !== '');
  if (fromSetting.length > 0) return fromSetting.map(expandHome);
  const fromEnv = (env.KUBECONFIG ?? '').split(path.delimiter).filter((p) => p !== '');
  if (fromEnv.length > 0) return fromEnv.map(expandHome);
  return [path.join(os.homedir(), '.kube', 'config')];
}

/** The first line of an error, for messages that may quote file content. */
function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0].slice(0, 300);
}

export function loadKubeconfigs(files: readonly string[]): LoadedKubeconfig {
  const merged = new KubeConfig();
  const clusters = new Map<string, KubeConfig['clusters'][number]>();
  const users = new Map<string, KubeConfig['users'][number]>();
  const contexts = new Map<string, Context>();
  let currentContext: string | undefined;
  const errors: KubeconfigLoadError[] = [];
  for (const file of files) {
    if (!fs.existsSync(file)) continue; // kubectl ignores missing files in KUBECONFIG
    const kc = new KubeConfig();
    try {
      kc.loadFromFile(file);
    } catch (e) {
      errors.push({ file, message: firstLine(e) });
      continue;
    }
    for (const c of kc.clusters) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of kc.users) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of kc.contexts) if (!contexts.has(c.name)) contexts.set(c.name, c);
    if (!currentContext && kc.currentContext) currentContext = kc.currentContext;
  }
  merged.loadFromOptions({
    clusters: [...clusters.values()],
    users: [...users.values()],
    contexts: [...contexts.values()],
    currentContext: currentContext ?? '',
  });
  return { merged, files: [...files], contexts: [...contexts.values()], currentContext, errors };
}

/** A config that only knows `contextName` (so every request of a cache goes to its own cluster). */
export function forContext(loaded: LoadedKubeconfig, contextName: string): KubeConfig {
  const ctx = loaded.merged.getContextObject(contextName);
  if (!ctx) throw new Error(`Context "${contextName}" is not in the kubeconfig`);
  const cluster = loaded.merged.getCluster(ctx.cluster);
  if (!cluster) throw new Error(`Context "${contextName}" refers to cluster "${ctx.cluster}", which is not in the kubeconfig`);
  const user = ctx.user ? loaded.merged.getUser(ctx.user) : null;
  if (ctx.user && !user) throw new Error(`Context "${contextName}" refers to user "${ctx.user}", which is not in the kubeconfig`);
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [cluster], users: user ? [user] : [], contexts: [ctx], currentContext: ctx.name });
  return kc;
}

/**
 * Per context, a digest of everything its client is built from (the context, its cluster and its user,
 * credentials included). Only digests are kept between readings, so a changed token is noticed without a
 * second copy of it in memory.
 */
export function contextDigests(loaded: LoadedKubeconfig): Map<string, string> {
  const out = new Map<string, string>();
  for (const ctx of loaded.contexts) {
    const cluster = loaded.merged.getCluster(ctx.cluster);
    const user = ctx.user ? loaded.merged.getUser(ctx.user) : null;
    out.set(
      ctx.name,
      createHash('sha256')
        .update(JSON.stringify([ctx, cluster, user]))
        .digest('hex'),
    );
  }
  return out;
}

export interface ContextChanges {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** In both readings, but built from a different context, cluster or user. */
  readonly changed: readonly string[];
}

/** What a new kubeconfig reading changed, context by context (from `contextDigests` of both). */
export function contextChanges(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): ContextChanges {
  const added = [...after.keys()].filter((n) => !before.has(n));
  const removed = [...before.keys()].filter((n) => !after.has(n));
  const changed = [...after.keys()].filter((n) => before.has(n) && before.get(n) !== after.get(n));
  return { added, removed, changed };
}

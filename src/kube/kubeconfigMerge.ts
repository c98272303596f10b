/**
 * Merging a workload cluster's kubeconfig into a kubeconfig file the user picked. Pure text in, text
 * out; the caller shows `plan.conflicts` in a confirmation before writing. Entries of the incoming
 * config replace same-named entries of the target; everything else in the target is kept, including
 * its `current-context` (merging never switches the user's context).
 */
import * as yaml from 'js-yaml';

type Named = { name: string; [k: string]: unknown };
interface KubeconfigDoc {
  apiVersion?: string;
  kind?: string;
  clusters?: Named[];
  users?: Named[];
  contexts?: Named[];
  'current-context'?: string;
  [k: string]: unknown;
}

export class KubeconfigMergeError extends Error {}

function parse(text: string, what: string): KubeconfigDoc {
  let doc: unknown;
  try {
    doc = text.trim() === '' ? {} : yaml.load(text);
  } catch (e) {
    const mark = (e as { mark?: { line?: number } }).mark;
    throw new KubeconfigMergeError(`${what} is not valid YAML${mark?.line !== undefined ? ` (line ${mark.line + 1})` : ''}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new KubeconfigMergeError(`${what} is not a kubeconfig (expected a mapping)`);
  const d = doc as KubeconfigDoc;
  for (const k of ['clusters', 'users', 'contexts'] as const) {
    if (d[k] !== undefined && !Array.isArray(d[k])) throw new KubeconfigMergeError(`${what}: "${k}" is not a list`);
  }
  return d;
}

export interface MergePlan {
  text: string;
  added: string[];
  /** `kind/name` of target entries that the incoming ones replace. */
  conflicts: string[];
  contexts: string[];
}

export function mergeKubeconfig(targetText: string, incomingText: string): MergePlan {
  const target = parse(targetText, 'The target file');
  const incoming = parse(incomingText, 'The workload kubeconfig');
  const out: KubeconfigDoc = { apiVersion: 'v1', kind: 'Config', ...target };
  const added: string[] = [];
  const conflicts: string[] = [];
  for (const k of ['clusters', 'users', 'contexts'] as const) {
    const list = [...(target[k] ?? [])];
    for (const entry of incoming[k] ?? []) {
      if (!entry || typeof entry.name !== 'string') continue;
      const i = list.findIndex((e) => e?.name === entry.name);
      if (i >= 0) {
        conflicts.push(`${k.slice(0, -1)}/${entry.name}`);
        list[i] = entry;
      } else {
        added.push(`${k.slice(0, -1)}/${entry.name}`);
        list.push(entry);
      }
    }
    out[k] = list;
  }
  if (!out['current-context'] && incoming['current-context']) out['current-context'] = incoming['current-context'];
  return {
    text: yaml.dump(out, { lineWidth: -1, noRefs: true }),
    added,
    conflicts,
    contexts: (incoming.contexts ?? []).map((c) => c.name).filter((n) => typeof n === 'string'),
  };
}

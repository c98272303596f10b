import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ConvertOptions, LoadBalancerVariant } from '../core/clouds/api';
import type { ConfEntry, ConfSection } from '../core/gcfg/encode';

/** Largest file the editor reads from disk beside a clouds.yaml (secure.yaml, clouds-public.yaml, cacert). */
export const MAX_SIBLING_BYTES = 1024 * 1024;

const LB_VARIANTS: readonly LoadBalancerVariant[] = ['scs', 'ovn', 'none'];

/** Reads a local file for the core (a `cacert`); undefined when missing, unreadable or too large. */
export function readLocalFile(file: string): string | undefined {
  try {
    if (fs.statSync(file).size > MAX_SIBLING_BYTES) return undefined;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** `{"LoadBalancer": {"floating-network-id": "x"}}` → sections; non-object values are dropped. */
function extraSections(value: unknown): ConfSection[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  const sections: ConfSection[] = [];
  for (const [name, keys] of Object.entries(value as Record<string, unknown>)) {
    if (!keys || typeof keys !== 'object' || Array.isArray(keys)) continue;
    const entries: ConfEntry[] = [];
    for (const [key, v] of Object.entries(keys as Record<string, unknown>)) {
      if (typeof v === 'string' || typeof v === 'boolean') entries.push({ key, value: v });
    }
    sections.push({ name, entries });
  }
  return sections;
}

/** The conversion options from the `clusterStacks.cloudConf.*` settings, the same ones the CLI takes. */
export function convertOptions(scope: vscode.Uri | undefined): ConvertOptions {
  const config = vscode.workspace.getConfiguration('clusterStacks.cloudConf', scope);
  const lb = config.get<string>('loadBalancer');
  const caFileInPod = config.get<string>('caFileInPod');
  const extra = extraSections(config.get('extraSections'));
  return {
    lb: LB_VARIANTS.find((v) => v === lb) ?? 'scs',
    ...(caFileInPod ? { caFileInPod } : {}),
    ...(extra.length ? { extraSections: extra } : {}),
    readFile: readLocalFile,
  };
}

/** True when a change touches a setting that changes conversion or recognition. */
export function affectsEditorSettings(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration('clusterStacks.cloudConf') || e.affectsConfiguration('clusterStacks.cloudsYaml');
}

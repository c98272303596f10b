/**
 * The extension's settings, typed, in one place (after rust-analyzer's `config.ts`): every
 * `clusterStacks.*` setting is read here and nowhere else, and `onDidChange` says which group of
 * settings changed, so each feature reacts only to its own. Values are read when asked (resource-scoped
 * settings need the document's URI); nothing here is cached.
 */
import * as vscode from 'vscode';
import type { ConvertOptions, LoadBalancerVariant } from '../core/clouds/api';
import type { ConfEntry, ConfSection } from '../core/gcfg/encode';
import { Disposable } from '../lifecycle';
import { readLocalFile } from './localFile';

const SECTION = 'clusterStacks';
const LB_VARIANTS: readonly LoadBalancerVariant[] = ['scs', 'ovn', 'none'];

/** The setting `clusterStacks.protectedContexts`, named in messages. */
export const PROTECTED_SETTING = `${SECTION}.protectedContexts`;

export interface ExplorerSettings {
  readonly showAllNamespaces: boolean;
  /** Namespaces to try one by one when the user may not list namespaces. */
  readonly namespaces: readonly string[];
}

/** Which settings a configuration change touched. */
export interface ConfigChange {
  /** `kubeconfigPaths`: the contexts, and every connection. */
  readonly kubeconfig: boolean;
  /** `explorer.*`. */
  readonly explorer: boolean;
  /** `cloudConf.*` and `cloudsYaml.*`: conversion and clouds.yaml recognition. */
  readonly editor: boolean;
  readonly protectedContexts: boolean;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

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

export class Config extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<ConfigChange>());
  readonly onDidChange = this.changed.event;
  /**
   * The per-document settings the editor features read on every edit, by document URI: reading them
   * from VS Code copies its configuration model each time. Any configuration change clears them.
   */
  private readonly perDocument = new Map<string, { fileNames?: readonly string[]; convert?: ConvertOptions }>();

  constructor() {
    super();
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        this.perDocument.clear();
        const change: ConfigChange = {
          kubeconfig: e.affectsConfiguration(`${SECTION}.kubeconfigPaths`),
          explorer: e.affectsConfiguration(`${SECTION}.explorer`),
          editor: e.affectsConfiguration(`${SECTION}.cloudConf`) || e.affectsConfiguration(`${SECTION}.cloudsYaml`),
          protectedContexts: e.affectsConfiguration(PROTECTED_SETTING),
        };
        if (Object.values(change).some(Boolean)) this.changed.fire(change);
      }),
    );
  }

  private get root(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION);
  }

  /** Kubeconfig files of the setting (empty: KUBECONFIG, else ~/.kube/config; see src/kube/kubeconfig.ts). */
  get kubeconfigPaths(): string[] {
    return strings(this.root.get('kubeconfigPaths'));
  }

  get explorer(): ExplorerSettings {
    const root = this.root;
    return {
      showAllNamespaces: root.get<boolean>('explorer.showAllNamespaces') === true,
      namespaces: strings(root.get('explorer.namespaces')),
    };
  }

  /** Glob patterns of contexts that need an extra confirmation before any write. */
  get protectedContexts(): readonly string[] {
    return strings(this.root.get('protectedContexts'));
  }

  /** Name patterns of clouds.yaml files (`clusterStacks.cloudsYaml.fileNames`) for the document at `scope`. */
  cloudsYamlFileNames(scope: vscode.Uri): readonly string[] {
    const cached = this.cachedFor(scope);
    return (cached.fileNames ??= strings(vscode.workspace.getConfiguration(`${SECTION}.cloudsYaml`, scope).get('fileNames')));
  }

  /** The conversion options from the `clusterStacks.cloudConf.*` settings, the same ones the CLI takes. */
  convertOptions(scope: vscode.Uri | undefined): ConvertOptions {
    if (!scope) return this.readConvertOptions(undefined);
    const cached = this.cachedFor(scope);
    return (cached.convert ??= this.readConvertOptions(scope));
  }

  private cachedFor(scope: vscode.Uri): { fileNames?: readonly string[]; convert?: ConvertOptions } {
    const key = scope.toString();
    let cached = this.perDocument.get(key);
    if (!cached) {
      // Bounded: documents are not forgotten when they close, so start over now and then.
      if (this.perDocument.size >= 256) this.perDocument.clear();
      this.perDocument.set(key, (cached = {}));
    }
    return cached;
  }

  private readConvertOptions(scope: vscode.Uri | undefined): ConvertOptions {
    const config = vscode.workspace.getConfiguration(`${SECTION}.cloudConf`, scope);
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
}

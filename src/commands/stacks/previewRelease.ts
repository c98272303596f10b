/**
 * `clusterStacks.previewRelease`: for a cluster-stack source tree (the folder of a csctl.yaml), what
 * `csctl create` would release per mode — version, ClusterStackRelease and ClusterClass names, and the
 * ClusterStack a tenant applies to get exactly that release (docs/domain.md §4.5). Hash mode hashes the
 * folder the way csctl does (Go dirhash over every file). Read-only: works in Restricted Mode.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import * as vscode from 'vscode';
import {
  clusterStackHash,
  previewRelease as preview,
  type FileContent,
  type ReleaseMode,
  type ReleasePreview,
} from '../../core/stacks/authoring';
import type { DisposableStore } from '../../lifecycle';
import { COMMAND } from '../../services/commandIds';
import { Command, documentUri, UserError, type Args } from '../../services/command';
import type { Ctx } from '../../services/ctx';

export interface PreviewArgs {
  /** csctl.yaml or its folder; default: the active editor's csctl.yaml. */
  readonly uri?: string | vscode.Uri;
  /** stable mode: the latest released version (default: none yet → v1). */
  readonly latestVersion?: string;
  /** custom mode: the `--cluster-stack-version`. */
  readonly customVersion?: string;
  readonly namespace?: string;
  /** Do not open the preview document. */
  readonly open?: boolean;
}

const MAX_FILES = 20_000;

async function readTree(dir: string): Promise<FileContent[]> {
  const out: FileContent[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const e of await fs.readdir(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(r);
      else if (e.isFile()) {
        if (out.length >= MAX_FILES) throw new Error(`more than ${MAX_FILES} files under ${dir}`);
        out.push({ path: r, content: await fs.readFile(path.join(dir, r)) });
      }
    }
  };
  await walk('');
  return out;
}

export type PreviewResult = Partial<Record<ReleaseMode, ReleasePreview | string>>;

export class PreviewRelease extends Command<PreviewResult> {
  constructor(ctx: Ctx) {
    super(ctx, { id: COMMAND.previewRelease, title: 'Preview cluster-stack release', writes: false });
  }

  protected async run(raw: Args, _scope: DisposableStore): Promise<PreviewResult> {
    const args = raw as PreviewArgs;
    const uri = documentUri(raw);
    if (!uri || uri.scheme !== 'file')
      throw new UserError('Preview cluster-stack release: open the csctl.yaml of a cluster-stack folder first.');
    const stat = await fs.stat(uri.fsPath);
    const dir = stat.isDirectory() ? uri.fsPath : path.dirname(uri.fsPath);
    const csctl = yaml.load(await fs.readFile(path.join(dir, 'csctl.yaml'), 'utf8'));
    const hash = clusterStackHash(await readTree(dir));
    const result: PreviewResult = {
      stable: preview({ csctl, mode: 'stable', latestVersion: args.latestVersion, namespace: args.namespace }),
      hash: preview({ csctl, mode: 'hash', hash, namespace: args.namespace }),
      custom: preview({ csctl, mode: 'custom', customVersion: args.customVersion ?? 'v1-alpha.0', namespace: args.namespace }),
    };
    if (args.open !== false) {
      const lines = [`# What a release of ${dir} yields (csctl create --mode …)`, ''];
      for (const [mode, p] of Object.entries(result)) {
        lines.push(`## --mode ${mode}`, '');
        if (typeof p === 'string') lines.push(`Not possible: ${p}`, '');
        else
          lines.push(
            `- version: \`${p.version}\` (ClusterStack channel \`${p.channel}\`)`,
            `- ClusterStackRelease: \`${p.clusterStackRelease}\``,
            `- ClusterClass (topology.class): \`${p.clusterClass}\``,
            '',
            '```yaml',
            yaml.dump(p.clusterStack, { lineWidth: -1 }).trimEnd(),
            '```',
            '',
          );
      }
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: lines.join('\n') });
      await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    }
    return result;
  }
}

/**
 * `clusterStacks.applyDocument`: the objects of an open YAML document (multi-document, any kinds) into
 * a cluster — checked like the operator's webhooks (src/commands/stacks/manifests.ts), then through the
 * write path. From the editor (the document's URI), the palette (the active editor) or a script
 * (`{uri, context, namespace, confirmed}`).
 */
import * as vscode from 'vscode';
import type { ApplyReport } from '../../kube/api';
import type { DisposableStore } from '../../lifecycle';
import { COMMAND } from '../../services/commandIds';
import { documentUri, UserError, type Args } from '../../services/command';
import type { Ctx } from '../../services/ctx';
import type { WriteArgs } from '../write/gate';
import { objectsOfText, writeManifests } from './manifests';
import { StackCommand, type StackDeps } from './stackCommand';

export interface ApplyDocumentArgs extends WriteArgs {
  readonly uri?: string | vscode.Uri;
}

export class ApplyDocument extends StackCommand<ApplyReport> {
  constructor(ctx: Ctx, deps: StackDeps) {
    super(ctx, deps, { id: COMMAND.applyDocument, title: 'Apply YAML document', writes: true });
  }

  protected async run(raw: Args, scope: DisposableStore): Promise<ApplyReport> {
    const args = raw as ApplyDocumentArgs;
    const uri = documentUri(raw);
    if (!uri) throw new UserError('Apply YAML document: open a YAML document first.');
    const objects = objectsOfText((await vscode.workspace.openTextDocument(uri)).getText(), this.meta.title);
    const conn = await this.deps.write.target(args, this.meta.title, scope);
    const report = await writeManifests(this.deps.write, conn, objects, { title: this.meta.title, namespace: args.namespace, args });
    this.refreshExplorer(conn.context);
    return report;
  }
}

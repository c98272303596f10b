import type { Ctx } from '../ctx';
import { CloudsModel } from './cloudsModel';
import { CloudLenses } from './codeLens';
import { RuleDiagnostics } from './diagnostics';
import { CloudConfPreview } from './preview';
import { QuickFixes } from './quickFix';
import { SchemaFeatures } from './schemaFeatures';

/** clouds.yaml / secure.yaml / clouds-public.yaml / cloud.conf in the editor. Each part owns its registrations via `ctx`. */
export function registerEditorFeatures(ctx: Ctx): CloudsModel {
  const model = new CloudsModel(ctx);
  const diagnostics = new RuleDiagnostics(ctx, model);
  new QuickFixes(ctx, diagnostics);
  new CloudLenses(ctx, model);
  new CloudConfPreview(ctx, model);
  new SchemaFeatures(ctx);
  return model;
}

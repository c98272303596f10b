import type { DocumentAnalysis } from '../services/analysis/host';
import type { CloudsModel } from '../services/cloudsModel';
import type { Ctx } from '../services/ctx';
import type { TenantFactsCache } from '../services/tenantFacts';
import { ClusterVariableSchemas } from './classVariables';
import { CloudLenses } from './codeLens';
import { RuleDiagnostics } from './diagnostics';
import { CloudConfPreview } from './preview';
import { QuickFixes } from './quickFix';
import { SchemaFeatures } from './schemaFeatures';
import { StackDiagnostics } from './stacksDiagnostics';

/**
 * The editor room: clouds.yaml / secure.yaml / clouds-public.yaml / cloud.conf and the cluster-stack
 * manifests in the editor. Each part owns its registrations via `ctx`.
 */
export function registerEditorFeatures(
  ctx: Ctx,
  services: { clouds: CloudsModel; tenantFacts: TenantFactsCache; analysis: DocumentAnalysis },
): void {
  const model = services.clouds;
  const diagnostics = new RuleDiagnostics(ctx, model);
  new QuickFixes(ctx, diagnostics);
  new CloudLenses(ctx, model);
  new CloudConfPreview(ctx, model);
  new SchemaFeatures(ctx, services.analysis, ctx.own(new ClusterVariableSchemas(services.tenantFacts)));
  ctx.own(new StackDiagnostics(ctx, services.tenantFacts, services.analysis));
}

/**
 * Findings for a YAML text: every document that is a ClusterStack or a topology Cluster gets the
 * webhook-style rules, and the cluster-stack authoring files (csctl.yaml, clusteraddon.yaml,
 * node-images.yaml) get theirs, each located at the field it concerns.
 */
import type { Finding } from '../findings';
import { validateClusterAddonConfig, validateCsctlConfig, validateNodeImages, authoringFileKind } from './authoring';
import { isClusterStack, isSchemaIssue, validateClusterStack } from './clusterStack';
import { parseLocatedDocuments, toFinding, type Issue } from './located';
import { isTopologyCluster, isTopologySchemaIssue, validateTopologyCluster, type TenantFacts } from './topology';

export interface DiagnoseOptions {
  /** Live facts of the tenant namespace a document names (by namespace); enables the cluster checks. */
  readonly factsFor?: (namespace: string | undefined) => TenantFacts | undefined;
  /** Leave out what the JSON schema already reports (when the editor's schema validation runs too). */
  readonly schemaRunsToo?: boolean;
  /** For clusteraddon.yaml: the chart directories under cluster-addon/. */
  readonly chartDirs?: readonly string[];
}

/** True when the text has at least one document these rules concern (cheap pre-check by content). */
export function concernsStacks(path: string, text: string): boolean {
  return authoringFileKind(path) !== undefined || /kind:\s*["']?(ClusterStack|Cluster)["']?\s*$/m.test(text);
}

/** Which of the cluster-stack JSON schemas (schemas/) a YAML document gets, if any. */
export type StackSchemaKind = 'stacks' | 'csctl' | 'clusteraddon' | 'node-images';

export function stackSchemaKind(path: string, text: string): StackSchemaKind | undefined {
  const authoring = authoringFileKind(path);
  if (authoring) return authoring;
  return concernsStacks(path, text) ? 'stacks' : undefined;
}

export function diagnoseStackText(path: string, text: string, opts: DiagnoseOptions = {}): Finding[] {
  const out: Finding[] = [];
  const authoring = authoringFileKind(path);
  for (const doc of parseLocatedDocuments(text)) {
    if (doc.syntaxErrors.length) continue; // the YAML language service reports syntax errors
    const v = doc.value;
    let issues: Issue[] = [];
    if (authoring === 'csctl') issues = validateCsctlConfig(v);
    else if (authoring === 'clusteraddon') issues = validateClusterAddonConfig(v, opts.chartDirs);
    else if (authoring === 'node-images') issues = validateNodeImages(v);
    else if (isClusterStack(v)) issues = validateClusterStack(v).filter((i) => !(opts.schemaRunsToo && isSchemaIssue(i)));
    else if (isTopologyCluster(v)) {
      const ns = (v as { metadata?: { namespace?: unknown } }).metadata?.namespace;
      const facts = opts.factsFor?.(typeof ns === 'string' ? ns : undefined);
      issues = validateTopologyCluster(v, facts).filter((i) => !(opts.schemaRunsToo && isTopologySchemaIssue(i)));
    }
    for (const i of issues) out.push(toFinding(doc, i));
  }
  return out;
}

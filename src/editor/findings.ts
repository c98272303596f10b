import * as vscode from 'vscode';
import { escapeControls, type Finding, type Range, type Severity } from '../core/findings';

/** Converters between the core's findings (0-based LSP-like positions) and VS Code's types. */

export const DIAGNOSTIC_SOURCE = 'cluster-stacks';

export function toRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toDiagnostic(f: Finding): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(f.range), escapeControls(f.message), SEVERITY[f.severity]);
  d.source = DIAGNOSTIC_SOURCE;
  d.code = f.code;
  return d;
}

/** True when diagnostic `d` is the one published for finding `f`. */
export function isDiagnosticOf(d: vscode.Diagnostic, f: Finding): boolean {
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  return d.source === DIAGNOSTIC_SOURCE && code === f.code && d.range.isEqual(toRange(f.range)) && d.message === escapeControls(f.message);
}

/** "2 errors, 1 warning"; "no problems" when there are none. */
export function summarize(findings: readonly Finding[]): string {
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const parts: string[] = [];
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (count('error')) parts.push(plural(count('error'), 'error'));
  if (count('warning')) parts.push(plural(count('warning'), 'warning'));
  if (count('info')) parts.push(plural(count('info'), 'info'));
  return parts.length ? parts.join(', ') : 'no problems';
}

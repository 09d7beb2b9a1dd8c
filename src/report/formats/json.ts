import type { AuditResult } from '../../result.ts';

/** The documented JSON document: { schemaVersion, run, summary, findings, coverage }. */
export function formatJson(result: AuditResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

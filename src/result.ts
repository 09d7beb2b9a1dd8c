/**
 * The result document of one run: what the pipeline (audit.ts) builds, what the lifecycle stage
 * annotates, and what every sink (formats, CloudWatch, SNS, S3) reads. Types only, so a sink depends on
 * the shape of a run, never on the code that produced it.
 */
import type { Finding, Severity } from './analyze/engine/finding.ts';
import type { ResourceExposure } from './analyze/paths/exposure.ts';
import type { CollectionBounds, CoverageGap } from './inventory/schema.ts';

export const RESULT_SCHEMA_VERSION = 1 as const;

/**
 * The counts of `findings[]`: `findings` counts its FAIL entries, `notEvaluated` its NOT_EVALUATED
 * entries, so `findings + notEvaluated === findings[].length` (suppressed findings are in neither).
 */
export interface AuditSummary {
  /** FAIL findings at or above minSeverity (the NOT_EVALUATED entries of findings[] are not counted here). */
  findings: number;
  bySeverity: Record<Severity, number>;
  byRule: Record<string, number>;
  /** NOT_EVALUATED entries of findings[]: a rule that could not be evaluated for a scope or a resource. */
  notEvaluated: number;
  /** Coverage gaps: calls that failed. Informational notes (`informational: true`) are listed in `coverage` but not counted. */
  coverageGaps: number;
  resourcesAudited: number;
  highestSeverity: Severity | null;
}

export interface AuditRun {
  id: string;
  tool: { name: 'ml-network-audit'; version: string };
  source: 'aws' | 'snapshot';
  snapshotFile?: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  collectedAt: string;
  accounts: string[];
  regions: string[];
  bounds: CollectionBounds;
  rules: string[];
  minSeverity: Severity;
  /**
   * What the run reports: `ml`, the network around ML resources, or `account`, everything; and how
   * many findings (of any severity) the `ml` scope left out. Absent in documents from before it.
   */
  scope?: { mode: 'ml' | 'account'; findingsOutOfScope: number };
}

export type CoverageEntry = CoverageGap & { account: string; region: string };

export interface AuditResult {
  schemaVersion: typeof RESULT_SCHEMA_VERSION;
  run: AuditRun;
  summary: AuditSummary;
  findings: Finding[];
  coverage: CoverageEntry[];
  /**
   * With `--suppressions`: the findings a suppression accepts, status SUPPRESSED with the suppression
   * (id, reason, expiry). They are out of `findings`, the summary and `--fail-on`, but not hidden.
   */
  suppressed?: Finding[];
}

/** The result with its per-ML-resource exposure (internet in / out, firewall inspection, private AWS APIs). */
export type AuditResultWithExposure = AuditResult & { exposure: ResourceExposure[] };

/** What the lifecycle stage did to finding state in one run (the Lambda's summary and metrics report it). */
export interface LifecycleCounts {
  new: number;
  resolved: number;
  suppressed: number;
  /** NEW or OPEN after the run, by severity (with a store: every open item of the run's scopes). */
  openBySeverity: Record<Severity, number>;
  /** Writes that lost a race with an overlapping run and were recomputed. */
  conflicts: number;
}

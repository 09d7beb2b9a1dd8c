/**
 * The fault matrix: operations × fault kinds, each cell one run's verdict; printed as a table and
 * written as JSON (`npm run faults -- --json FILE`).
 */
import { passed, type Verdict } from './judge.ts';
import { FAULT_KINDS, type FaultKind } from './protocol.ts';
import type { Fault } from './proxy.ts';

export interface Cell extends Verdict {
  operation: string;
  fault: FaultKind;
}

export interface Totals {
  runs: number;
  completed: number;
  gapNamed: number;
  /** Runs with at least one false clean, and the false cleans over all runs. */
  runsWithFalseCleans: number;
  falseCleans: number;
  crashes: number;
  /** Runs that did not pass (crash, no gap naming the operation, or a false clean). */
  failed: number;
}

export interface Matrix {
  mode: 'full' | 'sample';
  generatedAt: string;
  /** The clean run's findings (FAIL) the faulted runs are judged against. */
  cleanFailFindings: number;
  operations: string[];
  faults: FaultKind[];
  cells: Cell[];
  totals: Totals;
}

export function totals(cells: readonly Cell[]): Totals {
  return {
    runs: cells.length,
    completed: cells.filter((c) => c.completed).length,
    gapNamed: cells.filter((c) => c.gapNamed).length,
    runsWithFalseCleans: cells.filter((c) => c.falseCleans.length > 0).length,
    falseCleans: cells.reduce((n, c) => n + c.falseCleans.length, 0),
    crashes: cells.filter((c) => c.crash !== undefined).length,
    failed: cells.filter((c) => !passed(c)).length,
  };
}

function cellText(cell: Cell | undefined): string {
  if (!cell) return '·';
  if (cell.crash !== undefined) return 'CRASH';
  const marks = [
    ...(cell.gapNamed ? [] : ['no-gap']),
    ...(cell.falseCleans.length ? [`FC${cell.falseCleans.length}`] : []),
  ];
  return marks.length ? marks.join(',') : 'ok';
}

/** The matrix as text: a table, the totals, then every failed run in detail. */
export function formatMatrix(m: Matrix): string {
  const width = Math.max(9, ...m.operations.map((o) => o.length));
  const col = Math.max(...FAULT_KINDS.map((k) => k.length)) + 2;
  const lines = [
    `${'operation'.padEnd(width)}  ${m.faults.map((f) => f.padEnd(col)).join('')}`.trimEnd(),
    ...m.operations.map((op) =>
      `${op.padEnd(width)}  ${m.faults
        .map((f) => cellText(m.cells.find((c) => c.operation === op && c.fault === f)).padEnd(col))
        .join('')}`.trimEnd(),
    ),
    '',
    `${m.mode} matrix: ${m.operations.length} operations × ${m.faults.length} faults, ${m.totals.runs} runs: ` +
      `${m.totals.completed} completed, ${m.totals.gapNamed} named the operation in a gap, ` +
      `${m.totals.falseCleans} false cleans (in ${m.totals.runsWithFalseCleans} runs), ${m.totals.crashes} crashes; ` +
      `${m.totals.failed} failed.`,
  ];
  for (const c of m.cells.filter((cell) => !passed(cell))) {
    lines.push(`- ${c.operation} × ${c.fault}:`);
    if (c.crash !== undefined) lines.push(`    crash: ${c.crash}`);
    if (!c.gapNamed) lines.push(`    no coverage gap names ${c.operation}`);
    for (const f of c.falseCleans)
      lines.push(`    false clean: ${f.ruleId} on ${f.resourceType} ${f.resourceId} (${f.region})`);
  }
  return `${lines.join('\n')}\n`;
}

/** The runs of the matrix: every operation × every fault, or (sample) each operation once, rotating. */
export function plan(operations: readonly string[], faults: readonly FaultKind[], sample: boolean): Fault[] {
  if (sample) return operations.map((operation, i) => ({ operation, kind: faults[i % faults.length]! }));
  return operations.flatMap((operation) => faults.map((kind) => ({ operation, kind })));
}

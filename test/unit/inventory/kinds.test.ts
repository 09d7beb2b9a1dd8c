/**
 * The kind table (src/inventory/kinds.ts) against what reads it: the snapshot schema's arrays, the
 * reachability needs, the IAM action list in the docs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PLACEMENT_NEEDS } from '../../../src/analyze/aws/ml-placements.ts';
import { REACH_NEEDS } from '../../../src/analyze/paths/needs.ts';
import { IAM_DOC_FILES, iamActionsList, iamSection } from '../../../src/inventory/iam-doc.ts';
import {
  COLLECTOR_ACTIONS,
  COVERAGE_KINDS,
  type KindRow,
  RESOURCE_KINDS,
  RESOURCE_TABLE,
} from '../../../src/inventory/kinds.ts';
import { RESOURCE_ARRAY_KEYS, RegionInventorySchema } from '../../../src/inventory/schema.ts';

const rows = Object.entries(RESOURCE_TABLE) as [string, KindRow][];

describe('the kind table', () => {
  it('gives the region inventory one array per row, in table order, between the scope and the gaps', () => {
    // Act
    const keys = Object.keys(RegionInventorySchema.shape);

    // Assess
    expect(keys).toEqual(['account', 'region', 'partition', ...Object.keys(RESOURCE_TABLE), 'gaps']);
    expect(RESOURCE_ARRAY_KEYS).toEqual(Object.keys(RESOURCE_TABLE));
    expect(RESOURCE_KINDS).toEqual([...Object.keys(RESOURCE_TABLE), ...Object.keys(COVERAGE_KINDS)]);
  });

  it('names each row by fields of its own schema, and its actions by its own service', () => {
    for (const [kind, row] of rows) {
      const fields = Object.keys(row.schema.shape);
      expect({ kind, missing: row.id.filter((f) => !fields.includes(f)) }).toEqual({ kind, missing: [] });
      if (row.name) expect(fields).toContain(row.name);
      if (row.arn.apiField) expect(fields).toContain(row.arn.apiField);
      expect(row.actions.every((a) => a.startsWith(`${row.service}:`))).toBe(true);
      expect(row.cfnType).toMatch(/^AWS::\w+::\w+$/);
    }
  });

  it('lists each IAM action once', () => {
    expect(new Set(COLLECTOR_ACTIONS).size).toBe(COLLECTOR_ACTIONS.length);
  });

  it('marks every kind an ML placement is read from as read by the path engine', () => {
    // The path engine starts from the placements: their kinds are reachability needs.
    expect(REACH_NEEDS).toEqual(expect.arrayContaining([...PLACEMENT_NEEDS]));
    expect(REACH_NEEDS).toEqual(rows.filter(([, row]) => row.reach).map(([kind]) => kind));
  });
});

describe('the IAM action list in the docs', () => {
  const files = IAM_DOC_FILES.filter(
    (path) => existsSync(path) && iamSection(readFileSync(path, 'utf8')) !== undefined,
  );

  it('is in at least one of the docs', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)(
    '%s lists exactly the kind table’s actions (run `npm run docs` after changing the table)',
    (path) => {
      expect(iamSection(readFileSync(path, 'utf8'))).toBe(iamActionsList());
    },
  );
});

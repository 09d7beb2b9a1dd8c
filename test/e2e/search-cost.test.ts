/**
 * What 300 training jobs of history cost to collect against moto, counted with SDK middleware on the
 * collector's own clients: through Search, and through List + Describe + ListTags (Search denied, the
 * fallback), with the same findings either way.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { type CollectRun, measureCollect, total, trainingJobSeeder } from '../../bench/collect-cost.ts';
import { analyzeInventory } from '../../src/audit.ts';
import { parseAuditConfig } from '../../src/config.ts';
import { FALLBACK_TO_LIST_AND_DESCRIBE } from '../../src/inventory/coverage.ts';
import { resetMoto, SECRET_SENTINEL } from './seed.ts';

const endpoint = inject('motoEndpoint');
const REGION = 'us-east-1';
const JOBS = 300;

/** Findings by fingerprint, without the informational note that Search was denied. */
function findingsOf(run: CollectRun) {
  const result = analyzeInventory(run.inventory, parseAuditConfig({}));
  return result.findings
    .filter(
      (f) =>
        (f.evidence as { gap?: { errorCode?: string } }).gap?.errorCode !== FALLBACK_TO_LIST_AND_DESCRIBE,
    )
    .map((f) => `${f.ruleId} ${f.status} ${f.resource.id} ${f.fingerprint}`)
    .sort();
}

const byName = (run: CollectRun) =>
  [...run.inventory.regions.flatMap((s) => s.trainingJobs)].sort((a, b) =>
    a.trainingJobName.localeCompare(b.trainingJobName),
  );

describe('training-job collection cost', () => {
  let search: CollectRun;
  let listDescribe: CollectRun;

  beforeAll(async () => {
    await resetMoto(endpoint);
    await trainingJobSeeder.seed(endpoint, REGION, JOBS, SECRET_SENTINEL);
    search = await measureCollect(endpoint, REGION, 'search');
    listDescribe = await measureCollect(endpoint, REGION, 'list-describe');
  });

  it('reads 300 jobs and their tags in at most 30 SageMaker calls through Search', () => {
    // Assess
    expect(byName(search)).toHaveLength(JOBS);
    expect(total(search.calls.sagemaker, trainingJobSeeder.operations)).toBeLessThanOrEqual(30);
    expect(total(search.calls.sagemaker)).toBeLessThanOrEqual(30);
    expect(search.calls.sagemaker?.DescribeTrainingJob).toBeUndefined();
    expect(search.calls.sagemaker?.ListTags).toBeUndefined();
  });

  it('costs two calls per job and more without Search, and says so in an informational note', () => {
    // Assess
    expect(byName(listDescribe)).toHaveLength(JOBS);
    expect(listDescribe.calls.sagemaker?.DescribeTrainingJob).toBe(JOBS);
    expect(listDescribe.calls.sagemaker?.ListTags).toBe(JOBS);
    expect(listDescribe.inventory.regions[0]?.gaps).toContainEqual(
      expect.objectContaining({
        operation: 'Search',
        errorCode: FALLBACK_TO_LIST_AND_DESCRIBE,
        informational: true,
      }),
    );
  });

  it('collects the same jobs, tags included, and yields the same findings on both paths', () => {
    // Assess
    expect(byName(search)).toEqual(byName(listDescribe));
    expect(byName(search).every((j) => j.tags && Object.keys(j.tags).includes('Name'))).toBe(true);
    const findings = findingsOf(search);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings).toEqual(findingsOf(listDescribe));
  });

  it('keeps no secret from the records: environment, hyperparameters, tag values', () => {
    // Assess
    expect(JSON.stringify(search.inventory)).not.toContain(SECRET_SENTINEL);
    expect(JSON.stringify(listDescribe.inventory)).not.toContain(SECRET_SENTINEL);
  });
});

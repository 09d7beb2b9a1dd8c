import { InvalidArgumentError } from 'commander';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intFlag, listFlag } from '../../../src/cli-options.ts';
import { ConfigError, LIST_CAPS, parseRegionsFlag, RegionNameSchema } from '../../../src/config.ts';
import { runMain } from '../../fixtures/cli.ts';

const RUNS = { numRuns: 200 };

const numberish = fc.oneof(
  fc.integer({ min: -10, max: 100_000 }).map(String),
  fc.constantFrom('0x10', '1e3', ' 7', '7 ', '+7', '07', '7.0', 'Infinity', '', '٣'),
  fc.string({ maxLength: 8 }),
);
const listish = fc.oneof(
  fc
    .array(fc.constantFrom('us-east-1', 'eu-west-1', 'mars-north-9', '', ' ', 'all', 'sg-*'), {
      maxLength: 6,
    })
    .map((l) => l.join(',')),
  fc.string({ maxLength: 30 }),
);

describe('flag parser fuzzing', () => {
  it('reads a number flag only from decimal digits within its range', () => {
    const parse = intFlag('--job-window-days', 1, 3650);
    fc.assert(
      fc.property(numberish, (value) => {
        let n: number | undefined;
        try {
          n = parse(value);
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidArgumentError);
          expect((err as Error).message).toContain('--job-window-days');
          return;
        }
        expect(value).toMatch(/^\d+$/);
        expect(n).toBe(Number(value));
        expect(n).toBeGreaterThanOrEqual(1);
        expect(n).toBeLessThanOrEqual(3650);
      }),
      RUNS,
    );
  });

  it('splits a list flag into unique, non-empty items within the cap, or refuses it naming the flag', () => {
    const parse = listFlag('--rules', 3);
    fc.assert(
      fc.property(listish, (value) => {
        let items: string[];
        try {
          items = parse(value);
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidArgumentError);
          expect((err as Error).message).toMatch(/^--rules: /);
          return;
        }
        expect(items.length).toBeGreaterThan(0);
        expect(items.length).toBeLessThanOrEqual(3);
        expect(items.every((i) => i !== '' && i === i.trim())).toBe(true);
        expect(new Set(items).size).toBe(items.length);
      }),
      RUNS,
    );
  });

  it('takes --regions as "all", or as real region names only once the config validates them', () => {
    fc.assert(
      fc.property(listish, (value) => {
        try {
          const sel = parseRegionsFlag(value);
          if (sel.mode === 'list') {
            expect(sel.regions.length).toBeLessThanOrEqual(LIST_CAPS.regions);
            expect(sel.regions.every((r) => r !== '')).toBe(true);
          }
        } catch (err) {
          expect(err).toBeInstanceOf(ConfigError);
          expect((err as Error).message).toMatch(/^--regions: /);
        }
      }),
      RUNS,
    );
  });
});

const cli = runMain;

describe('CLI fuzzing', () => {
  it('answers any flag values with exit 0, 2 or 3: never a failure, a stack trace, or a report from a refused value', async () => {
    const flags = fc.record(
      {
        '--regions': listish,
        '--rules': listish,
        '--min-severity': fc.oneof(fc.constantFrom('high', 'INFO', 'urgent'), fc.string({ maxLength: 6 })),
        '--fail-on': fc.oneof(fc.constantFrom('none', 'critical', 'loud'), fc.string({ maxLength: 6 })),
        '--job-window-days': numberish,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(flags, async (given) => {
        // A value that starts with '-' is read as an option, as by most CLIs (`--regions -V` prints the
        // version): that is the option parser's contract, not a value these flags accept or refuse.
        fc.pre(Object.values(given).every((v) => !v.startsWith('-')));
        const args = Object.entries(given).flat();
        const r = await cli('audit', '--snapshot', 'events/demo-snapshot.json', '--format', 'json', ...args);
        expect([0, 2, 3]).toContain(r.code);
        expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
        if (r.code === 2) {
          expect(r.stderr).toMatch(/^error: /m);
          expect(r.stdout).toBe('');
        } else {
          const doc = JSON.parse(r.stdout);
          for (const region of doc.run.regions) expect(RegionNameSchema.safeParse(region).success).toBe(true);
        }
      }),
      { numRuns: 40 },
    );
  }, 60_000);
});

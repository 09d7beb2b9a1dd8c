/**
 * Property-based fuzzing of the Lambda's inputs (issue 12, "a fault suite of our own"): the event
 * classifier and the environment parser. Whatever comes in: never a crash (only our named errors), and
 * nothing accepted that AWS could not accept.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../../src/analyze/engine/registry.ts';
import { ruleMatcher } from '../../../src/analyze/engine/rule.ts';
import { LIST_CAPS, RegionNameSchema } from '../../../src/config.ts';
import {
  EnvError,
  loadLambdaEnv,
  MetricsNamespaceSchema,
  POWERTOOLS_LOG_LEVELS,
} from '../../../src/lambda/env.ts';
import { classifyEvent, PayloadError } from '../../../src/lambda/payload.ts';

const RUNS = { numRuns: 200 };
const FIELDS = ['regions', 'rules', 'minSeverity', 'notify', 'dryRun', 'jobWindowDays', 'accounts'] as const;
const scheduled = JSON.parse(readFileSync('events/scheduled.json', 'utf8'));

/** Strings near the valid ones: real values, their typos, and noise. */
const regionish = fc.oneof(
  fc.constantFrom(
    'us-east-1',
    'eu-west-1',
    'us-gov-west-1',
    'cn-northwest-1',
    'mars-north-9',
    'us-east-',
    '',
  ),
  fc.stringMatching(/^[a-z]{1,5}(-[a-z]{1,9}){0,2}-\d{0,3}$/),
  fc.string({ maxLength: 12 }),
);
const ruleish = fc.oneof(
  fc.constantFrom(...RULES.slice(0, 5).map((r) => r.meta.id), 'sg-*', '*', 'nope-*', ''),
  fc.string({ maxLength: 10 }),
);
const accountish = fc.oneof(fc.stringMatching(/^\d{10,13}$/), fc.string({ maxLength: 13 }));
const list = <T>(item: fc.Arbitrary<T>) => fc.array(item, { maxLength: 6 });

const payloadish = fc.record(
  {
    regions: fc.oneof(fc.constant('all'), list(regionish), fc.anything()),
    rules: fc.oneof(list(ruleish), fc.anything()),
    minSeverity: fc.oneof(fc.constantFrom('high', 'CRITICAL', 'urgent'), fc.anything()),
    notify: fc.oneof(fc.constantFrom('none', 'new', 'all', 'always'), fc.anything()),
    dryRun: fc.oneof(fc.boolean(), fc.anything()),
    jobWindowDays: fc.oneof(fc.integer({ min: -5, max: 4000 }), fc.double(), fc.string({ maxLength: 5 })),
    accounts: fc.oneof(list(accountish), fc.anything()),
  },
  { requiredKeys: [] },
);

/** Run the classifier; anything thrown must be our PayloadError. */
function classify(event: unknown): { ok?: ReturnType<typeof classifyEvent>; error?: string } {
  try {
    return { ok: classifyEvent(event) };
  } catch (err) {
    if (!(err instanceof PayloadError)) throw err;
    return { error: err.message };
  }
}

describe('payload fuzzing', () => {
  it('throws nothing but PayloadError on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (event) => {
        classify(event);
      }),
      RUNS,
    );
  });

  it('accepts only what AWS could take: real region names, rules that exist, 12-digit accounts, bounded unique lists', () => {
    fc.assert(
      fc.property(payloadish, (event) => {
        const out = classify(event);
        if (out.ok?.kind !== 'on-demand') return;
        const p = out.ok.payload;
        if (Array.isArray(p.regions)) {
          expect(p.regions.every((r) => RegionNameSchema.safeParse(r).success)).toBe(true);
          expect(p.regions.length).toBeLessThanOrEqual(LIST_CAPS.regions);
          expect(new Set(p.regions).size).toBe(p.regions.length);
        }
        for (const r of p.rules ?? [])
          expect(RULES.some((rule) => ruleMatcher([r])(rule.meta.id))).toBe(true);
        for (const a of p.accounts ?? []) expect(a).toMatch(/^\d{12}$/);
        if (p.jobWindowDays !== undefined) {
          expect(Number.isInteger(p.jobWindowDays)).toBe(true);
          expect(p.jobWindowDays).toBeGreaterThanOrEqual(1);
          expect(p.jobWindowDays).toBeLessThanOrEqual(3650);
        }
      }),
      RUNS,
    );
  });

  it('rejects any unknown field, naming it, and never takes the event for a schedule', () => {
    const unknownKey = fc
      .string({ minLength: 1, maxLength: 12 })
      .filter((k) => !(FIELDS as readonly string[]).includes(k) && k !== '__proto__');
    fc.assert(
      fc.property(payloadish, unknownKey, fc.jsonValue(), (event, key, value) => {
        const out = classify({ ...event, [key]: value });
        expect(out.error !== undefined).toBe(true);
        if (out.error !== undefined) expect(out.error).toContain(JSON.stringify(key));
      }),
      RUNS,
    );
  });

  it('takes a schedule envelope with any field changed, dropped or added for a payload, and rejects it', () => {
    const keys = Object.keys(scheduled);
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('drop' as const), key: fc.constantFrom(...keys) }),
      fc.record({
        kind: fc.constant('set' as const),
        key: fc.constantFrom(...keys),
        value: fc.jsonValue().filter((v) => JSON.stringify(v) !== JSON.stringify(scheduled)),
      }),
      fc.record({
        kind: fc.constant('add' as const),
        key: fc.oneof(fc.constantFrom(...FIELDS), fc.string({ minLength: 1, maxLength: 8 })),
        value: fc.jsonValue(),
      }),
    );
    fc.assert(
      fc.property(mutation, (m) => {
        const event: Record<string, unknown> = { ...scheduled };
        if (m.kind === 'drop') delete event[m.key];
        else if (m.kind === 'add' && Object.hasOwn(event, m.key)) return;
        else event[m.key] = m.value;
        if (m.kind === 'set' && JSON.stringify(m.value) === JSON.stringify(scheduled[m.key])) return;
        // A changed id or time may still be a valid envelope; anything else must not be a schedule.
        const out = classify(event);
        if (out.ok?.kind === 'scheduled') {
          expect(m.kind).toBe('set');
          expect(['id', 'time', 'account', 'region', 'resources']).toContain(m.key);
        } else {
          expect(out.error !== undefined).toBe(true);
        }
      }),
      RUNS,
    );
  });
});

describe('environment fuzzing', () => {
  const NUMERIC = {
    JOB_WINDOW_DAYS: [1, 3650],
    PUBLISH_RESERVE_MS: [1_000, 600_000],
    REMINDER_INTERVAL_DAYS: [0, 365],
    ACCOUNT_CONCURRENCY: [1, 64],
  } as const;
  const numberish = fc.oneof(
    fc.integer({ min: -10, max: 700_000 }).map(String),
    fc.constantFrom('0x10', '1e3', ' 7', '7 ', '+7', '07', '7.0', 'Infinity', 'NaN', '', ' '),
    fc.string({ maxLength: 8 }),
  );

  /** Load; anything thrown must be our EnvError. */
  function load(vars: Record<string, string>): { ok?: ReturnType<typeof loadLambdaEnv>; error?: string } {
    try {
      return { ok: loadLambdaEnv({ AWS_REGION: 'us-east-1', ...vars }) };
    } catch (err) {
      if (!(err instanceof EnvError)) throw err;
      return { error: err.message };
    }
  }

  it('reads a number variable only from decimal digits within its range, else fails naming it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(NUMERIC) as (keyof typeof NUMERIC)[])),
        numberish,
        (name, value) => {
          const out = load({ [name]: value });
          const [min, max] = NUMERIC[name];
          if (out.ok) {
            if (value === '') return; // empty is unset: the default
            expect(value).toMatch(/^\d+$/);
            expect(out.ok[name]).toBe(Number(value));
            expect(out.ok[name]).toBeGreaterThanOrEqual(min);
            expect(out.ok[name]).toBeLessThanOrEqual(max);
          } else {
            expect(out.error).toContain(`${name}`);
          }
        },
      ),
      RUNS,
    );
  });

  it('accepts a log level only if Powertools has it, and a namespace only if CloudWatch would', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom(...POWERTOOLS_LOG_LEVELS, 'info', 'LOUD', 'warning'),
          fc.string({ maxLength: 8 }),
        ),
        fc.oneof(
          fc.constantFrom('MlNetworkAudit', 'bad ns !!', 'AWS/EC2', ':x', 'a/b c'),
          fc.string({ maxLength: 300 }),
        ),
        (level, ns) => {
          const out = load({ POWERTOOLS_LOG_LEVEL: level, POWERTOOLS_METRICS_NAMESPACE: ns });
          const levelSet = level.trim() !== '';
          const levelOk =
            !levelSet || (POWERTOOLS_LOG_LEVELS as readonly string[]).includes(level.trim().toUpperCase());
          const nsOk = ns.trim() === '' || MetricsNamespaceSchema.safeParse(ns.trim()).success;
          expect(out.ok !== undefined).toBe(levelOk && nsOk);
          if (out.ok !== undefined && ns.trim() !== '') {
            expect(out.ok.POWERTOOLS_METRICS_NAMESPACE).toMatch(/^[A-Za-z0-9 ._/#:-]{1,255}$/);
            expect(out.ok.POWERTOOLS_METRICS_NAMESPACE.startsWith('AWS/')).toBe(false);
          }
          if (!levelOk) expect(out.error !== undefined && out.error).toContain('POWERTOOLS_LOG_LEVEL');
        },
      ),
      RUNS,
    );
  });

  it('throws nothing but EnvError on any set of variables, and accepts only valid list items', () => {
    const vars = fc.record(
      {
        AUDIT_REGIONS: fc.oneof(
          list(regionish).map((l) => l.join(',')),
          fc.string({ maxLength: 20 }),
        ),
        AUDIT_RULES: fc.oneof(
          list(ruleish).map((l) => l.join(',')),
          fc.string({ maxLength: 20 }),
        ),
        ACCOUNTS: fc.oneof(
          list(accountish).map((l) => l.join(',')),
          fc.string({ maxLength: 20 }),
        ),
        MIN_ALERT_SEVERITY: fc.string({ maxLength: 8 }),
        NOTIFY: fc.string({ maxLength: 5 }),
        FINDINGS_TOPIC_ARN: fc.string({ maxLength: 20 }),
        STATE_TABLE_NAME: fc.string({ maxLength: 8 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(vars, (v) => {
        const out = load(v);
        if (!(out.ok !== undefined)) return;
        const env = out.ok;
        if (Array.isArray(env.AUDIT_REGIONS))
          expect(env.AUDIT_REGIONS.every((r) => RegionNameSchema.safeParse(r).success)).toBe(true);
        for (const a of env.ACCOUNTS ?? []) expect(a).toMatch(/^\d{12}$/);
        for (const r of env.AUDIT_RULES ?? [])
          expect(RULES.some((rule) => ruleMatcher([r])(rule.meta.id))).toBe(true);
      }),
      RUNS,
    );
  });
});

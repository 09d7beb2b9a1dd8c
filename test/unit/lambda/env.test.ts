import { describe, expect, it } from 'vitest';
import { LIST_CAPS } from '../../../src/config.ts';
import { EnvError, loadLambdaEnv } from '../../../src/lambda/env.ts';

const base = { AWS_REGION: 'us-east-1' };

function failure(vars: Record<string, string>): string {
  try {
    loadLambdaEnv({ ...base, ...vars });
  } catch (err) {
    expect(err).toBeInstanceOf(EnvError);
    return (err as Error).message;
  }
  throw new Error('the environment was accepted');
}

describe('loadLambdaEnv: numbers are decimal digits only', () => {
  it.each([
    ['JOB_WINDOW_DAYS', '0x10'],
    ['JOB_WINDOW_DAYS', '1e1'],
    ['JOB_WINDOW_DAYS', ' 16'],
    ['JOB_WINDOW_DAYS', '16.0'],
    ['JOB_WINDOW_DAYS', '+16'],
    ['JOB_WINDOW_DAYS', '  '],
    ['PUBLISH_RESERVE_MS', '6e4'],
    ['REMINDER_INTERVAL_DAYS', '-1'],
    ['REMINDER_INTERVAL_DAYS', '0b1'],
    ['ACCOUNT_CONCURRENCY', '0o7'],
    ['ACCOUNT_CONCURRENCY', 'Infinity'],
  ])('fails at init on %s=%j, naming the variable', (name, value) => {
    expect(failure({ [name]: value })).toMatch(
      new RegExp(`^\\s*${name}: .*not a whole number in decimal digits`, 'm'),
    );
  });

  it.each([
    ['JOB_WINDOW_DAYS', '3651'],
    ['ACCOUNT_CONCURRENCY', '65'],
    ['PUBLISH_RESERVE_MS', '999'],
  ])('fails at init on %s=%s out of range', (name, value) => {
    expect(failure({ [name]: value })).toMatch(new RegExp(`${name}: must be from`));
  });

  it('reads decimal values, and an empty variable as unset (the template passes "" for unset)', () => {
    expect(
      loadLambdaEnv({
        ...base,
        JOB_WINDOW_DAYS: '016',
        REMINDER_INTERVAL_DAYS: '0',
        ACCOUNT_CONCURRENCY: '',
      }),
    ).toMatchObject({ JOB_WINDOW_DAYS: 16, REMINDER_INTERVAL_DAYS: 0, ACCOUNT_CONCURRENCY: 4 });
  });
});

describe('loadLambdaEnv: lists', () => {
  it('fails at init when AUDIT_RULES matches no rule, naming AUDIT_RULES', () => {
    expect(failure({ AUDIT_RULES: 'nope-*' })).toMatch(/AUDIT_RULES\[0\]: "nope-\*" matches no rule/);
  });

  it.each([
    ['AUDIT_REGIONS', 'us-east-1,,', /AUDIT_REGIONS\[1\]: "" is not an AWS region name/],
    ['AUDIT_RULES', 'sg-*,', /AUDIT_RULES\[1\]/],
    ['ACCOUNTS', '111122223333,,444455556666', /ACCOUNTS\[1\]: "" is not an AWS account id/],
    [
      'AUDIT_REGIONS',
      Array(LIST_CAPS.regions + 1)
        .fill('us-east-1')
        .join(','),
      /AUDIT_REGIONS: at most 64 regions/,
    ],
    [
      'AUDIT_RULES',
      Array(LIST_CAPS.rules + 1)
        .fill('sg-*')
        .join(','),
      /AUDIT_RULES: at most 200 rules/,
    ],
  ])('fails at init on %s=%j (an empty item or too many), naming the variable', (name, value, message) => {
    expect(failure({ [name]: value })).toMatch(message);
  });

  it('de-duplicates lists', () => {
    expect(
      loadLambdaEnv({ ...base, AUDIT_REGIONS: 'eu-west-1, eu-west-1,us-east-1', AUDIT_RULES: 'sg-*,sg-*' }),
    ).toMatchObject({ AUDIT_REGIONS: ['eu-west-1', 'us-east-1'], AUDIT_RULES: ['sg-*'] });
  });
});

describe('loadLambdaEnv: Powertools variables', () => {
  it.each(['TRACE', 'debug', 'Info', 'WARN', 'error', 'CRITICAL', 'silent'])(
    'accepts the Powertools log level %s in any case',
    (level) => {
      expect(loadLambdaEnv({ ...base, POWERTOOLS_LOG_LEVEL: level }).POWERTOOLS_LOG_LEVEL).toBe(
        level.toUpperCase(),
      );
    },
  );

  it('fails at init on POWERTOOLS_LOG_LEVEL=LOUD, naming it and the levels', () => {
    expect(failure({ POWERTOOLS_LOG_LEVEL: 'LOUD' })).toMatch(
      /POWERTOOLS_LOG_LEVEL: "LOUD" is not a Powertools log level \(TRACE, DEBUG/,
    );
  });

  it.each(['bad ns !!', 'AWS/Lambda', ':starts-with-colon', 'x'.repeat(256), 'tab\there', 'naïve'])(
    'fails at init on POWERTOOLS_METRICS_NAMESPACE=%j, naming it',
    (ns) => {
      expect(failure({ POWERTOOLS_METRICS_NAMESPACE: ns })).toMatch(/POWERTOOLS_METRICS_NAMESPACE: /);
    },
  );

  it.each(['MlNetworkAudit', 'Team/ML Audit', 'a.b-c_d#e:f', 'x'.repeat(255)])(
    'accepts the CloudWatch namespace %j',
    (ns) => {
      expect(loadLambdaEnv({ ...base, POWERTOOLS_METRICS_NAMESPACE: ns }).POWERTOOLS_METRICS_NAMESPACE).toBe(
        ns,
      );
    },
  );

  it('defaults the namespace and the service name', () => {
    expect(loadLambdaEnv(base)).toMatchObject({
      POWERTOOLS_METRICS_NAMESPACE: 'MlNetworkAudit',
      POWERTOOLS_SERVICE_NAME: 'ml-network-audit',
    });
  });
});

describe('loadLambdaEnv: HASH_NAMES', () => {
  it('keeps names readable by default, hashes them with "true" (any case)', () => {
    expect(loadLambdaEnv(base).HASH_NAMES).toBe(false);
    expect(loadLambdaEnv({ ...base, HASH_NAMES: 'TRUE' }).HASH_NAMES).toBe(true);
    expect(loadLambdaEnv({ ...base, HASH_NAMES: 'false' }).HASH_NAMES).toBe(false);
  });

  it('fails at init on HASH_NAMES=yes, naming the variable', () => {
    expect(failure({ HASH_NAMES: 'yes' })).toMatch(/HASH_NAMES: "yes" is not "true" or "false"/);
  });
});

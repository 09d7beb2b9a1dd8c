import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/network-firewall/nfw-logging-disabled.ts';
import type { FirewallLogging } from '../../../../../src/inventory/schema.ts';
import { ids, run } from '../../../../fixtures/inventory.ts';
import { firewall, nfwScope } from '../../../../fixtures/network-firewall.ts';

const dest = (logType: string, logDestinationType = 'CloudWatchLogs') => ({ logType, logDestinationType });

describe('nfw-logging-disabled', () => {
  describe('non-compliant', () => {
    it.each<[string, FirewallLogging, string[]]>([
      ['no destination at all', { destinations: [] }, ['ALERT', 'FLOW']],
      ['FLOW only', { destinations: [dest('FLOW', 'S3')] }, ['ALERT']],
      ['TLS only', { destinations: [dest('TLS')] }, ['ALERT', 'FLOW']],
    ])('fails with %s, and says which are missing', (_, logging, missing) => {
      // Act
      const findings = run(rule, nfwScope({ firewalls: [firewall('fw-quiet', { logging })] }));
      // Assess
      expect(ids(findings)).toEqual(['fw-quiet']);
      expect(findings[0]).toMatchObject({
        severity: 'MEDIUM',
        references: ['FSBP NetworkFirewall.2'],
        resource: { type: 'AWS::NetworkFirewall::Firewall' },
        evidence: { missing },
      });
    });

    it('names the firewall, its VPC and the log types it has', () => {
      const [f] = run(
        rule,
        nfwScope({ firewalls: [firewall('fw-flow', { logging: { destinations: [dest('FLOW', 'S3')] } })] }),
      );
      expect(f?.message).toBe(
        'Firewall fw-flow in vpc-1 logs only FLOW (to S3), no ALERT: what it drops or alerts on is not recorded.',
      );
    });
  });

  describe('compliant', () => {
    it.each<[string, FirewallLogging]>([
      ['ALERT and FLOW', { destinations: [dest('ALERT'), dest('FLOW', 'S3')] }],
      [
        'ALERT only (FLOW is advised, not required)',
        { destinations: [dest('ALERT', 'KinesisDataFirehose')] },
      ],
    ])('passes with %s', (_, logging) => {
      expect(ids(run(rule, nfwScope({ firewalls: [firewall('fw-ok', { logging })] })))).toEqual([]);
    });
  });

  describe('not evaluated', () => {
    it('says so for a firewall whose logging configuration could not be read (gap from the collector)', () => {
      const { logging: _unread, ...fw } = firewall('fw-denied');
      const findings = run(
        rule,
        nfwScope({
          firewalls: [fw],
          fill: {
            gaps: [
              {
                service: 'network-firewall',
                operation: 'DescribeLoggingConfiguration',
                kind: 'firewallLogging',
                resourceId: fw.firewallArn,
                errorCode: 'AccessDeniedException',
                message: 'denied',
              },
            ],
          },
        }),
      );
      expect(findings.map((f) => [f.status, f.resource.id])).toEqual([['NOT_EVALUATED', 'fw-denied']]);
    });

    it('says so when logging is absent without a gap (never clean for what was not read)', () => {
      const { logging: _unread, ...fw } = firewall('fw-unread');
      const findings = run(rule, nfwScope({ firewalls: [fw] }));
      expect(findings.map((f) => [f.status, f.resource.id])).toEqual([['NOT_EVALUATED', 'fw-unread']]);
    });
  });
});

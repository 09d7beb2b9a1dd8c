import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/security-groups/sg-ml-unrestricted-egress.ts';
import type { SecurityGroupRule } from '../../../../../src/inventory/schema.ts';
import { ids, run, scope, sg } from '../../../../fixtures/inventory.ts';
import {
  customerList,
  domain,
  egress,
  fromGroup,
  gap,
  notebook,
  trainingJob,
} from '../../../../fixtures/security-groups.ts';

const allOut = egress({ ruleId: 'sgr-out', ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' });

describe('sg-ml-unrestricted-egress', () => {
  describe('non-compliant', () => {
    it.each<[string, SecurityGroupRule]>([
      ['all traffic to 0.0.0.0/0 (the AWS default)', allOut],
      ['all traffic to ::/0', egress({ ipProtocol: '-1', cidrIpv6: '::/0' })],
      ['all traffic to 0.0.0.0/1 (world)', egress({ ipProtocol: '-1', cidrIpv4: '0.0.0.0/1' })],
    ])('fails for a training job group with %s', (_, r) => {
      // Act
      const findings = run(
        rule,
        scope({ securityGroups: [sg('sg-ml', [r])], trainingJobs: [trainingJob('train-1', ['sg-ml'])] }),
      );
      // Assess
      expect(ids(findings)).toEqual(['sg-ml']);
      expect(findings[0]?.severity).toBe('LOW');
    });

    it('names the group, the ML resources and the rule', () => {
      // Prepare
      const s = scope({
        securityGroups: [sg('sg-ml', [allOut, fromGroup('sg-ml')], { groupName: 'ml' })],
        trainingJobs: [trainingJob('train-1', ['sg-ml'])],
        notebookInstances: [notebook('nb-1', ['sg-ml'])],
        sagemakerDomains: [domain('d-1', { defaultUserSecurityGroups: ['sg-ml'] })],
      });
      // Act
      const [finding, ...rest] = run(rule, s);
      // Assess
      expect(rest).toHaveLength(0);
      expect(finding?.message).toBe(
        'Security group sg-ml (ml), on Studio domain d-1, notebook instance nb-1, training job train-1, allows all outbound traffic to the internet: all traffic to 0.0.0.0/0 [sgr-out].',
      );
      expect(finding?.evidence).toMatchObject({
        mlResources: [
          { kind: 'domain', id: 'd-1' },
          { kind: 'notebook', id: 'nb-1' },
          { kind: 'trainingJob', id: 'train-1' },
        ],
        rules: [{ ruleId: 'sgr-out', worldCidrs: ['0.0.0.0/0'] }],
      });
    });

    it('counts a group used by both an isolated and a non-isolated job', () => {
      const s = scope({
        securityGroups: [sg('sg-ml', [allOut])],
        trainingJobs: [
          trainingJob('isolated', ['sg-ml'], { enableNetworkIsolation: true }),
          trainingJob('open', ['sg-ml']),
        ],
      });
      const findings = run(rule, s);
      expect(ids(findings)).toEqual(['sg-ml']);
      expect(findings[0]?.evidence).toMatchObject({ mlResources: [{ id: 'open' }] });
    });

    it('fails through a customer-managed prefix list holding 0.0.0.0/0', () => {
      const s = scope({
        securityGroups: [sg('sg-ml', [egress({ ipProtocol: '-1', prefixListId: 'pl-1' })])],
        prefixLists: [customerList('pl-1', ['0.0.0.0/0'])],
        notebookInstances: [notebook('nb-1', ['sg-ml'])],
      });
      expect(ids(run(rule, s))).toEqual(['sg-ml']);
    });
  });

  describe('compliant', () => {
    it.each<[string, SecurityGroupRule]>([
      ['TCP 443 to world', egress({ ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '0.0.0.0/0' })],
      [
        'TCP 0-65535 to world (not all protocols)',
        egress({ ipProtocol: 'tcp', fromPort: 0, toPort: 65535, cidrIpv4: '0.0.0.0/0' }),
      ],
      ['all traffic to the VPC CIDR', egress({ ipProtocol: '-1', cidrIpv4: '10.0.0.0/16' })],
      ['all traffic to an endpoint group', fromGroup('sg-endpoints', { egress: true })],
      [
        'all traffic in from world (an inbound rule)',
        { egress: false, ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' },
      ],
    ])('passes for an ML group with %s', (_, r) => {
      const s = scope({
        securityGroups: [sg('sg-ml', [r])],
        trainingJobs: [trainingJob('train-1', ['sg-ml'])],
      });
      expect(ids(run(rule, s))).toEqual([]);
    });

    it('passes for all egress on a group no ML resource uses', () => {
      expect(ids(run(rule, scope({ securityGroups: [sg('sg-web', [allOut])] })))).toEqual([]);
    });

    it('passes for a group used only by network-isolated jobs', () => {
      const s = scope({
        securityGroups: [sg('sg-iso', [allOut])],
        trainingJobs: [trainingJob('isolated', ['sg-iso'], { enableNetworkIsolation: true })],
      });
      expect(ids(run(rule, s))).toEqual([]);
    });
  });

  describe('coverage', () => {
    it('says NOT_EVALUATED when training jobs could not be read', () => {
      const findings = run(
        rule,
        scope({ securityGroups: [sg('sg-ml', [allOut])], gaps: [gap('trainingJobs')] }),
      );
      expect(findings.map((f) => f.status)).toEqual(['NOT_EVALUATED']);
    });
  });
});

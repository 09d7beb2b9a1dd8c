import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/routes/vpc-ml-flow-logs-disabled.ts';
import type { FlowLog, RegionInventory } from '../../../../../src/inventory/schema.ts';
import { ids, run, scope } from '../../../../fixtures/inventory.ts';
import { flowLog, kindGap, notebook, subnet, trainingJob, vpc } from '../../../../fixtures/network.ts';

/** vpc-ml holds a notebook in subnet-ml; vpc-plain holds nothing. */
const withLogs = (flowLogs: FlowLog[], extra: Partial<RegionInventory> = {}) =>
  scope({
    vpcs: [vpc('vpc-ml'), vpc('vpc-plain', ['10.5.0.0/16'])],
    subnets: [
      subnet('subnet-ml', 'vpc-ml'),
      subnet('subnet-ml2', 'vpc-ml'),
      subnet('subnet-plain', 'vpc-plain'),
    ],
    notebookInstances: [notebook('nb-1', 'subnet-ml')],
    flowLogs,
    ...extra,
  });

describe('vpc-ml-flow-logs-disabled', () => {
  describe('non-compliant', () => {
    it.each<[string, FlowLog[]]>([
      ['no flow log at all', []],
      ['a flow log on another VPC only', [flowLog('fl-other', 'vpc-plain')]],
      ['a flow log on one subnet only (partial)', [flowLog('fl-sub', 'subnet-ml')]],
      ['a VPC flow log that is not ACTIVE', [flowLog('fl-vpc', 'vpc-ml', { flowLogStatus: 'DELETING' })]],
    ])('fails for %s', (_, logs) => {
      // Act
      const findings = run(rule, withLogs(logs));
      // Assess
      expect(ids(findings)).toEqual(['vpc-ml']);
      expect(findings[0]).toMatchObject({
        severity: 'MEDIUM',
        references: ['FSBP EC2.6'],
        resource: { type: 'AWS::EC2::VPC' },
      });
    });

    it('names the ML resources and says when only a subnet is logged', () => {
      // Prepare
      const s = withLogs([flowLog('fl-sub', 'subnet-ml')], {
        trainingJobs: [trainingJob('train-1', ['subnet-ml2'])],
      });
      // Act
      const [finding] = run(rule, s);
      // Assess
      expect(finding?.message).toBe(
        'VPC vpc-ml holds ML resources (notebook instance nb-1, training job train-1) but has no VPC flow log; only subnet-ml (fl-sub) has a flow log, which is partial coverage.',
      );
      expect(finding?.evidence).toMatchObject({
        vpcFlowLogs: [],
        partialFlowLogs: [{ flowLogId: 'fl-sub', resourceId: 'subnet-ml' }],
      });
    });

    it('with trafficTypes ["ALL", "REJECT"] (FSBP EC2.6), an ACCEPT-only VPC flow log does not count', () => {
      const findings = run(rule, withLogs([flowLog('fl-acc', 'vpc-ml', { trafficType: 'ACCEPT' })]), {
        trafficTypes: ['ALL', 'REJECT'],
      });
      expect(ids(findings)).toEqual(['vpc-ml']);
      expect(findings[0]?.message).toContain('its flow log fl-acc (ACCEPT, ACTIVE) does not count');
    });

    it('reports a VPC it cannot see in the inventory when VPCs could not be listed', () => {
      const s = withLogs([], { vpcs: [], gaps: [kindGap('vpcs', 'DescribeVpcs')] });
      expect(ids(run(rule, s))).toEqual(['vpc-ml']);
    });
  });

  describe('compliant', () => {
    it.each<[string, FlowLog[]]>([
      ['an active VPC flow log of all traffic', [flowLog('fl-vpc', 'vpc-ml')]],
      [
        'a REJECT-only VPC flow log (what FSBP EC2.6 checks)',
        [flowLog('fl-vpc', 'vpc-ml', { trafficType: 'REJECT' })],
      ],
      ['a VPC flow log with no status reported', [flowLog('fl-vpc', 'vpc-ml', { flowLogStatus: undefined })]],
    ])('passes for %s', (_, logs) => {
      expect(ids(run(rule, withLogs(logs)))).toEqual([]);
    });

    it('passes a VPC without ML resources and no flow log', () => {
      expect(ids(run(rule, withLogs([flowLog('fl-vpc', 'vpc-ml')])))).toEqual([]);
    });

    it('passes the placement of a job whose VPC no longer exists', () => {
      const s = withLogs([flowLog('fl-vpc', 'vpc-ml')], {
        subnets: [subnet('subnet-ml', 'vpc-ml'), subnet('subnet-gone', 'vpc-gone')],
        trainingJobs: [trainingJob('old-job', ['subnet-gone'])],
      });
      expect(ids(run(rule, s))).toEqual([]);
    });
  });

  it.each([
    ['flowLogs', 'DescribeFlowLogs'],
    ['notebookInstances', 'ListNotebookInstances'],
    ['models', 'ListModels'],
  ] as const)('is NOT_EVALUATED for the scope when %s could not be read', (kind, operation) => {
    const findings = run(rule, withLogs([], { gaps: [kindGap(kind, operation)] }));
    expect(findings).toEqual([expect.objectContaining({ status: 'NOT_EVALUATED' })]);
  });
});

import { describe, expect, it } from 'vitest';
import { subnetInternetEgress } from '../../../../src/analyze/aws/routes.ts';
import {
  awsServiceName,
  endpointService,
  isLiveEndpoint,
} from '../../../../src/analyze/aws/vpc-endpoints.ts';
import { ScopeIndex } from '../../../../src/analyze/engine/scope-index.ts';
import { privateVpc, route } from '../../../fixtures/endpoints.ts';
import { scope } from '../../../fixtures/inventory.ts';

describe('subnetInternetEgress', () => {
  it('lists every world route of the table', () => {
    const index = new ScopeIndex(
      scope(
        privateVpc({
          a: [
            route('0.0.0.0/0', 'natGateway', 'nat-1'),
            route('::/0', 'egressOnlyInternetGateway', 'eigw-1'),
          ],
        }),
      ),
    );
    expect(subnetInternetEgress('subnet-a', index).routes.map((r) => r.targetId)).toEqual([
      'nat-1',
      'eigw-1',
    ]);
  });
});

describe('endpoint facts', () => {
  it.each([
    ['com.amazonaws.us-east-1.sagemaker.api', 'sagemaker.api'],
    ['com.amazonaws.us-east-1.sts-fips', 'sts'],
    ['cn.com.amazonaws.us-east-1.logs', 'logs'],
    ['aws.sagemaker.us-east-1.notebook', 'aws.sagemaker.notebook'],
    ['com.amazonaws.us-west-2.s3', 'com.amazonaws.us-west-2.s3'],
    ['com.amazonaws.vpce.us-east-1.vpce-svc-1', 'com.amazonaws.vpce.us-east-1.vpce-svc-1'],
  ])('reads %s as %s', (name, key) => {
    expect(endpointService(name, 'us-east-1')).toBe(key);
  });

  it('names services per partition', () => {
    expect(awsServiceName({ partition: 'aws', region: 'us-east-1' }, 'sts')).toBe(
      'com.amazonaws.us-east-1.sts',
    );
    expect(awsServiceName({ partition: 'aws-cn', region: 'cn-north-1' }, 'sts')).toBe(
      'cn.com.amazonaws.cn-north-1.sts',
    );
  });

  it.each([
    ['available', true],
    ['pendingAcceptance', true],
    ['Pending', true],
    [undefined, true],
    ['deleted', false],
    ['rejected', false],
    ['failed', false],
  ])('state %s is live: %s', (state, live) => {
    expect(isLiveEndpoint(state === undefined ? {} : { state })).toBe(live);
  });
});

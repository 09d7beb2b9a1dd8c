import { describe, expect, it } from 'vitest';
import { createProgress } from '../../../src/report/progress.ts';

describe('progress display', () => {
  it('rewrites one stderr line with kinds done per region, resources and gaps, and ends it', () => {
    // Prepare
    let written = '';
    const write = (s: string) => {
      written += s;
      return true;
    };
    const stream = { columns: 200, write } as unknown as NodeJS.WriteStream;
    const progress = createProgress(stream);
    // Act
    progress.onEvent({ type: 'kind-start', region: 'us-east-1', kind: 'vpcs' });
    progress.onEvent({ type: 'kind-start', region: 'us-east-1', kind: 'subnets' });
    progress.onEvent({ type: 'kind-done', region: 'us-east-1', kind: 'vpcs', count: 3 });
    progress.onEvent({
      type: 'gap',
      region: 'us-east-1',
      gap: { service: 'ec2', operation: 'DescribeSubnets', kind: 'subnets', errorCode: 'X', message: 'm' },
    });
    progress.done();
    // Assess
    const lines = written.split('\r\x1b[K').filter(Boolean);
    expect(lines.at(-1)).toBe('collecting: us-east-1 1/2 · 3 resources · 1 gap\n');
  });
});

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onlyOtherResourceDetails } from '../../../scripts/build.ts';

const require = createRequire(import.meta.url);
const schemasFile = join(
  dirname(require.resolve('@aws-sdk/client-securityhub/package.json')),
  'dist-es/schemas/schemas_0.js',
);

describe('the bundle keeps only ResourceDetails.Other of Security Hub', () => {
  it('rewrites the installed client schema to the Other member alone', () => {
    // Prepare
    const original = readFileSync(schemasFile, 'utf8');

    // Act
    const pruned = onlyOtherResourceDetails(original);

    // Assess
    expect(pruned).toContain('export var ResourceDetails$ = [3, n0, _RDe, 0, [_Ot], [128 | 0]];');
    const definition = (text: string) =>
      text.slice(
        text.indexOf('export var ResourceDetails$'),
        text.indexOf('];', text.indexOf('export var ResourceDetails$')),
      );
    expect(definition(original)).toContain('AwsEc2SecurityGroupDetails$');
    expect(definition(pruned)).not.toContain('AwsEc2SecurityGroupDetails$');
  });

  it('refuses a schema file of another shape instead of shipping it whole', () => {
    // Act / Assess
    expect(() => onlyOtherResourceDetails('export var Other$ = [];')).toThrow(/ResourceDetails\$/);
  });
});

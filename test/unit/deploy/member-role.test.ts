/**
 * templates/member-role.yaml: the role the auditor assumes in every member account grants exactly the
 * read actions the collectors call (the same as template.yaml's read grants), and trusts only the
 * auditor's function role, with the ExternalId.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COLLECTOR_ACTIONS } from '../../../src/inventory/kinds.ts';
import { actionsOf, readTemplate } from '../../fixtures/cfn-yaml.ts';

const member = readTemplate('templates/member-role.yaml');
const auditor = readTemplate('template.yaml');
const role = member.Resources.AuditRole.Properties;
const memberActions = actionsOf(
  role.Policies.flatMap((p: { PolicyDocument: { Statement: unknown[] } }) => p.PolicyDocument.Statement),
).sort();
// sagemaker:Search is a Read-level action in the Service Authorization Reference, like the Describe/List/Get ones.
const COLLECTOR_SERVICES = /^(ec2|sagemaker|network-firewall|sts|bedrock):(Describe|List|Get|Search)/;

/** The operations the collectors (src/collect) call, as IAM actions, from their SDK imports. */
function collectorActions(): string[] {
  const prefix: Record<string, string> = {
    ec2: 'ec2',
    sagemaker: 'sagemaker',
    'network-firewall': 'network-firewall',
    sts: 'sts',
    bedrock: 'bedrock',
  };
  const out = new Set<string>();
  for (const file of readdirSync('src/collect').filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(join('src/collect', file), 'utf8');
    for (const m of text.matchAll(
      /(?:import\s*|const\s*)\{([^}]*)\}\s*(?:from|=\s*await\s+import\()\s*'@aws-sdk\/client-([a-z0-9-]+)'/g,
    )) {
      const service = prefix[m[2] as string];
      if (!service) continue;
      for (const raw of (m[1] as string).split(',')) {
        const name = raw.replace(/\btype\b/, '').trim();
        const op = /^paginate(\w+)$/.exec(name)?.[1] ?? /^(\w+)Command$/.exec(name)?.[1];
        if (op && text.split(new RegExp(`\\b${name}\\b`)).length - 1 > 1) out.add(`${service}:${op}`);
      }
    }
  }
  // AssumeRole is the auditor's own call (into the member role), not the member role's.
  out.delete('sts:AssumeRole');
  return [...out].sort();
}

describe('templates/member-role.yaml', () => {
  it("grants exactly the read actions of template.yaml's function", () => {
    // Prepare
    const fnStatements = auditor.Resources.AuditFunction.Properties.Policies.flatMap(
      (p: { Statement?: unknown[] }) => p.Statement ?? [],
    );

    // Act
    const auditorReads = actionsOf(fnStatements)
      .filter((a) => COLLECTOR_SERVICES.test(a))
      .sort();

    // Assess
    expect(memberActions).toEqual(auditorReads);
  });

  it('grants exactly the actions the collectors call, read-only, without wildcards', () => {
    // Act
    const called = collectorActions();

    // Assess
    expect(memberActions).toEqual(called);
    expect(memberActions.every((a) => COLLECTOR_SERVICES.test(a) && !a.includes('*'))).toBe(true);
  });

  it("grants exactly the kind table's actions, and the collectors call exactly those", () => {
    // Prepare
    const table = [...COLLECTOR_ACTIONS].sort();

    // Act
    const called = collectorActions();

    // Assess
    expect(memberActions).toEqual(table);
    expect(called).toEqual(table);
  });

  it("trusts only the auditor stack's function role, and only with the ExternalId", () => {
    // Act
    const [trust, ...others] = role.AssumeRolePolicyDocument.Statement;

    // Assess
    expect(others).toEqual([]);
    expect(trust).toMatchObject({
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Condition: {
        StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } },
        ArnLike: {
          'aws:PrincipalArn': {
            'Fn::Sub':
              // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax
              'arn:${AWS::Partition}:iam::${AuditorAccountId}:role/${AuditorStackName}-AuditFunctionRole-*',
          },
        },
      },
    });
    expect(member.Parameters.ExternalId.NoEcho).toBe(true);
    expect(member.Parameters.RoleName.Default).toBe(auditor.Parameters.AuditRoleName.Default);
  });
});

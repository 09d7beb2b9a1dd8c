/** `audit --snapshot` refuses a value AWS could not return: exit 2, the JSON path, no report. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from '../../fixtures/cli.ts';

const cli = runMain;

// biome-ignore lint/suspicious/noExplicitAny: a JSON document edited in place
type Json = any;

describe('audit --snapshot with an impossible value', () => {
  it.each<[string, (s: Json) => void, string]>([
    [
      'a NACL entry protocol',
      (s) => {
        s.regions[0].networkAcls[0].entries[1].protocol = 'tcpp';
      },
      '$.regions[0].networkAcls[0].entries[1].protocol',
    ],
    [
      'a NACL entry CIDR',
      (s) => {
        s.regions[0].networkAcls[0].entries[1].cidrBlock = '0.0.0.0/33';
      },
      '$.regions[0].networkAcls[0].entries[1].cidrBlock',
    ],
    [
      'a NACL port range',
      (s) => {
        s.regions[0].networkAcls[0].entries[1].portRange = { from: 1024, to: 70000 };
      },
      '$.regions[0].networkAcls[0].entries[1].portRange.to',
    ],
    [
      'a security-group protocol',
      (s) => {
        s.regions[1].securityGroups[0].rules[0].ipProtocol = '999';
      },
      '$.regions[1].securityGroups[0].rules[0].ipProtocol',
    ],
    [
      'a duplicated scope',
      (s) => {
        s.regions.push(structuredClone(s.regions[1]));
      },
      '$.regions[2]: account 111122223333 region us-west-2 is also regions[1]',
    ],
  ])('%s exits 2, names the path and writes no report', async (_name, edit, path) => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'mlna-'));
    const file = join(dir, 'bad.json');
    const snap = JSON.parse(readFileSync('events/demo-snapshot.json', 'utf8'));
    edit(snap);
    writeFileSync(file, JSON.stringify(snap));
    // Act
    const r = await cli('audit', '--snapshot', file, '--output', join(dir, 'report.txt'));
    // Assess
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(path);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(() => readFileSync(join(dir, 'report.txt'))).toThrow();
  });
});

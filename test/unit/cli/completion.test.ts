import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../src/cli.ts';
import { runMain } from '../../fixtures/cli.ts';

const script = (shell: string) => runMain('completion', shell);

/** What bash completes for each list of words typed so far (the last one being completed), in one bash run. */
function bashCompleteAll(scriptText: string, queries: string[][]): string[][] {
  const file = join(mkdtempSync(join(tmpdir(), 'mlna-compl-')), 'c.bash');
  writeFileSync(file, scriptText);
  const calls = queries.map(
    (words) =>
      `COMP_WORDS=(ml-network-audit ${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length}; COMPREPLY=(); _ml_network_audit; printf '%s\\n' "\${COMPREPLY[@]}" '--'`,
  );
  const out = execFileSync('bash', ['-c', [`source '${file}'`, ...calls].join('\n')], { encoding: 'utf8' });
  return out
    .split('--\n')
    .slice(0, queries.length)
    .map((chunk) => chunk.split('\n').filter(Boolean).sort());
}

function bashComplete(scriptText: string, words: string[]): string[] {
  return bashCompleteAll(scriptText, [words])[0] ?? [];
}

describe('completion bash', () => {
  it('completes the commands, a command flag, the choices of a flag and of the shell argument', async () => {
    // Prepare
    const { code, stdout } = await script('bash');
    // Act / Assess
    expect(code).toBe(0);
    expect(bashComplete(stdout, ['co'])).toEqual(['collect', 'completion']);
    expect(bashComplete(stdout, ['audit', '--sc'])).toEqual(['--scope']);
    expect(bashComplete(stdout, ['audit', '--scope', ''])).toEqual(['account', 'ml']);
    expect(bashComplete(stdout, ['audit', '--format', 'o'])).toEqual(['ocsf', 'ocsf-ndjson']);
    expect(bashComplete(stdout, ['completion', ''])).toEqual(['--help', 'bash', 'zsh']);
    expect(bashComplete(stdout, ['collect', '--fail'])).toEqual([]);
  });

  it('lists every long flag of every command, read from the program', async () => {
    // Prepare
    const { stdout } = await script('bash');
    const program = buildProgram({ stdout: new PassThrough(), stderr: new PassThrough() }, () => {});
    // Assess
    const pairs = program.commands.flatMap((c) => c.options.map((o) => [c.name(), o.long ?? '']));
    const replies = bashCompleteAll(stdout, pairs);
    expect(pairs.length).toBeGreaterThan(30);
    pairs.forEach(([, flag], i) => {
      expect(replies[i]).toContain(flag);
    });
  });
});

describe('completion zsh', () => {
  it('declares the function for ml-network-audit with every command and flag, and file completion for files', async () => {
    // Act
    const { code, stdout } = await script('zsh');
    // Assess
    expect(code).toBe(0);
    expect(stdout.startsWith('#compdef ml-network-audit\n')).toBe(true);
    expect(stdout).toContain('compdef _ml_network_audit ml-network-audit');
    expect(stdout).toMatch(/audit\) _arguments .*'--scope\[[^\]]*\]:scope:\(ml account\)'/);
    expect(stdout).toMatch(/'--snapshot\[[^\]]*\]:file:_files'/);
    expect(stdout).toContain("'1:completion:(bash zsh)'");
  });

  it('refuses a shell it has no script for (exit 2)', async () => {
    // Act
    const r = await script('fish');
    // Assess
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'fish' is invalid");
  });
});

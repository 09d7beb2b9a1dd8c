/**
 * Shell completion scripts (`ml-network-audit completion bash|zsh`), written from the commander
 * program itself, so a new command, flag or choice completes with no edit here. Static: the script
 * never runs the CLI while completing (no Node start per TAB).
 *
 * What completes: the commands; each command's flags; the values of a flag with fixed choices
 * (`--format`, `--scope`, ...), of a command argument with choices (`completion bash|zsh`); file
 * names after a flag whose value is a file (`<file>`).
 */
import type { Command, Option } from 'commander';

export const SHELLS = ['bash', 'zsh'] as const;
export type Shell = (typeof SHELLS)[number];

interface FlagSpec {
  long: string;
  description: string;
  choices?: readonly string[];
  file: boolean;
  takesValue: boolean;
}

/** Commander adds --help to every command without listing it among the options. */
const HELP: FlagSpec = {
  long: '--help',
  description: 'display help for command',
  file: false,
  takesValue: false,
};

interface CommandSpec {
  name: string;
  description: string;
  flags: FlagSpec[];
  /** Choices of the first argument, when it has any. */
  argChoices?: readonly string[];
}

function flagOf(o: Option): FlagSpec {
  return {
    long: o.long ?? '',
    description: o.description,
    ...(o.argChoices ? { choices: o.argChoices } : {}),
    file: /<file>/.test(o.flags),
    takesValue: o.required || o.optional,
  };
}

function specs(program: Command): CommandSpec[] {
  return program.commands.map((c) => {
    const arg = (c.registeredArguments ?? [])[0];
    return {
      name: c.name(),
      description: c.description(),
      flags: [...c.options.filter((o) => o.long && !o.hidden).map(flagOf), HELP],
      ...(arg?.argChoices ? { argChoices: arg.argChoices } : {}),
    };
  });
}

function bash(program: Command): string {
  const name = program.name();
  const fn = `_${name.replace(/[^A-Za-z0-9]/g, '_')}`;
  const cmds = specs(program);
  const words = (xs: readonly string[]) => xs.join(' ');
  const valueCases = cmds.flatMap((c) =>
    c.flags
      .filter((f) => f.takesValue)
      .map((f) => {
        const reply = f.choices
          ? `COMPREPLY=( $(compgen -W "${words(f.choices)}" -- "$cur") )`
          : f.file
            ? 'COMPREPLY=( $(compgen -f -- "$cur") )'
            : 'COMPREPLY=()';
        return `    "${c.name} ${f.long}") ${reply}; return ;;`;
      }),
  );
  const flagCases = cmds.map((c) => {
    const arg = c.argChoices ? ` ${words(c.argChoices)}` : '';
    return `    ${c.name}) COMPREPLY=( $(compgen -W "${words(c.flags.map((f) => f.long))}${arg}" -- "$cur") ) ;;`;
  });
  return [
    `# ${name} completion for bash. Load it with: source <(${name} completion bash)`,
    `${fn}() {`,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: bash parameter expansion, not a template
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" cmd="${COMP_WORDS[1]}"',
    '  if [[ $COMP_CWORD -eq 1 ]]; then',
    `    COMPREPLY=( $(compgen -W "${words([...cmds.map((c) => c.name), '--help', '--version'])}" -- "$cur") )`,
    '    return',
    '  fi',
    '  case "$cmd $prev" in',
    ...valueCases,
    '  esac',
    '  case "$cmd" in',
    ...flagCases,
    '  esac',
    '}',
    `complete -F ${fn} ${name}`,
    '',
  ].join('\n');
}

/** Text inside a zsh _arguments spec or _describe item: brackets, colons and quotes escaped. */
function zq(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "'\\''")
    .replace(/([[\]:])/g, '\\$1');
}

function zsh(program: Command): string {
  const name = program.name();
  const fn = `_${name.replace(/[^A-Za-z0-9]/g, '_')}`;
  const cmds = specs(program);
  const cases = cmds.map((c) => {
    const specsOf = c.flags.map((f) => {
      const value = f.choices
        ? `:${f.long.slice(2)}:(${f.choices.join(' ')})`
        : f.file
          ? ':file:_files'
          : f.takesValue
            ? `:${f.long.slice(2)}: `
            : '';
      return `'${f.long}[${zq(f.description)}]${value}'`;
    });
    if (c.argChoices) specsOf.push(`'1:${c.name}:(${c.argChoices.join(' ')})'`);
    return `    ${c.name}) _arguments ${specsOf.join(' ')} ;;`;
  });
  return [
    `#compdef ${name}`,
    `# ${name} completion for zsh. Load it with: source <(${name} completion zsh) (after compinit)`,
    `${fn}() {`,
    '  local -a commands',
    `  commands=(${cmds.map((c) => `'${zq(c.name)}:${zq(c.description)}'`).join(' ')})`,
    '  if (( CURRENT == 2 )); then',
    "    _describe 'command' commands",
    '    return',
    '  fi',
    '  shift words; (( CURRENT-- ))',
    '  case $words[1] in',
    ...cases,
    '  esac',
    '}',
    `compdef ${fn} ${name}`,
    '',
  ].join('\n');
}

export function completionScript(program: Command, shell: Shell): string {
  return shell === 'bash' ? bash(program) : zsh(program);
}

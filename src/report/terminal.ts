/**
 * What a report for a terminal needs to know about it: how wide it is, whether to colour, and how to
 * wrap a line at word boundaries within that width (string-width and wrap-ansi measure and wrap, so
 * wide characters and colour escapes count as the terminal shows them; picocolors paints).
 */
import pc from 'picocolors';
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

/** Without a terminal or COLUMNS, reports are this wide. */
export const DEFAULT_WIDTH = 100;
/** Narrower than this, indents leave no room for words: wrap as if this wide. */
export const MIN_WIDTH = 40;

export interface TerminalStream {
  isTTY?: boolean;
  columns?: number;
}

/** The width to fit: the terminal's columns, else COLUMNS, else DEFAULT_WIDTH. */
export function terminalWidth(
  stream: TerminalStream | undefined,
  env: NodeJS.ProcessEnv = process.env,
): number {
  const columns = stream?.isTTY ? stream.columns : undefined;
  if (columns !== undefined && Number.isInteger(columns) && columns > 0) return Math.max(MIN_WIDTH, columns);
  const fromEnv = env.COLUMNS?.trim();
  if (fromEnv && /^\d{1,5}$/.test(fromEnv) && Number(fromEnv) > 0)
    return Math.max(MIN_WIDTH, Number(fromEnv));
  return DEFAULT_WIDTH;
}

/**
 * Whether to colour (https://no-color.org, https://force-color.org): never with `--no-color`, a
 * NO_COLOR that is set and not empty, or TERM=dumb; always with a FORCE_COLOR that is set and not "0"
 * or "false"; otherwise only when the output is a terminal.
 */
export function colorWanted(options: { tty: boolean; flag: boolean; env?: NodeJS.ProcessEnv }): boolean {
  const env = options.env ?? process.env;
  if (!options.flag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '0' && force.toLowerCase() !== 'false') return true;
  if (env.TERM === 'dumb') return false;
  return options.tty;
}

export type Colors = ReturnType<typeof pc.createColors>;

/** picocolors with colour on or off (never from the process's own environment: the caller decided). */
export function colors(enabled: boolean): Colors {
  return pc.createColors(enabled);
}

/** The columns a string takes on a terminal (escapes take none, wide characters two). */
export function widthOf(text: string): number {
  return stringWidth(text);
}

/**
 * `text` wrapped at word boundaries to `width`, the first line after `first`, the others after `rest`
 * (a hanging indent). A word longer than a line (an ARN) is broken, so no line is wider than `width`.
 */
export function wrapText(text: string, width: number, first = '', rest = first): string[] {
  const room = Math.max(10, width - Math.max(stringWidth(first), stringWidth(rest)));
  const lines = wrapAnsi(text, room, { hard: true, trim: true }).split('\n');
  return lines.map((line, i) => `${i === 0 ? first : rest}${line}`);
}

/** Reading a suppressions document from a file (the CLI's --suppressions): no AWS SDK here. */
import { readFile } from 'node:fs/promises';
import { parseSuppressions, type Suppression, SuppressionError } from './suppressions.ts';

export async function loadSuppressionsFile(file: string): Promise<Suppression[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new SuppressionError(`suppressions ${file}: ${(err as Error).message}`, { cause: err });
  }
  return parseSuppressions(text, file);
}

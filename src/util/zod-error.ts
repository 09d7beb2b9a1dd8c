import type { z } from 'zod';

/** A zod path as a JSON path: `regions[0].securityGroups[3].groupId`. */
export function jsonPath(path: readonly PropertyKey[], root = ''): string {
  let out = root;
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out;
}

/** One line per issue, each naming its field: "regions[0]: is not an AWS region name". */
export function formatZodError(error: z.ZodError, root = ''): string {
  return error.issues
    .map((issue) => `${jsonPath(issue.path, root) || '(root)'}: ${issue.message}`)
    .join('\n');
}

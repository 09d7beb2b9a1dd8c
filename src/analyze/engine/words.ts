/** How findings word lists of names. Two wordings, both in messages today: keep each where it is used. */

/** "a, b, c and 4 more" (at most `max` names, then a count). */
export function listLabel(items: readonly string[], max = 5): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** "a, b and c"; past `max` names "a, b, c and 2 more". */
export function listText(items: readonly string[], max = 3): string {
  if (items.length <= 1) return items.join('');
  if (items.length <= max) return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

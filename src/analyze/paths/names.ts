/**
 * Names beside ids in paths: a hop's text names resources by id (igw-…, rtb-…, acl-…, sg-…, vpce-…,
 * nat-…, subnet-…); the console names them by their Name tag (or a group's name). These add the names
 * to a path's evidence as fields of their own (`name` on a hop, `names` on a path), so the texts and
 * every existing field stay as they were.
 */
import type { ScopeIndex } from '../engine/scope-index.ts';
import type { Hop } from './types.ts';

/** The EC2 ids hop texts carry. */
const ID_TOKEN = /\b(?:vpc|subnet|rtb|igw|eigw|nat|sg|acl|eni|vpce|pcx|pl)-[0-9a-zA-Z]+(?:-[0-9a-zA-Z]+)*\b/g;

/** id -> name for every id in `texts` that has a name; undefined when none has. Keys in text order. */
export function namesIn(index: ScopeIndex, texts: readonly string[]): Record<string, string> | undefined {
  const known = index.resourceNames();
  if (known.size === 0) return undefined;
  let names: Record<string, string> | undefined;
  for (const text of texts) {
    for (const [id] of text.matchAll(ID_TOKEN)) {
      const name = known.get(id);
      if (name === undefined || name === id) continue;
      names ??= {};
      names[id] = name;
    }
  }
  return names;
}

/** The hops, each with `name` when its id is one named resource (the hops given are not modified). */
export function namedHops(index: ScopeIndex, hops: readonly Hop[]): Hop[] {
  const known = index.resourceNames();
  return hops.map((h) => {
    const name = known.get(h.id);
    return name === undefined || name === h.id ? h : { ...h, name };
  });
}

/** `{ names }` for a path whose hops read `texts`, or nothing: spread into a path's evidence. */
export function pathNames(index: ScopeIndex, texts: readonly string[]): { names?: Record<string, string> } {
  const names = namesIn(index, texts);
  return names ? { names } : {};
}

/** A path's hops with their names, and the names of every id its texts carry: spread into evidence. */
export function namedPath(
  index: ScopeIndex,
  hops: readonly Hop[],
): { hops: Hop[]; names?: Record<string, string> } {
  return {
    hops: namedHops(index, hops),
    ...pathNames(
      index,
      hops.map((h) => h.text),
    ),
  };
}

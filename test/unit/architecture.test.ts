/**
 * The layering of src/, read from the source: every static `import` / `export ... from` and every
 * dynamic `import()`. `import type` and `export type` are type-only (erased, no runtime edge); an import
 * whose specifiers are all inline `type` still loads the module under verbatimModuleSyntax, so it counts.
 *
 * Each rule is a function from the import graph to its violations, so the self-tests at the end can show
 * that every rule fails on a graph that breaks it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');

interface Edge {
  /** Importing file, relative to the repo root (`src/...`). */
  from: string;
  /** A file under src/ (`src/...`) for a relative specifier, else the bare specifier (`zod`, `@aws-sdk/client-s3`). */
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function edgesOf(file: string): Edge[] {
  return edgesOfText(file, readFileSync(file, 'utf8'));
}

/** The imports of one file's text; `file` is its absolute path (relative specifiers resolve from it). */
function edgesOfText(file: string, text: string): Edge[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const from = relative(ROOT, file);
  const edges: Edge[] = [];
  const add = (specifier: string, typeOnly: boolean) => {
    const to = specifier.startsWith('.') ? relative(ROOT, resolve(dirname(file), specifier)) : specifier;
    edges.push({ from, to, typeOnly });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.importClause?.isTypeOnly ?? false);
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      add(node.moduleSpecifier.text, node.isTypeOnly);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      add(node.arguments[0].text, false);
    } else if (ts.isImportTypeNode(node)) {
      // `typeof import('./x.ts')` in a type position: erased.
      const arg = node.argument;
      if (ts.isLiteralTypeNode(arg) && ts.isStringLiteral(arg.literal)) add(arg.literal.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return edges;
}

const under = (dir: string) => (path: string) => path.startsWith(`${dir}/`);

/** The first runtime import cycle found, as its path `a -> b -> a`, or undefined. */
function findCycle(edges: readonly Edge[]): string[] | undefined {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    if (e.typeOnly || !e.to.startsWith('src/')) continue;
    next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  }
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const dfs = (node: string): string[] | undefined => {
    state.set(node, 'open');
    stack.push(node);
    for (const to of next.get(node) ?? []) {
      if (state.get(to) === 'open') return [...stack.slice(stack.indexOf(to)), to];
      if (!state.has(to)) {
        const cycle = dfs(to);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of [...next.keys()].sort()) {
    if (state.has(node)) continue;
    const cycle = dfs(node);
    if (cycle) return cycle;
  }
  return undefined;
}

const describeEdge = (e: Edge) => `${e.from} -> ${e.to}${e.typeOnly ? ' (type)' : ''}`;

/** No AWS SDK or Powertools (type or runtime) in the pure layers. */
function sdkInPureLayers(edges: readonly Edge[]): string[] {
  return edges
    .filter((e) => under('src/analyze')(e.from) || under('src/inventory')(e.from))
    .filter((e) => e.to.startsWith('@aws-sdk/') || e.to.startsWith('@aws-lambda-powertools/'))
    .map(describeEdge);
}

/** analyze/net is pure algebra: nothing from outside it, except inventory types. */
function netImportsOutside(edges: readonly Edge[]): string[] {
  return edges
    .filter((e) => under('src/analyze/net')(e.from))
    .filter((e) => !under('src/analyze/net')(e.to))
    .filter((e) => !(e.typeOnly && under('src/inventory')(e.to)))
    .map(describeEdge);
}

/** report/ is sinks only: no lifecycle code, not even its types. */
function reportImportsLifecycle(edges: readonly Edge[]): string[] {
  return edges.filter((e) => under('src/report')(e.from) && under('src/lifecycle')(e.to)).map(describeEdge);
}

const ABOVE_ANALYZE = [
  under('src/collect'),
  under('src/report'),
  under('src/lifecycle'),
  under('src/lambda'),
  (p: string) => ['src/cli.ts', 'src/audit.ts', 'src/config.ts', 'src/handler.ts'].includes(p),
];

/** The analyzer takes nothing from the stages around it or the entries. */
function analyzeImportsUpward(edges: readonly Edge[]): string[] {
  return edges
    .filter((e) => under('src/analyze')(e.from) && ABOVE_ANALYZE.some((above) => above(e.to)))
    .map(describeEdge);
}

/** Outside net/, the algebra is reached through its one door, net/index.ts. */
function netBypassesIndex(edges: readonly Edge[]): string[] {
  return edges
    .filter((e) => under('src')(e.from) && !under('src/analyze/net')(e.from))
    .filter((e) => under('src/analyze/net')(e.to) && e.to !== 'src/analyze/net/index.ts')
    .map(describeEdge);
}

/** Past this many lines a source file is split by topic. */
const MAX_FILE_LINES = 500;

function oversized(files: readonly { path: string; text: string }[]): string[] {
  return files
    .map((f) => ({ path: f.path, lines: f.text.split('\n').length }))
    .filter((f) => f.lines > MAX_FILE_LINES)
    .map((f) => `${f.path}: ${f.lines} lines`);
}

/** One name per fact: no `export { a as b }`, no `export *`, no grab-bag modules (`*-util.ts`, `utils.ts`). */
function secondNames(files: readonly { path: string; text: string }[]): string[] {
  return files.flatMap((f) => [
    ...(/(^|\/)([\w-]*-utils?|utils?)\.ts$/.test(f.path) ? [`${f.path}: a grab-bag module`] : []),
    ...[...f.text.matchAll(/^export\s+(?:type\s+)?(?:\*|\{[^}]*\bas\b[^}]*\})/gm)].map(
      (m) => `${f.path}: ${m[0].replace(/\s+/g, ' ')}`,
    ),
  ]);
}

describe('the layering of src/', () => {
  const edges = sourceFiles(SRC).flatMap(edgesOf);

  it('reads the imports of every source file', () => {
    expect(edges.length).toBeGreaterThan(100);
    expect(edges.some((e) => e.from === 'src/cli.ts' && e.to === 'src/audit.ts')).toBe(true);
  });

  it('has no runtime import cycle', () => {
    const cycle = findCycle(edges);
    expect(cycle, `runtime import cycle: ${cycle?.join(' -> ')}`).toBeUndefined();
  });

  it('keeps the AWS SDK and Powertools out of analyze/ and inventory/', () => {
    expect(sdkInPureLayers(edges)).toEqual([]);
  });

  it('keeps analyze/net/ pure: nothing from outside it but inventory types', () => {
    expect(netImportsOutside(edges)).toEqual([]);
  });

  it('keeps report/ free of lifecycle code', () => {
    expect(reportImportsLifecycle(edges)).toEqual([]);
  });

  it('keeps analyze/ free of collect, report, lifecycle, lambda, the pipeline, its config and the entries', () => {
    expect(analyzeImportsUpward(edges)).toEqual([]);
  });
  it('reaches net/ only through net/index.ts from outside it', () => {
    expect(netBypassesIndex(edges)).toEqual([]);
  });

  const files = sourceFiles(SRC).map((f) => ({ path: relative(ROOT, f), text: readFileSync(f, 'utf8') }));

  it(`keeps every source file under ${MAX_FILE_LINES} lines`, () => {
    expect(oversized(files)).toEqual([]);
  });

  it('gives each fact one name: no alias or star re-exports, no grab-bag modules', () => {
    expect(secondNames(files)).toEqual([]);
  });
});

describe('each layering rule fails on a graph that breaks it', () => {
  const edge = (from: string, to: string, typeOnly = false): Edge => ({ from, to, typeOnly });

  it('reads static, re-export and dynamic imports, and tells type-only ones apart', () => {
    // Prepare
    const text = [
      "import { a } from './a.ts';",
      "import type { B } from '../b.ts';",
      "import { type C } from './c.ts';",
      "export { d } from './d.ts';",
      "export type { E } from './e.ts';",
      "import './f.ts';",
      "const g = await import('./g.ts');",
      "type H = typeof import('./h.ts');",
      "import { z } from 'zod';",
    ].join('\n');
    // Act
    const edges = edgesOfText(join(SRC, 'report/x.ts'), text);
    // Assess
    expect(edges.map(describeEdge)).toEqual([
      'src/report/x.ts -> src/report/a.ts',
      'src/report/x.ts -> src/b.ts (type)',
      'src/report/x.ts -> src/report/c.ts',
      'src/report/x.ts -> src/report/d.ts',
      'src/report/x.ts -> src/report/e.ts (type)',
      'src/report/x.ts -> src/report/f.ts',
      'src/report/x.ts -> src/report/g.ts',
      'src/report/x.ts -> src/report/h.ts (type)',
      'src/report/x.ts -> zod',
    ]);
  });

  it('finds a runtime cycle and its path, and ignores a type-only back edge', () => {
    const loop = [edge('src/a.ts', 'src/b.ts'), edge('src/b.ts', 'src/c.ts'), edge('src/c.ts', 'src/a.ts')];
    expect(findCycle(loop)).toEqual(['src/a.ts', 'src/b.ts', 'src/c.ts', 'src/a.ts']);
    expect(findCycle([edge('src/a.ts', 'src/b.ts'), edge('src/b.ts', 'src/a.ts', true)])).toBeUndefined();
  });

  it('flags the SDK (even as a type) under analyze/ and inventory/, not under collect/', () => {
    expect(
      sdkInPureLayers([
        edge('src/analyze/aws/x.ts', '@aws-sdk/client-ec2', true),
        edge('src/inventory/x.ts', '@aws-lambda-powertools/logger'),
        edge('src/collect/ec2.ts', '@aws-sdk/client-ec2'),
      ]),
    ).toEqual([
      'src/analyze/aws/x.ts -> @aws-sdk/client-ec2 (type)',
      'src/inventory/x.ts -> @aws-lambda-powertools/logger',
    ]);
  });

  it('flags net/ importing outside net/, allowing only inventory types', () => {
    expect(
      netImportsOutside([
        edge('src/analyze/net/a.ts', 'src/analyze/net/b.ts'),
        edge('src/analyze/net/a.ts', 'src/inventory/schema.ts', true),
        edge('src/analyze/net/a.ts', 'src/inventory/schema.ts'),
        edge('src/analyze/net/a.ts', 'src/analyze/aws/routes.ts', true),
        edge('src/analyze/net/a.ts', 'zod'),
      ]),
    ).toEqual([
      'src/analyze/net/a.ts -> src/inventory/schema.ts',
      'src/analyze/net/a.ts -> src/analyze/aws/routes.ts (type)',
      'src/analyze/net/a.ts -> zod',
    ]);
  });

  it('flags report/ importing lifecycle/, even a type', () => {
    expect(
      reportImportsLifecycle([
        edge('src/report/x.ts', 'src/lifecycle/track.ts', true),
        edge('src/lifecycle/track.ts', 'src/report/digest.ts'),
      ]),
    ).toEqual(['src/report/x.ts -> src/lifecycle/track.ts (type)']);
  });

  it('flags analyze/ importing a stage around it or an entry', () => {
    expect(
      analyzeImportsUpward([
        edge('src/analyze/engine/x.ts', 'src/audit.ts', true),
        edge('src/analyze/engine/x.ts', 'src/collect/index.ts'),
        edge('src/analyze/engine/x.ts', 'src/lambda/env.ts'),
        edge('src/analyze/engine/x.ts', 'src/cli.ts'),
        edge('src/analyze/engine/x.ts', 'src/inventory/schema.ts'),
      ]),
    ).toEqual([
      'src/analyze/engine/x.ts -> src/audit.ts (type)',
      'src/analyze/engine/x.ts -> src/collect/index.ts',
      'src/analyze/engine/x.ts -> src/lambda/env.ts',
      'src/analyze/engine/x.ts -> src/cli.ts',
    ]);
  });

  it('flags net/ reached around its index from outside, not from inside', () => {
    expect(
      netBypassesIndex([
        edge('src/analyze/paths/a.ts', 'src/analyze/net/flow.ts', true),
        edge('src/analyze/paths/a.ts', 'src/analyze/net/index.ts'),
        edge('src/analyze/net/flow.ts', 'src/analyze/net/ports.ts'),
      ]),
    ).toEqual(['src/analyze/paths/a.ts -> src/analyze/net/flow.ts (type)']);
  });

  it('flags a file over the line limit', () => {
    const text = (n: number) => Array.from({ length: n }, () => 'x;').join('\n');
    expect(
      oversized([
        { path: 'src/a.ts', text: text(MAX_FILE_LINES) },
        { path: 'src/b.ts', text: text(MAX_FILE_LINES + 1) },
      ]),
    ).toEqual([`src/b.ts: ${MAX_FILE_LINES + 1} lines`]);
  });

  it('flags alias and star re-exports and grab-bag modules, not plain exports', () => {
    expect(
      secondNames([
        {
          path: 'src/a.ts',
          text: "export { mlLabel as placementLabel } from './b.ts';\nexport const x = 1;",
        },
        { path: 'src/b.ts', text: "export * from './c.ts';\nexport { y } from './c.ts';" },
        { path: 'src/analyze/route-util.ts', text: '' },
      ]),
    ).toEqual([
      'src/a.ts: export { mlLabel as placementLabel }',
      'src/b.ts: export *',
      'src/analyze/route-util.ts: a grab-bag module',
    ]);
  });
});

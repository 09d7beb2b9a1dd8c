/**
 * The two builds (esbuild), so nothing compiles TypeScript at run time:
 *
 *   dist/cli/     the CLI (bin/ml-network-audit.js loads dist/cli/cli.js): our source and its small
 *                 libraries bundled, split at its dynamic imports (the collectors, hence the AWS SDK,
 *                 load only when a command collects); the AWS SDK stays external, installed as the
 *                 package's dependencies.
 *   dist/lambda/  the Lambda (template.yaml's CodeUri): one self-contained, minified ESM file, the AWS
 *                 SDK included and pinned by package-lock.json, nothing external.
 *
 * `npm run build` builds the CLI (also `prepare`, so `npm ci` in a clone and `npm pack` build it);
 * `npm run bundle` builds the Lambda and prints what it imports, by package (`--analyze` lists files).
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The Lambda bundle's size bound (issue #14): every JavaScript file under dist/lambda, bytes. */
export const LAMBDA_MAX_BYTES = 1_500_000;

/**
 * `import { z } from 'zod'` binds zod's namespace object, which esbuild cannot tree-shake: every
 * check, the JSON-schema converter and all 40 locales come along (~450 KB). A namespace import
 * (`import * as z`) lets it keep only what is used (~85 KB). The source keeps zod's usual form.
 */
export const zodNamespaceImports: Plugin = {
  name: 'zod-namespace-imports',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      return {
        contents: text.replace(/^import \{ z \} from 'zod';$/gm, "import * as z from 'zod';"),
        loader: 'ts',
      };
    });
  },
};

/**
 * The AWS SDK's generated schemas key their trait objects with computed properties (`{ [_xN]: ... }`),
 * which esbuild must assume may have side effects, so it keeps every schema of the client: 550 KB of
 * client-ec2 for the 16 operations the collectors call (aws/aws-sdk-js-v3#7607; fixed upstream by
 * smithy-lang/smithy-typescript#1889). The keys are string constants of the same file: writing them
 * as literals is the same object, and lets the unused schemas go.
 */
/**
 * Security Hub's `ResourceDetails` lists a hundred typed detail structures (every AWS resource type
 * ASFF knows), which keep ~100 KB of schemas in the bundle. Our findings carry only `Details.Other`
 * (src/report/formats/asff.ts types it so), so the bundle's copy of that one structure keeps only the
 * `Other` member: the serializer writes what we send unchanged. A build of another SDK version whose
 * file no longer has this shape fails here rather than shipping the full schema unnoticed.
 */
export function onlyOtherResourceDetails(schemas: string): string {
  const shape = /export var ResourceDetails\$ = \[3, n0, _RDe,\n\s*0,\n\s*\[[^\]]*\],\n\s*\[[^\]]*\]\n\];/;
  if (!shape.test(schemas)) throw new Error('client-securityhub: ResourceDetails$ not in the expected shape');
  return schemas.replace(shape, 'export var ResourceDetails$ = [3, n0, _RDe, 0, [_Ot], [128 | 0]];');
}

export const sdkSchemaLiteralKeys: Plugin = {
  name: 'sdk-schema-literal-keys',
  setup(b) {
    b.onLoad(
      { filter: /[\\/]@aws-sdk[\\/][^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/ },
      async (args) => {
        const text = await readFile(args.path, 'utf8');
        const strings = new Map<string, string>();
        for (const m of text.matchAll(/^const (_\w+) = ("(?:[^"\\\n]|\\.)*");$/gm))
          strings.set(m[1] as string, m[2] as string);
        const literalKeys = text.replace(/\[(_\w+)\]:/g, (all, id: string) => {
          const literal = strings.get(id);
          return literal ? `${literal}:` : all;
        });
        const contents = /[\\/]client-securityhub[\\/]/.test(args.path)
          ? onlyOtherResourceDetails(literalKeys)
          : literalKeys;
        return { contents, loader: 'js' };
      },
    );
  },
};

/** CommonJS packages bundled into ES modules (commander, some SDK parts) call require() for built-ins. */
const requireBanner = {
  js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
};

const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  plugins: [zodNamespaceImports, sdkSchemaLiteralKeys],
  banner: requireBanner,
  // The ES module builds of the SDK (dist-es) tree-shake; the CommonJS ones (esbuild's default on
  // node) do not.
  mainFields: ['module', 'main'],
};

/**
 * Builds into a fresh directory beside `outdir`, then puts it in place: a process running the old
 * build, or a second build at the same time (two test projects), never sees a half-written one.
 */
async function buildInto(outdir: string, options: BuildOptions): Promise<Metafile> {
  const fresh = `${outdir}.tmp-${process.pid}-${Date.now()}`;
  const { metafile } = await build({ ...options, outdir: fresh, metafile: true });
  const old = `${outdir}.old-${process.pid}-${Date.now()}`;
  await rename(outdir, old).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
  await rename(fresh, outdir);
  await rm(old, { recursive: true, force: true });
  // The metafile names the outputs as written (the fresh directory): name them where they are now.
  const rel = (p: string) => p.replace(relative(ROOT, fresh), relative(ROOT, outdir));
  return {
    inputs: metafile.inputs,
    outputs: Object.fromEntries(Object.entries(metafile.outputs).map(([p, o]) => [rel(p), o])),
  };
}

/** The CLI, into `outdir` (dist/cli). */
export async function buildCli(outdir = join(ROOT, 'dist/cli')): Promise<Metafile> {
  return buildInto(outdir, {
    ...common,
    absWorkingDir: ROOT,
    entryPoints: { cli: 'src/cli.ts' },
    splitting: true,
    // The AWS SDK stays an installed dependency (loaded only by the collector chunks; `npm audit` sees
    // it); the small libraries are bundled: loading zod's ~100 ES module files cost more than our code.
    external: ['@aws-sdk/*', '@smithy/*'],
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'linked',
    sourcesContent: false,
  });
}

/** The Lambda, into `outdir` (dist/lambda): handler.mjs, the file template.yaml deploys. */
export async function buildLambda(outdir = join(ROOT, 'dist/lambda')): Promise<Metafile> {
  const meta = await buildInto(outdir, {
    ...common,
    absWorkingDir: ROOT,
    entryPoints: { handler: 'src/handler.ts' },
    outExtension: { '.js': '.mjs' },
    // Split at the dynamic imports (the collectors): a non-split bundle wraps a dynamically imported
    // module and everything it imports in lazy initialisers, which esbuild does not tree-shake
    // (client-ec2's schemas alone stayed at 780 KB).
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    minify: true,
    // Licence comments go to handler.mjs.LEGAL.txt, beside the bundle, not into it.
    legalComments: 'external',
  });
  // `sam build` (nodejs runtime, no BuildMethod) needs a package.json beside the code; it has no
  // dependencies: everything is in the bundle.
  await writeFile(
    join(outdir, 'package.json'),
    `${JSON.stringify({ name: 'ml-network-audit-lambda', private: true, type: 'module' }, null, 2)}\n`,
  );
  return meta;
}

/** Bytes of the deployed code: every JavaScript file of the bundle. */
export function lambdaBytes(meta: Metafile): number {
  return Object.entries(meta.outputs)
    .filter(([file]) => file.endsWith('.mjs'))
    .reduce((n, [, o]) => n + o.bytes, 0);
}

/** Bytes in the output by npm package (`src` for ours), largest first. */
export function bytesByPackage(meta: Metafile): [string, number][] {
  const by = new Map<string, number>();
  for (const output of Object.values(meta.outputs))
    for (const [file, input] of Object.entries(output.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? 'src';
      by.set(pkg, (by.get(pkg) ?? 0) + input.bytesInOutput);
    }
  return [...by].sort((a, b) => b[1] - a[1]);
}

const kb = (n: number) => `${(n / 1024).toFixed(0).padStart(6)} KB`;

async function main(argv: string[]): Promise<void> {
  const what = argv.find((a) => !a.startsWith('--')) ?? 'cli';
  if (what === 'cli') {
    await buildCli();
    return;
  }
  if (what !== 'lambda') throw new Error(`unknown build ${what} (cli or lambda)`);
  const meta = await buildLambda();
  await writeFile(join(ROOT, 'dist/lambda-meta.json'), JSON.stringify(meta));
  const handler = meta.outputs['dist/lambda/handler.mjs']?.bytes ?? 0;
  const size = lambdaBytes(meta);
  console.log(
    `dist/lambda: ${kb(size)} in all (bound ${kb(LAMBDA_MAX_BYTES)}): handler.mjs ${kb(handler)}, loaded at init; chunks/ ${kb(size - handler)}, loaded by the first run`,
  );
  for (const [pkg, bytes] of bytesByPackage(meta).slice(0, argv.includes('--analyze') ? 100 : 12))
    console.log(`  ${kb(bytes)}  ${pkg}`);
  console.log('metafile: dist/lambda-meta.json (https://esbuild.github.io/analyze/)');
  if (size > LAMBDA_MAX_BYTES) throw new Error(`the Lambda bundle is over ${LAMBDA_MAX_BYTES} bytes`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  await main(process.argv.slice(2)).catch((err: Error) => {
    console.error(`build failed: ${err.message}`);
    process.exitCode = 1;
  });

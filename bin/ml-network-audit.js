#!/usr/bin/env node
// Runs the built CLI (dist/cli, JavaScript: `npm run build`, which `npm ci` and `npm pack` run as
// `prepare`). Nothing compiles TypeScript at run time.
import { readFileSync } from 'node:fs';
import module from 'node:module';

// A reader that stops early (`| head`) closes the pipe: stop quietly, as other command-line tools do.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const args = process.argv.slice(2);
// `--version` alone answers from package.json, before anything else is loaded.
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  // The AWS SDK warns on every run under Node 20 that its 2027 releases need Node 22. That is for the
  // README (which says so), not for every report's stderr. Set the variable to "false" to see it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // Node 22.1+: keep the compiled code of the CLI between runs (the OS temp folder); Node 20 has no cache.
  module.enableCompileCache?.();
  let cli;
  try {
    cli = await import('../dist/cli/cli.js');
  } catch (err) {
    if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/cli/cli.js')) throw err;
    process.stderr.write('error: the CLI is not built (dist/cli is missing): run `npm run build`\n');
    process.exit(1);
  }
  process.exitCode = await cli.main(process.argv);
}

#!/usr/bin/env node
// Runs the TypeScript CLI directly (through tsx): no build step between `npm ci` and `npx ml-network-audit`.
import { register } from 'tsx/esm/api';

// The AWS SDK warns on every run under Node 20 that its 2027 releases need Node 22. That is for the
// README (which says so), not for every report's stderr. Set the variable to "false" to see it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv);

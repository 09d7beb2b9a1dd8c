/**
 * Builds the CLI (dist/cli, what bin/ml-network-audit.js runs) once before the tests, so the tests
 * that run it as a process run the source as it is now, never a stale build.
 */
import { buildCli } from '../scripts/build.ts';

export default async function setup(): Promise<void> {
  await buildCli();
}

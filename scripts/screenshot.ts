/**
 * `npm run screenshot`: renders the demo's HTML report (events/demo-snapshot.json) and takes a
 * screenshot of it in headless Chromium (/usr/bin/chromium) to docs/img/report.png, the picture the
 * README shows. Nothing is fetched: the page is opened from disk with every network request aborted.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { analyzeInventory } from '../src/audit.ts';
import { parseAuditConfig } from '../src/config.ts';
import { readSnapshot } from '../src/inventory/snapshot.ts';
import { formatHtml } from '../src/report/formats/html.ts';
import { launch, openFile } from '../test/browser/chromium.ts';

const out = resolve(process.argv[2] ?? 'docs/img/report.png');
const dir = mkdtempSync(join(tmpdir(), 'mna-report-'));
try {
  const inventory = await readSnapshot('events/demo-snapshot.json');
  const result = analyzeInventory(inventory, parseAuditConfig({}));
  const file = join(dir, 'report.html');
  writeFileSync(file, await formatHtml(result));
  const { browser, close } = await launch();
  try {
    const opened = await openFile(browser, file);
    await opened.page.setViewportSize({ width: 1400, height: 1000 });
    // The picture: the cards, the findings filtered to the reachability rules (the filters at work),
    // and the diagrams of the two most exposed ML resources.
    await opened.page.fill('#f-search', 'reach-');
    // Leave out the coverage section between the table and the diagrams, for the picture only.
    await opened.page.locator('#coverage').evaluate((el) => el.setAttribute('hidden', ''));
    const end = await opened.page.locator('section.resource').nth(1).boundingBox();
    mkdirSync(dirname(out), { recursive: true });
    await opened.page.screenshot({
      path: out,
      fullPage: true,
      clip: { x: 0, y: 0, width: 1400, height: Math.ceil((end?.y ?? 1000) + (end?.height ?? 0) + 12) },
    });
    if (opened.network.length) throw new Error(`the report fetched ${opened.network.join(', ')}`);
    process.stdout.write(`wrote ${out}\n`);
  } finally {
    await close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

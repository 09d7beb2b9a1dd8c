import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeInventory } from '../../../src/audit.ts';
import { parseAuditConfig } from '../../../src/config.ts';
import { readSnapshot } from '../../../src/inventory/snapshot.ts';
import { formatHtml } from '../../../src/report/formats/html.ts';
import type { AuditResultWithExposure } from '../../../src/result.ts';
import {
  CHROMIUM_PATH,
  chromiumAvailable,
  launch,
  type OpenedPage,
  openFile,
} from '../../browser/chromium.ts';

/**
 * The demo's HTML report in real headless Chromium (the Debian package; `apt-get install chromium`,
 * which .ci/run does when it is missing): it loads with no error, fetches nothing, draws a diagram per
 * ML resource with the nodes of its paths, and its filters and search hide rows.
 */
describe('the HTML report in headless Chromium', () => {
  let dir: string;
  let result: AuditResultWithExposure;
  let session: Awaited<ReturnType<typeof launch>>;
  let opened: OpenedPage;

  beforeAll(async () => {
    if (!chromiumAvailable())
      throw new Error(`no Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    dir = mkdtempSync(join(tmpdir(), 'mna-html-'));
    result = analyzeInventory(await readSnapshot('events/demo-snapshot.json'), parseAuditConfig({}));
    const file = join(dir, 'report.html');
    writeFileSync(file, await formatHtml(result));
    session = await launch();
    opened = await openFile(session.browser, file);
  }, 60_000);

  afterAll(async () => {
    await session?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('loads with no console error and makes no network request', async () => {
    // Prepare: the page was opened in beforeAll; give its script a moment to have run
    await opened.page.waitForSelector('#f-count:not(:empty)');

    // Act
    const title = await opened.page.title();

    // Assess
    expect(title).toContain('ml-network-audit');
    expect(opened.errors).toEqual([]);
    expect(opened.network).toEqual([]);
  });

  it('draws a diagram for every ML resource with a node for every hop and endpoint of its paths', async () => {
    // Prepare
    const expected = result.exposure.map((e) => ({
      resource: e.resource.id,
      ids: [
        ...e.inbound.paths.flatMap((p) => [p.entry, ...p.steps.map((s) => s.id)]),
        ...e.outbound.paths.flatMap((p) => p.steps.map((s) => s.id)),
        ...e.awsApis.endpoints.map((a) => a.endpointId),
      ]
        .flatMap((id) => id.split(',').map((x) => x.trim()))
        .filter((id) => id && id !== 'internet' && id !== 'sagemaker'),
    }));

    // Act
    const drawn = await opened.page.locator('svg.diagram').evaluateAll((svgs) =>
      svgs.map((svg) => ({
        resource: svg.getAttribute('data-resource'),
        nodes: [...svg.querySelectorAll('g.node')].flatMap((g) =>
          (g.getAttribute('data-node') ?? '').split(' ').filter(Boolean),
        ),
      })),
    );

    // Assess
    expect(drawn.map((d) => d.resource).sort()).toEqual(expected.map((e) => e.resource).sort());
    for (const e of expected) {
      const d = drawn.find((x) => x.resource === e.resource);
      for (const id of e.ids) expect(d?.nodes, `${e.resource} has node ${id}`).toContain(id);
      expect(d?.nodes).toContain(e.resource);
    }
    const notebook = drawn.find((d) => d.resource === 'legacy-churn-notebook');
    expect(notebook?.nodes).toEqual(
      expect.arrayContaining([
        'igw-0def0000000000002',
        'acl-0legacy000000003',
        'sg-0legacyssh0000003',
        'rtb-0defmain000000006',
      ]),
    );
    const domain = drawn.find((d) => d.resource === 'd-mlplatform01');
    expect(domain?.nodes).toEqual(
      expect.arrayContaining([
        'nat-0ml000000000000001',
        'vpce-0fw00000000000a01',
        'igw-0ml00000000000001',
        'vpce-0s3gw000000000001',
      ]),
    );
  });

  it('hides the rows the severity filter does not select', async () => {
    // Prepare
    const critical = result.findings.filter((f) => f.severity === 'CRITICAL').length;

    // Act
    await opened.page.selectOption('#f-severity', 'CRITICAL');
    const visible = await opened.page.locator('#findings tbody tr.finding:visible').count();
    const count = await opened.page.textContent('#f-count');
    await opened.page.selectOption('#f-severity', '');

    // Assess
    expect(critical).toBeGreaterThan(0);
    expect(visible).toBe(critical);
    expect(count).toBe(`${critical} of ${result.findings.length} shown`);
  });

  it('keeps only the rows that contain the searched text', async () => {
    // Prepare
    const matching = result.findings.filter(
      (f) => f.resource.id === 'sg-0legacyssh0000003' || f.message.includes('sg-0legacyssh0000003'),
    ).length;

    // Act
    await opened.page.fill('#f-search', 'SG-0LEGACYSSH0000003');
    const rows = await opened.page
      .locator('#findings tbody tr.finding:visible')
      .evaluateAll((trs) => trs.map((tr) => tr.textContent ?? ''));
    await opened.page.fill('#f-search', '');

    // Assess
    expect(rows.length).toBeGreaterThanOrEqual(matching);
    expect(rows.length).toBeLessThan(result.findings.length);
    for (const text of rows) expect(text).toContain('sg-0legacyssh0000003');
  });
});

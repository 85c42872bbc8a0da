// The dashboard's "Load and sweep" panel in a real browser (Debian's chromium via playwright-core):
// a `dyno load --sweep web=1..2` in another process hands its report to dyno start, and the open page
// shows its table, bars and verdict. Saves test-artifacts/dashboard-load.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { projectRoot, runDyno, runDynoToEnd } from '../helpers/run-dyno.js';
import { basePortFor, fixture } from '../helpers/fixture.js';
import { assertNoSurvivors, uniqueMarker } from '../helpers/survivors.js';
import { tempApp } from '../helpers/temp-app.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACT = path.join(projectRoot, 'test-artifacts', 'dashboard-load.png');

test('a sweep run from the CLI shows on the dashboard: one table row and one bar per count, and the verdict', { timeout: 90_000 }, async () => {
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)`);
  const marker = uniqueMarker('dyno-load-panel');
  const app = tempApp({ Procfile: `web: ${fixture('web-cost', marker)}\n` });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), `${marker}-`));
  const run = runDyno(['start', '-p', String(basePortFor(165)), '--dashboard', '--timeout', '2'], { cwd: app.dir, env: { DISPLAY: undefined } });
  let browser: BrowserContext | undefined;
  try {
    const announced = await run.waitForLine(/dashboard http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/, 15_000);
    browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, viewport: { width: 1280, height: 1400 } });
    const page = browser.pages()[0] ?? (await browser.newPage());
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    await page.goto(announced.slice(announced.indexOf('http://')));
    await page.waitForSelector('#load-empty:not([hidden])');

    const sweep = await runDynoToEnd(['load', '/work', '--sweep', 'web=1..2', '-d', '500ms', '--warmup', '0', '-c', '2'], { cwd: app.dir });
    assert.equal(sweep.code, 0, sweep.stderr);
    await page.waitForSelector('#load-table tbody tr:nth-child(2)', { timeout: 10_000 });
    const cells = await page.$$eval('#load-table tbody tr', (trs) => trs.map((tr) => tr.firstElementChild?.textContent ?? ""));
    assert.deepEqual(cells, ['web=1', 'web=2']);
    assert.equal(await page.locator('#load-chart tbody tr').count(), 2);
    const verdict = await page.locator('#load-verdict').innerText();
    assert.equal(verdict, `Verdict: ${/^verdict: (.*)$/m.exec(sweep.stdout)![1]}`);
    assert.ok(await page.locator('#load-empty').isHidden());
    fs.mkdirSync(path.dirname(ARTIFACT), { recursive: true });
    await page.locator('#load').screenshot({ path: ARTIFACT });
    assert.deepEqual(problems, []);
  } finally {
    await browser?.close();
    run.signal('SIGINT');
    await run.exit;
    await assertNoSurvivors(marker);
    fs.rmSync(profile, { recursive: true, force: true });
    app.cleanup();
  }
});

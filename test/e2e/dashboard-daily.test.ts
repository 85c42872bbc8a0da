// The dashboard in a real browser (Debian's chromium, playwright-core): sliders whose range follows
// the formation, a link to the app, and an app's ANSI colours drawn in the log tail — as colours,
// never as HTML. A missing /usr/bin/chromium FAILS, as in dashboard.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { runDyno, runDynoToEnd } from '../helpers/run-dyno.js';
import { basePortFor, fixture } from '../helpers/fixture.js';
import { tempApp } from '../helpers/temp-app.js';
import { assertNoSurvivors, uniqueMarker } from '../helpers/survivors.js';
import { waitFor } from '../helpers/wait-for.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

test('sliders span 0–10, then twice the count, capped by the limit; the page links the app; ANSI colours show as colours, HTML as text', { timeout: 90_000 }, async () => {
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium`);
  const marker = uniqueMarker();
  const port = basePortFor(98);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), `${marker}-`));
  const colourful = `printf '\\033[31mred words\\033[0m then <b>bold?</b><img src=x onerror="window.pwned=1">\\n'; exec ${fixture('forever', marker)}`;
  const app = tempApp({ Procfile: `web: ${fixture('web', marker)}\nworker: ${colourful}\nclock: exec sh -c 'exec sleep 600' ${marker}\n` });
  const run = runDyno(['start', '-p', String(port), '--dashboard', '--dashboard-port', '0', '-t', '1', 'web=1', 'worker=1', 'clock=0'], { cwd: app.dir, env: { DISPLAY: undefined } });
  let browser: BrowserContext | undefined;
  try {
    const announced = await run.waitForLine(/dashboard http:\/\/127\.0\.0\.1:\d+\/\?token=/, 15_000);
    browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
    const page = browser.pages()[0] ?? (await browser.newPage());
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    await page.goto(announced.slice(announced.indexOf('http://')));
    await page.waitForSelector('#dynos tr[data-dyno="worker.1"][data-state="up"]', { timeout: 15_000 });

    const line = page.locator('#log li[data-source="app"]', { hasText: 'red words' }).first();
    await line.waitFor({ timeout: 10_000 }).catch((err: Error) => assert.fail(`${err.message}; page errors: ${problems.join('; ')}`));
    const red = line.locator('span.ansi', { hasText: 'red words' });
    assert.equal(await red.evaluate((e) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(e).color), 'rgb(205, 49, 49)');
    assert.match((await line.locator('.text').textContent()) ?? '', /^red words then <b>bold\?<\/b><img src=x onerror="window\.pwned=1">$/);
    assert.equal(await line.locator('b, img').count(), 0, 'the app\'s HTML is text');
    assert.equal(await page.evaluate(() => (globalThis as unknown as { pwned?: number }).pwned), undefined);
    assert.ok(!(await line.textContent())!.includes('\u001b'), 'no raw escape shown');
    const link = page.locator('#app-url');
    assert.equal(await link.getAttribute('href'), `http://127.0.0.1:${port}`);
    assert.ok(await link.isVisible());

    const worker = page.getByLabel('worker dynos', { exact: true });
    assert.equal(await worker.getAttribute('max'), '10', 'at 1 dyno the slider runs 0–10');
    assert.equal((await runDynoToEnd(['scale', 'worker=7'], { cwd: app.dir })).code, 0);
    await waitFor(async () => (await worker.getAttribute('max')) === '14', { timeoutMs: 10_000, what: 'the range grew to twice 7' });
    assert.equal(await worker.inputValue(), '7');
    assert.equal((await runDynoToEnd(['scale', 'clock=88'], { cwd: app.dir })).code, 0);
    await waitFor(async () => (await worker.getAttribute('max')) === '11', { timeoutMs: 20_000, what: 'capped: 100 − 88 clock − 1 web' });
    assert.equal((await runDynoToEnd(['scale', 'worker=1', 'clock=0'], { cwd: app.dir })).code, 0);
    await waitFor(async () => (await worker.getAttribute('max')) === '10', { timeoutMs: 10_000, what: 'back to 0–10' });

    assert.deepEqual(problems, []);
  } finally {
    await browser?.close();
    run.signal('SIGINT');
    await run.exit;
    await assertNoSurvivors(marker, 5000);
    app.cleanup();
    fs.rmSync(profile, { recursive: true, force: true });
  }
});

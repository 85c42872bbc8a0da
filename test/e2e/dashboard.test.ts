// The dashboard in a real browser (Debian's chromium driven by playwright-core): `dyno start --dashboard`
// on a copy of examples/app; the web slider moves from 1 to 3 by keyboard and the page and `dyno ps
// --json` agree on three web dynos up; router traffic shows in the metrics; a restart from the page
// shows in its log tail. Saves test-artifacts/dashboard.png. Without /usr/bin/chromium it skips (fails under CI=true).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { requireEngine } from '../helpers/require-engine.js';
import { projectRoot, runDyno, runDynoToEnd, type DynoRun } from '../helpers/run-dyno.js';
import { basePortFor } from '../helpers/fixture.js';
import { httpGet } from '../helpers/http-get.js';
import { copyApp } from '../helpers/example-app.js';
import { assertNoSurvivors, survivorsIn, uniqueMarker } from '../helpers/survivors.js';
import { waitFor } from '../helpers/wait-for.js';
import type { DynoRow } from '../../src/control/protocol.js';

const CHROMIUM = '/usr/bin/chromium';
/** ../shared/NODE-NOTES.md §11 (the profile directory is the launchPersistentContext argument). */
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACT = path.join(projectRoot, 'test-artifacts', 'dashboard.png');

// Three web dynos up, as `dyno ps --json` (the built CLI) reports them.
async function psWeb(dir: string): Promise<{ up: string[]; formation: Record<string, number> }> {
  const { code, stdout, stderr } = await runDynoToEnd(['ps', '--json', '-d', dir]);
  assert.equal(code, 0, stderr);
  const reply = JSON.parse(stdout) as { dynos: DynoRow[]; formation: Record<string, number> };
  return { up: reply.dynos.filter((d) => d.type === 'web' && d.state === 'up').map((d) => d.name), formation: reply.formation };
}

test('the dashboard scales web 1 → 3 with the keyboard, shows router metrics, and restarts a dyno from the page', { timeout: 90_000 }, async (t) => {
  if (!requireEngine(t, 'chromium')) return;
  const copy = copyApp();
  const dir = copy.app;
  const marker = uniqueMarker('dyno-dashboard-chromium');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), `${marker}-`));
  const port = basePortFor(81);
  const start = (): DynoRun => runDyno(['start', '-d', dir, '-p', String(port), '--dashboard', '--timeout', '2'], { env: { DISPLAY: undefined } });
  const runs = [start()];
  const run = runs[0]!;
  let browser: BrowserContext | undefined;
  try {
    const announced = await run.waitForLine(/dashboard http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/, 15_000);
    const url = announced.slice(announced.indexOf('http://'));
    assert.equal(new URL(url).port, String(port + 99), 'the default dashboard port is the base port + 99');
    const opened = await runDynoToEnd(['dashboard', '-d', dir, '--no-open']);
    assert.equal(opened.stdout.trim(), url, opened.stderr);

    browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, viewport: { width: 1280, height: 1100 } });
    const page = browser.pages()[0] ?? (await browser.newPage());
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
    await page.goto(url);
    assert.equal(new URL(page.url()).search, '', 'the token left the address bar');
    await page.waitForSelector('#dynos tr[data-dyno="web.1"][data-state="up"]', { timeout: 15_000 });

    const slider = page.getByLabel('web dynos', { exact: true });
    assert.equal(await slider.inputValue(), '1');
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    assert.equal(await slider.inputValue(), '3');
    for (const name of ['web.1', 'web.2', 'web.3']) await page.waitForSelector(`#dynos tr[data-dyno="${name}"][data-state="up"]`, { timeout: 20_000 });
    assert.equal(await page.locator('#dynos tr[data-dyno^="web."]').count(), 3);
    const ps = await waitFor(async () => {
      const seen = await psWeb(dir);
      return seen.up.length === 3 ? seen : undefined;
    }, { timeoutMs: 10_000, what: 'three web dynos up in dyno ps --json' });
    assert.deepEqual(ps.up, ['web.1', 'web.2', 'web.3']);
    assert.equal(ps.formation.web, 3);

    for (let i = 0; i < 5; i++) assert.equal((await httpGet(port, '/')).status, 200);
    const served = page.locator('#status tr[data-label="2xx"] td').first();
    await waitFor(async () => Number(await served.textContent()) >= 5, { timeoutMs: 10_000, what: '5 requests in the 2xx count' });

    const booted = page.locator('#log li', { hasText: /web\.2 listening on port/ });
    const before = await booted.count();
    assert.equal(before, 1);
    await page.getByRole('button', { name: 'Restart web.2', exact: true }).click();
    await booted.nth(before).waitFor({ timeout: 20_000 });
    await page.waitForSelector('#dynos tr[data-dyno="web.2"][data-state="up"]', { timeout: 20_000 });

    fs.mkdirSync(path.dirname(ARTIFACT), { recursive: true });
    await page.screenshot({ path: ARTIFACT, fullPage: true });

    // dyno start goes away: the page says so; it comes back (a new run, a new token): the page reconnects.
    run.signal('SIGINT');
    assert.equal(await run.exit, 0, run.stdout() + run.stderr());
    await page.locator('#banner', { hasText: 'Disconnected — reconnecting' }).waitFor({ timeout: 10_000 });
    const again = start();
    runs.push(again);
    const second = await again.waitForLine(/dashboard http:\/\/127\.0\.0\.1:\d+\/\?token=/, 15_000);
    assert.ok(!second.endsWith(url), 'every run has its own token');
    await page.waitForSelector('#dynos tr[data-dyno="web.3"]', { state: 'detached', timeout: 15_000 });
    await waitFor(async () => (await page.locator('#banner').textContent()) === '', { timeoutMs: 10_000, what: 'the banner cleared' });
    await page.waitForSelector('#dynos tr[data-dyno="web.1"][data-state="up"]', { timeout: 15_000 });
    assert.deepEqual(problems.filter((p) => !/ERR_CONNECTION_REFUSED/.test(p)), [], 'no script error on the page');
  } finally {
    await browser?.close();
    for (const r of runs) r.signal('SIGINT');
    const codes = await Promise.all(runs.map((r) => r.exit));
    await waitFor(() => survivorsIn(dir).length === 0, { what: 'no example process left', timeoutMs: 5000 });
    await assertNoSurvivors(marker, 5000);
    copy.cleanup();
    fs.rmSync(profile, { recursive: true, force: true });
    assert.deepEqual(codes, runs.map(() => 0), runs.map((r) => r.stdout() + r.stderr()).join('\n'));
  }
});

test('dyno dashboard starts the dashboard on demand, once; its URL (token) stays out of --log-file', { timeout: 30_000 }, async () => {
  const copy = copyApp();
  const dir = copy.app;
  const port = basePortFor(82);
  const logFile = path.join(copy.dir, 'all.log');
  const run = runDyno(['start', '-d', dir, '-p', String(port), 'web=1', '--log-file', logFile, '--dashboard-port', '0', '--timeout', '2']);
  try {
    await run.waitForLine(/web\.1 +\* State changed from starting to up/);
    assert.ok(!run.lines.some((l) => l.includes('dashboard http')), 'no dashboard without --dashboard');
    const first = await runDynoToEnd(['dashboard', '-d', dir], { env: { DISPLAY: undefined, WAYLAND_DISPLAY: undefined } });
    assert.equal(first.code, 0, first.stderr);
    const url = first.stdout.trim();
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/);
    assert.notEqual(new URL(url).port, String(port + 99), '--dashboard-port 0 picks a free port');
    assert.equal((await runDynoToEnd(['dashboard', '-d', dir, '--no-open'])).stdout.trim(), url, 'one dashboard per run');
    await run.waitForLine(/dashboard http:\/\/127\.0\.0\.1/);
    const page = await httpGet(Number(new URL(url).port), `/${new URL(url).search}`);
    assert.equal(page.status, 303);
    assert.equal((await httpGet(Number(new URL(url).port), '/')).status, 401);
  } finally {
    run.signal('SIGINT');
    assert.equal(await run.exit, 0, run.stdout() + run.stderr());
    await waitFor(() => survivorsIn(dir).length === 0, { what: 'no example process left', timeoutMs: 5000 });
  }
  const logged = fs.readFileSync(logFile, 'utf8');
  copy.cleanup();
  assert.ok(logged.includes('web.1 listening on port'), 'the log file is written');
  assert.ok(!logged.includes('token='), 'the token is printed to the terminal only');
});

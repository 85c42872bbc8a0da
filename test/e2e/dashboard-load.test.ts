// The dashboard's "Load and sweep" panel in a real browser (Debian's chromium via playwright-core):
// a `dyno load --sweep web=1..2` in another process hands its report to dyno start, and the open page
// shows its table, bars and verdict; then the panel's own form: a bad path gets its one line, a sweep
// started by a click shows its progress and report, and Stop ends a long one with the formation restored.
// Saves test-artifacts/dashboard-load.png and dashboard-load-form.png. Without chromium it skips (fails under CI=true).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { projectRoot, runDyno, runDynoToEnd } from '../helpers/run-dyno.js';
import { basePortFor, fixture } from '../helpers/fixture.js';
import { assertNoSurvivors, uniqueMarker } from '../helpers/survivors.js';
import { tempApp, type TempApp } from '../helpers/temp-app.js';
import { requireEngine } from '../helpers/require-engine.js';
import { waitFor } from '../helpers/wait-for.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACT = path.join(projectRoot, 'test-artifacts', 'dashboard-load.png');

test('a sweep run from the CLI shows on the dashboard: one table row and one bar per count, and the verdict', { timeout: 90_000 }, async (t) => {
  if (!requireEngine(t, 'chromium')) return;
  const marker = uniqueMarker('dyno-load-panel');
  const app = tempApp({ Procfile: `web: ${fixture('web-cost', marker)}\n` });
  await withDashboard({ marker, app, args: ['-p', String(basePortFor(165))] }, async (page, problems) => {
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
  });
});

test('the panel’s form: a path that 404s says so, a sweep started by a click shows progress then the report, Stop restores the formation', { timeout: 120_000 }, async (t) => {
  if (!requireEngine(t, 'chromium')) return;
  const marker = uniqueMarker('dyno-load-form');
  const app = tempApp({ Procfile: `web: ${fixture('web-cost', marker)}\nworker: ${fixture('forever', marker)}\n` });
  await withDashboard({ marker, app, args: ['web=1', 'worker=1', '-p', String(basePortFor(170))] }, async (page, problems) => {
    await page.waitForSelector('#load-type option[value="web"]', { state: 'attached' });

    await page.getByLabel('Path', { exact: true }).fill('/nosuch');
    await page.getByLabel('Duration', { exact: true }).fill('1s');
    await page.getByLabel('Warm-up', { exact: true }).fill('0');
    await page.getByLabel('Connections', { exact: true }).fill('2');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.waitForSelector('#load-error:not([hidden])');
    assert.match(await page.locator('#load-error').innerText(), /^GET \/nosuch answers 404 through the router: there is nothing to load there[^]*check the path: curl -i http:\/\/127\.0\.0\.1:\d+\/nosuch shows what the app answers/);

    await page.getByLabel('Path', { exact: true }).fill('/work');
    await page.getByLabel('Sweep', { exact: true }).check();
    await page.getByLabel('type', { exact: true }).selectOption('web');
    await page.getByLabel('from', { exact: true }).fill('1');
    await page.getByLabel('to', { exact: true }).fill('2');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.waitForSelector('#load-progress[data-state="running"]');
    assert.ok(await page.locator('#load-error').isHidden(), 'the earlier error is gone');
    await page.waitForSelector('#load-progress[data-state="finished"]', { timeout: 60_000 });
    assert.match(await page.locator('#load-progress').innerText(), /^Sweep web=1\.\.2 of \/work: done; formation restored: web=1 worker=1$/);
    assert.deepEqual(await page.$$eval('#load-table tbody tr', (trs) => trs.map((tr) => tr.firstElementChild?.textContent ?? '')), ['web=1', 'web=2']);
    assert.equal(await page.locator('#load-chart tbody tr').count(), 2);
    assert.match(await page.locator('#load-verdict').innerText(), /^Verdict: throughput /);
    assert.match(await page.locator('#load-text').textContent() ?? '', /^verdict: throughput /m);
    fs.mkdirSync(path.dirname(ARTIFACT), { recursive: true });
    await page.locator('#load').screenshot({ path: ARTIFACT.replace(/\.png$/, '-form.png') });

    await page.getByLabel('Duration', { exact: true }).fill('30s');
    await page.getByLabel('from', { exact: true }).fill('2');
    await page.getByLabel('to', { exact: true }).fill('3');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitFor(async () => /web=2: measuring \(count 1 of 2\)$/.test(await page.locator('#load-progress').innerText()), { timeoutMs: 30_000, what: 'web=2 being measured' });
    assert.ok(await page.getByRole('button', { name: 'Start', exact: true }).isDisabled(), 'one run at a time');
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await page.waitForSelector('#load-progress[data-state="stopped"]', { timeout: 30_000 });
    assert.match(await page.locator('#load-progress').innerText(), /: stopped after 1 count; formation restored: web=1 worker=1$/);
    const ps = await runDynoToEnd(['ps', '--json'], { cwd: app.dir });
    assert.deepEqual(JSON.parse(ps.stdout).formation, { web: 1, worker: 1 });
    assert.deepEqual(problems, []);
  });
});

// `dyno start <args> --dashboard` in `app`, its page open in a browser for `body`; then the browser
// closes, dyno stops on Ctrl-C and no process of `marker` is left.
async function withDashboard(o: { marker: string; app: TempApp; args: string[] }, body: (page: Page, problems: string[]) => Promise<void>): Promise<void> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), `${o.marker}-`));
  const run = runDyno(['start', ...o.args, '--dashboard', '--timeout', '2'], { cwd: o.app.dir, env: { DISPLAY: undefined } });
  let browser: BrowserContext | undefined;
  try {
    browser = await launch(profile);
    const { page, problems } = await openDashboard(browser, run);
    await body(page, problems);
  } finally {
    await browser?.close();
    run.signal('SIGINT');
    await run.exit;
    await assertNoSurvivors(o.marker);
    fs.rmSync(profile, { recursive: true, force: true });
    o.app.cleanup();
  }
}

// Headless chromium with its own profile directory.
function launch(profile: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, viewport: { width: 1280, height: 1400 } });
}

// The dashboard `dyno start --dashboard` announced, opened; page errors are collected.
async function openDashboard(browser: BrowserContext, run: ReturnType<typeof runDyno>): Promise<{ page: Page; problems: string[] }> {
  const announced = await run.waitForLine(/dashboard http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/, 15_000);
  const page = browser.pages()[0] ?? (await browser.newPage());
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(err.message));
  await page.goto(announced.slice(announced.indexOf('http://')));
  return { page, problems };
}

// dyno start's log stream end to end: line-exact, never stalled, every format, and EPIPE stops the formation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { spawn } from 'node:child_process';
import { tempApp } from '../helpers/temp-app.js';
import { dynoBin, runDyno } from '../helpers/run-dyno.js';
import { assertNoSurvivors, uniqueMarker } from '../helpers/survivors.js';
import { waitFor } from '../helpers/wait-for.js';
import { basePortFor, fixture } from '../helpers/fixture.js';

const node = (code: string, marker: string): string => `node -e '${code}' ${marker}`;

test("one dyno's unfinished line never stalls another's output (foreman stalls all output)", async () => {
  const marker = uniqueMarker();
  const app = tempApp({
    Procfile: [
      `partial: ${node('process.stdout.write("no newline yet"); setInterval(() => {}, 1e6)', marker)}`,
      `chatty: ${node('let i = 0; setInterval(() => console.log("tick " + i++), 20)', marker)}`,
      '',
    ].join('\n'),
  });
  try {
    const run = runDyno(['start', '--no-router', '--timeout', '1', '-p', String(basePortFor(11))], { cwd: app.dir });
    await run.waitForLine(/chatty\.1 +\| tick 3/);
    await run.waitForLine(/partial\.1 +\| no newline yet$/);
    run.signal('SIGINT');
    assert.equal(await run.exit, 0);
  } finally {
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

test('UTF-8 split across writes, CRLF and blank lines come out exact (nf mangles them)', async () => {
  const marker = uniqueMarker();
  const code = [
    'const b = Buffer.from("héllo wörld ✓\\r\\n\\nend\\n");',
    'let i = 0; const t = setInterval(() => { if (i >= b.length) { clearInterval(t); return; } process.stdout.write(b.subarray(i, i + 1)); i++; }, 1);',
    'setInterval(() => {}, 1e6)',
  ].join(' ');
  const app = tempApp({ Procfile: `utf: ${node(code, marker)}\n` });
  try {
    const run = runDyno(['start', '--no-router', '--no-timestamp', '--timeout', '1', '-p', String(basePortFor(12))], { cwd: app.dir });
    await run.waitForLine(/utf\.1 \| end$/);
    const mine = run.lines.filter((l) => l.startsWith('utf.1 |'));
    assert.ok(mine.some((l) => l === 'utf.1 | héllo wörld ✓'), mine.join('\n'));
    assert.ok(!run.stdout().includes('\uFFFD'), 'no replacement characters');
    run.signal('SIGINT');
    assert.equal(await run.exit, 0);
  } finally {
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

test('--format heroku and --format json print Logplex lines and JSON objects', async () => {
  const marker = uniqueMarker();
  const app = tempApp({ Procfile: `worker: ${fixture('forever', marker)}\n` });
  try {
    const heroku = runDyno(['start', '--no-router', '--format', 'heroku', '--timeout', '1', '-p', String(basePortFor(13))], { cwd: app.dir });
    await heroku.waitForLine(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00 app\[worker\.1\]: READY$/);
    await heroku.waitForLine(/^\S+ heroku\[worker\.1\]: Starting process with command `/);
    heroku.signal('SIGINT');
    assert.equal(await heroku.exit, 0);
    const json = runDyno(['start', '--no-router', '--format', 'json', '--timeout', '1', '-p', String(basePortFor(13))], { cwd: app.dir });
    const line = await json.waitForLine(/"text":"READY"/);
    const parsed = JSON.parse(line) as Record<string, unknown>;
    assert.equal(parsed.source, 'app');
    assert.equal(parsed.dyno, 'worker.1');
    assert.equal(parsed.stream, 'stdout');
    json.signal('SIGINT');
    assert.equal(await json.exit, 0);
  } finally {
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

test('--log-file appends the Heroku format', async () => {
  const marker = uniqueMarker();
  const app = tempApp({ Procfile: `worker: ${fixture('forever', marker)}\n` });
  try {
    const run = runDyno(['start', '--no-router', '--log-file', 'dyno.log', '--timeout', '1', '-p', String(basePortFor(14))], { cwd: app.dir });
    await run.waitForLine(/worker\.1 +\| READY/);
    run.signal('SIGINT');
    assert.equal(await run.exit, 0);
    assert.match(fs.readFileSync(app.file('dyno.log'), 'utf8'), /app\[worker\.1\]: READY\n/);
  } finally {
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

test('stdout closed early (dyno start | head -n 1): the formation stops cleanly', async () => {
  const marker = uniqueMarker();
  const app = tempApp({ Procfile: `chatty: ${node('setInterval(() => console.log("x".repeat(100)), 1)', marker)}\n` });
  try {
    const isBundle = dynoBin.endsWith('.cjs');
    const cmd = `${isBundle ? `"${process.execPath}" "${dynoBin}"` : `"${dynoBin}"`} start --no-router --timeout 1 -p ${basePortFor(15)} | head -n 1`;
    const shell = spawn('/bin/sh', ['-c', cmd], { cwd: app.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    shell.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((r) => shell.on('close', r));
    assert.equal(code, 0);
    assert.equal(out.split('\n').filter(Boolean).length, 1);
  } finally {
    await assertNoSurvivors(marker, 5000);
    app.cleanup();
  }
});

test('pretty output pads names to the longest dyno and keeps stderr distinguishable', async () => {
  const marker = uniqueMarker();
  const app = tempApp({
    Procfile: `w: ${node('console.log("out"); console.error("err"); setInterval(() => {}, 1e6)', marker)}\nlongername: ${fixture('forever', marker)}\n`,
  });
  try {
    const run = runDyno(['start', '--no-router', '--no-timestamp', '--timeout', '1', '-p', String(basePortFor(16))], { cwd: app.dir });
    await run.waitForLine(/^w\.1 +! err$/);
    await waitFor(() => run.lines.includes('w.1          | out'), { what: 'padded stdout line' });
    await run.waitForLine(/^longername\.1 \| READY$/);
    run.signal('SIGINT');
    assert.equal(await run.exit, 0);
  } finally {
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

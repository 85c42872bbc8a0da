// dyno start's log stream end to end: line-exact, never stalled, every format, and EPIPE stops the formation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { httpGet } from '../helpers/http-get.js';
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
    await run.waitForLine(/utf\.1 +\| end$/);
    const mine = run.lines.filter((l) => /^utf\.1 +\|/.test(l));
    assert.ok(mine.some((l) => /^utf\.1 +\| héllo wörld ✓$/.test(l)), mine.join('\n'));
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
    // The column is fixed at start, wide enough for `longername.100` (the dyno limit).
    await waitFor(() => run.lines.includes(`${'w.1'.padEnd('longername.100'.length)} | out`), { what: 'padded stdout line' });
    await run.waitForLine(/^longername\.1 {3}\| READY$/);
    run.signal('SIGINT');
    assert.equal(await run.exit, 0);
  } finally {
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

// Resident memory of a process in MB.
function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

test('a reader that stops reading blocks the dynos, not dyno: memory stays bounded, the router answers, and every line arrives after', { timeout: 60_000 }, async () => {
  const marker = uniqueMarker();
  const progress = path.join(os.tmpdir(), `dyno-progress-${marker}`);
  const total = 400_000; // 40 MB: far more than every pipe and buffer on the way can hold
  const app = tempApp({ Procfile: `web: ${fixture('web-hello', marker)}\nwriter: ${fixture('count-lines', `${total} ${progress} ${marker}`)}\n` });
  const port = basePortFor(91);
  const run = runDyno(['start', '--no-timestamp', '--timeout', '1', '-p', String(port)], { cwd: app.dir });
  try {
    run.child.stdout!.pause(); // the reader never reads (a paused terminal, a stalled pipe)
    await waitFor(() => httpGet(port, '/').then((r) => r.status === 200, () => false), { timeoutMs: 20_000, intervalMs: 100, what: 'the router to reach web.1' });
    const written = (): number => Number(fs.existsSync(progress) ? fs.readFileSync(progress, 'utf8') || 0 : 0);
    let last = -1;
    let stableSince = Date.now();
    await waitFor(() => {
      const n = written();
      if (n !== last) [last, stableSince] = [n, Date.now()];
      return n > 0 && Date.now() - stableSince > 1000;
    }, { timeoutMs: 20_000, intervalMs: 100, what: () => `the writer to block (written ${written()})` });
    assert.ok(written() < total / 4, `the writer is blocked in write, not read into memory (written ${written()} of ${total})`);
    assert.ok(rssMb(run.pid) < 100, `dyno's RSS ${rssMb(run.pid).toFixed(0)} MB`);
    const reply = await httpGet(port, '/');
    assert.equal(reply.status, 200, 'the router answers while the output is stalled');
    run.child.stdout!.resume();
    await run.waitForLine(new RegExp(`^writer\\.1 +\\| ${total - 1} x+$`), 30_000);
    const body = run.lines.filter((l) => /^writer\.1 +\| /.test(l)).map((l) => l.replace(/^writer\.1 +\| /, ''));
    assert.equal(body.length, total, 'no line lost');
    body.forEach((text, i) => {
      if (text !== `${i} ${'x'.repeat(99 - `${i} `.length)}`) assert.fail(`line ${i} mangled: ${text.slice(0, 40)}`);
    });
    run.signal('SIGINT');
    assert.equal(await run.exit, 0);
  } finally {
    run.child.kill('SIGKILL');
    fs.rmSync(progress, { force: true });
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

test('--log-file on a file that stops accepting writes (/dev/full): one stderr line naming it, and dyno keeps running', { skip: !fs.existsSync('/dev/full') }, async () => {
  const marker = uniqueMarker();
  const app = tempApp({ Procfile: `chatty: ${node('let i = 0; setInterval(() => console.log("tick " + i++), 10)', marker)}\n` });
  try {
    const run = runDyno(['start', '--no-router', '--timeout', '1', '-p', String(basePortFor(92)), '--log-file', '/dev/full'], { cwd: app.dir });
    await waitFor(() => run.errLines.find((l) => /\/dev\/full/.test(l)), { timeoutMs: 10_000, what: () => `a stderr line naming /dev/full\n${run.stderr()}` });
    const seen = run.lines.filter((l) => /chatty\.1 +\| tick/.test(l)).length;
    await waitFor(() => run.lines.filter((l) => /chatty\.1 +\| tick/.test(l)).length > seen + 20, { timeoutMs: 10_000 });
    assert.equal(run.errLines.filter((l) => /\/dev\/full/.test(l)).length, 1, run.stderr());
    assert.match(run.errLines.find((l) => /\/dev\/full/.test(l))!, /^dyno: log file \/dev\/full: .*ENOSPC/);
    run.signal('SIGINT');
    assert.equal(await run.exit, 0);
  } finally {
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

test('a line written in two parts 100 ms apart comes out whole, and invalid UTF-8 bytes come out unchanged', async () => {
  const marker = uniqueMarker();
  const code = [
    'process.stdout.write("caf");',
    'setTimeout(() => process.stdout.write("é € whole\\n"), 100);',
    'setTimeout(() => process.stdout.write(Buffer.from([0x62, 0x61, 0x64, 0x20, 0xff, 0xfe, 0xc3, 0x0a])), 200);',
    'setInterval(() => {}, 1e6)',
  ].join(' ');
  const app = tempApp({ Procfile: `slow: ${node(code, marker)}\n` });
  try {
    const formats: Array<{ args: string[]; want: Buffer }> = [
      { args: [], want: Buffer.from([...Buffer.from(`${'slow.1'.padEnd('run.0000'.length)} | bad `), 0xff, 0xfe, 0xc3, 0x0a]) },
      { args: ['--format', 'heroku'], want: Buffer.from([...Buffer.from(' app[slow.1]: bad '), 0xff, 0xfe, 0xc3, 0x0a]) },
    ];
    for (const [k, f] of formats.entries()) {
      const child = spawn(process.execPath, [dynoBin, 'start', '--no-router', '--no-timestamp', '--timeout', '1', '-p', String(basePortFor(93 + k)), ...f.args], { cwd: app.dir, env: { ...process.env, NO_COLOR: '1' } });
      const chunks: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => chunks.push(c));
      await waitFor(() => Buffer.concat(chunks).includes(f.want), { timeoutMs: 10_000, what: () => Buffer.concat(chunks).toString('latin1') });
      const text = Buffer.concat(chunks).toString('utf8');
      assert.ok(/(slow\.1 +\|| app\[slow\.1\]:) café € whole\n/.test(text), text);
      child.kill('SIGINT');
      await new Promise((r) => child.once('close', r));
    }
  } finally {
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

test('--raw (and --no-prefix) prints only what the dynos wrote: no time, name or separator', async () => {
  const marker = uniqueMarker();
  const app = tempApp({ Procfile: `plain: ${node('console.log("just this"); setInterval(() => {}, 1e6)', marker)}\n` });
  try {
    for (const [k, flag] of ['--raw', '--no-prefix'].entries()) {
      const run = runDyno(['start', '--no-router', '--timeout', '1', '-p', String(basePortFor(97 + k)), flag], { cwd: app.dir });
      await run.waitForLine(/^just this$/);
      run.signal('SIGINT');
      assert.equal(await run.exit, 0);
      assert.ok(!run.lines.some((l) => /plain\.1 +\|/.test(l)), run.stdout());
    }
  } finally {
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

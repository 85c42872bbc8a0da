// Real app servers with worker processes: gunicorn -w 3 and puma in cluster mode each see exactly one
// SIGTERM per process (one graceful shutdown line), exit within the grace with their own status, and leave nothing behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempApp } from '../helpers/temp-app.js';
import { runDyno } from '../helpers/run-dyno.js';
import { survivorsIn } from '../helpers/survivors.js';
import { waitFor } from '../helpers/wait-for.js';
import { httpGet } from '../helpers/http-get.js';
import { basePortFor } from '../helpers/fixture.js';
import { requireEngine, type EngineName } from '../helpers/require-engine.js';

const servers: Array<{ name: string; bin: EngineName; seed: number; workers: number; booted: RegExp; graceful: RegExp; status: number; files: Record<string, string>; command: string }> = [
  {
    name: 'gunicorn -w 3', bin: 'gunicorn', seed: 60, workers: 3, booted: /Booting worker with pid/, graceful: /Handling signal: term/, status: 0,
    files: { 'app.py': 'def app(environ, start_response):\n    start_response("200 OK", [("Content-Type", "text/plain")])\n    return [b"hi\\n"]\n' },
    command: 'gunicorn -w 3 -b 127.0.0.1:$PORT app:app',
  },
  {
    name: 'puma cluster mode (-w 2)', bin: 'puma', seed: 61, workers: 2, booted: /Worker \d+ \(PID: \d+\) booted/, graceful: /Gracefully shutting down workers/, status: 143, // puma re-raises SIGTERM (raise_exception_on_sigterm): its own status
    files: { 'config.ru': 'run ->(env) { [200, { "Content-Type" => "text/plain" }, ["hi\\n"]] }\n' },
    command: 'puma -w 2 -b tcp://127.0.0.1:$PORT config.ru',
  },
];

for (const s of servers) {
  test(`${s.name}: one graceful shutdown on Ctrl-C, the server's own status, no R12, 0 survivors`, async (t) => {
    if (!requireEngine(t, s.bin)) return;
    const app = tempApp({ ...s.files, Procfile: `web: ${s.command}\n` });
    try {
      const port = basePortFor(s.seed);
      const run = runDyno(['start', '-p', String(port), '-t', '10'], { cwd: app.dir });
      await run.waitForLine(/web\.1 +\* State changed from starting to up/, 20_000);
      assert.equal((await httpGet(port)).status, 200);
      await waitFor(() => survivorsIn(app.dir).length >= s.workers + 1, { timeoutMs: 20_000, what: () => `master and ${s.workers} workers; got ${survivorsIn(app.dir).length}` });
      // Every worker has booted (a SIGTERM to a server still forking workers is a race inside the server).
      await waitFor(() => run.lines.filter((l) => s.booted.test(l)).length >= s.workers, { timeoutMs: 20_000, what: () => `${s.workers} booted workers\n${run.stdout()}` });
      run.signal('SIGINT');
      assert.equal(await run.exit, 0, run.stdout());
      assert.equal(run.lines.filter((l) => s.graceful.test(l)).length, 1, run.stdout());
      assert.match(run.stdout(), new RegExp(`web\\.1 +\\* Process exited with status ${s.status}\n`));
      assert.doesNotMatch(run.stdout(), /R12/);
    } finally {
      await waitFor(() => survivorsIn(app.dir).length === 0, { timeoutMs: 2000, what: () => `no survivors in ${app.dir}: ${survivorsIn(app.dir).join(', ')}` }).finally(() => {
        for (const pid of survivorsIn(app.dir)) process.kill(pid, 'SIGKILL');
        app.cleanup();
      });
    }
  });
}

// The bundled example app (examples/app), as the README's first command runs it, with short router settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runDyno } from '../helpers/run-dyno.js';
import { copyApp } from '../helpers/example-app.js';
import { basePortFor } from '../helpers/fixture.js';
import { survivorsIn } from '../helpers/survivors.js';
import { waitFor } from '../helpers/wait-for.js';
import { httpGet as get } from '../helpers/http-get.js';

test('the example app: web=2 behind the router with Heroku headers, H12 on /slow with --router-timeout 1', async () => {
  const port = basePortFor(31);
  const example = copyApp();
  const run = runDyno(['start', '-d', example.app, 'web=2', 'worker=1', '-p', String(port), '--router-timeout', '1', '--timeout', '2'], {});
  try {
    await run.waitForLine(/web\.1 +\* State changed from starting to up/);
    await run.waitForLine(/web\.2 +\* State changed from starting to up/);
    const echo = await get(port, '/headers');
    const headers = JSON.parse(echo.body) as Record<string, string>;
    assert.match(headers['x-request-id'] ?? '', /^[0-9a-f-]{36}$/);
    assert.match(headers['x-request-start'] ?? '', /^\d{13}$/);
    assert.equal(headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(headers['x-forwarded-proto'], 'http');
    assert.match(headers.via ?? '', /1\.1 vegur/);
    const slow = await get(port, '/slow?s=2');
    assert.equal(slow.status, 503);
    const h12 = await run.waitForLine(/at=error code=H12 desc="Request timeout" method=GET path="\/slow\?s=2" .* dyno=web\.\d .*status=503 bytes=0 protocol=http/);
    assert.ok(h12);
    const dynos = new Set<string>();
    await waitFor(async () => {
      dynos.add((await get(port, '/')).body.match(/web\.\d/)?.[0] ?? '');
      return dynos.has('web.1') && dynos.has('web.2');
    }, { what: 'both web dynos answering', timeoutMs: 10_000 });
  } finally {
    run.signal('SIGINT');
    assert.equal(await run.exit, 0, run.stdout());
    await waitFor(() => survivorsIn(example.app).length === 0, { what: 'no example process left', timeoutMs: 3000 });
    example.cleanup();
  }
});

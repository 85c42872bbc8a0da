// The control server in-process with a fake formation: one reply per request, errors as replies, 0600,
// a second server refused while the first lives, pending requests answered on close, the file removed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import { request } from '../../../src/control/client.js';
import { ControlServer, type ControlTarget } from '../../../src/control/server.js';
import { DynoError } from '../../../src/core/errors.js';
import { LogBus } from '../../../src/logs/log-bus.js';
import { tempApp } from '../../helpers/temp-app.js';
import { waitFor } from '../../helpers/wait-for.js';

// Send raw lines on one connection; resolve with the first `count` reply lines.
function raw(file: string, text: string, count: number): Promise<Array<Record<string, unknown>>> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(file, () => socket.write(text));
    let buf = '';
    socket.on('data', (c) => {
      buf += c.toString();
      const lines = buf.split('\n').filter(Boolean);
      if (lines.length >= count) {
        socket.destroy();
        resolve(lines.map((l) => JSON.parse(l) as Record<string, unknown>));
      }
    });
    socket.on('error', reject);
  });
}

function fakeTarget(o: { restart?: () => Promise<string[]> } = {}): ControlTarget {
  return {
    bus: new LogBus(),
    control: {
      ps: () => ({ dynos: [], formation: { web: 1 } }),
      scale: async (args) => {
        if (args[0] === 'nosuch=1') throw new DynoError('UNKNOWN_TYPE', "Couldn't find that process type (nosuch).", { hint: 'the Procfile defines: web' });
        return { web: 3 };
      },
      restart: o.restart ?? (async () => ['web.1']),
      stop: async () => {
        throw new Error('boom');
      },
    },
  };
}

test('answers every request once, errors included, and refuses a second server while it lives', async () => {
  const app = tempApp();
  const server = await ControlServer.listen(app.dir);
  try {
    assert.equal(fs.statSync(server.path).mode & 0o777, 0o600);
    await assert.rejects(request(server.path, { verb: 'ps' }), (e: DynoError) => e.code === 'NOT_RUNNING' && /still starting/.test(e.message));
    assert.equal((await request(server.path, { verb: 'hello' })).pid, process.pid);
    server.attach(fakeTarget());
    assert.deepEqual(await request(server.path, { verb: 'scale', args: ['web=3'] }), { formation: { web: 3 } });
    await assert.rejects(request(server.path, { verb: 'scale', args: ['nosuch=1'] }), (e: DynoError) => e.code === 'UNKNOWN_TYPE' && e.hint === 'the Procfile defines: web');
    await assert.rejects(request(server.path, { verb: 'stop', target: 'web' }), (e: DynoError) => e.code === 'CONTROL_PROTOCOL' && /internal error in dyno start: boom/.test(e.message));
    const replies = await raw(server.path, '{"v":1,"id":1,"verb":"explode"}\nnot json\n{"v":1,"id":2,"verb":"ps"}\n', 3);
    const byId = new Map(replies.map((r) => [r.id, r]));
    assert.equal(replies.length, 3);
    assert.match(JSON.stringify(byId.get(1)), /"ok":false.*unknown verb \\"explode\\"/);
    assert.match(JSON.stringify(byId.get(null)), /"ok":false.*not JSON/);
    assert.equal(byId.get(2)?.ok, true);
    await assert.rejects(ControlServer.listen(app.dir), (e: DynoError) => e.code === 'ALREADY_RUNNING' && e.message.includes(`pid ${process.pid}`));
  } finally {
    await server.close();
    app.cleanup();
  }
});

test('close answers a request still running with NOT_RUNNING and removes the socket file', async () => {
  const app = tempApp();
  const server = await ControlServer.listen(app.dir);
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  server.attach(fakeTarget({ restart: () => (started(), new Promise<string[]>(() => undefined)) }));
  try {
    const pending = request(server.path, { verb: 'restart' }, { timeoutMs: Infinity });
    await running;
    await server.close();
    await assert.rejects(pending, (e: DynoError) => e.code === 'NOT_RUNNING' && /stopping/.test(e.message));
    assert.equal(fs.existsSync(server.path), false);
  } finally {
    app.cleanup();
  }
});

test('logs --follow: history in the reply, then only new matching lines, until the client leaves', async () => {
  const app = tempApp();
  const server = await ControlServer.listen(app.dir);
  const target = fakeTarget();
  const bus = target.bus as LogBus;
  server.attach(target);
  const line = (dyno: string, text: string) => ({ ts: Date.now(), source: 'app' as const, dyno, stream: 'stdout' as const, text });
  try {
    bus.publish(line('web.1', 'old-1'));
    bus.publish(line('worker.1', 'old-worker'));
    bus.publish(line('web.1', 'old-2'));
    const got: string[] = [];
    const stop = new AbortController();
    let history: string[] = [];
    const follow = request(server.path, { verb: 'logs', num: 1, type: 'web', follow: true }, {
      onReply: (body) => (history = (body.lines as Array<{ text: string }>).map((l) => l.text)),
      onLine: (l) => {
        got.push(l.text);
        if (l.text === 'new-2') stop.abort();
      },
      signal: stop.signal,
    });
    await waitFor(() => history.length > 0, { what: 'the logs reply' });
    bus.publish(line('web.2', 'new-1'));
    bus.publish(line('worker.1', 'skip'));
    bus.publish(line('web.1', 'new-2'));
    await follow;
    assert.deepEqual(history, ['old-2']);
    assert.deepEqual(got, ['new-1', 'new-2']);
  } finally {
    await server.close();
    app.cleanup();
  }
});

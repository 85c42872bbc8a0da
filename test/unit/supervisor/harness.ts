// Shared bits of the supervisor tests: fixture paths, dyno specs, a log collector, a fake clock, free ports.
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import type { DynoSpec, LogLine, LogSink } from '../../../src/core/types.js';
import { Supervisor, type SupervisorOptions } from '../../../src/supervisor/supervisor.js';
import { survivors } from '../../helpers/survivors.js';
import { waitFor } from '../../helpers/wait-for.js';

/** `node <fixture> <marker>` as a shell command. */
export function fixture(name: string, marker: string): string {
  const file = fileURLToPath(new URL(`../../fixtures/bin/${name}.js`, import.meta.url));
  return `'${process.execPath}' '${file}' ${marker}`;
}

/** A DynoSpec with sane defaults (`web.1`-style name from type and instance). */
export function spec(o: { type?: string; instance?: number; command: string; port?: number; env?: Record<string, string> }): DynoSpec {
  const type = o.type ?? 'worker';
  const instance = o.instance ?? 1;
  const port = o.port ?? 5000;
  const name = `${type}.${instance}`;
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', DYNO: name, PORT: String(port), ...o.env };
  return { name, type, instance, command: o.command, env, port };
}

/** A LogSink that keeps every line, with waits on them. */
export class Collector implements LogSink {
  readonly lines: LogLine[] = [];
  publish(line: LogLine): void {
    this.lines.push(line);
  }
  /** Texts of one dyno (or of all lines), in order. */
  texts(dyno?: string, source?: LogLine['source']): string[] {
    return this.lines.filter((l) => (dyno === undefined || l.dyno === dyno) && (!source || l.source === source)).map((l) => l.text);
  }
  count(re: RegExp, dyno?: string): number {
    return this.texts(dyno).filter((t) => re.test(t)).length;
  }
  /** Wait until `times` lines of `dyno` match. */
  async waitForLine(re: RegExp, o: { dyno?: string; times?: number; timeoutMs?: number } = {}): Promise<void> {
    const times = o.times ?? 1;
    await waitFor(() => this.count(re, o.dyno) >= times, {
      timeoutMs: o.timeoutMs ?? 5000,
      what: () => `${times}× ${re} from ${o.dyno ?? 'any dyno'}; got:\n${this.lines.map((l) => `${l.dyno} ${l.source}: ${l.text}`).join('\n')}`,
    });
  }
}

export { FakeClock } from '../../helpers/fake-clock.js';

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Something a failing test must not leave running. */
interface Leftover {
  stop(): Promise<void>;
  marker: string;
}
const leftovers: Leftover[] = [];

/** Remember a supervisor so that `cleanUp` (run afterEach) stops it even when an assertion failed. */
export function track<T extends { stop(): Promise<void> }>(sup: T, marker: string): T {
  leftovers.push({ stop: () => sup.stop(), marker });
  return sup;
}

/** Stop every tracked supervisor and SIGKILL whatever still carries its marker. */
export async function cleanUp(): Promise<void> {
  for (const { stop, marker } of leftovers.splice(0)) {
    await stop();
    for (const pid of survivors(marker)) process.kill(pid, 'SIGKILL');
  }
}

/** A tracked Supervisor in the temp dir with a 200 ms grace and Heroku restarts, unless `o` says otherwise. */
export function trackedSupervisor(bus: LogSink, marker: string, o: Partial<SupervisorOptions> = {}): Supervisor {
  return track(new Supervisor({ root: os.tmpdir(), bus, graceMs: 200, restart: 'heroku', ...o }), marker);
}

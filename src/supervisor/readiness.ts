// A web dyno is `up` only once 127.0.0.1:$PORT accepts a TCP connection (HEROKU.md §2.2, §2.4).
// This is the one poll in the supervisor: a connect attempt every `intervalMs`, bounded by a deadline.
import net from 'node:net';
import { systemClock, type Clock, type TimerHandle } from '../core/clock.js';

/** Options of waitForReadiness. */
export interface ReadinessOptions {
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Boot timeout: give up after this long (R10). */
  timeoutMs: number;
  /** Pause between refused attempts. Default 25. */
  intervalMs?: number;
  clock?: Clock;
  /** Abort the probe (the child exited, or the dyno is stopping). */
  signal?: AbortSignal;
}

export type ReadinessResult = 'up' | 'timeout' | 'aborted';

// One connect attempt: true if the port accepted.
function probeOnce(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Resolve `up` on the first accepted connection, `timeout` at the deadline, `aborted` on abort. */
export function waitForReadiness(o: ReadinessOptions): Promise<ReadinessResult> {
  const clock = o.clock ?? systemClock;
  const host = o.host ?? '127.0.0.1';
  return new Promise((resolve) => {
    let settled = false;
    let retry: TimerHandle | undefined;
    const finish = (result: ReadinessResult): void => {
      if (settled) return;
      settled = true;
      clock.clearTimeout(deadline);
      clock.clearTimeout(retry);
      o.signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const onAbort = (): void => finish('aborted');
    const attempt = (): void => {
      void probeOnce(o.port, host).then((ok) => {
        if (settled) return;
        if (ok) finish('up');
        else retry = clock.setTimeout(attempt, o.intervalMs ?? 25);
      });
    };
    const deadline = clock.setTimeout(() => finish('timeout'), o.timeoutMs);
    if (o.signal?.aborted) return finish('aborted');
    o.signal?.addEventListener('abort', onAbort);
    attempt();
  });
}

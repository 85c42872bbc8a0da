// One autocannon run against the router, cancellable: autocannon 9 (a well-kept HTTP/1.1 load
// generator) is bundled into dyno, so `dyno load` needs nothing installed.
import autocannon from 'autocannon';
import { DynoError } from '../core/errors.js';

export interface DriveOptions {
  url: string;
  connections: number;
  durationMs?: number;
  requests?: number;
  rate?: number;
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** Client-side give-up time; beyond the router's timeout so the router's H12 is what the client sees. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** What the client saw. */
export interface DriveResult {
  sent: number;
  responses: number;
  errors: number;
  timeouts: number;
  p50: number;
  p99: number;
}

/** Run autocannon until its duration or request count is done, or `signal` aborts (then what it had). */
export function driveLoad(o: DriveOptions): Promise<DriveResult> {
  return new Promise((resolve, reject) => {
    if (o.signal?.aborted) return resolve({ sent: 0, responses: 0, errors: 0, timeouts: 0, p50: 0, p99: 0 });
    const instance = autocannon(
      {
        url: o.url,
        connections: o.connections,
        ...(o.requests === undefined ? { duration: (o.durationMs ?? 10_000) / 1000 } : { amount: o.requests }),
        ...(o.rate === undefined ? {} : { overallRate: o.rate }),
        method: o.method,
        headers: o.headers,
        ...(o.body === undefined ? {} : { body: o.body }),
        timeout: Math.ceil(o.timeoutMs / 1000),
        pipelining: 1,
      },
      (err, r) => {
        o.signal?.removeEventListener('abort', stop);
        if (err) return reject(new DynoError('USAGE', `the load generator refused the run: ${err.message}`));
        resolve({ sent: r.requests.sent, responses: r.requests.total, errors: r.errors, timeouts: r.timeouts, p50: r.latency.p50, p99: r.latency.p99 });
      },
    );
    const stop = (): void => instance.stop();
    o.signal?.addEventListener('abort', stop, { once: true });
  });
}

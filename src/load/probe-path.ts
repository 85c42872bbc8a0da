// Before loading a path, ask for it once through the router: a 404 means the run would measure an
// error page, so `dyno load` stops with one line instead.
import http from 'node:http';
import { DynoError } from '../core/errors.js';

export interface ProbeOptions {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

/** The status of one request; USAGE on 404, NOT_RUNNING when the router does not answer. */
export function probePath(o: ProbeOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(o.url, { method: o.method, headers: o.headers, timeout: o.timeoutMs, agent: false }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode === 404) {
          const path = new URL(o.url).pathname + new URL(o.url).search;
          return reject(new DynoError('USAGE', `${o.method} ${path} answers 404 through the router: there is nothing to load there`, { hint: `check the path: curl -i ${o.method === 'GET' ? '' : `-X ${o.method} `}${o.url} shows what the app answers` }));
        }
        resolve(res.statusCode ?? 0);
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${o.timeoutMs / 1000} s`)));
    req.on('error', (err) => reject(new DynoError('NOT_RUNNING', `the router at ${new URL(o.url).origin} does not answer: ${err.message}`, { cause: err })));
    req.end(o.body);
  });
}

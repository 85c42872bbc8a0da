// Before anything starts: every dyno port must be free, or nothing starts at all.
import net from 'node:net';
import { DynoError } from '../core/errors.js';

// Try to bind the port on loopback; resolves true when it was free.
function isFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export async function assertPortsFree(ports: number[], host = '127.0.0.1'): Promise<void> {
  const results = await Promise.all(ports.map((port) => isFree(port, host)));
  const taken = ports.filter((_, i) => !results[i]);
  if (taken.length > 0) {
    throw new DynoError('PORT_IN_USE', `port${taken.length > 1 ? 's' : ''} ${taken.join(', ')} already in use`, {
      hint: 'another dyno start or server may be running; stop it, or pick another base port with -p',
    });
  }
}

// A host name as RFC 1123 spells it (labels of letters, digits and inner dashes).
const HOST_NAME = /^(?=.{1,253}\.?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

/** --router-host as typed → the host, if it is an IP address or a host name; else USAGE. */
export function parseRouterHost(value: string): string {
  const host = value.trim();
  if (net.isIP(host) !== 0 || HOST_NAME.test(host)) return host;
  const shown = JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
  const hint = /^\[.*\]$/.test(host) ? `write IPv6 addresses without brackets: --router-host ${host.slice(1, -1)}` : 'e.g. 127.0.0.1 (the default), 0.0.0.0 for every interface, or ::1';
  throw new DynoError('USAGE', `--router-host expects an IP address or a host name of this machine, got ${shown}`, { hint });
}

// What a failed bind of the router's address means, for the user.
const BIND_ERRORS: Record<string, (host: string) => string> = {
  EADDRNOTAVAIL: (host) => `--router-host ${host} is not an address of this machine`,
  ENOTFOUND: (host) => `--router-host ${host} does not resolve to an address`,
  EAI_AGAIN: (host) => `--router-host ${host} could not be resolved (no answer from DNS)`,
  EAI_FAIL: (host) => `--router-host ${host} could not be resolved`,
  EACCES: (host) => `--router-host ${host}: not allowed to listen there`,
  EAFNOSUPPORT: (host) => `--router-host ${host}: this machine does not support that address family`,
};

/** The router's host and port can be bound (by binding them once): else one DynoError, before anything starts. */
export function assertRouterBindable(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? '';
      if (code === 'EADDRINUSE') {
        reject(new DynoError('PORT_IN_USE', `router port ${port} on ${host} is already in use`, { hint: `stop what listens on ${port}, or pick another base port with -p` }));
      } else {
        const why = BIND_ERRORS[code]?.(host) ?? `--router-host ${host}: cannot listen (${code || err.message})`;
        reject(new DynoError('USAGE', why, { hint: 'use 127.0.0.1 (the default), 0.0.0.0, or an address `ip addr` lists', cause: err }));
      }
    });
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve()));
  });
}

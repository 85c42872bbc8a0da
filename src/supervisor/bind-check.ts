// A web dyno that listens only on 127.0.0.1 (or ::1) works locally but fails on Heroku, whose router
// reaches the dyno from outside (HEROKU.md §2.1). Linux only: read /proc/net/tcp and tcp6; elsewhere, silent.
import fs from 'node:fs';
import os from 'node:os';
import { parseProcNetTcp, pickLoopbackOnly } from './proc-net-tcp.js';

/** Reads one socket table, or null when it cannot (not Linux). */
export type ReadSocketTable = (path: string) => string | null;

function readTable(path: string): string | null {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** The loopback address `port` is bound to when it is bound to nothing else; null if fine or unknown. */
export function findLoopbackOnlyBind(port: number, read: ReadSocketTable = readTable): string | null {
  const littleEndian = os.endianness() === 'LE';
  const sockets = ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((path) => parseProcNetTcp(read(path) ?? '', littleEndian));
  return pickLoopbackOnly(sockets, port);
}

/** The warning, with the reason and the fix. */
export function formatBindWarning(dyno: string, address: string, port: number): string {
  const where = address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
  return (
    `warning: ${dyno} listens on ${where} only. That works here, but on Heroku the router connects from outside ` +
    `the dyno, so it would never see $PORT bound (R10): listen on 0.0.0.0 (Fir: ::), e.g. server.listen(process.env.PORT, '0.0.0.0')`
  );
}

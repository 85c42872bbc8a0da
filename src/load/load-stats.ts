// The `stats` verb: what `dyno load` samples from dyno start while it drives the router — the router's
// address and timeout, each dyno's state, RSS and CPU time of its whole process tree (one process-table
// read), and dyno start's own CPU time and RSS (the manager must leave the cores to the app).
import os from 'node:os';
import type { Formation } from '../core/types.js';
import type { DynoRow } from '../control/protocol.js';
import { readProcessTable } from '../supervisor/kill-tree.js';
import { treeCpuMs } from './tree-cpu.js';

/** Where `dyno load` sends its requests. */
export interface RouterAddress {
  /** `http://127.0.0.1:5006` (a wildcard listen address becomes loopback). */
  url: string;
  /** The first-byte timeout (H12), `--router-timeout`. */
  timeoutMs: number;
}

/** One dyno as `dyno load` samples it. */
export interface DynoStats {
  name: string;
  type: string;
  state: DynoRow['state'];
  pid: number | null;
  /** CPU ms of the run's process tree so far; null when unknown. */
  cpuMs: number | null;
  rssBytes: number | null;
}

/** The `stats` reply. */
export interface LoadStats {
  router: RouterAddress | null;
  /** Cores this machine offers (os.availableParallelism). */
  cores: number;
  /** dyno start itself: supervisor, log pipeline, router and control socket. */
  manager: { pid: number; cpuMs: number; rssBytes: number };
  dynos: DynoStats[];
  formation: Formation;
  /** When this was sampled (ms since the epoch). */
  at: number;
}

/** The router's address as a client reaches it. */
export function routerAddressOf(o: { host: string; port: number; timeoutMs: number }): RouterAddress {
  const host = o.host === '0.0.0.0' || o.host === '::' || o.host === '' ? '127.0.0.1' : o.host;
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${o.port}`, timeoutMs: o.timeoutMs };
}

/** Sample now: the ps rows plus each tree's CPU time, and dyno start's own usage. */
export function loadStats(ps: { dynos: DynoRow[]; formation: Formation }, router: RouterAddress | undefined): LoadStats {
  const table = readProcessTable();
  const usage = process.cpuUsage();
  return {
    router: router ?? null,
    cores: os.availableParallelism(),
    manager: { pid: process.pid, cpuMs: (usage.user + usage.system) / 1000, rssBytes: process.memoryUsage.rss() },
    dynos: ps.dynos.map((d) => ({
      name: d.name,
      type: d.type,
      state: d.state,
      pid: d.pid,
      cpuMs: d.pid === null || !table.exact ? null : treeCpuMs(d.pid, table),
      rssBytes: d.rssBytes,
    })),
    formation: ps.formation,
    at: Date.now(),
  };
}

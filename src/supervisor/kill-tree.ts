// The process table and "one signal per process" (HEROKU.md §2.5, issue 10). A run of a dyno is found
// three ways at once: its process group, the descendants of its root, and its run marker — the
// inherited environment variable DYNO_RUN_ID, read from /proc/<pid>/environ (or `ps e`), which finds
// setsid'd, double-forked and reparented processes too. A process that wipes its environment and
// leaves the group is the documented limit. The table is read synchronously, once per round.
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';

/** Where the process table comes from: Linux /proc, or the portable `ps` fallback (macOS). */
export type ProcessSource = 'proc' | 'ps';

/** The environment variable that marks every process of one run (inherited by everything it starts). */
export const RUN_MARKER = 'DYNO_RUN_ID';

/** ppid → pids of its live children. */
export type ChildrenMap = Map<number, number[]>;

/** Every process at one moment; zombies count as gone (PID 1 here may never reap them). */
export interface ProcessTable {
  children: ChildrenMap;
  /** Live (non-zombie) pids. */
  live: Set<number>;
  /** Process groups with at least one live member. */
  groups: Set<number>;
  /** Process group of each live pid. */
  pgids: Map<number, number>;
  /** Command name (comm) per live pid, where known. */
  names: Map<number, string>;
  /** Resident set size in KiB per live pid, where known (for the memory quota, --size). */
  rssKb: Map<number, number>;
  /** Run marker (DYNO_RUN_ID) per live pid, where readable (only when asked for). */
  runIds: Map<number, string>;
  /** False when neither /proc nor `ps` could be read: liveness then falls back to kill(pid, 0). */
  exact: boolean;
}

/** Options of readProcessTable. */
export interface ReadTableOptions {
  /** Default `proc` where /proc exists. */
  source?: ProcessSource;
  /** Also read each process's run marker (costs one environ read per process). */
  markers?: boolean;
}

/** One run of a dyno as the process table sees it. */
export interface RunRef {
  /** Pid of the run's root process (its descendants belong to the run). */
  root: number;
  /** The run's own process group, or 0 when it shares someone else's (dyno run, in the terminal's group). */
  pgid: number;
  /** Value of DYNO_RUN_ID given to the run. */
  runId: string;
}

function emptyTable(exact: boolean): ProcessTable {
  return { children: new Map(), live: new Set(), groups: new Set(), pgids: new Map(), names: new Map(), rssKb: new Map(), runIds: new Map(), exact };
}

// Record one process; `state` is the ps/proc state letter(s).
function addProcess(table: ProcessTable, fields: { pid: number; ppid: number; pgid: number; state: string; name?: string; rssKb?: number }): void {
  if (fields.state.startsWith('Z')) return;
  table.live.add(fields.pid);
  if (fields.name) table.names.set(fields.pid, fields.name);
  if (fields.rssKb !== undefined && Number.isFinite(fields.rssKb)) table.rssKb.set(fields.pid, fields.rssKb);
  table.groups.add(fields.pgid);
  table.pgids.set(fields.pid, fields.pgid);
  const list = table.children.get(fields.ppid);
  if (list) list.push(fields.pid);
  else table.children.set(fields.ppid, [fields.pid]);
}

/** The value of DYNO_RUN_ID in a NUL- (environ) or space-separated (`ps e`) environment, if any. */
export function runIdIn(env: string, separator: '\0' | ' '): string | undefined {
  const key = `${RUN_MARKER}=`;
  let start: number;
  if (env.startsWith(key)) start = key.length;
  else {
    const at = env.indexOf(`${separator}${key}`);
    if (at === -1) return undefined;
    start = at + 1 + key.length;
  }
  const end = env.indexOf(separator, start);
  return env.slice(start, end === -1 ? undefined : end) || undefined;
}

// From /proc/<pid>/stat: after the last ')' (comm may contain ') ') come state, ppid, pgrp, … and,
// 22nd, rss in pages (proc(5)). The marker from /proc/<pid>/environ (unreadable for other users' processes).
function readProcTable(entries: string[], pageKb: number, markers: boolean): ProcessTable {
  const table = emptyTable(true);
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone while we looked
    }
    const close = stat.lastIndexOf(')');
    const [state = '', ppid, pgid, ...rest] = stat.slice(close + 2).split(' ', 22);
    const name = stat.slice(stat.indexOf('(') + 1, close);
    const pid = Number(entry);
    addProcess(table, { pid, ppid: Number(ppid), pgid: Number(pgid), state, name, rssKb: Number(rest[18]) * pageKb });
    if (markers && table.live.has(pid)) readMarker(table, pid);
  }
  return table;
}

function readMarker(table: ProcessTable, pid: number): void {
  try {
    const id = runIdIn(fs.readFileSync(`/proc/${pid}/environ`, 'latin1'), '\0');
    if (id) table.runIds.set(pid, id);
  } catch {
    // gone, a kernel thread, or not ours to read
  }
}

function runPs(args: string[]): string | null {
  try {
    return execFileSync('ps', args, { encoding: 'latin1', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 256 * 1024 * 1024 });
  } catch {
    return null;
  }
}

/** Parse `ps -A -o pid=,ppid=,pgid=,stat=,rss=,comm=` (comm last: it may hold spaces; macOS prints a path). */
export function parsePsTable(out: string): ProcessTable {
  const table = emptyTable(true);
  for (const line of out.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\d+)\s?(.*)$/.exec(line);
    if (!m) continue;
    const comm = m[6]!.trim();
    const name = comm.slice(comm.lastIndexOf('/') + 1) || undefined;
    addProcess(table, { pid: Number(m[1]), ppid: Number(m[2]), pgid: Number(m[3]), state: m[4]!, name, rssKb: Number(m[5]) });
  }
  return table;
}

/** Run markers from `ps` with environments (`ps e` on Linux procps, `ps -E` on macOS): pid, command, env. */
export function parsePsMarkers(out: string, table: ProcessTable): void {
  for (const line of out.split('\n')) {
    const m = /^\s*(\d+)\s(.*)$/.exec(line);
    if (!m) continue;
    const pid = Number(m[1]);
    const id = runIdIn(m[2]!, ' ');
    if (id && table.live.has(pid)) table.runIds.set(pid, id);
  }
}

// From `ps` (macOS has no /proc): one call for the table, one more for the markers when asked.
function readPsTable(markers: boolean): ProcessTable {
  const out = runPs(['-A', '-o', 'pid=,ppid=,pgid=,stat=,rss=,comm=']);
  if (out === null) return emptyTable(false);
  const table = parsePsTable(out);
  if (markers) {
    const env = runPs(process.platform === 'darwin' ? ['-A', '-E', '-ww', '-o', 'pid=,command='] : ['-A', '-ww', '-o', 'pid=,args=', 'e']);
    if (env !== null) parsePsMarkers(env, table);
  }
  return table;
}

/**
 * The kernel page size in KiB from our own /proc/self/statm (RSS in pages, 2nd field) and
 * /proc/self/status (VmRSS in kB): their ratio rounded to a power of two (the two reads are not
 * atomic, so RSS may move a little in between); 4 when either is missing or garbled.
 */
export function pageKbFrom(statm: string, status: string): number {
  const pages = Number(statm.trim().split(/\s+/)[1]);
  const kb = Number(/VmRSS:\s*(\d+) kB/.exec(status)?.[1]);
  const ratio = kb / pages;
  return Number.isFinite(ratio) && ratio > 0 ? 2 ** Math.max(0, Math.round(Math.log2(ratio))) : 4;
}

// The page size, derived from our own /proc entries (no getconf process needed; two small reads).
function readPageKb(): number {
  try {
    return pageKbFrom(fs.readFileSync('/proc/self/statm', 'utf8'), fs.readFileSync('/proc/self/status', 'utf8'));
  } catch {
    return 4;
  }
}

/** Snapshot of every process. */
export function readProcessTable(o: ReadTableOptions = {}): ProcessTable {
  if (o.source === 'ps') return readPsTable(o.markers ?? false);
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return readPsTable(o.markers ?? false);
  }
  return readProcTable(entries, readPageKb(), o.markers ?? false);
}

/** Every descendant of `pid` in the snapshot (not `pid` itself). */
export function descendantsOf(pid: number, table: ProcessTable): number[] {
  const out: number[] = [];
  const stack = [pid];
  while (stack.length) {
    for (const child of table.children.get(stack.pop()!) ?? []) {
      out.push(child);
      stack.push(child);
    }
  }
  return out;
}

/** Live processes of a run: its group, the root and its descendants, and whatever carries its marker. */
export function runMembers(run: RunRef, table: ProcessTable): number[] {
  const out = new Set<number>();
  if (run.pgid > 1 && table.groups.has(run.pgid)) for (const [pid, pgid] of table.pgids) if (pgid === run.pgid) out.add(pid);
  if (table.live.has(run.root)) out.add(run.root);
  for (const pid of descendantsOf(run.root, table)) out.add(pid);
  for (const [pid, id] of table.runIds) if (id === run.runId) for (const p of [pid, ...descendantsOf(pid, table)]) out.add(p);
  out.delete(process.pid);
  return [...out];
}

/** process.kill that ignores "no such process" and "not permitted" (a pid reused by someone else). */
export function send(target: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(target, signal);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return false;
    if (code === 'EPERM') return signal === 0;
    throw err;
  }
}

/**
 * Send `signal` exactly once to every process of a run: once to its group (which reaches every group
 * member, and any child forked since the snapshot), then to each member outside the group. Returns
 * the members signalled.
 */
export function signalRun(run: RunRef, signal: NodeJS.Signals, table: ProcessTable): number[] {
  if (!Number.isInteger(run.root) || run.root <= 1) throw new Error(`refusing to signal process ${run.root}`);
  if (!table.exact) {
    if (run.pgid > 1) send(-run.pgid, signal);
    else send(run.root, signal);
    return [run.root];
  }
  const members = runMembers(run, table);
  const grouped = run.pgid > 1 && table.groups.has(run.pgid);
  if (grouped) send(-run.pgid, signal);
  for (const pid of members) if (!grouped || table.pgids.get(pid) !== run.pgid) send(pid, signal);
  return members;
}

/** True while the run has a live process. */
export function runAlive(run: RunRef, table: ProcessTable): boolean {
  if (!table.exact) return (run.pgid > 1 && send(-run.pgid, 0)) || send(run.root, 0);
  return runMembers(run, table).length > 0;
}

/** Shells: they die of SIGUSR1/SIGUSR2, so forwarded signals skip them (a shell that did not exec its command). */
const SHELLS = new Set(['sh', 'dash', 'bash', 'ash', 'ksh', 'zsh', 'busybox']);

/** Forward a signal (SIGUSR1/SIGUSR2) once to every process of each run except the shells that wrap commands. */
export function forwardSignal(runs: RunRef[], signal: NodeJS.Signals, table: ProcessTable): void {
  for (const run of runs) {
    for (const pid of runMembers(run, table)) if (!SHELLS.has(table.names.get(pid) ?? '')) send(pid, signal);
  }
}

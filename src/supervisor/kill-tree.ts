// Killing whole process trees (NODE-NOTES §4), in the verified order: snapshot the descendants while
// the root still lives → signal the process group → signal every pid of the snapshot. The snapshot is
// read synchronously from /proc (or one `ps` call where /proc is missing), once per round.
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';

/** ppid → pids of its live children. */
export type ChildrenMap = Map<number, number[]>;

/** Every process at one moment; zombies count as gone (PID 1 here may never reap them). */
export interface ProcessTable {
  children: ChildrenMap;
  /** Live (non-zombie) pids. */
  live: Set<number>;
  /** Process groups with at least one live member. */
  groups: Set<number>;
  /** Command name (comm) per live pid, where known. */
  names: Map<number, string>;
  /** Resident set size in KiB per live pid, where known (for the memory quota, --size). */
  rssKb: Map<number, number>;
  /** False when neither /proc nor `ps` could be read: liveness then falls back to kill(pid, 0). */
  exact: boolean;
}

/** Options of killTree. */
export interface KillTreeOptions {
  /** A snapshot shared by several kills in one round (read once if absent). */
  table?: ProcessTable;
  /** Pids from an earlier snapshot to signal as well (they may have left the tree since). */
  known?: number[];
}

function emptyTable(exact: boolean): ProcessTable {
  return { children: new Map(), live: new Set(), groups: new Set(), names: new Map(), rssKb: new Map(), exact };
}

// Record one process; `state` is the ps/proc state letter(s).
function addProcess(table: ProcessTable, fields: { pid: number; ppid: number; pgid: number; state: string; name?: string; rssKb?: number }): void {
  if (fields.state.startsWith('Z')) return;
  table.live.add(fields.pid);
  if (fields.name) table.names.set(fields.pid, fields.name);
  if (fields.rssKb !== undefined && Number.isFinite(fields.rssKb)) table.rssKb.set(fields.pid, fields.rssKb);
  table.groups.add(fields.pgid);
  const list = table.children.get(fields.ppid);
  if (list) list.push(fields.pid);
  else table.children.set(fields.ppid, [fields.pid]);
}

// From /proc/<pid>/stat: after the last ')' (comm may contain ') ') come state, ppid, pgrp, … and,
// 22nd, rss in pages (proc(5)).
function readProcTable(entries: string[], pageKb: number): ProcessTable {
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
    addProcess(table, { pid: Number(entry), ppid: Number(ppid), pgid: Number(pgid), state, name, rssKb: Number(rest[18]) * pageKb });
  }
  return table;
}

// From one `ps` call (macOS has no /proc).
function readPsTable(): ProcessTable {
  let out: string;
  try {
    out = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,pgid=,stat=,rss='], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return emptyTable(false);
  }
  const table = emptyTable(true);
  for (const line of out.split('\n')) {
    const [pid, ppid, pgid, state = '', rss] = line.trim().split(/\s+/);
    if (pid && ppid && pgid) addProcess(table, { pid: Number(pid), ppid: Number(ppid), pgid: Number(pgid), state, rssKb: Number(rss) });
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
export function readProcessTable(): ProcessTable {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return readPsTable();
  }
  return readProcTable(entries, readPageKb());
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

// process.kill that ignores "no such process" and "not permitted" (a pid reused by someone else).
function send(target: number, signal: NodeJS.Signals | 0): boolean {
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
 * Signal the tree of a detached child `root` (its pid is its pgid). Returns the pids signalled
 * besides the group (root, snapshot and known), to pass as `known` to a later, harder kill.
 */
export function killTree(root: number, signal: NodeJS.Signals, options: KillTreeOptions = {}): number[] {
  if (!Number.isInteger(root) || root <= 1) throw new Error(`refusing to signal process group ${root}`);
  const snapshot = descendantsOf(root, options.table ?? readProcessTable());
  send(-root, signal);
  const pids = [...new Set([root, ...snapshot, ...(options.known ?? [])])];
  for (const pid of pids) send(pid, signal);
  return pids;
}

/** killTree for many roots with one snapshot; returns every pid signalled besides the groups. */
export function killTrees(roots: number[], signal: NodeJS.Signals, known: number[] = []): number[] {
  if (!roots.length && !known.length) return [];
  const table = readProcessTable();
  const all = new Set<number>();
  for (const root of roots) for (const pid of killTree(root, signal, { table })) all.add(pid);
  for (const pid of known) if (!all.has(pid) && send(pid, signal)) all.add(pid);
  return [...all];
}

/** True while the group `root` or any of the `known` pids has a live process. */
export function treeAlive(root: number, known: number[], table: ProcessTable): boolean {
  if (!table.exact) return send(-root, 0) || known.some((pid) => send(pid, 0));
  return table.groups.has(root) || known.some((pid) => table.live.has(pid));
}

/** Shells: they die of SIGUSR1/SIGUSR2, so forwarded signals skip them (dash does not exec `sh -c cmd`). */
const SHELLS = new Set(['sh', 'dash', 'bash', 'ash', 'ksh', 'zsh', 'busybox']);

/** Forward a signal (SIGUSR1/SIGUSR2) to every process of each tree except the shells that wrap the commands. */
export function forwardSignal(roots: number[], signal: NodeJS.Signals): void {
  if (!roots.length) return;
  const table = readProcessTable();
  for (const root of roots) {
    for (const pid of [root, ...descendantsOf(root, table)]) {
      if (!SHELLS.has(table.names.get(pid) ?? '')) send(pid, signal);
    }
  }
}

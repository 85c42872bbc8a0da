// Shared by the benchmarks: run the built CLI and read its stdout line by line, as a user's pipe would.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const dynoBundle = path.join(root, 'dist/dyno.cjs');

// Benchmarks use fixed base ports below Linux's ephemeral range (32768–60999): a port held by one of
// the load generator's outgoing connections could not be listened on.

/** Spawn a command and call onLine for every stdout line (readline, like a line-by-line reader). */
export function spawnLines(cmd: string, args: string[], o: { cwd?: string; onLine(line: string): void }): ChildProcess {
  const child = spawn(cmd, args, { cwd: o.cwd, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NO_COLOR: '1' } });
  readline.createInterface({ input: child.stdout!, crlfDelay: Infinity }).on('line', o.onLine);
  return child;
}

/** Resolves when the child has exited. */
export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('close', (code) => resolve(code));
  });
}

/** Resident memory of a process in MB (from /proc). */
export function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}


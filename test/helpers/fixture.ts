// Paths to the fixture programs, ready to put in a Procfile.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from './run-dyno.js';

/** `node /abs/test/fixtures/bin/<name>.js <args…>` */
export function fixture(name: string, ...args: string[]): string {
  return ['node', path.join(projectRoot, 'test/fixtures/bin', `${name}.js`), ...args].join(' ');
}

/** Bases are 500 ports apart (router, then +100 per process type) in 10000–32499: below the ephemeral range. */
const SLOT_PORTS = 500;
const FIRST_PORT = 10_000;
const SLOTS = 45;
/** Base per seed, so a test asking twice gets the same range. */
const bases = new Map<number, number>();
const claimed: string[] = [];

// Claim a slot for this process with an exclusive lock file; a lock whose process is gone is taken over.
function claim(slot: number, retry = true): boolean {
  const file = path.join(os.tmpdir(), `dyno-test-ports-${slot}.lock`);
  try {
    fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
  } catch {
    let owner: number;
    try {
      owner = Number(fs.readFileSync(file, 'utf8')); // '' → 0 while its owner is still writing it: alive
    } catch {
      return retry && claim(slot, false); // released meanwhile
    }
    if (!retry || owner === process.pid || alive(owner)) return false;
    fs.rmSync(file, { force: true });
    return claim(slot, false);
  }
  if (!claimed.length) process.on('exit', () => claimed.forEach((f) => fs.rmSync(f, { force: true })));
  claimed.push(file);
  return true;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The base port (-p) of one test: its 500 ports are used by no other test process. Concurrent test
 * processes (parallel files, other runs on the machine) used to pick overlapping ranges, 100 apart while
 * each process type adds 100 ("port … already in use"). Ranges stay below 32768: every loopback client
 * socket (readiness probes, proxied requests) holds a random ephemeral port, for 60 s in TIME_WAIT, and
 * listening on such a port fails with EADDRINUSE.
 */
export function basePortFor(seed: number): number {
  const known = bases.get(seed);
  if (known !== undefined) return known;
  const first = (process.pid * 7 + seed * 13) % SLOTS;
  for (let i = 0; i < SLOTS; i++) {
    const slot = (first + i) % SLOTS;
    if (!claim(slot)) continue;
    bases.set(seed, FIRST_PORT + slot * SLOT_PORTS);
    return FIRST_PORT + slot * SLOT_PORTS;
  }
  throw new Error(`no free test port range: all ${SLOTS} lock files in ${os.tmpdir()} are held`);
}

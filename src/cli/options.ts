// Shared commander options of start/run/check/export: -d, -f, -e, -p and -m, turned into typed values.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { LoadAppOptions } from '../app/load-app.js';
import { DynoError } from '../core/errors.js';
import { assertPathFlag } from './writable-path.js';

/** The app options every app command accepts. */
export interface AppOptions {
  /** -d, --root: the app directory. */
  root?: string;
  /** -f, --procfile: the Procfile (relative to -d when given, else to the current directory). */
  procfile?: string;
  /** -e, --env: env files, accumulated over repeats and comma lists. */
  env?: string[];
  /** -p, --port: the base port, as typed (validated by resolveBasePort). */
  port?: string;
}

/** Commander accumulator: `-e a,b -e c` → ['a', 'b', 'c']. A value with no item in it is a usage error. */
export function collectList(value: string, previous: string[] | undefined): string[] {
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new DynoError('USAGE', `expected a comma-separated list, got ${JSON.stringify(value)}`);
  return [...(previous ?? []), ...items];
}

// -d of the app commands: a directory that exists (a one-off would otherwise fail to spawn in it).
function parseRootFlag(value: string): string {
  assertPathFlag('-d', value);
  const stat = fs.statSync(path.resolve(value), { throwIfNoEntry: false });
  if (!stat) throw new DynoError('USAGE', `-d ${JSON.stringify(value)}: no such directory`);
  if (!stat.isDirectory()) throw new DynoError('USAGE', `-d ${JSON.stringify(value)} is not a directory`);
  return value;
}

// A path flag (-f, and -d of the control clients): not blank, not too long.
const pathFlag = (flag: string) => (value: string): string => (assertPathFlag(flag, value), value);

// -p: the base port; blank is an error here, the range is checked by resolveBasePort.
function parsePortFlag(value: string): string {
  if (value.trim() === '') throw new DynoError('USAGE', `-p/--port expects a port number, got ${JSON.stringify(value)}`);
  return value;
}

/** Add -d, -f, -e, -p. No defaults here, so the loader can tell what the user gave. */
export function addAppOptions(cmd: Command): Command {
  return cmd
    .option('-d, --root <dir>', "app directory (default: the Procfile's directory with -f, else the current directory)", parseRootFlag)
    .option('-f, --procfile <file>', 'Procfile to use (default: Procfile in the app directory)', pathFlag('-f'))
    .option('-e, --env <files>', 'env files, comma-separated or repeated, later wins (default: .env when present)', collectList)
    .option('-p, --port <port>', 'base port (default: PORT from env files, else from the shell, else 5006)', parsePortFlag);
}

/** Add -m, --formation (repeatable; comma lists allowed), accumulated as raw tokens for parseFormation. */
export function addFormationOption(cmd: Command): Command {
  return cmd.option('-m, --formation <formation>', 'dynos per type, e.g. web=2,worker=1 or all=2 (repeatable)', collectList);
}

/** LoadAppOptions from parsed app options. */
export function toLoadAppOptions(opts: AppOptions, o: { cwd: string; shellEnv: Record<string, string | undefined> }): LoadAppOptions {
  return { cwd: o.cwd, root: opts.root, procfile: opts.procfile, envFiles: opts.env, shellEnv: o.shellEnv };
}

/** Add -d and -f only: the control clients (ps, scale, logs…) need the app root, not its env or ports. */
export function addRootOptions(cmd: Command): Command {
  return cmd
    .option('-d, --root <dir>', "app directory of the running dyno start (default: the Procfile's directory with -f, else the current directory)", pathFlag('-d'))
    .option('-f, --procfile <file>', 'its Procfile (locates the app directory)', pathFlag('-f'));
}

/** A dyno or process type named positionally, or with Heroku's ps:restart/ps:stop flags. */
export interface TargetOptions {
  /** --dyno-name, --dyno: one dyno (web.1). */
  dyno?: string;
  /** -p, --process-type: one process type (web). */
  processType?: string;
}

/** Add Heroku's target flags of ps:restart and ps:stop (-d is the app root here, so the dyno is --dyno). */
export function addTargetOptions(cmd: Command, verb: string): Command {
  return cmd.option('--dyno-name, --dyno <dyno>', `the dyno to ${verb} (web.1)`).option('-p, --process-type <type>', `the process type to ${verb} (web)`);
}

/** The targets named, positional first: none, one, or (a usage error for the caller) several. */
export function targetsOf(positional: string | undefined, opts: TargetOptions): string[] {
  return [positional, opts.dyno, opts.processType].filter((t): t is string => t !== undefined);
}

// The body of POST /api/load → the `dyno load` arguments of the run. Pure. It checks what the form
// sends (field types, numbers, the path's shape); what needs the running formation (a known type, the
// dyno limit) or the router (a path that answers 404) is checked by `dyno load` itself, the same
// checks and messages as on the command line.
import { DynoError } from '../core/errors.js';
import { parseDuration } from '../cli/parse-duration.js';
import { MAX_CONNECTIONS } from '../load/load-plan.js';

/** A load or a sweep as the page asks for it (JSON-ready: the runner shows it back). */
export interface LoadRequest {
  path: string;
  connections: number;
  durationMs: number;
  warmupMs: number;
  /** A sweep: the type and its counts from..to. */
  sweep?: { type: string; from: number; to: number };
}

/** Longest measured phase the dashboard starts (per count). */
export const MAX_DASHBOARD_DURATION_MS = 10 * 60_000;
/** Highest count a sweep names (the dyno limit is checked against the formation by dyno load). */
const MAX_COUNT = 9999;

const usage = (message: string): DynoError => new DynoError('USAGE', message);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const shown = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v) : JSON.stringify(v) ?? String(v));

// A whole number given as a number or as the digits a form field holds.
function wholeNumber(v: unknown, name: string, min: number, max: number): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw usage(`${name} must be a whole number from ${min} to ${max}, got ${shown(v)}`);
  return n;
}

// A duration as the CLI spells it ("2s", "500ms", "1m"; a bare number is seconds).
function duration(v: unknown, name: string, fallback: string, min: number): number {
  const text = v === undefined || v === '' ? fallback : typeof v === 'number' ? String(v) : v;
  if (typeof text !== 'string') throw usage(`${name} must be a duration such as 2s or 500ms, got ${shown(v)}`);
  const ms = parseDuration(text, name);
  if (ms < min || ms > MAX_DASHBOARD_DURATION_MS) throw usage(`${name} must be from ${min} ms to ${MAX_DASHBOARD_DURATION_MS / 60_000} min, got ${shown(v)}`);
  return ms;
}

/** Check the body; USAGE with one line naming the field otherwise. */
export function parseLoadRequest(body: unknown): LoadRequest {
  if (!isObject(body)) throw usage('the body must be a JSON object');
  const { path, sweep } = body;
  if (typeof path !== 'string' || !/^\/[\x21-\x7e]*$/.test(path) || path.length > 2000) {
    throw usage(`path must start with "/" and hold no spaces, e.g. /api/items, got ${shown(path)}`);
  }
  const request: LoadRequest = {
    path,
    connections: wholeNumber(body.connections ?? 10, 'connections', 1, MAX_CONNECTIONS),
    durationMs: duration(body.duration, 'duration', '10s', 100),
    warmupMs: duration(body.warmup, 'warm-up', '2s', 0),
  };
  if (sweep === undefined || sweep === null) return request;
  if (!isObject(sweep)) throw usage('sweep must be an object: {"type": "web", "from": 1, "to": 3}');
  if (typeof sweep.type !== 'string' || !/^[\w-]{1,63}$/.test(sweep.type)) throw usage(`sweep type must be a process type name, got ${shown(sweep.type)}`);
  const from = wholeNumber(sweep.from, 'sweep from', 0, MAX_COUNT);
  const to = wholeNumber(sweep.to ?? sweep.from, 'sweep to', 0, MAX_COUNT);
  request.sweep = { type: sweep.type, from, to };
  return request;
}

/** The `dyno load` arguments for the request (after `load`). */
export function formatLoadArgs(r: LoadRequest): string[] {
  const args = [r.path, '-c', String(r.connections), '-d', `${r.durationMs}ms`, '--warmup', `${r.warmupMs}ms`];
  return r.sweep ? [...args, '--sweep', `${r.sweep.type}=${r.sweep.from}..${r.sweep.to}`] : args;
}

// The dashboard's load runs: one at a time, each a `dyno load --ndjson` child process (spawn-load.ts)
// against this dyno start's control socket, exactly what the CLI does. The run's state follows the
// child's events (started → step-started / row-measured … → reported) and is handed to subscribers (the
// event stream). Stop is the CLI's Ctrl-C (SIGINT: a sweep restores the formation it found); a child
// that dies without restoring (killed, crashed) has the swept type scaled back here.
import { DynoError } from '../core/errors.js';
import type { Formation } from '../core/types.js';
import type { WireError } from '../control/protocol.js';
import type { ControlTarget } from '../control/server.js';
import type { LoadReport, LoadStep } from '../load/load-report.js';
import { formatSingle, formatSweep } from '../load/render-load.js';
import { spawnLoad, type LoadChild, type LoadEvent, type SpawnLoadOptions } from '../load/spawn-load.js';
import { formatLoadArgs, type LoadRequest } from './parse-load-request.js';

/** starting (checks, probe) → running → finished; stopping → stopped; failed at any point. */
export type LoadRunState = 'starting' | 'running' | 'stopping' | 'finished' | 'stopped' | 'failed';

/** One run as the page sees it (JSON-ready). */
export interface LoadRun {
  id: number;
  state: LoadRunState;
  request: LoadRequest;
  startedAt: number;
  endedAt: number | null;
  /** The formation found at the start. */
  formation: Formation;
  /** A sweep's counts, once dyno load has checked them. */
  counts: number[] | null;
  /** The phase under way: which count is being measured. */
  step: LoadStep | null;
  /** A sweep's rows measured so far (SweepRow). */
  rows: Array<Record<string, unknown>>;
  /** The final report (LoadReport), also when stopped. */
  report: Record<string, unknown> | null;
  /** The report as `dyno load` prints it (table, text chart, verdict). */
  text: string | null;
  error: WireError | null;
  /** The formation after the run (a sweep restores the one found). */
  restored: Formation | null;
}

export interface LoadRunnerOptions {
  /** The app directory (dyno load's --root). */
  root: string;
  control: Pick<ControlTarget['control'], 'ps' | 'scale'>;
  /** The dyno binary to run (tests); default this one. */
  argv?: string[];
  /** After Stop, how long dyno load has to restore and exit before it is killed (default 15 s). */
  stopGraceMs?: number;
  spawn?: (o: SpawnLoadOptions) => LoadChild;
}

export class LoadRunner {
  private run: LoadRun | null = null;
  private child: LoadChild | null = null;
  private ended: Promise<void> = Promise.resolve();
  private nextId = 1;
  private readonly listeners = new Set<(run: LoadRun) => void>();

  constructor(private readonly o: LoadRunnerOptions) {}

  /** The current or last run, null before the first. */
  current(): LoadRun | null {
    return this.run && { ...this.run, rows: [...this.run.rows] };
  }

  /** Called with the run on every change; returns the unsubscribe function. */
  subscribe(fn: (run: LoadRun) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Start a run; resolves once dyno load has checked it and begun, or throws its error (ALREADY_RUNNING while one runs). */
  async start(request: LoadRequest): Promise<LoadRun> {
    if (this.child && this.run) {
      const what = this.run.request.sweep ? `a sweep of ${this.run.request.sweep.type}=${this.run.request.sweep.from}..${this.run.request.sweep.to}` : `a load of ${this.run.request.path}`;
      throw new DynoError('ALREADY_RUNNING', `a load run is already running (${what}, started at ${new Date(this.run.startedAt).toTimeString().slice(0, 8)}): one at a time`, { hint: 'wait for it to finish, or stop it first' });
    }
    const run: LoadRun = {
      id: this.nextId++, state: 'starting', request, startedAt: Date.now(), endedAt: null, formation: this.o.control.ps().formation,
      counts: null, step: null, rows: [], report: null, text: null, error: null, restored: null,
    };
    this.run = run;
    let begun!: () => void;
    const started = new Promise<void>((resolve) => (begun = resolve));
    const child = (this.o.spawn ?? spawnLoad)({ args: formatLoadArgs(request), root: this.o.root, argv: this.o.argv, onEvent: (e) => this.onEvent(run, e, begun) });
    this.child = child;
    this.ended = child.exit.then((exit) => this.onExit(run, exit));
    this.changed();
    await Promise.race([started, this.ended]);
    if (run.state === 'failed') throw new DynoError(run.error!.code, run.error!.message, { hint: run.error!.hint });
    return this.current()!;
  }

  /** Stop the run as Ctrl-C stops dyno load; resolves with the run once it has ended (formation restored). */
  async stop(): Promise<LoadRun> {
    const child = this.child;
    if (!child || !this.run) throw new DynoError('NOT_RUNNING', 'no load run is running', { hint: 'start one first' });
    this.run.state = 'stopping';
    this.changed();
    await this.end(child);
    return this.current()!;
  }

  /** dyno start is stopping: end a run that is still going. */
  async close(): Promise<void> {
    if (this.child) await this.end(this.child);
  }

  // SIGINT, then SIGKILL after the grace; resolves when the run has ended.
  private async end(child: LoadChild): Promise<void> {
    child.interrupt();
    const timer = setTimeout(() => child.kill(), this.o.stopGraceMs ?? 15_000);
    await this.ended;
    clearTimeout(timer);
  }

  private onEvent(run: LoadRun, e: LoadEvent, begun: () => void): void {
    if (e.type === 'started') {
      if (run.state === 'starting') run.state = 'running';
      const sweep = e.sweep as { counts?: number[] } | undefined;
      run.counts = sweep?.counts ?? null;
      begun();
    } else if (e.type === 'step-started') run.step = { phase: e.phase as LoadStep['phase'], ...(typeof e.count === 'number' ? { count: e.count } : {}), text: String(e.text) };
    else if (e.type === 'row-measured') run.rows.push(e.row as Record<string, unknown>);
    else if (e.type === 'reported') {
      run.report = e.report as Record<string, unknown>;
      const report = e.report as unknown as LoadReport;
      run.text = renderText(report);
      run.restored = (run.report.restored as Formation | undefined) ?? null;
    } else if (e.type === 'failed') run.error = e.error as WireError;
    else return;
    this.changed();
  }

  // The child is gone: settle the run's state, and restore the swept type if dyno load could not.
  private async onExit(run: LoadRun, exit: { code: number; stderr: string }): Promise<void> {
    this.child = null;
    if (!run.error && !run.report) {
      const said = exit.stderr.trim().split('\n').find((l) => l.startsWith('dyno: '))?.slice(6);
      run.error = { code: 'CONTROL_PROTOCOL', message: `dyno load ended with status ${exit.code} before its report${said ? `: ${said}` : ''}` };
    }
    run.state = run.error ? 'failed' : run.state === 'stopping' || exit.code === 130 ? 'stopped' : 'finished';
    const sweep = run.request.sweep;
    if (sweep && run.state !== 'finished') {
      const want = run.formation[sweep.type] ?? 0;
      const now = this.o.control.ps().formation;
      if (sweep.type in now && now[sweep.type] !== want) await this.o.control.scale([`${sweep.type}=${want}`]).catch(() => undefined);
      run.restored = this.o.control.ps().formation;
    }
    run.endedAt = Date.now();
    this.changed();
  }

  private changed(): void {
    const run = this.current();
    if (run) for (const fn of this.listeners) fn(run);
  }
}

// The report as the terminal shows it; null rather than a crash of dyno start on a report it cannot read.
function renderText(report: LoadReport): string | null {
  try {
    return report.kind === 'sweep' ? formatSweep(report) : formatSingle(report);
  } catch {
    return null;
  }
}

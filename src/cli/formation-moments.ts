// The two moments of a run worth one line each: the formation is up (how long it took, and where the
// router listens), and the formation stopped (uptime, restarts, crashes, router H-codes seen).
import type { Clock } from '../core/clock.js';
import type { DynoState, LogLine, LogSink } from '../core/types.js';
import { formatUptime } from '../control/format-ps.js';
import { dynoNotice } from '../logs/log-line.js';
import type { DynoStatus, SupervisorEvent } from '../supervisor/supervisor.js';

/** What the moments watch. */
export interface FormationMomentsOptions {
  supervisor: { on(listener: (e: SupervisorEvent) => void): () => void; list(): DynoStatus[] };
  bus: LogSink & { subscribe(sink: (line: LogLine) => void): () => void };
  clock: Clock;
  /** `http://127.0.0.1:5006`; absent with --no-router. */
  routerUrl?: string;
}

/** Counts over one run, for the summary line. */
export interface RunCounts {
  uptimeMs: number;
  restarts: number;
  crashes: number;
  /** H-code → times seen in router lines. */
  codes: Record<string, number>;
}

// A dyno that reached one of these has finished starting (a --can-die dyno may be complete already).
const SETTLED: ReadonlySet<DynoState> = new Set(['up', 'complete']);

/** `All 3 dynos up in 1.2s: http://127.0.0.1:5006` */
export function formatUpLine(dynos: number, ms: number, routerUrl: string | undefined): string {
  const took = ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : formatUptime(ms);
  return `All ${dynos} dyno${dynos === 1 ? '' : 's'} up in ${took}${routerUrl ? `: ${routerUrl}` : ' (no router)'}`;
}

/** `Stopped after 3m12s: 2 restarts, 1 crash, H-codes H12×3 H13×1` */
export function formatSummaryLine(c: RunCounts): string {
  const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
  const codes = Object.entries(c.codes).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })).map(([code, n]) => `${code}×${n}`);
  return `Stopped after ${formatUptime(c.uptimeMs)}: ${plural(c.restarts, 'restart', 'restarts')}, ${plural(c.crashes, 'crash', 'crashes')}, ${codes.length ? `H-codes ${codes.join(' ')}` : 'no H-codes'}`;
}

export class FormationMoments {
  private readonly startedAt: number;
  private announced = false;
  private armed = false;
  private readonly counts: Omit<RunCounts, 'uptimeMs'> = { restarts: 0, crashes: 0, codes: {} };
  private readonly off: Array<() => void>;

  constructor(private readonly o: FormationMomentsOptions) {
    this.startedAt = o.clock.now();
    this.off = [o.supervisor.on((e) => this.observe(e)), o.bus.subscribe((line) => this.countCode(line))];
  }

  /** The whole formation has been asked for (apply() returned): from now on its being up is announced. */
  arm(): void {
    this.armed = true;
    this.announceIfUp();
  }

  /** Publish the summary line and stop watching. */
  finish(): void {
    for (const off of this.off.splice(0)) off();
    this.o.bus.publish(dynoNotice(this.o.clock.now(), formatSummaryLine({ ...this.counts, uptimeMs: this.o.clock.now() - this.startedAt })));
  }

  private observe(e: SupervisorEvent): void {
    if (e.type !== 'state-changed') return;
    if (e.to === 'crashed') this.counts.crashes++;
    if (e.to === 'starting' && e.from !== 'down') this.counts.restarts++;
    if (SETTLED.has(e.to)) this.announceIfUp();
  }

  // Before arm(), apply() may still be spawning: the dynos listed so far are not the formation.
  private announceIfUp(): void {
    if (this.announced || !this.armed) return;
    const dynos = this.o.supervisor.list();
    if (!dynos.length || !dynos.every((d) => SETTLED.has(d.state))) return;
    this.announced = true;
    this.o.bus.publish(dynoNotice(this.o.clock.now(), formatUpLine(dynos.length, this.o.clock.now() - this.startedAt, this.o.routerUrl)));
  }

  private countCode(line: LogLine): void {
    if (line.dyno !== 'router' || line.source !== 'heroku') return;
    const code = /\bcode=(H\d+)\b/.exec(line.text)?.[1];
    if (code) this.counts.codes[code] = (this.counts.codes[code] ?? 0) + 1;
  }
}

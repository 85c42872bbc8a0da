// The dashboard's one server-sent-events stream. On connect: a `snapshot` (types, formation, dynos,
// metrics, recent logs, the load run). Then: `logs` (new lines, batched every 100 ms), `dynos` (every second and
// at once on a state change), `metrics` (every second) and `load` (the load run, on each of its changes). Timers and the LogBus subscription run
// only while a page is connected. The stream is a subscriber that may fall behind, bounded: a batch keeps
// at most MAX_BATCH_LINES lines, and a page holding more than MAX_BUFFER_BYTES unread gets no events until
// it catches up; lines dropped either way are counted in one L10 line (HEROKU.md §4) sent before the next batch.
import type { ServerResponse } from 'node:http';
import type { Formation, LogLine } from '../core/types.js';
import { DropCounter } from '../logs/drop-counter.js';
import type { DynoRow } from '../control/protocol.js';
import type { ControlTarget } from '../control/server.js';
import { formatRss, formatUptime } from '../control/format-ps.js';
import type { Metrics } from './metrics.js';
import type { LoadRunner } from './load-runner.js';

/** What the page needs once to draw the resources. */
export interface DashboardInfo {
  /** The app directory, for the title. */
  root: string;
  /** Heroku's limit of dynos per app (the sliders' total). */
  maxDynos: number;
  /** Scalable types in Procfile order, with their command and terminal colour. */
  types: Array<{ name: string; command: string; colour: string }>;
  /** CSS colour of every Procfile type (release included), as the terminal prints it. */
  colours: Record<string, string>;
  /** CSS colours for types that log without being in the Procfile, in order of appearance. */
  palette: string[];
  /** The app's URL (the router), linked from the page; absent with --no-router. */
  appUrl?: string;
}

export interface EventStreamOptions {
  target: ControlTarget;
  metrics: Metrics;
  info: DashboardInfo;
  /** Calls `fn` whenever a dyno changes state; returns the unsubscribe function. */
  onChange?: (fn: () => void) => () => void;
  /** Period of the dynos/metrics events (default 1000 ms). */
  intervalMs?: number;
  /** The dashboard's load runs (progress goes out as `load` events). */
  runner?: LoadRunner;
}

/** Recent lines sent with the snapshot. */
const SNAPSHOT_LINES = 300;
const LOG_BATCH_MS = 100;
/** A page whose socket holds more than this unread gets nothing more until it has read it. */
const MAX_BUFFER_BYTES = 4 * 1024 * 1024;
/** Lines one batch keeps; a browser has no use for more than this many per 100 ms. */
const MAX_BATCH_LINES = 2000;

export class EventStream {
  /** Each page, with the lines it missed while it was behind. */
  private readonly clients = new Map<ServerResponse, DropCounter>();
  private pending: LogLine[] = [];
  private readonly batchDrops = new DropCounter();
  private stopFeeds: Array<() => void> = [];
  private logTimer: NodeJS.Timeout | undefined;

  constructor(private readonly o: EventStreamOptions) {}

  /** Serve one page: headers, snapshot, then the live events until it leaves. */
  add(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    res.write('retry: 1000\n\n');
    this.clients.set(res, new DropCounter());
    res.once('close', () => this.remove(res));
    if (this.clients.size === 1) this.startFeeds();
    const logs = this.o.target.bus.recent(SNAPSHOT_LINES);
    this.send(res, 'snapshot', { ...this.o.info, ...this.dynos(), metrics: this.o.metrics.snapshot(), logs, load: this.o.runner?.current() ?? null });
  }

  /** End every stream (dyno start is stopping). */
  close(): void {
    for (const res of this.clients.keys()) res.end();
    this.clients.clear();
    this.stopAll();
  }

  private remove(res: ServerResponse): void {
    if (this.clients.delete(res) && this.clients.size === 0) this.stopAll();
  }

  // While anyone listens: follow the bus, tick every interval, push dynos on state changes.
  private startFeeds(): void {
    const tick = setInterval(() => {
      this.broadcast('dynos', this.dynos());
      this.broadcast('metrics', this.o.metrics.snapshot());
    }, this.o.intervalMs ?? 1000);
    tick.unref();
    let changed: NodeJS.Immediate | undefined;
    const offChange = this.o.onChange?.(() => {
      changed ??= setImmediate(() => {
        changed = undefined;
        this.broadcast('dynos', this.dynos());
      });
    });
    const offBus = this.o.target.bus.subscribe((line) => this.queue(line));
    const offLoad = this.o.runner?.subscribe((run) => this.broadcast('load', run));
    const offReport = this.o.target.loads?.subscribe((entry) => this.broadcast('load-report', entry)); // a `dyno load` from a terminal
    this.stopFeeds = [() => clearInterval(tick), () => clearImmediate(changed), offBus, ...[offChange, offLoad, offReport].filter((f) => f !== undefined)];
  }

  // `dyno ps` as data, with uptime and memory spelled as `dyno ps` prints them.
  private dynos(): { formation: Formation; dynos: Array<DynoRow & { uptime: string; rss: string }> } {
    const { dynos, formation } = this.o.target.control.ps();
    return { formation, dynos: dynos.map((d) => ({ ...d, uptime: formatUptime(d.uptimeMs), rss: formatRss(d.rssBytes) })) };
  }

  private stopAll(): void {
    for (const stop of this.stopFeeds) stop();
    this.stopFeeds = [];
    clearTimeout(this.logTimer);
    this.logTimer = undefined;
    this.pending = [];
  }

  private queue(line: LogLine): void {
    if (this.pending.length < MAX_BATCH_LINES) this.pending.push(line);
    else this.batchDrops.drop(line);
    this.logTimer ??= setTimeout(() => this.sendLogs(), LOG_BATCH_MS);
  }

  // One `logs` event per page: an L10 line first if the page (or the batch) lost lines, then the batch.
  private sendLogs(): void {
    this.logTimer = undefined;
    const now = Date.now();
    const overflow = this.batchDrops.take(now);
    const lines = overflow ? [...this.pending, overflow] : this.pending;
    this.pending = [];
    const text = frame('logs', lines);
    for (const [res, drops] of this.clients) {
      if (res.writableLength > MAX_BUFFER_BYTES) {
        for (const line of lines) drops.drop(line);
        continue;
      }
      const missed = drops.take(now);
      this.send(res, 'logs', lines, missed ? frame('logs', [missed, ...lines]) : text);
    }
  }

  private broadcast(event: string, data: unknown): void {
    const text = frame(event, data);
    for (const res of this.clients.keys()) this.send(res, event, data, text);
  }

  // A page that is behind skips this event (dynos and metrics come again next second).
  private send(res: ServerResponse, event: string, data: unknown, text = frame(event, data)): void {
    if (res.writableLength > MAX_BUFFER_BYTES) return;
    res.write(text);
  }
}

// One SSE frame; JSON never contains a raw newline, so `data:` is one line.
function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

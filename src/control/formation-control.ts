// What the control verbs do to a running formation: `ps` (with each tree's RSS), `scale`, rolling
// `restart`, and `stop` (Heroku: a stopped formation dyno is started again by the manager, §2.5).
// The control server dispatches here; this owns the current formation.
import os from 'node:os';
import { formatFormation } from '../app/formation.js';
import { systemClock, type Clock } from '../core/clock.js';
import { DynoError } from '../core/errors.js';
import type { DynoSpec, Formation, LogSink, ProcessType } from '../core/types.js';
import { readProcessTable } from '../supervisor/kill-tree.js';
import { treeRssMb } from '../supervisor/memory-monitor.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import { parseScale } from './parse-scale.js';
import type { DynoRow } from './protocol.js';

export interface FormationControlOptions {
  /** The dyno limit of this run (--max-dynos; default Heroku's 100). */
  maxDynos?: number;
  supervisor: Supervisor;
  /** The Procfile's types: their order sorts `ps`; their names are what `scale` accepts. */
  types: ProcessType[];
  /** The formation running now, every scalable type present (0 for those not running). */
  formation: Formation;
  /** Formation → specs, with the same ports as at start (expandFormation). */
  expand(formation: Formation): DynoSpec[];
  bus: LogSink;
  clock?: Clock;
  /** Heroku's spelling of a type's size for `Scaled to web@2:Standard-1X` (default `Standard-1X`). */
  sizeOf?: (type: string) => string;
}

export class FormationControl {
  private formation: Formation;
  private readonly clock: Clock;
  /** Scale and stop run one at a time: both rewrite the formation the supervisor applies. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: FormationControlOptions) {
    this.formation = { ...o.formation };
    this.clock = o.clock ?? systemClock;
  }

  /** One row per dyno (Procfile order, then instance) and the formation; one process-table read. */
  ps(): { dynos: DynoRow[]; formation: Formation } {
    const table = readProcessTable();
    const now = this.clock.now();
    const order = new Map(this.o.types.map((t) => [t.name, t.index]));
    const dynos = this.o.supervisor.list().map((s): DynoRow => ({
      name: s.name,
      type: s.type,
      state: s.state,
      pid: s.pid,
      port: s.port,
      uptimeMs: s.startedAt === null ? null : Math.max(0, Math.round(now - s.startedAt)),
      restarts: s.restarts,
      rssBytes: s.pid === null || !table.exact || !table.live.has(s.pid) ? null : Math.round(treeRssMb(s.pid, table) * 1024 * 1024),
      ...(s.memoryQuotaMb === undefined ? {} : { memoryQuotaMb: s.memoryQuotaMb }),
      ...(s.exitStatus === undefined ? {} : { exitStatus: s.exitStatus }),
      command: s.command,
    }));
    const instance = (name: string): number => Number(name.slice(name.lastIndexOf('.') + 1));
    dynos.sort((a, b) => (order.get(a.type) ?? 0) - (order.get(b.type) ?? 0) || instance(a.name) - instance(b.name));
    return { dynos, formation: { ...this.formation } };
  }

  /** Apply `args` (ps:scale grammar); nothing changes when any token is wrong. Resolves with the new formation. */
  scale(args: string[]): Promise<Formation> {
    return this.serially(() => {
      const next = parseScale(args, this.formation, this.o.types, this.o.maxDynos);
      const specs = this.o.expand(next);
      if (args.length === 0) return { ...this.formation };
      this.formation = next;
      this.o.supervisor.apply(specs);
      this.announce(`Scaled to ${scaledTo(next, this.o.sizeOf ?? (() => 'Standard-1X'))} by user ${userName()}`);
      return { ...next };
    });
  }

  /** Rolling restart of every dyno, a type or one dyno; resolves when done, with the dynos restarted. */
  async restart(target?: string): Promise<string[]> {
    const names = this.o.supervisor.list().filter((s) => !target || s.name === target || s.type === target).map((s) => s.name);
    await this.o.supervisor.restart(target);
    return names;
  }

  /** Stop a type's dynos or one dyno; as on Heroku, the manager then starts them again. */
  stop(target: string): Promise<string[]> {
    return this.serially(async () => {
      const specs = this.o.expand(this.formation);
      const chosen = specs.filter((s) => s.name === target || s.type === target).map((s) => s.name);
      if (chosen.length === 0) {
        throw new DynoError('UNKNOWN_TYPE', `no dyno matches "${target}"`, { hint: `running: ${formatFormation(this.formation)}; see \`dyno ps\`` });
      }
      const down = this.downOf(new Set(chosen));
      this.o.supervisor.apply(specs.filter((s) => !chosen.includes(s.name)));
      await Promise.race([down, this.o.supervisor.done]);
      this.o.supervisor.apply(this.o.expand(this.formation));
      return chosen;
    });
  }

  // Resolves when every named dyno has reached `down`.
  private downOf(names: Set<string>): Promise<void> {
    return new Promise((resolve) => {
      const off = this.o.supervisor.on((e) => {
        if (e.type === 'state-changed' && e.to === 'down' && names.delete(e.dyno) && names.size === 0) {
          off();
          resolve();
        }
      });
    });
  }

  // Run `step` after every earlier scale/stop has finished.
  private serially<T>(step: () => T | Promise<T>): Promise<T> {
    const run = this.queue.then(step);
    this.queue = run.catch(() => undefined);
    return run;
  }

  // An API event line, as Heroku logs `app[api]: Scaled to web@2:Standard-1X by user …`.
  private announce(text: string): void {
    this.o.bus.publish({ ts: this.clock.now(), source: 'app', dyno: 'api', stream: 'stdout', text });
  }
}

// `clock@0:Standard-1X web@3:Standard-2X worker@1:Standard-1X`, sorted as Heroku prints it.
function scaledTo(formation: Formation, sizeOf: (type: string) => string): string {
  return Object.entries(formation).sort(([a], [b]) => a.localeCompare(b)).map(([type, n]) => `${type}@${n}:${sizeOf(type)}`).join(' ');
}

function userName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}

// What `dyno connect` needs from the formation: which dyno a name means (`web` is web.1, as overmind's
// `connect web`), and its current run's stdin (it follows restarts: each write finds the current run).
import { DynoError } from '../core/errors.js';
import type { Writable } from 'node:stream';

export interface DynoConnectorOptions {
  /** The dynos' names and states, as `dyno ps` lists them. */
  list(): Array<{ name: string; type: string; state: string }>;
  stdinOf(name: string): Writable | null;
}

export class DynoConnector {
  constructor(private readonly o: DynoConnectorOptions) {}

  /** The dyno `name` means: itself, or the first dyno of a type. UNKNOWN_TYPE naming the dynos otherwise. */
  resolve(name: string): string {
    const dynos = this.o.list();
    const found = dynos.find((d) => d.name === name) ?? dynos.filter((d) => d.type === name).sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }))[0];
    if (!found) {
      throw new DynoError('UNKNOWN_TYPE', `no dyno "${name}" in this formation`, { hint: `running: ${dynos.map((d) => d.name).join(', ') || '(none)'}; see \`dyno ps\`` });
    }
    return found.name;
  }

  /** Write `data` to the dyno's stdin; NOT_RUNNING when no run is alive to read it. Returns the bytes written. */
  write(name: string, data: string): number {
    const stdin = this.o.stdinOf(name);
    if (!stdin || stdin.destroyed) {
      const state = this.o.list().find((d) => d.name === name)?.state ?? 'gone';
      throw new DynoError('NOT_RUNNING', `${name} has no running process (${state}); the input was dropped`);
    }
    stdin.write(data);
    return Buffer.byteLength(data);
  }
}

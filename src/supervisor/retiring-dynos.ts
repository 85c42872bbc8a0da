// Scaled-down dynos still stopping. They stay listed (`stopping`) until their stop round ends, and a
// new dyno of the same name must not spawn before then: locally both would share one $PORT, and the
// new one's readiness probe would succeed against the old process.
import type { Dyno } from './dyno.js';

export class RetiringDynos {
  /** Each retiring dyno with the promise of its stop round (resolves with the dynos that needed SIGKILL). */
  private readonly rounds = new Map<Dyno, Promise<string[]>>();

  /** Keep `dynos` until `stopped` settles. */
  add(dynos: Dyno[], stopped: Promise<string[]>): void {
    for (const dyno of dynos) this.rounds.set(dyno, stopped);
    const forget = (): void => dynos.forEach((dyno) => this.rounds.delete(dyno));
    void stopped.then(forget, forget);
  }

  dynos(): Dyno[] {
    return [...this.rounds.keys()];
  }

  /** Every stop round in progress, once each. */
  stops(): Array<Promise<string[]>> {
    return [...new Set(this.rounds.values())];
  }

  /** Settles when every retiring dyno called `name` is gone; undefined when there is none. */
  gone(name: string): Promise<unknown> | undefined {
    const rounds = [...this.rounds].filter(([dyno]) => dyno.name === name).map(([, stopped]) => stopped);
    return rounds.length ? Promise.allSettled(rounds) : undefined;
  }
}

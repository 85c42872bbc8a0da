// The latest `dyno load` result, held by dyno start for the dashboard's load panel (one slot, replaced;
// the dashboard's event stream pushes each new one to open pages).

/** What the board holds: the report and when it arrived. */
export interface LoadBoardEntry {
  report: Record<string, unknown> | null;
  at: number | null;
}

/** Holds the last report handed over by `dyno load` (a LoadReport as JSON). */
export class LoadBoard {
  private report: Record<string, unknown> | null = null;
  private at: number | null = null;
  private readonly listeners = new Set<(entry: LoadBoardEntry) => void>();

  set(report: Record<string, unknown>, now = Date.now()): void {
    this.report = report;
    this.at = now;
    for (const fn of this.listeners) fn(this.get());
  }

  /** Call `fn` with each new report; returns the unsubscribe function. */
  subscribe(fn: (entry: LoadBoardEntry) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** The report and when it arrived (null before the first). */
  get(): LoadBoardEntry {
    return { report: this.report, at: this.at };
  }
}

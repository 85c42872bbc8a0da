// The latest `dyno load` result, held by dyno start for the dashboard's load panel (one slot, replaced).

/** Holds the last report handed over by `dyno load` (a LoadReport as JSON). */
export class LoadBoard {
  private report: Record<string, unknown> | null = null;
  private at: number | null = null;

  set(report: Record<string, unknown>, now = Date.now()): void {
    this.report = report;
    this.at = now;
  }

  /** The report and when it arrived (null before the first). */
  get(): { report: Record<string, unknown> | null; at: number | null } {
    return { report: this.report, at: this.at };
  }
}

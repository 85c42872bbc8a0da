// The end-of-run line of --ephemeral: what this run wrote, which Heroku would discard at its next restart.
//   web.1: 3 files written during this run are lost on Heroku: uploads/a.png, db.sqlite3, log/x.log
//   web.1: 12 files written during this run are lost on Heroku: a, b, c, d, e, … (and 2 deletions are undone)

/** At most this many names are shown; the count covers all. */
export const SHOWN_NAMES = 5;

/** What one run changed under the app root. */
export interface RunChanges {
  /** Files (and symlinks) created or modified, relative to the app root. */
  written: string[];
  /** Files or directories the run deleted (Heroku restores them on restart). */
  deleted: number;
}

/** The line for one ended run, or null when it changed nothing. */
export function formatLostFiles(dyno: string, changes: RunChanges): string | null {
  const { written, deleted } = changes;
  if (written.length === 0 && deleted === 0) return null;
  const undone = deleted === 0 ? '' : `${deleted} ${deleted === 1 ? 'deletion is' : 'deletions are'} undone on Heroku at the next restart`;
  if (written.length === 0) return `${dyno}: ${undone}`;
  const names = [...written].sort();
  const shown = names.slice(0, SHOWN_NAMES).join(', ') + (names.length > SHOWN_NAMES ? ', …' : '');
  const noun = names.length === 1 ? 'file written during this run is' : 'files written during this run are';
  return `${dyno}: ${names.length} ${noun} lost on Heroku: ${shown}${undone ? ` (and ${undone.replace(' on Heroku at the next restart', '')})` : ''}`;
}

// The `app[api]` lines of builds and releases (HEROKU-DEPLOY.md §6) and the `dyno releases` table
// (heroku CLI v11: `=== app Releases - Current: vN`, newest first). Pure.
import type { LogLine } from '../core/types.js';

/** One release as `dyno releases` shows it. */
export interface ReleaseRow {
  version: number;
  /** `Deploy 1a2b3c4`, `Rollback to v1`. */
  description: string;
  sha: string;
  author: string;
  createdAt: number;
  /** `current`, `release command failed`, or '' for an older good release. */
  status: string;
}

/** An `app[api]: …` line. */
export function apiLine(ts: number, text: string): LogLine {
  return { ts, source: 'app', dyno: 'api', stream: 'stdout', text };
}

/** A build output line, shown as `build`. */
export function buildLine(ts: number, text: string): LogLine {
  return { ts, source: 'app', dyno: 'build', stream: 'stdout', text };
}

const pad = (n: number): string => String(n).padStart(2, '0');

// `2026/12/01 20:45:01 +0000 (~ 5m ago)`, in UTC as the CLI prints with TZ=UTC.
function formatWhen(ms: number, now: number): string {
  const d = new Date(ms);
  const date = `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
  const s = Math.max(0, Math.round((now - ms) / 1000));
  const ago = s < 60 ? `${s}s` : s < 3600 ? `${Math.round(s / 60)}m` : `${Math.round(s / 3600)}h`;
  return `${date} (~ ${ago} ago)`;
}

/** The `dyno releases` text: header, then one aligned row per release, newest first. */
export function formatReleases(app: string, rows: ReleaseRow[], now: number): string {
  const current = rows.find((r) => r.status === 'current');
  const head = `=== ${app} Releases${current ? ` - Current: v${current.version}` : ''}\n`;
  const cells = [...rows].sort((a, b) => b.version - a.version).map((r) => [`v${r.version}`, r.description + (r.status && r.status !== 'current' ? ` (${r.status})` : ''), r.sha.slice(0, 7), r.author, formatWhen(r.createdAt, now), r.status === 'current' ? 'current' : '']);
  const widths = [0, 1, 2, 3, 4].map((i) => Math.max(...cells.map((c) => c[i]!.length)));
  return head + cells.map((c) => c.map((v, i) => (i < 5 ? v.padEnd(widths[i]!) : v)).join('  ').trimEnd()).join('\n') + (cells.length ? '\n' : '');
}

// `dyno ps` as text: one aligned row per dyno, then the formation line, ready to paste into `dyno scale`.
import { formatFormation } from '../app/formation.js';
import type { Formation } from '../core/types.js';
import type { DynoRow } from './protocol.js';

const HEADER = ['NAME', 'STATE', 'PID', 'PORT', 'UPTIME', 'RESTARTS', 'RSS', 'COMMAND'];

/** `45s`, `6m12s`, `3h04m`, `2d05h`; `-` when not running. */
export function formatUptime(ms: number | null): string {
  if (ms === null) return '-';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, '0')}h`;
}

/** `41.2 MB` (MiB, one decimal); `-` when unknown. */
export function formatRss(bytes: number | null): string {
  return bytes === null ? '-' : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The table and the formation line, newline-terminated; `No dynos running.` when there are none. */
export function formatPs(dynos: readonly DynoRow[], formation: Formation): string {
  const rows = dynos.map((d) => [d.name, d.exitStatus === undefined ? d.state : `${d.state} (${d.exitStatus})`, d.pid === null ? '-' : String(d.pid), String(d.port), formatUptime(d.uptimeMs), String(d.restarts), formatRss(d.rssBytes), d.command]);
  const table = [HEADER, ...rows];
  const widths = HEADER.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  const lines = table.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '));
  const body = dynos.length ? lines.join('\n') : 'No dynos running.';
  return `${body}\n\n${formatFormation(formation)}\n`;
}

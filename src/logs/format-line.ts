// Formatters for the machine-readable log formats (HEROKU.md §4), each returning the line plus newline.
//   heroku: `2012-08-11T12:42:00.123456+00:00 app[web.1]: text`, `heroku[web.1]: State changed …`,
//           `heroku[router]: at=info …`; dyno's own lines use the source `dyno[manager]`
//           (or `dyno[web.1]` when the line is about one dyno), so every line keeps Logplex's
//           `source[name]:` shape that `heroku logs` colourisers and greps expect.
//   json:   `{"ts":"2012-08-11T12:42:00.123456+00:00","source":"app","dyno":"web.1","stream":"stdout","text":"…"}`
// Each create* returns a formatter with its own per-second timestamp cache. The printer's hot path is
// createHerokuWriter: the timestamp Buffer is made once per distinct `ts` (every line of a chunk shares it),
// the `app[web.1]: ` header once per source and dyno, and an app line's bytes are copied as written.
import type { LogLine } from '../core/types.js';
import { putLineBytes } from './app-line.js';
import type { ByteBatch } from './byte-batch.js';
import { stripAnsi, stripAnsiBytes } from './strip-ansi.js';

/** The name in `dyno[…]` for dyno's own lines that concern no particular dyno. */
const DYNO_SELF_NAME = 'manager';

/**
 * RFC 5424 UTC timestamp with microseconds, as Logplex prints: `2012-08-11T12:42:00.123456+00:00`;
 * the `YYYY-MM-DDTHH:MM:SS.` part is cached per second.
 */
export function createTimestampFormat(): (ts: number) => string {
  let lastSec = Number.NaN;
  let lastIso = '';
  return (ts) => {
    const us = Math.round(ts * 1000);
    const sec = Math.floor(us / 1e6);
    if (sec !== lastSec) {
      lastSec = sec;
      lastIso = new Date(sec * 1000).toISOString().slice(0, 19) + '.';
    }
    return lastIso + String(1e6 + us - sec * 1e6).slice(1) + '+00:00';
  };
}

// ` app[web.1]: `: the part between the timestamp and the text.
function herokuHeader(line: Pick<LogLine, 'source' | 'dyno'>): string {
  return ` ${line.source}[${line.dyno || (line.source === 'dyno' ? DYNO_SELF_NAME : '')}]: `;
}

/** One line in Logplex format (`app[web.1]`, `heroku[router]`, `dyno[manager]` sources), plus newline. */
export function createHerokuFormat(): (line: LogLine) => string {
  const timestamp = createTimestampFormat();
  return (line) => `${timestamp(line.ts)}${herokuHeader(line)}${line.text}\n`;
}

/**
 * Like createHerokuFormat, appending the line's bytes to a batch (app lines keep their exact bytes);
 * `o.stripAnsi` removes escape sequences (the log file).
 */
export function createHerokuWriter(o: { stripAnsi?: boolean } = {}): (batch: ByteBatch, line: LogLine) => void {
  const strip = o.stripAnsi === true;
  const timestamp = createTimestampFormat();
  const headers = new Map<string, Map<string, Buffer>>();
  let lastTs = Number.NaN;
  let lastStamp = Buffer.alloc(0);
  return (batch, line) => {
    if (line.ts !== lastTs) {
      lastTs = line.ts;
      lastStamp = Buffer.from(timestamp(line.ts), 'latin1');
    }
    let bySource = headers.get(line.source);
    if (!bySource) headers.set(line.source, (bySource = new Map()));
    let header = bySource.get(line.dyno);
    if (!header) bySource.set(line.dyno, (header = Buffer.from(herokuHeader(line), 'utf8')));
    batch.put(lastStamp);
    batch.put(header);
    if (strip) {
      if (line.bytes) batch.put(stripAnsiBytes(line.bytes));
      else batch.putString(stripAnsi(line.text));
    } else if (!putLineBytes(batch, line)) batch.putString(line.text);
    batch.putByte(10);
  };
}

/** One line as a JSON object (keys ts, source, dyno, stream, text, in that order; ANSI codes stripped), plus newline. */
export function createJsonFormat(): (line: LogLine) => string {
  const timestamp = createTimestampFormat();
  return (line) =>
    `{"ts":"${timestamp(line.ts)}","source":"${line.source}","dyno":${jsonString(line.dyno)},"stream":"${line.stream}","text":${jsonString(stripAnsi(line.text))}}\n`;
}

/** Characters JSON.stringify escapes (quote, backslash, controls) or may escape (surrogates). */
const JSON_ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

// JSON.stringify for a string, skipping its slow path for the common plain-ASCII line.
function jsonString(s: string): string {
  return JSON_ESCAPED.test(s) ? JSON.stringify(s) : `"${s}"`;
}

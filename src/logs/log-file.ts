// `--log-file <path>`: append every line in heroku format (no ANSI) to a file, through a Printer
// (batched per tick, backpressure-safe). The file is opened synchronously so a bad path fails at
// startup as a DynoError; a later write error (disk full) stops the file output, as a broken pipe
// stops the Printer.
import fs from 'node:fs';
import { DynoError } from '../core/errors.js';
import type { LogSink } from '../core/types.js';
import { Printer } from './printer.js';

/** An open log file: a LogSink plus close(). */
export interface LogFile extends LogSink {
  /** Write what is pending, then close the file. */
  close(): Promise<void>;
}

/** Open (create or append to) `path`; throws DynoError USAGE when it cannot be opened. */
export function openLogFile(path: string): LogFile {
  let fd: number;
  try {
    fd = fs.openSync(path, 'a', 0o644);
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code ?? String(cause);
    throw new DynoError('USAGE', `cannot open log file ${path}: ${reason}`, { cause });
  }
  const stream = fs.createWriteStream(path, { fd, flags: 'a' });
  const printer = new Printer({ out: stream, format: 'heroku', colorLevel: 0, timestamps: true, types: [] });
  return {
    publish: (line) => printer.write(line),
    async close() {
      await printer.flush();
      await new Promise<void>((resolve) => {
        if (stream.closed) return resolve();
        stream.once('close', () => resolve());
        stream.end();
      });
    },
  };
}

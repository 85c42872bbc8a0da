// `--log-file <path>`: append every line in heroku format (ANSI codes stripped) to a file, through a Printer
// (batched per tick). It is a subscriber that may fall behind: it never holds up the dynos — on a slow
// disk it keeps up to 8 MiB, drops the rest and writes one L10 line with the count once it catches up.
// The file is opened synchronously so a bad path fails at startup as a DynoError; a later write error
// (disk full: /dev/full gives ENOSPC) stops the file output and is reported once through `onError`.
import fs from 'node:fs';
import { DynoError } from '../core/errors.js';
import type { LogSink } from '../core/types.js';
import { Printer } from './printer.js';

/** An open log file: a LogSink plus close(). */
export interface LogFile extends LogSink {
  /** Write what is pending, then close the file. */
  close(): Promise<void>;
}

export interface LogFileOptions {
  /** Called once when a write fails at run time, with one line naming the file and the error. */
  onError?: (message: string) => void;
  /** Lines kept while the disk is behind before dropping (default 8 MiB). */
  maxStalledBytes?: number;
}

/** Open (create or append to) `path`; throws DynoError USAGE when it cannot be opened. */
export function openLogFile(path: string, o: LogFileOptions = {}): LogFile {
  let fd: number;
  try {
    fd = fs.openSync(path, 'a', 0o644);
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code ?? String(cause);
    throw new DynoError('USAGE', `cannot open log file ${path}: ${reason}`, { cause });
  }
  const stream = fs.createWriteStream(path, { fd, flags: 'a' });
  const onBrokenPipe = (err: Error): void => o.onError?.(`log file ${path}: ${err.message}; no more lines are written to it`);
  const printer = new Printer({ out: stream, format: 'heroku', colorLevel: 0, timestamps: true, types: [], stripAnsi: true, onBrokenPipe, maxStalledBytes: o.maxStalledBytes ?? 8 * 1024 * 1024 });
  return {
    publish: (line) => printer.write(line),
    async close() {
      await printer.flush();
      await new Promise<void>((resolve) => {
        if (stream.closed || stream.destroyed) return resolve();
        stream.once('close', () => resolve());
        stream.end();
      });
    },
  };
}

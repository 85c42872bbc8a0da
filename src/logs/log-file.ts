// `--log-file <path>`: append every line in heroku format (no ANSI) to a file, batched per tick.
// The file is opened synchronously so a bad path fails at startup as a DynoError; a later write
// error (disk full) stops the file output and is reported once through `onError`.
import fs from 'node:fs';
import { DynoError } from '../core/errors.js';
import type { LogLine, LogSink } from '../core/types.js';
import { createHerokuFormat } from './format-line.js';

export interface LogFileOptions {
  /** Called once on the first write error; nothing more is written after it. */
  onError?: (err: Error) => void;
}

/** An open log file: a LogSink plus close(). */
export interface LogFile extends LogSink {
  /** Write what is pending, then close the file. */
  close(): Promise<void>;
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
  const format = createHerokuFormat();
  let pending = '';
  let scheduled: NodeJS.Immediate | undefined;
  let failed = false;
  const flush = (): void => {
    scheduled = undefined;
    if (pending && !failed) stream.write(pending);
    pending = '';
  };
  stream.on('error', (err) => {
    if (failed) return;
    failed = true;
    o.onError?.(err);
  });
  return {
    publish(line) {
      if (failed) return;
      pending += format(line);
      scheduled ??= setImmediate(flush);
    },
    close() {
      if (scheduled !== undefined) clearImmediate(scheduled);
      flush();
      return new Promise((resolve) => {
        if (stream.closed) return resolve();
        stream.once('close', () => resolve());
        stream.end();
      });
    },
  };
}

// Short commands' output straight to fd 1, without creating process.stdout: for a pipe, Node's stream
// loads net and stream first, ~7 ms of `dyno check`'s and `--version`'s start-up (issue 13).
import fs from 'node:fs';

/** Write `text` to stdout. A pipe that would block (non-blocking) gets the rest through process.stdout; a reader that has gone (EPIPE) ends the output quietly. */
export function writeStdout(text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let offset = 0; offset < bytes.length; ) {
    try {
      offset += fs.writeSync(1, bytes, offset);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return;
      if (code !== 'EAGAIN') throw err;
      process.stdout.write(bytes.subarray(offset));
      return;
    }
  }
}

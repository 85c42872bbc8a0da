// One build command in the slug directory: its own process group, output line by line to the build
// log (indented as Heroku indents buildpack output), stopped with its group when the signal aborts.
import { spawn } from 'node:child_process';
import { exitInfo } from '../core/signals.js';
import { LineSplitter } from '../logs/line-splitter.js';

export interface BuildStepOptions {
  command: string;
  cwd: string;
  env: Record<string, string>;
  /** Each output line, stdout and stderr alike. */
  onLine(text: string): void;
  signal?: AbortSignal;
}

/** Run to the end; resolves with the exit status (128+n for a signal, 127 when it cannot start). */
export function runBuildStep(o: BuildStepOptions): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', o.command], { cwd: o.cwd, env: o.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const splitters = [child.stdout, child.stderr].map((stream) => {
      const splitter = new LineSplitter({ onLine: (bytes) => o.onLine(bytes.toString('utf8')) });
      stream.on('data', (c: Buffer) => splitter.write(c));
      return splitter;
    });
    const abort = (): void => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    o.signal?.addEventListener('abort', abort, { once: true });
    child.on('error', () => resolve(127));
    child.on('close', (code, sig) => {
      o.signal?.removeEventListener('abort', abort);
      for (const s of splitters) s.end();
      resolve(exitInfo(code, sig).status);
    });
  });
}

// `dyno connect DYNO`: attach this terminal to a running dyno (overmind's `connect`): its output live,
// each line typed goes to its stdin, Ctrl-D or Ctrl-] detaches and the dyno keeps running. Through
// the control socket of `dyno start`; `web` means web.1. Without a terminal, stdin's lines are sent
// and the session ends with stdin.
import readline from 'node:readline';
import type { Command } from 'commander';
import { resolveAppRoot } from '../../app/load-app.js';
import { DynoError } from '../../core/errors.js';
import type { LogLine } from '../../core/types.js';
import { ConnectSession } from '../../control/connect-client.js';
import { existingSockets, socketPathsFor } from '../../control/socket-path.js';
import { addRootOptions, type AppOptions } from '../options.js';
import { ConnectTerminal } from '../connect-terminal.js';

// How a line shows: the dyno's own output as printed; the dyno manager's lines marked as Logplex does.
const shown = (line: LogLine): string => (line.source === 'app' ? line.text : `heroku[${line.dyno}]: ${line.text}`);

export function registerConnect(program: Command): void {
  const cmd = program
    .command('connect')
    .description('attach to a running dyno: see its output, type lines to its stdin (a debugger prompt); Ctrl-D or Ctrl-] detaches')
    .argument('<dyno>', 'a dyno (web.1), or a type for its first dyno (web)');
  addRootOptions(cmd).action(async (name: string, opts: AppOptions) => {
    const root = resolveAppRoot({ cwd: process.cwd(), root: opts.root, procfile: opts.procfile });
    const socket = existingSockets(socketPathsFor(root))[0];
    if (!socket) throw new DynoError('NOT_RUNNING', `no dyno start is running for ${root}`, { hint: 'start the app with `dyno start` there, or point at it with -d <dir>' });
    await (process.stdin.isTTY ? connectTerminal(socket, name) : connectPipe(socket, name));
  });
}

// Raw mode: our own line editor, so Ctrl-] works at once and output never garbles the typed line.
async function connectTerminal(socket: string, name: string): Promise<void> {
  const term = new ConnectTerminal((s) => process.stdout.write(s));
  const stdin = process.stdin;
  let detach = (): void => undefined;
  const session = new ConnectSession(socket, name, {
    onReply: (dyno, lines) => {
      process.stdout.write(`Connected to ${dyno}: lines you type go to its stdin; Ctrl-D or Ctrl-] detaches (${dyno} keeps running)\r\n`);
      for (const line of lines) term.print(shown(line));
      stdin.setRawMode(true);
      stdin.resume();
    },
    onLine: (line) => term.print(shown(line)),
    onInputError: (err) => term.print(`dyno: ${err.message}`),
  });
  const onKeys = (chunk: Buffer): void => {
    for (const action of term.feed(chunk.toString('utf8'))) {
      if (action.type === 'send') void session.send(`${action.line}\n`);
      else detach();
    }
  };
  const detached = new Promise<void>((resolve) => (detach = resolve));
  stdin.on('data', onKeys);
  try {
    await Promise.race([session.done, detached]);
  } finally {
    stdin.off('data', onKeys);
    if (stdin.isRaw) stdin.setRawMode(false);
    stdin.pause();
    term.end();
    session.close();
  }
  process.stdout.write(`Detached from ${name} (it keeps running)\n`);
}

// No terminal: forward stdin line by line; end (detach) once stdin ends and every line was handled.
async function connectPipe(socket: string, name: string): Promise<void> {
  let sent: Promise<void>[] = [];
  const session = new ConnectSession(socket, name, {
    onReply: (_dyno, lines) => {
      for (const line of lines) process.stdout.write(`${shown(line)}\n`);
    },
    onLine: (line) => process.stdout.write(`${shown(line)}\n`),
    onInputError: (err) => process.stdout.write(`dyno: ${err.message}\n`),
  });
  const rl = readline.createInterface({ input: process.stdin, terminal: false });
  rl.on('line', (line) => sent.push(session.send(`${line}\n`)));
  const ended = new Promise<void>((resolve) => rl.once('close', resolve));
  try {
    const drained = Promise.all([session.ready, ended]).then(async () => {
      while (sent.length) await Promise.all(sent.splice(0));
    });
    await Promise.race([session.done, drained]);
  } finally {
    rl.close();
    session.close();
  }
  sent = [];
}

// `dyno completion bash|zsh|fish`: print a completion script built from this very program.
import type { Command, Option } from 'commander';
import { type CompletionCommand, renderCompletion, SHELLS } from '../completion-script.js';

const TYPE_FLAGS = new Set(['--process-type', '--can-die', '--auto-restart', '--exit-with']);
const FILE_FLAGS = new Set(['--procfile', '--env', '--log-file']);
const DIR_FLAGS = new Set(['--root', '--out']);
/** Commands whose positional arguments are process types (or start with one). */
const TYPE_ARGS = new Set(['start', 'check', 'run', 'scale', 'restart', 'stop']);
/** Fixed first words. */
const WORDS: Record<string, string[]> = { completion: [...SHELLS], export: ['systemd', 'supervisord', 'compose', 'kubernetes'] };

// Visible spellings of an option (commander keeps hidden ones in `hidden`).
const spellings = (o: Option): string[] => (o.hidden ? [] : [o.short, o.long].filter((s): s is string => !!s));
const named = (options: readonly Option[], set: Set<string>): string[] => options.filter((o) => !o.hidden && o.long && set.has(o.long)).flatMap(spellings);

/** Describe `program`'s commands for the completion scripts. */
export function describeCommands(program: Command): CompletionCommand[] {
  return program.commands.map((c) => ({
    name: c.name(),
    description: c.description(),
    flags: [...c.options.flatMap(spellings), '--help'],
    typeFlags: named(c.options, TYPE_FLAGS),
    fileFlags: named(c.options, FILE_FLAGS),
    dirFlags: named(c.options, DIR_FLAGS),
    typeArgs: TYPE_ARGS.has(c.name()),
    words: WORDS[c.name()] ?? [],
  }));
}

export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .description('print a shell completion script: source <(dyno completion bash)')
    .argument('<shell>', `one of ${SHELLS.join(', ')}`)
    .action((shell: string) => {
      process.stdout.write(renderCompletion(shell, describeCommands(program), [...program.options.flatMap(spellings), '--help']));
    });
}

// Placeholder: replaced by the real command.
import type { Command } from 'commander';

export function registerCheck(program: Command): void {
  program.command('check').description('(not yet implemented)');
}

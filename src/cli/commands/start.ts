// Placeholder: replaced by the real command.
import type { Command } from 'commander';

export function registerStart(program: Command): void {
  program.command('start').description('(not yet implemented)');
}

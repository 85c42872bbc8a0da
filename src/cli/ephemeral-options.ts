// `--ephemeral` of dyno start and dyno run, and its hidden mode override for tests.
import { Option, type Command } from 'commander';

/** Add --ephemeral and the hidden --ephemeral-mode. */
export function addEphemeralOptions(cmd: Command): Command {
  return cmd
    .option('--ephemeral', "Heroku's ephemeral filesystem: each dyno run writes to its own throw-away copy of the app directory (Linux; elsewhere: report only)")
    .addOption(new Option('--ephemeral-mode <mode>', 'force the isolation mode (tests)').choices(['auto', 'overlay', 'report-only']).hideHelp());
}

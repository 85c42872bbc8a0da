// `dyno start --slug`: build HEAD as v1 before anything runs, its log on the terminal through a Printer of
// its own (the formation's log pipeline does not exist yet); Ctrl-C stops the build. A failed build throws.
import path from 'node:path';
import type { App } from '../app/load-app.js';
import { systemClock } from '../core/clock.js';
import { Deployer } from '../deploy/deployer.js';
import { resolveColorLevel } from '../logs/color-level.js';
import { Printer } from '../logs/printer.js';
import type { StartOptions } from './commands/start.js';
import type { StartSettings } from './start-settings.js';

export async function buildFirstRelease(opts: StartOptions, base: App, s0: StartSettings): Promise<Deployer> {
  const colorLevel = resolveColorLevel({ flag: s0.color, env: process.env, isTTY: process.stdout.isTTY === true });
  const printer = new Printer({ out: process.stdout, format: opts.format, colorLevel, timestamps: opts.timestamp, types: [] });
  for (const name of ['build', 'api']) printer.reserveName(name);
  const procfile = opts.procfile === undefined ? undefined : path.relative(base.root, base.procfilePath);
  const deployer = new Deployer({ root: base.root, base, procfile, custom: opts.build, releasePhase: opts.release !== false, clock: systemClock }, { publish: (l) => printer.write(l) });
  const interrupt = (): void => void deployer.stop(); // its process group goes, nothing starts
  const stopping: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const sig of stopping) process.on(sig, interrupt);
  try {
    await deployer.first();
  } finally {
    for (const sig of stopping) process.off(sig, interrupt);
    await printer.flush();
  }
  return deployer;
}

// The dashboard as `dyno start` owns it: started with --dashboard, or on demand by `dyno dashboard`
// (the control verb), at most once per run. Router metrics count from the log history on, so a
// dashboard opened late still shows the last minutes.
import { MAX_DYNOS } from '../app/formation.js';
import { DynoError } from '../core/errors.js';
import type { Formation, ProcessType } from '../core/types.js';
import type { ControlTarget } from '../control/server.js';
import { pickCssColour } from './css-colours.js';
import type { DashboardServer } from './server.js';
import type { LoadRunner } from './load-runner.js';

/** The dashboard listens on the base port + 99 unless --dashboard-port says otherwise (0: any free port). */
export const DASHBOARD_PORT_OFFSET = 99;

export interface DashboardOptions {
  root: string;
  /** The control socket's path: the token is kept next to it (dashboardTokenPath). */
  controlPath: string;
  port: number;
  target: ControlTarget;
  /** The Procfile's types (colours), in order. */
  types: ProcessType[];
  /** The formation at start: its keys are the scalable types. */
  formation: Formation;
  /** Calls `fn` on every dyno state change; returns the unsubscribe function. */
  onChange?: (fn: () => void) => () => void;
  /** The app's URL (the router's), linked from the page; absent with --no-router. */
  appUrl?: string;
  /** Tell the user the URL (the terminal only: it carries the token). */
  announce(url: string): void;
}

/** --dashboard-port as typed → the port; without it, the base port + 99. */
export function resolveDashboardPort(flag: string | undefined, basePort: number): number {
  if (flag === undefined) return basePort + DASHBOARD_PORT_OFFSET;
  const port = /^\d{1,5}$/.test(flag.trim()) ? Number(flag.trim()) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new DynoError('USAGE', `--dashboard-port expects a port from 0 to 65535 (0: any free port), got "${flag}"`);
  return port;
}

export class Dashboard {
  private starting: Promise<DashboardServer> | null = null;
  private offMetrics: (() => void) | null = null;
  private runner: LoadRunner | null = null;

  constructor(private readonly o: DashboardOptions) {}

  /** Start the dashboard if it is not running; resolves with its URL (token included). */
  async ensure(): Promise<string> {
    if (!this.starting) {
      this.starting = this.start();
      this.starting.then((server) => this.o.announce(server.url), () => (this.starting = null));
    }
    return (await this.starting).url;
  }

  /** Stop serving (dyno start is ending). */
  async close(): Promise<void> {
    this.offMetrics?.();
    await this.runner?.close();
    const server = await this.starting?.catch(() => null);
    await server?.close();
  }

  // The server, its page, node:http and node:crypto (the token) are loaded only when the dashboard starts: most runs never open it.
  private async start(): Promise<DashboardServer> {
    const [{ Metrics }, { DashboardServer }, { LoadRunner }, { dashboardTokenPath, loadDashboardTokens }] = await Promise.all([
      import('./metrics.js'), import('./server.js'), import('./load-runner.js'), import('./dashboard-token.js'),
    ]);
    const metrics = new Metrics();
    const { target, types } = this.o;
    const colours = Object.fromEntries(types.map((t, i) => [t.name, pickCssColour(i)]));
    const info = {
      root: this.o.root,
      maxDynos: MAX_DYNOS,
      types: types.filter((t) => Object.hasOwn(this.o.formation, t.name)).map((t) => ({ name: t.name, command: t.command, colour: colours[t.name]! })),
      colours,
      palette: Array.from({ length: 24 }, (_, k) => pickCssColour(types.length + k)),
      ...(this.o.appUrl ? { appUrl: this.o.appUrl } : {}),
    };
    const runner = target.router ? new LoadRunner({ root: this.o.root, control: target.control }) : undefined;
    this.runner = runner ?? null;
    const server = await DashboardServer.listen({ target, metrics, info, runner, port: this.o.port, tokens: loadDashboardTokens(dashboardTokenPath(this.o.controlPath)), onChange: this.o.onChange });
    for (const line of target.bus.recent(Number.MAX_SAFE_INTEGER)) metrics.record(line);
    this.offMetrics = target.bus.subscribe((line) => metrics.record(line));
    return server;
  }
}

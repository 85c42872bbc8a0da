// `dyno run`'s hook into a running formation of the same app: report the one-off dyno's start and
// exit over the control socket, so `dyno ps` lists run.N and the formation's log has its lifecycle
// lines. Best effort and silent: no formation running (or any failure) changes nothing for `dyno run`.
import { requestApp } from '../control/client.js';

/** Announce run.N; the returned function reports its exit. */
export async function linkOneOff(root: string, o: { name: string; command: string; pid: number }): Promise<(status: number) => Promise<void>> {
  const send = (req: { event: 'started' | 'exited'; name: string; command?: string; pid?: number; status?: number }): Promise<boolean> =>
    requestApp(root, { verb: 'one-off', ...req }, { timeoutMs: 1000 }).then(() => true, () => false);
  const linked = await send({ event: 'started', name: o.name, command: o.command, pid: o.pid });
  return async (status) => {
    if (linked) await send({ event: 'exited', name: o.name, status });
  };
}

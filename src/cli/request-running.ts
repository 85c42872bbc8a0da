// The control clients' one call: find the app root from -d/-f (as `dyno start` does) and ask its dyno start.
import { resolveAppRoot } from '../app/load-app.js';
import { requestApp, type RequestOptions } from '../control/client.js';
import type { RequestOf, Verb, Verbs } from '../control/protocol.js';

export function requestRunning<V extends Verb>(opts: { root?: string; procfile?: string }, req: RequestOf<V>, o: RequestOptions = {}): Promise<Verbs[V]['reply']> {
  return requestApp(resolveAppRoot({ cwd: process.cwd(), root: opts.root, procfile: opts.procfile }), req, o);
}

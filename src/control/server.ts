// The control server of `dyno start`: a Unix socket (mode 0600) found from the app root. Every request
// gets exactly one reply, errors included; `logs` with follow then streams lines until the client leaves.
import fs from 'node:fs';
import net from 'node:net';
import { DynoError } from '../core/errors.js';
import type { LogLine } from '../core/types.js';
import { DropCounter } from '../logs/drop-counter.js';
import { request } from './client.js';
import type { DynoConnector } from './dyno-connector.js';
import type { FormationControl } from './formation-control.js';
import type { OneOffRegistry } from './one-off-registry.js';
import { logFilter } from './log-query.js';
import { decodeRequest, encodeLine, encodeReply, LineReader, type Request, type WireError } from './protocol.js';
import { existingSockets, prepareSocketPath, probeSocket, socketPathsFor } from './socket-path.js';
import type { ReleaseRow } from '../deploy/release-lines.js';
import { loadStats, type RouterAddress } from '../load/load-stats.js';
import type { LoadBoard } from '../load/load-board.js';

/** What the verbs act on; attached once the formation exists. */
export interface ControlTarget {
  control: Pick<FormationControl, 'ps' | 'scale' | 'restart' | 'stop'>;
  bus: { recent(n: number, filter?: (l: LogLine) => boolean): LogLine[]; subscribe(sink: (l: LogLine) => void): () => void };
  /** Start the dashboard if needed; resolves with its URL. */
  dashboard?: () => Promise<string>;
  /** Releases of dyno start --slug. */
  deploy?: { rows(): ReleaseRow[]; rollback(version?: number): Promise<ReleaseRow> };
  /** The router's address and first-byte timeout, for `dyno load`; absent with --no-router. */
  router?: RouterAddress;
  /** The latest `dyno load` result, kept for the dashboard's panel. */
  loads?: LoadBoard;
  /** `dyno connect`: find a dyno, write to its stdin. */
  connector?: DynoConnector;
  /** One-off dynos (`dyno run`) of this app, listed by `ps`. */
  oneOffs?: OneOffRegistry;
}

/** A follower whose socket buffers more than this is dropped (Logplex's L11 for slow tails). */
const MAX_FOLLOW_BUFFER_BYTES = 8 * 1024 * 1024;

export class ControlServer {
  private target: ControlTarget | null = null;
  private readonly sockets = new Set<net.Socket>();
  private readonly pending = new Map<net.Socket, Set<number>>();
  private readonly unlinkOnExit = (): void => this.unlink();
  private closed = false;

  private constructor(private readonly server: net.Server, readonly path: string, private readonly root: string) {
    server.on('connection', (socket) => this.onConnection(socket));
    process.once('exit', this.unlinkOnExit);
  }

  /**
   * Listen for the app at `root`. A socket left by a killed dyno start is replaced; a live one means
   * another dyno start runs this app: ALREADY_RUNNING, before anything else has started.
   */
  static async listen(root: string): Promise<ControlServer> {
    const paths = socketPathsFor(root);
    for (const existing of existingSockets(paths)) await refuseLive(existing, root); // each in a checked private directory
    const file = prepareSocketPath(paths);
    const server = net.createServer();
    try {
      await listenOn(server, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      await refuseLive(file, root); // raced with another dyno start, or a stale socket appeared
      await listenOn(server, file);
    }
    fs.chmodSync(file, 0o600);
    server.unref(); // the dynos keep dyno start alive, not its socket (an early error must still exit)
    return new ControlServer(server, file, root);
  }

  /** Start serving the verbs that act on the formation (before this, they answer "still starting"). */
  attach(target: ControlTarget): void {
    this.target = target;
  }

  /** Answer what is pending with an error, end every connection, remove the socket file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    process.off('exit', this.unlinkOnExit);
    const stopping: WireError = { code: 'NOT_RUNNING', message: 'dyno start is stopping' };
    for (const [socket, ids] of this.pending) {
      for (const id of ids) socket.write(encodeReply(id, { ok: false, error: stopping }));
      ids.clear();
    }
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.end(() => socket.destroy());
    await closed;
    this.unlink();
  }

  private unlink(): void {
    try {
      fs.unlinkSync(this.path);
    } catch {
      // already gone
    }
  }

  private onConnection(socket: net.Socket): void {
    const reader = new LineReader();
    this.sockets.add(socket);
    this.pending.set(socket, new Set());
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.pending.delete(socket);
    });
    socket.on('data', (chunk: Buffer) => {
      let lines: string[];
      try {
        lines = reader.push(chunk);
      } catch (err) {
        return void socket.end(encodeReply(null, { ok: false, error: { code: 'CONTROL_PROTOCOL', message: (err as Error).message } }));
      }
      for (const text of lines) void this.answer(socket, text);
    });
  }

  // Decode, run, reply once. Errors become error replies; a bug is reported as one too, never a crash.
  private async answer(socket: net.Socket, text: string): Promise<void> {
    const decoded = decodeRequest(text);
    if (!decoded.ok) return void socket.write(encodeReply(decoded.id, { ok: false, error: decoded.error }));
    const ids = this.pending.get(socket);
    ids?.add(decoded.id);
    try {
      const body = await this.run(decoded.request, socket, decoded.id);
      if (ids?.delete(decoded.id) && !socket.destroyed) socket.write(encodeReply(decoded.id, { ok: true, body }));
    } catch (err) {
      if (ids?.delete(decoded.id) && !socket.destroyed) socket.write(encodeReply(decoded.id, { ok: false, error: toWireError(err) }));
    }
  }

  // One verb; `logs --follow` subscribes before returning so no line falls between history and stream.
  private async run(req: Request, socket: net.Socket, id: number): Promise<object> {
    if (req.verb === 'hello') return { pid: process.pid, root: this.root };
    const target = this.target;
    if (!target || this.closed) throw new DynoError('NOT_RUNNING', 'dyno start is still starting', { hint: 'try again in a moment' });
    switch (req.verb) {
      case 'ps': {
        const ps = target.control.ps();
        return target.oneOffs ? { ...ps, dynos: [...ps.dynos, ...target.oneOffs.rows()] } : ps;
      }
      case 'one-off':
        if (req.event === 'started') target.oneOffs?.started(req.name, req.command ?? '', req.pid ?? null);
        else target.oneOffs?.exited(req.name, req.status ?? 0);
        return {};
      case 'scale':
        return { formation: await target.control.scale(req.args) };
      case 'restart':
        return { dynos: await target.control.restart(req.target) };
      case 'stop':
        return { dynos: await target.control.stop(req.target) };
      case 'releases':
        return { releases: deployOf(target).rows() };
      case 'rollback':
        return { release: await deployOf(target).rollback(req.version) };
      case 'logs': {
        const filter = logFilter(req);
        const lines = target.bus.recent(req.num, filter);
        if (req.follow) this.follow(socket, id, { subscribe: target.bus.subscribe.bind(target.bus), filter });
        return { lines };
      }
      case 'dashboard':
        if (!target.dashboard) throw new DynoError('NOT_RUNNING', 'this dyno start has no dashboard');
        return { url: await target.dashboard() };
      case 'stats':
        return loadStats(target.control.ps(), target.router);
      case 'load-report':
        target.loads?.set(req.report);
        return {};
      case 'connect': {
        if (!target.connector) throw new DynoError('NOT_RUNNING', 'this dyno start cannot connect to dynos');
        const dyno = target.connector.resolve(req.dyno);
        const filter = (l: LogLine): boolean => l.dyno === dyno && l.source !== 'dyno';
        const lines = target.bus.recent(req.num ?? 20, filter);
        this.follow(socket, id, { subscribe: target.bus.subscribe.bind(target.bus), filter });
        return { dyno, lines };
      }
      case 'input':
        if (!target.connector) throw new DynoError('NOT_RUNNING', 'this dyno start cannot connect to dynos');
        return { bytes: target.connector.write(req.dyno, req.data) };
    }
  }

  // Stream matching lines to a follower after its reply (queued behind it) until it leaves. A follower
  // that lags is bounded: lines past the buffer are dropped and one L10 line tells it how many.
  private follow(socket: net.Socket, id: number, o: { subscribe: ControlTarget['bus']['subscribe']; filter: (l: LogLine) => boolean }): void {
    const drops = new DropCounter();
    const sendMissed = (): void => {
      const missed = drops.take(Date.now());
      if (missed) socket.write(encodeLine(id, missed));
    };
    const off = o.subscribe((line) => {
      if (!o.filter(line)) return;
      if (socket.writableLength > MAX_FOLLOW_BUFFER_BYTES) return drops.drop(line);
      sendMissed();
      socket.write(encodeLine(id, line));
    });
    socket.on('drain', sendMissed);
    socket.once('close', off);
  }
}

function listenOn(server: net.Server, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(file, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

// A live server at `file` → ALREADY_RUNNING (naming its pid when it says); a stale socket is removed.
async function refuseLive(file: string, root: string): Promise<void> {
  const found = await probeSocket(file);
  if (found === 'stale') return fs.rmSync(file, { force: true });
  if (found === 'not-a-socket') throw new DynoError('ALREADY_RUNNING', `${file} exists and is not a socket`, { hint: 'remove it, then start again' });
  if (found === 'absent') return;
  const hello = await request(file, { verb: 'hello' }, { timeoutMs: 1000 }).catch(() => null);
  const who = hello ? ` (pid ${hello.pid})` : '';
  throw new DynoError('ALREADY_RUNNING', `dyno start is already running for ${root}${who}`, {
    hint: `stop it first (Ctrl-C in its terminal${hello ? `, or kill ${hello.pid}` : ''}), or use \`dyno ps\`/\`dyno scale\` to talk to it; if nothing runs, delete ${file}`,
  });
}

// The releases of a --slug formation, or the error saying there are none.
function deployOf(target: ControlTarget): NonNullable<ControlTarget['deploy']> {
  if (!target.deploy) throw new DynoError('USAGE', 'this dyno start has no releases: it runs the working tree', { hint: 'start it with --slug to run releases of your commits' });
  return target.deploy;
}

/** Any failure as it travels: a DynoError as it is; a bug with its message (it is not the client's fault). */
export function toWireError(err: unknown): WireError {
  if (err instanceof DynoError) return { code: err.code, message: err.message, hint: err.hint };
  return { code: 'CONTROL_PROTOCOL', message: `internal error in dyno start: ${err instanceof Error ? err.message : String(err)}`, hint: 'a bug, please report it' };
}

// Releases of `dyno start --slug` (HEROKU-DEPLOY.md §6): v1 is HEAD at start; every new commit is a
// deploy — build the slug while the formation keeps serving, run the release phase, then restart the
// dynos onto the new slug one after the other. `rollback` makes a new release of an older slug. A failed
// build or release phase leaves the running release untouched, and says so.
import type { App } from '../app/load-app.js';
import { dynoEnv } from '../app/dyno-specs.js';
import type { Clock } from '../core/clock.js';
import { DynoError } from '../core/errors.js';
import type { DynoSpec, Formation, LogSink } from '../core/types.js';
import { dynoNotice } from '../logs/log-line.js';
import type { Launcher } from '../supervisor/launcher.js';
import { ReleasePhase, RELEASE_DYNO } from '../supervisor/release-phase.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import type { Watchdog } from '../supervisor/watchdog.js';
import { buildSlug, type Slug } from './build-slug.js';
import { watchCommits } from './commit-watcher.js';
import { localUser, readCommit, type Commit } from './git-commit.js';
import { formatLeftBehind, leftBehind } from './left-behind.js';
import { apiLine, buildLine, type ReleaseRow } from './release-lines.js';
import { loadSlugApp } from './slug-app.js';

export interface DeployerOptions {
  /** The working tree's app root (the repository it watches). */
  root: string;
  /** The app loaded from the working tree: its config vars and shell env. */
  base: App;
  /** -f, relative to the root. */
  procfile?: string;
  /** --build "<cmd>". */
  custom?: string;
  /** False with --no-release. */
  releasePhase: boolean;
  clock: Clock;
}

/** What a release restarts, attached once the formation runs. */
export interface DeployTarget {
  supervisor: Supervisor;
  bus: LogSink;
  /** The formation running now. */
  formation(): Formation;
  /** Specs for a formation of an app (ports as at start). */
  expand(app: App, formation: Formation): DynoSpec[];
  graceMs: number;
  watchdog?: Watchdog;
  launcher?: Launcher;
}

interface Release {
  version: number;
  description: string;
  commit: Commit;
  slug: Slug;
  app: App;
  createdAt: number;
  /** Who made it: the commit's author for a deploy, the local user for a rollback. */
  by: string;
  failed?: string;
}

export class Deployer {
  private readonly releases: Release[] = [];
  private current: Release | null = null;
  private sink: LogSink;
  private target: DeployTarget | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private wanted: string | null = null;
  private readonly abort = new AbortController();
  private phase: ReleasePhase | null = null;

  constructor(private readonly o: DeployerOptions, sink: LogSink) {
    this.sink = sink;
  }

  /** The app of the running release (the slug's). */
  get app(): App {
    return this.current!.app;
  }

  /** Build HEAD as v1; throws BUILD_FAILED (nothing started) when the build fails. */
  async first(): Promise<App> {
    const commit = readCommit(this.o.root);
    const slug = await this.build(commit);
    this.current = this.record(commit, slug, `Deploy ${commit.short}`, commit.author);
    if (this.hasReleasePhase(this.current)) this.api(`Release v1 created by user ${commit.author}`); // its phase runs before the formation
    this.api('Build succeeded');
    const missing = formatLeftBehind(leftBehind(this.o.root), commit.short);
    if (missing) this.sink.publish(dynoNotice(this.o.clock.now(), missing, { stream: 'stderr' }));
    return this.current.app;
  }

  /** Release lines go to the formation's bus from now on; new commits restart `target`. */
  attach(target: DeployTarget): void {
    this.target = target;
    this.sink = target.bus;
  }

  /** Specs of the running release for a formation (dyno scale). */
  expand(formation: Formation): DynoSpec[] {
    const rel = this.current!;
    return this.target!.expand(rel.app, formation).map((s) => ({ ...s, cwd: rel.slug.dir }));
  }

  /** Deploy `sha` after what is queued; a newer commit queued meanwhile replaces it. */
  deploy(sha: string): Promise<void> {
    this.wanted = sha;
    const next = this.queue.then(() => this.deployWanted());
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** A new release of vN's slug (default: the release before the current one). */
  rollback(version?: number): Promise<ReleaseRow> {
    const next = this.queue.then(() => this.rollbackTo(version));
    this.queue = next.catch(() => undefined);
    return next;
  }

  rows(): ReleaseRow[] {
    return this.releases.map((r) => ({
      version: r.version, description: r.description, sha: r.commit.sha, author: r.by, createdAt: r.createdAt,
      status: r === this.current ? 'current' : r.failed ?? '',
    }));
  }

  /** Stop a build or release phase in progress (dyno start is stopping). */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.phase?.stop({ graceMs: this.target?.graceMs ?? 1000 });
  }

  private async deployWanted(): Promise<void> {
    const sha = this.wanted;
    this.wanted = null;
    if (!sha || sha === this.current?.commit.sha || this.abort.signal.aborted) return;
    const commit = readCommit(this.o.root, sha);
    let slug: Slug;
    try {
      slug = await this.build(commit);
    } catch (err) {
      if (!(err instanceof DynoError) || this.abort.signal.aborted) return;
      this.api('Build failed -- check your build output above');
      return this.keepRunning(`the build of ${commit.short} failed (${err.message})`);
    }
    await this.release(commit, slug, `Deploy ${commit.short}`, commit.author);
  }

  private async rollbackTo(version?: number): Promise<ReleaseRow> {
    const cur = this.current!;
    const good = this.releases.filter((r) => !r.failed && r.slug.commit.sha !== cur.slug.commit.sha);
    const to = version === undefined ? good.at(-1) : this.releases.find((r) => r.version === version);
    if (!to) throw new DynoError('USAGE', version === undefined ? 'no earlier release to roll back to' : `there is no release v${version}`, { hint: 'see `dyno releases`' });
    if (to.failed) throw new DynoError('USAGE', `v${to.version} failed (${to.failed}); roll back to a release that ran`);
    const made = await this.release(to.commit, to.slug, `Rollback to v${to.version}`, localUser(this.o.root));
    if (!made) throw new DynoError('RELEASE_FAILED', `the release phase of the rollback to v${to.version} failed; v${cur.version} keeps running`);
    return this.rows().find((r) => r.version === made.version)!;
  }

  // Build a slug, its log on the current sink.
  private async build(commit: Commit): Promise<Slug> {
    this.api(`Build started by user ${commit.author}`);
    const log = (text: string): void => this.sink.publish(buildLine(this.o.clock.now(), text));
    return buildSlug({ root: this.o.root, commit, custom: this.o.custom, env: this.o.base.env, log, signal: this.abort.signal });
  }

  private record(commit: Commit, slug: Slug, description: string, by: string): Release {
    const app = loadSlugApp(this.o.base, slug, this.o.procfile);
    const rel: Release = { version: this.releases.length + 1, description, commit, slug, app, createdAt: this.o.clock.now(), by };
    this.releases.push(rel);
    this.api(`${description} by user ${by}`);
    if (!this.hasReleasePhase(rel)) this.api(`Release v${rel.version} created by user ${by}`);
    return rel;
  }

  private hasReleasePhase(rel: Release): boolean {
    return this.o.releasePhase && rel.app.types.some((t) => t.name === 'release');
  }

  // A release of a built slug: release phase, then the rolling restart. Null when the phase failed.
  private async release(commit: Commit, slug: Slug, description: string, by: string): Promise<Release | null> {
    const rel = this.record(commit, slug, description, by);
    const type = rel.app.types.find((t) => t.name === 'release');
    if (type && this.hasReleasePhase(rel)) {
      this.api(`Running release v${rel.version} commands by user ${by}`);
      const status = await this.runReleasePhase(rel, type.command);
      if (status !== 0) {
        rel.failed = 'release command failed';
        this.api(`Release v${rel.version} command failed by user ${by}`);
        this.keepRunning(`the release phase of v${rel.version} exited with status ${status}`);
        return null;
      }
      this.api(`Release v${rel.version} created by user ${by}`);
    }
    if (description.startsWith('Deploy')) this.api('Build succeeded');
    this.current = rel;
    await this.restartOnto(rel);
    return rel;
  }

  private async runReleasePhase(rel: Release, command: string): Promise<number> {
    const t = this.target!;
    const spec: DynoSpec = { name: RELEASE_DYNO, type: 'release', instance: 1, command, env: dynoEnv(rel.app.env, RELEASE_DYNO), port: 0, cwd: rel.slug.dir };
    this.phase = new ReleasePhase({ spec, root: rel.slug.dir, bus: t.bus, clock: this.o.clock, watchdog: t.watchdog, launcher: t.launcher });
    const exit = await this.phase.run();
    this.phase = null;
    return exit.status;
  }

  // Every running dyno onto the new slug, one after the other (the others keep serving meanwhile).
  private async restartOnto(rel: Release): Promise<void> {
    const t = this.target!;
    const names = new Set(rel.app.types.map((x) => x.name));
    const formation = Object.fromEntries(Object.entries(t.formation()).filter(([type]) => names.has(type)));
    const before = t.supervisor.list().map((d) => d.name);
    t.supervisor.apply(this.expand(formation));
    for (const name of before) await t.supervisor.restart(name).catch(() => undefined); // scaled away meanwhile
  }

  /** Deploy every new commit of the repository from now on; returns the closer. */
  async watch(): Promise<() => Promise<void>> {
    const watcher = await watchCommits({ root: this.o.root, initial: this.current!.commit.sha, onCommit: (sha) => void this.deploy(sha) });
    return () => watcher.close();
  }

  private keepRunning(why: string): void {
    const cur = this.current!;
    this.sink.publish(dynoNotice(this.o.clock.now(), `${why}: v${cur.version} (${cur.commit.short}) keeps running`, { stream: 'stderr' }));
  }

  private api(text: string): void {
    this.sink.publish(apiLine(this.o.clock.now(), text));
  }
}

// A new commit is a new deploy: watch the repository's HEAD and branch refs (chokidar, as `-w` does)
// and report when `git rev-parse HEAD` changes. Debounced: a commit touches several files.
import path from 'node:path';
import { git } from './git-commit.js';

export interface CommitWatcher {
  close(): Promise<void>;
}

/** Calls onCommit(sha) for every new HEAD commit; resolves once the watch is live. */
export async function watchCommits(o: { root: string; initial: string; onCommit(sha: string): void; debounceMs?: number }): Promise<CommitWatcher> {
  const gitDir = git(o.root, ['rev-parse', '--absolute-git-dir'])?.trim();
  const common = git(o.root, ['rev-parse', '--git-common-dir'])?.trim();
  if (!gitDir || !common) return { close: async () => undefined };
  const commonDir = path.resolve(o.root, common);
  const { watch } = await import('chokidar');
  const watcher = watch([path.join(gitDir, 'HEAD'), path.join(commonDir, 'refs', 'heads'), path.join(commonDir, 'packed-refs')], { ignoreInitial: true, depth: 10 });
  let last = o.initial;
  let timer: NodeJS.Timeout | undefined;
  const check = (): void => {
    timer = undefined;
    const sha = git(o.root, ['rev-parse', '--verify', '-q', 'HEAD'])?.trim();
    if (!sha || sha === last) return;
    last = sha;
    o.onCommit(sha);
  };
  watcher.on('all', () => {
    clearTimeout(timer);
    timer = setTimeout(check, o.debounceMs ?? 150);
  });
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  check(); // a commit made while the watch was starting
  return {
    close: async () => {
      clearTimeout(timer);
      await watcher.close();
    },
  };
}

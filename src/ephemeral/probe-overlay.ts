// Can each dyno run get its own overlay over the app root here? One real trial (~35 ms; EPHEMERAL-FS.md):
// a mount namespace, an overlay mount, a directory deleted and recreated through it, and (rootless)
// the uid dropped again. Only a trial catches AppArmor, seccomp, sysctls and an upper dir on overlayfs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The isolation in effect, and why. */
export type EphemeralMode =
  | { mode: 'overlay'; upperBase: string; rootless: boolean; reason: string }
  | { mode: 'report-only'; reason: string };

export interface ProbeOptions {
  /** Candidate directories for the per-run upper dirs, best first ($XDG_RUNTIME_DIR, /dev/shm, $TMPDIR). */
  bases: string[];
  platform: NodeJS.Platform;
  uid: number;
  gid: number;
}

/** Mount the overlay (rootless: inside a user namespace) over $1, then run the rest of the argv. */
export function overlayArgv(o: { rootless: boolean; lower: string; eph: string; uid: number; gid: number; argv: string[] }): string[] {
  if (!o.rootless) {
    const script = 'mount -t overlay overlay -o "lowerdir=$1,upperdir=$2/upper,workdir=$2/work" "$1" && cd "$(pwd -P)" && shift 2 && exec "$@"';
    return ['unshare', '--mount', '--propagation', 'private', '--', '/bin/sh', '-c', script, 'dyno-ephemeral', o.lower, o.eph, ...o.argv];
  }
  // ns1 maps us to root (the capability to mount); the nested ns2 maps our uid back: the app runs as us.
  const script =
    'mount -t overlay overlay -o "userxattr,lowerdir=$1,upperdir=$2/upper,workdir=$2/work" "$1" && cd "$(pwd -P)" && ' +
    'u=$3 g=$4 && shift 4 && exec unshare --user --map-user="$u" --map-group="$g" -- "$@"';
  return ['unshare', '--user', '--map-root-user', '--mount', '--propagation', 'private', '--', '/bin/sh', '-c', script, 'dyno-ephemeral', o.lower, o.eph, String(o.uid), String(o.gid), ...o.argv];
}

/** Remove a per-run dir: overlayfs leaves work/work mode 000. */
export async function removeEphDir(eph: string): Promise<void> {
  await fs.promises.chmod(path.join(eph, 'work', 'work'), 0o700).catch(() => undefined);
  await fs.promises.rm(eph, { recursive: true, force: true });
}

// One trial in `base`; the error's first line when it fails.
function trial(base: string, o: ProbeOptions): string | null {
  let t: string;
  try {
    t = fs.mkdtempSync(path.join(base, 'dyno-probe-'));
    fs.mkdirSync(path.join(t, 'l', 'd'), { recursive: true });
    fs.mkdirSync(path.join(t, 'e', 'upper'), { recursive: true });
    fs.mkdirSync(path.join(t, 'e', 'work'));
  } catch (err) {
    return (err as Error).message;
  }
  const argv = overlayArgv({ rootless: o.uid !== 0, lower: path.join(t, 'l'), eph: path.join(t, 'e'), uid: o.uid, gid: o.gid, argv: ['/bin/sh', '-c', 'rm -r d && mkdir d'] });
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd: path.join(t, 'l'), encoding: 'utf8', timeout: 5000 });
  try {
    fs.chmodSync(path.join(t, 'e', 'work', 'work'), 0o700);
  } catch {
    // never mounted
  }
  fs.rmSync(t, { recursive: true, force: true });
  if (r.error) return (r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'unshare (util-linux) is not installed' : r.error.message;
  return r.status === 0 ? null : (r.stderr.trim().split('\n')[0] ?? `exit ${r.status}`);
}

/** Try each base; the first that passes is where upper dirs live. */
export function probeOverlay(o: ProbeOptions): EphemeralMode {
  if (o.platform !== 'linux') return { mode: 'report-only', reason: `${o.platform} has no overlayfs or mount namespaces` };
  let last = 'no writable directory for upper dirs';
  for (const base of o.bases) {
    const failed = trial(base, o);
    if (failed === null) {
      const how = o.uid === 0 ? 'mount namespace + overlayfs as root' : 'user + mount namespace + overlayfs';
      return { mode: 'overlay', upperBase: base, rootless: o.uid !== 0, reason: `the ${how} trial on ${base} passed` };
    }
    last = `${base}: ${failed}`;
  }
  if (/uid_map|Operation not permitted/.test(last)) last += ' (user namespaces are restricted: an admin must allow them, e.g. sysctl kernel.apparmor_restrict_unprivileged_userns=0)';
  return { mode: 'report-only', reason: `the overlay trial failed: ${last}` };
}

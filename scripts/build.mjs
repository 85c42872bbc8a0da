// `npm run build`: dist/dyno.cjs, a small entry, plus the chunks it requires on demand (dist/dyno-*.cjs),
// so each command compiles only the code it runs (issue 13: V8 compiling one 1.7 MB bundle was most of
// `dyno check`'s start-up). esbuild splits only ES modules, so the split output is then turned into
// CommonJS file by file, its `import()` lowered to `require` (a SEA cannot `import()`; the executables
// embed the chunks as assets, see build-executables.mjs); scripts/chunk-require.cjs loads them.
//   node scripts/build.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { lightInterop } from './light-interop.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const chunkRequire = fs.readFileSync(path.join(root, 'scripts/chunk-require.cjs'), 'utf8');
const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

/** The chunks' file names: what `require` in the entry and the executables' asset keys use. */
export const CHUNK_PREFIX = 'dyno-';

// commander requires node:child_process when it loads, for executable subcommands (dyno has none);
// that also loads net, stream and dgram: ~5 ms of every command's start-up. It gets a stand-in that
// requires the real module on first use.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(build) {
    build.onResolve({ filter: /^node:child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer) ? { path: 'node:child_process', namespace: 'lazy-builtin' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: `let real; module.exports = new Proxy({}, { get: (_t, key) => (real ??= require(${JSON.stringify(args.path)}))[key] });`,
      loader: 'js',
    }));
  },
};

const split = await esbuild.build({
  plugins: [lazyChildProcess],
  absWorkingDir: root,
  entryPoints: { dyno: 'src/main.ts' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: dist,
  outExtension: { '.js': '.cjs' },
  chunkNames: `${CHUNK_PREFIX}[hash]`,
  define: { DYNO_VERSION: JSON.stringify(version) },
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  write: false,
  metafile: true,
  logLevel: 'warning',
});

if (process.env.DYNO_BUILD_META) fs.writeFileSync(process.env.DYNO_BUILD_META, JSON.stringify(split.metafile));

for (const name of fs.existsSync(dist) ? fs.readdirSync(dist) : []) {
  if (name.endsWith('.cjs')) fs.rmSync(path.join(dist, name));
}
fs.mkdirSync(dist, { recursive: true });
for (const file of split.outputFiles) {
  const isEntry = path.basename(file.path) === 'dyno.cjs';
  const cjs = await esbuild.transform(file.text, {
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    supported: { 'dynamic-import': false },
    minifyWhitespace: true,
    minifySyntax: true,
    banner: isEntry ? `#!/usr/bin/env node\n${chunkRequire}` : '',
    logLevel: 'warning',
  });
  fs.writeFileSync(file.path, lightInterop(cjs.code, path.basename(file.path)), { mode: isEntry ? 0o755 : 0o644 });
}

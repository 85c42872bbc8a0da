// Put at the top of dist/dyno.cjs by scripts/build.mjs. `require` of a chunk (./dyno-*.cjs) evaluates
// that chunk once: read from the file next to this one, or in a single executable from the SEA asset of
// the same name (a SEA's own `require` loads built-ins only). The chunks get this same `require`; any
// other id is a built-in. Faster than Node's `require`, which resolves, stats and looks for package.json
// for each of the dozen chunks a command needs (~8 ms on Node 20), and with V8's code cache: what a run
// compiled is kept per user in $XDG_CACHE_HOME/dyno/code-cache/<node version>-<arch>[-sea]/ (as Node ≥ 22's
// module.enableCompileCache does, which Node 20 lacks) and reused by the next run, ~10 ms less for
// `dyno check` on Node 20. V8 rejects a cache made by another V8 or for other source; then it is
// rewritten. DYNO_NO_CODE_CACHE=1 turns it off. Chunk names carry their content's hash.
var require = (function chunkLoader(nodeRequire) {
  const chunks = new Map();
  /** Scripts compiled without an accepted cache, whose cache is written at exit. */
  const uncached = [];
  let fs, vm, sea, inSea, cacheDir; // set up on the first chunk: `dyno --version` needs none

  function setUp() {
    fs = nodeRequire('node:fs');
    vm = nodeRequire('node:vm');
    sea = nodeRequire('node:sea');
    inSea = sea.isSea();
    const env = process.env;
    const base = env.XDG_CACHE_HOME || (env.HOME ? `${env.HOME}/.cache` : '');
    if (env.DYNO_NO_CODE_CACHE !== '1' && base.startsWith('/')) cacheDir = `${base}/dyno/code-cache/${process.version}-${process.arch}${inSea ? '-sea' : ''}`;
  }

  function readCache(name) {
    if (cacheDir === undefined) return undefined;
    try {
      return fs.readFileSync(`${cacheDir}/${name}`);
    } catch {
      return undefined;
    }
  }

  // A chunk of this build (a file next to this one, or an asset of this executable).
  function isOurChunk(name) {
    if (!inSea) return fs.existsSync(`${__dirname}/${name}`);
    try {
      sea.getRawAsset(`./${name}`);
      return true;
    } catch {
      return false;
    }
  }

  // At exit (so that it holds every function the run compiled); write-then-rename: runs may race.
  // Writing means a chunk had no usable cache, typically the first run after an upgrade: then the
  // caches of chunks this build lacks (an older build's; names carry the content's hash) go, once a
  // week old, so that another dyno on the same Node is not made to recompile at every run.
  function writeCaches() {
    try {
      fs.mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
      for (const [name, script] of uncached) {
        const tmp = `${cacheDir}/.${name}.${process.pid}`;
        fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        fs.renameSync(tmp, `${cacheDir}/${name}`);
      }
      const weekAgo = Date.now() - 7 * 24 * 3600 * 1000;
      for (const name of fs.readdirSync(cacheDir)) {
        if (isOurChunk(name)) continue;
        const file = `${cacheDir}/${name}`;
        if (fs.statSync(file).mtimeMs < weekAgo) fs.rmSync(file, { force: true });
      }
    } catch {
      // a cache is an optimisation only: a read-only or full disk changes nothing else
    }
  }

  function evaluate(id, chunk) {
    const name = id.slice(2);
    const file = inSea ? id : `${__dirname}/${name}`;
    const source = inSea ? sea.getAsset(id, 'utf8') : fs.readFileSync(file, 'utf8');
    const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
    const script = new vm.Script(wrapped, { filename: file, cachedData: readCache(name) });
    if (cacheDir !== undefined && script.cachedDataRejected !== false) {
      if (uncached.length === 0) process.once('exit', writeCaches);
      uncached.push([name, script]);
    }
    // __filename and __dirname as in the one-file bundle before: in a SEA the executable and its directory
    script.runInThisContext().call(chunk.exports, chunk.exports, chunkRequire, chunk, inSea ? __filename : file, __dirname);
  }

  function chunkRequire(id) {
    if (!id.startsWith('./')) return nodeRequire(id);
    let chunk = chunks.get(id);
    if (chunk === undefined) {
      if (fs === undefined) setUp();
      chunk = { exports: {} };
      chunks.set(id, chunk);
      evaluate(id, chunk);
    }
    return chunk.exports;
  }
  return chunkRequire;
})(require);

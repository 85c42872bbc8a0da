// Put at the top of dist/dyno.cjs by scripts/build.mjs. `require` of a chunk (./dyno-*.cjs) evaluates
// that chunk once: read from the file next to this one, or in a single executable from the SEA asset of
// the same name (a SEA's own `require` loads built-ins only). Faster than Node's `require` too, which
// resolves, stats and looks for package.json for each of the dozen chunks a command needs (~8 ms on
// Node 20). The chunks get this same `require`; any other id is a built-in.
var require = (function chunkLoader(nodeRequire) {
  const chunks = new Map();
  let sea, vm, inSea; // on the first chunk: `dyno --version` needs none
  const params = ['exports', 'require', 'module', '__filename', '__dirname'];
  function chunkRequire(id) {
    if (!id.startsWith('./')) return nodeRequire(id);
    let chunk = chunks.get(id);
    if (chunk === undefined) {
      if (vm === undefined) {
        sea = nodeRequire('node:sea');
        vm = nodeRequire('node:vm');
        inSea = sea.isSea();
      }
      chunk = { exports: {} };
      chunks.set(id, chunk);
      const file = inSea ? id : `${__dirname}/${id.slice(2)}`;
      const source = inSea ? sea.getAsset(id, 'utf8') : nodeRequire('node:fs').readFileSync(file, 'utf8');
      const fn = vm.compileFunction(source, params, { filename: file });
      fn.call(chunk.exports, chunk.exports, chunkRequire, chunk, file, inSea ? '.' : __dirname);
    }
    return chunk.exports;
  }
  return chunkRequire;
})(require);

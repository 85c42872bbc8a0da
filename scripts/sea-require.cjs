// Prepended to dist/dyno.cjs as the executables' main script: `require` of a chunk (./dyno-*.cjs)
// evaluates that chunk from the SEA asset of the same name, once; anything else is a built-in, the
// only modules a SEA's own `require` loads. The chunks get this same `require`.
var require = (function seaRequire(builtinRequire) {
  const sea = builtinRequire('node:sea');
  const vm = builtinRequire('node:vm');
  const chunks = new Map();
  function chunkRequire(id) {
    if (!id.startsWith('./')) return builtinRequire(id);
    let chunk = chunks.get(id);
    if (chunk === undefined) {
      chunk = { exports: {} };
      chunks.set(id, chunk);
      const params = ['exports', 'require', 'module', '__filename', '__dirname'];
      const fn = vm.compileFunction(sea.getAsset(id, 'utf8'), params, { filename: id });
      fn.call(chunk.exports, chunk.exports, chunkRequire, chunk, id, '.');
    }
    return chunk.exports;
  }
  return chunkRequire;
})(require);

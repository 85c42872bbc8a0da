// scripts/build.mjs runs every output file through lightInterop. esbuild's ESM-to-CommonJS helpers copy every export into a fresh object of getters: a chunk's own
// exports once (__toCommonJS), and a built-in or a chunk again in each chunk that imports it
// (__toESM: node:fs's ~100 properties, per importer). That was ~1.5 ms of `dyno check`, and each use of
// an imported name then went through two getters. Ours hand the object itself on: a chunk's exports
// (already live getters) marked __esModule; anything else wrapped in an object that inherits from it
// with `default` added, so named properties stay live through the prototype. The helpers' text is
// matched exactly: another esbuild's fails the build rather than being left as it is.
const INTEROP = [
  [
    /(__toESM\d*)=\(mod,isNodeMode,target\)=>\(target=mod!=null\?__create\d*\(__getProtoOf\d*\(mod\)\):\{\},__copyProps\d*\(isNodeMode\|\|!mod\|\|!mod\.__esModule\?__defProp\d*\(target,"default",\{value:mod,enumerable:!0\}\):target,mod\)\)/g,
    '$1=(mod,isNodeMode)=>!isNodeMode&&mod!=null&&mod.__esModule?mod:Object.create(mod!=null&&(typeof mod=="object"||typeof mod=="function")?mod:Object.prototype,{default:{value:mod,enumerable:!0}})',
  ],
  [/(__toCommonJS\d*)=mod=>__copyProps\d*\((__defProp\d*)\(\{\},"__esModule",\{value:!0\}\),mod\)/g, '$1=mod=>"__esModule"in mod?mod:$2(mod,"__esModule",{value:!0})'],
];
// Every helper definition must end up as ours.
const ANY = /\b__to(?:ESM|CommonJS)\d*=/g;
const OURS = /\b__toESM\d*=\(mod,isNodeMode\)=>|\b__toCommonJS\d*=mod=>"__esModule"in mod\?mod:__defProp\d*\(mod,/g;

/**
 * `code` with esbuild's interop helpers replaced; throws when one of them has another shape, or when
 * the code re-exports (`export * from`): __reExport copies own properties, and a CommonJS module's
 * wrapper now has `default` only.
 */
export function lightInterop(code, name) {
  if (/\b__reExport\d*\(/.test(code)) throw new Error(`${name}: \`export * from\` (esbuild's __reExport) is not supported by scripts/light-interop.mjs`);
  for (const [from, to] of INTEROP) code = code.replace(from, to);
  if ((code.match(ANY) ?? []).length !== (code.match(OURS) ?? []).length) throw new Error(`${name}: an esbuild interop helper is not the one scripts/light-interop.mjs replaces`);
  return code;
}

// scripts/light-interop.mjs on real esbuild output: what a chunk exports and what it imports (a
// built-in, a CommonJS module that is a function) behave as before, bindings stay live, and a helper
// of another shape fails the build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import vm from 'node:vm';
import * as esbuild from 'esbuild';
import { lightInterop } from '../../../scripts/light-interop.mjs';

const nodeRequire = createRequire(import.meta.url);

// The ESM source as build.mjs's second pass turns it into CommonJS, then evaluated with `modules` as what require() returns.
async function load(source: string, modules: Record<string, unknown>): Promise<{ exports: Record<string, unknown>; code: string }> {
  const cjs = await esbuild.transform(source, { format: 'cjs', platform: 'node', target: 'node20', minifyWhitespace: true, minifySyntax: true });
  const code = lightInterop(cjs.code, 'test.cjs');
  const module = { exports: {} as Record<string, unknown> };
  const require = (id: string): unknown => (id in modules ? modules[id] : nodeRequire(id));
  vm.runInThisContext(`(function (exports, require, module) {${code}\n})`)(module.exports, require, module);
  return { exports: module.exports, code };
}

test('exports stay live, a default and named import of a built-in and of a CommonJS function work, nothing is copied', async () => {
  function cjsFn(): string {
    return 'called';
  }
  cjsFn.flag = 'static';
  const source = `
    import fs, { existsSync } from 'node:fs';
    import fn, { flag } from 'cjs-fn';
    export let n = 1;
    export function inc() { n++; }
    export const fromFs = () => [typeof fs.readFileSync, existsSync === fs.existsSync];
    export const fromFn = () => [fn(), flag];
  `;
  const { exports, code } = await load(source, { 'cjs-fn': cjsFn });
  assert.doesNotMatch(code, /__copyProps\(__defProp\(\{\}/);
  assert.equal(exports.n, 1);
  (exports.inc as () => void)();
  assert.equal(exports.n, 2, 'a live binding');
  assert.equal(exports.__esModule, true);
  assert.deepEqual((exports.fromFs as () => unknown[])(), ['function', true]);
  assert.deepEqual((exports.fromFn as () => unknown[])(), ['called', 'static']);
});

test('a chunk that imports another chunk (marked __esModule) gets that chunk itself', async () => {
  const other = await load('export const value = 42; export default "d";', {});
  const { exports } = await load('import d, { value } from "./other.cjs"; export const both = () => [d, value];', { './other.cjs': other.exports });
  assert.deepEqual((exports.both as () => unknown[])(), ['d', 42]);
});

test('a helper of another shape, or a re-export (export * from), fails the build instead of being left as it is', async () => {
  assert.throws(() => lightInterop('var __toESM=(mod)=>mod;', 'x.cjs'), /x\.cjs: an esbuild interop helper is not the one/);
  assert.equal(lightInterop('var a=1;', 'y.cjs'), 'var a=1;');
  await assert.rejects(load('export * from "node:path"; export const own = 1;', {}), /test\.cjs: `export \* from` \(esbuild's __reExport\) is not supported/);
});

test('a module that is null or a string still gets a default, on an ordinary object', async () => {
  const { exports } = await load('import n from "null-mod"; import t from "text-mod"; import * as ns from "text-mod"; export const all = () => [n, t, String(ns)];', { 'null-mod': null, 'text-mod': 'text' });
  assert.deepEqual((exports.all as () => unknown[])(), [null, 'text', '[object Object]']);
});

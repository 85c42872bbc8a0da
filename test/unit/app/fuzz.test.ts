// Seeded fuzzing: random and mutated Procfiles, env files and formation tokens. The parsers must never
// throw anything but DynoError (in practice: never throw), and their results must keep their invariants.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { DynoError } from '../../../src/core/errors.js';
import { decodeText } from '../../../src/app/decode-text.js';
import { resolveBasePort } from '../../../src/app/dyno-specs.js';
import { parseEnvFile } from '../../../src/app/env-file.js';
import { scanEnvText } from '../../../src/app/env-scan.js';
import { parseFormation, resolveFormation } from '../../../src/app/formation.js';
import { parseProcfile } from '../../../src/app/procfile.js';
import { projectRoot } from '../../helpers/run-dyno.js';

const SEED = Number(process.env.DYNO_FUZZ_SEED ?? 20260126);
const CASES = 3000;

// mulberry32: small, seeded, good enough for fuzzing.
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = [
  'web', 'worker', 'Web', 'my_worker', 'a-b', 'release', 'all', 'wéb', 'web.api', '-x', 'x'.repeat(130), 'KEY', 'export', 'HEROKU_X', '1NUM', '__X',
  ':', ': ', ' : ', '::', '=', ' = ', ': ', '\t', ' ', '  ', '#', '# c', '"', "'", '`', '\\', '\\n', '$', '${A}', '$PORT', '{', '}',
  'npm start', 'node w.js', 'a=b', 'x y', '\n', '\r\n', '\r', '\0', '\u00a0', '\ufeff', '\u2028', '\u2029', 'é', '✓', '\ud83d\ude00', '\ud800',
];
const SPECIALS = ':=#"\'`\\ \t\n\r\0$\u00a0\ufeff\u2028é{}';

// A random text built from interesting fragments.
function randomText(rand: () => number): string {
  const parts: string[] = [];
  const n = Math.floor(rand() * 40);
  for (let i = 0; i < n; i++) parts.push(FRAGMENTS[Math.floor(rand() * FRAGMENTS.length)]!);
  return parts.join('');
}

// A real file with a few random insertions, deletions and replacements.
function mutate(text: string, rand: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(rand() * 6);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(rand() * (out.length + 1));
    const ch = rand() < 0.7 ? SPECIALS[Math.floor(rand() * SPECIALS.length)]! : String.fromCharCode(Math.floor(rand() * 0x10000));
    const op = rand();
    out = op < 0.4 ? out.slice(0, at) + ch + out.slice(at) : op < 0.7 ? out.slice(0, at) + out.slice(at + 1) : out.slice(0, at) + ch + out.slice(at + 1);
  }
  return out;
}

// Real files to mutate, or a small built-in set when the corpus is absent.
function seeds(dir: string, fallback: string[]): string[] {
  const full = path.resolve(projectRoot, '../shared/corpus', dir);
  if (!fs.existsSync(full)) return fallback;
  return fs.readdirSync(full).sort().map((f) => fs.readFileSync(path.join(full, f), 'latin1'));
}

// Inputs: a third random fragments, a third mutated real files, a third random bytes decoded.
function* inputs(corpus: string[], seedOffset: number): Generator<[number, string]> {
  const rand = prng(SEED + seedOffset);
  for (let i = 0; i < CASES; i++) {
    const kind = i % 3;
    if (kind === 0) yield [i, randomText(rand)];
    else if (kind === 1) yield [i, mutate(corpus[Math.floor(rand() * corpus.length)]!, rand)];
    else yield [i, decodeText(Uint8Array.from({ length: Math.floor(rand() * 200) }, () => Math.floor(rand() * 256)), 'f').text];
  }
}

const show = (seed: number, i: number, text: string) => `seed ${seed} case ${i}: ${JSON.stringify(text.slice(0, 300))}`;

test(`fuzz: parseProcfile never throws and accounts for every line (${CASES} cases, seed ${SEED})`, () => {
  for (const [i, text] of inputs(seeds('procfiles', ['web: npm start\nworker: node w.js\n']), 1)) {
    for (const strict of [false, true]) {
      const { types, problems } = parseProcfile(text, 'Procfile', { strict });
      const accounted = new Set([...types.map((t) => t.line), ...problems.map((p) => p.line)]);
      const lines = text.replace(/^\ufeff/, '').split('\n');
      lines.forEach((line, n) => {
        const visible = line.replace(/^[ \t\v\f\r]+/, '');
        if (visible && !/^[\s]*$/.test(line) && !visible.startsWith('#')) assert.ok(accounted.has(n + 1), `${show(SEED, i, text)} line ${n + 1} dropped silently`);
      });
      assert.equal(new Set(types.map((t) => t.name)).size, types.length, show(SEED, i, text));
    }
  }
});

test(`fuzz: parseEnvFile never throws and agrees with dotenv (${CASES} cases, seed ${SEED})`, () => {
  for (const [i, text] of inputs(seeds('env', ['A=1\nB="x"\n# c\n']), 2)) {
    const { env, problems } = parseEnvFile(text, '.env');
    assert.deepEqual(env, { ...dotenv.parse(text, { fast: true }) }, show(SEED, i, text));
    const scanned: Record<string, string> = {};
    for (const e of scanEnvText(text).entries) scanned[e.key] = e.value;
    assert.deepEqual({ ...scanned }, env, show(SEED, i, text));
    for (const p of problems) assert.ok(p.line >= 1 && p.col >= 1, show(SEED, i, text));
  }
});

test(`fuzz: formation and port parsing throw only DynoError (${CASES} cases, seed ${SEED})`, () => {
  const rand = prng(SEED + 3);
  const types = parseProcfile('web: a\nworker: b\nrelease: c\nall: d', 'Procfile').types;
  const pieces = ['web', 'worker', 'release', 'all', 'nosuch', '=', ',', ' ', '1', '0', '100', '101', '-1', '+1', ':', 'x', '1.5', '\0', 'é'];
  for (let i = 0; i < CASES; i++) {
    const token = Array.from({ length: Math.floor(rand() * 8) }, () => pieces[Math.floor(rand() * pieces.length)]).join('');
    for (const run of [() => resolveFormation(parseFormation([token]), types), () => resolveBasePort({ flag: token, fileEnv: {}, shellEnv: {} })]) {
      try {
        run();
      } catch (err) {
        assert.ok(err instanceof DynoError, `${show(SEED, i, token)}: ${String(err)}`);
        assert.equal(err.exitCode, 2);
      }
    }
  }
});

// `dyno completion bash` sourced in a real bash: commands, flags and the Procfile's process types
// complete (compgen through the script's own function, and a real Tab press in tmux).
import { requireEngine } from '../helpers/require-engine.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { dynoBin, runDynoToEnd } from '../helpers/run-dyno.js';
import { tempApp } from '../helpers/temp-app.js';
import { waitFor } from '../helpers/wait-for.js';

const PROCFILE = 'web: node web.js\nworker: node worker.js\nurgent-worker node urgent.js\n';

// A `dyno` on PATH for the shell: the binary under test.
function binDir(app: { file(rel: string): string }): string {
  const dir = app.file('bin');
  fs.mkdirSync(dir);
  const run = dynoBin.endsWith('.cjs') ? `exec "${process.execPath}" "${dynoBin}" "$@"` : `exec "${dynoBin}" "$@"`;
  fs.writeFileSync(path.join(dir, 'dyno'), `#!/bin/sh\n${run}\n`, { mode: 0o755 });
  return dir;
}

test('the bash script completes commands, flags, process types, and the values of type/file flags', async () => {
  const app = tempApp({ Procfile: PROCFILE, 'Procfile.dev': 'css: npm run css\n' });
  try {
    const script = await runDynoToEnd(['completion', 'bash'], { cwd: app.dir });
    assert.equal(script.code, 0, script.stderr);
    fs.writeFileSync(app.file('dyno.bash'), script.stdout);
    const cases: Array<[string, string]> = [
      ['dyno st', 'start stop'],
      ['dyno c', 'check connect completion'],
      ['dyno start --can', '--can-die'],
      ['dyno start --no-r', '--no-restart --no-router --no-release'],
      ['dyno start ', 'web worker urgent-worker'],
      ['dyno start w', 'web worker'],
      ['dyno start --can-die u', 'urgent-worker'],
      ['dyno start -f Procfile.dev ', 'css'],
      ['dyno logs -p w', 'web worker'],
      ['dyno restart ', 'web worker urgent-worker'],
      ['dyno completion ', 'bash zsh fish'],
      ['dyno start -f Procfile.d', 'Procfile.dev'],
      ['dyno export s', 'systemd supervisord'],
    ];
    const body = cases.map(([line]) => `t ${line.split(' ').map((w) => `'${w}'`).join(' ')}`).join('\n');
    const out = execFileSync('bash', ['--norc', '--noprofile', '-c', `source ./dyno.bash
complete -p dyno
t() { COMP_WORDS=("$@"); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _dyno; echo "\${COMPREPLY[*]}"; }
${body}`], { cwd: app.dir, encoding: 'utf8' });
    const [registered, ...replies] = out.trimEnd().split('\n');
    assert.equal(registered, 'complete -o default -F _dyno dyno');
    assert.deepEqual(replies, cases.map(([, want]) => want));
  } finally {
    app.cleanup();
  }
});

test('a Tab press in an interactive bash (tmux) completes `dyno sta` to `dyno start` and a type after it', { timeout: 30_000 }, async (t) => {
  if (!requireEngine(t, 'tmux')) return;
  const app = tempApp({ Procfile: PROCFILE });
  const session = `dyno-completion-${process.pid}`;
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', session, ...args], { encoding: 'utf8' });
  try {
    const bin = binDir(app);
    tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '20', '-c', app.dir, `env -i HOME=${app.dir} HISTFILE=/dev/null TERM=xterm PATH=${bin}:/usr/bin:/bin bash --norc --noprofile`);
    tmux('send-keys', '-t', session, 'source <(dyno completion bash)', 'Enter');
    tmux('send-keys', '-t', session, 'clear', 'Enter');
    tmux('send-keys', '-t', session, 'dyno sta', 'Tab');
    await waitFor(() => /# dyno start\s*$/m.test(tmux('capture-pane', '-p', '-t', session)), { timeoutMs: 10_000, what: () => `dyno start in\n${tmux('capture-pane', '-p', '-t', session)}` });
    tmux('send-keys', '-t', session, 'urg', 'Tab');
    await waitFor(() => /# dyno start urgent-worker\s*$/m.test(tmux('capture-pane', '-p', '-t', session)), { timeoutMs: 10_000, what: () => `urgent-worker in\n${tmux('capture-pane', '-p', '-t', session)}` });
  } finally {
    spawnSync('tmux', ['-L', session, 'kill-server']);
    app.cleanup();
  }
});

test('zsh and fish scripts are printed; an unknown shell is a usage error', async () => {
  const zsh = await runDynoToEnd(['completion', 'zsh']);
  assert.match(zsh.stdout, /^#compdef dyno\n/);
  assert.match(zsh.stdout, /bashcompinit/);
  const fish = await runDynoToEnd(['completion', 'fish']);
  assert.match(fish.stdout, /^complete -c dyno -n __fish_use_subcommand -a start -d /m);
  assert.match(fish.stdout, /^complete -c dyno -n '__fish_seen_subcommand_from start' -l can-die -x -a /m);
  const bad = await runDynoToEnd(['completion', 'tcsh']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^dyno: no completion for shell "tcsh"/m);
});

// The file a Procfile command runs, when it names one: `node dist/server.js` → dist/server.js,
// `bin/web` → bin/web, `FOO=1 exec python3 app.py` → app.py. Pure; null for `npm start`, `gunicorn app:app`.

/** Interpreters whose first non-option argument is the script. */
const INTERPRETERS = new Set(['node', 'nodejs', 'python', 'python3', 'ruby', 'bash', 'sh', 'php', 'perl', 'bun', 'deno', 'ts-node', 'tsx']);

/** Words that run the rest of the command (`exec`, `bundle exec`, `env`). */
const PREFIXES = new Set(['exec', 'env', 'nohup', 'time']);

export function procfileProgram(command: string): string | null {
  const words = command.trim().split(/\s+/).filter(Boolean);
  let i = 0;
  for (;;) {
    const w = words[i];
    if (w === undefined) return null;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w) || PREFIXES.has(w)) i++;
    else if (w === 'bundle' && words[i + 1] === 'exec') i += 2;
    else break;
  }
  const first = words[i]!;
  if (first.includes('/') && !first.startsWith('/') && !first.startsWith('$')) return clean(first);
  if (!INTERPRETERS.has(first)) return null;
  const script = words.slice(i + 1).find((w) => !w.startsWith('-'));
  if (!script || script.startsWith('$') || script.startsWith('/') || /[;&|<>`'"]/.test(script)) return null;
  if (first === 'deno' && script === 'run') return null;
  return /\.[a-z]+$/i.test(script) || script.includes('/') ? clean(script) : null;
}

const clean = (p: string): string => p.replace(/^\.\//, '').replace(/[;&|]+$/, '');

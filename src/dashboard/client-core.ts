// Page script, part 1 of 4 (see page-script.ts): shared state, DOM helpers, the event stream with
// its "disconnected — reconnecting" banner, and POST actions. Plain browser JavaScript in a string:
// no template literals inside (this file is one).

/** Browser JavaScript: state, helpers, connect(), post(). */
export const CLIENT_CORE = String.raw`
const state = { info: null, formation: {}, dynos: [], pending: {}, colours: new Map(), extra: 0 };
const $ = (id) => document.getElementById(id);

// Create an element: attrs may hold text, class, and any attribute; children are nodes or strings.
function el(tag, attrs, children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'text') e.textContent = v;
    else if (k === 'class') e.className = v;
    else e.setAttribute(k, v);
  }
  for (const c of children || []) e.append(c);
  return e;
}

const typeOf = (name) => name.replace(/\.\d+$/, '');
const isSystem = (line) => line.source === 'dyno' || !line.dyno || (line.source === 'heroku' && line.dyno === 'router');

// The terminal's colour of a process type; types not in the Procfile take the next palette colour.
function colourOf(type) {
  if (!state.colours.has(type)) state.colours.set(type, state.info.palette[state.extra++ % state.info.palette.length]);
  return state.colours.get(type);
}

function banner(text) {
  $('banner').textContent = text || '';
}

function showError(error) {
  const node = $('error');
  if (!error) return void (node.hidden = true);
  node.textContent = error.message + (error.hint ? ' (hint: ' + error.hint + ')' : '');
  node.hidden = false;
}

// POST a JSON action; resolves with the reply, showing its error (if any) in the alert line.
async function post(path, body) {
  try {
    const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const reply = await res.json().catch(() => ({ ok: false, error: { message: 'HTTP ' + res.status + ' from ' + path } }));
    showError(reply.ok ? null : reply.error);
    return reply;
  } catch (err) {
    showError({ message: 'dyno start did not answer: ' + err.message });
    return { ok: false };
  }
}

// One EventSource; it reconnects by itself while dyno start is away. A refused stream (a token that
// is no longer accepted) closes it: then try again now and then, in case the cookie is renewed.
function connect() {
  const es = new EventSource('/events');
  es.addEventListener('open', () => banner(''));
  es.addEventListener('error', () => {
    if (es.readyState !== EventSource.CLOSED) return banner('Disconnected — reconnecting…');
    banner('Disconnected — this page is no longer accepted (dyno start restarted?). Run "dyno dashboard" to open it again; retrying…');
    setTimeout(connect, 3000);
  });
  const on = (event, fn) => es.addEventListener(event, (ev) => fn(JSON.parse(ev.data)));
  on('snapshot', onSnapshot);
  on('dynos', onDynos);
  on('metrics', drawMetrics);
  on('logs', addLogs);
  on('load', (run) => document.dispatchEvent(new CustomEvent('dyno-load', { detail: run })));
  on('load-report', (entry) => document.dispatchEvent(new CustomEvent('dyno-load-report', { detail: entry })));
}

function onSnapshot(s) {
  state.info = s;
  state.colours = new Map(s.types.map((t) => [t.name, t.colour]));
  for (const [name, colour] of Object.entries(s.colours)) state.colours.set(name, colour);
  state.extra = 0;
  $('app-root').textContent = s.root;
  const link = $('app-url');
  link.hidden = !s.appUrl;
  if (s.appUrl) (link.href = s.appUrl, link.textContent = 'Open app: ' + s.appUrl);
  document.title = 'dyno — ' + s.root.split('/').pop();
  buildTypes(s.types);
  onDynos(s);
  drawMetrics(s.metrics);
  resetLogs(s.logs);
  if (s.load) document.dispatchEvent(new CustomEvent('dyno-load', { detail: s.load }));
}

function onDynos(d) {
  state.formation = d.formation;
  state.dynos = d.dynos;
  updateTypes();
  updateDynos();
  updateDynoFilter();
}
`;

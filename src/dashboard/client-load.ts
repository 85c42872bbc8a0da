// GET /load.js: the dashboard's "Load and sweep" panel, a script of its own. Its form starts a load or a
// sweep (POST /api/load) and Stop ends it (POST /api/load/stop); the run's progress comes as `load` events
// of the page's event stream (client-core.ts hands them over as `dyno-load` DOM events), its rows drawn as
// they are measured. It also asks GET /load for the latest report dyno start holds (a `dyno load` run in
// a terminal; every 3 s, only while the tab is visible) and draws the capacity table, a bar per count
// (rps answered by dynos, p99 and the H-error share beside it), the verdict and the report as printed.
// Plain browser JavaScript in a string, no template literals inside.

/** Browser JavaScript: the load panel. */
export const CLIENT_LOAD = String.raw`(() => {
'use strict';
const $ = (id) => document.getElementById(id);
const ms = (v) => (v === null || v === undefined ? '–' : v >= 1000 ? (v / 1000).toFixed(1) + ' s' : Math.round(v) + ' ms');
const pct = (v) => (v === null || v === undefined ? '–' : Math.round(v) + ' %');
let shownAt = null;
let live = null;
const LIVE = ['starting', 'running', 'stopping'];

function cell(text, cls) {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) td.className = cls;
  return td;
}

function spread(dynos) {
  const total = Object.values(dynos).reduce((a, b) => a + b, 0);
  return total ? Object.entries(dynos).map(([d, n]) => d + ' ' + Math.round((100 * n) / total) + '%').join(', ') : '–';
}

function codes(c) {
  return Object.entries(c).filter(([k]) => k !== 'H27').map(([k, n]) => k + '×' + n).join(' ') || 'none';
}

function typeCpu(row, type) {
  const known = row.dynos.filter((d) => d.name.indexOf(type + '.') === 0 && d.cpuPct !== null);
  return known.length ? known.reduce((n, d) => n + d.cpuPct, 0) : null;
}

// Rows of [label, result]: a sweep's counts, or the single run.
function rowsOf(report) {
  if (report.kind === 'sweep') return report.rows.map((r) => [report.type + '=' + r.count, r, report.type]);
  const types = Object.keys(report.result.formation);
  return [[Object.entries(report.result.formation).map(([t, n]) => t + '=' + n).join(' '), report.result, types.indexOf('web') >= 0 ? 'web' : types[0]]];
}

// The latest report dyno start holds, unless a run of this page is under way (its events draw then).
function draw(body) {
  if (live && LIVE.indexOf(live.state) >= 0) return;
  if (!body.report || body.at === shownAt) return void (shownAt === null && ($('load-empty').hidden = false));
  shownAt = body.at;
  drawReport(body.report, body.at, null);
}

function drawReport(report, at, text) {
  $('load-empty').hidden = true;
  $('load-body').hidden = false;
  const p = report.plan;
  $('load-when').textContent = '(' + new Date(at).toLocaleTimeString() + ')';
  $('load-text-box').hidden = !text;
  $('load-text').textContent = text || '';
  $('load-plan').textContent = p.method + ' ' + p.url + ': ' + p.connections + ' connections, ' + (p.requests ? p.requests + ' requests' : p.durationMs / 1000 + ' s') + (p.rate ? ', at most ' + p.rate + '/s' : '') + (report.interrupted ? ' (interrupted)' : '');
  $('load-verdict').textContent = report.kind === 'sweep' ? 'Verdict: ' + report.verdict : '';
  const rows = rowsOf(report);
  const max = Math.max(1, ...rows.map(([, r]) => r.rps));
  $('load-table').tBodies[0].replaceChildren(...rows.map(([label, r, type]) => {
    const tr = document.createElement('tr');
    const t = r.router;
    tr.append(cell(label), cell(r.rps.toFixed(0), 'num'), cell(ms(t.p50), 'num'), cell(ms(t.p95), 'num'), cell(ms(t.p99), 'num'),
      cell(String(t.status['2xx']), 'num'), cell(String(t.status['5xx']), 'num'), cell(codes(t.codes)), cell(spread(t.dynos)), cell(pct(typeCpu(r, type)), 'num'), cell(pct(r.manager.cpuPct), 'num'), cell(pct(r.machineCpuPct), 'num'));
    return tr;
  }));
  $('load-chart').tBodies[0].replaceChildren(...rows.map(([label, r]) => {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = label;
    const bar = cell('', 'bar');
    const fill = document.createElement('div');
    fill.className = 'fill';
    fill.style.width = ((100 * r.rps) / max).toFixed(1) + '%';
    bar.append(fill);
    bar.setAttribute('aria-hidden', 'true');
    const errors = Object.entries(r.router.codes).reduce((n, [k, c]) => (k === 'H27' ? n : n + c), 0);
    const bad = errors ? ', ' + Math.round((100 * errors) / Math.max(1, r.router.requests)) + ' % H errors' : '';
    tr.append(th, bar, cell(r.rps.toFixed(0) + ' rps, p99 ' + ms(r.router.p99) + bad, 'num'));
    return tr;
  }));
}

// A run's state: the progress line, the buttons, its rows so far, then its report.
function onRun(run) {
  if (!run) return;
  live = run;
  const busy = LIVE.indexOf(run.state) >= 0;
  $('load-start').disabled = busy;
  $('load-stop').disabled = !busy || run.state === 'stopping';
  const r = run.request;
  const what = r.sweep ? 'Sweep ' + r.sweep.type + '=' + r.sweep.from + '..' + r.sweep.to : 'Load';
  const step = run.step ? run.step.text + (run.counts && run.step.count !== undefined ? ' (count ' + (run.counts.indexOf(run.step.count) + 1) + ' of ' + run.counts.length + ')' : '') : '';
  const restored = run.restored ? '; formation restored: ' + Object.entries(run.restored).map(([t, n]) => t + '=' + n).join(' ') : '';
  const says = {
    starting: what + ' of ' + r.path + ': starting…',
    running: what + ' of ' + r.path + ': ' + (step || 'running'),
    stopping: what + ' of ' + r.path + ': stopping, restoring the formation…',
    finished: what + ' of ' + r.path + ': done' + restored,
    stopped: what + ' of ' + r.path + ': stopped' + (run.rows.length ? ' after ' + run.rows.length + ' count' + (run.rows.length === 1 ? '' : 's') : '') + restored,
    failed: what + ' of ' + r.path + ': failed' + restored,
  };
  $('load-progress').textContent = says[run.state] || run.state;
  $('load-progress').dataset.state = run.state;
  showError(run.state === 'failed' ? run.error : null);
  if (run.report) return void drawReport(run.report, run.endedAt || Date.now(), run.text);
  if (r.sweep && run.rows.length) drawReport({ kind: 'sweep', type: r.sweep.type, rows: run.rows, verdict: '', plan: run.rows[0].plan || { method: 'GET', url: r.path, connections: r.connections, durationMs: r.durationMs } }, run.startedAt, null);
}

function showError(error) {
  $('load-error').hidden = !error;
  $('load-error').textContent = error ? error.message + (error.hint ? ' (hint: ' + error.hint + ')' : '') : '';
}

// The form as the API takes it; the server checks every field and says what is wrong.
function formBody() {
  const body = { path: $('load-path').value.trim(), connections: $('load-connections').value.trim(), duration: $('load-duration').value.trim(), warmup: $('load-warmup').value.trim() };
  if ($('load-sweep').checked) body.sweep = { type: $('load-type').value, from: $('load-from').value.trim(), to: $('load-to').value.trim() };
  return body;
}

async function post(path, body) {
  try {
    const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const reply = await res.json().catch(() => ({ ok: false, error: { message: 'HTTP ' + res.status + ' from ' + path } }));
    showError(reply.ok ? null : reply.error);
    if (reply.ok) onRun(reply.load);
    return reply;
  } catch (err) {
    showError({ message: 'dyno start did not answer: ' + err.message });
    return { ok: false };
  }
}

function setupForm() {
  const sweepFields = ['load-type', 'load-from', 'load-to'];
  $('load-sweep').addEventListener('change', () => sweepFields.forEach((id) => ($(id).disabled = !$('load-sweep').checked)));
  $('load-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    $('load-start').disabled = true;
    const reply = await post('/api/load', formBody());
    if (!reply.ok) $('load-start').disabled = false;
  });
  $('load-stop').addEventListener('click', () => {
    $('load-stop').disabled = true;
    void post('/api/load/stop', {});
  });
  document.addEventListener('dyno-load', (ev) => onRun(ev.detail));
  document.addEventListener('dyno-load-report', (ev) => draw(ev.detail)); // pushed: a dyno load run from a terminal
}

// The scalable types for the sweep's select (once); without a router there is nothing to load.
function setTypes(types) {
  const select = $('load-type');
  if (select.options.length || !types) return;
  select.replaceChildren(...types.map((t) => Object.assign(document.createElement('option'), { value: t, textContent: t })));
  if (!types.length) $('load-form').querySelectorAll('input, select, button').forEach((e) => (e.disabled = true));
}

async function poll() {
  if (document.visibilityState === 'visible') {
    try {
      const res = await fetch('/load', { headers: { accept: 'application/json' } });
      if (res.ok) {
        const body = await res.json();
        setTypes(body.types);
        if (!live && body.run) onRun(body.run);
        draw(body);
      }
    } catch (e) {
      // dyno start is gone; the page's banner says so, and the next poll retries
    }
  }
  setTimeout(poll, 3000);
}

setupForm();
poll();
})();
`;

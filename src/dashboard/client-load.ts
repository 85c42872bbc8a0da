// GET /load.js: the dashboard's "Load and sweep" panel, a script of its own. It asks GET /load for the
// latest `dyno load` report that dyno start holds (every 3 s, only while the tab is visible) and draws
// the capacity table, a bar per count (rps answered by dynos, p99 and the H-error share beside it) and the
// verdict. Plain browser JavaScript in a string, no template literals inside.

/** Browser JavaScript: the load panel. */
export const CLIENT_LOAD = String.raw`(() => {
'use strict';
const $ = (id) => document.getElementById(id);
const ms = (v) => (v === null || v === undefined ? '–' : v >= 1000 ? (v / 1000).toFixed(1) + ' s' : Math.round(v) + ' ms');
const pct = (v) => (v === null || v === undefined ? '–' : Math.round(v) + ' %');
let shownAt = null;

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

function draw(body) {
  const report = body.report;
  $('load-empty').hidden = !!report;
  $('load-body').hidden = !report;
  if (!report || body.at === shownAt) return;
  shownAt = body.at;
  const p = report.plan;
  $('load-when').textContent = '(' + new Date(body.at).toLocaleTimeString() + ')';
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

async function poll() {
  if (document.visibilityState === 'visible') {
    try {
      const res = await fetch('/load', { headers: { accept: 'application/json' } });
      if (res.ok) draw(await res.json());
    } catch (e) {
      // dyno start is gone; the page's banner says so, and the next poll retries
    }
  }
  setTimeout(poll, 3000);
}

poll();
})();
`;

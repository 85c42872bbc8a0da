// Page script, part 3 of 4: Router metrics. Two small inline-SVG line charts (requests per second;
// p50/p95/p99 service time on a log scale, told apart by dash pattern as well as colour) and two count tables
// (status classes, H codes) with bars. Each chart's aria-label states its numbers in words.

/** Browser JavaScript: drawMetrics(). */
export const CLIENT_METRICS = String.raw`
const SVG_NS = 'http://www.w3.org/2000/svg';
const CHART_W = 300;
const CHART_H = 80;

// An SVG path through the values (nulls break the line), scaled to max (by scale: linear or log).
function linePath(values, max, scale) {
  const f = scale || ((v) => v);
  let d = '';
  let pen = false;
  values.forEach((v, i) => {
    if (v === null) return void (pen = false);
    const x = (i / Math.max(1, values.length - 1)) * CHART_W;
    const y = CHART_H - 2 - (f(v) / f(max)) * (CHART_H - 6);
    if (!pen) d += 'M' + Math.max(0, x - 1.5).toFixed(1) + ' ' + y.toFixed(1); // a lone second still shows
    d += 'L' + x.toFixed(1) + ' ' + y.toFixed(1);
    pen = true;
  });
  return d;
}

function svgPath(cls, d) {
  const p = document.createElementNS(SVG_NS, 'path');
  p.setAttribute('class', cls);
  p.setAttribute('d', d);
  return p;
}

const ms = (v) => (v === null ? '–' : v + ' ms');

function drawMetrics(m) {
  const s = m.series;
  const t = m.totals;
  const peak = Math.max(0, ...s.requests);
  const rpsMax = Math.max(1, peak);
  const line = linePath(s.requests, rpsMax);
  const area = line ? line + 'L' + CHART_W + ' ' + CHART_H + 'L0 ' + CHART_H + 'Z' : '';
  $('chart-rps').replaceChildren(svgPath('rps-fill', area), svgPath('rps', line));
  $('chart-rps').setAttribute('aria-label', 'Requests per second over the last ' + m.windowSec / 60 + ' minutes: now ' + t.recentRps.toFixed(1) + ', peak ' + peak);
  $('rps-now').textContent = t.recentRps.toFixed(1);
  $('rps-peak').textContent = String(peak);
  const latMax = Math.max(1, ...s.p99.filter((v) => v !== null));
  const log = (v) => Math.log10(1 + v); // one slow request must not flatten the rest
  $('chart-lat').replaceChildren(...['p50', 'p95', 'p99'].map((p) => svgPath(p, linePath(s[p], latMax, log))));
  $('chart-lat').setAttribute('aria-label', 'Service time over the window: p50 ' + ms(t.p50) + ', p95 ' + ms(t.p95) + ', p99 ' + ms(t.p99));
  $('p50').textContent = ms(t.p50);
  $('p95').textContent = ms(t.p95);
  $('p99').textContent = ms(t.p99);
  $('lat-max').textContent = String(latMax);
  $('req-total').textContent = String(t.requests);
  drawBars($('status'), Object.entries(t.status), 'c', t.requests);
  const codes = Object.entries(t.codes);
  if (codes.length) drawBars($('codes'), codes, 'code ', Math.max(...codes.map((c) => c[1])));
  else $('codes').tBodies[0].replaceChildren(el('tr', {}, [el('td', { colspan: '3', class: 'muted', text: 'none in the window' })]));
}

// One row per [label, count]: label, count, and a bar of count/total.
function drawBars(table, entries, cls, total) {
  table.tBodies[0].replaceChildren(...entries.map(([label, count]) => {
    const fill = el('div', { class: 'fill' });
    fill.style.width = (total ? (100 * count) / total : 0).toFixed(1) + '%';
    return el('tr', { class: cls + label, 'data-label': label }, [el('th', { scope: 'row', text: label }), el('td', { class: 'num', text: String(count) }), el('td', { class: 'bar', 'aria-hidden': 'true' }, [fill])]);
  }));
}
`;

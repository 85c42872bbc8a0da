// Page script, part 4 of 4: the live log tail. Names carry their process type's terminal colour
// (router and dyno's own lines bold white, stderr marked `!` in red, as `dyno start` prints);
// filter by dyno or type and by source; pause holds new lines (counted) until resumed. An app's
// ANSI colours are drawn as colours (client-ansi.ts), never as markup.

/** Browser JavaScript: resetLogs(), addLogs(), updateDynoFilter(). */
export const CLIENT_LOGS = String.raw`
const MAX_LINES = 1000;
let logLines = [];
let held = [];
let paused = false;

const pad2 = (n) => String(n).padStart(2, '0');
const clock = (ts) => { const d = new Date(ts); return pad2(d.getHours()) + ':' + pad2(d.getMinutes()) + ':' + pad2(d.getSeconds()); };

function passes(line) {
  const dyno = $('filter-dyno').value;
  const source = $('filter-source').value;
  if (source && line.source !== source) return false;
  if (!dyno) return true;
  return dyno.startsWith('type:') ? typeOf(line.dyno) === dyno.slice(5) : line.dyno === dyno.slice(5);
}

function lineItem(line) {
  const sys = isSystem(line);
  const name = el('span', { class: 'name' + (sys ? ' sys' : ''), text: line.source === 'dyno' || !line.dyno ? 'dyno' : line.dyno });
  if (!sys) name.style.color = colourOf(typeOf(line.dyno));
  const stderr = line.source === 'app' && line.stream === 'stderr';
  const sep = el('span', { class: 'sep' + (stderr ? ' err' : sys ? ' sys' : ''), text: stderr ? '!' : line.source === 'app' ? '|' : '*' });
  const routerError = line.dyno === 'router' && /at=error|\bstatus=5\d\d\b/.test(line.text);
  const text = el('span', { class: 'text' + (routerError ? ' router-error' : '') }, ansiNodes(line.text));
  return el('li', { 'data-dyno': line.dyno, 'data-source': line.source }, [el('span', { class: 'ts', text: clock(line.ts) }), ' ', name, ' ', sep, ' ', text]);
}

function resetLogs(lines) {
  logLines = lines.slice(-MAX_LINES);
  held = [];
  renderLogs();
}

function renderLogs() {
  $('log').replaceChildren(...logLines.filter(passes).map(lineItem));
  scrollToEnd(true);
  showHeld();
}

function addLogs(lines) {
  if (paused) return void (held.push(...lines), showHeld());
  const log = $('log');
  const atEnd = log.scrollTop + log.clientHeight >= log.scrollHeight - 8;
  logLines.push(...lines);
  if (logLines.length > MAX_LINES) logLines.splice(0, logLines.length - MAX_LINES);
  log.append(...lines.filter(passes).map(lineItem));
  while (log.children.length > MAX_LINES) log.firstChild.remove();
  scrollToEnd(atEnd);
}

function scrollToEnd(really) {
  if (really) $('log').scrollTop = $('log').scrollHeight;
}

function showHeld() {
  $('held').textContent = paused ? held.length + ' new line' + (held.length === 1 ? '' : 's') + ' held' : '';
}

function togglePause() {
  paused = !paused;
  const button = $('pause');
  button.setAttribute('aria-pressed', String(paused));
  button.textContent = paused ? 'Resume' : 'Pause';
  if (!paused) {
    const lines = held;
    held = [];
    addLogs(lines);
  }
  showHeld();
}

// The dyno filter offers every type and every dyno running (and the router); rebuilt only on change.
function updateDynoFilter() {
  const select = $('filter-dyno');
  const options = [['', 'all dynos']];
  for (const t of state.info.types) options.push(['type:' + t.name, t.name + ' (every dyno)']);
  for (const d of state.dynos) options.push(['dyno:' + d.name, d.name]);
  options.push(['dyno:router', 'router']);
  const key = options.map((o) => o[0]).join();
  if (select.dataset.key === key) return;
  const value = select.value;
  select.replaceChildren(...options.map(([v, label]) => el('option', { value: v, text: label })));
  select.value = options.some((o) => o[0] === value) ? value : '';
  select.dataset.key = key;
}

function setupLogs() {
  $('filter-dyno').addEventListener('change', renderLogs);
  $('filter-source').addEventListener('change', renderLogs);
  $('pause').addEventListener('click', togglePause);
}
`;

// Page script, part 2 of 4: the Resources section. One row per process type with a labelled range
// slider and −/+ buttons (keyboard-operable; applied through POST /api/scale after a short pause),
// and one row per dyno, updated in place so focus stays put. A slider's range follows the formation:
// 0–10 at least, twice the current count beyond that, never past the dynos the limit leaves.

/** Browser JavaScript: buildTypes(), updateTypes(), updateDynos(). */
export const CLIENT_RESOURCES = String.raw`
const SCALE_DEBOUNCE_MS = 400;
const MIN_SLIDER_MAX = 10;

// The slider's top for a type running n of total dynos.
function sliderMax(n, total) {
  return Math.max(0, Math.min(state.info.maxDynos - (total - n), Math.max(MIN_SLIDER_MAX, 2 * n)));
}
const typeRows = new Map();
const dynoRows = new Map();

function buildTypes(types) {
  const tbody = $('types').tBodies[0];
  if (types.map((t) => t.name).join() === [...typeRows.keys()].join()) return;
  typeRows.clear();
  tbody.replaceChildren(...types.map((t) => typeRow(t)));
}

function typeRow(t) {
  const id = 'scale-' + t.name;
  const input = el('input', { type: 'range', id, min: '0', max: String(MIN_SLIDER_MAX), step: '1', value: '0' });
  const output = el('output', { for: id, text: '0' });
  const less = el('button', { type: 'button', 'aria-label': 'Fewer ' + t.name + ' dynos', text: '−' });
  const more = el('button', { type: 'button', 'aria-label': 'More ' + t.name + ' dynos', text: '+' });
  const restart = el('button', { type: 'button', 'aria-label': 'Restart every ' + t.name + ' dyno', text: 'Restart all' });
  input.addEventListener('input', () => setCount(t.name, Number(input.value)));
  less.addEventListener('click', () => setCount(t.name, Math.max(0, Number(input.value) - 1)));
  more.addEventListener('click', () => setCount(t.name, Math.min(roomFor(t.name), Number(input.value) + 1), true));
  restart.addEventListener('click', () => act(restart, '/api/restart', { target: t.name }));
  const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
  swatch.style.background = t.colour;
  const label = el('label', { for: id }, [swatch, t.name, el('span', { class: 'sr', text: ' dynos' })]);
  typeRows.set(t.name, { input, output });
  return el('tr', { 'data-type': t.name }, [
    el('th', { scope: 'row' }, [label]),
    el('td', {}, [el('code', { text: t.command })]),
    el('td', {}, [el('div', { class: 'scale' }, [less, input, more, output])]),
    el('td', {}, [restart]),
  ]);
}

// How many dynos of a type the limit allows, the others' counts (pending ones included) kept.
function roomFor(type) {
  const counts = Object.assign({}, state.formation);
  for (const [t, p] of Object.entries(state.pending)) counts[t] = p.value;
  const others = Object.entries(counts).reduce((sum, [t, n]) => sum + (t === type ? 0 : n), 0);
  return state.info.maxDynos - others;
}

// The user moved a slider or pressed −/+: show it at once, apply it once they pause. A button
// (grow) may widen the range at once; a slider being dragged keeps its range under the pointer.
function setCount(type, value, grow) {
  const row = typeRows.get(type);
  if (grow && value > Number(row.input.max)) row.input.max = String(value);
  row.input.value = String(value);
  showCount(row, value);
  const prev = state.pending[type];
  if (prev) clearTimeout(prev.timer);
  const pending = { value };
  pending.timer = setTimeout(async () => {
    await post('/api/scale', { type, count: value });
    if (state.pending[type] === pending) delete state.pending[type];
    updateTypes();
  }, SCALE_DEBOUNCE_MS);
  state.pending[type] = pending;
}

function showCount(row, value) {
  row.output.textContent = String(value);
  row.input.setAttribute('aria-valuetext', value + (value === 1 ? ' dyno' : ' dynos'));
}

// Sliders follow the formation (except while the user is changing one); the total stays ≤ the limit.
function updateTypes() {
  const counts = Object.assign({}, state.formation);
  for (const [type, p] of Object.entries(state.pending)) counts[type] = p.value;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  $('total').textContent = '(' + total + ' of ' + state.info.maxDynos + ' dynos)';
  for (const [type, row] of typeRows) {
    const n = counts[type] || 0;
    if (!state.pending[type]) row.input.max = String(sliderMax(n, total));
    if (!state.pending[type]) {
      row.input.value = String(n);
      showCount(row, n);
    }
  }
}

async function act(button, path, body) {
  button.disabled = true;
  await post(path, body);
  button.disabled = false;
}

function updateDynos() {
  const tbody = $('dynos').tBodies[0];
  const seen = new Set();
  state.dynos.forEach((d, i) => {
    const row = dynoRows.get(d.name) || dynoRow(d.name);
    dynoRows.set(d.name, row);
    seen.add(d.name);
    fillDyno(row, d);
    if (tbody.children[i] !== row.tr) tbody.insertBefore(row.tr, tbody.children[i] || null);
  });
  for (const [name, row] of dynoRows) if (!seen.has(name)) (row.tr.remove(), dynoRows.delete(name));
  $('no-dynos').hidden = state.dynos.length > 0;
}

function dynoRow(name) {
  const cells = {};
  for (const k of ['state', 'pid', 'port', 'uptime', 'restarts', 'memory']) cells[k] = el('td', { class: k === 'state' ? '' : 'num' });
  const restart = el('button', { type: 'button', 'aria-label': 'Restart ' + name, text: 'Restart' });
  const stop = el('button', { type: 'button', 'aria-label': 'Stop ' + name, text: 'Stop' });
  restart.addEventListener('click', () => act(restart, '/api/restart', { target: name }));
  stop.addEventListener('click', () => act(stop, '/api/stop', { target: name }));
  const th = el('th', { scope: 'row', text: name });
  th.style.color = colourOf(typeOf(name));
  const tr = el('tr', { 'data-dyno': name }, [th, cells.state, cells.pid, cells.port, cells.uptime, cells.restarts, cells.memory, el('td', {}, [restart, ' ', stop])]);
  return { tr, cells };
}

function fillDyno(row, d) {
  const c = row.cells;
  c.state.replaceChildren(el('span', { class: 'state state-' + d.state, text: d.state }));
  row.tr.dataset.state = d.state;
  c.pid.textContent = d.pid === null ? '–' : String(d.pid);
  c.port.textContent = String(d.port);
  c.uptime.textContent = d.uptime;
  c.restarts.textContent = String(d.restarts);
  if (!d.memoryQuotaMb) return void (c.memory.textContent = d.rss);
  const meter = el('meter', { min: '0', max: String(d.memoryQuotaMb), high: String(d.memoryQuotaMb * 0.9), value: String((d.rssBytes || 0) / 1048576), 'aria-hidden': 'true' });
  c.memory.replaceChildren(meter, d.rss + ' of ' + d.memoryQuotaMb + ' MB');
}

`;

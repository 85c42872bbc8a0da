// The dashboard page's markup and style, served by dyno itself (no CDN, no external request). The
// script (page-script.ts) fills it from the event stream. Every control has a label; state is
// always spelled out in text as well as colour; focus is always visible.

/** GET / */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>dyno dashboard</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/app.css">
<script src="/app.js" defer></script>
<script src="/load.js" defer></script>
</head>
<body>
<a class="skip" href="#logs">Skip to logs</a>
<header>
  <h1>dyno <span id="app-root" class="muted"></span> <a id="app-url" class="app-url" target="_blank" rel="noopener noreferrer" hidden>Open app</a></h1>
  <p id="banner" class="banner" role="status" aria-live="polite">Connecting…</p>
  <p id="error" class="error" role="alert" hidden></p>
</header>
<main>
<section aria-labelledby="resources-h">
  <h2 id="resources-h">Resources</h2>
  <table id="types">
    <caption>Process types <span id="total" class="muted"></span></caption>
    <thead><tr><th scope="col">Type</th><th scope="col">Command</th><th scope="col">Dynos</th><th scope="col">Actions</th></tr></thead>
    <tbody></tbody>
  </table>
  <table id="dynos">
    <caption>Dynos</caption>
    <thead><tr><th scope="col">Dyno</th><th scope="col">State</th><th scope="col">PID</th><th scope="col">Port</th><th scope="col">Uptime</th><th scope="col">Restarts</th><th scope="col">Memory</th><th scope="col">Actions</th></tr></thead>
    <tbody></tbody>
  </table>
  <p id="no-dynos" class="muted" hidden>No dynos running.</p>
</section>
<section aria-labelledby="metrics-h">
  <h2 id="metrics-h">Router metrics <span class="muted">(last 5 minutes, per second)</span></h2>
  <div class="charts">
    <figure>
      <figcaption>Requests per second: <b id="rps-now">0</b> <span class="muted">(10 s mean; peak <span id="rps-peak">0</span>/s)</span></figcaption>
      <svg id="chart-rps" role="img" aria-label="Requests per second" viewBox="0 0 300 80" preserveAspectRatio="none"></svg>
    </figure>
    <figure>
      <figcaption>Service time: p50 <b id="p50">–</b>, p95 <b id="p95">–</b>, p99 <b id="p99">–</b> <span class="muted">(log scale, up to <span id="lat-max">0</span> ms)</span></figcaption>
      <svg id="chart-lat" role="img" aria-label="Service time percentiles" viewBox="0 0 300 80" preserveAspectRatio="none"></svg>
      <ul class="legend"><li><svg viewBox="0 0 24 6" aria-hidden="true"><path class="p50" d="M0 3H24"/></svg>p50 (solid)</li><li><svg viewBox="0 0 24 6" aria-hidden="true"><path class="p95" d="M0 3H24"/></svg>p95 (dashed)</li><li><svg viewBox="0 0 24 6" aria-hidden="true"><path class="p99" d="M0 3H24"/></svg>p99 (dotted)</li></ul>
    </figure>
    <figure>
      <figcaption>Status classes <span class="muted">(<span id="req-total">0</span> requests)</span></figcaption>
      <table id="status" class="bars"><tbody></tbody></table>
    </figure>
    <figure>
      <figcaption>Router errors (H codes)</figcaption>
      <table id="codes" class="bars"><tbody></tbody></table>
    </figure>
  </div>
</section>
<section id="load" aria-labelledby="load-h">
  <h2 id="load-h">Load and sweep <span id="load-when" class="muted"></span></h2>
  <form id="load-form" class="toolbar load-form" novalidate>
    <label for="load-path">Path</label> <input id="load-path" name="path" value="/" size="18" spellcheck="false" autocomplete="off">
    <label for="load-connections">Connections</label> <input id="load-connections" name="connections" value="10" size="4" inputmode="numeric">
    <label for="load-duration">Duration</label> <input id="load-duration" name="duration" value="10s" size="5">
    <label for="load-warmup">Warm-up</label> <input id="load-warmup" name="warmup" value="2s" size="5">
    <label class="sweep-on"><input id="load-sweep" type="checkbox"> Sweep</label>
    <label for="load-type">type</label> <select id="load-type" disabled></select>
    <label for="load-from">from</label> <input id="load-from" value="1" size="3" inputmode="numeric" disabled>
    <label for="load-to">to</label> <input id="load-to" value="3" size="3" inputmode="numeric" disabled>
    <button id="load-start" type="submit">Start</button>
    <button id="load-stop" type="button" disabled>Stop</button>
  </form>
  <p id="load-progress" class="muted" role="status" aria-live="polite"></p>
  <p id="load-error" class="error" role="alert" hidden></p>
  <p id="load-empty" class="muted">No load run yet: start one above, or run <code>dyno load</code> or <code>dyno load --sweep web=1..4</code> in another terminal; its report appears here.</p>
  <div id="load-body" hidden>
    <p id="load-plan" class="muted"></p>
    <p id="load-verdict"></p>
    <table id="load-table">
      <caption>What the router saw per count</caption>
      <thead><tr><th scope="col">Formation</th><th scope="col">rps</th><th scope="col">p50</th><th scope="col">p95</th><th scope="col">p99</th><th scope="col">2xx</th><th scope="col">5xx</th><th scope="col">H codes</th><th scope="col">Spread</th><th scope="col">Dyno CPU</th><th scope="col">dyno start CPU</th><th scope="col">Machine CPU</th></tr></thead>
      <tbody></tbody>
    </table>
    <table id="load-chart" class="bars"><caption>Throughput per count</caption><tbody></tbody></table>
    <details id="load-text-box" hidden><summary>As <code>dyno load</code> prints it</summary><pre id="load-text"></pre></details>
  </div>
</section>
<section id="logs" aria-labelledby="logs-h">
  <h2 id="logs-h">Logs</h2>
  <div class="toolbar">
    <label for="filter-dyno">Dyno</label> <select id="filter-dyno"><option value="">all dynos</option></select>
    <label for="filter-source">Source</label>
    <select id="filter-source"><option value="">all sources</option><option value="app">app</option><option value="heroku">heroku</option><option value="dyno">dyno</option></select>
    <button id="pause" type="button" aria-pressed="false">Pause</button>
    <span id="held" class="muted" aria-live="polite"></span>
  </div>
  <ol id="log" tabindex="0" aria-label="Log tail, newest last"></ol>
</section>
</main>
</body>
</html>
`;

/** GET /app.css: a dark theme, so the terminal's type colours read as they do in a terminal. */
export const PAGE_STYLE = `
:root { color-scheme: dark; --bg: #15171c; --panel: #1e2128; --line: #343946; --fg: #e6e6e6; --muted: #9aa3b2; --accent: #7cc4ff; --up: #23d18b; --wait: #f5c542; --bad: #ff6b6b; --off: #9aa3b2; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, sans-serif; }
header, main { max-width: 1200px; margin: 0 auto; padding: 0 16px; }
h1 { font-size: 20px; margin: 16px 0 8px; } h2 { font-size: 16px; margin: 0 0 8px; }
section { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; margin: 12px 0; }
.muted { color: var(--muted); font-weight: normal; }
a { color: var(--accent); } .app-url { font-size: 14px; font-weight: normal; margin-left: 8px; }
#log .ansi { font-weight: inherit; }
.skip { position: absolute; left: -9999px; } .skip:focus { left: 8px; top: 8px; background: var(--panel); padding: 4px 8px; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.banner { margin: 0 0 8px; padding: 6px 10px; border-radius: 4px; background: #4a3b12; color: #ffe9a8; }
.banner:empty { display: none; }
.error { margin: 0 0 8px; padding: 6px 10px; border-radius: 4px; background: #4d1f24; color: #ffd0d4; }
table { border-collapse: collapse; width: 100%; margin-bottom: 12px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: middle; }
thead th { color: var(--muted); font-weight: 600; font-size: 12px; text-transform: uppercase; }
code { font: 12px/1.4 ui-monospace, monospace; }
button { background: #2b3040; color: var(--fg); border: 1px solid var(--line); border-radius: 4px; padding: 3px 10px; font: inherit; cursor: pointer; }
button:hover { background: #363c50; } button:disabled { opacity: .5; cursor: progress; }
button[aria-pressed="true"] { background: #4a3b12; }
.scale { display: flex; align-items: center; gap: 6px; }
.scale input[type=range] { width: 220px; accent-color: var(--accent); }
.scale output { min-width: 3ch; text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
.state { font-weight: 600; } .state::before { content: "●"; margin-right: 4px; }
.state-up { color: var(--up); } .state-starting, .state-restarting { color: var(--wait); }
.state-crashed { color: var(--bad); } .state-complete { color: var(--accent); } .state-stopping, .state-down { color: var(--off); }
meter { width: 80px; margin-right: 6px; vertical-align: middle; }
td.num { font-variant-numeric: tabular-nums; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 12px; }
figure { margin: 0; } figcaption { margin-bottom: 4px; }
figure > svg { width: 100%; height: 90px; background: var(--bg); border: 1px solid var(--line); border-radius: 4px; }
svg path { fill: none; stroke-width: 1.5; vector-effect: non-scaling-stroke; }
.rps { stroke: #7cc4ff; } .rps-fill { fill: rgba(124, 196, 255, .18); stroke: none; }
.p50 { stroke: #23d18b; } .p95 { stroke: #f5c542; stroke-dasharray: 5 3; } .p99 { stroke: #ff6b6b; stroke-dasharray: 1.5 2.5; }
.legend { list-style: none; display: flex; gap: 12px; padding: 0; margin: 4px 0 0; font-size: 12px; }
.legend svg { width: 24px; height: 6px; margin-right: 4px; vertical-align: middle; }
.bars td.bar { width: 60%; } .bars .fill { height: 10px; border-radius: 2px; background: var(--accent); }
.bars .c4xx .fill { background: var(--wait); } .bars .c5xx .fill, .bars .code .fill { background: var(--bad); }
.toolbar { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; margin-bottom: 8px; }
select { background: var(--bg); color: var(--fg); border: 1px solid var(--line); border-radius: 4px; padding: 3px 6px; font: inherit; }
#log { list-style: none; margin: 0; padding: 8px; height: 360px; overflow: auto; background: #0e0f12; border-radius: 4px; font: 12px/1.5 ui-monospace, monospace; }
#load-text { font: 12px/1.4 ui-monospace, monospace; overflow-x: auto; background: var(--bg); padding: 8px; border-radius: 4px; }
input:not([type]) { background: var(--bg); color: var(--fg); border: 1px solid var(--line); border-radius: 4px; padding: 3px 6px; font: inherit; }
input:disabled, select:disabled { opacity: .5; }
#log li { white-space: pre-wrap; word-break: break-all; }
#log .ts { color: var(--muted); } #log .sys { color: #ffffff; font-weight: 700; } #log .err, #log .router-error { color: #ff6b6b; }
`;

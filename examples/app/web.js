// The example web process: answers on $PORT, names its dyno, and has a slow endpoint
// to show what Heroku's router does to a request that takes longer than 30 s.
import http from 'node:http';

const port = Number(process.env.PORT ?? 5000);
const dyno = process.env.DYNO ?? 'web';
const greeting = process.env.GREETING ?? 'Hello';

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/slow') {
    // GET /slow?s=35 answers after 35 s: past the router's 30 s cutoff (H12).
    const seconds = Number(url.searchParams.get('s') ?? 35);
    const timer = setTimeout(() => res.end(`${dyno} finally answered after ${seconds} s\n`), seconds * 1000);
    res.on('close', () => clearTimeout(timer));
    return;
  }
  if (url.pathname === '/cpu') {
    // GET /cpu?ms=10 keeps the CPU busy for 10 ms per request: a fixed cost, to see what another dyno buys.
    const until = performance.now() + Math.min(1000, Number(url.searchParams.get('ms') ?? 10));
    while (performance.now() < until);
    return res.end(`${dyno} worked\n`);
  }
  if (url.pathname === '/headers') {
    res.setHeader('content-type', 'application/json');
    return res.end(JSON.stringify(req.headers, null, 2) + '\n');
  }
  if (url.pathname === '/crash') {
    res.end(`${dyno} is crashing on purpose\n`);
    console.error(`${dyno}: crashing on purpose`);
    return setImmediate(() => process.exit(1));
  }
  res.setHeader('content-type', 'text/plain');
  res.end(`${greeting}, this is ${dyno} (pid ${process.pid})\n`);
  console.log(`${req.method} ${req.url} answered by ${dyno}`);
});

// Heroku's router keeps connections to dynos for 90 s: idle keep-alive must outlast it.
server.keepAliveTimeout = 95_000;
// Heroku requires 0.0.0.0; dyno reaches it on 127.0.0.1.
server.listen(port, '0.0.0.0', () => console.log(`${dyno} listening on port ${port}`));

process.on('SIGTERM', () => {
  console.log(`${dyno} got SIGTERM, closing`);
  server.close(() => process.exit(0));
  server.closeAllConnections();
});

// The example worker: picks up a "job" every WORK_INTERVAL_MS and logs it.
const dyno = process.env.DYNO ?? 'worker';
const interval = Number(process.env.WORK_INTERVAL_MS ?? 3000);
let job = 0;

console.log(`${dyno} waiting for jobs`);
const timer = setInterval(() => {
  job += 1;
  console.log(`${dyno} processed job #${job}`);
}, interval);

process.on('SIGTERM', () => {
  clearInterval(timer);
  console.log(`${dyno} finished job #${job}, exiting`);
  process.exit(0);
});

// The example clock: schedules work on a fixed period, like a cron dyno.
const dyno = process.env.DYNO ?? 'clock';
const interval = Number(process.env.CLOCK_INTERVAL_MS ?? 10000);

const timer = setInterval(() => console.log(`${dyno} tick ${new Date().toISOString()}`), interval);
process.on('SIGTERM', () => {
  clearInterval(timer);
  process.exit(0);
});

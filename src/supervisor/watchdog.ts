// Placeholder: replaced by the real watchdog.
export async function runWatchdog(): Promise<void> {}

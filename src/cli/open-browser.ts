// Best effort: open a URL with xdg-open (Linux) or open (macOS) when there is a display to show it
// on. Never fails the command: the URL is printed anyway.
import { spawn } from 'node:child_process';

/** Start the system's URL opener, detached, ignoring every failure; false when there is no display. */
export function openBrowser(url: string, env: Record<string, string | undefined>): boolean {
  const opener = process.platform === 'darwin' ? 'open' : env.DISPLAY || env.WAYLAND_DISPLAY ? 'xdg-open' : null;
  if (!opener) return false;
  try {
    const child = spawn(opener, [url], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined); // not installed
    child.unref();
  } catch {
    return false;
  }
  return true;
}

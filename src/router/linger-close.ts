// Close a socket after a final response without losing that response: read and drop what the client still sends.
import type { Duplex } from 'node:stream';

/** How long a rejected client may keep sending before the socket is destroyed. */
export const LINGER_MS = 2000;

/**
 * End `socket` after its last bytes were queued, then linger: destroying a socket whose receive queue still holds
 * client bytes makes the kernel send RST, which can discard the response before the client reads it (a client
 * still uploading an oversized head or body). Node's own parser is unhooked so it raises no second clientError.
 */
export function lingerClose(socket: Duplex, lastBytes: string): void {
  socket.removeAllListeners('data');
  socket.on('data', () => undefined);
  socket.end(lastBytes);
  socket.resume();
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

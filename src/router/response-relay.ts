// Relay a dyno's response to the client with backpressure, counting body bytes and noticing truncation.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { stripHopByHop } from './headers.js';

/** One response relay. */
export interface RelayOptions {
  proxyRes: IncomingMessage;
  res: ServerResponse;
  /** Called per body chunk from the dyno. */
  onBytes: (n: number) => void;
  /** Called once: `complete` is false when the dyno closed mid-response (H18). */
  onEnd: (complete: boolean) => void;
}

// Write the head (hop-by-hop stripped; node re-frames: chunked for 1.1 clients, close-delimited for 1.0), then pipe.
export function relayResponse(o: RelayOptions): void {
  const { proxyRes, res } = o;
  let ended = false;
  const end = (complete: boolean): void => {
    if (ended) return;
    ended = true;
    o.onEnd(complete);
  };
  res.writeHead(proxyRes.statusCode ?? 502, proxyRes.statusMessage, stripHopByHop(proxyRes.headers, true));
  proxyRes.on('data', (chunk: Buffer) => o.onBytes(chunk.length));
  res.on('finish', () => end(true));
  proxyRes.on('close', () => {
    if (!proxyRes.complete) end(false);
  });
  proxyRes.pipe(res);
}

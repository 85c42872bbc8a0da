// Relay a dyno's response to the client with backpressure, counting body bytes and noticing truncation.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { forwardRawResponseHeaders } from './headers.js';

/** Who hears about the relay's progress (the Exchange). */
export interface RelayListener {
  /** Called per body chunk from the dyno. */
  onBytes(n: number): void;
  /** Called once: `complete` is false when the dyno closed mid-response (H18). */
  onEnd(complete: boolean): void;
}

/** One response relay. */
export interface RelayOptions {
  proxyRes: IncomingMessage;
  res: ServerResponse;
  listener: RelayListener;
}

// Write the head as a raw list (hop-by-hop stripped, Via appended, no per-header setHeader; node re-frames: chunked for 1.1 clients, close-delimited for 1.0),
// then copy chunks by hand: one 'data' listener instead of Readable.pipe's half-dozen per response.
export function relayResponse(o: RelayOptions): void {
  const { proxyRes, res, listener } = o;
  let ended = false;
  const end = (complete: boolean): void => {
    if (ended) return;
    ended = true;
    listener.onEnd(complete);
  };
  res.writeHead(proxyRes.statusCode ?? 502, proxyRes.statusMessage, forwardRawResponseHeaders(proxyRes.rawHeaders));
  proxyRes.on('data', (chunk: Buffer) => {
    listener.onBytes(chunk.length);
    if (!res.write(chunk)) {
      proxyRes.pause();
      res.once('drain', () => proxyRes.resume());
    }
  });
  proxyRes.on('end', () => res.end());
  res.on('finish', () => end(true));
  proxyRes.on('close', () => {
    if (!proxyRes.complete) end(false);
  });
}

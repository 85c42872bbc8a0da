// Bytes → whole lines, one splitter per child per stream (ARCHITECTURE.md §6).
// UTF-8 safe across chunks, `\r\n` handled, blank lines kept, an idle partial line flushed after
// `idleFlushMs` (the newline that later ends it adds no blank line), lines longer than `maxLineBytes`
// cut into marked pieces, the rest flushed at end().
import { StringDecoder } from 'node:string_decoder';
import { systemClock, type Clock, type TimerHandle } from '../core/clock.js';

export interface LineSplitterOptions {
  /** Called once per complete line, without its newline; `ts` is when the line was assembled. */
  onLine(text: string, ts: number): void;
  clock?: Clock;
  /** A partial line idle this long is emitted as a line of its own. Default 20 ms. */
  idleFlushMs?: number;
  /** Lines longer than this many UTF-8 bytes are cut into pieces. Default 64 KiB. */
  maxLineBytes?: number;
}

/** Appended to every piece of a cut line except the last. */
export const CUT_MARK = ' [cut]';

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private readonly onLine: (text: string, ts: number) => void;
  private readonly clock: Clock;
  private readonly idleFlushMs: number;
  private readonly maxLineBytes: number;
  private pending = '';
  private timer: TimerHandle | undefined;
  private lastWriteAt = 0;
  private confirming = false;
  /** The last line was emitted by the idle flush, so a newline arriving next only ends it. */
  private afterIdleFlush = false;

  constructor(options: LineSplitterOptions) {
    this.onLine = options.onLine;
    this.clock = options.clock ?? systemClock;
    this.idleFlushMs = options.idleFlushMs ?? 20;
    this.maxLineBytes = options.maxLineBytes ?? 64 * 1024;
  }

  /** Feed a chunk of bytes; emits every line it completes. */
  write(chunk: Buffer): void {
    // pending holds no newline: the search for one starts where the new text does.
    let from = this.pending.length;
    let text = this.pending + this.decoder.write(chunk);
    if (this.afterIdleFlush && text) {
      // The newline that ends an idle-flushed line is not a blank line of its own.
      this.afterIdleFlush = false;
      from = 0;
      if (text.startsWith('\n')) text = text.slice(1);
      else if (text.startsWith('\r\n')) text = text.slice(2);
    }
    const now = this.clock.now();
    let start = 0;
    for (let nl = text.indexOf('\n', from); nl !== -1; nl = text.indexOf('\n', start)) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      this.emit(text.slice(start, end), now);
      start = nl + 1;
    }
    this.pending = start === 0 ? text : text.slice(start);
    if (this.pending.length * 3 > this.maxLineBytes) this.cutLongPending(now);
    this.lastWriteAt = now;
    this.confirming = false;
    if (this.pending && !this.timer) this.armIdleFlush(this.idleFlushMs);
  }

  /** Flush what remains (the stream ended). */
  end(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    if (rest) this.emit(rest.endsWith('\r') ? rest.slice(0, -1) : rest, this.clock.now());
  }

  private emit(line: string, ts: number): void {
    if (line.length * 3 > this.maxLineBytes) {
      const pieces = this.cut(line);
      for (let i = 0; i < pieces.length; i++) this.onLine(i < pieces.length - 1 ? pieces[i] + CUT_MARK : pieces[i]!, ts);
    } else {
      this.onLine(line, ts);
    }
  }

  // Emit whole pieces of an over-long partial line now, keep the tail pending.
  private cutLongPending(ts: number): void {
    const pieces = this.cut(this.pending);
    this.pending = pieces.pop() ?? '';
    for (const piece of pieces) this.onLine(piece + CUT_MARK, ts);
  }

  // Split into pieces of at most maxLineBytes UTF-8 bytes, never inside a character.
  private cut(line: string): string[] {
    if (Buffer.byteLength(line, 'utf8') <= this.maxLineBytes) return [line];
    const bytes = Buffer.from(line, 'utf8');
    const pieces: string[] = [];
    let start = 0;
    while (bytes.length - start > this.maxLineBytes) {
      let end = start + this.maxLineBytes;
      while (end > start && (bytes[end]! & 0xc0) === 0x80) end--;
      // maxLineBytes smaller than one character: take that whole character rather than loop forever.
      if (end === start) for (end = start + 1; (bytes[end]! & 0xc0) === 0x80; ) end++;
      pieces.push(bytes.toString('utf8', start, end));
      start = end;
    }
    pieces.push(bytes.toString('utf8', start));
    return pieces;
  }

  private armIdleFlush(ms: number): void {
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      if (!this.pending) return;
      const idle = this.clock.now() - this.lastWriteAt;
      if (idle < this.idleFlushMs) return this.armIdleFlush(this.idleFlushMs - idle);
      // Timers run before I/O in an event-loop turn: after a busy turn, the rest of the line may be
      // sitting unread in the pipe. Look once more after the next I/O phase before cutting the line.
      if (!this.confirming) {
        this.confirming = true;
        return this.armIdleFlush(0);
      }
      this.confirming = false;
      const line = this.pending;
      this.pending = '';
      this.afterIdleFlush = true;
      this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line, this.clock.now());
    }, ms);
  }
}

// Bytes → whole lines, one splitter per child per stream (ARCHITECTURE.md §6). Lines stay bytes: each is
// a range of the chunk read (split on byte 10, never decoded here; onSlice gets the range, onLine a view),
// so invalid UTF-8 and ANSI pass through exactly; `\r\n` handled, blank lines kept; a partial line is held
// until its newline for up to `idleFlushMs` (1 s; the newline that later ends it adds no blank line, and a
// flush never splits a UTF-8 character); lines longer than `maxLineBytes` cut into marked pieces; the rest
// flushed at end().
import { systemClock, type Clock, type TimerHandle } from '../core/clock.js';

/** Where lines go: `onLine` gets each as a Buffer of its own (a view), `onSlice` as a range of the chunk read. */
export type LineSplitterOptions = LineSplitterSettings &
  (
    | { /** Called once per complete line, without its newline; `ts` is when the line was assembled. */ onLine(bytes: Buffer, ts: number): void; onSlice?: undefined }
    | { /** Like onLine, the line being bytes [start, end) of `chunk` (no view made per line: the hot path). */ onSlice(chunk: Buffer, start: number, end: number, ts: number): void; onLine?: undefined }
  );

export interface LineSplitterSettings {
  clock?: Clock;
  /** A partial line idle this long is emitted as a line of its own. Default 1000 ms. */
  idleFlushMs?: number;
  /** Lines longer than this many bytes are cut into pieces. Default 64 KiB. */
  maxLineBytes?: number;
}

/** Appended to every piece of a cut line except the last. */
export const CUT_MARK = ' [cut]';
const CUT = Buffer.from(CUT_MARK);
const NL = 10;
const CR = 13;

export class LineSplitter {
  private readonly onSlice: (chunk: Buffer, start: number, end: number, ts: number) => void;
  private readonly clock: Clock;
  private readonly idleFlushMs: number;
  private readonly maxLineBytes: number;
  /** The partial line: pieces of earlier chunks, none holding a newline. */
  private parts: Buffer[] = [];
  private partBytes = 0;
  private timer: TimerHandle | undefined;
  private lastWriteAt = 0;
  private confirming = false;
  private held = false;
  /** The last line was emitted by the idle flush, so a newline arriving next only ends it. */
  private afterIdleFlush = false;

  constructor(options: LineSplitterOptions) {
    const onLine = options.onLine;
    this.onSlice = options.onSlice ?? ((chunk, start, end, ts) => onLine!(chunk.subarray(start, end), ts));
    this.clock = options.clock ?? systemClock;
    this.idleFlushMs = options.idleFlushMs ?? 1000;
    this.maxLineBytes = options.maxLineBytes ?? 64 * 1024;
  }

  /** Feed a chunk of bytes; emits every line it completes. */
  write(chunk: Buffer): void {
    const now = this.clock.now();
    let start = this.afterIdleFlush ? this.skipEndOfFlushedLine(chunk) : 0;
    let nl = chunk.indexOf(NL, start);
    if (nl !== -1 && this.partBytes > 0) {
      this.parts.push(chunk.subarray(start, nl));
      const line = Buffer.concat(this.parts, this.partBytes + nl - start);
      this.parts = [];
      this.partBytes = 0;
      this.emit(line, 0, line.length, now);
      start = nl + 1;
      nl = chunk.indexOf(NL, start);
    }
    for (; nl !== -1; nl = chunk.indexOf(NL, start)) {
      this.emit(chunk, start, nl, now);
      start = nl + 1;
    }
    if (start < chunk.length) {
      this.parts.push(start === 0 ? chunk : chunk.subarray(start));
      this.partBytes += chunk.length - start;
      if (this.partBytes > this.maxLineBytes) this.cutLongPending(now);
    }
    this.lastWriteAt = now;
    this.confirming = false;
    if (this.partBytes > 0 && !this.timer) this.armIdleFlush(this.idleFlushMs);
  }

  /** Flush what remains (the stream ended). */
  end(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.partBytes === 0) return;
    const rest = this.takePending();
    this.emit(rest, 0, rest.length, this.clock.now());
  }

  /** While the pipe is paused (backpressure), a partial line is not idle: its rest is unread, not unwritten. */
  pause(): void {
    this.held = true;
  }

  resume(): void {
    this.held = false;
    this.lastWriteAt = this.clock.now();
  }

  // Where a chunk's new text starts after an idle flush: past the newline that ends the flushed line.
  private skipEndOfFlushedLine(chunk: Buffer): number {
    if (chunk.length === 0) return 0;
    this.afterIdleFlush = false;
    if (this.partBytes > 0) return 0;
    if (chunk[0] === NL) return 1;
    return chunk[0] === CR && chunk[1] === NL ? 2 : 0;
  }

  private takePending(): Buffer {
    const line = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.partBytes);
    this.parts = [];
    this.partBytes = 0;
    return line;
  }

  // One line, bytes [start, end) of buf, a trailing \r dropped; cut when too long.
  private emit(buf: Buffer, start: number, end: number, ts: number): void {
    if (end > start && buf[end - 1] === CR) end--;
    if (end - start <= this.maxLineBytes) return this.onSlice(buf, start, end, ts);
    const pieces = this.cut(buf.subarray(start, end));
    for (let i = 0; i < pieces.length; i++) this.emitWhole(i < pieces.length - 1 ? Buffer.concat([pieces[i]!, CUT]) : pieces[i]!, ts);
  }

  // Emit whole pieces of an over-long partial line now, keep the tail pending.
  private cutLongPending(ts: number): void {
    const pieces = this.cut(this.takePending());
    const tail = pieces.pop()!;
    this.parts = [tail];
    this.partBytes = tail.length;
    for (const piece of pieces) this.emitWhole(Buffer.concat([piece, CUT]), ts);
  }

  private emitWhole(bytes: Buffer, ts: number): void {
    this.onSlice(bytes, 0, bytes.length, ts);
  }

  // Split into pieces of at most maxLineBytes bytes, never inside a UTF-8 character.
  private cut(bytes: Buffer): Buffer[] {
    const pieces: Buffer[] = [];
    let start = 0;
    while (bytes.length - start > this.maxLineBytes) {
      let end = start + this.maxLineBytes;
      while (end > start && (bytes[end]! & 0xc0) === 0x80) end--;
      // maxLineBytes smaller than one character: take that whole character rather than loop forever.
      if (end === start) for (end = start + 1; end < bytes.length && (bytes[end]! & 0xc0) === 0x80; ) end++;
      pieces.push(bytes.subarray(start, end));
      start = end;
    }
    pieces.push(bytes.subarray(start));
    return pieces;
  }

  private armIdleFlush(ms: number): void {
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      if (this.partBytes === 0) return;
      const idle = this.clock.now() - this.lastWriteAt;
      if (this.held) return this.armIdleFlush(this.idleFlushMs);
      if (idle < this.idleFlushMs) return this.armIdleFlush(this.idleFlushMs - idle);
      // Timers run before I/O in an event-loop turn: after a busy turn, the rest of the line may be
      // sitting unread in the pipe. Look once more after the next I/O phase before cutting the line.
      if (!this.confirming) {
        this.confirming = true;
        return this.armIdleFlush(0);
      }
      this.confirming = false;
      this.flushIdle();
    }, ms);
  }

  // Emit the idle partial line, keeping back the bytes of a UTF-8 character not yet complete.
  private flushIdle(): void {
    const line = this.takePending();
    const keep = incompleteTail(line);
    if (keep > 0) {
      this.parts = [line.subarray(line.length - keep)];
      this.partBytes = keep;
      if (keep === line.length) return this.armIdleFlush(this.idleFlushMs);
    }
    this.afterIdleFlush = keep === 0;
    this.emit(line, 0, line.length - keep, this.clock.now());
  }
}

/** How many bytes at the end of `buf` start a UTF-8 character that is not complete yet (0–3). */
export function incompleteTail(buf: Buffer): number {
  const len = buf.length;
  let i = len - 1;
  while (i >= 0 && i > len - 4 && (buf[i]! & 0xc0) === 0x80) i--;
  if (i < 0) return 0;
  const lead = buf[i]!;
  const need = lead >= 0xf0 && lead <= 0xf7 ? 4 : lead >= 0xe0 ? (lead <= 0xef ? 3 : 0) : lead >= 0xc0 ? 2 : 0;
  return need > len - i ? len - i : 0;
}

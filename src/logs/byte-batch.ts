// The printer's output buffer: formatted lines are copied into one growing Buffer, handed to the
// stream in one write, then the Buffer is given up (the stream may still hold it) for a fresh one.
const INITIAL_BYTES = 64 * 1024;

export class ByteBatch {
  private buf = Buffer.allocUnsafe(INITIAL_BYTES);
  /** Bytes written so far. */
  length = 0;

  /** Append bytes. */
  put(bytes: Uint8Array): void {
    if (this.length + bytes.length > this.buf.length) this.grow(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** Append bytes [start, end) of `src` (short ranges byte by byte: cheaper than a view for `y`). */
  putRange(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (this.length + n > this.buf.length) this.grow(n);
    const buf = this.buf;
    if (n > 32) buf.set(src.subarray(start, end), this.length);
    else for (let i = start, at = this.length; i < end; ) buf[at++] = src[i++]!;
    this.length += n;
  }

  /** Append a string as UTF-8. */
  putString(s: string): void {
    if (this.length + s.length * 3 > this.buf.length) this.grow(s.length * 3);
    this.length += this.buf.write(s, this.length, 'utf8');
  }

  /** Append one byte (the newline). */
  putByte(byte: number): void {
    if (this.length === this.buf.length) this.grow(1);
    this.buf[this.length++] = byte;
  }

  /** The bytes written, as a Buffer of their own; the batch starts again empty. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.length);
    this.buf = Buffer.allocUnsafe(Math.max(INITIAL_BYTES, Math.min(this.length + (this.length >> 2), 4 * 1024 * 1024)));
    this.length = 0;
    return out;
  }

  /** Forget everything written (a broken output). */
  clear(): void {
    this.length = 0;
  }

  private grow(more: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + more));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
}

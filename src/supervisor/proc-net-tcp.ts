// Pure: the Linux socket tables /proc/net/tcp and /proc/net/tcp6 (proc(5)) → TCP sockets with their
// local address. Used to warn about a web dyno bound to loopback only (HEROKU.md §2.1: Heroku needs 0.0.0.0).
//   sl  local_address rem_address   st …
//    0: 0100007F:1F90 00000000:0000 0A …      ← 127.0.0.1:8080, LISTEN
// Each 32-bit word of an address is printed in host byte order, the port as plain hex.

/** One socket of the table. */
export interface TcpSocket {
  /** `127.0.0.1`, `0.0.0.0`, `::1`, `::`, `::ffff:127.0.0.1`. */
  address: string;
  port: number;
  /** State `0A` (TCP_LISTEN). */
  listening: boolean;
}

const LINE = /^\s*\d+:\s+([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})\s+\S+\s+([0-9A-Fa-f]{2})\s/;

// The 4 bytes of one 32-bit word printed in host order, in network order.
function wordBytes(hex: string, littleEndian: boolean): number[] {
  const bytes = [0, 2, 4, 6].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return littleEndian ? bytes.reverse() : bytes;
}

// RFC 5952 text of 16 bytes: longest run (≥ 2) of zero groups as `::`, IPv4-mapped tail kept dotted.
function formatIpv6(bytes: number[]): string {
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return `::ffff:${bytes.slice(12).join('.')}`;
  const groups = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => ((bytes[2 * i]! << 8) | bytes[2 * i + 1]!).toString(16));
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8; i++) {
    let len = 0;
    while (i + len < 8 && groups[i + len] === '0') len++;
    if (len > best.len && len >= 2) best = { at: i, len };
  }
  if (best.at < 0) return groups.join(':');
  return `${groups.slice(0, best.at).join(':')}::${groups.slice(best.at + best.len).join(':')}`;
}

/** Format the hex local address of a table row (8 hex digits: IPv4, 32: IPv6). */
export function formatProcAddress(hex: string, littleEndian = true): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => wordBytes(w, littleEndian));
  return bytes.length === 4 ? bytes.join('.') : formatIpv6(bytes);
}

/** Every socket row of a /proc/net/tcp or tcp6 text; the header and malformed rows are skipped. */
export function parseProcNetTcp(text: string, littleEndian = true): TcpSocket[] {
  const out: TcpSocket[] = [];
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    out.push({ address: formatProcAddress(m[1]!, littleEndian), port: parseInt(m[2]!, 16), listening: m[3]!.toUpperCase() === '0A' });
  }
  return out;
}

/** True for 127.0.0.0/8, ::1 and IPv4-mapped 127.x. */
export function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.');
}

/** The loopback address `port` listens on when every listener on it is loopback-only; null otherwise (or none). */
export function pickLoopbackOnly(sockets: TcpSocket[], port: number): string | null {
  const listeners = sockets.filter((s) => s.listening && s.port === port);
  if (!listeners.length || !listeners.every((s) => isLoopback(s.address))) return null;
  return listeners[0]!.address;
}

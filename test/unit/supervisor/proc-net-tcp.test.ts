import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findLoopbackOnlyBind, formatBindWarning } from '../../../src/supervisor/bind-check.js';
import { formatProcAddress, isLoopback, parseProcNetTcp, pickLoopbackOnly, type TcpSocket } from '../../../src/supervisor/proc-net-tcp.js';

const HEADER4 = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
const HEADER6 = '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
// A row with the given local address (hex), port and state, as the kernel prints it.
function row(local: string, port: number, state = '0A', remote = '00000000:0000'): string {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return `   0: ${local}:${hexPort} ${remote} ${state} 00000000:00000000 00:00000000 00000000  1000        0 12345 1 0000000000000000 100 0 0 10 0`;
}

const rows: Array<[string, string, TcpSocket[]]> = [
  ['the header line is skipped', HEADER4, []],
  ['IPv4 loopback listener (little-endian word)', row('0100007F', 5007), [{ address: '127.0.0.1', port: 5007, listening: true }]],
  ['IPv4 wildcard listener', row('00000000', 2024), [{ address: '0.0.0.0', port: 2024, listening: true }]],
  ['IPv4 address other than loopback', row('0101A8C0', 80), [{ address: '192.168.1.1', port: 80, listening: true }]],
  ['an established connection is not listening', row('0100007F', 5007, '01', '0100007F:C350'), [{ address: '127.0.0.1', port: 5007, listening: false }]],
  ['TIME_WAIT (06) is not listening', row('0100007F', 5007, '06'), [{ address: '127.0.0.1', port: 5007, listening: false }]],
  ['IPv6 ::1', row('00000000000000000000000001000000', 5007), [{ address: '::1', port: 5007, listening: true }]],
  ['IPv6 wildcard ::', row('00000000000000000000000000000000', 5007), [{ address: '::', port: 5007, listening: true }]],
  ['IPv4-mapped loopback ::ffff:127.0.0.1', row('0000000000000000FFFF00000100007F', 34159, '06'), [{ address: '::ffff:127.0.0.1', port: 34159, listening: false }]],
  ['IPv6 global address compresses the longest zero run', row('B80D0120000000000000000001000000', 443), [{ address: '2001:db8::1', port: 443, listening: true }]],
  ['lowercase hex is accepted', row('0100007f', 5007, '0a'), [{ address: '127.0.0.1', port: 5007, listening: true }]],
  ['a truncated line is skipped', '   0: 0100007F:13', []],
  ['an empty table', '', []],
];
for (const [name, text, expected] of rows) {
  test(`/proc/net/tcp: ${name}`, () => assert.deepEqual(parseProcNetTcp(text), expected));
}

test('/proc/net/tcp: several rows with headers, as read from both files', () => {
  const text = [HEADER6, row('00000000000000000000000001000000', 5007), row('00000000000000000000000000000000', 22), ''].join('\n');
  assert.deepEqual(parseProcNetTcp(text).map((s) => `${s.address} ${s.port}`), ['::1 5007', ':: 22']);
});

test('/proc/net/tcp: big-endian hosts print words in network order', () => {
  assert.equal(formatProcAddress('7F000001', false), '127.0.0.1');
  assert.equal(formatProcAddress('00000000000000000000000000000001', false), '::1');
});

const s = (address: string, port = 5007, listening = true): TcpSocket => ({ address, port, listening });
const picks: Array<[string, TcpSocket[], string | null]> = [
  ['bound to 127.0.0.1 only: warn', [s('127.0.0.1')], '127.0.0.1'],
  ['bound to ::1 only (Node resolves `localhost` to ::1): warn', [s('::1')], '::1'],
  ['bound to 127.0.0.1 and ::1 (both localhost addresses): warn', [s('127.0.0.1'), s('::1')], '127.0.0.1'],
  ['bound to another 127/8 address: warn', [s('127.0.1.1')], '127.0.1.1'],
  ['bound to 0.0.0.0: fine', [s('0.0.0.0')], null],
  ['bound to :: (dual stack, Node without a host): fine', [s('::')], null],
  ['bound to 127.0.0.1 and 0.0.0.0 (SO_REUSEPORT or two servers): fine', [s('127.0.0.1'), s('0.0.0.0')], null],
  ['a loopback listener on another port does not count', [s('127.0.0.1', 5008)], null],
  ['only connections on the port, no listener: unknown, no warning', [s('127.0.0.1', 5007, false)], null],
  ['no sockets at all (not Linux): no warning', [], null],
];
for (const [name, sockets, expected] of picks) {
  test(`loopback-only: ${name}`, () => assert.equal(pickLoopbackOnly(sockets, 5007), expected));
}

for (const [address, expected] of [['127.0.0.1', true], ['127.255.0.3', true], ['::1', true], ['::ffff:127.0.0.1', true], ['0.0.0.0', false], ['::', false], ['10.0.0.1', false], ['::ffff:10.0.0.1', false]] as const) {
  test(`isLoopback(${address}) is ${expected}`, () => assert.equal(isLoopback(address), expected));
}

test('findLoopbackOnlyBind reads tcp and tcp6: a ::1 listener in tcp6 is found', () => {
  const files: Record<string, string> = { '/proc/net/tcp': `${HEADER4}\n${row('00000000', 22)}\n`, '/proc/net/tcp6': `${HEADER6}\n${row('00000000000000000000000001000000', 5007)}\n` };
  assert.equal(findLoopbackOnlyBind(5007, (path) => files[path] ?? null), '::1');
  assert.equal(findLoopbackOnlyBind(22, (path) => files[path] ?? null), null);
});

test('findLoopbackOnlyBind is silent where /proc/net cannot be read', () => {
  assert.equal(findLoopbackOnlyBind(5007, () => null), null);
});

test('the warning names the dyno, the address, the reason and the fix', () => {
  assert.equal(
    formatBindWarning('web.1', '127.0.0.1', 5007),
    "warning: web.1 listens on 127.0.0.1:5007 only. That works here, but on Heroku the router connects from outside the dyno, so it would never see $PORT bound (R10): listen on 0.0.0.0 (Fir: ::), e.g. server.listen(process.env.PORT, '0.0.0.0')",
  );
  assert.match(formatBindWarning('web.2', '::1', 5008), /listens on \[::1\]:5008 only/);
});

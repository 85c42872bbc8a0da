import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogLine } from '../../../src/core/types.js';
import { DEFAULT_LOG_HISTORY, LogBus } from '../../../src/logs/log-bus.js';

const T = Date.UTC(2012, 7, 11, 12, 42, 0);
const line = (text: string, o: Partial<LogLine> = {}): LogLine => ({ ts: T, source: 'app', dyno: 'web.1', stream: 'stdout', text, ...o });
const texts = (lines: LogLine[]): string[] => lines.map((l) => l.text);
const publishAll = (bus: LogBus, n: number): void => {
  for (let i = 1; i <= n; i++) bus.publish(line(`${i}`, { dyno: i % 2 ? 'web.1' : 'worker.1' }));
};

const recentRows: Array<{ name: string; capacity?: number; published: number; n?: number; filter?: (l: LogLine) => boolean; want: string[] }> = [
  { name: 'returns every line, oldest first, below capacity', capacity: 5, published: 3, want: ['1', '2', '3'] },
  { name: 'keeps exactly capacity lines when full', capacity: 3, published: 3, want: ['1', '2', '3'] },
  { name: 'drops the oldest lines past capacity', capacity: 3, published: 7, want: ['5', '6', '7'] },
  { name: 'recent(n) returns the last n', capacity: 5, published: 5, n: 2, want: ['4', '5'] },
  { name: 'recent(n) larger than what is kept returns all', capacity: 5, published: 2, n: 100, want: ['1', '2'] },
  { name: 'recent(0) returns nothing', capacity: 5, published: 5, n: 0, want: [] },
  { name: 'a filter keeps matching lines only, still the last n of those', capacity: 10, published: 10, n: 2, filter: (l) => l.dyno === 'worker.1', want: ['8', '10'] },
  { name: 'a filter applies to the whole history when n is absent', capacity: 10, published: 10, filter: (l) => l.dyno === 'web.1', want: ['1', '3', '5', '7', '9'] },
  { name: 'a filter after wrap-around sees only kept lines', capacity: 4, published: 9, filter: (l) => l.dyno === 'web.1', want: ['7', '9'] },
  { name: 'capacity 0 keeps no history', capacity: 0, published: 5, want: [] },
  { name: 'an empty bus returns nothing', capacity: 5, published: 0, want: [] },
];
for (const row of recentRows) {
  test(`log bus: ${row.name}`, () => {
    const bus = new LogBus({ capacity: row.capacity });
    publishAll(bus, row.published);
    assert.deepEqual(texts(bus.recent(row.n, row.filter)), row.want);
  });
}

test("log bus: the default history is Heroku's 1500 lines", () => {
  assert.equal(DEFAULT_LOG_HISTORY, 1500);
  const bus = new LogBus();
  publishAll(bus, 1600);
  const kept = bus.recent();
  assert.equal(kept.length, 1500);
  assert.equal(kept[0]!.text, '101');
  assert.equal(kept[1499]!.text, '1600');
});

test('log bus: every subscriber gets every line, in order', () => {
  const bus = new LogBus();
  const a: string[] = [];
  const b: string[] = [];
  bus.subscribe((l) => a.push(l.text));
  bus.subscribe((l) => b.push(l.text));
  publishAll(bus, 3);
  assert.deepEqual(a, ['1', '2', '3']);
  assert.deepEqual(b, ['1', '2', '3']);
});

test('log bus: a subscriber sees only lines published after it subscribed', () => {
  const bus = new LogBus();
  bus.publish(line('before'));
  const got: string[] = [];
  bus.subscribe((l) => got.push(l.text));
  bus.publish(line('after'));
  assert.deepEqual(got, ['after']);
});

test('log bus: unsubscribe stops delivery to that subscriber only', () => {
  const bus = new LogBus();
  const a: string[] = [];
  const b: string[] = [];
  const stopA = bus.subscribe((l) => a.push(l.text));
  bus.subscribe((l) => b.push(l.text));
  bus.publish(line('1'));
  stopA();
  stopA();
  bus.publish(line('2'));
  assert.deepEqual(a, ['1']);
  assert.deepEqual(b, ['1', '2']);
});

test('log bus: the same function subscribed twice gets lines twice, and unsubscribes independently', () => {
  const bus = new LogBus();
  const got: string[] = [];
  const sink = (l: LogLine): number => got.push(l.text);
  const stop1 = bus.subscribe(sink);
  bus.subscribe(sink);
  bus.publish(line('x'));
  stop1();
  bus.publish(line('y'));
  assert.deepEqual(got, ['x', 'x', 'y']);
});

test('log bus: a subscriber may unsubscribe itself while a line is delivered', () => {
  const bus = new LogBus();
  const got: string[] = [];
  const stop = bus.subscribe(() => stop());
  bus.subscribe((l) => got.push(l.text));
  bus.publish(line('1'));
  bus.publish(line('2'));
  assert.deepEqual(got, ['1', '2']);
});

test('log bus: a bad capacity is a bug, not a user error', () => {
  assert.throws(() => new LogBus({ capacity: -1 }), RangeError);
  assert.throws(() => new LogBus({ capacity: 1.5 }), RangeError);
});

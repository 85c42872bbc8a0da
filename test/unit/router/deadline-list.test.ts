import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../helpers/fake-clock.js';
import { Deadline, DeadlineList } from '../../../src/router/deadline-list.js';

test('deadlines fire on time, in order, on one timer; re-adding restarts a window; removing the last disarms', () => {
  const clock = new FakeClock();
  const list = new DeadlineList(clock, 1000);
  const fired: string[] = [];
  const a = new Deadline(() => fired.push('a'));
  const b = new Deadline(() => fired.push('b'));
  const c = new Deadline(() => fired.push('c'));
  list.add(a);
  clock.advance(100);
  list.add(b);
  clock.advance(100);
  list.add(c);
  assert.deepEqual(clock.dueIn(), [800], 'one timer, for the head');
  list.add(a); // touched at 200: now due at 1200
  clock.advance(899);
  assert.deepEqual(fired, []);
  clock.advance(1);
  assert.deepEqual(fired, ['b']);
  clock.advance(100);
  assert.deepEqual(fired, ['b', 'c', 'a'], 'c at 1200 and the touched a at 1200, in list order');
  assert.deepEqual(clock.dueIn(), []);
  list.add(b);
  list.remove(b);
  assert.deepEqual(clock.dueIn(), [], 'no timer left behind');
});

test('an entry that re-adds itself when it fires is due a whole window later', () => {
  const clock = new FakeClock();
  const list = new DeadlineList(clock, 500);
  let n = 0;
  const other = new Deadline(() => undefined);
  const d: Deadline = new Deadline(() => {
    if (++n < 3) list.add(d);
  });
  list.add(d);
  clock.advance(200);
  list.add(other); // due at 700
  clock.advance(300);
  assert.equal(n, 1);
  assert.deepEqual(clock.dueIn(), [200], 'armed for the head (other), not a full window');
  clock.advance(200);
  list.remove(other);
  clock.advance(300);
  assert.equal(n, 2);
  clock.advance(500);
  assert.equal(n, 3);
  assert.deepEqual(clock.dueIn(), []);
});

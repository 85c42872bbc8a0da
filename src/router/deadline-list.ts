// Many deadlines of one length (H12's 30 s, the 55 s idle window) on a single clock timer.
// Entries join at the tail with `now + windowMs`, so the list stays sorted by deadline; adding, touching and
// removing are a few pointer moves, with no timer object per request. The one timer is armed for the head's
// exact deadline and re-armed when it fires early (the head it was armed for has left), so deadlines fire on time.
import type { Clock, TimerHandle } from '../core/clock.js';

/** One entry; owned by its user (one per exchange), on at most one list at a time. */
export class Deadline {
  /** When it fires, in clock milliseconds. */
  at = 0;
  prev: Deadline | undefined;
  next: Deadline | undefined;
  list: DeadlineList | undefined;

  constructor(readonly fire: () => void) {}
}

/** A sorted list of equal-length deadlines sharing one timer. */
export class DeadlineList {
  private head: Deadline | undefined;
  private tail: Deadline | undefined;
  private timer: TimerHandle | undefined;
  private firing = false;

  constructor(
    private readonly clock: Clock,
    readonly windowMs: number,
  ) {}

  /** Start (or restart) `d`'s window from now; it leaves any list it was on. */
  add(d: Deadline): void {
    if (d.list) d.list.remove(d);
    d.at = this.clock.now() + this.windowMs;
    d.list = this;
    d.prev = this.tail;
    d.next = undefined;
    if (this.tail) this.tail.next = d;
    else this.head = d;
    this.tail = d;
    if (this.timer === undefined && !this.firing) this.arm(this.windowMs);
  }

  /** Take `d` off this list (nothing if it is not on it). */
  remove(d: Deadline): void {
    if (d.list !== this) return;
    if (d.prev) d.prev.next = d.next;
    else this.head = d.next;
    if (d.next) d.next.prev = d.prev;
    else this.tail = d.prev;
    d.prev = d.next = d.list = undefined;
    if (!this.head) this.disarm();
  }

  /** Drop the timer (the router is closing); entries stay until removed. */
  close(): void {
    this.disarm();
  }

  private arm(ms: number): void {
    this.timer = this.clock.setTimeout(() => this.onTimer(), ms);
  }

  private disarm(): void {
    if (this.timer === undefined) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  // Fire every due entry (each leaves the list first, so it may add itself again), then re-arm for the new head.
  private onTimer(): void {
    this.timer = undefined;
    const now = this.clock.now();
    this.firing = true;
    try {
      for (let d = this.head; d && d.at <= now; d = this.head) {
        this.remove(d);
        d.fire();
      }
    } finally {
      this.firing = false;
    }
    if (this.head && this.timer === undefined) this.arm(this.head.at - now);
  }
}

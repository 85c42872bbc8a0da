// Stop rounds that a second Ctrl-C can cut short. Each round (one stopChildren call) gets its own
// AbortSignal, so a long-lived shared signal never collects one 'abort' listener per dyno
// (MaxListenersExceededWarning past 10); hurry() aborts every round in progress and any started later.

export class StopRounds {
  private readonly live = new Set<AbortController>();
  private hurried = false;

  /** Run one round with its hurry signal; the signal is dropped when the round settles. */
  async run<T>(round: (hurry: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    if (this.hurried) controller.abort();
    this.live.add(controller);
    try {
      return await round(controller.signal);
    } finally {
      this.live.delete(controller);
    }
  }

  /** Cut every round short, now and from now on. */
  hurry(): void {
    this.hurried = true;
    for (const controller of this.live) controller.abort();
  }
}

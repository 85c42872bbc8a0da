// The exchanges in flight, as an intrusive doubly-linked list instead of a Set.
// Measured (issue 13): with a Set<Exchange> that every request adds to and deletes from, V8 kept each request's
// whole object graph (req, res, ClientRequest, IncomingMessage, parser state: ~5 KB) alive through two
// scavenges and promoted it to old space — ~2.3 MB per scavenge, a mark-compact every ~5 scavenges; without
// the Set the heap stays flat, like a bare http-proxy's. The list only ever points at exchanges still in flight.

/** Something that can sit in one LiveList. */
export interface LiveLink<T> {
  prevLive: T | undefined;
  nextLive: T | undefined;
}

/** An unordered set of the items in flight; add and delete are O(1) and leave nothing behind. */
export class LiveList<T extends LiveLink<T>> {
  private head: T | undefined;
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(item: T): void {
    item.prevLive = undefined;
    item.nextLive = this.head;
    if (this.head) this.head.prevLive = item;
    this.head = item;
    this.count++;
  }

  /** Remove an item added before; removing one twice (or one never added) is a no-op. */
  delete(item: T): void {
    if (item.prevLive === undefined && this.head !== item) return;
    if (item.prevLive) item.prevLive.nextLive = item.nextLive;
    else this.head = item.nextLive;
    if (item.nextLive) item.nextLive.prevLive = item.prevLive;
    item.prevLive = undefined;
    item.nextLive = undefined;
    this.count--;
  }

  /** The items now, as an array (safe to delete from while walking it). */
  snapshot(): T[] {
    const out: T[] = [];
    for (let x = this.head; x; x = x.nextLive) out.push(x);
    return out;
  }
}

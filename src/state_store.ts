/**
 * The state a gateway must share between its isolates, as one small interface with two
 * operations, and its in-memory implementation (one process: `deno task start`, tests, a single
 * server). The Durable Object and Deno KV implementations live beside the gateway.
 *
 * @module
 */

/** The outcome of {@link StateStore.reserve}. */
export type Reservation = { ok: true } | {
  ok: false;
  /** Time until the earliest held slot frees, ms. */
  retryAfterMs: number;
};

/** Shared gateway state: replay memory and sliding-window slots. Every operation is atomic. */
export interface StateStore {
  /**
   * Remembers `id` until `expiresAt` (Unix ms), unless it is remembered already.
   *
   * @returns `true` when `id` was new (and is now remembered), `false` when it was seen before.
   */
  remember(id: string, expiresAt: number): Promise<boolean>;
  /**
   * Takes one of `limit` slots of `bucket`; a slot is held for `windowMs` from when it is taken.
   *
   * @returns `{ ok: true }` with the slot taken, or when the next one frees.
   */
  reserve(bucket: string, limit: number, windowMs: number): Promise<Reservation>;
}

/**
 * The sliding-window rule of {@link StateStore.reserve} over a bucket's slot expiry times: drops
 * the expired ones, then takes a slot if fewer than `limit` are held.
 *
 * @param expiries When each held slot frees, Unix ms.
 * @param now Current time, Unix ms.
 * @returns The bucket's new expiry times and the reservation.
 */
export function takeSlot(
  expiries: readonly number[],
  now: number,
  limit: number,
  windowMs: number,
): { expiries: number[]; reservation: Reservation } {
  const held = expiries.filter((expires) => expires > now);
  if (held.length < limit) {
    held.push(now + windowMs);
    return { expiries: held, reservation: { ok: true } };
  }
  // A loop, not Math.min(...held): a large limit would overflow the argument list.
  let first = Infinity;
  for (const expires of held) first = Math.min(first, expires);
  return { expiries: held, reservation: { ok: false, retryAfterMs: first - now } };
}

/**
 * A bounded memory of ids with expiry, in this isolate: `remember(id, expiresAt)` is `true` for
 * an id not held (or expired), `false` for one still held. Entries are kept in insertion order, so
 * expired ones (and, past `capacity`, the oldest) are dropped from the front.
 *
 * @param now Clock, Unix ms.
 * @param capacity Most ids held at once; the oldest are forgotten first.
 * @returns The synchronous check-and-set.
 */
export function createIdMemory(
  now: () => number,
  capacity: number,
): (id: string, expiresAt: number) => boolean {
  const seen = new Map<string, number>();
  return (id, expiresAt) => {
    const at = now();
    for (const [old, expires] of seen) {
      if (expires > at && seen.size < capacity) break;
      seen.delete(old);
    }
    if ((seen.get(id) ?? 0) > at) return false;
    seen.delete(id); // re-inserted at the end, where its expiry belongs
    seen.set(id, expiresAt);
    return true;
  };
}

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** Clock, Unix ms (default `Date.now`). */
  now?: () => number;
  /** Most ids remembered at once (default 100 000); the oldest are forgotten first. */
  capacity?: number;
}

/**
 * Creates a store in this isolate's memory. Correct for one process only: on Workers or Deno
 * Deploy, where one deployment runs many isolates, use the Durable Object or Deno KV store.
 *
 * @param options Clock and capacity.
 * @returns The store.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): StateStore {
  const now = options.now ?? Date.now;
  const remember = createIdMemory(now, options.capacity ?? 100_000);
  // Per bucket, the expiry times in the order taken, and where the live ones start: dropping the
  // expired ones moves `head` (amortised O(1)), where filtering the array would cost O(limit).
  const slots = new Map<string, { times: number[]; head: number }>();
  return {
    remember: (id, expiresAt) => Promise.resolve(remember(id, expiresAt)),
    reserve(bucket, limit, windowMs) {
      const at = now();
      let queue = slots.get(bucket);
      if (!queue) slots.set(bucket, queue = { times: [], head: 0 });
      const { times } = queue;
      // Times are kept sorted, so the first live one is the soonest to free.
      while (queue.head < times.length && times[queue.head] <= at) queue.head++;
      if (queue.head > 1024 && queue.head * 2 > times.length) {
        times.splice(0, queue.head);
        queue.head = 0;
      }
      if (times.length - queue.head >= limit) {
        return Promise.resolve({ ok: false, retryAfterMs: times[queue.head] - at });
      }
      const expires = at + windowMs;
      let index = times.length;
      while (index > queue.head && times[index - 1] > expires) index--;
      times.splice(index, 0, expires);
      return Promise.resolve({ ok: true });
    },
  };
}

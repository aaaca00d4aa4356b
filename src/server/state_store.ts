/**
 * The state a gateway must share between its isolates, as one small interface with two
 * operations, and its in-memory implementation (one process: `deno task start`, tests, a single
 * server). The Durable Object and Deno KV implementations are the platforms' (`src/adapters/`).
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
   * Remembers `id` until `expiresAt` (Unix ms), unless it is remembered already. An unexpired id
   * is never forgotten: when the store holds all it can, or `owner` holds its share of it, a new
   * id is refused rather than an old one dropped. `owner` (the replay memory passes the caller's
   * access key) is whose id it is, so that no single owner can fill the memory for the others;
   * stores without a per-owner bound ignore it.
   *
   * @returns `true` when `id` was new (and is now remembered), `false` when it was seen before
   *   (and has not expired), `"full"` when it is new but there is no room for it (not remembered).
   */
  remember(id: string, expiresAt: number, owner?: string): Promise<boolean | "full">;
  /**
   * Takes one of `limit` slots of `bucket`; a slot is held for `windowMs` from when it is taken.
   *
   * @returns `{ ok: true }` with the slot taken, or when the next one frees.
   */
  reserve(bucket: string, limit: number, windowMs: number): Promise<Reservation>;
  /**
   * Tenancy: the owner (a tenant, the gateway key's name) of each of `ids` (`kind:id`), in
   * order; nothing for an id nobody owns. Stores that keep no ownership leave it out (and a
   * gateway with `own` keys refuses to start on them).
   */
  owners?(ids: readonly string[]): Promise<(string | undefined)[]>;
  /**
   * Tenancy: makes `owner` the owner of each of `ids` (`kind:id`), taking them from whoever
   * owned them; `undefined` forgets them. Atomic per id.
   */
  setOwners?(ids: readonly string[], owner: string | undefined): Promise<void>;
  /** Tenancy: the ids (`kind:id`) `owner` owns, sorted. */
  ownedBy?(owner: string): Promise<string[]>;
}

/**
 * Ownership records in this isolate's memory: each id's owner, and each owner's ids.
 *
 * @returns The three ownership operations of a {@link StateStore}.
 */
function createMemoryOwnership(): Required<
  Pick<StateStore, "owners" | "setOwners" | "ownedBy">
> {
  const ownerOf = new Map<string, string>();
  const idsOf = new Map<string, Set<string>>();
  return {
    owners: (ids) => Promise.resolve(ids.map((id) => ownerOf.get(id))),
    setOwners(ids, owner) {
      for (const id of ids) {
        const before = ownerOf.get(id);
        if (before !== undefined) idsOf.get(before)?.delete(id);
        if (owner === undefined) {
          ownerOf.delete(id);
          continue;
        }
        ownerOf.set(id, owner);
        const mine = idsOf.get(owner) ?? idsOf.set(owner, new Set()).get(owner)!;
        mine.add(id);
      }
      return Promise.resolve();
    },
    ownedBy: (owner) => Promise.resolve([...idsOf.get(owner) ?? []].sort()),
  };
}

/** Options of the refusing form of {@link createIdMemory}. */
export interface IdMemoryOptions {
  /** When every held id is unexpired, a new id is answered `"full"` and not remembered. */
  whenFull: "refuse";
  /** Most ids one owner may hold at once (default `capacity`: no share). */
  ownerShare?: number;
}

/**
 * A bounded memory of ids with expiry, in this isolate: `remember(id, expiresAt)` is `true` for
 * an id not held (or expired), `false` for one still held. Ids are kept in a heap by expiry, so
 * the expired ones are dropped exactly, each in O(log n), whatever order they came in.
 *
 * Without `options`, a full memory forgets the id that expires soonest to make room: right for
 * deduplicating deliveries (a redelivery of a recent event is the likely one), never for replay
 * protection. With `{ whenFull: "refuse" }` an unexpired id is never forgotten: a new id is
 * answered `"full"` while `capacity` ids are held, or while its `owner` holds `ownerShare`.
 *
 * @param now Clock, Unix ms.
 * @param capacity Most ids held at once.
 * @returns The synchronous check-and-set.
 */
export function createIdMemory(
  now: () => number,
  capacity: number,
): (id: string, expiresAt: number) => boolean;
/**
 * The refusing form of {@link createIdMemory}: never forgets an unexpired id.
 *
 * @param now Clock, Unix ms.
 * @param capacity Most ids held at once.
 * @param options `whenFull: "refuse"`, and each owner's share.
 * @returns The synchronous check-and-set: `true` new (now held), `false` held already, `"full"`
 *   new but refused (not held).
 */
export function createIdMemory(
  now: () => number,
  capacity: number,
  options: IdMemoryOptions,
): (id: string, expiresAt: number, owner?: string) => boolean | "full";
export function createIdMemory(
  now: () => number,
  capacity: number,
  options?: IdMemoryOptions,
): (id: string, expiresAt: number, owner?: string) => boolean | "full" {
  const refuse = options?.whenFull == "refuse";
  const share = options?.ownerShare ?? capacity;
  const held = new Set<string>();
  /** Ids held by each owner that has any. */
  const owned = new Map<string, number>();
  // A binary min-heap by expiry, in three parallel arrays (no object per id).
  const times: number[] = [], ids: string[] = [], owners: (string | undefined)[] = [];
  const move = (to: number, from: number) => {
    times[to] = times[from];
    ids[to] = ids[from];
    owners[to] = owners[from];
  };
  /** Forgets the id that expires soonest. */
  const dropFirst = () => {
    const owner = owners[0];
    held.delete(ids[0]);
    if (owner !== undefined) {
      const count = owned.get(owner)! - 1;
      if (count) owned.set(owner, count);
      else owned.delete(owner);
    }
    const last = times.length - 1;
    const [time, id, lastOwner] = [times[last], ids[last], owners[last]];
    times.length = ids.length = owners.length = last;
    if (!last) return;
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= last) break;
      if (child + 1 < last && times[child + 1] < times[child]) child++;
      if (times[child] >= time) break;
      move(at, child);
      at = child;
    }
    times[at] = time, ids[at] = id, owners[at] = lastOwner;
  };
  return (id, expiresAt, owner) => {
    const at = now();
    while (times.length && times[0] <= at) dropFirst();
    if (held.has(id)) return false;
    const mine = owner === undefined ? 0 : owned.get(owner) ?? 0;
    if (held.size >= capacity || mine >= share) {
      if (refuse) return "full";
      dropFirst();
    }
    held.add(id);
    if (owner !== undefined) owned.set(owner, mine + 1);
    let index = times.length;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (times[parent] <= expiresAt) break;
      move(index, parent);
      index = parent;
    }
    times[index] = expiresAt, ids[index] = id, owners[index] = owner;
    return true;
  };
}

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** Clock, Unix ms (default `Date.now`). */
  now?: () => number;
  /**
   * Most ids remembered at once (default 100 000). An unexpired id is never forgotten: while
   * this many are held, a new one is refused (`"full"`).
   */
  capacity?: number;
  /**
   * Most ids one owner (a caller) holds at once, so that no single caller can fill the memory
   * for every other: by default an equal part for each of `owners`, or half of `capacity`.
   */
  ownerShare?: number;
  /** How many callers share the memory (sets the default `ownerShare`, see {@link replayShare}). */
  owners?: number;
}

/**
 * Each owner's share of a replay memory as its options set it: `ownerShare` when given, else an
 * equal part for each of `owners` ({@link replayShare}), else half of `capacity`.
 *
 * @param capacity Most ids the memory holds.
 * @param options `ownerShare` and `owners`, as configured.
 * @returns The most one owner may hold.
 */
export function ownerShareOf(
  capacity: number,
  options: { ownerShare?: number; owners?: number },
): number {
  return options.ownerShare ??
    (options.owners ? replayShare(capacity, options.owners) : Math.ceil(capacity / 2));
}

/**
 * Creates a store in this isolate's memory. Correct for one process only: on Workers or Deno
 * Deploy, where one deployment runs many isolates, use the Durable Object or Deno KV store.
 *
 * @param options Clock, capacity and each owner's share.
 * @returns The store.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): StateStore {
  const now = options.now ?? Date.now;
  const capacity = options.capacity ?? 100_000;
  const remember = createIdMemory(now, capacity, {
    whenFull: "refuse",
    ownerShare: ownerShareOf(capacity, options),
  });
  // Per bucket, the expiry times in the order taken, and where the live ones start: dropping the
  // expired ones moves `head` (amortised O(1)), where filtering the array would cost O(limit).
  const slots = new Map<string, { times: number[]; head: number }>();
  return {
    ...createMemoryOwnership(),
    remember: (id, expiresAt, owner) => Promise.resolve(remember(id, expiresAt, owner)),
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

/**
 * The share of a replay memory of `capacity` signatures that each of `owners` callers may hold:
 * an equal part, and never more than half, so that no caller can fill the memory for the others
 * (it can fill only its own part, and is refused until its signatures expire).
 *
 * @param capacity Most signatures the memory holds.
 * @param owners How many callers share it.
 * @returns The most one caller may hold.
 */
export function replayShare(capacity: number, owners: number): number {
  return Math.max(1, Math.floor(capacity / Math.max(2, owners)));
}

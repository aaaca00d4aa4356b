/**
 * The gateway's shared state on Deno KV (Deno Deploy, or a local file shared by processes).
 * `remember` is one atomic write guarded by "the key does not exist" and expiring with the
 * memory; `reserve` keeps a bucket's slot expiry times in one value, updated by an atomic
 * compare-and-set and retried on conflict, so every isolate sees the same count.
 *
 * @module
 */

import { type StateStore, takeSlot } from "../state_store.ts";

/** A versioned entry, as `Deno.Kv.get` returns it. */
export interface KvEntry<T> {
  /** The key. */
  key: readonly unknown[];
  /** The value, `null` when there is none. */
  value: T | null;
  /** The version, `null` when there is no value. */
  versionstamp: string | null;
}

/** The part of `Deno.Kv` the store uses (so that this module needs no Deno types). */
export interface DenoKvLike {
  /** Reads an entry. */
  get<T>(key: readonly unknown[]): Promise<KvEntry<T>>;
  /** Starts an atomic operation. */
  atomic(): {
    check(...checks: { key: readonly unknown[]; versionstamp: string | null }[]): ReturnType<
      DenoKvLike["atomic"]
    >;
    set(key: readonly unknown[], value: unknown, options?: { expireIn?: number }): ReturnType<
      DenoKvLike["atomic"]
    >;
    commit(): Promise<{ ok: boolean }>;
  };
}

/** Options of {@link createDenoKvStore}. */
export interface DenoKvStoreOptions {
  /** Key prefix of everything the store writes (default `["wangsu-gateway"]`). */
  prefix?: string[];
  /** Clock, Unix ms (default `Date.now`). */
  now?: () => number;
  /** Compare-and-set attempts before a busy bucket is reported as unavailable (default 50). */
  attempts?: number;
}

/**
 * Creates the store over an open Deno KV database (`await Deno.openKv(path)`).
 *
 * @param kv The database.
 * @param options Prefix, clock and conflict attempts.
 * @returns The store.
 */
export function createDenoKvStore(kv: DenoKvLike, options: DenoKvStoreOptions = {}): StateStore {
  const prefix = options.prefix ?? ["wangsu-gateway"];
  const now = options.now ?? Date.now;
  const attempts = options.attempts ?? 50;
  /**
   * Runs `step` until it settles the question (returns a value) or attempts run out. A step
   * returns `undefined` when it lost a compare-and-set; a local database file that another
   * process is writing answers "database is locked", which is the same thing.
   */
  const settle = async <T>(what: string, step: () => Promise<T | undefined>): Promise<T> => {
    for (let attempt = 0; attempt < attempts; attempt++) {
      try {
        const result = await step();
        if (result !== undefined) return result;
      } catch (error) {
        if (!/database is locked|busy/i.test(String(error))) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * (attempt + 1)));
    }
    throw new Error(`Deno KV: ${what} stayed busy after ${attempts} attempts`);
  };
  return {
    remember(id, expiresAt) {
      const key = [...prefix, "seen", id];
      let current: KvEntry<number> | undefined;
      return settle("the replay memory", async () => {
        // The first attempt assumes a new id; KV deletes expired keys lazily, so an entry still
        // present may have expired.
        if (current?.value != null && current.value > now()) return false;
        const written = await kv.atomic().check(current ?? { key, versionstamp: null })
          .set(key, expiresAt, { expireIn: Math.max(1, expiresAt - now()) }).commit();
        if (written.ok) return true;
        current = await kv.get<number>(key);
      });
    },
    reserve(bucket, limit, windowMs) {
      const key = [...prefix, "slots", bucket];
      return settle(`bucket ${bucket}`, async () => {
        const current = await kv.get<number[]>(key);
        const { expiries, reservation } = takeSlot(current.value ?? [], now(), limit, windowMs);
        if (!reservation.ok) return reservation;
        const written = await kv.atomic().check(current).set(key, expiries, { expireIn: windowMs })
          .commit();
        return written.ok ? reservation : undefined;
      });
    },
  };
}

/**
 * Tenancy, step 5 of an action request: a key with `objects: "own"` may act only on objects its
 * tenant (the key's `name`) owns. The ids an input names are read generically from the catalog's
 * ownership facts (`src/actions/ownership.ts`, from `src/actions/spec.json`); the first one the
 * tenant does not own refuses the request with 403 before anything is forwarded.
 *
 * Owners are kept in the gateway's {@link StateStore} as `kind:id` → tenant, and cached in the
 * isolate: an owner changes only by a create, a grant, a revoke or a delete, and the isolate that
 * makes the change updates its cache at once; other isolates see it within `cacheMs` (default
 * 10 s). Only owners are cached, never "nobody": an object created in another isolate is its
 * creator's at once everywhere.
 *
 * @module
 */

import type { CatalogEntry } from "../../action.ts";
import type { ActionOwnership, ObjectKind, OwnedCatalogEntry } from "../../actions/ownership.ts";
import type { StateStore } from "../../server/state_store.ts";
import { GatewayError, stateUnavailable } from "../gateway_error.ts";
import type { Caller } from "../keys.ts";

/** The gateway's view of ownership: the store's records behind the isolate's cache. */
export interface OwnershipLedger {
  /** The owner of each of `ids` (`kind:id`), in order; nothing for an id nobody owns. */
  owners(ids: readonly string[]): Promise<(string | undefined)[]>;
  /** Makes `owner` the owner of `ids` (`undefined` forgets them). */
  setOwners(ids: readonly string[], owner: string | undefined): Promise<void>;
  /** The ids (`kind:id`) `owner` owns. */
  ownedBy(owner: string): Promise<string[]>;
  /**
   * What this isolate knows of an id's owner without asking the store: the owner it cached
   * (fresh), `null` when it forgot or revoked the id itself (fresh), nothing when it does not know.
   */
  cached(id: string): string | null | undefined;
  /** Whether the store keeps ownership at all. */
  readonly kept: boolean;
}

/** Options of {@link ownershipLedger}. */
export interface OwnershipLedgerOptions {
  /**
   * The gateway's clock, Unix ms. Required: the ledger is made once per store, by whichever route
   * asks first, so every route gives the same clock.
   */
  now: () => number;
  /** How long an owner is cached in the isolate, ms (default 10 000; 0 for no cache). */
  cacheMs?: number;
  /** Most owners cached (default 10 000). */
  cacheSize?: number;
}

const ledgers = new WeakMap<StateStore, OwnershipLedger>();

/**
 * The ownership ledger over `store`: one per store, so that every route of a gateway (actions,
 * events, admin, signed URLs) shares its cache.
 *
 * @param store The gateway's shared state.
 * @param options Clock and cache bounds (read when the ledger is first made).
 * @returns The ledger.
 */
export function ownershipLedger(
  store: StateStore,
  options: OwnershipLedgerOptions,
): OwnershipLedger {
  const known = ledgers.get(store);
  if (known) return known;
  const now = options.now;
  const cacheMs = options.cacheMs ?? 10_000;
  const cacheSize = options.cacheSize ?? 10_000;
  const cache = new Map<string, { owner: string; until: number }>();
  // Ids this isolate itself forgot or revoked, so that its event streams stop at once.
  const dropped = new Map<string, number>();
  const remember = (id: string, owner: string | undefined, own = false) => {
    cache.delete(id);
    dropped.delete(id);
    if (own && owner === undefined && cacheMs) {
      if (dropped.size >= cacheSize) dropped.delete(dropped.keys().next().value!);
      dropped.set(id, now() + cacheMs);
    }
    if (owner === undefined || !cacheMs) return;
    if (cache.size >= cacheSize) cache.delete(cache.keys().next().value!);
    cache.set(id, { owner, until: now() + cacheMs });
  };
  const ledger: OwnershipLedger = {
    kept: !!(store.owners && store.setOwners && store.ownedBy),
    async owners(ids) {
      const at = now();
      const found = ids.map((id) => {
        const hit = cache.get(id);
        return hit && hit.until > at ? hit.owner : undefined;
      });
      const missing = ids.filter((_, index) => found[index] === undefined);
      if (!missing.length) return found;
      const distinct = [...new Set(missing)];
      const asked = await store.owners!(distinct);
      const answers = new Map(distinct.map((id, index) => [id, asked[index]]));
      for (const [id, owner] of answers) remember(id, owner);
      return ids.map((id, index) => found[index] ?? answers.get(id));
    },
    async setOwners(ids, owner) {
      await store.setOwners!(ids, owner);
      for (const id of ids) remember(id, owner, true);
    },
    ownedBy: (owner) => store.ownedBy!(owner),
    cached(id) {
      const at = now();
      const hit = cache.get(id);
      if (hit && hit.until > at) return hit.owner;
      const gone = dropped.get(id);
      return gone !== undefined && gone > at ? null : undefined;
    },
  };
  ledgers.set(store, ledger);
  return ledger;
}

/**
 * The store's answer, or 503 (`state-unavailable`) when it fails: tenancy fails closed. A
 * refusal ({@link GatewayError}) passes as it is.
 *
 * @param promise The store's (or the ledger's) answer.
 * @returns The answer.
 */
export const askStore = <T>(promise: Promise<T>): Promise<T> =>
  promise.catch((failure) => {
    if (failure instanceof GatewayError) throw failure;
    throw stateUnavailable({});
  });

/** Whether the caller acts only on its tenant's objects (every key unless it says `all`). */
export const ownOnly = (caller: Caller): boolean => caller.objects != "all";

/** The ids (`kind:id`) in a field's value: one id, or a comma list of them. */
const idsIn = (kind: ObjectKind, value: unknown): string[] =>
  typeof value == "string"
    ? value.split(",").map((id) => id.trim()).filter(Boolean).map((id) => `${kind}:${id}`)
    : [];

/**
 * The owned objects an input names, as the action's catalog entry says (`ownership.names`).
 *
 * @param action The action.
 * @param input The validated input.
 * @returns Their ids (`kind:id`), in the order the input names them.
 */
export function namedObjects(action: CatalogEntry, input: unknown): string[] {
  return objectsIn((action as OwnedCatalogEntry).ownership?.names, input);
}

/**
 * The owned objects an input names in the fields of `names`.
 *
 * @param names The fields naming owned objects, with their kind (as `ownership.names`).
 * @param input The validated input.
 * @returns Their ids (`kind:id`), in the order the input names them.
 */
export function objectsIn(
  names: ActionOwnership["names"],
  input: unknown,
): string[] {
  if (!names || typeof input != "object" || input == null) return [];
  const fields = input as Record<string, unknown>;
  return Object.entries(names).flatMap(([field, kind]) => idsIn(kind, fields[field]));
}

/** The sentence naming an object: `channel p1`. */
export const objectName = (id: string): string => id.replace(":", " ");

/** The refusal for an object the caller does not own. */
export const notOwned = (caller: Caller, id: string): GatewayError =>
  new GatewayError(403, "not-owned", `Key ${caller.name} does not own ${objectName(id)}`, {
    details: { reason: "not-owned", object: objectName(id) },
  });

/**
 * The first of `ids` the caller may not act on: none for an `all` key.
 *
 * @param ledger The ownership ledger.
 * @param caller The authenticated caller.
 * @param ids The ids (`kind:id`).
 * @returns The first id its tenant does not own, or nothing.
 */
export async function firstNotOwned(
  ledger: OwnershipLedger,
  caller: Caller,
  ids: readonly string[],
): Promise<string | undefined> {
  if (!ownOnly(caller) || !ids.length) return undefined;
  const owners = await ledger.owners(ids);
  return ids.find((_, index) => owners[index] !== caller.name);
}

/**
 * Whether a caller may act on objects of one kind: for the gateway's other routes (signed URLs,
 * events). An `all` key may act on any; an `own` key on those its tenant owns.
 *
 * @param store The gateway's shared state.
 * @param caller The authenticated caller.
 * @param kind The objects' kind (`"channel"`, ...).
 * @param ids Their ids, as the upstream names them.
 * @param now The gateway's clock.
 * @returns `true` when the caller may act on every one of them.
 * @throws When the store cannot answer (treat as unavailable: refuse).
 */
export async function ownsObjects(
  store: StateStore,
  caller: Caller,
  kind: ObjectKind,
  ids: readonly string[],
  now: () => number,
): Promise<boolean> {
  if (!ownOnly(caller)) return true;
  const ledger = ownershipLedger(store, { now });
  if (!ledger.kept) return false;
  return await firstNotOwned(ledger, caller, ids.map((id) => `${kind}:${id}`)) === undefined;
}

/**
 * Refuses a request naming an object the caller's tenant does not own.
 *
 * @param ledger The ownership ledger.
 * @param caller The authenticated caller.
 * @param action The action.
 * @param input The validated input.
 * @returns `"ok"` when the input named owned objects only; nothing when it named none or the key
 *   may act on all.
 * @throws {GatewayError} 403 (`not-owned`) naming the first id not owned; 503 when the store
 *   cannot answer.
 */
export async function checkOwnership(
  ledger: OwnershipLedger,
  caller: Caller,
  action: CatalogEntry,
  input: unknown,
): Promise<"ok" | undefined> {
  if (!ownOnly(caller)) return undefined;
  const ids = namedObjects(action, input);
  if (!ids.length) return undefined;
  const foreign = await askStore(firstNotOwned(ledger, caller, ids));
  if (foreign) throw notOwned(caller, foreign);
  return "ok";
}

/**
 * What an action does with the objects a tenant owns, as `src/actions/spec.json` annotates it and
 * the generated catalog carries it: which input fields name owned objects, which object a success
 * creates, which ids a success forgets, and which kind an answer lists. The gateway's ownership
 * steps read these facts; no action has code of its own there.
 *
 * @module
 */

import type { CatalogEntry } from "../action.ts";

/** Every kind of object a tenant can own. */
export const OBJECT_KINDS = ["channel", "recordTask", "forwardTask", "directory"] as const;

/** A kind of object a tenant can own. */
export type ObjectKind = (typeof OBJECT_KINDS)[number];

/** An action's ownership facts. */
export interface ActionOwnership {
  /** Input fields naming owned objects (one id or a comma list of ids), with their kind. */
  readonly names?: Readonly<Record<string, ObjectKind>>;
  /**
   * The object a success creates: its kind and the answer's field holding its id. `existing`
   * when the answer may name an object that already existed (e.g. a repeated `transNo`).
   */
  readonly creates?: { readonly kind: ObjectKind; readonly id: string; readonly existing?: true };
  /** Input fields whose ids a success deletes (their ownership is forgotten). */
  readonly forgets?: readonly string[];
  /**
   * The kind an answer lists: `items` the answer's field holding them (`""`: the answer itself),
   * `id` each item's id field, `count` a field holding the items on the page, `total` one holding
   * how many there are in all; `paged` when the input takes `pageIndex` and `pageSize`.
   */
  readonly lists?: {
    readonly kind: ObjectKind;
    readonly items: string;
    readonly id: string;
    readonly count?: string;
    readonly total?: string;
    readonly paged?: true;
  };
}

/** A catalog entry with its ownership facts (none for an action that names no owned object). */
export interface OwnedCatalogEntry extends CatalogEntry {
  /** What the action does with owned objects. */
  readonly ownership?: ActionOwnership;
}

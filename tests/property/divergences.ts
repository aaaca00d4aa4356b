/**
 * Known divergences between the SDK's validation and the vendor spec, found by the property
 * test: each names the action(s), the field, what the spec says, what the SDK does instead, and
 * a witness input. The property test lets exactly these cases through (and nothing that merely
 * looks like them); a separate test fails once a witness no longer diverges, so an entry is
 * removed when `src/` is fixed rather than left to hide a regression.
 *
 * @module
 */

import type { Breach } from "./oracle.ts";

/** Where validation runs: the action functions (client) or `readActionBody` on JSON (servers). */
export type Checker = "client" | "server";

/** One known divergence. */
export interface Divergence {
  /** Short id, printed with the statistics. */
  readonly id: string;
  /** The fields concerned. */
  readonly fields: readonly string[];
  /** Where they are, in words. */
  readonly where: string;
  /** What the vendor spec says (or the standard it leaves the matter to). */
  readonly spec: string;
  /**
   * What the SDK does instead: accept what the spec refuses, refuse what it allows, or refuse
   * rightly but name a field other than the one at fault.
   */
  readonly sdk: "accepts" | "refuses" | "misnames";
  /** Which checkers diverge. */
  readonly checkers: readonly Checker[];
  /** For `accepts`: whether this divergence explains a rule the oracle says is broken. */
  explains?(action: string, breach: Breach, input: unknown): boolean;
  /** For `refuses` and `misnames`: whether it applies to this input. */
  applies?(action: string, input: unknown): boolean;
  /** A fixed input that shows it. */
  readonly witness: { readonly action: string; readonly input: unknown };
}

/**
 * The divergences known today. The first run of this test found ten (integers past 2^53 accepted
 * by the client, `1e21` and nested paths on the server, arrays taken as inputs, an empty
 * `funcConfig`, lenient base64, an empty `whiteBoardId`, one empty id of `recordTaskQuery`,
 * upper-case `RTMP://`, and URLs no parser reads); all were fixed in `src/`.
 */
export const divergences: readonly Divergence[] = [];

/**
 * Whether known divergences explain a disagreement with the oracle.
 *
 * @param action The action.
 * @param input The input.
 * @param checker Which checker disagreed.
 * @param breaches What the oracle says is broken (none: the oracle accepts).
 * @param refused Whether the checker refused the input.
 * @param issuePaths The fields the checker's issues name.
 * @returns The ids of the divergences that explain all of it; empty when they do not.
 */
export function explained(
  action: string,
  input: unknown,
  checker: Checker,
  breaches: readonly Breach[],
  refused: boolean,
  issuePaths: readonly string[],
): string[] {
  const known = divergences.filter((d) => d.checkers.includes(checker));
  if (!refused) {
    // The SDK accepts what the oracle refuses: every broken rule must be a known one.
    const ids = breaches.map((b) =>
      known.find((d) => d.sdk == "accepts" && d.explains?.(action, b, input))?.id
    );
    return ids.length && ids.every(Boolean) ? [...new Set(ids as string[])] : [];
  }
  const applicable = known.filter((d) => d.applies?.(action, input));
  if (breaches.length) {
    // Both refuse, but the SDK names another field: it misnames, or it is blind to the broken
    // rule (and refuses for what followed from it, e.g. an unsafe startTime and then endTime).
    const blind = known.filter((d) =>
      d.sdk == "accepts" && breaches.some((b) => d.explains?.(action, b, input))
    );
    const misnaming = applicable.filter((d) => d.sdk == "misnames" || d.sdk == "accepts");
    return [...new Set([...blind, ...misnaming].map((d) => d.id))];
  }
  // The SDK refuses what the oracle accepts: every field it names must be a known one.
  const refusing = applicable.filter((d) => d.sdk == "refuses");
  const covered = (path: string) => refusing.some((d) => d.fields.includes(path));
  return issuePaths.length && issuePaths.every(covered) ? refusing.map((d) => d.id) : [];
}

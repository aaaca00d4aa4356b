/**
 * The reconciler's settings, checked apart from the reconciler: a gateway checks them at creation
 * and loads the reconciler with its first event or run.
 *
 * @module
 */

import { WangsuValidationError } from "../errors.ts";
import { wholeOption } from "../server/whole_option.ts";
import type { ReconcilerOptions } from "./reconciler.ts";

/** The reconciler's checked options, with their defaults. */
export interface ReconcilerSettings {
  /** The share of the account budget it may spend. */
  budgetShare: number;
  /** How often it runs, ms. */
  intervalMs: number;
  /** How long a channel's event keeps it polled, ms. */
  recentMs: number;
  /** Channels per poll. */
  batchSize: number;
}

/**
 * Checks the reconciler's options and gives them with their defaults.
 *
 * @param options The reconciler's options.
 * @returns The settings.
 * @throws {WangsuValidationError} When an option is out of range (naming it).
 */
export const reconcilerSettings = (options: ReconcilerOptions): ReconcilerSettings => {
  const share = options.budgetShare ?? 0.05;
  if (typeof share != "number" || !(share > 0 && share <= 0.5)) {
    throw new WangsuValidationError([{
      path: "reconciler.budgetShare",
      rule: "range",
      message: "reconciler.budgetShare: must be a share above 0 and at most 0.5",
    }]);
  }
  return {
    budgetShare: share,
    intervalMs: wholeOption(options.intervalMs, "reconciler.intervalMs", 1_000, 60_000),
    recentMs: wholeOption(options.recentMs, "reconciler.recentMs", 1, 86_400_000),
    batchSize: wholeOption(options.batchSize, "reconciler.batchSize", 1, 100),
  };
};

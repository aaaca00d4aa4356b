/**
 * The check every count and duration option of the gateway's parts shares: a whole number of at
 * least a minimum, or its default when not given.
 *
 * @module
 */

import { wholeNumberAtLeast } from "../errors.ts";

/**
 * A whole-number option of at least `min`, or `fallback` when it is not given.
 *
 * @param value The option as given.
 * @param path The option's name, for the error.
 * @param min The least it may be.
 * @param fallback What an option not given stands for.
 * @returns The option, or `fallback`.
 * @throws {WangsuValidationError} Naming `path`, never the value.
 */
export function wholeOption<T>(value: unknown, path: string, min: number, fallback: T): number | T {
  return value === undefined ? fallback : wholeNumberAtLeast(path, value, min);
}

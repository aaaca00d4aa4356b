/** A load generator: `connections` loops sending for `seconds`, recording every latency. */

import { runLoad as runLoadLoop } from "./run_load.mjs";

/** What a load run saw. */
export interface LoadResult {
  /** Requests completed. */
  requests: number;
  /** Completed per second. */
  perSecond: number;
  /** Median latency, ms. */
  p50: number;
  /** 99th percentile latency, ms. */
  p99: number;
  /** Requests that failed (network error, or `check` said no), with the first few reasons. */
  errors: number;
  /** Up to 5 distinct error descriptions. */
  errorSamples: string[];
}

/**
 * Runs the load (the loop is `run_load.mjs`, shared with the Node load generator).
 *
 * @param send Makes one request (numbered); resolves to an error description, or `undefined`.
 * @param options Connections and duration.
 */
export const runLoad: (
  send: (n: number) => Promise<string | undefined>,
  options: { connections: number; seconds: number },
) => Promise<LoadResult> = runLoadLoop;

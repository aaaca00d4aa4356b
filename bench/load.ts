/** A load generator: `connections` loops sending for `seconds`, recording every latency. */

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
 * Runs the load.
 *
 * @param send Makes one request (numbered); resolves to an error description, or `undefined`.
 * @param options Connections and duration.
 */
export async function runLoad(
  send: (n: number) => Promise<string | undefined>,
  options: { connections: number; seconds: number },
): Promise<LoadResult> {
  const latencies: number[] = [];
  const errorSamples = new Set<string>();
  let errors = 0;
  let next = 0;
  const end = performance.now() + options.seconds * 1000;
  const started = performance.now();
  await Promise.all(Array.from({ length: options.connections }, async () => {
    while (performance.now() < end) {
      const n = next++;
      const t = performance.now();
      const problem = await send(n).catch((error) => String(error));
      latencies.push(performance.now() - t);
      if (problem) {
        errors++;
        if (errorSamples.size < 5) errorSamples.add(problem.slice(0, 200));
      }
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    requests: latencies.length,
    perSecond: latencies.length / elapsed,
    p50: Math.round(at(0.5) * 100) / 100,
    p99: Math.round(at(0.99) * 100) / 100,
    errors,
    errorSamples: [...errorSamples],
  };
}

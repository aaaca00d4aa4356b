// The load loop, in plain JavaScript so that both the Deno benchmarks (`load.ts`) and the Node
// load generator (`load_generator.mjs`, its own process) run the same one: `connections` loops
// sending for `seconds`, every latency recorded, summarised as requests, per second, p50, p99 and
// errors with up to 5 distinct reasons.

/**
 * Runs the load.
 *
 * @param {(n: number) => Promise<string | undefined>} send Makes one request (numbered); resolves
 *   to an error description, or `undefined`.
 * @param {{ connections: number; seconds: number }} options Connections and duration.
 * @returns {Promise<{ requests: number; perSecond: number; p50: number; p99: number; errors: number; errorSamples: string[] }>}
 */
export async function runLoad(send, options) {
  const latencies = [];
  const errorSamples = new Set();
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
  const at = (q) =>
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

/** Timing helpers shared by the benchmarks: throughput over a fixed count, sequential or in flight. */

/** The middle value (the upper middle of an even count); sorts `values` in place. */
export const median = (values: number[]): number =>
  values.sort((a, b) => a - b)[values.length >> 1];

/** Runs `task` `count` times with `concurrency` in flight; returns operations per second. */
export async function throughput(
  task: () => Promise<unknown>,
  count: number,
  concurrency = 1,
): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next++ < count) await task();
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return count / ((performance.now() - started) / 1000);
}

/**
 * Measures two tasks side by side, alternating rounds so that drift on a shared machine hits both
 * alike; returns the best round of each (ops/s).
 */
export async function sideBySide(
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
  count: number,
  concurrency = 1,
  rounds = 5,
): Promise<[number, number]> {
  await throughput(a, Math.ceil(count / 5), concurrency); // warm up
  await throughput(b, Math.ceil(count / 5), concurrency);
  let bestA = 0;
  let bestB = 0;
  for (let round = 0; round < rounds; round++) {
    bestA = Math.max(bestA, await throughput(a, count, concurrency));
    bestB = Math.max(bestB, await throughput(b, count, concurrency));
  }
  return [bestA, bestB];
}

/** A result row: a figure, its reference, their ratio and the target the ratio must meet. */
export interface Row {
  /** Section and case. */
  name: string;
  /** Our figure, with its unit. */
  ours: string;
  /** The reference figure. */
  reference: string;
  /** ours ÷ reference (or as stated), the number the target applies to. */
  ratio: number;
  /** The target, e.g. `>= 0.85`, or `""` when the figure only informs. */
  target: string;
  /** PASS, FAIL, or INFO. */
  verdict: "PASS" | "FAIL" | "INFO";
}

/** Makes a row, judging `ratio` against `min` (or `max`). */
export function row(
  name: string,
  ours: string,
  reference: string,
  ratio: number,
  limit?: { min?: number; max?: number },
): Row {
  const target = limit?.min !== undefined
    ? `>= ${limit.min}`
    : limit?.max !== undefined
    ? `<= ${limit.max}`
    : "";
  const pass = limit?.min !== undefined
    ? ratio >= limit.min
    : limit?.max !== undefined
    ? ratio <= limit.max
    : undefined;
  return {
    name,
    ours,
    reference,
    ratio: Math.round(ratio * 1000) / 1000,
    target,
    verdict: pass === undefined ? "INFO" : pass ? "PASS" : "FAIL",
  };
}

/** Formats operations per second. */
export const perSecond = (ops: number): string => `${Math.round(ops).toLocaleString("en")}/s`;

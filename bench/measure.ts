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
 * Runs `runs` (each measures itself and returns ops/s) side by side: each `warmUps` entry once
 * (default: each run once), then `rounds` rounds in which every run runs once (A B C, C B A,
 * A B C, ...: the order reverses every round), so that drift on a shared machine hits all alike.
 * Returns the best round of each, in the order given.
 */
export async function alternateRuns(
  runs: (() => Promise<number>)[],
  rounds: number,
  warmUps: (() => Promise<unknown>)[] = runs,
): Promise<number[]> {
  for (const warmUp of warmUps) await warmUp();
  const best = runs.map(() => 0);
  const order = runs.map((_, index) => index);
  for (let round = 0; round < rounds; round++) {
    for (const index of round % 2 ? [...order].reverse() : order) {
      best[index] = Math.max(best[index], await runs[index]());
    }
  }
  return best;
}

/**
 * {@link alternateRuns} of tasks timed by {@link throughput}: `count` calls a round, `concurrency`
 * in flight, after a warm-up of a fifth of that. Returns the best round of each (ops/s).
 */
export const alternate = (
  tasks: (() => Promise<unknown>)[],
  count: number,
  concurrency = 1,
  rounds = 5,
): Promise<number[]> =>
  alternateRuns(
    tasks.map((task) => () => throughput(task, count, concurrency)),
    rounds,
    tasks.map((task) => () => throughput(task, Math.ceil(count / 5), concurrency)),
  );

/** {@link alternate} for two tasks (A B, B A, ...); returns the best round of each (ops/s). */
export async function sideBySide(
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
  count: number,
  concurrency = 1,
  rounds = 5,
): Promise<[number, number]> {
  const [bestA, bestB] = await alternate([a, b], count, concurrency, rounds);
  return [bestA, bestB];
}

/** What a run must report to be kept or counted by {@link keepBestRuns}. */
export interface CountedRun {
  /** Requests that failed. */
  errors: number;
  /** Requests completed (failed ones included). */
  requests: number;
}

/** Errors over every run of some cases. */
export interface ErrorCount {
  /** Failed requests, summed over the runs. */
  errors: number;
  /** Requests, summed over the runs. */
  requests: number;
  /** Runs recorded. */
  runs: number;
  /** Runs that had at least one failed request. */
  failedRuns: number;
}

/**
 * Keeps, for each case, its cheapest run by `cost` among the measured runs without a single error
 * (a run full of error answers is cheaper per request, so it must never be the one kept), and
 * counts errors over every run recorded, kept or not, warm-ups included (never kept).
 */
export function keepBestRuns<R extends CountedRun>(cost: (run: R) => number): {
  /** Records a run of case `name`; a warm-up is counted, never kept. */
  record(name: string, run: R, warmUp?: boolean): R;
  /** The kept run of `name`: `undefined` when every run of it had errors. */
  kept(name: string): R | undefined;
  /** Errors over every run of the cases named. */
  errors(names: string[]): ErrorCount;
} {
  const best = new Map<string, R>();
  const all = new Map<string, R[]>();
  return {
    record(name, run, warmUp = false) {
      all.set(name, [...all.get(name) ?? [], run]);
      const held = best.get(name);
      if (!warmUp && run.errors == 0 && (!held || cost(run) < cost(held))) best.set(name, run);
      return run;
    },
    kept: (name) => best.get(name),
    errors(names) {
      const runs = names.flatMap((name) => all.get(name) ?? []);
      return {
        errors: runs.reduce((sum, run) => sum + run.errors, 0),
        requests: runs.reduce((sum, run) => sum + run.requests, 0),
        runs: runs.length,
        failedRuns: runs.filter((run) => run.errors > 0).length,
      };
    },
  };
}

/** Describes an {@link ErrorCount}: `0 in 16,000 requests (4 runs)`. */
export const describeErrors = (count: ErrorCount): string =>
  `${count.errors.toLocaleString("en")} in ${
    count.requests.toLocaleString("en")
  } requests (${count.runs} runs${count.failedRuns ? `, ${count.failedRuns} with errors` : ""})`;

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

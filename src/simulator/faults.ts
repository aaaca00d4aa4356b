/**
 * Fault injection, decided by a seeded generator so that a run repeats: added latency, injected
 * 5xx/429 answers, and dropped connections (before the action runs, or after it ran, so that the
 * caller cannot tell whether it took effect).
 *
 * @module
 */

import { createRandom } from "./random.ts";

/** Fault settings of the simulator. */
export interface FaultOptions {
  /** Seed of the fault decisions (default 1). */
  seed?: number;
  /** Added delay per request: a fixed number of ms, or a `[min, max]` range. */
  latencyMs?: number | [number, number];
  /** Share (0..1) of requests answered with an injected error status instead of running. */
  errorRate?: number;
  /** Statuses to inject, picked at random (default `[503]`); 429 carries `Retry-After: 1`. */
  errorStatuses?: number[];
  /** Share (0..1) of requests whose connection is dropped: half before the action runs, half after. */
  dropRate?: number;
}

/** What happens to one request. */
export interface FaultPlan {
  latencyMs: number;
  errorStatus?: number;
  drop?: "before" | "after";
}

/** Creates the planner; each call plans the next request. */
export function createFaultPlanner(options: FaultOptions = {}): () => FaultPlan {
  const random = createRandom(options.seed ?? 1);
  const statuses = options.errorStatuses ?? [503];
  return () => {
    const latency = options.latencyMs ?? 0;
    const latencyMs = Array.isArray(latency)
      ? latency[0] + random.next() * (latency[1] - latency[0])
      : latency;
    const roll = random.next();
    const pick = random.next();
    const errorRate = options.errorRate ?? 0;
    if (roll < errorRate) {
      return { latencyMs, errorStatus: statuses[Math.floor(pick * statuses.length)] };
    }
    if (roll < errorRate + (options.dropRate ?? 0)) {
      return { latencyMs, drop: pick < 0.5 ? "before" : "after" };
    }
    return { latencyMs };
  };
}

/**
 * Fault injection, decided by a seeded generator so that a run repeats: added latency, injected
 * 5xx/429 answers, and dropped connections (before the action runs, or after it ran, so that the
 * caller cannot tell whether it took effect); and for callbacks, a share never delivered, late
 * delivery, and delivery out of event-time order within a window.
 *
 * @module
 */

import { invalid } from "../errors.ts";
import { createRandom, deriveSeed, type Random } from "./random.ts";

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
  /**
   * Share (0..1) of raised callbacks never delivered, as when the platform's own retries all
   * failed: nothing is sent, and the notification is marked `failed` with one attempt whose
   * `error` says so. Redeliveries (`simulator.redeliver`) are never dropped.
   */
  callbackDropRate?: number;
  /** Wait between raising a callback and its first try: a fixed number of ms, or a `[min, max]` range. */
  callbackDelayMs?: number | [number, number];
  /**
   * Callbacks are held a further random 0 to this many ms each, so that those raised within the
   * window of each other may arrive out of event-time order (each still carries its `time`).
   */
  callbackReorderWindowMs?: number;
}

/** What happens to one request. */
export interface FaultPlan {
  /** Added delay, ms. */
  latencyMs: number;
  /** The injected error status, if any. */
  errorStatus?: number;
  /** Where the connection is dropped, if it is. */
  drop?: "before" | "after";
}

/** What happens to one callback. */
export interface CallbackFaultPlan {
  /** Never delivered. */
  drop: boolean;
  /** Wait before the first try, ms (the delay and the reorder hold together). */
  holdMs: number;
}

const refuse = (option: string, rule: string, text: string): never => {
  throw invalid(`faults.${option}`, rule, text);
};

const checkShare = (
  options: FaultOptions,
  option: "errorRate" | "dropRate" | "callbackDropRate",
) => {
  const value = options[option];
  if (value === undefined) return;
  if (typeof value != "number" || !(value >= 0 && value <= 1)) {
    refuse(option, "range", "must be a share from 0 to 1");
  }
};

const checkDuration = (
  options: FaultOptions,
  option: "latencyMs" | "callbackDelayMs" | "callbackReorderWindowMs",
) => {
  const value = options[option];
  if (value === undefined) return;
  const finite = (ms: unknown) => typeof ms == "number" && Number.isFinite(ms) && ms >= 0;
  if (option != "callbackReorderWindowMs" && Array.isArray(value)) {
    if (value.length != 2 || !value.every(finite) || value[0] > value[1]) {
      refuse(option, "range", "must be [min, max] with 0 <= min <= max, in ms");
    }
  } else if (!finite(value)) {
    refuse(option, "range", "must be a finite number of ms, 0 or more");
  }
};

/**
 * Checks fault settings: shares from 0 to 1, durations finite and not negative, ranges in order.
 *
 * @param options The settings.
 * @throws {WangsuValidationError} Naming the first option that is out of range (`faults.<name>`).
 */
function checkFaultOptions(options: FaultOptions = {}): void {
  checkShare(options, "errorRate");
  checkShare(options, "dropRate");
  checkShare(options, "callbackDropRate");
  checkDuration(options, "latencyMs");
  checkDuration(options, "callbackDelayMs");
  checkDuration(options, "callbackReorderWindowMs");
}

/** A fixed number of ms, or a draw from a `[min, max]` range. */
const duration = (value: number | [number, number] | undefined, random: Random) =>
  Array.isArray(value) ? value[0] + random.next() * (value[1] - value[0]) : value ?? 0;

/**
 * Creates the request planner; each call plans the next request.
 *
 * @param options The fault settings.
 * @returns The planner.
 * @throws {WangsuValidationError} When an option is out of range.
 */
export function createFaultPlanner(options: FaultOptions = {}): () => FaultPlan {
  checkFaultOptions(options);
  const random = createRandom(options.seed ?? 1);
  const statuses = options.errorStatuses ?? [503];
  return () => {
    const latencyMs = duration(options.latencyMs, random);
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

/**
 * Creates the callback planner; each call plans the next callback, in the order they are raised.
 * It draws from a sequence of its own (from the same seed), so that request faults under a seed
 * stay as they were whatever callbacks are raised.
 *
 * @param options The fault settings.
 * @returns The planner.
 * @throws {WangsuValidationError} When an option is out of range.
 */
export function createCallbackFaultPlanner(
  options: FaultOptions = {},
): () => CallbackFaultPlan {
  checkFaultOptions(options);
  const random = createRandom(deriveSeed(options.seed ?? 1, "callbacks"));
  return () => {
    // Three draws per callback whatever the settings, so that one setting's draws do not shift
    // another's.
    const drop = random.next() < (options.callbackDropRate ?? 0);
    const delay = Array.isArray(options.callbackDelayMs)
      ? duration(options.callbackDelayMs, random)
      : (random.next(), options.callbackDelayMs ?? 0);
    const hold = random.next() * (options.callbackReorderWindowMs ?? 0);
    return { drop, holdMs: delay + hold };
  };
}

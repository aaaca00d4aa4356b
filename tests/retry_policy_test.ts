// The retry policy alone: a pure function from a failed attempt, as plain data, to "retry after
// N ms" or "stop", with the reason. No fetch, no client, no clock: every case is a row of data.
import assert from "node:assert/strict";
import { type FailedAttempt, retryDecision } from "../src/retry_policy.ts";

const NOW = 1_764_000_000_000;
const MINUTE = 60_000;

/** A first attempt of a call that is safe to repeat, with the client's default budget. */
const failed = (changes: Partial<FailedAttempt>): FailedAttempt => ({
  attempt: 1,
  outcome: "network",
  repeatable: true,
  retries: 2,
  clockCorrected: false,
  now: NOW,
  clockOffsetMs: 0,
  deadline: NOW + MINUTE,
  retryBaseDelayMs: 200,
  retryMaxDelayMs: 10_000,
  random: () => 0.5,
  ...changes,
});

const cases: [string, Partial<FailedAttempt>, ReturnType<typeof retryDecision>][] = [
  // What is retried, for which calls.
  ["a network error, repeatable", {}, { retry: true, afterMs: 100, reason: "network" }],
  [
    "a timeout, repeatable",
    { outcome: "timeout" },
    { retry: true, afterMs: 100, reason: "timeout" },
  ],
  [
    "a network error on a write: it may have run",
    { repeatable: false },
    { retry: false, reason: "not-repeatable" },
  ],
  [
    "a timeout on a write: it may have run",
    { repeatable: false, outcome: "timeout" },
    { retry: false, reason: "not-repeatable" },
  ],
  ...[502, 503, 504].map((status): (typeof cases)[number] => [
    `HTTP ${status}, repeatable`,
    { outcome: { status } },
    { retry: true, afterMs: 100, reason: "status" },
  ]),
  ...[502, 503, 504].map((status): (typeof cases)[number] => [
    `HTTP ${status} on a write`,
    { repeatable: false, outcome: { status } },
    { retry: false, reason: "not-repeatable" },
  ]),
  [
    "HTTP 429 on a write: answered before anything ran",
    { repeatable: false, outcome: { status: 429 } },
    { retry: true, afterMs: 100, reason: "status" },
  ],
  ...[400, 404, 500, 401, 462].map((status): (typeof cases)[number] => [
    `HTTP ${status}, even repeatable`,
    { outcome: { status } },
    { retry: false, reason: "not-retryable" },
  ]),
  [
    "an envelope's refusal on HTTP 200",
    { outcome: { status: 200 } },
    { retry: false, reason: "not-retryable" },
  ],
  [
    "a redirect refused in a browser (opaque: status 0)",
    { outcome: { status: 0 } },
    { retry: false, reason: "not-retryable" },
  ],
  [
    "an error before anything was sent (a bad header)",
    { outcome: "error" },
    { retry: false, reason: "not-retryable" },
  ],
  // How long it waits.
  [
    "Retry-After, when longer than the jitter",
    { outcome: { status: 429, retryAfterSeconds: 3 }, random: () => 1 - 1e-9 },
    { retry: true, afterMs: 3_000, reason: "status" },
  ],
  [
    "the jitter, when longer than Retry-After",
    { outcome: { status: 503, retryAfterSeconds: 0.05 } },
    { retry: true, afterMs: 100, reason: "status" },
  ],
  [
    "Retry-After beyond the largest step is still honoured",
    { outcome: { status: 503, retryAfterSeconds: 45 } },
    { retry: true, afterMs: 45_000, reason: "status" },
  ],
  ...[[1, 50], [2, 100], [3, 200], [4, 400], [5, 500], [6, 500]].map((
    [attempt, afterMs],
  ): (typeof cases)[number] => [
    `attempt ${attempt}: half a step that doubles from 100 to a 1,000 ceiling`,
    { attempt, retries: 6, retryBaseDelayMs: 100, retryMaxDelayMs: 1_000 },
    { retry: true, afterMs, reason: "network" },
  ]),
  [
    "full jitter: a draw of 0 waits nothing",
    { random: () => 0 },
    { retry: true, afterMs: 0, reason: "network" },
  ],
  // When it gives up.
  [
    "the last retry spent",
    { attempt: 3 },
    { retry: false, reason: "retries-spent" },
  ],
  ["retries off", { retries: 0 }, { retry: false, reason: "retries-spent" }],
  [
    "a clock-skew retry does not count against the budget, nor grow the step",
    { attempt: 3, clockCorrected: true },
    { retry: true, afterMs: 200, reason: "network" },
  ],
  [
    "a wait that would end at the deadline",
    { deadline: NOW + 100 },
    { retry: false, reason: "deadline" },
  ],
  [
    "a wait that ends just before it",
    { deadline: NOW + 101 },
    { retry: true, afterMs: 100, reason: "network" },
  ],
  [
    "a Retry-After longer than the time left",
    { outcome: { status: 503, retryAfterSeconds: 30 }, deadline: NOW + 10_000 },
    { retry: false, reason: "deadline" },
  ],
  // The clock: a signature refused with the service's clock far from ours.
  ...[401, 403, 462].map((status): (typeof cases)[number] => [
    `HTTP ${status} with the server 20 minutes ahead: its clock taken, one retry at once`,
    { repeatable: false, outcome: { status, serverTime: NOW + 20 * MINUTE } },
    { retry: true, afterMs: 0, reason: "clock-skew", clockOffsetMs: 20 * MINUTE },
  ]),
  [
    "the server 20 minutes behind",
    { outcome: { status: 462, serverTime: NOW - 20 * MINUTE } },
    { retry: true, afterMs: 0, reason: "clock-skew", clockOffsetMs: -20 * MINUTE },
  ],
  [
    "skew with retries off: the clock is still taken, for later calls",
    { retries: 0, outcome: { status: 462, serverTime: NOW + 20 * MINUTE } },
    { retry: false, reason: "retries-spent", clockOffsetMs: 20 * MINUTE },
  ],
  [
    "skew with the deadline passed: the clock is still taken",
    {
      deadline: NOW,
      outcome: { status: 462, serverTime: NOW + 20 * MINUTE },
    },
    { retry: false, reason: "deadline", clockOffsetMs: 20 * MINUTE },
  ],
  [
    "skew measured against the corrected clock: none left",
    {
      clockOffsetMs: 20 * MINUTE,
      outcome: { status: 462, serverTime: NOW + 20 * MINUTE },
    },
    { retry: false, reason: "not-retryable" },
  ],
  [
    "a corrected clock refused again: not corrected twice",
    {
      attempt: 2,
      clockCorrected: true,
      outcome: { status: 462, serverTime: NOW + 40 * MINUTE },
    },
    { retry: false, reason: "not-retryable" },
  ],
  [
    "a minute apart is no evidence of skew",
    { outcome: { status: 462, serverTime: NOW + MINUTE } },
    { retry: false, reason: "not-retryable" },
  ],
  [
    "a minute and a millisecond apart is",
    { outcome: { status: 462, serverTime: NOW + MINUTE + 1 } },
    { retry: true, afterMs: 0, reason: "clock-skew", clockOffsetMs: MINUTE + 1 },
  ],
  [
    "a 503 with a far server clock is no signature refusal",
    { outcome: { status: 503, serverTime: NOW + 20 * MINUTE } },
    { retry: true, afterMs: 100, reason: "status" },
  ],
];

for (const [name, changes, expected] of cases) {
  Deno.test(`retry policy: ${name}`, () => {
    assert.deepEqual(retryDecision(failed(changes)), expected);
  });
}

Deno.test("retry policy: the random source is drawn once per backoff, never to stop", () => {
  const draws = (changes: Partial<FailedAttempt>) => {
    let count = 0;
    retryDecision(failed({ ...changes, random: () => (count++, 0.5) }));
    return count;
  };
  assert.equal(draws({}), 1);
  assert.equal(draws({ repeatable: false }), 0);
  assert.equal(draws({ retries: 0 }), 0);
  assert.equal(draws({ outcome: { status: 400 } }), 0);
  assert.equal(
    draws({ outcome: { status: 462, serverTime: NOW + 20 * MINUTE } }),
    0,
  );
  // The draw is made before the deadline is known to be too close.
  assert.equal(draws({ deadline: NOW }), 1);
});

Deno.test("retry policy: the same failure gives the same decision, and its input is untouched", () => {
  const input = Object.freeze(failed({
    outcome: Object.freeze({ status: 429, retryAfterSeconds: 1.5 }),
  }));
  const first = retryDecision(input);
  assert.deepEqual(retryDecision(input), first);
  assert.deepEqual(first, { retry: true, afterMs: 1_500, reason: "status" });
});

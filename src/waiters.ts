/**
 * Waiters: poll until a recording task, a relay task or a channel reaches a state, with backoff,
 * a deadline and an `AbortSignal`. Every poll is an ordinary call through the client, so the
 * client's rate limiter, retries and clock apply; waits use the client's `sleep` (virtual time in
 * tests). A state that can no longer be reached (a task that ended while waiting for it to start)
 * fails at once with {@link WangsuWaitError} instead of polling to the deadline.
 *
 * @example
 * ```ts
 * import { createClient, createRecordTask, waitForRecordTask } from "@wangsu/sdk";
 *
 * const client = createClient();
 * const { taskId } = await createRecordTask(client, { pullId: "abc123", quickStart: true, endTime: 1767229200 });
 * const task = await waitForRecordTask(client, { taskId }, { until: "finished", timeoutMs: 3_600_000 });
 * console.log(task.fileList.map((file) => file.fileUrl));
 * ```
 *
 * @module
 */

import { stateOf, type WangsuClient } from "./client.ts";
import { untilAborted } from "./transport.ts";
import { WangsuError, WangsuValidationError } from "./errors.ts";
import { FORWARD_STATUSES, RECORD_STATUSES } from "./callbacks/wire.ts";
import {
  recordTaskQuery,
  type RecordTaskQueryInput,
  type RecordTaskQueryOutput,
} from "./actions/recording/record_task_query.ts";
import {
  type ForwardTask,
  getForwardTaskList,
} from "./actions/forwarding/get_forward_task_list.ts";
import {
  getChannelLiveState,
  type GetChannelLiveStateOutput,
} from "./actions/live_state/get_channel_live_state.ts";

/** How a waiter polls. */
export interface WaitOptions {
  /** Longest total wait, ms (default 600 000); then {@link WangsuWaitError} with `deadline`. */
  timeoutMs?: number;
  /** First wait between polls, ms (default 2 000); grows by half each poll. */
  intervalMs?: number;
  /** Longest wait between polls, ms (default 30 000). */
  maxIntervalMs?: number;
  /** Stops waiting: rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called after each poll with what it read. */
  onPoll?: (state: string) => void;
}

/** A waiter gave up: the state was not reached in time, or can no longer be reached. */
export class WangsuWaitError extends WangsuError {
  /** `deadline`: time ran out; `unreachable`: the state can no longer come. */
  declare readonly reason: "deadline" | "unreachable";
  /** The state last read. */
  declare readonly lastState?: string;
  /** Polls made. */
  declare readonly polls: number;

  /**
   * Creates the error.
   *
   * @param message What happened.
   * @param details Why, the last state and the number of polls.
   */
  constructor(
    message: string,
    details: { reason: "deadline" | "unreachable"; lastState?: string; polls: number },
  ) {
    super(message);
    this.reason = details.reason;
    this.lastState = details.lastState;
    this.polls = details.polls;
  }
}

const invalid = (path: string, rule: string, message: string) =>
  new WangsuValidationError([{ path, rule, message: `${path}: ${message}` }]);

/**
 * The polling loop: reads, names the state, returns when it is the wanted one, fails when it can
 * no longer come, waits with backoff otherwise.
 */
async function poll<T>(
  client: WangsuClient,
  what: string,
  wanted: string,
  read: (signal?: AbortSignal) => Promise<T>,
  stateOfValue: (value: T) => string,
  unreachable: (state: string) => boolean,
  options: WaitOptions,
): Promise<T> {
  const { now, sleep } = stateOf(client);
  const timeoutMs = options.timeoutMs ?? 600_000;
  let interval = options.intervalMs ?? 2_000;
  const maxInterval = options.maxIntervalMs ?? 30_000;
  for (const [name, value] of [["timeoutMs", timeoutMs], ["intervalMs", interval]] as const) {
    if (!(value > 0)) throw invalid(name, "min_value", "must be a number of milliseconds above 0");
  }
  const deadline = now() + timeoutMs;
  const signal = options.signal;
  let polls = 0;
  let last: string | undefined;
  for (;;) {
    signal?.throwIfAborted();
    const value = await read(signal);
    polls++;
    last = stateOfValue(value);
    options.onPoll?.(last);
    if (last == wanted) return value;
    if (unreachable(last)) {
      throw new WangsuWaitError(`${what} is ${last}: it can no longer become ${wanted}`, {
        reason: "unreachable",
        lastState: last,
        polls,
      });
    }
    const left = deadline - now();
    if (left <= 0) {
      throw new WangsuWaitError(
        `${what} was still ${last} after ${timeoutMs} ms (${polls} polls); wanted ${wanted}`,
        { reason: "deadline", lastState: last, polls },
      );
    }
    const pause = sleep(Math.min(interval, left));
    await (signal ? untilAborted(pause, signal) : pause);
    interval = Math.min(maxInterval, interval * 1.5);
  }
}

/** A recording task's state. */
export type RecordTaskState = "pending" | "recording" | "finished" | "stopped";
/** Recording-task states by status code: the callbacks' list, checked to be these states. */
const RECORD_STATES: readonly RecordTaskState[] = RECORD_STATUSES;

/**
 * Polls a recording task until it reaches `until` (default `finished`); returns the task as
 * {@link recordTaskQuery} reads it, with its files.
 *
 * @param client The client.
 * @param task `{ taskId }` or `{ transNo }`.
 * @param options The state to wait for, deadline, backoff and signal.
 * @returns The task in that state.
 * @throws {WangsuWaitError} `unreachable` when the task ended otherwise (waiting for `finished`
 *   when it was `stopped` early, or for an earlier state), `deadline` when time ran out.
 */
export function waitForRecordTask(
  client: WangsuClient,
  task: RecordTaskQueryInput,
  options: WaitOptions & { until?: RecordTaskState } = {},
): Promise<RecordTaskQueryOutput> {
  const until = options.until ?? "finished";
  const wanted = RECORD_STATES.indexOf(until);
  if (wanted < 0) {
    return Promise.reject(
      invalid("until", "picklist", `must be one of ${RECORD_STATES.join(", ")}`),
    );
  }
  return poll(
    client,
    `Recording task ${task.taskId ?? task.transNo}`,
    until,
    (signal) => recordTaskQuery(client, task, { signal }),
    (value) => RECORD_STATES[value.status] ?? `status ${value.status}`,
    // Finished and stopped are final; nothing comes before pending.
    (state) => {
      const code = RECORD_STATES.indexOf(state as RecordTaskState);
      return code >= 2 || (code > wanted && wanted < 2);
    },
    options,
  );
}

/** A relay task's state. */
export type ForwardTaskState = "pending" | "forwarding" | "ended" | "failed";
/** Relay-task states by status code. */
const FORWARD_STATES: readonly ForwardTaskState[] = FORWARD_STATUSES;

/**
 * Polls a relay task until it reaches `until` (default `forwarding`).
 *
 * @param client The client.
 * @param task `{ taskId }`.
 * @param options The state to wait for, deadline, backoff and signal.
 * @returns The task in that state.
 * @throws {WangsuWaitError} `unreachable` when the task ended or failed first, `deadline` when
 *   time ran out; an API error when no such task is listed.
 */
export function waitForForwardTask(
  client: WangsuClient,
  task: { taskId: string },
  options: WaitOptions & { until?: ForwardTaskState } = {},
): Promise<ForwardTask> {
  const until = options.until ?? "forwarding";
  if (!FORWARD_STATES.includes(until)) {
    return Promise.reject(
      invalid("until", "picklist", `must be one of ${FORWARD_STATES.join(", ")}`),
    );
  }
  return poll(
    client,
    `Relay task ${task.taskId}`,
    until,
    async (signal) => {
      const page = await getForwardTaskList(client, { taskId: task.taskId }, { signal });
      const found = page.forwardTastList.find((item) => item.taskId == task.taskId);
      if (!found) {
        throw new WangsuWaitError(`No relay task ${task.taskId}`, {
          reason: "unreachable",
          polls: 0,
        });
      }
      return found;
    },
    (value) => FORWARD_STATES[value.status] ?? `status ${value.status}`,
    (state) => state == "ended" || state == "failed" || (until == "pending" && state != "pending"),
    options,
  );
}

/** Channel live states by code (1 live, 2 idle, 3 banned). */
const CHANNEL_STATES: Record<string, ChannelState> = { "1": "live", "2": "idle", "3": "banned" };
/** A channel's live state. */
export type ChannelState = "live" | "idle" | "banned";

/**
 * Polls a channel until its live state is `state` (default `live`). A channel can always change
 * state, so this waits until the deadline.
 *
 * @param client The client.
 * @param channel `{ pullId }`.
 * @param options The state to wait for, deadline, backoff and signal.
 * @returns The live state as {@link getChannelLiveState} reads it.
 * @throws {WangsuWaitError} `deadline` when time ran out.
 */
export function waitForChannelState(
  client: WangsuClient,
  channel: { pullId: string },
  options: WaitOptions & { state?: ChannelState } = {},
): Promise<GetChannelLiveStateOutput> {
  const state = options.state ?? "live";
  if (!Object.values(CHANNEL_STATES).includes(state)) {
    return Promise.reject(invalid("state", "picklist", "must be one of live, idle, banned"));
  }
  return poll(
    client,
    `Channel ${channel.pullId}`,
    state,
    (signal) => getChannelLiveState(client, channel, { signal }),
    (value) => CHANNEL_STATES[value.channelState] ?? `state ${value.channelState}`,
    () => false,
    options,
  );
}

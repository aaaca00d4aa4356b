/**
 * The simulator's in-memory state and the rules that derive live state and task status from the
 * simulated clock.
 *
 * @module
 */

import type { ActionInputs, ActionName, ActionOutputs } from "../actions/types.ts";
import type { Random } from "./random.ts";
import type { SimUrlRules } from "./urls.ts";
import { type CallbackAction, callbackUrl } from "../callbacks/wire.ts";

/** A business error, answered as the API does: HTTP 200 with a `code` other than 200. */
export class SimError extends Error {
  /**
   * Creates a business error.
   *
   * @param code The envelope `code`.
   * @param message A sentence saying what is wrong.
   * @param status HTTP status (200 for business errors, as the service does).
   */
  constructor(readonly code: string, message: string, readonly status = 200) {
    super(message);
  }
}

/** A period during which a stream was pushed to a channel, in ms of the simulated clock. */
export interface LiveSpan {
  /** Push start. */
  from: number;
  /** Push end; open while live. */
  to?: number;
}

/** A channel, push-mode or pull-mode. */
export interface SimChannel {
  /** Channel id. */
  pullId: string;
  /** Push-mode or pull-mode. */
  mode: "push" | "pull";
  /** Stream name in the push URL (changes on reset). */
  pushId: string;
  /** Display name. */
  channelName: string;
  /** Application part of the URLs. */
  channelType: string;
  /** Push domain (empty for pull-mode). */
  pushDomain: string;
  /** Play domain. */
  pullDomain: string;
  /** Play protocols, comma-separated codes. */
  pullProtocol: string;
  /** Play bit rates, comma-separated codes. */
  pullRate: string;
  /** Player id. */
  playerId: string;
  /** Record directory id. */
  directoryId: string;
  /** Stream check string. */
  check: string;
  /** Record every push (`"1"`). */
  live2vod: string;
  /** Application scenario. */
  appScenario: string;
  /** Encryption: 0 none, 1 HLS, 2 DRM. */
  videoEncrypted: number;
  /** HLS key lifetime, seconds. */
  hlsEncryptDuration: number;
  /** Origin URL (pull-mode). */
  sourcePullUrl: string;
  /** Origin protocol (pull-mode). */
  sourcePullProtocol: string;
  /** Creation time, ms. */
  createdAt: number;
  /** Creation order, breaking ties between equal times. */
  sequence: number;
  /** Access key that created it. */
  userId: string;
  /** End of the current ban, ms. */
  bannedUntil?: number;
  /** Every push so far. */
  spans: LiveSpan[];
}

/** A record directory. */
export interface SimDirectory {
  /** Record directory id. */
  directoryId: string;
  /** Account-unique type name. */
  directoryType: string;
  /** First path level. */
  firstLevelDirectory: string;
  /** Second path level. */
  secondLevelDirectory: string;
  /** Third path level. */
  thirdLevelDirectory: string;
  /** Creation time, ms. */
  createdAt: number;
  /** Last change, ms. */
  updatedAt: number;
}

/** A recording task; times in ms, cut to the minute. */
export interface SimRecordTask {
  /** Task id. */
  taskId: string;
  /** Caller's own id. */
  transNo: string;
  /** Channel id. */
  pullId: string;
  /** Start, ms. */
  start: number;
  /** Scheduled end, ms. */
  end: number;
  /** When it was stopped early, ms. */
  endedAt?: number;
  /** Recording format. */
  fileType: string;
  /** Notification URL. */
  notifyUrl: string;
  /** Storage path prefix from the channel's directory. */
  directoryPath: string;
  /** The status last sent to `notifyUrl`. */
  notified?: number;
}

/** A relay task; times in ms. */
export interface SimForwardTask {
  /** Task id. */
  taskId: string;
  /** Channel id. */
  pullId: string;
  /** Relay target. */
  forwardUrl: string;
  /** Start, ms. */
  start: number;
  /** Scheduled end, ms. */
  end?: number;
  /** When it was stopped early, ms. */
  endedAt?: number;
  /** Transcoding settings. */
  codingParams: Record<string, unknown>;
  /** Notification URL. */
  notifyUrl: string;
  /** Creation time, ms. */
  createdAt: number;
  /** The status last sent to `notifyUrl`. */
  notified?: number;
}

/** One try at delivering a callback. */
export interface DeliveryAttempt {
  /** When it was sent, Unix ms (wall clock). */
  at: number;
  /** The receiver's HTTP status, when it answered. */
  status?: number;
  /** Why it failed without an answer (network error, timeout). */
  error?: string;
  /** How long it took, ms. */
  durationMs: number;
}

/** A callback the simulator raised, and what became of its delivery. */
export interface SimNotification {
  /** Sequence id (`n1`, `n2`, ...). */
  id: string;
  /** The URL the HTTP GET goes to, with the event in its query. */
  url: string;
  /** The event kind (the `action` parameter). */
  action: CallbackAction;
  /** Simulated time it was raised, ms. */
  at: number;
  /**
   * `pending` while being tried, `delivered` on a 2xx, `failed` when every attempt failed,
   * `recorded` when delivery is off.
   */
  state: "pending" | "delivered" | "failed" | "recorded";
  /** Every attempt so far. */
  attempts: DeliveryAttempt[];
  /** The notification this one sends again, for a redelivery. */
  redeliveryOf?: string;
}

/** Everything the simulator knows. */
export interface SimStore {
  /** Channels by pullId. */
  channels: Map<string, SimChannel>;
  /** Record directories by id. */
  directories: Map<string, SimDirectory>;
  /** Recording tasks by id. */
  recordTasks: Map<string, SimRecordTask>;
  /** Relay tasks by id. */
  forwardTasks: Map<string, SimForwardTask>;
  /** Push-state callback settings by push domain. */
  stateCallbacks: Map<string, { notifyUrl: string; open: number }>;
  /** Callbacks raised so far. */
  notifications: SimNotification[];
  /** Creation order, breaking ties between equal times. */
  sequence: number;
}

/** Creates an empty store. */
export const createStore = (): SimStore => ({
  /** Channels by pullId. */
  channels: new Map(),
  /** Record directories by id. */
  directories: new Map(),
  /** Recording tasks by id. */
  recordTasks: new Map(),
  /** Relay tasks by id. */
  forwardTasks: new Map(),
  /** Push-state callback settings by push domain. */
  stateCallbacks: new Map(),
  /** Callbacks raised so far. */
  notifications: [],
  /** Creation order, breaking ties between equal times. */
  sequence: 0,
});

/** What a handler gets besides its input. */
export interface SimContext {
  /** The state. */
  store: SimStore;
  /** Simulated time, ms. */
  now: number;
  /** Seeded generator for ids. */
  random: Random;
  /** The access key the request was signed with (the "user"). */
  accessKey: string;
  /** Sends a raised callback on its way (delivery is the simulator's concern). */
  deliver(notification: SimNotification): void;
  /** The push and play domains' URL rules, to sign URLs with. */
  urls: SimUrlRules;
}

const MINUTE = 60_000;
/** How long a ban lasts before it lifts itself. */
export const BAN_MS = 7 * 24 * 3600_000;

/** Cuts a time to the minute. */
export const toMinute = (ms: number): number => Math.floor(ms / MINUTE) * MINUTE;

/** `YYYY-MM-DD hh:mm:ss` in China time (UTC+8), as the service writes times. */
export const chinaTime = (ms: number): string =>
  new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace("T", " ");

/** Live state at `now`: 1 live, 2 idle, 3 banned (a ban past its 7 days no longer counts). */
export const liveState = (channel: SimChannel, now: number): 1 | 2 | 3 => {
  if (channel.bannedUntil !== undefined && now < channel.bannedUntil) return 3;
  const last = channel.spans.at(-1);
  return last && last.to === undefined ? 1 : 2;
};

/** Record-task status at `now`: 0 pending, 1 recording, 2 finished, 3 stopped early. */
export const recordStatus = (task: SimRecordTask, now: number): 0 | 1 | 2 | 3 => {
  if (task.endedAt !== undefined) return 3;
  if (now < task.start) return 0;
  return now < task.end ? 1 : 2;
};

/** Relay-task status at `now`: 0 pending, 1 relaying, 2 ended. */
export const forwardStatus = (task: SimForwardTask, now: number): 0 | 1 | 2 => {
  if (task.endedAt !== undefined) return 2;
  if (now < task.start) return 0;
  return task.end === undefined || now < task.end ? 1 : 2;
};

/** Looks a channel up, or throws the service's not-found error. */
export const channelOf = (
  context: SimContext,
  /** Channel id. */
  pullId: string,
  /** Push-mode or pull-mode. */
  mode?: "push" | "pull",
): SimChannel => {
  const channel = context.store.channels.get(pullId);
  if (!channel) throw new SimError("ChannelNotFound", `No channel with pullId ${pullId}`);
  if (mode && channel.mode != mode) {
    throw new SimError(
      "WrongChannelMode",
      `Channel ${pullId} is a ${channel.mode}-mode channel; this action is for ${mode}-mode channels`,
    );
  }
  return channel;
};

/** Splits a comma-separated id list and checks that every channel exists. */
export const channelsOf = (context: SimContext, pullIds: string): SimChannel[] => {
  const ids = [...new Set(pullIds.split(","))];
  const missing = ids.filter((id) => !context.store.channels.has(id));
  if (missing.length) {
    throw new SimError("ChannelNotFound", `No channel with pullId ${missing.join(", ")}`);
  }
  return ids.map((id) => context.store.channels.get(id)!);
};

/** One page of `items` (pageIndex from 1, pageSize default 10). */
export const page = <T>(items: T[], input: { pageIndex?: number; pageSize?: number }): T[] => {
  const size = input.pageSize ?? 10;
  const start = ((input.pageIndex ?? 1) - 1) * size;
  return items.slice(start, start + size);
};

/**
 * Runs one action against the store: the action's input (which has already passed its schema)
 * in, the response's `data` out, or a {@link SimError} thrown.
 */
export type Handler<Name extends ActionName> = (
  context: SimContext,
  input: ActionInputs[Name],
) => ActionOutputs[Name];

/** A handler for every action, typed from the spec's type map: a missing one does not compile. */
export type Handlers = { readonly [Name in ActionName]: Handler<Name> };

/** Raises one callback: kept in the store, then handed to delivery. */
const raise = (
  context: SimContext,
  notifyUrl: string,
  action: CallbackAction,
  parameters: Record<string, string | number | undefined>,
): void => {
  const notification: SimNotification = {
    id: `n${context.store.notifications.length + 1}`,
    url: callbackUrl(notifyUrl, action, {
      ...parameters,
      time: Math.floor(context.now / 1000),
    }),
    action,
    at: context.now,
    state: "pending",
    attempts: [],
  };
  context.store.notifications.push(notification);
  context.deliver(notification);
};

/** Raises a push-state callback for a channel's push domain, when one is switched on. */
export const notifyState = (
  context: SimContext,
  channel: SimChannel,
  action: "publish" | "publish_done" | "forbid" | "resume",
  reason?: "stop" | "forbid" | "disconnect",
): void => {
  const callback = context.store.stateCallbacks.get(channel.pushDomain);
  if (!callback || callback.open != 1) return;
  raise(context, callback.notifyUrl, action, {
    pullId: channel.pullId,
    pushDomain: channel.pushDomain,
    channelType: channel.channelType,
    pushId: channel.pushId,
    reason,
  });
};

/** Ends the open live span of a channel, if any (a cut, a ban, a stop). */
export const endSpan = (
  context: SimContext,
  channel: SimChannel,
  reason: "stop" | "forbid" | "disconnect",
): void => {
  const last = channel.spans.at(-1);
  if (last && last.to === undefined) {
    last.to = context.now;
    notifyState(context, channel, "publish_done", reason);
  }
};

/**
 * Raises the callbacks of recording and relay tasks whose status changed since the last one sent
 * (creation, start, end, an early stop), for tasks created with a `notifyUrl`.
 */
export const notifyTasks = (context: SimContext): void => {
  for (const task of context.store.recordTasks.values()) {
    const status = recordStatus(task, context.now);
    if (!task.notifyUrl || task.notified === status) continue;
    task.notified = status;
    raise(context, task.notifyUrl, "record", {
      taskId: task.taskId,
      pullId: task.pullId,
      transNo: task.transNo,
      status,
    });
  }
  for (const task of context.store.forwardTasks.values()) {
    const status = forwardStatus(task, context.now);
    if (!task.notifyUrl || task.notified === status) continue;
    task.notified = status;
    raise(context, task.notifyUrl, "forward", {
      taskId: task.taskId,
      pullId: task.pullId,
      status,
    });
  }
};

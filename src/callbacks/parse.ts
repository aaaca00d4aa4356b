/**
 * Reads a callback (the platform's HTTP GET to a `notifyUrl`) into a typed event. Unknown
 * parameters are kept, unknown event kinds come out as `type: "unknown"`, and anything malformed
 * (bad percent-encoding, a repeated or invalid known parameter, oversized input) is refused with a
 * {@link WangsuCallbackError} that names the parameter and the rule.
 *
 * @module
 */

import { type ValidationIssue, WangsuValidationError } from "../errors.ts";
import {
  CALLBACK_ACTIONS,
  type CallbackAction,
  FORWARD_STATUSES,
  ID,
  KNOWN_PARAMETERS,
  RECORD_STATUSES,
} from "./wire.ts";

/** What every event has. */
export interface CallbackEventBase {
  /** Stable id: a redelivered callback (same parameters) has the same id. */
  id: string;
  /** When it happened (ISO 8601, UTC): the `time` parameter, or when it was read if absent. */
  time: string;
  /** Every parameter as received, decoded. */
  params: Record<string, string>;
  /** The parameters this SDK does not know, kept as received. */
  extra: Record<string, string>;
}

/** A channel's push state changed (push domain callbacks, `setChannelStateRealtimeBack`). */
export interface PushEvent extends CallbackEventBase {
  /** Started, stopped, banned or re-opened. */
  type: "push.started" | "push.stopped" | "channel.banned" | "channel.reopened";
  /** Channel id. */
  pullId: string;
  /** Why a push stopped: `stop` (the encoder), `forbid` (a ban), `disconnect`, or other. */
  reason?: string;
  /** Push domain, when sent. */
  pushDomain?: string;
  /** Application part of the URLs, when sent. */
  channelType?: string;
  /** Stream name, when sent. */
  pushId?: string;
}

/** A recording task's status changed. */
export interface RecordTaskEvent extends CallbackEventBase {
  /** Kind. */
  type: "record.status";
  /** Task id. */
  taskId: string;
  /** Channel id, when sent. */
  pullId?: string;
  /** The caller's own id for the task, when sent. */
  transNo?: string;
  /** The new status. */
  status: (typeof RECORD_STATUSES)[number];
  /** The status as the API codes it (0 to 3). */
  statusCode: number;
}

/** A relay task's status changed. */
export interface ForwardTaskEvent extends CallbackEventBase {
  /** Kind. */
  type: "forward.status";
  /** Task id. */
  taskId: string;
  /** Channel id, when sent. */
  pullId?: string;
  /** The new status. */
  status: (typeof FORWARD_STATUSES)[number];
  /** The status as the API codes it (0 to 2). */
  statusCode: number;
}

/** A callback whose `action` this SDK does not know (yet): kept, not refused. */
export interface UnknownCallbackEvent extends CallbackEventBase {
  /** Kind. */
  type: "unknown";
  /** The `action` parameter as received. */
  action: string;
}

/** A channel's live state in words: `live` (1), `idle` (2), `banned` (3). */
export type ChannelLiveState = "live" | "idle" | "banned";

/**
 * The gateway's reconciler polled a channel's live state and found it other than the last event
 * said (a callback was lost): what was believed, what is true, and since when it was believed.
 * Its `time` is when the true state was read; `params` and `extra` are empty.
 */
export interface ChannelStateCorrectedEvent extends CallbackEventBase {
  /** Kind. */
  type: "channel.state_corrected";
  /** Channel id. */
  pullId: string;
  /** The state the last event said. */
  believed: ChannelLiveState;
  /** When the believed state began: the time of the last event believed (ISO 8601, UTC). */
  believedSince: string;
  /** The id of that event. */
  believedEventId: string;
  /** The state polled from the platform. */
  actual: ChannelLiveState;
  /** The event types that would have led from `believed` to `actual`, in order. */
  missing: ("push.started" | "push.stopped" | "channel.banned" | "channel.reopened")[];
}

/** Any event the gateway streams: a callback's, or a correction of the reconciler. */
export type CallbackEvent =
  | PushEvent
  | RecordTaskEvent
  | ForwardTaskEvent
  | ChannelStateCorrectedEvent
  | UnknownCallbackEvent;

/** A callback was malformed; each issue names the parameter and the rule. */
export class WangsuCallbackError extends WangsuValidationError {
  /**
   * Creates the error.
   *
   * @param issues What is wrong, parameter by parameter.
   */
  constructor(issues: ValidationIssue[]) {
    super(issues, { action: "callback" });
  }
}

/** Options of {@link parseCallback}. */
export interface ParseCallbackOptions {
  /** Clock for events without a `time` (default `Date.now`). */
  now?: () => number;
}

/** Longest accepted query, in characters. */
export const MAX_QUERY_LENGTH = 8192;
/** Most parameters accepted. */
export const MAX_PARAMETERS = 64;
/** Longest accepted parameter value, in characters. */
export const MAX_VALUE_LENGTH = 2048;

const CHINA_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;
const known = new Set<string>(KNOWN_PARAMETERS);

const queryOf = (input: Request | URL | string): string => {
  if (input instanceof Request) return new URL(input.url).search.slice(1);
  if (input instanceof URL) return input.search.slice(1);
  if (/^[a-z][a-z\d+.-]*:/i.test(input)) return new URL(input).search.slice(1);
  return input.startsWith("?") ? input.slice(1) : input;
};

/** Two 32-bit FNV-1a variants side by side: a 64-bit id, no crypto needed. */
const hash = (text: string): string => {
  let a = 0x811c9dc5, b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
};

const timeOf = (value: string | undefined, now: () => number, issues: ValidationIssue[]) => {
  if (value === undefined) return new Date(now()).toISOString();
  let ms: number | undefined;
  if (/^\d{10}$/.test(value)) ms = Number(value) * 1000;
  else if (/^\d{13}$/.test(value)) ms = Number(value);
  else {
    const parts = CHINA_TIME.exec(value);
    // No zone in the text: China time (UTC+8), as the service writes times.
    if (parts) {
      const [, y, mo, d, h, mi, s] = parts.map(Number);
      ms = Date.UTC(y, mo - 1, d, h - 8, mi, s);
    }
  }
  if (ms === undefined || Number.isNaN(ms)) {
    issues.push({
      path: "time",
      rule: "format",
      message: "time: must be Unix seconds, Unix milliseconds or YYYY-MM-DD hh:mm:ss",
    });
    return "";
  }
  return new Date(ms).toISOString();
};

/**
 * Parses a callback into a typed event.
 *
 * @param input The callback request, its URL, or its query string.
 * @param options Clock for events that carry no `time`.
 * @returns The event.
 * @throws {WangsuCallbackError} When the callback is malformed (the issues name each parameter).
 */
export function parseCallback(
  input: Request | URL | string,
  options: ParseCallbackOptions = {},
): CallbackEvent {
  const issues: ValidationIssue[] = [];
  const refuse = (path: string, rule: string, message: string) => {
    issues.push({ path, rule, message: `${path || "callback"}: ${message}` });
    return new WangsuCallbackError(issues);
  };
  let query: string;
  try {
    query = queryOf(input);
  } catch {
    throw refuse("", "url", "is not a URL");
  }
  if (query.length > MAX_QUERY_LENGTH) {
    throw refuse("", "max_length", `the query must be at most ${MAX_QUERY_LENGTH} characters`);
  }
  const pairs = query.split("&").filter(Boolean);
  if (pairs.length > MAX_PARAMETERS) {
    throw refuse("", "max_parameters", `must carry at most ${MAX_PARAMETERS} parameters`);
  }
  const params: Record<string, string> = Object.create(null);
  const extra: Record<string, string> = Object.create(null);
  for (const pair of pairs) {
    const split = pair.indexOf("=");
    const rawName = split < 0 ? pair : pair.slice(0, split);
    const rawValue = split < 0 ? "" : pair.slice(split + 1);
    let name: string, value: string;
    try {
      name = decodeURIComponent(rawName.replaceAll("+", " "));
      value = decodeURIComponent(rawValue.replaceAll("+", " "));
    } catch {
      const shown = rawName.length > 40 ? `${rawName.slice(0, 40)}…` : rawName;
      refuse(shown, "encoding", "is not valid percent-encoded UTF-8");
      continue;
    }
    if (value.length > MAX_VALUE_LENGTH) {
      refuse(name.slice(0, 40), "max_length", `must be at most ${MAX_VALUE_LENGTH} characters`);
      continue;
    }
    if (name in params) {
      if (known.has(name) && params[name] !== value) {
        refuse(name, "repeated", "is given more than once with different values");
      }
      continue; // An unknown parameter given twice keeps its first value.
    }
    params[name] = value;
    if (!known.has(name)) extra[name] = value;
  }
  if (issues.length) throw new WangsuCallbackError(issues);

  const action = params.action;
  if (!action) throw refuse("action", "required", "is required");
  const canonical = Object.keys(params).sort().map((name) => `${name}=${params[name]}`).join("&");
  const base = {
    id: hash(canonical),
    time: timeOf(params.time, options.now ?? Date.now, issues),
    params: { ...params },
    extra: { ...extra },
  };
  const id = (name: "pullId" | "taskId", required: boolean) => {
    const value = params[name];
    if (value === undefined) {
      if (required) refuse(name, "required", "is required");
    } else if (!ID.test(value)) {
      refuse(name, "format", "must be 1 to 128 letters, digits, _ . -");
    }
    return value;
  };
  const status = <T extends readonly string[]>(names: T) => {
    const value = params.status;
    const code = Number(value);
    if (value === undefined) refuse("status", "required", "is required");
    else if (!/^\d{1,2}$/.test(value) || code >= names.length) {
      refuse("status", "picklist", `must be a status code from 0 to ${names.length - 1}`);
    }
    return { status: names[code] as T[number], statusCode: code };
  };
  const optional = (name: string) => params[name] === undefined ? {} : { [name]: params[name] };

  let event: CallbackEvent;
  const type = Object.hasOwn(CALLBACK_ACTIONS, action)
    ? CALLBACK_ACTIONS[action as CallbackAction]
    : undefined;
  if (type == "record.status") {
    event = {
      ...base,
      type,
      taskId: id("taskId", true),
      ...optional("transNo"),
      ...status(RECORD_STATUSES),
    } as RecordTaskEvent;
    if (params.pullId !== undefined) event.pullId = id("pullId", false);
  } else if (type == "forward.status") {
    event = { ...base, type, taskId: id("taskId", true), ...status(FORWARD_STATUSES) };
    if (params.pullId !== undefined) event.pullId = id("pullId", false);
  } else if (type) {
    event = {
      ...base,
      type,
      pullId: id("pullId", true),
      ...optional("reason"),
      ...optional("pushDomain"),
      ...optional("channelType"),
      ...optional("pushId"),
    };
  } else {
    event = { ...base, type: "unknown", action };
  }
  if (issues.length) throw new WangsuCallbackError(issues);
  return event;
}

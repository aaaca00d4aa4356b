/**
 * What a callback carries on the wire, in one place. The vendor documents only that callbacks
 * are HTTP GETs to the `notifyUrl` (push start and disconnect after
 * `setChannelStateRealtimeBack`; recording and relay tasks to the `notifyUrl` given at creation)
 * and publishes no parameter names. The names below are inferred, and the simulator sends exactly
 * these, so the parser and the simulator cannot drift apart.
 *
 * @module
 */

/**
 * A `pullId` or `taskId`: 1 to 128 letters, digits, `_`, `.` and `-`. Internal (not re-exported
 * by `@wangsu/sdk/callbacks`): the parser and `event_json.ts` read ids by this one rule.
 */
export const ID = /^[\w.-]{1,128}$/;

/** The `action` parameter of each event kind, and the event `type` it becomes. */
export const CALLBACK_ACTIONS = {
  publish: "push.started",
  publish_done: "push.stopped",
  forbid: "channel.banned",
  resume: "channel.reopened",
  record: "record.status",
  forward: "forward.status",
} as const;

/** An `action` parameter value this SDK knows. */
export type CallbackAction = keyof typeof CALLBACK_ACTIONS;

/** Why a push stopped (`reason` of `publish_done`): the encoder, a ban, or `disconnectStream`. */
export const PUSH_STOP_REASONS = ["stop", "forbid", "disconnect"] as const;

/** Recording-task `status` codes, as `recordTaskQuery` reports them, by position. */
export const RECORD_STATUSES = ["pending", "recording", "finished", "stopped"] as const;

/**
 * Relay-task `status` codes, as `getForwardTaskList` reports them, by position (3: the relay
 * failed, which the vendor calls "abnormal").
 */
export const FORWARD_STATUSES = ["pending", "forwarding", "ended", "failed"] as const;

/** Parameters with a meaning; everything else is kept as it came, in `extra`. */
export const KNOWN_PARAMETERS = [
  "action",
  "pullId",
  "taskId",
  "status",
  "time",
  "reason",
  "pushDomain",
  "channelType",
  "pushId",
  "transNo",
] as const;

/**
 * The callback URL for one event: `notifyUrl` with the event's parameters added to its query
 * (parameters the URL already has are kept; the event's win on a clash).
 *
 * @param notifyUrl Where the callback goes.
 * @param action The event kind.
 * @param parameters The event's other parameters (`time` in Unix seconds).
 * @returns The URL of the HTTP GET.
 */
export function callbackUrl(
  notifyUrl: string,
  action: CallbackAction,
  parameters: Record<string, string | number | undefined>,
): string {
  const url = new URL(notifyUrl);
  url.searchParams.set("action", action);
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined && value !== "") url.searchParams.set(name, String(value));
  }
  return url.href;
}

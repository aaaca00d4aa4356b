/**
 * Reads an event back from JSON, as the gateway writes it (an `/events` message's `data`, a
 * webhook's body): every field {@link parseCallback} sets is checked against the same rules, so
 * what comes out is a {@link CallbackEvent} that code can trust.
 *
 * @module
 */

import { type ValidationIssue, WangsuValidationError } from "../errors.ts";
import type { CallbackEvent } from "./parse.ts";
import { CALLBACK_ACTIONS, FORWARD_STATUSES, ID, RECORD_STATUSES } from "./wire.ts";

/** `time` as `parseCallback` writes it: `Date.prototype.toISOString` (a real date, UTC, in ms). */
const isIsoTime = (time: string) => {
  const ms = Date.parse(time);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === time;
};
const PUSH_TYPES = new Set(
  Object.values(CALLBACK_ACTIONS).filter((type) =>
    type.startsWith("push.") || type.startsWith("channel.")
  ),
);
const LIVE_STATES = ["live", "idle", "banned"];
const OPTIONAL_PUSH_FIELDS = ["reason", "pushDomain", "channelType", "pushId"] as const;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value == "object" && value !== null && !Array.isArray(value);

/**
 * Lists what is wrong with a value that should be an event (empty when it is one).
 *
 * @param value A value decoded from JSON.
 * @param prefix Prepended to each issue's path (e.g. `body`).
 * @returns The issues, each naming the field and the rule.
 */
export function eventIssues(value: unknown, prefix = ""): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const at = (field: string) => [prefix, field].filter(Boolean).join(".");
  const refuse = (field: string, rule: string, message: string) =>
    issues.push({ path: at(field), rule, message: `${at(field) || "event"}: ${message}` });
  if (!isRecord(value)) {
    refuse("", "type", "must be a JSON object");
    return issues;
  }
  const text = (field: string, required: boolean, pattern?: RegExp) => {
    const given = value[field];
    if (given === undefined) {
      if (required) refuse(field, "required", "is required");
    } else if (typeof given != "string") refuse(field, "type", "must be a string");
    else if (pattern && !pattern.test(given)) refuse(field, "format", `must match ${pattern}`);
  };
  const strings = (field: string) => {
    const given = value[field];
    if (!isRecord(given) || Object.values(given).some((item) => typeof item != "string")) {
      refuse(field, "type", "must be an object of strings");
    }
  };
  const isoTime = (field: string) => {
    text(field, true);
    const given = value[field];
    if (typeof given == "string" && !isIsoTime(given)) {
      refuse(field, "format", "must be a UTC time as toISOString writes it");
    }
  };
  text("id", true, /^\S{1,256}$/);
  isoTime("time");
  strings("params");
  strings("extra");
  const type = value.type;
  const status = (names: readonly string[]) => {
    const index = names.indexOf(value.status as string);
    if (index < 0) refuse("status", "picklist", `must be one of ${names.join(", ")}`);
    else if (value.statusCode !== index) {
      refuse("statusCode", "value", `must be ${index}, the code of status ${value.status}`);
    }
  };
  if (typeof type != "string") refuse("type", "required", "is required");
  else if (PUSH_TYPES.has(type as never)) {
    text("pullId", true, ID);
    for (const field of OPTIONAL_PUSH_FIELDS) text(field, false);
  } else if (type == "record.status" || type == "forward.status") {
    text("taskId", true, ID);
    text("pullId", false, ID);
    if (type == "record.status") text("transNo", false);
    status(type == "record.status" ? RECORD_STATUSES : FORWARD_STATUSES);
  } else if (type == "channel.state_corrected") {
    text("pullId", true, ID);
    text("believedEventId", true, /^\S{1,256}$/);
    for (const field of ["believed", "actual"]) {
      if (!LIVE_STATES.includes(value[field] as string)) {
        refuse(field, "picklist", `must be one of ${LIVE_STATES.join(", ")}`);
      }
    }
    isoTime("believedSince");
    const missing = value.missing;
    if (
      !Array.isArray(missing) || !missing.length ||
      missing.some((item) => !PUSH_TYPES.has(item as never))
    ) {
      refuse("missing", "type", `must be a non-empty array of ${[...PUSH_TYPES].join(", ")}`);
    }
  } else if (type == "unknown") text("action", true);
  else {
    refuse("type", "picklist", "is not an event type this SDK knows (update @wangsu/sdk)");
  }
  return issues;
}

/**
 * Checks that a value decoded from JSON is an event as the gateway writes it, and returns it
 * typed. Fields this SDK does not know are kept as they are.
 *
 * @example
 * ```ts
 * import { readEvent } from "@wangsu/sdk/callbacks";
 *
 * const event = readEvent(JSON.parse(
 *   '{"id":"e1","type":"push.started","time":"2026-01-01T00:00:00.000Z","params":{},"extra":{},"pullId":"p1"}',
 * ));
 * if (event.type == "push.started") console.log(event.pullId); // p1
 * ```
 *
 * @param value A value decoded from JSON.
 * @returns The event.
 * @throws {WangsuValidationError} Naming each field and rule when the value is not an event.
 */
export function readEvent(value: unknown): CallbackEvent {
  const issues = eventIssues(value);
  if (issues.length) throw new WangsuValidationError(issues, { action: "event" });
  return value as CallbackEvent;
}

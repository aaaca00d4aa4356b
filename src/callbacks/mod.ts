/**
 * Callbacks from the platform, typed: {@link parseCallback} reads one (a request, a URL or a
 * query string) into an event, and {@link createCallbackHandler} is a fetch handler for any
 * runtime that answers at once and hands each event to your code. No Hono needed.
 * {@link verifyWebhook} checks the gateway's signed webhooks (Standard Webhooks) and
 * {@link signWebhook} signs one for your tests; {@link createEventOrder} and
 * {@link createSessionTracker} put events back in the platform's order and pair pushes into sessions.
 *
 * The vendor documents that callbacks are HTTP GETs to the `notifyUrl` (push start and disconnect
 * after `setChannelStateRealtimeBack`; recording and relay tasks to the `notifyUrl` given at
 * creation) but publishes no parameter names and no signature: the names read here are inferred
 * (see the README), unknown parameters are kept in `extra`, and unknown kinds come out as
 * `type: "unknown"` rather than being refused. Protect the receiving URL with an unguessable path.
 *
 * @example
 * ```ts
 * import { parseCallback } from "@wangsu/sdk/callbacks";
 *
 * const event = parseCallback("?action=record&taskId=t1&status=2&time=1767225600");
 * if (event.type == "record.status") console.log(event.taskId, event.status); // t1 finished
 * ```
 *
 * @module
 */

export {
  type CallbackEvent,
  type CallbackEventBase,
  type ChannelLiveState,
  type ChannelStateCorrectedEvent,
  type ForwardTaskEvent,
  MAX_PARAMETERS,
  MAX_QUERY_LENGTH,
  MAX_VALUE_LENGTH,
  parseCallback,
  type ParseCallbackOptions,
  type PushEvent,
  type RecordTaskEvent,
  type UnknownCallbackEvent,
  WangsuCallbackError,
} from "./parse.ts";
export { type CallbackHandlerOptions, createCallbackHandler, type WaitUntil } from "./handler.ts";
export {
  type ErrorContext,
  type ValidationIssue,
  WangsuError,
  WangsuValidationError,
} from "../errors.ts";
export { readEvent } from "./event_json.ts";
export {
  createEventOrder,
  createSessionTracker,
  type EventOrder,
  type EventOrderOptions,
  type OpenSession,
  type OrderedEvent,
  pairSessions,
  type PushSession,
  type SessionTracker,
  type SessionTrackerOptions,
} from "./sessions.ts";
export {
  generateWebhookSecret,
  MAX_WEBHOOK_BODY_BYTES,
  type SignedWebhook,
  signWebhook,
  type SignWebhookOptions,
  verifyWebhook,
  type VerifyWebhookOptions,
  WangsuWebhookError,
  WEBHOOK_TOLERANCE_SECONDS,
  type WebhookDelivery,
  type WebhookErrorCode,
  type WebhookHeaders,
} from "./webhooks.ts";
export {
  CALLBACK_ACTIONS,
  type CallbackAction,
  callbackUrl,
  FORWARD_STATUSES,
  KNOWN_PARAMETERS,
  PUSH_STOP_REASONS,
  RECORD_STATUSES,
} from "./wire.ts";

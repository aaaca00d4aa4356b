// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
import { pipe, strictObject } from "valibot";
import { type ActionDefinition, callAction } from "../../action.ts";
import type { WangsuClient } from "../../client.ts";
import type { Schema } from "../../schema.ts";
import { str } from "../../shape.ts";
import type { CallOptions } from "../../transport.ts";
import { codingParams, endAfterStart, httpUrl, id, optional, unixSeconds, url } from "../rules.ts";

/** Input of {@link startForwardTask}. */
export interface StartForwardTaskInput {
  /** The channel's `pullId`. */
  pullId: string;
  /** RTMP address to relay to. */
  forwardUrl: string;
  /** When to start, Unix seconds; now when omitted or past. */
  startTime?: number;
  /** When to stop, Unix seconds; more than 5 minutes after the start and after now. */
  endTime?: number;
  /** Transcoding for the relay: a JSON object as a string, e.g. `{"bitrate":1200,"resolution":"1280x720"}`. */
  codingParams?: string;
  /** Where relay notifications are sent. */
  notifyUrl?: string;
}

/** Checks the input of {@link startForwardTask} before anything is sent. */
export const StartForwardTaskSchema: Schema<StartForwardTaskInput> = pipe(
  strictObject({
    pullId: id(),
    forwardUrl: url("^rtmp://\\S+$", "must be an rtmp:// URL", "i"),
    startTime: optional(unixSeconds),
    endTime: optional(unixSeconds),
    codingParams: optional(codingParams),
    notifyUrl: optional(httpUrl),
  }),
  endAfterStart(300, "must be more than 5 minutes after startTime"),
);

/** Definition of {@link startForwardTask}: path, schemas and retry safety. */
export const startForwardTaskAction: ActionDefinition<
  StartForwardTaskInput,
  StartForwardTaskOutput
> = {
  name: "startForwardTask",
  path: "/live/forwardTask/startForwardTask",
  readOnly: false,
  input: StartForwardTaskSchema,
  output: {
    taskId: str,
  },
};

/** The new relay task's id. */
export interface StartForwardTaskOutput {
  /** Task id. */
  taskId: string;
}

/**
 * Relays a channel's stream to another RTMP address, now or between two times.
 *
 * @param client The client to call with.
 * @param input The request fields.
 * @param options Signal, timeout and headers for this call.
 * @returns The response's `data`.
 * @throws {WangsuValidationError} Before anything is sent, when the input breaks a rule.
 * @throws {WangsuApiError} When the service refuses the call.
 */
export function startForwardTask(
  client: WangsuClient,
  input: StartForwardTaskInput,
  options?: CallOptions,
): Promise<StartForwardTaskOutput> {
  return callAction(client, startForwardTaskAction, input, options);
}

import * as v from "valibot";
import type { WangsuClient } from "../../client.ts";
import type { CallOptions } from "../../transport.ts";
import type { Schema } from "../../schema.ts";
import { type ActionDefinition, type ActionInfo, callAction } from "../../action.ts";
import { codingParams, httpUrl, id, parsableUrl, unixSeconds } from "../rules.ts";
import { type Shape, str } from "../wire.ts";

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
export const StartForwardTaskSchema: Schema<StartForwardTaskInput> = v.pipe(
  v.strictObject({
    pullId: id(),
    forwardUrl: v.pipe(
      v.string(),
      v.regex(/^rtmp:\/\/\S+$/i, "must be an rtmp:// URL"),
      parsableUrl(),
    ),
    startTime: v.optional(unixSeconds()),
    endTime: v.optional(unixSeconds()),
    codingParams: v.optional(codingParams()),
    notifyUrl: v.optional(httpUrl()),
  }),
  v.forward(
    v.partialCheck(
      [["startTime"], ["endTime"]],
      (input) =>
        input.startTime === undefined || input.endTime === undefined ||
        input.endTime - input.startTime > 300,
      "must be more than 5 minutes after startTime",
    ),
    ["endTime"],
  ),
);

/** The new relay task's id. */
export interface StartForwardTaskOutput {
  /** Task id. */
  taskId: string;
}

const startForwardTaskOutputSchema: Shape = {
  taskId: str,
};

/** Definition of {@link startForwardTask}: path, schemas and retry safety. */
export const startForwardTaskAction: ActionDefinition<
  StartForwardTaskInput,
  StartForwardTaskOutput
> = {
  name: "startForwardTask",
  path: "/live/forwardTask/startForwardTask",
  readOnly: false,
  input: StartForwardTaskSchema,
  output: startForwardTaskOutputSchema,
};

/** Where {@link startForwardTask} belongs and what it does, for the docs, the gateway and OpenAPI. */
export const startForwardTaskInfo: ActionInfo = {
  resource: "forwarding",
  summary: "Relays a channel's stream to another RTMP address, now or between two times.",
};

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

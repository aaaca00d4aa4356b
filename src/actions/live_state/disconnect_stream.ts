import * as v from "valibot";
import type { WangsuClient } from "../../client.ts";
import type { CallOptions } from "../../transport.ts";
import type { Schema } from "../../schema.ts";
import { type ActionDefinition, type ActionInfo, callAction } from "../../action.ts";
import { id } from "../rules.ts";
import { str } from "../wire.ts";

/** Input of {@link disconnectStream}. */
export interface DisconnectStreamInput {
  /** The channel's `pullId`. */
  pullId: string;
}

/** Checks the input of {@link disconnectStream} before anything is sent. */
export const DisconnectStreamSchema: Schema<DisconnectStreamInput> = v.strictObject({
  pullId: id(),
});

/** Response data of {@link disconnectStream}. */
export type DisconnectStreamOutput = string;

/** Definition of {@link disconnectStream}: path, schemas and retry safety. */
export const disconnectStreamAction: ActionDefinition<
  DisconnectStreamInput,
  DisconnectStreamOutput
> = {
  name: "disconnectStream",
  path: "/live/channelManage/disconnectStream",
  readOnly: false,
  input: DisconnectStreamSchema,
  output: str,
};

/** Where {@link disconnectStream} belongs and what it does, for the docs, the gateway and OpenAPI. */
export const disconnectStreamInfo: ActionInfo = {
  resource: "live-state",
  summary: "Cuts the stream currently pushed to a channel; the next push reconnects.",
};

/**
 * Cuts the stream currently pushed to a channel; the next push reconnects.
 *
 * @param client The client to call with.
 * @param input The request fields.
 * @param options Signal, timeout and headers for this call.
 * @returns The response's `data`.
 * @throws {WangsuValidationError} Before anything is sent, when the input breaks a rule.
 * @throws {WangsuApiError} When the service refuses the call.
 */
export function disconnectStream(
  client: WangsuClient,
  input: DisconnectStreamInput,
  options?: CallOptions,
): Promise<DisconnectStreamOutput> {
  return callAction(client, disconnectStreamAction, input, options);
}

// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
import { strictObject } from "valibot";
import { type ActionDefinition, callAction } from "../../action.ts";
import type { WangsuClient } from "../../client.ts";
import type { Schema } from "../../schema.ts";
import { str } from "../../shape.ts";
import type { CallOptions } from "../../transport.ts";
import { id } from "../rules.ts";

/** Input of {@link disconnectStream}. */
export interface DisconnectStreamInput {
  /** The channel's `pullId`. */
  pullId: string;
}

/** Checks the input of {@link disconnectStream} before anything is sent. */
export const DisconnectStreamSchema: Schema<DisconnectStreamInput> = strictObject({
  pullId: id(),
});

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

/** Response data of {@link disconnectStream}. */
export type DisconnectStreamOutput = string;

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

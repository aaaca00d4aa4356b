// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
import { strictObject } from "valibot";
import { type ActionDefinition, callAction } from "../../action.ts";
import type { WangsuClient } from "../../client.ts";
import type { Schema } from "../../schema.ts";
import { str } from "../../shape.ts";
import type { CallOptions } from "../../transport.ts";
import { id, optional } from "../rules.ts";

/** Input of {@link getChannelShareUrl}. */
export interface GetChannelShareUrlInput {
  /** The channel's `pullId`. */
  pullId?: string;
}

/** Checks the input of {@link getChannelShareUrl} before anything is sent. */
export const GetChannelShareUrlSchema: Schema<GetChannelShareUrlInput> = strictObject({
  pullId: optional(id),
});

/** Definition of {@link getChannelShareUrl}: path, schemas and retry safety. */
export const getChannelShareUrlAction: ActionDefinition<
  GetChannelShareUrlInput,
  GetChannelShareUrlOutput
> = {
  name: "getChannelShareUrl",
  path: "/live/channelManage/getChannelShareUrl",
  readOnly: true,
  input: GetChannelShareUrlSchema,
  output: str,
};

/** Response data of {@link getChannelShareUrl}. */
export type GetChannelShareUrlOutput = string;

/**
 * Gets the URL of a channel's hosted share page.
 *
 * @param client The client to call with.
 * @param input The request fields.
 * @param options Signal, timeout and headers for this call.
 * @returns The response's `data`.
 * @throws {WangsuValidationError} Before anything is sent, when the input breaks a rule.
 * @throws {WangsuApiError} When the service refuses the call.
 */
export function getChannelShareUrl(
  client: WangsuClient,
  input?: GetChannelShareUrlInput,
  options?: CallOptions,
): Promise<GetChannelShareUrlOutput> {
  return callAction(client, getChannelShareUrlAction, input, options);
}

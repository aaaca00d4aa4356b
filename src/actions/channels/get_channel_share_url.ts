import * as v from "valibot";
import type { WangsuClient } from "../../client.ts";
import type { CallOptions } from "../../transport.ts";
import type { Schema } from "../../schema.ts";
import { type ActionDefinition, type ActionInfo, callAction } from "../../action.ts";
import { id } from "../rules.ts";
import { str } from "../wire.ts";

/** Input of {@link getChannelShareUrl}. */
export interface GetChannelShareUrlInput {
  /** The channel's `pullId`. */
  pullId?: string;
}

/** Checks the input of {@link getChannelShareUrl} before anything is sent. */
export const GetChannelShareUrlSchema: Schema<GetChannelShareUrlInput> = v.strictObject({
  pullId: v.optional(id()),
});

/** Response data of {@link getChannelShareUrl}. */
export type GetChannelShareUrlOutput = string;

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

/** Where {@link getChannelShareUrl} belongs and what it does, for the docs, the gateway and OpenAPI. */
export const getChannelShareUrlInfo: ActionInfo = {
  resource: "channels",
  summary: "Gets the URL of a channel's hosted share page.",
};

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
  input: GetChannelShareUrlInput = {},
  options?: CallOptions,
): Promise<GetChannelShareUrlOutput> {
  return callAction(client, getChannelShareUrlAction, input, options);
}

// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
import { strictObject } from "valibot";
import { type ActionDefinition, callAction } from "../../action.ts";
import type { WangsuClient } from "../../client.ts";
import type { Schema } from "../../schema.ts";
import type { CallOptions } from "../../transport.ts";
import { domain, httpUrl, numberFlag } from "../rules.ts";

/** Input of {@link setChannelStateRealtimeBack}. */
export interface SetChannelStateRealtimeBackInput {
  /** The push domain the setting applies to. */
  domainName: string;
  /** Where push start/stop notifications are sent (as HTTP GET). */
  notifyUrl: string;
  /** 1 turns notifications on, 0 off. */
  open: 0 | 1;
}

/** Checks the input of {@link setChannelStateRealtimeBack} before anything is sent. */
export const SetChannelStateRealtimeBackSchema: Schema<SetChannelStateRealtimeBackInput> =
  strictObject({
    domainName: domain(),
    notifyUrl: httpUrl(),
    open: numberFlag(),
  });

/** Definition of {@link setChannelStateRealtimeBack}: path, schemas and retry safety. */
export const setChannelStateRealtimeBackAction: ActionDefinition<
  SetChannelStateRealtimeBackInput,
  SetChannelStateRealtimeBackOutput
> = {
  name: "setChannelStateRealtimeBack",
  path: "/live/channelManage/setChannelStateRealtimeBack",
  readOnly: false,
  input: SetChannelStateRealtimeBackSchema,
  output: {},
};

/** Response data of {@link setChannelStateRealtimeBack}. */
export type SetChannelStateRealtimeBackOutput = Record<string, unknown>;

/**
 * Turns push start/stop notifications for a push domain on or off and sets where they go.
 *
 * @param client The client to call with.
 * @param input The request fields.
 * @param options Signal, timeout and headers for this call.
 * @returns The response's `data`.
 * @throws {WangsuValidationError} Before anything is sent, when the input breaks a rule.
 * @throws {WangsuApiError} When the service refuses the call.
 */
export function setChannelStateRealtimeBack(
  client: WangsuClient,
  input: SetChannelStateRealtimeBackInput,
  options?: CallOptions,
): Promise<SetChannelStateRealtimeBackOutput> {
  return callAction(client, setChannelStateRealtimeBackAction, input, options);
}

import * as v from "valibot";
import type { WangsuClient } from "../../client.ts";
import type { CallOptions } from "../../transport.ts";
import type { Schema } from "../../schema.ts";
import { type ActionDefinition, type ActionInfo, callAction } from "../../action.ts";
import { id, secondsString } from "../rules.ts";
import { type Shape, str } from "../wire.ts";

/** Input of {@link setPushTsatc}. */
export interface SetPushTsatcInput {
  /** The channel's `pullId`. */
  pullId: string;
  /** How long the signed URL stays valid, in seconds, as a string (e.g. `"3600"`). */
  effectiveHourLong: string;
}

/** Checks the input of {@link setPushTsatc} before anything is sent. */
export const SetPushTsatcSchema: Schema<SetPushTsatcInput> = v.strictObject({
  pullId: id(),
  effectiveHourLong: secondsString(),
});

/** The push URL signed with an anti-leech token. */
export interface SetPushTsatcOutput {
  /** Push URL for encoders. */
  pushUrl: string;
}

const setPushTsatcOutputSchema: Shape = {
  pushUrl: str,
};

/** Definition of {@link setPushTsatc}: path, schemas and retry safety. */
export const setPushTsatcAction: ActionDefinition<SetPushTsatcInput, SetPushTsatcOutput> = {
  name: "setPushTsatc",
  path: "/live/channelManage/setPushTsatc",
  readOnly: false,
  input: SetPushTsatcSchema,
  output: setPushTsatcOutputSchema,
};

/** Where {@link setPushTsatc} belongs and what it does, for the docs, the gateway and OpenAPI. */
export const setPushTsatcInfo: ActionInfo = {
  resource: "channels",
  summary: "Issues a push URL signed with a time-limited anti-leech token.",
};

/**
 * Issues a push URL signed with a time-limited anti-leech token.
 *
 * @param client The client to call with.
 * @param input The request fields.
 * @param options Signal, timeout and headers for this call.
 * @returns The response's `data`.
 * @throws {WangsuValidationError} Before anything is sent, when the input breaks a rule.
 * @throws {WangsuApiError} When the service refuses the call.
 */
export function setPushTsatc(
  client: WangsuClient,
  input: SetPushTsatcInput,
  options?: CallOptions,
): Promise<SetPushTsatcOutput> {
  return callAction(client, setPushTsatcAction, input, options);
}

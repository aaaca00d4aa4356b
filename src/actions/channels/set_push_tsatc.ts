// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
import { strictObject } from "valibot";
import { type ActionDefinition, callAction } from "../../action.ts";
import type { WangsuClient } from "../../client.ts";
import type { Schema } from "../../schema.ts";
import { str } from "../../shape.ts";
import type { CallOptions } from "../../transport.ts";
import { id, secondsString } from "../rules.ts";

/** Input of {@link setPushTsatc}. */
export interface SetPushTsatcInput {
  /** The channel's `pullId`. */
  pullId: string;
  /** How long the signed URL stays valid, in seconds, as a string (e.g. `"3600"`). */
  effectiveHourLong: string;
}

/** Checks the input of {@link setPushTsatc} before anything is sent. */
export const SetPushTsatcSchema: Schema<SetPushTsatcInput> = strictObject({
  pullId: id(),
  effectiveHourLong: secondsString(),
});

/** Definition of {@link setPushTsatc}: path, schemas and retry safety. */
export const setPushTsatcAction: ActionDefinition<
  SetPushTsatcInput,
  SetPushTsatcOutput
> = {
  name: "setPushTsatc",
  path: "/live/channelManage/setPushTsatc",
  readOnly: false,
  input: SetPushTsatcSchema,
  output: {
    pushUrl: str,
  },
};

/** The push URL signed with an anti-leech token. */
export interface SetPushTsatcOutput {
  /** Push URL for encoders. */
  pushUrl: string;
}

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

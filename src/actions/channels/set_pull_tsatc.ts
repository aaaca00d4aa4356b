// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
import { strictObject } from "valibot";
import { type ActionDefinition, callAction } from "../../action.ts";
import type { WangsuClient } from "../../client.ts";
import type { Schema } from "../../schema.ts";
import { str } from "../../shape.ts";
import type { CallOptions } from "../../transport.ts";
import { id, secondsString } from "../rules.ts";
import { type PullUrlSet, pullUrlSetShape } from "./pull_urls.ts";

/** Input of {@link setPullTsatc}. */
export interface SetPullTsatcInput {
  /** The channel's `pullId`. */
  pullId: string;
  /** How long the signed URL stays valid, in seconds, as a string (e.g. `"3600"`). */
  effectiveHourLong: string;
}

/** Checks the input of {@link setPullTsatc} before anything is sent. */
export const SetPullTsatcSchema: Schema<SetPullTsatcInput> = strictObject({
  pullId: id(),
  effectiveHourLong: secondsString(),
});

/** Definition of {@link setPullTsatc}: path, schemas and retry safety. */
export const setPullTsatcAction: ActionDefinition<
  SetPullTsatcInput,
  SetPullTsatcOutput
> = {
  name: "setPullTsatc",
  path: "/live/channelManage/setPullTsatc",
  readOnly: false,
  input: SetPullTsatcSchema,
  output: [{
    ...pullUrlSetShape,
    pullDomain: str,
    pullProtocol: str,
  }],
};

/** Play URLs of one domain and protocol, signed with an anti-leech token. */
export interface SignedPullUrls extends PullUrlSet {
  /** Domain players pull from. */
  pullDomain: string;
  /** Pull protocol. */
  pullProtocol: string;
}

/** Response data of {@link setPullTsatc}. */
export type SetPullTsatcOutput = SignedPullUrls[];

/**
 * Issues play URLs signed with a time-limited anti-leech token.
 *
 * @param client The client to call with.
 * @param input The request fields.
 * @param options Signal, timeout and headers for this call.
 * @returns The response's `data`.
 * @throws {WangsuValidationError} Before anything is sent, when the input breaks a rule.
 * @throws {WangsuApiError} When the service refuses the call.
 */
export function setPullTsatc(
  client: WangsuClient,
  input: SetPullTsatcInput,
  options?: CallOptions,
): Promise<SetPullTsatcOutput> {
  return callAction(client, setPullTsatcAction, input, options);
}

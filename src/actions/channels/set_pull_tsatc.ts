import * as v from "valibot";
import type { WangsuClient } from "../../client.ts";
import type { CallOptions } from "../../transport.ts";
import type { Schema } from "../../schema.ts";
import { type ActionDefinition, type ActionInfo, callAction } from "../../action.ts";
import { id, secondsString } from "../rules.ts";
import { type Shape, str } from "../wire.ts";

/** Input of {@link setPullTsatc}. */
export interface SetPullTsatcInput {
  /** The channel's `pullId`. */
  pullId: string;
  /** How long the signed URL stays valid, in seconds, as a string (e.g. `"3600"`). */
  effectiveHourLong: string;
}

/** Checks the input of {@link setPullTsatc} before anything is sent. */
export const SetPullTsatcSchema: Schema<SetPullTsatcInput> = v.strictObject({
  pullId: id(),
  effectiveHourLong: secondsString(),
});

/** Play URLs of one domain and protocol, signed with an anti-leech token. */
export interface SignedPullUrls {
  /** Domain players pull from. */
  pullDomain: string;
  /** Pull protocol. */
  pullProtocol: string;
  /** Audio-only URL. */
  audioUrl: string;
  /** Smooth bit rate. */
  fluentPullUrl: string;
  /** Smooth bit rate, smart HD. */
  fluentZkgqPullUrl: string;
  /** Ultra HD. */
  hdPullUrl: string;
  /** Ultra HD, smart HD. */
  hdZkgqPullUrl: string;
  /** High definition. */
  highPullUrl: string;
  /** High definition, smart HD. */
  highZkgqPullUrl: string;
  /** Source bit rate. */
  originPullUrl: string;
  /** Source bit rate, smart HD. */
  originZkgqPullUrl: string;
  /** Standard definition. */
  sdPullUrl: string;
  /** Standard definition, smart HD. */
  sdZkgqPullUrl: string;
}

const signedPullUrlsSchema: Shape = {
  pullDomain: str,
  pullProtocol: str,
  /** Audio-only URL. */
  audioUrl: str,
  /** Smooth bit rate. */
  fluentPullUrl: str,
  /** Smooth bit rate, smart HD. */
  fluentZkgqPullUrl: str,
  /** Ultra HD. */
  hdPullUrl: str,
  /** Ultra HD, smart HD. */
  hdZkgqPullUrl: str,
  /** High definition. */
  highPullUrl: str,
  /** High definition, smart HD. */
  highZkgqPullUrl: str,
  /** Source bit rate. */
  originPullUrl: str,
  /** Source bit rate, smart HD. */
  originZkgqPullUrl: str,
  /** Standard definition. */
  sdPullUrl: str,
  /** Standard definition, smart HD. */
  sdZkgqPullUrl: str,
};

/** Response data of {@link setPullTsatc}. */
export type SetPullTsatcOutput = SignedPullUrls[];

/** Definition of {@link setPullTsatc}: path, schemas and retry safety. */
export const setPullTsatcAction: ActionDefinition<SetPullTsatcInput, SetPullTsatcOutput> = {
  name: "setPullTsatc",
  path: "/live/channelManage/setPullTsatc",
  readOnly: false,
  input: SetPullTsatcSchema,
  output: [signedPullUrlsSchema],
};

/** Where {@link setPullTsatc} belongs and what it does, for the docs, the gateway and OpenAPI. */
export const setPullTsatcInfo: ActionInfo = {
  resource: "channels",
  summary: "Issues play URLs signed with a time-limited anti-leech token.",
};

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

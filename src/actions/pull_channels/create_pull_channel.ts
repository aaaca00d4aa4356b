// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
import { strictObject } from "valibot";
import { type ActionDefinition, callAction } from "../../action.ts";
import type { WangsuClient } from "../../client.ts";
import type { Schema } from "../../schema.ts";
import { str } from "../../shape.ts";
import type { CallOptions } from "../../transport.ts";
import { domain, id, oneOf, optional, pullProtocols, pullRates, text, url } from "../rules.ts";

/** Input of {@link createPullChannel}. */
export interface CreatePullChannelInput {
  /** Display name, at most 255 characters. */
  channelName: string;
  /** Origin URL the stream is fetched from. */
  sourcePullUrl: string;
  /** Origin protocol: `"0"` RTMP, `"1"` HTTP-FLV. */
  sourcePullProtocol: "0" | "1";
  /** Domain players pull from; it must be set up on the account. */
  pullDomain: string;
  /** Play protocols, comma-separated: 0 RTMP (default), 1 HTTP-FLV, 2 HLS, 3 HDS (not 2 with 3); each must be enabled on the domain. */
  pullProtocol?: string;
  /** Play bit rates, comma-separated: 0 source, 1 smooth, 2 SD, 3 HD, 4 ultra HD; each must be transcoded by the domain. */
  pullRate: string;
  /** Player id; the default player when omitted. */
  playerId?: string;
}

/** Checks the input of {@link createPullChannel} before anything is sent. */
export const CreatePullChannelSchema: Schema<CreatePullChannelInput> = strictObject({
  channelName: text(255),
  sourcePullUrl: url(
    "^(?:rtmp|https?)://\\S+$",
    "must be an rtmp://, http:// or https:// URL",
    "i",
  ),
  sourcePullProtocol: oneOf(["0", "1"], 'must be "0" (RTMP) or "1" (HTTP-FLV)'),
  pullDomain: domain(),
  pullProtocol: optional(pullProtocols),
  pullRate: pullRates(),
  playerId: optional(id),
});

/** Definition of {@link createPullChannel}: path, schemas and retry safety. */
export const createPullChannelAction: ActionDefinition<
  CreatePullChannelInput,
  CreatePullChannelOutput
> = {
  name: "createPullChannel",
  path: "/live/channelManage/createPullChannel",
  readOnly: false,
  input: CreatePullChannelSchema,
  output: {
    pullId: str,
  },
};

/** The new pull-mode channel's id. */
export interface CreatePullChannelOutput {
  /** The channel's `pullId`. */
  pullId: string;
}

/**
 * Creates a pull-mode channel that fetches its stream from an origin URL when players ask for it.
 *
 * @param client The client to call with.
 * @param input The request fields.
 * @param options Signal, timeout and headers for this call.
 * @returns The response's `data`.
 * @throws {WangsuValidationError} Before anything is sent, when the input breaks a rule.
 * @throws {WangsuApiError} When the service refuses the call.
 */
export function createPullChannel(
  client: WangsuClient,
  input: CreatePullChannelInput,
  options?: CallOptions,
): Promise<CreatePullChannelOutput> {
  return callAction(client, createPullChannelAction, input, options);
}

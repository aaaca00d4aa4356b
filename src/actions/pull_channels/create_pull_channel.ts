import * as v from "valibot";
import type { WangsuClient } from "../../client.ts";
import type { CallOptions } from "../../transport.ts";
import type { Schema } from "../../schema.ts";
import { type ActionDefinition, type ActionInfo, callAction } from "../../action.ts";
import { domain, id, parsableUrl, pullProtocols, pullRates, text } from "../rules.ts";
import { type Shape, str } from "../wire.ts";

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
export const CreatePullChannelSchema: Schema<CreatePullChannelInput> = v.strictObject({
  channelName: text(255),
  sourcePullUrl: v.pipe(
    v.string(),
    v.regex(/^(?:rtmp|https?):\/\/\S+$/i, "must be an rtmp://, http:// or https:// URL"),
    parsableUrl(),
  ),
  sourcePullProtocol: v.picklist(["0", "1"] as const, 'must be "0" (RTMP) or "1" (HTTP-FLV)'),
  pullDomain: domain(),
  pullProtocol: v.optional(pullProtocols()),
  pullRate: pullRates(),
  playerId: v.optional(id()),
});

/** The new pull-mode channel's id. */
export interface CreatePullChannelOutput {
  /** The channel's `pullId`. */
  pullId: string;
}

const createPullChannelOutputSchema: Shape = {
  pullId: str,
};

/** Definition of {@link createPullChannel}: path, schemas and retry safety. */
export const createPullChannelAction: ActionDefinition<
  CreatePullChannelInput,
  CreatePullChannelOutput
> = {
  name: "createPullChannel",
  path: "/live/channelManage/createPullChannel",
  readOnly: false,
  input: CreatePullChannelSchema,
  output: createPullChannelOutputSchema,
};

/** Where {@link createPullChannel} belongs and what it does, for the docs, the gateway and OpenAPI. */
export const createPullChannelInfo: ActionInfo = {
  resource: "pull-channels",
  summary:
    "Creates a pull-mode channel that fetches its stream from an origin URL when players ask for it.",
};

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

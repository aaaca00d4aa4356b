// Generated from src/actions/spec.json by `deno task generate` (scripts/generate.ts): do not edit.
import { strictObject } from "valibot";
import { type ActionDefinition, callAction } from "../../action.ts";
import type { WangsuClient } from "../../client.ts";
import type { Schema } from "../../schema.ts";
import type { CallOptions } from "../../transport.ts";
import { id, oneOf, optional, pullRates, text, url } from "../rules.ts";

/** Input of {@link editPullChannel}. */
export interface EditPullChannelInput {
  /** The channel's `pullId`. */
  pullId: string;
  /** New display name, at most 255 characters. */
  channelName?: string;
  /** Origin URL the stream is fetched from. */
  sourcePullUrl?: string;
  /** Origin protocol: `"0"` RTMP, `"1"` HTTP-FLV, `"2"` HLS, `"3"` HDS. */
  sourcePullProtocol?: "0" | "1" | "2" | "3";
  /** Play bit rates, comma-separated: 0 source, 1 smooth, 2 SD, 3 HD, 4 ultra HD; each must be transcoded by the domain. */
  pullRate?: string;
}

/** Checks the input of {@link editPullChannel} before anything is sent. */
export const EditPullChannelSchema: Schema<EditPullChannelInput> = strictObject({
  pullId: id(),
  channelName: optional(text(255)),
  sourcePullUrl: optional(
    url("^(?:rtmp|https?)://\\S+$", "must be an rtmp://, http:// or https:// URL", "i"),
  ),
  sourcePullProtocol: optional(
    oneOf(["0", "1", "2", "3"], 'must be "0" RTMP, "1" HTTP-FLV, "2" HLS or "3" HDS'),
  ),
  pullRate: optional(pullRates),
});

/** Definition of {@link editPullChannel}: path, schemas and retry safety. */
export const editPullChannelAction: ActionDefinition<
  EditPullChannelInput,
  EditPullChannelOutput
> = {
  name: "editPullChannel",
  path: "/live/channelManage/editPullChannel",
  readOnly: false,
  input: EditPullChannelSchema,
  output: {},
};

/** Response data of {@link editPullChannel}. */
export type EditPullChannelOutput = Record<string, unknown>;

/**
 * Changes a pull-mode channel's name, origin URL, origin protocol or bit rates.
 *
 * @param client The client to call with.
 * @param input The request fields.
 * @param options Signal, timeout and headers for this call.
 * @returns The response's `data`.
 * @throws {WangsuValidationError} Before anything is sent, when the input breaks a rule.
 * @throws {WangsuApiError} When the service refuses the call.
 */
export function editPullChannel(
  client: WangsuClient,
  input: EditPullChannelInput,
  options?: CallOptions,
): Promise<EditPullChannelOutput> {
  return callAction(client, editPullChannelAction, input, options);
}

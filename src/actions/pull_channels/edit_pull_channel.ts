import * as v from "valibot";
import type { WangsuClient } from "../../client.ts";
import type { CallOptions } from "../../transport.ts";
import type { Schema } from "../../schema.ts";
import { type ActionDefinition, type ActionInfo, callAction } from "../../action.ts";
import { id, parsableUrl, pullRates, text } from "../rules.ts";

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
export const EditPullChannelSchema: Schema<EditPullChannelInput> = v.strictObject({
  pullId: id(),
  channelName: v.optional(text(255)),
  sourcePullUrl: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^(?:rtmp|https?):\/\/\S+$/i, "must be an rtmp://, http:// or https:// URL"),
      parsableUrl(),
    ),
  ),
  sourcePullProtocol: v.optional(
    v.picklist(["0", "1", "2", "3"] as const, 'must be "0" RTMP, "1" HTTP-FLV, "2" HLS or "3" HDS'),
  ),
  pullRate: v.optional(pullRates()),
});

/** Response data of {@link editPullChannel}. */
export type EditPullChannelOutput = Record<string, unknown>;

/** Definition of {@link editPullChannel}: path, schemas and retry safety. */
export const editPullChannelAction: ActionDefinition<EditPullChannelInput, EditPullChannelOutput> =
  {
    name: "editPullChannel",
    path: "/live/channelManage/editPullChannel",
    readOnly: false,
    input: EditPullChannelSchema,
    output: {},
  };

/** Where {@link editPullChannel} belongs and what it does, for the docs, the gateway and OpenAPI. */
export const editPullChannelInfo: ActionInfo = {
  resource: "pull-channels",
  summary: "Changes a pull-mode channel's name, origin URL, origin protocol or bit rates.",
};

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

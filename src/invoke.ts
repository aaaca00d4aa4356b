/**
 * A generic signed call for any Wangsu API path, the counterpart of the vendor SDKs'
 * `AkSkAuth.invoke`.
 *
 * @module
 */

import type { WangsuClient } from "./client.ts";
import { type CallOptions, type Envelope, send } from "./transport.ts";

/** A request for {@link invoke}. */
export interface InvokeRequest extends CallOptions {
  /** HTTP method; `POST` by default. */
  method?: string;
  /**
   * API path starting with a single `/`, optionally with a query, e.g.
   * `/live/channelManage/getChannelList`. It is appended to the client's endpoint, and must hold
   * no backslash or control character: the request always goes to the endpoint's origin.
   */
  path: string;
  /** A JSON value (serialised for you) or a string sent as is. */
  body?: unknown;
}

/**
 * Signs and sends a request to any API path and returns the parsed JSON envelope. Nothing about
 * the body is checked beforehand: prefer the typed action functions where one exists. The path
 * is not known to be read-only, so it is retried only on 429 unless `repeatable` is set.
 *
 * @example
 * ```ts
 * import { createClient, invoke } from "@wangsu/sdk";
 *
 * const client = createClient();
 * const { data } = await invoke(client, {
 *   path: "/live/channelManage/getChannelList",
 *   body: { pageIndex: 1, pageSize: 10 },
 * });
 * ```
 *
 * @param client The client to sign and send with.
 * @param request Method, path, body and call options.
 * @returns The envelope (`code`, `message`, `data`) of a successful response.
 * @throws {WangsuValidationError} Naming `path`, when the path could lead elsewhere than the
 *   endpoint's origin (`//host/x`, `.host/x`, `@host/x`, ...): nothing is signed or sent.
 * @throws {WangsuApiError} On any failure the API reports, and on a redirect (never followed).
 * @throws {WangsuNetworkError} When no response arrives.
 * @throws {WangsuTimeoutError} When the time limit passes first.
 */
export async function invoke<T = unknown>(
  client: WangsuClient,
  request: InvokeRequest,
): Promise<Envelope<T>> {
  return (await send(client, request, undefined, false)).envelope as Envelope<T>;
}

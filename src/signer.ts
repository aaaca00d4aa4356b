/**
 * CNC-HMAC-SHA256, the request signature of Wangsu's (ChinaNetCenter's) open API, in plain
 * synchronous JavaScript (no `node:` import, no Web Crypto round trips), so that it runs unchanged
 * in Deno, Node 20+, browsers and Cloudflare Workers. The server-side check is in
 * `@wangsu/sdk/verifier`.
 *
 * ```ts
 * import { signRequest } from "@wangsu/sdk/signer";
 *
 * const body = JSON.stringify({ pageIndex: 1, pageSize: 10 });
 * const headers = await signRequest(
 *   { method: "POST", url: "https://open.chinanetcenter.com/live/channelManage/getChannelList", body },
 *   { accessKey: "AK_EXAMPLE", secretKey: "SK_EXAMPLE" },
 * );
 * console.log(headers.get("authorization"));
 * ```
 *
 * @module
 */

import { type Credentials, signInto, type SignOptions } from "./signing.ts";

export {
  buildStringToSign,
  type Credentials,
  normalizeSignedHeaders,
  type SignOptions,
} from "./signing.ts";
export { WangsuValidationError } from "./errors.ts";

/** The parts of an HTTP request that the signature covers. */
export interface SignableRequest {
  /** HTTP method, e.g. `POST`. */
  method: string;
  /** Full URL: the host, path and query all take part in the signature. */
  url: string | URL;
  /** Headers to send along; their values are signed when named in `signedHeaders`. */
  headers?: HeadersInit;
  /** The exact body that will be sent (a string is encoded as UTF-8). */
  body?: string | Uint8Array;
}

/**
 * Signs a request and returns every header to send with it: `Content-Type` and `Accept`
 * (`application/json` unless given), `x-cnc-auth-method`, `x-cnc-accessKey`, `x-cnc-timestamp`
 * and `Authorization`, plus the caller's own headers. The signed host is the URL's host, because
 * browsers cannot set `Host`. A GET or HEAD signs the empty payload, as it sends no body.
 *
 * @param input Method, URL, headers and the exact body to send.
 * @param credentials The access key and its secret.
 * @param options Timestamp and signed-header list.
 * @returns The headers to send.
 * @throws {WangsuValidationError} Naming `signedHeaders`, when the list breaks its rule.
 * @throws {TypeError} When the URL is not a URL.
 */
export function signRequestSync(
  input: SignableRequest,
  credentials: Credentials,
  options: SignOptions = {},
): Headers {
  const url = new URL(input.url);
  return signInto(
    input.method,
    url,
    new Headers(input.headers),
    input.body ?? "",
    credentials,
    options,
  );
}

/**
 * {@link signRequestSync}, as a promise: the signature is computed at once in plain JavaScript,
 * and a bad URL or signed-header list rejects rather than throws.
 *
 * @param input Method, URL, headers and the exact body to send.
 * @param credentials The access key and its secret.
 * @param options Timestamp and signed-header list.
 * @returns The headers to send.
 * @throws {WangsuValidationError} Naming `signedHeaders`, when the list breaks its rule.
 */
// deno-lint-ignore require-await -- async so that bad input rejects rather than throws
export const signRequest = async (
  input: SignableRequest,
  credentials: Credentials,
  options?: SignOptions,
): Promise<Headers> => signRequestSync(input, credentials, options);

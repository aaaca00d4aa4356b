/**
 * The signing algorithm shared by the signer and the verifier (internal): canonical request,
 * string to sign, HMAC with cached keys, and the credentials and options it signs with. It sits
 * below both: it imports neither, and the signer re-exports what users name.
 *
 * @module
 */

import { hmacSha256, sha256, wordsToHex } from "./sha256.ts";
import { WangsuValidationError } from "./errors.ts";
import { signedHeadersRule } from "./signed_headers.ts";

/** An access key and the secret key that signs for it. */
export interface Credentials {
  /** Public key id, sent in `x-cnc-accessKey` and in the `Credential=` part. */
  accessKey: string;
  /** Secret key: used only as HMAC key material, never sent. */
  secretKey: string;
}

/** Options of `signRequest` and `signRequestSync`: what to sign with besides the request. */
export interface SignOptions {
  /** Unix time in seconds to sign with; the current time by default. */
  timestamp?: number;
  /**
   * Header names to sign, separated by `;` (default `content-type;host`): 1 to 64 names, none
   * empty, each an HTTP token (no space, comma, colon or non-ASCII), at most 1,024 characters.
   * Case and repeats do not matter: the list is lower-cased, de-duplicated and sorted.
   */
  signedHeaders?: string;
}

/** The scheme name, in `Authorization` and the string to sign. */
export const ALGORITHM = "CNC-HMAC-SHA256";
const sha256Hex = (data: string | Uint8Array): string => wordsToHex(sha256(data));

// HMAC functions by secret, with the key's padded blocks already hashed; at most 64 kept.
const keyCache = new Map<string, (message: string) => Int32Array>();
const hmacOf = (secret: string) =>
  keyCache.get(secret) ??
    (keyCache.size < 64 ? keyCache : new Map()).set(secret, hmacSha256(secret)).get(secret)!;
/** Lower-case hex HMAC-SHA256 of the string to sign under the secret. */
export const signatureOf = (secret: string, stringToSign: string): string =>
  wordsToHex(hmacOf(secret)(stringToSign));

/** Percent-decodes like Python's `urllib.parse.unquote`: invalid escapes stay as they are. */
const percentDecode = (text: string): string =>
  text.replace(
    /(?:%[0-9a-f]{2})+/gi,
    (run) => new TextDecoder().decode(Uint8Array.from(run.slice(1).split("%"), (h) => +`0x${h}`)),
  );

// Lists normalised, by the list as given: a client's requests all name the same one, and a
// gateway both verifies its callers' lists and signs its own. Only valid lists are kept.
let normalised = new Map<string, string>();

/**
 * Normalises a signed-header list: split on `;`, lower-cased, de-duplicated, sorted, re-joined.
 *
 * @param list The caller's list; `content-type;host` when absent.
 * @throws {WangsuValidationError} Naming `signedHeaders`, unless the list is 1 to 64 header names
 *   (HTTP tokens) separated by single `;`, in at most 1,024 characters.
 */
export const normalizeSignedHeaders = (list: string = "content-type;host"): string => {
  let normal = normalised.get(list);
  if (normal === undefined) {
    const rule = signedHeadersRule(list);
    if (rule) {
      throw new WangsuValidationError([{
        path: "signedHeaders",
        rule: "signed_headers",
        message: `signedHeaders: ${rule}`,
      }]);
    }
    if (normalised.size > 15) normalised = new Map();
    normalised.set(list, normal = [...new Set(list.toLowerCase().split(";"))].sort().join(";"));
  }
  return normal;
};

/**
 * Builds the canonical request and the string to sign (steps 1 to 6 of the algorithm), exposed
 * for debugging and for tests that compare intermediate strings.
 *
 * @param method HTTP method.
 * @param url Request URL (path and query are used).
 * @param host Value signed for the `host` header.
 * @param headers Values of the other signed headers.
 * @param body Exact body bytes.
 * @param signedHeaders Normalised signed-header list.
 * @param timestamp Unix seconds, as sent in `x-cnc-timestamp`.
 * @returns The canonical request and the string to sign.
 */
export const buildStringToSign = (
  method: string,
  url: URL,
  host: string,
  headers: Headers,
  body: string | Uint8Array,
  signedHeaders: string,
  timestamp: string,
): { canonicalRequest: string; stringToSign: string } => {
  method = method.toUpperCase();
  let canonicalHeaders = "";
  for (const name of signedHeaders.split(";")) {
    canonicalHeaders += `${name}:${
      (name == "host" ? host : headers.get(name) ?? "").toLowerCase()
    }\n`;
  }
  const canonicalRequest = [
    method,
    url.pathname,
    method == "POST" ? "" : percentDecode(url.search.slice(1)),
    canonicalHeaders,
    signedHeaders,
    // A GET or HEAD sends no body, so it signs the empty payload whatever it was handed.
    sha256Hex(method == "GET" || method == "HEAD" ? "" : body),
  ].join("\n");
  const stringToSign = `${ALGORITHM}\n${timestamp}\n${sha256Hex(canonicalRequest)}`;
  return { canonicalRequest, stringToSign };
};

/**
 * Signs a request in place: adds `Content-Type` and `Accept` where unset, the `x-cnc-*` headers
 * and `Authorization` to `headers`, which it returns. The signer passes a copy of the caller's
 * headers; the transport, the set it built for one attempt.
 *
 * @param method HTTP method.
 * @param url Request URL (its host is the signed host).
 * @param headers The headers to send, added to.
 * @param body Exact body to send.
 * @param credentials The access key and its secret.
 * @param options Timestamp and signed-header list.
 * @returns `headers`.
 */
export const signInto = (
  method: string,
  url: URL,
  headers: Headers,
  body: string | Uint8Array,
  credentials: Credentials,
  options: SignOptions,
): Headers => {
  const timestamp = String(Math.floor(options.timestamp ?? Date.now() / 1000));
  for (const name of ["content-type", "accept"]) {
    if (!headers.has(name)) headers.set(name, "application/json");
  }
  headers.set("x-cnc-auth-method", "AKSK");
  headers.set("x-cnc-accessKey", credentials.accessKey);
  headers.set("x-cnc-timestamp", timestamp);
  const signedHeaders = normalizeSignedHeaders(options.signedHeaders);
  const { stringToSign } = buildStringToSign(
    method,
    url,
    url.host,
    headers,
    body,
    signedHeaders,
    timestamp,
  );
  const signature = signatureOf(credentials.secretKey, stringToSign);
  headers.set(
    "authorization",
    `${ALGORITHM} Credential=${credentials.accessKey}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  );
  return headers;
};

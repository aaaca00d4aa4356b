/**
 * CNC-HMAC-SHA256, the request signature of Wangsu's (ChinaNetCenter's) open API, built on Web
 * Crypto alone so that it runs unchanged in Deno, Node 20+, browsers and Cloudflare Workers.
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

/** An access key and the secret key that signs for it. */
export interface Credentials {
  /** Public key id, sent in `x-cnc-accessKey` and in the `Credential=` part. */
  accessKey: string;
  /** Secret key: used only as HMAC key material, never sent. */
  secretKey: string;
}

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

/** Options of {@link signRequest}. */
export interface SignOptions {
  /** Unix time in seconds to sign with; the current time by default. */
  timestamp?: number;
  /** Header names to sign, separated by `;` (default `content-type;host`). */
  signedHeaders?: string;
}

/** Options of {@link verifyRequest}. */
export interface VerifyOptions {
  /** The verifier's current Unix time in seconds; the system clock by default. */
  now?: number;
  /** Largest accepted distance between the request's timestamp and `now` (default 300 s). */
  maxSkewSeconds?: number;
}

/** Why {@link verifyRequest} refused a request. */
export type VerifyFailureReason =
  | "missing-header"
  | "malformed"
  | "unknown-key"
  | "skew"
  | "bad-signature";

/** The outcome of {@link verifyRequest}. */
export type VerifyResult =
  | { ok: true; accessKey: string; timestamp: number; signature: string }
  | { ok: false; reason: VerifyFailureReason; message: string; accessKey?: string };

const ALGORITHM = "CNC-HMAC-SHA256";
const DEFAULT_SIGNED_HEADERS = "content-type;host";
const encoder = new TextEncoder();
const subtle = crypto.subtle;
const toHex = (buffer: ArrayBuffer): string => {
  let hex = "";
  for (const byte of new Uint8Array(buffer)) hex += (byte < 16 ? "0" : "") + byte.toString(16);
  return hex;
};

const sha256Hex = async (data: string | Uint8Array): Promise<string> =>
  toHex(
    await subtle.digest(
      "SHA-256",
      (typeof data == "string" ? encoder.encode(data) : data) as Uint8Array<ArrayBuffer>,
    ),
  );

// Imported HMAC keys, by secret: importing costs about as much as signing, so it is done once.
// Bounded, oldest first out; a failed import is not kept.
const keyCache = new Map<string, Promise<CryptoKey>>();
const KEY_CACHE_SIZE = 64;

const hmacKey = (secret: string): Promise<CryptoKey> => {
  let key = keyCache.get(secret);
  if (!key) {
    if (keyCache.size >= KEY_CACHE_SIZE) keyCache.delete(keyCache.keys().next().value!);
    key = subtle.importKey(
      "raw",
      encoder.encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign", "verify"],
    );
    keyCache.set(secret, key);
    key.catch(() => keyCache.delete(secret));
  }
  return key;
};

/** Percent-decodes like Python's `urllib.parse.unquote`: invalid escapes stay as they are. */
const percentDecode = (text: string): string =>
  text.replace(
    /(?:%[0-9a-f]{2})+/gi,
    (run) => new TextDecoder().decode(Uint8Array.from(run.slice(1).split("%"), (h) => +`0x${h}`)),
  );

/**
 * Normalises a signed-header list: split on `;`, lower-cased, de-duplicated, sorted, re-joined.
 *
 * @param list The caller's list; `content-type;host` when absent.
 */
export const normalizeSignedHeaders = (list: string = DEFAULT_SIGNED_HEADERS): string =>
  [...new Set(list.toLowerCase().split(";"))].sort().join(";");

/**
 * Builds the string to sign (step 6 of the algorithm); exposed for debugging and for tests that
 * compare intermediate strings.
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
export const buildStringToSign = async (
  method: string,
  url: URL,
  host: string,
  headers: Headers,
  body: string | Uint8Array,
  signedHeaders: string,
  timestamp: string,
): Promise<{ canonicalRequest: string; stringToSign: string }> => {
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
    await sha256Hex(body),
  ].join("\n");
  const stringToSign = `${ALGORITHM}\n${timestamp}\n${await sha256Hex(canonicalRequest)}`;
  return { canonicalRequest, stringToSign };
};

/**
 * Signs a request and returns every header to send with it: `Content-Type` and `Accept`
 * (`application/json` unless given), `x-cnc-auth-method`, `x-cnc-accessKey`, `x-cnc-timestamp`
 * and `Authorization`, plus the caller's own headers. The signed host is the URL's host, because
 * browsers cannot set `Host`.
 *
 * @param input Method, URL, headers and the exact body to send.
 * @param credentials The access key and its secret.
 * @param options Timestamp and signed-header list.
 * @returns The headers to send.
 */
export async function signRequest(
  input: SignableRequest,
  credentials: Credentials,
  options: SignOptions = {},
): Promise<Headers> {
  const url = new URL(input.url);
  const headers = new Headers(input.headers);
  const timestamp = String(Math.floor(options.timestamp ?? Date.now() / 1000));
  if (!headers.has("content-type")) headers.set("content-type", "application/json");
  if (!headers.has("accept")) headers.set("accept", "application/json");
  headers.set("x-cnc-auth-method", "AKSK");
  headers.set("x-cnc-accessKey", credentials.accessKey);
  headers.set("x-cnc-timestamp", timestamp);
  const signedHeaders = normalizeSignedHeaders(options.signedHeaders);
  const { stringToSign } = await buildStringToSign(
    input.method,
    url,
    url.host,
    headers,
    input.body ?? "",
    signedHeaders,
    timestamp,
  );
  const key = await hmacKey(credentials.secretKey);
  const signature = toHex(await subtle.sign("HMAC", key, encoder.encode(stringToSign)));
  headers.set(
    "authorization",
    `${ALGORITHM} Credential=${credentials.accessKey}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  );
  return headers;
}

const fail = (reason: VerifyFailureReason, message: string, accessKey?: string): VerifyResult => ({
  ok: false,
  reason,
  message,
  accessKey,
});

/**
 * Checks a signed request on the server side: header presence and shape, the access key, the
 * timestamp window, then the signature (compared in constant time by `crypto.subtle.verify`).
 * The request's body is read from a clone, so the caller can still read it.
 *
 * @param request The incoming request.
 * @param lookupSecret Returns the secret of an access key, or `undefined` when the key is unknown.
 * @param options The verifier's clock and the allowed skew.
 * @returns `{ ok: true, accessKey, ... }` or `{ ok: false, reason, message }`.
 */
export async function verifyRequest(
  request: Request,
  lookupSecret: (accessKey: string) => string | undefined | Promise<string | undefined>,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const authorization = request.headers.get("authorization");
  const timestamp = request.headers.get("x-cnc-timestamp");
  if (!authorization) return fail("missing-header", "Missing header: Authorization");
  if (!timestamp) return fail("missing-header", "Missing header: x-cnc-timestamp");
  const fields = new Map<string, string>();
  const [scheme, ...rest] = authorization.split(" ");
  for (const part of rest.join(" ").split(",")) {
    const at = part.indexOf("=");
    fields.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  const accessKey = fields.get("Credential");
  const signedHeaders = fields.get("SignedHeaders");
  const signature = fields.get("Signature") ?? "";
  if (scheme != ALGORITHM || !accessKey || signedHeaders == undefined) {
    return fail(
      "malformed",
      `Authorization must read "${ALGORITHM} Credential=…, SignedHeaders=…, Signature=…"`,
    );
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    return fail("malformed", "x-cnc-timestamp must be Unix time in whole seconds", accessKey);
  }
  const secret = await lookupSecret(accessKey);
  if (!secret) return fail("unknown-key", "Unknown access key", accessKey);
  const now = Math.floor(options.now ?? Date.now() / 1000);
  const maxSkew = options.maxSkewSeconds ?? 300;
  if (Math.abs(now - +timestamp) > maxSkew) {
    return fail(
      "skew",
      `x-cnc-timestamp ${timestamp} is more than ${maxSkew} s from the server time ${now}`,
      accessKey,
    );
  }
  const url = new URL(request.url);
  const { stringToSign } = await buildStringToSign(
    request.method,
    url,
    request.headers.get("host") ?? url.host,
    request.headers,
    new Uint8Array(await request.clone().arrayBuffer()),
    normalizeSignedHeaders(signedHeaders),
    timestamp,
  );
  const bytes = signature.match(/^(?:[0-9a-f]{2}){32}$/i)
    ? Uint8Array.from(signature.match(/../g)!, (h) => +`0x${h}`)
    : undefined;
  const valid = bytes != undefined && await subtle.verify(
    "HMAC",
    await hmacKey(secret),
    bytes,
    encoder.encode(stringToSign),
  );
  return valid
    ? { ok: true, accessKey, timestamp: +timestamp, signature: signature.toLowerCase() }
    : fail("bad-signature", "Signature does not match the request", accessKey);
}

/**
 * Checks CNC-HMAC-SHA256 signatures on the server side (the simulator and the gateway use it):
 * header shape, clock window, then the signature in constant time. It never throws on what a
 * request's headers hold, and an unknown access key costs the same work as a bad signature.
 *
 * @module
 */

import { ALGORITHM, buildStringToSign, normalizeSignedHeaders, signatureOf } from "./signing.ts";
import { signedHeadersRule } from "./signed_headers.ts";

/** Options of {@link verifyRequest}. */
export interface VerifyOptions {
  /** The verifier's current Unix time in seconds; the system clock by default. */
  now?: number;
  /** Largest accepted distance between the request's timestamp and `now` (default 300 s). */
  maxSkewSeconds?: number;
  /**
   * The request's body, when the caller has already read it (a string is taken as its UTF-8);
   * otherwise it is read from a clone of the request.
   */
  body?: string | Uint8Array;
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

const fail = (reason: VerifyFailureReason, message: string, accessKey?: string): VerifyResult => ({
  ok: false,
  reason,
  message,
  accessKey,
});

/**
 * Signs for an access key that is not known, so that refusing it costs what refusing a bad
 * signature costs (the body hashed, the string signed, the signatures compared): the time taken
 * does not tell which keys exist. Whatever it yields, the key is refused.
 */
const UNKNOWN_KEY_SECRET = "unknown-key:0123456789abcdef0123456789abcdef";

/**
 * Checks a signed request on the server side: header presence and shape (`SignedHeaders` must
 * be 1 to 64 distinct header names separated by `;`), the timestamp window, then the signature
 * (compared in constant time). An unknown access key is refused after the same work as a bad
 * signature. It never throws on any header input: a malformed one is refused as `malformed`.
 * The request's body is read from a clone, so the caller can still read it, unless
 * `options.body` gives it.
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
  const listed = fields.get("SignedHeaders");
  const signature = fields.get("Signature") ?? "";
  if (scheme != ALGORITHM || !accessKey || listed == undefined) {
    return fail(
      "malformed",
      `Authorization must read "${ALGORITHM} Credential=…, SignedHeaders=…, Signature=…"`,
    );
  }
  // Checked before the list is used: a header name the platform refuses would throw. A
  // conforming signer sends its list de-duplicated, so a name listed twice is refused too (the
  // normal form is then shorter: names are ASCII, so lower-casing keeps the length).
  const rule = signedHeadersRule(listed);
  const signedHeaders = rule ? "" : normalizeSignedHeaders(listed);
  if (rule || signedHeaders.length != listed.length) {
    return fail("malformed", `SignedHeaders ${rule ?? "names a header twice"}`, accessKey);
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    return fail("malformed", "x-cnc-timestamp must be Unix time in whole seconds", accessKey);
  }
  // The window is checked before the key is looked up, so a stale request is refused alike
  // whether its key exists or not.
  const now = Math.floor(options.now ?? Date.now() / 1000);
  const maxSkew = options.maxSkewSeconds ?? 300;
  if (Math.abs(now - +timestamp) > maxSkew) {
    return fail(
      "skew",
      `x-cnc-timestamp ${timestamp} is more than ${maxSkew} s from the server time ${now}`,
      accessKey,
    );
  }
  const secret = await lookupSecret(accessKey);
  let body = options.body;
  if (body === undefined) {
    try {
      body = new Uint8Array(await request.clone().arrayBuffer());
    } catch {
      return fail("malformed", "The request's body could not be read", accessKey);
    }
  }
  const url = new URL(request.url);
  const { stringToSign } = buildStringToSign(
    request.method,
    url,
    request.headers.get("host") ?? url.host,
    request.headers,
    body,
    signedHeaders,
    timestamp,
  );
  // Compared in constant time: every character, whatever the first difference.
  const expected = signatureOf(secret || UNKNOWN_KEY_SECRET, stringToSign);
  const given = signature.toLowerCase();
  let difference = expected.length ^ given.length;
  for (let i = 0; i < expected.length; i++) {
    difference |= expected.charCodeAt(i) ^ given.charCodeAt(i);
  }
  if (!secret) return fail("unknown-key", "Unknown access key", accessKey);
  return difference == 0
    ? { ok: true, accessKey, timestamp: +timestamp, signature: given }
    : fail("bad-signature", "Signature does not match the request", accessKey);
}

/**
 * Checks CNC-HMAC-SHA256 signatures on the server side (the simulator and the gateway use it):
 * header shape, access key, clock window, then the signature in constant time.
 *
 * @module
 */

import { ALGORITHM, buildStringToSign, normalizeSignedHeaders, signatureOf } from "./signing.ts";

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
 * Checks a signed request on the server side: header presence and shape, the access key, the
 * timestamp window, then the signature (compared in constant time).
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
  const { stringToSign } = buildStringToSign(
    request.method,
    url,
    request.headers.get("host") ?? url.host,
    request.headers,
    options.body ?? new Uint8Array(await request.clone().arrayBuffer()),
    normalizeSignedHeaders(signedHeaders),
    timestamp,
  );
  // Compared in constant time: every character, whatever the first difference.
  const expected = signatureOf(secret, stringToSign);
  const given = signature.toLowerCase();
  let difference = expected.length ^ given.length;
  for (let i = 0; i < expected.length; i++) {
    difference |= expected.charCodeAt(i) ^ given.charCodeAt(i);
  }
  const valid = difference == 0;
  return valid
    ? { ok: true, accessKey, timestamp: +timestamp, signature: signature.toLowerCase() }
    : fail("bad-signature", "Signature does not match the request", accessKey);
}

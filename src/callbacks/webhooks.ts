/**
 * Signed webhooks in the Standard Webhooks format (https://www.standardwebhooks.com): a JSON POST
 * whose body is the event, with `webhook-id` (the same on every attempt), `webhook-timestamp`
 * (Unix seconds of the attempt) and `webhook-signature` (`v1,` + the base64 HMAC-SHA256 of
 * `id.timestamp.body`; several, space-separated, while a secret is rotated). Secrets are written
 * `whsec_` + the base64 of 24 to 64 random bytes.
 *
 * {@link verifyWebhook} is for receivers, {@link signWebhook} for senders and for receivers' own
 * tests. Both use Web Crypto only, so they run in browsers, Workers, Deno, Node and Bun.
 *
 * @module
 */

import { type ValidationIssue, WangsuValidationError } from "../errors.ts";
import { eventIssues } from "./event_json.ts";
import type { CallbackEvent } from "./parse.ts";
import { atLeast } from "./sessions.ts";
import { fromBase64, secretBytes } from "./webhook_secret.ts";

/** How far a delivery's `webhook-timestamp` may be from the receiver's clock, either way. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;
/** Largest body {@link verifyWebhook} reads by default, in bytes (256 KiB). */
export const MAX_WEBHOOK_BODY_BYTES = 262_144;

/** Why a delivery was refused. */
export type WebhookErrorCode =
  /** `webhook-id`, `webhook-timestamp` or `webhook-signature` is absent. */
  | "missing_header"
  /** A header is there but not in its format. */
  | "malformed_header"
  /** A secret given to sign or verify is not `whsec_` + base64 of 24 to 64 bytes. */
  | "bad_secret"
  /** The timestamp is further in the past than the tolerance. */
  | "timestamp_too_old"
  /** The timestamp is further in the future than the tolerance. */
  | "timestamp_too_new"
  /** No `v1` signature matches any secret: forged, tampered with, or signed with another secret. */
  | "signature_mismatch"
  /** Authentic, but `seen` says this `webhook-id` was handled already. */
  | "replayed"
  /** Authentic, but the body is too large, not JSON, or not an event this SDK knows. */
  | "bad_payload";

/**
 * A webhook delivery was refused (or a secret is malformed). `code` says why; each issue names
 * the header, field or option and the rule. Never holds a secret, a signature or the body.
 */
export class WangsuWebhookError extends WangsuValidationError {
  /** Why it was refused. */
  declare readonly code: WebhookErrorCode;

  /**
   * Creates the error.
   *
   * @param code Why the delivery was refused.
   * @param issues What is wrong, each naming its header or field and rule.
   */
  constructor(code: WebhookErrorCode, issues: ValidationIssue[]) {
    super(issues, { action: "webhook" });
    this.code = code;
  }
}

/** The headers of a signed delivery (a plain object: give it to `fetch` or `new Request`). */
export type WebhookHeaders = {
  /** The message id: the same on every attempt of one delivery. */
  "webhook-id": string;
  /** Unix seconds of this attempt. */
  "webhook-timestamp": string;
  /** `v1,<base64>`, one per secret, space-separated. */
  "webhook-signature": string;
  /** `application/json`. */
  "content-type": string;
};

/** A payload signed by {@link signWebhook}. */
export interface SignedWebhook {
  /** The headers to send. */
  headers: WebhookHeaders;
  /** The body to send, exactly as signed. */
  body: string;
}

/** Options of {@link signWebhook}. */
export interface SignWebhookOptions {
  /**
   * The message id (default `msg_` + a random UUID): keep it for every attempt of one delivery.
   * 1 to 256 printable ASCII characters, no `.` and no space.
   */
  id?: string;
  /** Unix seconds of this attempt (default: now). */
  timestamp?: number;
}

/** A delivery whose body was already read (as most frameworks hand it over). */
export interface WebhookDelivery {
  /** The request's headers. */
  headers: HeadersInit;
  /** The raw body, exactly as received (bytes, or text decoded as UTF-8): never re-serialised. */
  body: string | Uint8Array;
}

/** Options of {@link verifyWebhook}. */
export interface VerifyWebhookOptions {
  /** Clock, Unix ms (default `Date.now`). */
  now?: () => number;
  /** How far the timestamp may be from `now`, either way (default 300 seconds). */
  toleranceSeconds?: number;
  /**
   * Whether a message id was handled already. Asked only once the delivery is authentic and its
   * body an event; `true` refuses it with code `replayed`. Retries of one delivery carry the same
   * id, so record an id once you have handled its event, not before (and keep ids at least as
   * long as the sender retries), then answer `replayed` with a 2xx: the sender stops retrying.
   */
  seen?: (id: string) => boolean | Promise<boolean>;
  /** Largest body accepted, in bytes (default 262 144). */
  maxBodyBytes?: number;
}

const encoder = new TextEncoder();
/** A `webhook-id`: 1 to 256 printable ASCII characters but `.` (no space). Internal. */
export const MESSAGE_ID = /^[\x21-\x2d\x2f-\x7e]{1,256}$/;
const TIMESTAMP = /^\d{1,15}$/;
const SIGNATURE = /^(v\d+[a-z]*),([A-Za-z0-9+/]+={0,2})$/;
const MAX_SIGNATURE_HEADER = 4096;

const refuse = (code: WebhookErrorCode, path: string, message: string) =>
  new WangsuWebhookError(code, [{ path, rule: code, message: `${path}: ${message}` }]);

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/** Imports each secret as an HMAC key, refusing malformed ones without echoing them. */
const keysOf = (secret: string | readonly string[], usage: "sign" | "verify") => {
  const secrets = typeof secret == "string" ? [secret] : [...secret];
  if (!secrets.length) throw refuse("bad_secret", "secret", "give at least one secret");
  return Promise.all(secrets.map((one, index) => {
    const raw = secretBytes(one);
    if (!raw) {
      const path = typeof secret == "string" ? "secret" : `secret[${index}]`;
      throw refuse("bad_secret", path, "must be whsec_ followed by the base64 of 24 to 64 bytes");
    }
    return crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, [usage]);
  }));
};

/** The bytes that are signed: `id.timestamp.` and the body, as sent. */
const signedContent = (id: string, timestamp: string, body: Uint8Array) => {
  const head = encoder.encode(`${id}.${timestamp}.`);
  const content = new Uint8Array(head.length + body.length);
  content.set(head);
  content.set(body, head.length);
  return content;
};

/** The `v1` signatures of a `webhook-signature` header (others skipped), or `undefined` if malformed. */
const signaturesOf = (header: string) => {
  const entries = header.split(" ").filter(Boolean);
  if (header.length > MAX_SIGNATURE_HEADER || !entries.length) return undefined;
  const signatures: Uint8Array<ArrayBuffer>[] = [];
  for (const entry of entries) {
    const [, version, encoded] = SIGNATURE.exec(entry) ?? [];
    if (!version) return undefined;
    if (version != "v1") continue; // another scheme (v1a is Ed25519): not ours to check
    const bytes = fromBase64(encoded);
    if (bytes?.length != 32) return undefined;
    signatures.push(bytes);
  }
  return signatures;
};

/**
 * Creates a webhook secret: `whsec_` + the base64 of 32 random bytes (Web Crypto). Keep one per
 * endpoint, with the other secrets.
 *
 * @example
 * ```ts
 * import { generateWebhookSecret } from "@wangsu/sdk/callbacks";
 *
 * console.log(generateWebhookSecret().startsWith("whsec_")); // true
 * ```
 *
 * @returns The secret.
 */
export function generateWebhookSecret(): string {
  return `whsec_${toBase64(crypto.getRandomValues(new Uint8Array(32)))}`;
}

/**
 * Signs a payload as a Standard Webhooks delivery: the sender's side, and a receiver's way to
 * build deliveries for its own tests.
 *
 * @example
 * ```ts
 * import { generateWebhookSecret, parseCallback, signWebhook } from "@wangsu/sdk/callbacks";
 *
 * const secret = generateWebhookSecret();
 * const event = parseCallback("?action=publish&pullId=abc123&time=1767225600");
 * const { headers, body } = await signWebhook(event, secret, { id: "msg_1" });
 * console.log(headers["webhook-id"], headers["webhook-signature"].startsWith("v1,")); // msg_1 true
 * // await fetch("https://hooks.example.com/wangsu", { method: "POST", headers, body });
 * ```
 *
 * @param payload The event (sent as its JSON), or a body already serialised.
 * @param secret The endpoint's secret, or several (one signature each, while rotating).
 * @param options The message id (keep it for every attempt) and the attempt's timestamp.
 * @returns The headers and the body to send.
 * @throws {WangsuWebhookError} `bad_secret` for a malformed secret, `malformed_header` for an id or
 *   timestamp out of format.
 */
export async function signWebhook(
  payload: CallbackEvent | string,
  secret: string | readonly string[],
  options: SignWebhookOptions = {},
): Promise<SignedWebhook> {
  const keys = await keysOf(secret, "sign");
  const id = options.id ?? `msg_${crypto.randomUUID().replaceAll("-", "")}`;
  if (!MESSAGE_ID.test(id)) {
    throw refuse(
      "malformed_header",
      "id",
      "must be 1 to 256 printable ASCII characters, no . or space",
    );
  }
  const seconds = options.timestamp ?? Math.floor(Date.now() / 1000);
  if (!Number.isSafeInteger(seconds) || seconds < 0) {
    throw refuse("malformed_header", "timestamp", "must be whole Unix seconds");
  }
  const timestamp = String(seconds);
  const body = typeof payload == "string" ? payload : JSON.stringify(payload);
  const content = signedContent(id, timestamp, encoder.encode(body));
  const signatures = await Promise.all(
    keys.map(async (key) =>
      `v1,${toBase64(new Uint8Array(await crypto.subtle.sign("HMAC", key, content)))}`
    ),
  );
  return {
    headers: {
      "webhook-id": id,
      "webhook-timestamp": timestamp,
      "webhook-signature": signatures.join(" "),
      "content-type": "application/json",
    },
    body,
  };
}

/** Reads the body as bytes, refusing one larger than `max` before reading it when it says so. */
const bodyOf = async (delivery: Request | WebhookDelivery, max: number) => {
  const tooLarge = () => refuse("bad_payload", "body", `must be at most ${max} bytes`);
  let bytes: Uint8Array;
  if (delivery instanceof Request) {
    if (Number(delivery.headers.get("content-length")) > max) throw tooLarge();
    bytes = new Uint8Array(await delivery.arrayBuffer());
  } else {
    bytes = typeof delivery.body == "string" ? encoder.encode(delivery.body) : delivery.body;
  }
  if (bytes.length > max) throw tooLarge();
  return bytes;
};

/**
 * Verifies a Standard Webhooks delivery and returns its event, typed: the headers are all there
 * and in format, the timestamp is within the tolerance of `now` (5 minutes either way), one `v1`
 * signature matches one of the secrets (Web Crypto's constant-time check), the body is an event,
 * and (with `seen`) its id was not handled before. Anything else throws, naming what failed.
 *
 * @example
 * ```ts
 * import {
 *   generateWebhookSecret,
 *   parseCallback,
 *   signWebhook,
 *   verifyWebhook,
 *   WangsuWebhookError,
 * } from "@wangsu/sdk/callbacks";
 *
 * const secret = generateWebhookSecret(); // yours is the endpoint's, from the gateway's configuration
 * const event = parseCallback("?action=publish&pullId=abc123&time=1767225600");
 * const { headers, body } = await signWebhook(event, secret);
 * const request = new Request("https://hooks.example.com/wangsu", { method: "POST", headers, body });
 * const verified = await verifyWebhook(request, secret);
 * if (verified.type == "push.started") console.log(verified.pullId); // abc123
 *
 * const forged = new Request(request.url, { method: "POST", headers, body: body.replace("abc", "xyz") });
 * await verifyWebhook(forged, secret).catch((error: WangsuWebhookError) => console.log(error.code)); // signature_mismatch
 * ```
 *
 * @param delivery The request as received, or its headers and raw body when already read. A
 *   `Request`'s body is read (and so used up).
 * @param secret The endpoint's secret, or several to try (while rotating).
 * @param options Clock, tolerance, the replay check and the body limit.
 * @returns The event the delivery carries.
 * @throws {WangsuWebhookError} With a `code` saying what failed; never echoing a secret.
 */
export async function verifyWebhook(
  delivery: Request | WebhookDelivery,
  secret: string | readonly string[],
  options: VerifyWebhookOptions = {},
): Promise<CallbackEvent> {
  const tolerance = atLeast(
    "webhook",
    "toleranceSeconds",
    options.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS,
    0,
  );
  const maxBody = atLeast(
    "webhook",
    "maxBodyBytes",
    options.maxBodyBytes ?? MAX_WEBHOOK_BODY_BYTES,
    1,
  );
  const keys = await keysOf(secret, "verify");
  const headers = new Headers(delivery.headers);
  const names = ["webhook-id", "webhook-timestamp", "webhook-signature"] as const;
  const missing = names.filter((name) => !headers.get(name));
  if (missing.length) {
    throw new WangsuWebhookError(
      "missing_header",
      missing.map((name) => ({
        path: name,
        rule: "missing_header",
        message: `${name}: is required`,
      })),
    );
  }
  const [id, timestamp, signatureHeader] = names.map((name) => headers.get(name)!.trim());
  if (!MESSAGE_ID.test(id)) {
    throw refuse(
      "malformed_header",
      "webhook-id",
      "must be 1 to 256 printable ASCII characters, no .",
    );
  }
  if (!TIMESTAMP.test(timestamp)) {
    throw refuse("malformed_header", "webhook-timestamp", "must be whole Unix seconds");
  }
  const signatures = signaturesOf(signatureHeader);
  if (!signatures) {
    throw refuse(
      "malformed_header",
      "webhook-signature",
      "must be signatures (v1,<base64 of 32 bytes>) separated by spaces",
    );
  }

  const age = Math.floor((options.now ?? Date.now)() / 1000) - Number(timestamp);
  if (age > tolerance) {
    throw refuse(
      "timestamp_too_old",
      "webhook-timestamp",
      `is ${age} s old; at most ${tolerance} s is accepted`,
    );
  }
  if (-age > tolerance) {
    throw refuse(
      "timestamp_too_new",
      "webhook-timestamp",
      `is ${-age} s ahead of this clock; at most ${tolerance} s is accepted`,
    );
  }

  const body = await bodyOf(delivery, maxBody);
  const content = signedContent(id, timestamp, body);
  let authentic = false;
  for (const key of keys) {
    for (const signature of signatures) {
      // Web Crypto compares in constant time; every pair is tried, so timing says nothing either.
      if (await crypto.subtle.verify("HMAC", key, signature, content)) authentic = true;
    }
  }
  if (!authentic) {
    throw refuse(
      "signature_mismatch",
      "webhook-signature",
      signatures.length
        ? "no v1 signature matches the secret: the delivery was altered or signed with another secret"
        : "holds no v1 signature",
    );
  }

  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
  } catch {
    throw refuse("bad_payload", "body", "is not JSON in UTF-8");
  }
  const issues = eventIssues(value, "body");
  if (issues.length) {
    throw new WangsuWebhookError("bad_payload", issues);
  }
  if (options.seen && await options.seen(id)) {
    throw refuse("replayed", "webhook-id", "was handled already");
  }
  return value as CallbackEvent;
}

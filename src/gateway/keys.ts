/**
 * Caller keys of the gateway: configuration (from JSON), scopes, and authentication of a request
 * by a gateway-issued access/secret pair (CNC-HMAC-SHA256, so vendor SDKs work unchanged) or by a
 * bearer token (for browsers). Every comparison is constant-time.
 *
 * @module
 */

import * as v from "valibot";
import type { DescribedAction } from "../action.ts";
import { toValidationIssues } from "../action.ts";
import { WangsuValidationError } from "../errors.ts";
import { createSignatureVerifier } from "../replay_guard.ts";

/**
 * A caller key as configured. `actions` lists what the key may call: action names
 * (`getChannelList`), resource names (`channels`, `pull-channels`, `live-state`, `recording`,
 * `directories`, `forwarding`), `read` (every read-only action) or `*` (everything).
 */
export type GatewayKeyConfig =
  | { name?: string; accessKey: string; secretKey: string; actions: string[] }
  | { name?: string; token: string; actions: string[] };

const secretText = v.pipe(v.string(), v.minLength(16, "must be at least 16 characters"));
const keySchema = v.union([
  v.strictObject({
    name: v.optional(v.string()),
    accessKey: v.pipe(
      v.string(),
      v.regex(/^[\w.-]{1,128}$/, "must be 1 to 128 letters, digits, _ . -"),
    ),
    secretKey: secretText,
    actions: v.pipe(v.array(v.string()), v.minLength(1, "must name at least one action")),
  }),
  v.strictObject({
    name: v.optional(v.string()),
    token: secretText,
    actions: v.pipe(v.array(v.string()), v.minLength(1, "must name at least one action")),
  }),
], "must be {accessKey, secretKey, actions} or {token, actions}");

/** Who is calling, once authenticated. */
export interface Caller {
  /** The key's name (or its access key; bearer keys without a name show as `bearer #n`). */
  name: string;
  /** Actions the key may call. */
  allowed: ReadonlySet<string>;
}

/** Why a request was not authenticated. */
export interface AuthFailure {
  /** Short machine-readable reason. */
  reason: string;
  /** A sentence for the caller. */
  message: string;
}

const encoder = new TextEncoder();
const digest = async (text: string) =>
  new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));

/** Compares two equal-length byte arrays in time that does not depend on where they differ. */
const sameBytes = (a: Uint8Array, b: Uint8Array) => {
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) difference |= a[i] ^ b[i % b.length];
  return difference == 0;
};

/**
 * Resolves a key's `actions` entries into action names.
 *
 * @throws {WangsuValidationError} For an entry that names nothing.
 */
const resolveScope = (
  entries: string[],
  actions: readonly DescribedAction[],
  path: string,
): Set<string> => {
  const allowed = new Set<string>();
  for (const [index, entry] of entries.entries()) {
    const matched = actions.filter((action) =>
      entry == "*" || action.name == entry || action.resource == entry ||
      (entry == "read" && action.readOnly)
    );
    if (!matched.length) {
      throw new WangsuValidationError([{
        path: `${path}.actions.${index}`,
        rule: "scope",
        message: `${path}.actions.${index}: "${entry}" is no action, resource, "read" or "*"`,
      }]);
    }
    for (const action of matched) allowed.add(action.name);
  }
  return allowed;
};

/** Options of {@link createAuthenticator}. */
export interface AuthenticatorOptions {
  /** The caller keys. */
  keys: readonly GatewayKeyConfig[];
  /** The actions the gateway serves. */
  actions: readonly DescribedAction[];
  /** Clock, Unix ms. */
  now: () => number;
  /** Allowed timestamp skew for signed requests, seconds. */
  maxSkewSeconds: number;
}

/**
 * Checks the key configuration and returns the authenticator.
 *
 * @throws {WangsuValidationError} When a key is malformed, a scope names nothing, or an access
 *   key or token is configured twice.
 */
export function createAuthenticator(
  options: AuthenticatorOptions,
): (request: Request) => Promise<Caller | AuthFailure> {
  const signed = new Map<string, { secret: string; caller: Caller }>();
  const bearers: { caller: Caller; token: string }[] = [];
  for (const [index, raw] of options.keys.entries()) {
    const path = `keys.${index}`;
    const parsed = v.safeParse(keySchema, raw);
    if (!parsed.success) {
      throw new WangsuValidationError(
        toValidationIssues(parsed.issues).map((issue) => ({
          ...issue,
          path: issue.path ? `${path}.${issue.path}` : path,
          message: `${path}.${issue.message}`,
        })),
      );
    }
    const key = parsed.output;
    const allowed = resolveScope(key.actions, options.actions, path);
    if ("token" in key) {
      if (bearers.some((b) => b.token == key.token)) {
        throw new WangsuValidationError([{
          path: `${path}.token`,
          rule: "unique",
          message: `${path}.token: configured twice`,
        }]);
      }
      bearers.push({ token: key.token, caller: { name: key.name ?? `bearer #${index}`, allowed } });
    } else {
      if (signed.has(key.accessKey)) {
        throw new WangsuValidationError([{
          path: `${path}.accessKey`,
          rule: "unique",
          message: `${path}.accessKey: configured twice`,
        }]);
      }
      signed.set(key.accessKey, {
        secret: key.secretKey,
        caller: { name: key.name ?? key.accessKey, allowed },
      });
    }
  }
  const tokenDigests = Promise.all(
    bearers.map(async (b) => ({ caller: b.caller, digest: await digest(b.token) })),
  );
  const verify = createSignatureVerifier({
    lookupSecret: (accessKey) => signed.get(accessKey)?.secret,
    now: options.now,
    maxSkewSeconds: options.maxSkewSeconds,
  });

  return async (request) => {
    const authorization = request.headers.get("authorization") ?? "";
    if (/^bearer /i.test(authorization)) {
      const presented = await digest(authorization.slice(7).trim());
      let match: Caller | undefined;
      for (const candidate of await tokenDigests) {
        if (sameBytes(presented, candidate.digest)) match = candidate.caller;
      }
      return match ?? { reason: "unknown-token", message: "Unknown bearer token" };
    }
    const result = await verify(request);
    if (!result.ok) {
      return {
        reason: result.reason,
        message: result.reason == "missing-header" && !authorization
          ? "Send a gateway-issued CNC-HMAC-SHA256 signature or a bearer token"
          : result.message,
      };
    }
    return signed.get(result.accessKey)!.caller;
  };
}

/**
 * Caller keys of the gateway: configuration (from JSON), scopes, and authentication of a request
 * by a gateway-issued access/secret pair (CNC-HMAC-SHA256, so vendor SDKs work unchanged) or by a
 * bearer token (for browsers). Every comparison is constant-time.
 *
 * @module
 */

import type { CatalogEntry } from "../action.ts";
import { type ValidationIssue, WangsuValidationError } from "../errors.ts";
import type { VerifiedSignature } from "../server/replay_guard.ts";

/**
 * A caller's quota: at most `limit` requests forwarded in any `windowSeconds`, counted across
 * every isolate of the gateway. Keys that share a `name` share the quota (as during a rotation).
 */
export interface KeyRateLimit {
  /** Requests allowed per window. */
  limit: number;
  /** The window, seconds. */
  windowSeconds: number;
}

/**
 * A caller key as configured. `actions` lists what the key may call: action names
 * (`getChannelList`), resource names (`channels`, `pull-channels`, `live-state`, `recording`,
 * `directories`, `forwarding`), `read` (every read-only action) or `*` (everything). `rateLimit`
 * is the key's quota: by default half the account budget (so no one key can spend it all), or
 * `false` to opt out explicitly. `urls` lets the key have push and/or play URLs signed at
 * `POST /urls/push` and `/urls/play` (none by default; it spends no budget or quota).
 * `objects` is what the key may act on: `"own"` (the default) only the objects its tenant (its
 * `name`, so rotated keys keep their objects) created or was granted, `"all"` every object of the
 * account. `admin: true` lets the key grant and revoke ownership at `/admin/ownership`.
 */
export type GatewayKeyConfig =
  & { name?: string; actions: string[]; rateLimit?: KeyRateLimit | false; urls?: UrlRight[] }
  & { objects?: "own" | "all"; admin?: boolean }
  & ({ accessKey: string; secretKey: string } | { token: string });

/** The kinds of signed URL a key may be given (see {@link GatewayKeyConfig}'s `urls`). */
export type UrlRight = "push" | "play";
const URL_RIGHTS: readonly string[] = ["push", "play"] satisfies UrlRight[];

type Rule = (value: unknown) => [rule: string, text: string] | undefined;
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value == "object" && value != null && !Array.isArray(value);
/**
 * How many bits a secret's own letters carry at most: its length times the Shannon entropy of
 * its character frequencies. A crude bound (it cannot see dictionary words), but it refuses the
 * secrets an attacker guesses first: one character repeated, short cycles, padding.
 */
const estimatedBits = (text: string) => {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) bits -= count * Math.log2(count / text.length);
  return bits;
};
/** Whether `text` is a shorter run repeated (`abcdabcd…`, `passwordpassword`). */
const periodic = (text: string) => {
  for (let period = 1; period * 2 <= text.length; period++) {
    let i = period;
    while (i < text.length && text[i] == text[i - period]) i++;
    if (i == text.length) return true;
  }
  return false;
};
/** Fewest estimated bits a secret or token must carry (16 random hex digits carry 64). */
const MIN_SECRET_BITS = 48;
const secretText: Rule = (value) =>
  typeof value != "string"
    ? ["type", "must be a string"]
    : value.length < 16
    ? ["min_length", "must be at least 16 characters"]
    : value.length > 512
    ? ["max_length", "must be at most 512 characters"]
    // deno-lint-ignore no-control-regex
    : /[\s\x00-\x1f\x7f]/.test(value)
    ? ["format", "must hold no spaces or control characters"]
    : estimatedBits(value) < MIN_SECRET_BITS || periodic(value)
    ? [
      "entropy",
      "is too easy to guess (repeated or too few distinct characters): use 32 random characters",
    ]
    : undefined;
const wholeNumber: Rule = (value) =>
  typeof value != "number" || !Number.isInteger(value)
    ? ["type", "must be a whole number"]
    : value < 1
    ? ["min_value", "must be at least 1"]
    : undefined;
const KEY_FIELDS: Record<string, Rule> = {
  name: (value) => typeof value == "string" ? undefined : ["type", "must be a string"],
  actions: (value) =>
    !Array.isArray(value) || value.some((entry) => typeof entry != "string")
      ? ["type", "must be an array of strings"]
      : value.length
      ? undefined
      : ["min_length", "must name at least one action"],
  token: secretText,
  accessKey: (value) =>
    typeof value == "string" && /^[\w.-]{1,128}$/.test(value)
      ? undefined
      : ["regex", "must be 1 to 128 letters, digits, _ . -"],
  secretKey: secretText,
};

/**
 * The problems of one configured key, each naming its field. A key with a `token` is a bearer
 * key; any other is read as an access/secret pair.
 */
const keyIssues = (raw: unknown, path: string): ValidationIssue[] => {
  const issue = (at: string, rule: string, text: string) => ({
    path: at,
    rule,
    message: `${at}: ${text}`,
  });
  if (!isRecord(raw)) return [issue(path, "type", "must be an object")];
  const required = "token" in raw ? ["actions", "token"] : ["actions", "accessKey", "secretKey"];
  const issues: ValidationIssue[] = [];
  for (const field of required) {
    if (raw[field] === undefined) issues.push(issue(`${path}.${field}`, "required", "is required"));
  }
  for (const [field, value] of Object.entries(raw)) {
    const at = `${path}.${field}`;
    if (field == "rateLimit") {
      if (value === undefined || value === false) continue;
      if (!isRecord(value)) {
        issues.push(issue(at, "type", "must be an object { limit, windowSeconds }"));
        continue;
      }
      for (const part of ["limit", "windowSeconds"]) {
        const failed = wholeNumber(value[part]);
        if (failed) issues.push(issue(`${at}.${part}`, ...failed));
      }
      for (const extra of Object.keys(value)) {
        if (extra != "limit" && extra != "windowSeconds") {
          issues.push(issue(`${at}.${extra}`, "unknown_field", "is not a field of a quota"));
        }
      }
      continue;
    }
    if (field == "objects" || field == "admin") {
      const failed: [string, string] | undefined = field == "objects"
        ? value === "own" || value === "all" ? undefined : ["picklist", 'must be "own" or "all"']
        : typeof value == "boolean"
        ? undefined
        : ["type", "must be true or false"];
      if (failed) issues.push(issue(at, ...failed));
      continue;
    }
    if (field == "urls") {
      if (!Array.isArray(value)) {
        issues.push(issue(at, "type", 'must be an array of "push" and/or "play"'));
        continue;
      }
      value.forEach((right, index) => {
        if (!URL_RIGHTS.includes(right)) {
          issues.push(issue(`${at}.${index}`, "picklist", 'must be "push" or "play"'));
        }
      });
      continue;
    }
    const check = required.includes(field) || field == "name" ? KEY_FIELDS[field] : undefined;
    if (!check) {
      issues.push(issue(at, "unknown_field", "is not a field of this kind of key"));
    } else {
      const failed = value === undefined ? undefined : check(value);
      if (failed) issues.push(issue(at, ...failed));
    }
  }
  return issues;
};

/**
 * How many distinct callers a key list names: keys that share a `name` are one caller (as during
 * a rotation); a key without one is named by its access key, or is a caller of its own.
 *
 * @param keys The configured keys (checked or not).
 * @returns The number of callers.
 */
export function countCallers(keys: readonly unknown[]): number {
  return new Set(keys.map((key, index) => {
    const { name, accessKey } = (isRecord(key) ? key : {}) as Record<string, unknown>;
    return typeof name == "string" ? name : typeof accessKey == "string" ? accessKey : index;
  })).size;
}

/** Who is calling, once authenticated. */
export interface Caller {
  /** The key's name (or its access key; bearer keys without a name show as `bearer #n`). */
  name: string;
  /** How the caller authenticated. */
  kind: "signed" | "bearer";
  /** Actions the key may call. */
  allowed: ReadonlySet<string>;
  /** The key's quota, if it has one. */
  rateLimit?: KeyRateLimit;
  /** The kinds of URL the key may have signed (`POST /urls/push`, `/urls/play`). */
  urls?: ReadonlySet<UrlRight>;
  /**
   * What the key may act on: only its tenant's objects (`"own"`, also when not set), or all of
   * the account's.
   */
  objects?: "own" | "all";
  /** Whether the key may grant and revoke ownership. */
  admin?: true;
  /**
   * A signed caller's verified signature, remembered (to refuse replays) only once the request
   * is known to be in scope and valid.
   */
  signature?: VerifiedSignature;
}

/** Why a request was not authenticated. */
export interface AuthFailure {
  /** Short machine-readable reason. */
  reason: string;
  /** A sentence for the caller. */
  message: string;
  /** The reason for the audit log, where it differs from what the caller is told. */
  audited?: string;
}

/**
 * Resolves a key's `actions` entries into action names.
 *
 * @throws {WangsuValidationError} For an entry that names nothing.
 */
const resolveScope = (
  entries: string[],
  actions: readonly CatalogEntry[],
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
  actions: readonly CatalogEntry[];
  /** Clock, Unix ms. */
  now: () => number;
  /** Allowed timestamp skew for signed requests, seconds. */
  maxSkewSeconds: number;
  /** The quota of keys that configure none (`rateLimit: false` opts a key out). */
  defaultRateLimit?: KeyRateLimit;
}

/** Refuses a configured secret that another key already uses. */
const unique = (seen: Map<string, string>, secret: string, path: string) => {
  const first = seen.get(secret);
  if (first) {
    throw new WangsuValidationError([{
      path,
      rule: "unique",
      message: `${path}: is the same secret as ${first}; each key needs its own (a signature ` +
        "does not cover the access key, so keys sharing a secret could pass as each other)",
    }]);
  }
  seen.set(secret, path);
};

/**
 * Checks the key configuration and returns the authenticator. It reads a signed request's body
 * with `readBody` when given (the gateway's, which keeps it for later), otherwise from a clone.
 * A signed caller comes back with its verified `signature`, not yet remembered: the gateway
 * remembers it once the request is in scope and valid.
 *
 * @throws {WangsuValidationError} When a key is malformed, a scope names nothing, an access key
 *   or token is configured twice, or two keys share a secret.
 */
export function createAuthenticator(
  options: AuthenticatorOptions,
): (request: Request, readBody?: () => Promise<string>) => Promise<Caller | AuthFailure> {
  const signed = new Map<string, { secret: string; caller: Caller }>();
  const bearers: { caller: Caller; token: string }[] = [];
  const secrets = new Map<string, string>();
  for (const [index, raw] of options.keys.entries()) {
    const path = `keys.${index}`;
    const issues = keyIssues(raw, path);
    if (issues.length) throw new WangsuValidationError(issues);
    const key = raw as GatewayKeyConfig;
    const allowed = resolveScope(key.actions, options.actions, path);
    const rateLimit = key.rateLimit === false
      ? undefined
      : key.rateLimit ?? options.defaultRateLimit;
    const limits = {
      ...(rateLimit ? { rateLimit } : {}),
      ...(key.urls?.length ? { urls: new Set(key.urls) } : {}),
      objects: key.objects ?? "own",
      ...(key.admin ? { admin: true as const } : {}),
    };
    if ("token" in key) {
      unique(secrets, key.token, `${path}.token`);
      bearers.push({
        token: key.token,
        caller: { name: key.name ?? `bearer #${index}`, kind: "bearer", allowed, ...limits },
      });
    } else {
      if (signed.has(key.accessKey)) {
        throw new WangsuValidationError([{
          path: `${path}.accessKey`,
          rule: "unique",
          message: `${path}.accessKey: configured twice`,
        }]);
      }
      unique(secrets, key.secretKey, `${path}.secretKey`);
      signed.set(key.accessKey, {
        secret: key.secretKey,
        caller: { name: key.name ?? key.accessKey, kind: "signed", allowed, ...limits },
      });
    }
  }
  // Loaded and digested with the first bearer request, not by every isolate at start-up (the
  // SHA-256 module sets up its tables when loaded).
  let digests: typeof import("./secret_digest.ts") | undefined;
  let tokenDigests: { caller: Caller; digest: Uint8Array }[] | undefined;
  // The verifier (and the signing code with it) is loaded on the first signed request.
  let verifier: Promise<typeof import("../verifier.ts")["verifyRequest"]> | undefined;
  const lookupSecret = (accessKey: string) => signed.get(accessKey)?.secret;

  return async (request, readBody) => {
    const authorization = request.headers.get("authorization") ?? "";
    if (/^bearer /i.test(authorization)) {
      const { digest, sameBytes } = digests ??= await import("./secret_digest.ts");
      const presented = digest(authorization.slice(7).trim());
      let match: Caller | undefined;
      tokenDigests ??= bearers.map((b) => ({ caller: b.caller, digest: digest(b.token) }));
      for (const candidate of tokenDigests) {
        if (sameBytes(presented, candidate.digest)) match = candidate.caller;
      }
      return match ?? { reason: "unknown-token", message: "Unknown bearer token" };
    }
    const verifyRequest =
      await (verifier ??= import("../verifier.ts").then((module) => module.verifyRequest));
    const result = await verifyRequest(request, lookupSecret, {
      now: options.now() / 1000,
      maxSkewSeconds: options.maxSkewSeconds,
      body: await readBody?.(),
    });
    if (!result.ok) {
      // An unknown access key is answered as a wrong signature (the verifier does the same work
      // for both), so that callers cannot learn which keys exist; the audit keeps the difference.
      const unknown = result.reason == "unknown-key";
      return {
        reason: unknown ? "bad-signature" : result.reason,
        message: result.reason == "missing-header" && !authorization
          ? "Send a gateway-issued CNC-HMAC-SHA256 signature or a bearer token"
          : unknown
          ? "Signature does not match the request"
          : result.message,
        ...(unknown ? { audited: "unknown-key" } : {}),
      };
    }
    const { accessKey, signature, timestamp } = result;
    return { ...signed.get(accessKey)!.caller, signature: { accessKey, signature, timestamp } };
  };
}

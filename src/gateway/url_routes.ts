/**
 * `POST /urls/push` and `POST /urls/play`: the gateway signs a push or play URL with the domain's
 * timestamp anti-leech rule, for keys with the `urls` right. Offline: no upstream request, no
 * account budget or key quota spent, so one gateway can hand a URL to every viewer. Loaded with
 * the first URL request.
 *
 * The body is `{ url, expiresIn? | expiresAt? }`: the URL the caller composed (the channel's push
 * domain and stream, or a play URL), not a `pullId`, since finding a channel's domain and stream
 * from its `pullId` takes an API call, which this route exists to avoid.
 *
 * @module
 */

import { type ValidationIssue, WangsuValidationError } from "../errors.ts";
import { signLiveUrl } from "../url_signing/sign.ts";
import type { AuditEntry } from "./audit.ts";
import { GatewayError } from "./gateway_error.ts";
import type { Caller, UrlRight } from "./keys.ts";
import type { StateStore } from "../server/state_store.ts";
import { askStore, ownOnly, ownsObjects } from "./steps/ownership.ts";
import { type Authenticate, authenticateRequest } from "./steps/authenticate.ts";
import { checkReplay, type RememberSignature } from "./steps/replay.ts";
import type { ParsedUrlRules } from "./url_rules.ts";

/**
 * The paths the platform's push and play URLs have: `/<app>/<stream>` with an optional file
 * extension (`rtmp://push.example.com/live/s`, `http://play.example.com/live/s.flv`), or
 * `/<app>/<stream>/playlist.m3u8` (HLS) and `/<app>/<stream>/manifest.f4m` (HDS). App and stream
 * are letters, digits, `_` and `-`. Any other path could name a second stream that the edge reads
 * but the tenancy check does not, so it is not signed.
 */
const STREAM_PATH =
  /^\/[A-Za-z0-9_-]+\/([A-Za-z0-9_-]+)(?:\.[A-Za-z0-9]{1,8}|\/(?:playlist\.m3u8|manifest\.f4m))?$/;
/** A separator written percent-encoded (`%2F`, `%5C`), which a server may decode after signing. */
const ENCODED_SEPARATOR = /%(2f|5c)/i;
/** The rule a URL's path must follow, as told to a caller. */
const PATH_RULE = "the path must be /<app>/<stream>[.ext] or " +
  "/<app>/<stream>/playlist.m3u8 or /<app>/<stream>/manifest.f4m (letters, digits, _ and -)";

/**
 * The channel id a URL names, for tenancy: its stream (`/<app>/<stream>`, see `STREAM_PATH`),
 * less the suffixes of the bit-rate, smart-HD and audio variants (`_fluent`, `_sd`, `_high`, `_hd`,
 * `_zkgq`, `_audio`). For a pull-mode channel the stream is its `pullId`; a push-mode channel's
 * stream is its push id, which the gateway's ownership records do not hold yet, so an `own` key
 * is refused those (see the report of issue 31).
 *
 * @param url The URL to sign.
 * @returns The id, or nothing when the path is not one of the platform's shapes.
 */
export const channelIdOf = (url: URL): string | undefined => {
  const stream = STREAM_PATH.exec(url.pathname)?.[1];
  return stream
    ? stream.replace(/(_(fluent|sd|high|hd))?(_zkgq)?$/, "").replace(/_audio$/, "") || undefined
    : undefined;
};

/** What the URL route is made with. */
export interface UrlIssuerOptions {
  /** The parsed rules, by kind and domain. */
  rules: ParsedUrlRules;
  /** The gateway's authenticator. */
  authenticate: Authenticate;
  /** The gateway's memory of signatures (a signed request is taken once). */
  remember: RememberSignature;
  /** Clock, Unix ms. */
  now: () => number;
  /** The gateway's shared state, whose ownership records say which channels a tenant owns. */
  store: StateStore;
}

/** One URL request: its kind and its audit entry. */
export interface UrlRequest {
  /** `push` or `play`, from the path. */
  kind: UrlRight;
  /** The request's audit entry (the caller's key name is written to it). */
  audit: AuditEntry;
}

/**
 * Signs the URL a request asks for.
 *
 * @returns The answer's JSON text: `{ url, time, expiresAt }`.
 * @throws {GatewayError} 401 not authenticated or replayed, 403 without the right or (an `own`
 *   key) for a channel its tenant does not own, 400 a bad body naming each field
 *   (`invalid-body`, with `issues`), 503 when the ownership records cannot answer.
 */
export type IssueUrl = (request: Request, run: UrlRequest) => Promise<string>;

const FIELDS = new Set(["url", "expiresIn", "expiresAt"]);

/** Refuses an `own` key a URL whose stream is not a channel its tenant owns. */
const checkOwner = async (
  store: StateStore,
  caller: Caller,
  url: URL,
  now: () => number,
) => {
  const id = channelIdOf(url);
  const owned = id !== undefined &&
    await askStore(ownsObjects(store, caller, "channel", [id], now));
  if (!owned) {
    throw new GatewayError(
      403,
      "not-owned",
      `Key ${caller.name} does not own the channel of stream ${id ?? "(none)"}`,
      { details: { reason: "not-owned" } },
    );
  }
};

const invalid = (issues: ValidationIssue[]) =>
  new GatewayError(400, "invalid-body", issues.map((issue) => issue.message).join("; "), {
    details: { issues },
  });
/** An issue at `path` (not `issueOf`: a field named "" is named "" here, not "input"). */
const issue = (path: string, rule: string, text: string): ValidationIssue => ({
  path,
  rule,
  message: `${path}: ${text}`,
});

/**
 * Refuses a life longer than the gateway's maximum (other checks of the two fields, their types
 * and the rule's mode, are the signer's).
 */
const checkLife = (max: number, now: number, expiresIn: unknown, expiresAt: unknown) => {
  if (typeof expiresIn == "number" && expiresIn > max) {
    throw invalid([issue("expiresIn", "max_value", `must be at most ${max} seconds`)]);
  }
  if (typeof expiresAt == "number" && expiresAt - now > max) {
    throw invalid([issue(
      "expiresAt",
      "max_value",
      `must be at most ${max} seconds ahead (Unix seconds, at most ${Math.floor(now + max)})`,
    )]);
  }
};

/**
 * Creates the URL route's handler.
 *
 * @param options The rules, the authenticator, the signature memory, the clock and the state.
 * @returns The handler.
 */
export function createUrlIssuer(options: UrlIssuerOptions): IssueUrl {
  return async (request, { kind, audit }) => {
    const { caller, readBody } = await authenticateRequest(options.authenticate, request, audit);
    if (!caller.urls?.has(kind)) {
      throw new GatewayError(403, "out-of-scope", `Key ${caller.name} may not sign ${kind} URLs`);
    }
    let input: unknown;
    try {
      input = JSON.parse(await readBody());
    } catch {
      throw invalid([issue("", "json", "the body must be JSON: { url, expiresIn }")]);
    }
    if (typeof input != "object" || input === null || Array.isArray(input)) {
      throw invalid([issue("", "type", "the body must be a JSON object: { url, expiresIn }")]);
    }
    const fields = input as Record<string, unknown>;
    const unknown = Object.keys(fields).filter((field) => !FIELDS.has(field));
    if (unknown.length) {
      throw invalid(
        unknown.map((field) =>
          issue(field, "unknown_field", "is not a field (url, expiresIn, expiresAt)")
        ),
      );
    }
    const { url, expiresIn, expiresAt } = fields;
    if (typeof url != "string") {
      throw invalid([issue("url", url === undefined ? "required" : "type", "must be a URL")]);
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw invalid([issue("url", "url", "must be an absolute URL")]);
    }
    if (ENCODED_SEPARATOR.test(parsed.pathname)) {
      throw invalid([issue(
        "url",
        "encoded_separator",
        `must not hold an encoded / or \\ (%2F, %5C); ${PATH_RULE}`,
      )]);
    }
    if (!STREAM_PATH.test(parsed.pathname)) {
      throw invalid([issue("url", "stream_path", PATH_RULE)]);
    }
    const rule = options.rules[kind].get(parsed.hostname.toLowerCase());
    if (!rule) {
      throw invalid([issue(
        "url",
        "domain",
        `${parsed.hostname} is not a ${kind} domain of this gateway (${
          [...options.rules[kind].keys()].join(", ") || "none"
        })`,
      )]);
    }
    const now = options.now() / 1000;
    checkLife(options.rules.maxExpiresIn, now, expiresIn, expiresAt);
    if (ownOnly(caller)) await checkOwner(options.store, caller, parsed, options.now);
    let signed;
    try {
      signed = signLiveUrl(url, rule, {
        now,
        expiresIn: expiresIn as number | undefined,
        expiresAt: expiresAt as number | undefined,
      });
    } catch (error) {
      if (error instanceof WangsuValidationError) throw invalid(error.issues);
      throw error;
    }
    const replay = await checkReplay(options.remember, caller);
    if (replay) audit.replay = replay;
    return JSON.stringify(signed);
  };
}

/**
 * The gateway's timestamp anti-leech rules, by push and play domain, checked once when the
 * gateway is created: a bad rule stops it, naming `urlRules.<push|play>.<domain>.<field>` and
 * never a key. Only the rule parser is loaded here; signing loads with the first URL request.
 *
 * @module
 */

import { issueOf, type ValidationIssue, WangsuValidationError } from "../errors.ts";
import {
  issuesUnder,
  type LiveUrlRule,
  parseLiveUrlRule,
  type TimestampAntiLeechRule,
} from "../url_signing/rule.ts";

/**
 * The rules the gateway signs with: each push domain's and each play domain's, as the vendor's
 * domain-configuration API returns them (or parsed by `parseLiveUrlRule`). `POST /urls/push`
 * signs only URLs of a push domain listed here, `/urls/play` only of a play domain.
 */
export interface GatewayUrlRules {
  /** Rules of push domains, by domain (`push.example.com`). */
  push?: Readonly<Record<string, TimestampAntiLeechRule | LiveUrlRule>>;
  /** Rules of play domains, by domain (`play.example.com`). */
  play?: Readonly<Record<string, TimestampAntiLeechRule | LiveUrlRule>>;
  /**
   * The longest life a caller may ask for, in seconds: `expiresIn` at most this, `expiresAt` at
   * most this far ahead (default 86 400, 24 hours; `GATEWAY_URL_MAX_EXPIRES_IN`). A `duration`
   * rule's life is its own `effectiveTime`, which the operator sets.
   */
  maxExpiresIn?: number;
}

/** The default of `maxExpiresIn`: 24 hours. */
export const DEFAULT_MAX_EXPIRES_IN = 86_400;

/** The rules, parsed: by kind, then by lower-case domain, and the longest life a URL may have. */
export type ParsedUrlRules =
  & Readonly<Record<"push" | "play", ReadonlyMap<string, LiveUrlRule>>>
  & { readonly maxExpiresIn: number };

const DOMAIN =
  /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value == "object" && value !== null && !Array.isArray(value);

/**
 * Checks and parses the gateway's URL rules.
 *
 * @param rules The rules, by kind and domain.
 * @returns The parsed rules.
 * @throws {WangsuValidationError} Naming `urlRules.<kind>.<domain>.<field>` for each problem
 *   (never a key's value).
 */
export function parseUrlRules(rules: GatewayUrlRules): ParsedUrlRules {
  const issues: ValidationIssue[] = [];
  const problem = (path: string, rule: string, text: string) =>
    issues.push(issueOf(path, rule, text));
  const parsed = {
    push: new Map<string, LiveUrlRule>(),
    play: new Map<string, LiveUrlRule>(),
    maxExpiresIn: DEFAULT_MAX_EXPIRES_IN,
  };
  if (!isRecord(rules)) {
    problem("urlRules", "type", "must be an object { push?: {...}, play?: {...} }");
    throw new WangsuValidationError(issues);
  }
  for (const [kind, domains] of Object.entries(rules)) {
    const at = `urlRules.${kind}`;
    if (kind == "maxExpiresIn") {
      if (domains === undefined) continue;
      if (!Number.isSafeInteger(domains) || (domains as number) < 1) {
        problem(at, "min_value", "must be a whole number of seconds above 0");
      } else parsed.maxExpiresIn = domains as number;
      continue;
    }
    if (kind != "push" && kind != "play") {
      problem(at, "unknown_field", 'is not a field of urlRules ("push", "play", "maxExpiresIn")');
      continue;
    }
    if (domains === undefined) continue;
    if (!isRecord(domains)) {
      problem(at, "type", "must be an object of rules by domain");
      continue;
    }
    for (const [domain, rule] of Object.entries(domains)) {
      const path = `${at}.${domain}`;
      if (!DOMAIN.test(domain)) {
        problem(path, "domain", "must be a domain name (push.example.com)");
        continue;
      }
      try {
        parsed[kind].set(domain.toLowerCase(), parseLiveUrlRule(rule as TimestampAntiLeechRule));
      } catch (error) {
        if (!(error instanceof WangsuValidationError)) throw error;
        issues.push(...issuesUnder(path, error.issues));
      }
    }
  }
  if (issues.length) throw new WangsuValidationError(issues);
  return parsed;
}

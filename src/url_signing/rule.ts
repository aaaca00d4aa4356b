/**
 * A push or play domain's timestamp anti-leech rule, as the vendor's domain-configuration API
 * returns it (`live-timestampvisitcontrol`; field names as the vendor spells them, including
 * `ciphe_combination`), and its parsing into a checked, frozen {@link LiveUrlRule} whose keys
 * never show in JSON, `String()` or the console.
 *
 * What the vendor does not document is set by {@link InferredSigningOptions}: each inference is
 * one option away from being changed.
 *
 * @module
 */

import { issueOf, type ValidationIssue, WangsuValidationError } from "../errors.ts";

/** The six orders in which key, path and time are concatenated before hashing. */
export const CIPHER_COMBINATIONS = [
  "key+path+time",
  "key+time+path",
  "path+key+time",
  "path+time+key",
  "time+path+key",
  "time+key+path",
] as const;

/** One of the six concatenation orders (the vendor's `ciphe_combination`). */
export type CipherCombination = typeof CIPHER_COMBINATIONS[number];

/** The time's format in the URL: Unix seconds in decimal (`UNIX timestamp`) or hexadecimal. */
export type TimeFormat = "UNIX timestamp" | "hex";

/**
 * How the edge reads the time: `duration` (the URL's time is when it was signed; it is valid for
 * `effectiveTime` seconds), `abstime` (the URL's time is its absolute expiry, at most 3652 days
 * ahead), or `no verification` (the time is hashed but not checked).
 */
export type EffectiveTimeMode = "duration" | "abstime" | "no verification";

/**
 * What the vendor does not document, each settable. The defaults are this SDK's inferences, to be
 * checked against a real edge; change one here rather than in code.
 */
export interface InferredSigningOptions {
  /** Letter case of the MD5 signature's hexadecimal digits (default `lower`). */
  digestCase?: "lower" | "upper";
  /** Letter case of a hexadecimal time, in the URL and in the hash (default `lower`). */
  hexTimeCase?: "lower" | "upper";
  /** Whether the signed path keeps the URL path's leading `/` (default `true`: `/live/s`). */
  pathLeadingSlash?: boolean;
  /** Whether the last segment's file extension (`.flv`, `.m3u8`) is signed (default `keep`). */
  pathExtension?: "keep" | "strip";
  /**
   * Whether the URL's other query parameters (all but the signature and the time, as sent) follow
   * the path in the hash, after a `?` (default `exclude`: the path alone).
   */
  pathQuery?: "exclude" | "include";
  /** The path as sent, percent-encoded (default `as-sent`), or percent-decoded to UTF-8. */
  pathEncoding?: "as-sent" | "decoded";
  /**
   * Where `tolerantTime` widens the validity window: at both ends (default `both-ends`), or only
   * before the start (`start-only`: a signer whose clock runs fast, the vendor's example).
   */
  tolerance?: "both-ends" | "start-only";
}

/** The inferred defaults (see {@link InferredSigningOptions}). */
export const INFERRED_DEFAULTS: Readonly<Required<InferredSigningOptions>> = Object.freeze({
  digestCase: "lower",
  hexTimeCase: "lower",
  pathLeadingSlash: true,
  pathExtension: "keep",
  pathQuery: "exclude",
  pathEncoding: "as-sent",
  tolerance: "both-ends",
});

/**
 * A domain's timestamp anti-leech rule as the vendor's API returns it: paste it or load it. Whole
 * seconds may be numbers or the vendor's strings of digits. Other fields are ignored.
 */
export interface TimestampAntiLeechRule {
  /** The signature's query parameter (default `wsSecret`). */
  cipherParam?: string;
  /** The time's query parameter (default `wsTime`). */
  timeParam?: string;
  /** The shared key; it signs. Either this or {@link signKeys} is required. */
  secretKey?: string;
  /**
   * Several keys, for rotation (the newer domain API's name): accepted when checking; the first
   * signs when there is no {@link secretKey}, which otherwise comes first.
   */
  signKeys?: string[];
  /** Decimal Unix seconds (`UNIX timestamp`) or hexadecimal (`hex`). */
  timeFormat: TimeFormat;
  /** `duration`, `abstime` or `no verification`. */
  effectiveTimeMode: EffectiveTimeMode;
  /** Seconds a URL is valid from its time; required in `duration` mode. */
  effectiveTime?: number | string;
  /** Seconds of allowance for clocks apart (default 0). */
  tolerantTime?: number | string;
  /** The concatenation order before hashing (the vendor's spelling of the field). */
  ciphe_combination: CipherCombination;
  /** This SDK's settings for what the vendor does not document (not a vendor field). */
  inferred?: InferredSigningOptions;
}

/** A checked rule, from {@link parseLiveUrlRule}. Its keys are held out of sight. */
export interface LiveUrlRule {
  /** The signature's query parameter. */
  readonly cipherParam: string;
  /** The time's query parameter. */
  readonly timeParam: string;
  /** The time's format. */
  readonly timeFormat: TimeFormat;
  /** How the time is checked. */
  readonly effectiveTimeMode: EffectiveTimeMode;
  /** Seconds a URL is valid from its time, in `duration` mode. */
  readonly effectiveTime?: number;
  /** Seconds of allowance. */
  readonly tolerantTime: number;
  /** The concatenation order. */
  readonly ciphe_combination: CipherCombination;
  /** How many keys are accepted (the first signs). */
  readonly keyCount: number;
  /** The inferences in force, defaults filled in. */
  readonly inferred: Readonly<Required<InferredSigningOptions>>;
}

/** Internal: what a parsed rule holds out of sight. */
export interface RuleSecrets {
  /** The keys, the signing one first. */
  keys: readonly string[];
  /** The concatenation order as parts. */
  order: readonly ("key" | "path" | "time")[];
}

const secrets = new WeakMap<object, RuleSecrets>();

/** Internal: the keys and order of a rule made by {@link parseLiveUrlRule}. */
export const secretsOf = (rule: LiveUrlRule): RuleSecrets => secrets.get(rule)!;

const TIME_FORMATS: readonly TimeFormat[] = ["UNIX timestamp", "hex"];
const MODES: readonly EffectiveTimeMode[] = ["duration", "abstime", "no verification"];
const INFERRED_CHOICES: Record<keyof InferredSigningOptions, readonly unknown[]> = {
  digestCase: ["lower", "upper"],
  hexTimeCase: ["lower", "upper"],
  pathLeadingSlash: [true, false],
  pathExtension: ["keep", "strip"],
  pathQuery: ["exclude", "include"],
  pathEncoding: ["as-sent", "decoded"],
  tolerance: ["both-ends", "start-only"],
};
const QUERY_NAME = /^[A-Za-z0-9_.~-]+$/;
const REDACTED = "[redacted]";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value == "object" && value !== null && !Array.isArray(value);

const choices = (values: readonly unknown[]) => values.map((value) => `"${value}"`).join(", ");

/**
 * Internal: a rule's issues under `prefix` (where the rule sits, e.g. `urlRules.<domain>`): each
 * path and message start with it; an issue of the rule as a whole (path `""`) is named by it.
 *
 * @param prefix The rule's path; not empty.
 * @param issues The issues {@link parseLiveUrlRule} threw.
 * @returns Each issue, re-rooted.
 */
export const issuesUnder = (
  prefix: string,
  issues: readonly ValidationIssue[],
): ValidationIssue[] =>
  issues.map(({ path, rule, message }) =>
    issueOf(
      path ? `${prefix}.${path}` : prefix,
      rule,
      path && message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message,
    )
  );

/**
 * Checks a domain's rule and returns it parsed: defaults filled in, keys held out of sight. A rule
 * already parsed is returned as it is, so parse once and sign many.
 *
 * @example
 * ```ts
 * import { parseLiveUrlRule } from "@wangsu/sdk/url-signing";
 *
 * const rule = parseLiveUrlRule({
 *   secretKey: "a-key-from-the-console",
 *   timeFormat: "hex",
 *   effectiveTimeMode: "abstime",
 *   ciphe_combination: "time+path+key",
 * });
 * console.log(rule.cipherParam, JSON.stringify(rule).includes("a-key")); // wsSecret false
 * ```
 *
 * @param rule The vendor's rule (an object, or its JSON text), or a rule already parsed.
 * @returns The checked rule.
 * @throws {WangsuValidationError} Naming each bad field and its rule (never a key's value).
 */
export function parseLiveUrlRule(
  rule: TimestampAntiLeechRule | LiveUrlRule | string,
): LiveUrlRule {
  if (typeof rule == "object" && rule !== null && secrets.has(rule)) return rule as LiveUrlRule;
  let raw: unknown = rule;
  if (typeof rule == "string") {
    try {
      raw = JSON.parse(rule);
    } catch {
      // The text may hold a key: not repeated.
      throw new WangsuValidationError([{
        path: "",
        rule: "json",
        message: "rule: must be JSON text of the domain's timestamp anti-leech rule",
      }]);
    }
  }
  if (!isRecord(raw)) {
    throw new WangsuValidationError([{
      path: "",
      rule: "type",
      message: "rule: must be an object (the domain's timestamp anti-leech rule)",
    }]);
  }
  const issues: ValidationIssue[] = [];
  const problem = (path: string, rule: string, text: string) =>
    issues.push(issueOf(path, rule, text));

  const queryName = (field: "cipherParam" | "timeParam", fallback: string) => {
    const value = raw[field] ?? fallback;
    if (typeof value == "string" && QUERY_NAME.test(value)) return value;
    problem(field, "query_name", "must be a query parameter name (letters, digits, _ . ~ -)");
    return fallback;
  };
  const cipherParam = queryName("cipherParam", "wsSecret");
  const timeParam = queryName("timeParam", "wsTime");
  if (cipherParam == timeParam) {
    problem("timeParam", "distinct", `must differ from cipherParam ("${cipherParam}")`);
  }

  const keys: string[] = [];
  if (raw.secretKey !== undefined) {
    if (typeof raw.secretKey != "string") problem("secretKey", "type", "must be a string");
    else if (!raw.secretKey) problem("secretKey", "non_empty", "must not be empty");
    else keys.push(raw.secretKey);
  }
  if (raw.signKeys !== undefined) {
    if (!Array.isArray(raw.signKeys)) {
      problem("signKeys", "type", "must be an array of keys");
    } else {
      raw.signKeys.forEach((key, index) => {
        if (typeof key != "string" || !key) {
          problem(`signKeys.${index}`, "non_empty", "must be a non-empty string");
        } else if (!keys.includes(key)) keys.push(key);
      });
    }
  }
  if (raw.secretKey === undefined && !(Array.isArray(raw.signKeys) && raw.signKeys.length)) {
    problem("secretKey", "required", "required (or signKeys: several keys, the first signs)");
  }

  const pick = <T>(field: string, allowed: readonly T[]): T => {
    const value = raw[field];
    if (value === undefined) problem(field, "required", `required, one of ${choices(allowed)}`);
    else if (!allowed.includes(value as T)) {
      problem(field, "picklist", `must be one of ${choices(allowed)}`);
    }
    return value as T;
  };
  const timeFormat = pick("timeFormat", TIME_FORMATS);
  const effectiveTimeMode = pick("effectiveTimeMode", MODES);

  const seconds = (field: string, fallback: number | undefined, min: number) => {
    const value = raw[field] ?? fallback;
    if (value === undefined) {
      problem(field, "required", `required in duration mode: the seconds a URL is valid`);
      return undefined;
    }
    const number = typeof value == "string" && /^\d{1,15}$/.test(value) ? Number(value) : value;
    if (typeof number != "number" || !Number.isSafeInteger(number)) {
      problem(field, "integer", "must be whole seconds (a number or a string of digits)");
    } else if (number < min) {
      problem(field, "min_value", `must be ${min} or more`);
    } else return number;
  };
  const effectiveTime = effectiveTimeMode == "duration"
    ? seconds("effectiveTime", undefined, 1)
    : undefined;
  const tolerantTime = seconds("tolerantTime", 0, 0) ?? 0;

  const combination = raw.ciphe_combination;
  if (combination === undefined) {
    problem(
      "ciphe_combination",
      "required",
      `required (the vendor's spelling), one of ${CIPHER_COMBINATIONS.join(", ")}`,
    );
  } else if (!CIPHER_COMBINATIONS.includes(combination as CipherCombination)) {
    problem("ciphe_combination", "picklist", `must be one of ${CIPHER_COMBINATIONS.join(", ")}`);
  }

  const inferred: Record<string, unknown> = { ...INFERRED_DEFAULTS };
  if (raw.inferred !== undefined) {
    if (!isRecord(raw.inferred)) problem("inferred", "type", "must be an object of options");
    else {
      for (const [name, value] of Object.entries(raw.inferred)) {
        const allowed = INFERRED_CHOICES[name as keyof InferredSigningOptions];
        if (!allowed) {
          problem(
            `inferred.${name}`,
            "unknown",
            `is not an option (${Object.keys(INFERRED_CHOICES).join(", ")})`,
          );
        } else if (value !== undefined && !allowed.includes(value)) {
          const rule = typeof allowed[0] == "boolean" ? "type" : "picklist";
          problem(`inferred.${name}`, rule, `must be one of ${choices(allowed)}`);
        } else if (value !== undefined) inferred[name] = value;
      }
    }
  }
  if (issues.length) throw new WangsuValidationError(issues);

  const view = {
    cipherParam,
    timeParam,
    timeFormat,
    effectiveTimeMode,
    ...(effectiveTime === undefined ? {} : { effectiveTime }),
    tolerantTime,
    ciphe_combination: combination as CipherCombination,
    keyCount: keys.length,
    inferred: Object.freeze(inferred) as Required<InferredSigningOptions>,
  };
  const show = () => `LiveUrlRule ${JSON.stringify({ ...view, keys: REDACTED })}`;
  const parsed: LiveUrlRule = Object.defineProperties(view, {
    toJSON: { value: () => ({ ...view, keys: REDACTED }) },
    toString: { value: show },
    [Symbol.for("Deno.customInspect")]: { value: show },
    [Symbol.for("nodejs.util.inspect.custom")]: { value: show },
  });
  secrets.set(parsed, {
    keys: Object.freeze(keys),
    order: Object.freeze(
      (combination as string).split("+") as ("key" | "path" | "time")[],
    ),
  });
  return Object.freeze(parsed);
}

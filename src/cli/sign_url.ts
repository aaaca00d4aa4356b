/**
 * `wangsu sign-url <url> [--expires-in <seconds> | --expires-at <unix seconds>]`: signs a push or
 * play URL offline with the domain's timestamp anti-leech rule, read from `WANGSU_URL_RULE` (the
 * rule as the vendor's domain-configuration API returns it, as JSON). No request is made. Prints
 * `{ url, time, expiresAt }` as JSON; a bad rule, flag or URL exits 2 naming it, never a key.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { WangsuValidationError } from "../errors.ts";
import { parseLiveUrlRule } from "../url_signing/rule.ts";
import { signLiveUrl } from "../url_signing/sign.ts";

/** The variable the rule is read from. */
export const URL_RULE_VARIABLE = "WANGSU_URL_RULE";

/** What `sign-url` reads and writes. */
export interface SignUrlIo {
  /** Writes to stdout. */
  stdout(text: string): void;
  /** Reports a failure on stderr (the program's name is added); returns the exit code. */
  fail(message: string): number;
  /** Reads an environment variable. */
  env(name: string): string | undefined;
}

const OPTIONS = {
  help: { type: "boolean", short: "h" },
  "expires-in": { type: "string" },
  "expires-at": { type: "string" },
} as const;
const FLAG_OF: Record<string, string> = { expiresIn: "--expires-in", expiresAt: "--expires-at" };

/** The help text of `sign-url`. */
export const signUrlHelp = (program: string): string =>
  `${program} sign-url <url> [--expires-in <seconds> | --expires-at <unix seconds>]

Signs a push or play URL offline with the domain's timestamp anti-leech rule (no request is
made) and prints { url, time, expiresAt } as JSON. The rule comes from ${URL_RULE_VARIABLE}: the
domain's rule as JSON, as the vendor's domain-configuration API returns it, e.g.
  {"secretKey":"...","timeFormat":"hex","effectiveTimeMode":"abstime","ciphe_combination":"time+path+key"}

Options:
  --expires-in <seconds>       the URL's life, in abstime mode
  --expires-at <unix seconds>  its expiry instead, in abstime mode
                               (a duration rule sets the life itself: neither is taken)
`;

/** A whole number as written, or the text itself, for the signer to refuse by name. */
const secondsOf = (text: string | undefined): unknown =>
  text === undefined ? undefined : /^-?\d{1,16}$/.test(text) ? Number(text) : text;

/**
 * Runs `sign-url`.
 *
 * @param args The arguments after the program name (`sign-url` among them).
 * @param io Output and environment.
 * @param program The program's name, for help.
 * @returns The exit code: 0 signed, or `io.fail`'s for a bad rule, flag or URL.
 */
export function runSignUrl(args: string[], io: SignUrlIo, program: string): number {
  const { values, positionals, tokens } = parseArgs({
    args,
    options: OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  if (values.help === true) {
    io.stdout(signUrlHelp(program));
    return 0;
  }
  for (const token of tokens) {
    if (token.kind != "option") continue;
    if (!Object.hasOwn(OPTIONS, token.name)) {
      return io.fail(`sign-url has no option "${token.rawName}" (--expires-in, --expires-at)`);
    }
    if (
      token.name != "help" &&
      (token.value === undefined || /^-./.test(token.value) && !token.inlineValue)
    ) {
      return io.fail(`${token.rawName} needs a value`);
    }
  }
  const [url, ...extra] = positionals.filter((positional) => positional != "sign-url");
  if (url === undefined) {
    return io.fail(`sign-url needs the URL to sign (${program} sign-url <url> --expires-in 3600)`);
  }
  if (extra.length) {
    return io.fail(`unexpected argument "${extra[0]}"`);
  }
  const text = io.env(URL_RULE_VARIABLE);
  if (!text) {
    return io.fail(
      `${URL_RULE_VARIABLE}: required (the domain's timestamp anti-leech rule, as JSON)`,
    );
  }
  let rule;
  try {
    rule = parseLiveUrlRule(text);
  } catch (error) {
    if (!(error instanceof WangsuValidationError)) throw error;
    return io.fail(
      error.issues.map((issue) =>
        issue.path
          ? `${URL_RULE_VARIABLE}.${issue.message}`
          : `${URL_RULE_VARIABLE}: ${issue.message.replace(/^rule: /, "")}`
      ).join("; "),
    );
  }
  try {
    const signed = signLiveUrl(url, rule, {
      expiresIn: secondsOf(values["expires-in"] as string | undefined) as number | undefined,
      expiresAt: secondsOf(values["expires-at"] as string | undefined) as number | undefined,
    });
    io.stdout(`${JSON.stringify(signed, null, 2)}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof WangsuValidationError)) throw error;
    return io.fail(
      error.issues.map((issue) =>
        FLAG_OF[issue.path]
          ? FLAG_OF[issue.path] + issue.message.slice(issue.path.length)
          : issue.message
      ).join("; "),
    );
  }
}

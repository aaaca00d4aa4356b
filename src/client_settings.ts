/**
 * A client's settings, read from its options (credentials and endpoint falling back to the
 * environment) and checked: what `createClient` checks, without the client's own code, so that a
 * gateway checks its upstream options at creation and makes its client with the first request.
 *
 * @module
 */

import type { ClientOptions } from "./client.ts";
import { invalid, issueOf, WangsuValidationError } from "./errors.ts";
import { signedHeadersRule } from "./signed_headers.ts";

type EnvironmentGlobals = {
  Deno?: { env: { get(name: string): string | undefined } };
  process?: { env?: Record<string, string | undefined> };
};

/**
 * Reads an environment variable where the runtime has one; `undefined` elsewhere, never throws.
 * Under Deno without `--allow-env`, Deno asks (or refuses, which reads as unset).
 */
export const readEnv = (name: string): string | undefined => {
  const global = globalThis as EnvironmentGlobals;
  try {
    // `process` is read only where there is no Deno: in Deno, touching it loads the Node
    // compatibility layer (about 30 ms, once per isolate).
    return global.Deno ? global.Deno.env.get(name) : global.process?.env?.[name];
  } catch {
    return undefined;
  }
};

/**
 * The endpoint as a base URL without a trailing slash, and its origin. Credentials in it
 * (`user:password@`) are refused rather than dropped, and never repeated in the error.
 */
const normalizeEndpoint = (endpoint: string): [base: string, origin: string] => {
  let problem = "must be a host or an http(s) URL";
  try {
    const url = new URL(/^\w+:\/\//.test(endpoint) ? endpoint : `https://${endpoint}`);
    if (url.username || url.password) {
      problem = "must not hold a user or password (they would not be sent)";
    } else if (/^https?:$/.test(url.protocol)) {
      return [url.origin + url.pathname.replace(/\/+$/, ""), url.origin];
    }
  } catch {
    // reported below
  }
  // Whatever precedes an `@` may be a password: not repeated.
  throw invalid(
    "endpoint",
    "url",
    `${problem}, got ${
      JSON.stringify(String(endpoint).replace(/^(\w+:\/\/)?.*@/, "$1[redacted]@"))
    }`,
  );
};

/** What {@link clientSettings} read and checked. */
export interface ClientSettings {
  /** The access key. */
  accessKey: string;
  /** The secret key. */
  secretKey: string;
  /** Each attempt's timeout, ms. */
  timeoutMs: number;
  /** Retries after the first attempt. */
  retries: number;
  /** The whole call's deadline, ms. */
  deadlineMs: number;
  /** The endpoint as a base URL without a trailing slash. */
  endpoint: string;
  /** The endpoint's origin. */
  origin: string;
}

/**
 * Reads and checks a client's settings.
 *
 * @param options The client's options.
 * @returns The settings.
 * @throws {WangsuValidationError} When a credential is missing or a setting is invalid.
 */
export function clientSettings(options: ClientOptions): ClientSettings {
  const accessKey = options.accessKey ?? readEnv("WANGSU_ACCESS_KEY");
  const secretKey = options.secretKey ?? readEnv("WANGSU_SECRET_KEY");
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retries = options.retries ?? 2;
  const deadlineMs = options.deadlineMs ?? 60_000;
  const issues: { path: string; rule: string; message: string }[] = [];
  const expect = (ok: boolean, path: string, rule: string, text: string) =>
    ok || issues.push(issueOf(path, rule, text));
  const milliseconds = "must be a number of milliseconds above 0";
  for (
    const [path, value, variable] of [
      ["accessKey", accessKey, "WANGSU_ACCESS_KEY"],
      ["secretKey", secretKey, "WANGSU_SECRET_KEY"],
    ]
  ) {
    expect(
      typeof value == "string" && !!value,
      path!,
      "required",
      `required (pass it or set ${variable})`,
    );
  }
  expect(
    Number.isInteger(retries) && retries >= 0,
    "retries",
    "min_value",
    "must be a whole number, 0 or more",
  );
  expect(deadlineMs > 0, "deadlineMs", "min_value", milliseconds);
  expect(timeoutMs > 0, "timeoutMs", "min_value", milliseconds);
  const rule = options.signedHeaders === undefined
    ? undefined
    : signedHeadersRule(options.signedHeaders);
  expect(!rule, "signedHeaders", "signed_headers", rule!);
  if (issues.length) throw new WangsuValidationError(issues);
  const [endpoint, origin] = normalizeEndpoint(
    options.endpoint ?? readEnv("WANGSU_ENDPOINT") ?? "open.chinanetcenter.com",
  );
  return {
    accessKey: accessKey!,
    secretKey: secretKey!,
    timeoutMs,
    retries,
    deadlineMs,
    endpoint,
    origin,
  };
}

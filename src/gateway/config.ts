/**
 * Gateway configuration from environment variables (Workers bindings, `Deno.env`), with errors
 * that name the variable.
 *
 * | variable | meaning |
 * | --- | --- |
 * | `WANGSU_ACCESS_KEY`, `WANGSU_SECRET_KEY` | the master account (secrets) |
 * | `WANGSU_ENDPOINT` | upstream host or URL (default the vendor) |
 * | `GATEWAY_KEYS` | JSON array of caller keys (a secret), see {@link GatewayKeyConfig} |
 * | `GATEWAY_CORS_ORIGINS` | comma-separated browser origins |
 * | `GATEWAY_MAX_BODY_BYTES` | body size limit (default 65536) |
 * | `GATEWAY_UPSTREAM_TIMEOUT_MS` | upstream time limit (default 30000) |
 * | `GATEWAY_ACCOUNT_BUDGET` | upstream requests per window as `limit/seconds` (default `300/300`), or `off` |
 * | `GATEWAY_BUDGET_MAX_WAIT_MS` | longest a request waits for the budget before a 429 (default 5000) |
 * | `GATEWAY_BUDGET_MARGIN_MS` | how long a budget slot outlasts its window (default 2000) |
 * | `GATEWAY_AUDIT_LOG` | `off` to stop the per-request JSON lines on the console |
 * | `GATEWAY_REPLAY_SHARDS` | Workers: Durable Objects sharing the replay memory (default 16) |
 * | `GATEWAY_KV_PATH` | Deno: the Deno KV file to share state through (Deno Deploy: its own KV) |
 * | `GATEWAY_CALLBACK_TOKEN` | turns on `/callbacks/<token>` and `GET /events` (a secret, 32+ URL-safe characters) |
 * | `GATEWAY_CALLBACK_ALLOW` | comma-separated IPs and CIDR ranges allowed to deliver callbacks |
 *
 * @module
 */

import { WangsuValidationError } from "../errors.ts";
import type { GatewayKeyConfig } from "./keys.ts";
import type { GatewayOptions } from "./mod.ts";

/** Variables the gateway reads. */
export type GatewayEnvironment = Record<string, string | undefined>;

const fail = (path: string, message: string): never => {
  throw new WangsuValidationError([{ path, rule: "config", message: `${path}: ${message}` }]);
};

const number = (env: GatewayEnvironment, name: string) => {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  return Number.isInteger(value) && value > 0
    ? value
    : fail(name, "must be a whole number above 0");
};

const accountBudget = (env: GatewayEnvironment): GatewayOptions["accountBudget"] => {
  const raw = env.GATEWAY_ACCOUNT_BUDGET?.trim();
  if (raw == "off") return false;
  const tuning = {
    maxWaitMs: number(env, "GATEWAY_BUDGET_MAX_WAIT_MS"),
    marginMs: number(env, "GATEWAY_BUDGET_MARGIN_MS"),
  };
  if (!raw) {
    return tuning.maxWaitMs || tuning.marginMs
      ? { limit: 300, windowSeconds: 300, ...tuning }
      : undefined;
  }
  const [, limit, windowSeconds] = /^(\d+)\s*\/\s*(\d+)$/.exec(raw) ?? [];
  if (!(+limit > 0 && +windowSeconds > 0)) {
    fail("GATEWAY_ACCOUNT_BUDGET", 'must be "<requests>/<seconds>" (e.g. "300/300") or "off"');
  }
  return { limit: +limit, windowSeconds: +windowSeconds, ...tuning };
};

/**
 * Reads gateway options from environment variables.
 *
 * @param env The variables.
 * @param fetch Upstream fetch (tests and demos pass a simulator's).
 * @returns Options for `createGateway`.
 * @throws {WangsuValidationError} Naming the variable that is missing or wrong.
 */
export function gatewayOptionsFromEnvironment(
  env: GatewayEnvironment,
  fetch?: typeof globalThis.fetch,
): GatewayOptions {
  const accessKey = env.WANGSU_ACCESS_KEY ||
    fail("WANGSU_ACCESS_KEY", "is required (the master access key)");
  const secretKey = env.WANGSU_SECRET_KEY ||
    fail("WANGSU_SECRET_KEY", "is required (the master secret key)");
  let keys: GatewayKeyConfig[] = [];
  try {
    keys = JSON.parse(env.GATEWAY_KEYS || "null") ??
      fail("GATEWAY_KEYS", "is required (a JSON array of caller keys)");
  } catch (error) {
    if (error instanceof WangsuValidationError) throw error;
    fail(
      "GATEWAY_KEYS",
      "must be JSON: an array of {name?, accessKey, secretKey, actions} or {name?, token, actions}",
    );
  }
  if (!Array.isArray(keys)) fail("GATEWAY_KEYS", "must be a JSON array");
  return {
    accountBudget: accountBudget(env),
    auditLog: env.GATEWAY_AUDIT_LOG != "off",
    upstream: {
      accessKey,
      secretKey,
      endpoint: env.WANGSU_ENDPOINT || undefined,
      timeoutMs: number(env, "GATEWAY_UPSTREAM_TIMEOUT_MS"),
      fetch,
    },
    keys,
    corsOrigins: env.GATEWAY_CORS_ORIGINS?.split(",").map((origin) => origin.trim()).filter(
      Boolean,
    ),
    maxBodyBytes: number(env, "GATEWAY_MAX_BODY_BYTES"),
    callbacks: env.GATEWAY_CALLBACK_TOKEN
      ? {
        token: env.GATEWAY_CALLBACK_TOKEN,
        allowFrom: env.GATEWAY_CALLBACK_ALLOW?.split(",").map((entry) => entry.trim()).filter(
          Boolean,
        ),
      }
      : undefined,
  };
}

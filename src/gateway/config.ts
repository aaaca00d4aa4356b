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
 * | `GATEWAY_REPLAY_SHARD_SECRET` | Workers: what the replay shard key is derived from (default `WANGSU_SECRET_KEY`) |
 * | `GATEWAY_KV_PATH` | Deno: the Deno KV file to share state through (Deno Deploy: its own KV) |
 * | `GATEWAY_HOSTNAME`, `PORT` | Deno server: address (default `0.0.0.0`) and port (default 8787) |
 * | `GATEWAY_HEADER_TIMEOUT_MS`, `GATEWAY_BODY_TIMEOUT_MS`, `GATEWAY_MAX_CONNECTIONS` | Deno server bounds (`workers/deno_server_env.ts`) |
 * | `GATEWAY_CALLBACK_TOKEN` | turns on `/callbacks/<token>` and `GET /events` (a secret, 32+ URL-safe characters) |
 * | `GATEWAY_CALLBACK_ALLOW` | comma-separated IPs and CIDR ranges allowed to deliver callbacks |
 * | `GATEWAY_EVENT_HISTORY` | events `/events` keeps to resume from (`Last-Event-ID`; default 1000) |
 * | `GATEWAY_EVENT_HISTORY_MS` | longest an event is kept for resuming, ms (default 600000) |
 * | `GATEWAY_EVENT_ORDER_MS` | order window: how long events wait to be put in time order, ms (default 1000; 0 off) |
 * | `GATEWAY_MAX_STREAMS_PER_KEY`, `GATEWAY_MAX_STREAMS` | open `/events` streams per key and in all, per isolate (10, 1000) |
 * | `GATEWAY_WEBHOOK_SCHEDULE_MS` | the webhooks' waits before each attempt, ms, comma-separated (default `0,5000,300000,...`: nine attempts over about 42 h) |
 * | `GATEWAY_WEBHOOKS` | JSON array of webhook endpoints `{name, url, secret, types?, tenant?, timeoutMs?}` (a secret: holds `whsec_` secrets; needs `GATEWAY_CALLBACK_TOKEN`) |
 * | `GATEWAY_RECONCILER` | `on` to poll live state for lost callbacks (needs `GATEWAY_CALLBACK_TOKEN`; default off) |
 * | `GATEWAY_RECONCILE_INTERVAL_MS`, `GATEWAY_RECONCILE_BUDGET_SHARE`, `GATEWAY_RECONCILE_RECENT_MS` | its interval (60000), share of the account budget (0.05), channel recency (86400000) |
 * | `GATEWAY_URL_RULES` | JSON `{ "push": { "<domain>": rule }, "play": { ... } }` (a secret): turns on `POST /urls/push` and `/urls/play` |
 *
 * @module
 */

import { WangsuValidationError } from "../errors.ts";
import type { GatewayKeyConfig } from "./keys.ts";
import { createGateway, type Gateway, type GatewayOptions } from "./mod.ts";
import { checkWebhookEndpoints, type WebhookEndpoint } from "./webhooks/endpoints.ts";

/** Variables the gateway reads. */
export type GatewayEnvironment = Record<string, string | undefined>;

const fail = (path: string, message: string): never => {
  throw new WangsuValidationError([{ path, rule: "config", message: `${path}: ${message}` }]);
};

/** A whole number from `min` (1 unless a variable documents `0` as "off"); unset: `undefined`. */
const number = (env: GatewayEnvironment, name: string, min: 0 | 1 = 1) => {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  return Number.isInteger(value) && value >= min
    ? value
    : fail(name, min ? "must be a whole number above 0" : "must be a whole number of 0 or more");
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

/** Option paths (as `createGateway` names them) and the variables they come from. */
const VARIABLE_OF: [RegExp, string][] = [
  [/^keys\b/, "GATEWAY_KEYS"],
  [/^corsOrigins\b/, "GATEWAY_CORS_ORIGINS"],
  [/^(upstream\.)?endpoint\b/, "WANGSU_ENDPOINT"],
  [/^(upstream\.)?accessKey\b/, "WANGSU_ACCESS_KEY"],
  [/^(upstream\.)?secretKey\b/, "WANGSU_SECRET_KEY"],
  [/^(upstream\.)?timeoutMs\b/, "GATEWAY_UPSTREAM_TIMEOUT_MS"],
  [/^callbacks\.token\b/, "GATEWAY_CALLBACK_TOKEN"],
  [/^callbacks\.allowFrom\b/, "GATEWAY_CALLBACK_ALLOW"],
  [/^callbacks\.maxStreamsPerKey\b/, "GATEWAY_MAX_STREAMS_PER_KEY"],
  [/^callbacks\.maxStreams\b/, "GATEWAY_MAX_STREAMS"],
  [/^callbacks\.historyLength\b/, "GATEWAY_EVENT_HISTORY"],
  [/^callbacks\.historyMs\b/, "GATEWAY_EVENT_HISTORY_MS"],
  [/^callbacks\.orderWindowMs\b/, "GATEWAY_EVENT_ORDER_MS"],
  [/^maxBodyBytes\b/, "GATEWAY_MAX_BODY_BYTES"],
  [/^accountBudget\b/, "GATEWAY_ACCOUNT_BUDGET"],
  [/^reconciler\.intervalMs\b/, "GATEWAY_RECONCILE_INTERVAL_MS"],
  [/^reconciler\.budgetShare\b/, "GATEWAY_RECONCILE_BUDGET_SHARE"],
  [/^reconciler\.recentMs\b/, "GATEWAY_RECONCILE_RECENT_MS"],
  [/^reconciler\b/, "GATEWAY_RECONCILER"],
  [/^urlRules\.maxExpiresIn\b/, "GATEWAY_URL_MAX_EXPIRES_IN"],
  [/^urlRules\b/, "GATEWAY_URL_RULES"],
];

/**
 * Renames the option paths of a configuration error after the environment variables they came
 * from (`keys.0.token` becomes `GATEWAY_KEYS.0.token`), so that an operator who configures the
 * gateway through its environment is told which variable to fix. Other errors pass unchanged.
 *
 * @param error What `createGateway` (or the client under it) threw.
 * @returns The error to report.
 */
export function namingVariables(error: unknown): unknown {
  if (!(error instanceof WangsuValidationError)) return error;
  let renamed = false;
  const issues = error.issues.map((issue) => {
    const found = VARIABLE_OF.find(([option]) => option.test(issue.path));
    if (!found) return issue;
    renamed = true;
    const path = issue.path.replace(found[0], found[1]);
    const message = issue.message.startsWith(issue.path)
      ? path + issue.message.slice(issue.path.length)
      : `${found[1]}: ${issue.message}`;
    return { ...issue, path, message };
  });
  return renamed ? new WangsuValidationError(issues) : error;
}

/**
 * Creates the gateway from options read by {@link gatewayOptionsFromEnvironment} (and what the
 * entry adds: store, hub, page), with every configuration error naming its variable.
 *
 * @param options The options.
 * @returns The gateway.
 * @throws {WangsuValidationError} Naming the variable whose value is refused.
 */
export function createGatewayFromEnvironment(options: GatewayOptions): Gateway {
  try {
    return createGateway(options);
  } catch (error) {
    throw namingVariables(error);
  }
}

/**
 * The Durable Object store's settings on Workers: how many objects share the replay memory
 * (`GATEWAY_REPLAY_SHARDS`) and the secret its shard key is derived from
 * (`GATEWAY_REPLAY_SHARD_SECRET`, else `WANGSU_SECRET_KEY`; a separate one lets the master key
 * rotate without moving every remembered signature to another shard).
 *
 * @param env The variables.
 * @returns The options for `createDurableObjectStore`.
 * @throws {WangsuValidationError} Naming the variable that is wrong.
 */
export function replayShardsFromEnvironment(
  env: GatewayEnvironment,
): { replayShards?: number; shardSecret: string } {
  const shardSecret = env.GATEWAY_REPLAY_SHARD_SECRET || env.WANGSU_SECRET_KEY ||
    fail("WANGSU_SECRET_KEY", "is required (the master secret key)");
  if (shardSecret.length < 16) {
    fail(
      env.GATEWAY_REPLAY_SHARD_SECRET ? "GATEWAY_REPLAY_SHARD_SECRET" : "WANGSU_SECRET_KEY",
      "must be at least 16 characters",
    );
  }
  return { replayShards: number(env, "GATEWAY_REPLAY_SHARDS"), shardSecret };
}

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
  // Webhooks carry the callbacks the ingress receives: without it they would never fire.
  if (env.GATEWAY_WEBHOOKS?.trim() && !env.GATEWAY_CALLBACK_TOKEN) {
    fail(
      "GATEWAY_WEBHOOKS",
      "needs GATEWAY_CALLBACK_TOKEN (webhooks send the callbacks /callbacks/<token> receives): " +
        "set GATEWAY_CALLBACK_TOKEN, or unset GATEWAY_WEBHOOKS",
    );
  }
  let urlRules: GatewayOptions["urlRules"];
  if (env.GATEWAY_URL_RULES) {
    try {
      urlRules = JSON.parse(env.GATEWAY_URL_RULES);
    } catch {
      // The text holds keys: not quoted.
      fail(
        "GATEWAY_URL_RULES",
        'must be JSON: { "push": { "<domain>": rule }, "play": { "<domain>": rule } }',
      );
    }
  }
  const maxExpiresIn = number(env, "GATEWAY_URL_MAX_EXPIRES_IN");
  if (maxExpiresIn !== undefined) {
    if (!urlRules) {
      fail("GATEWAY_URL_MAX_EXPIRES_IN", "needs GATEWAY_URL_RULES (the URL signing rules)");
    }
    urlRules = { ...urlRules, maxExpiresIn };
  }
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
    reconciler: reconcilerOptions(env),
    callbacks: env.GATEWAY_CALLBACK_TOKEN
      ? {
        token: env.GATEWAY_CALLBACK_TOKEN,
        allowFrom: env.GATEWAY_CALLBACK_ALLOW?.split(",").map((entry) => entry.trim()).filter(
          Boolean,
        ),
        maxStreamsPerKey: number(env, "GATEWAY_MAX_STREAMS_PER_KEY"),
        maxStreams: number(env, "GATEWAY_MAX_STREAMS"),
        historyLength: number(env, "GATEWAY_EVENT_HISTORY"),
        historyMs: number(env, "GATEWAY_EVENT_HISTORY_MS"),
        orderWindowMs: number(env, "GATEWAY_EVENT_ORDER_MS", 0),
      }
      : undefined,
    urlRules,
  };
}

/** `GATEWAY_RECONCILER=on` and its tuning; off (`undefined`) otherwise. */
function reconcilerOptions(env: GatewayEnvironment): GatewayOptions["reconciler"] {
  const on = env.GATEWAY_RECONCILER?.trim();
  if (!on || on == "off") return undefined;
  if (on != "on") fail("GATEWAY_RECONCILER", 'must be "on" or "off"');
  const share = env.GATEWAY_RECONCILE_BUDGET_SHARE?.trim();
  if (share && !(Number(share) > 0 && Number(share) <= 0.5)) {
    fail("GATEWAY_RECONCILE_BUDGET_SHARE", "must be a share above 0 and at most 0.5 (e.g. 0.05)");
  }
  return {
    intervalMs: number(env, "GATEWAY_RECONCILE_INTERVAL_MS"),
    budgetShare: share ? Number(share) : undefined,
    recentMs: number(env, "GATEWAY_RECONCILE_RECENT_MS"),
  };
}

/**
 * The outgoing webhooks' endpoints from `GATEWAY_WEBHOOKS` (a JSON array, see
 * `src/gateway/webhooks/endpoints.ts`), or `undefined` when it is not set. The entry gives them
 * to `createWebhookDelivery` with its platform's queue.
 *
 * @param env The variables.
 * @returns The checked endpoints (their secrets kept out of JSON and printing), or `undefined`.
 * @throws {WangsuValidationError} Naming `GATEWAY_WEBHOOKS`, the endpoint and the field; never a
 *   secret.
 */
export function webhookEndpointsFromEnvironment(
  env: GatewayEnvironment,
): WebhookEndpoint[] | undefined {
  const raw = env.GATEWAY_WEBHOOKS?.trim();
  if (!raw) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // The parser's message may quote the text, secrets included.
    fail("GATEWAY_WEBHOOKS", "must be JSON: an array of {name, url, secret, types?, tenant?}");
  }
  return checkWebhookEndpoints(parsed, "GATEWAY_WEBHOOKS");
}

/**
 * The webhooks' attempt schedule from `GATEWAY_WEBHOOK_SCHEDULE_MS` (waits before each attempt,
 * ms, comma-separated; each at most 12 h), or `undefined` for the default.
 *
 * @param env The variables.
 * @returns The waits, or `undefined`.
 * @throws {WangsuValidationError} Naming `GATEWAY_WEBHOOK_SCHEDULE_MS`.
 */
export function webhookScheduleFromEnvironment(env: GatewayEnvironment): number[] | undefined {
  const raw = env.GATEWAY_WEBHOOK_SCHEDULE_MS?.trim();
  if (!raw) return undefined;
  const waits = raw.split(",").map((part) => Number(part.trim()));
  if (waits.some((ms) => !Number.isSafeInteger(ms) || ms < 0 || ms > 43_200_000)) {
    fail(
      "GATEWAY_WEBHOOK_SCHEDULE_MS",
      "must be comma-separated whole numbers of ms, each from 0 to 43200000 (12 h)",
    );
  }
  return waits;
}

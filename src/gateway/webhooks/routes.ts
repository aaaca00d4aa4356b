/**
 * The operator's routes of the outgoing webhooks, for keys with the admin right:
 * `GET /webhooks/dead-letters` lists what ran out of attempts, and
 * `POST /webhooks/dead-letters/:key/redeliver` sends one again (same `webhook-id`).
 *
 * @module
 */

import type { Context } from "hono";
import type { AuthFailure, Caller } from "../keys.ts";
import type { GatewayEnv } from "../events.ts";
import { GatewayError } from "../gateway_error.ts";
import { authenticateAdmin } from "../steps/authenticate.ts";
import type { WebhookDelivery } from "./delivery.ts";

/** What the routes need from the gateway. */
export interface WebhookRouteHelpers {
  /** Authenticates a caller. */
  authenticate(request: Request): Promise<Caller | AuthFailure>;
}

/** Longest dead-letter key asked for: `<endpoint name, ≤ 64>.msg_<event id>`, with room. */
const MAX_KEY_LENGTH = 512;

/** `?limit=`: a whole number from 1 to 1 000 (default 100). */
const limitOf = (raw: string | undefined): number => {
  if (raw === undefined) return 100;
  if (/^\d{1,4}$/.test(raw) && Number(raw) >= 1 && Number(raw) <= 1_000) return Number(raw);
  throw new GatewayError(400, "invalid-request", "limit: a whole number from 1 to 1000", {
    details: {
      issues: [{ path: "limit", rule: "range", message: "a whole number from 1 to 1000" }],
    },
  });
};

/** The dead-letter routes' handlers. */
export interface WebhookRouteHandlers {
  /** `GET /webhooks/dead-letters[?limit=n]`. */
  list(c: Context<GatewayEnv>): Promise<Response>;
  /** `POST /webhooks/dead-letters/:key/redeliver`. */
  redeliver(c: Context<GatewayEnv>): Promise<Response>;
}

/**
 * Makes the dead-letter routes' handlers (the gateway mounts them, loading this module with
 * their first request).
 *
 * @param delivery The webhooks' delivery.
 * @param helpers Authentication.
 * @returns The handlers.
 */
export function createWebhookRouteHandlers(
  delivery: WebhookDelivery,
  helpers: WebhookRouteHelpers,
): WebhookRouteHandlers {
  /** Refuses (throws) unless the caller's key has the admin right, as `/admin/ownership` does. */
  const admin = (c: Context<GatewayEnv>) =>
    // The routes never read the body: a signature's check reads it from a clone of the request.
    authenticateAdmin(helpers.authenticate, c.req.raw, c.get("audit"), { readsBody: false });
  return {
    async list(c) {
      c.get("audit").action = "listWebhookDeadLetters";
      await admin(c);
      const deadLetters = await delivery.listDeadLetters(limitOf(c.req.query("limit")));
      return c.json({ deadLetters }, 200, { "cache-control": "no-store" });
    },
    async redeliver(c) {
      c.get("audit").action = "redeliverWebhook";
      await admin(c);
      const key = c.req.param("key") ?? "";
      if (key.length > MAX_KEY_LENGTH || !(await delivery.redeliver(key))) {
        throw new GatewayError(404, "not-found", "No such dead letter");
      }
      return c.json({ redelivered: key }, 202);
    },
  };
}

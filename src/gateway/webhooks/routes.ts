/**
 * The operator's routes of the outgoing webhooks, for keys with the admin right:
 * `GET /webhooks/dead-letters` lists what ran out of attempts, and
 * `POST /webhooks/dead-letters/:key/redeliver` sends one again (same `webhook-id`).
 *
 * @module
 */

import type { Context, Hono } from "hono";
import type { AuthFailure, Caller } from "../keys.ts";
import type { GatewayEnv } from "../events.ts";
import type { WebhookDelivery } from "./delivery.ts";

/** What the routes need from the gateway. */
export interface WebhookRouteHelpers {
  /** Answers a JSON error, recorded in the audit entry. */
  error(c: Context<GatewayEnv>, status: number, message: string): Response;
  /** Authenticates a caller. */
  authenticate(request: Request): Promise<Caller | AuthFailure>;
}

/** Whether a caller's key has `admin: true` (the right the ownership route asks for too). */
const isAdmin = (caller: Caller) => caller.admin === true;

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
 * @param helpers Error replies and authentication.
 * @returns The handlers.
 */
export function createWebhookRouteHandlers(
  delivery: WebhookDelivery,
  helpers: WebhookRouteHelpers,
): WebhookRouteHandlers {
  const admin = async (c: Context<GatewayEnv>) => {
    const entry = c.get("audit");
    const caller = await helpers.authenticate(c.req.raw);
    if ("reason" in caller) {
      entry.authFailure = caller.audited ?? caller.reason;
      return helpers.error(c, 401, caller.message);
    }
    entry.key = caller.name;
    return isAdmin(caller)
      ? undefined
      : helpers.error(c, 403, `Key ${caller.name} has no admin right`);
  };
  return {
    async list(c) {
      c.get("audit").action = "listWebhookDeadLetters";
      const refused = await admin(c);
      if (refused) return refused;
      const limit = Number(c.req.query("limit") ?? 100);
      const deadLetters = await delivery.listDeadLetters(limit);
      return c.json({ deadLetters }, 200, { "cache-control": "no-store" });
    },
    async redeliver(c) {
      c.get("audit").action = "redeliverWebhook";
      const refused = await admin(c);
      if (refused) return refused;
      const key = c.req.param("key") ?? "";
      if (!(await delivery.redeliver(key))) return helpers.error(c, 404, "No such dead letter");
      return c.json({ redelivered: key }, 202);
    },
  };
}

/**
 * Adds the dead-letter routes to an app.
 *
 * @param app The gateway's app.
 * @param delivery The webhooks' delivery.
 * @param helpers Error replies and authentication.
 */
export function addWebhookRoutes(
  app: Hono<GatewayEnv>,
  delivery: WebhookDelivery,
  helpers: WebhookRouteHelpers,
): void {
  const handlers = createWebhookRouteHandlers(delivery, helpers);
  app.get("/webhooks/dead-letters", handlers.list);
  app.post("/webhooks/dead-letters/:key/redeliver", handlers.redeliver);
}

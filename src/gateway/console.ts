/**
 * The page at `/`: the gateway's API reference rendered from its own `/openapi.json` by Swagger
 * UI (its files served by the gateway, no CDN), with "try it" requests sent with a bearer token the
 * operator pastes; in demo mode (upstream = the embedded simulator) also a live console: the
 * channels with their live state, updated by `/events`, and buttons that start and stop each
 * channel's simulated encoder. The page holds no secret: only the token pasted, or the demo's
 * read-only token in demo mode.
 *
 * @module
 */

import type { Context, Hono } from "hono";
import type { GatewayEnv } from "./events.ts";

/** What the page needs from the runtime, and the demo's hooks. */
export interface ConsolePageOptions {
  /**
   * Serves the renderer's files by name (`swagger-ui-bundle.js`, `swagger-ui.css`), e.g. read
   * from the `swagger-ui-dist` npm package (`workers/console_assets.ts` does so under Deno).
   */
  assets(name: string): Promise<Response | undefined> | Response | undefined;
  /** Demo mode: the read-only token put in the page, and the simulated encoders. */
  demo?: {
    /** A read-only bearer token (never one that may write). */
    token: string;
    /** Starts (`true`) or stops a channel's simulated encoder. */
    stream(pullId: string, start: boolean): void;
  };
}

const ASSETS = new Set(["swagger-ui-bundle.js", "swagger-ui.css"]);

/**
 * Adds `GET /`, the renderer's files under `/_console/`, and in demo mode
 * `POST /_console/demo/<pullId>/start|stop`.
 *
 * @param app The gateway's app.
 * @param options The assets and the demo hooks.
 * @param error The gateway's JSON error reply.
 */
export function addConsoleRoutes(
  app: Hono<GatewayEnv>,
  options: ConsolePageOptions,
  error: (c: Context<GatewayEnv>, status: number, message: string) => Response,
): void {
  // The markup is loaded and encoded with the first request for the page.
  let html: Promise<Uint8Array<ArrayBuffer>> | undefined;
  app.get("/", async (c) => {
    html ??= import("./console_page.ts").then(({ page }) =>
      new TextEncoder().encode(page(!!options.demo, options.demo?.token ?? ""))
    );
    const bytes = await html;
    c.get("audit").bytesOut = bytes.length;
    return new Response(bytes, {
      headers: { "content-type": "text/html; charset=UTF-8", "cache-control": "no-store" },
    });
  });
  app.get("/_console/:file", async (c) => {
    const file = c.req.param("file");
    const response = ASSETS.has(file) ? await options.assets(file) : undefined;
    return response ?? error(c, 404, `Nothing at ${c.req.path}`);
  });
  const demo = options.demo;
  if (!demo) return;
  app.post("/_console/demo/:pullId/:event{start|stop}", (c) => {
    try {
      demo.stream(c.req.param("pullId"), c.req.param("event") == "start");
      return c.json({ code: 200, message: "ok" });
    } catch (failure) {
      return error(c, 409, failure instanceof Error ? failure.message : String(failure));
    }
  });
}

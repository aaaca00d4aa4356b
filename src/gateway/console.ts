/**
 * The page at `/`: the gateway's API reference rendered from its own `/openapi.json` by Swagger
 * UI (its files served by the gateway, no CDN), with "try it" requests sent with a bearer token the
 * operator pastes; in demo mode (upstream = the embedded simulator) also a live console: the
 * channels with their live state, updated by `/events`, and buttons that start and stop each
 * channel's simulated encoder. The page holds no secret: only the token pasted, or the demo's
 * read-only token in demo mode, which no other origin can read (no CORS on these routes, and a
 * policy that runs only the gateway's own scripts).
 *
 * @module
 */

import type { Context, Hono } from "hono";
import type { GatewayEnv } from "./events.ts";

/** What the page needs from the runtime, and the demo's hooks. */
export interface ConsolePageOptions {
  /**
   * Serves the renderer's files by name (`swagger-ui-bundle.js`, `swagger-ui.css`), e.g. read
   * from the `swagger-ui-dist` npm package (`workers/console_assets.ts` does so under Deno). The
   * gateway adds `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer`.
   */
  assets(name: string): Promise<Response | undefined> | Response | undefined;
  /** Demo mode: the read-only token put in the page, and the simulated encoders. */
  demo?: {
    /**
     * A read-only bearer token (never one that may write). The encoder controls
     * (`POST /_console/demo/...`) need it as `Authorization: Bearer`.
     */
    token: string;
    /** Starts (`true`) or stops a channel's simulated encoder. */
    stream(pullId: string, start: boolean): void;
  };
}

/** Swagger UI's files, served by `options.assets`. */
const ASSETS = new Set(["swagger-ui-bundle.js", "swagger-ui.css"]);
/** Said by the page and every file under `/_console/`. */
const SECURITY_HEADERS = { "x-content-type-options": "nosniff", "referrer-policy": "no-referrer" };

/** One of the page's own files, encoded. */
interface OwnFile {
  body: Uint8Array<ArrayBuffer>;
  headers: Record<string, string>;
}

/**
 * Adds `GET /`, the page's own script and stylesheet and the renderer's files under
 * `/_console/`, and in demo mode `POST /_console/demo/<pullId>/start|stop`, which needs the demo's
 * token (`Authorization: Bearer`). The page carries a Content-Security-Policy allowing the
 * gateway's own scripts and styles only and no framing; the page and every file say `nosniff`
 * and `no-referrer`.
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
  // The markup, script and stylesheet are loaded and encoded with the first request for one.
  let own: Promise<Map<string, OwnFile>> | undefined;
  const ownFiles = () =>
    own ??= import("./console_page.ts").then(({ CONTENT_SECURITY_POLICY, page, script, style }) => {
      const encoder = new TextEncoder();
      const file = (text: string, type: string, extra: Record<string, string> = {}): OwnFile => ({
        body: encoder.encode(text),
        headers: {
          ...SECURITY_HEADERS,
          ...extra,
          "content-type": type,
          "cache-control": "no-store",
        },
      });
      return new Map([
        [
          "/",
          file(page(!!options.demo, options.demo?.token ?? ""), "text/html; charset=UTF-8", {
            "content-security-policy": CONTENT_SECURITY_POLICY,
            // For browsers that predate `frame-ancestors`.
            "x-frame-options": "DENY",
          }),
        ],
        ["console.js", file(script, "text/javascript; charset=utf-8")],
        ["console.css", file(style, "text/css; charset=utf-8")],
      ]);
    });
  const serve = (c: Context<GatewayEnv>, { body, headers }: OwnFile) => {
    c.get("audit").bytesOut = body.length;
    return new Response(body, { headers });
  };
  app.get("/", async (c) => serve(c, (await ownFiles()).get("/")!));
  app.get("/_console/:file", async (c) => {
    const name = c.req.param("file");
    const mine = name == "console.js" || name == "console.css"
      ? (await ownFiles()).get(name)
      : undefined;
    if (mine) return serve(c, mine);
    const asset = ASSETS.has(name) ? await options.assets(name) : undefined;
    if (!asset) return error(c, 404, `Nothing at ${c.req.path}`);
    const headers = new Headers(asset.headers);
    for (const [header, value] of Object.entries(SECURITY_HEADERS)) headers.set(header, value);
    return new Response(asset.body, { status: asset.status, headers });
  });
  const demo = options.demo;
  if (!demo) return;
  // The encoder controls change state: only a caller holding the demo's token may use them (a
  // page on another origin can send a form or a no-cors request here, but no Authorization).
  let holdsToken: Promise<(presented: string) => boolean> | undefined;
  app.post("/_console/demo/:pullId/:event{start|stop}", async (c) => {
    const check = await (holdsToken ??= import("./secret_digest.ts").then(
      ({ digest, sameBytes }) => {
        const expected = digest(demo.token);
        return (presented: string) => sameBytes(digest(presented), expected);
      },
    ));
    const presented = /^Bearer +(\S+) *$/i.exec(c.req.header("authorization") ?? "")?.[1];
    if (!presented || !check(presented)) {
      return error(
        c,
        401,
        "The demo's encoder controls need the demo's bearer token (Authorization: Bearer, the " +
          "token the demo printed)",
      );
    }
    try {
      demo.stream(c.req.param("pullId"), c.req.param("event") == "start");
      return c.json({ code: 200, message: "ok" });
    } catch (failure) {
      return error(c, 409, failure instanceof Error ? failure.message : String(failure));
    }
  });
}

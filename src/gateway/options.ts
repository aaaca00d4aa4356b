/**
 * The checks of `createGateway`'s options that no other module makes: an upstream that
 * would receive the master key in the clear, and CORS origins that would open the API to pages it
 * should not trust. (Keys are checked by `keys.ts`, the callback ingress by `events.ts`.)
 *
 * @module
 */

import { WangsuValidationError } from "../errors.ts";

/** A configuration problem, named by its option path. */
const invalid = (path: string, message: string): never => {
  throw new WangsuValidationError([{ path, rule: "config", message: `${path}: ${message}` }]);
};

/**
 * Hosts an upstream may be reached at over plain `http:`, where nothing crosses a network:
 * loopback addresses and the names reserved for that and for tests (RFC 6761: `localhost`,
 * `.localhost`, `.test`, which never resolve elsewhere).
 */
const LOOPBACK = /^(127(\.\d{1,3}){3}|\[::1\]|([\w-]+\.)*(localhost|test))$/i;

/**
 * Refuses CORS origins that would open the API to pages it should not trust: `null` (sandboxed
 * frames and `file:` pages all send it) and anything that is not exactly an origin.
 *
 * @param origins The `corsOrigins` option.
 * @throws {WangsuValidationError} Naming the first origin that is not one.
 */
export function checkCorsOrigins(origins: readonly string[]): void {
  for (const [index, origin] of origins.entries()) {
    const path = `corsOrigins.${index}`;
    if (origin == "*") continue;
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      // reported below
    }
    if (!parsed || parsed.origin == "null" || parsed.origin != origin) {
      invalid(
        path,
        `"${origin}" is not an origin: write scheme://host[:port], e.g. https://app.example.com`,
      );
    }
  }
}

/**
 * Refuses an upstream endpoint that would send the master key in the clear: plain `http:` is
 * allowed only to a loopback host (a local simulator).
 *
 * @param endpoint The `upstream.endpoint` option.
 * @throws {WangsuValidationError} When it is no URL or host name, or plain `http:` elsewhere.
 */
export function checkUpstream(endpoint: string | undefined): void {
  if (endpoint === undefined) return;
  const url = (() => {
    try {
      return new URL(/^[a-z][a-z\d+.-]*:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`);
    } catch {
      return invalid("upstream.endpoint", "is not a URL or host name");
    }
  })();
  if (url.protocol == "http:" && !LOOPBACK.test(url.hostname)) {
    invalid(
      "upstream.endpoint",
      "must use https: (plain http: would send the master access key and bodies in the clear; " +
        "it is allowed only to a loopback host)",
    );
  }
}

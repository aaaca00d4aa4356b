/**
 * The self-hosted Deno server's address and connection bounds, from environment variables, with
 * errors that name the variable (the gateway's own variables are read by
 * `src/gateway/config.ts`).
 *
 * | variable | meaning |
 * | --- | --- |
 * | `GATEWAY_HOSTNAME` | address to listen on (default `0.0.0.0`, every interface) |
 * | `PORT` | port to listen on (default 8787) |
 * | `GATEWAY_HEADER_TIMEOUT_MS` | longest wait for a request head, from the connection's opening or its previous response (default 10000) |
 * | `GATEWAY_BODY_TIMEOUT_MS` | longest wait for a request body, from its head (default 30000) |
 * | `GATEWAY_MAX_CONNECTIONS` | most connections open at once (default: a quarter of the open-file limit less 128, at most 1000; 200 when the limit cannot be read) |
 *
 * `HOSTNAME` is not read: shells and container runtimes set it to the machine's name.
 *
 * @module
 */

import { WangsuValidationError } from "../src/errors.ts";

/** Variables read here. */
export type ServerEnvironment = Record<string, string | undefined>;

/** Address and bounds of the self-hosted server. */
export interface ServerOptions {
  /** Address to listen on. */
  hostname: string;
  /** Port to listen on. */
  port: number;
  /** Longest wait for a request head (ms). */
  headerTimeoutMs: number;
  /** Longest wait for a request body (ms). */
  bodyTimeoutMs: number;
  /** Most connections open at once. */
  maxConnections: number;
}

/** Descriptors each connection may hold: its own, both ends of the relay, one upstream. */
export const DESCRIPTORS_PER_CONNECTION = 4;
/** Descriptors kept for everything else (the listeners, Deno KV, standard streams, modules). */
export const RESERVED_DESCRIPTORS = 128;
/** The default connection limit when the open-file limit allows it, or is unknown. */
const DEFAULT_MAX_CONNECTIONS = 1_000;
const UNKNOWN_LIMIT_MAX_CONNECTIONS = 200;

const fail = (path: string, message: string): never => {
  throw new WangsuValidationError([{ path, rule: "config", message: `${path}: ${message}` }]);
};

const whole = (env: ServerEnvironment, name: string, fallback: number, max: number) => {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  return /^\d+$/.test(raw) && value > 0 && value <= max
    ? value
    : fail(name, `must be a whole number from 1 to ${max}`);
};

/**
 * The process's open-file limit (soft), read from `/proc/self/limits` on Linux when reading it is
 * allowed without asking; otherwise undefined.
 */
export function openFileLimit(): number | undefined {
  const path = "/proc/self/limits";
  try {
    if (Deno.build.os != "linux") return undefined;
    if (Deno.permissions.querySync({ name: "read", path }).state != "granted") return undefined;
    const line = Deno.readTextFileSync(path).split("\n").find((l) =>
      l.startsWith("Max open files")
    );
    const soft = line?.split(/\s{2,}/)[1];
    return soft && /^\d+$/.test(soft) ? Number(soft) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads the server's address and bounds.
 *
 * @param env The variables.
 * @param fileLimit The open-file limit ({@link openFileLimit}), to size the default connection
 *   limit and refuse one that does not fit; undefined when unknown.
 * @returns The address and bounds.
 * @throws {WangsuValidationError} Naming the variable that is wrong.
 */
export function serverOptionsFromEnvironment(
  env: ServerEnvironment,
  fileLimit?: number,
): ServerOptions {
  const hostname = env.GATEWAY_HOSTNAME?.trim() || "0.0.0.0";
  if (/[\s/]/.test(hostname)) fail("GATEWAY_HOSTNAME", "must be an IP address or a host name");
  const rawPort = env.PORT?.trim();
  const port = rawPort === undefined || rawPort === ""
    ? 8787
    : /^\d+$/.test(rawPort) && Number(rawPort) <= 65_535
    ? Number(rawPort)
    : fail("PORT", "must be a whole number from 0 to 65535");
  const fits = fileLimit === undefined
    ? undefined
    : Math.floor((fileLimit - RESERVED_DESCRIPTORS) / DESCRIPTORS_PER_CONNECTION);
  if (fits !== undefined && fits < 1) {
    fail(
      "GATEWAY_MAX_CONNECTIONS",
      `the open-file limit (${fileLimit}) leaves no room for connections: raise it (ulimit -n)`,
    );
  }
  const maxConnections = whole(
    env,
    "GATEWAY_MAX_CONNECTIONS",
    fits === undefined ? UNKNOWN_LIMIT_MAX_CONNECTIONS : Math.min(DEFAULT_MAX_CONNECTIONS, fits),
    1_000_000,
  );
  if (fits !== undefined && maxConnections > fits) {
    fail(
      "GATEWAY_MAX_CONNECTIONS",
      `${maxConnections} connections need about ` +
        `${maxConnections * DESCRIPTORS_PER_CONNECTION + RESERVED_DESCRIPTORS} open files and ` +
        `this process may open ${fileLimit}: set at most ${fits}, or raise the limit (ulimit -n)`,
    );
  }
  return {
    hostname,
    port,
    headerTimeoutMs: whole(env, "GATEWAY_HEADER_TIMEOUT_MS", 10_000, 3_600_000),
    bodyTimeoutMs: whole(env, "GATEWAY_BODY_TIMEOUT_MS", 30_000, 3_600_000),
    maxConnections,
  };
}

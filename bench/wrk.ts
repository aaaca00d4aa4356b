/**
 * Load from `wrk` (Debian's, installed with apt-get when missing): a C load generator that spends
 * a few tens of µs of CPU per request, where a Node `http` client spends about 250 (measured), so
 * that on this 2-core machine the workers under test, not the load, are what runs out of CPU. Used
 * for requests that can be sent as they are (bearer tokens); signed requests, which must differ
 * every time, come from `load_generator.mjs`.
 *
 * @module
 */

import { ensureDebianPackage } from "../scripts/debian.ts";
import type { LoadResult } from "./load.ts";

const WRK = "/usr/bin/wrk";

/** One POST, repeated as it is. */
export interface WrkRequest {
  /** Target URL. */
  url: string;
  /** Request headers. */
  headers: Record<string, string>;
  /** Request body. */
  body: string;
}

/**
 * Sends `request` back to back over `connections` keep-alive connections for `seconds`, from one
 * wrk thread.
 *
 * @returns What the run saw; a status other than 2xx/3xx, or a socket error, counts as an error.
 */
export async function runWrk(
  request: WrkRequest,
  options: { connections: number; seconds: number },
): Promise<LoadResult> {
  await ensureDebianPackage(WRK, "wrk");
  const script = await Deno.makeTempFile({ prefix: "wangsu-wrk-", suffix: ".lua" });
  // Lua long strings ([==[ ]==]) hold the values as they are; none of ours contains "]==]".
  const quote = (text: string) => {
    if (text.includes("]==]")) throw new Error(`cannot quote ${JSON.stringify(text)} for Lua`);
    return `[==[${text}]==]`;
  };
  await Deno.writeTextFile(
    script,
    [
      `wrk.method = "POST"`,
      `wrk.body = ${quote(request.body)}`,
      ...Object.entries(request.headers).map(([name, value]) =>
        // The spaces matter: "[[" would open a Lua long string.
        `wrk.headers[ ${quote(name)} ] = ${quote(value)}`
      ),
      `done = function(summary, latency, requests)`,
      `  local e = summary.errors`,
      `  io.write(string.format('{"requests":%d,"us":%d,"socket":%d,"status":%d,` +
      `"p50":%d,"p99":%d}\\n', summary.requests, summary.duration,`,
      `    e.connect + e.read + e.write + e.timeout, e.status,`,
      `    latency:percentile(50), latency:percentile(99)))`,
      `end`,
    ].join("\n"),
  );
  try {
    const { code, stdout, stderr } = await new Deno.Command(WRK, {
      args: [
        "-t1",
        `-c${options.connections}`,
        `-d${options.seconds}s`,
        "--timeout",
        "10s",
        "-s",
        script,
        request.url,
      ],
    }).output();
    const text = new TextDecoder().decode(stdout);
    if (code != 0) throw new Error(`wrk exited ${code}: ${new TextDecoder().decode(stderr)}`);
    const line = text.split("\n").find((line) => line.startsWith('{"requests"'));
    if (!line) {
      throw new Error(`wrk printed no summary: ${text}${new TextDecoder().decode(stderr)}`);
    }
    const run = JSON.parse(line);
    const samples = [
      run.socket ? `${run.socket} socket errors` : "",
      run.status ? `${run.status} responses not 2xx/3xx` : "",
    ].filter(Boolean);
    return {
      requests: run.requests,
      perSecond: run.requests / (run.us / 1e6),
      p50: Math.round(run.p50 / 10) / 100,
      p99: Math.round(run.p99 / 10) / 100,
      errors: run.socket + run.status,
      errorSamples: samples,
    };
  } finally {
    await Deno.remove(script);
  }
}

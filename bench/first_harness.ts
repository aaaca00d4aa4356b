/**
 * The gateway benchmark's first harness, rebuilt so that it is measured in the same run as the
 * current one instead of quoted (its bare forwarder served 284/s once; that number is not used):
 * the bare forwarder (`bare_worker.ts`) under `wrangler dev` (its dev proxy, and miniflare's
 * outbound worker in front of every `fetch` the worker makes), loaded from the benchmark's own Deno
 * process, 64 connections, every request signed afresh with `signRequest` and sent with `fetch`, as
 * `bench/gateway.ts` did in commit 9ad703a.
 *
 * @module
 */

import { signRequest } from "../src/signer.ts";
import { COMPATIBILITY_DATE, startWorker } from "../scripts/wrangler.ts";
import { type LoadResult, runLoad } from "./load.ts";

const root = new URL("../", import.meta.url).pathname;
const caller = { accessKey: "GW_BENCH", secretKey: "gw-bench-secret-0123456789" };

/** The first harness, running. */
export interface FirstHarness {
  /** One load run against the bare forwarder, as the first harness loaded it. */
  load(seconds: number): Promise<LoadResult>;
  /** Stops wrangler dev. */
  stop(): Promise<void>;
}

/** Starts the bare forwarder under `wrangler dev`, forwarding to `upstream`. */
export async function startFirstHarness(upstream: string): Promise<FirstHarness> {
  const dir = await Deno.makeTempDir({ prefix: "first-harness-" });
  const config = `${dir}/wrangler.toml`;
  await Deno.writeTextFile(
    config,
    `name = "wangsu-bare-forwarder"\nmain = "${root}bench/bare_worker.ts"\n` +
      `compatibility_date = "${COMPATIBILITY_DATE}"\n`,
  );
  const worker = await startWorker({
    name: "bench-first-harness",
    config,
    vars: { UPSTREAM: upstream },
  }).catch(async (error) => {
    await Deno.remove(dir, { recursive: true });
    throw error;
  });
  const url = `${worker.url}/live/channelManage/getChannelList`;
  return {
    load: (seconds) =>
      runLoad(async (n) => {
        const body = `{"pageIndex":${n + 1},"pageSize":10}`;
        const headers = await signRequest({ method: "POST", url, body }, caller);
        const response = await fetch(url, { method: "POST", headers, body });
        const text = await response.text();
        return response.status == 200 ? undefined : `${response.status} ${text}`;
      }, { connections: 64, seconds }),
    stop: async () => {
      await worker.stop();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

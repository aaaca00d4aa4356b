/**
 * URL signing (issue 31): push URLs signed offline per second against one `setPushTsatc` call
 * through the client's transport to the in-process simulator (no socket, so the figure is the
 * API path's CPU cost alone, the best an API call can do), measured side by side; and the
 * bundle size of `@wangsu/sdk/url-signing`, bundled from the sources as a user's bundler would.
 * Against the real service each call also costs a round trip and one of 300 requests per 5
 * minutes; a signature costs neither.
 *
 * @module
 */
import * as esbuild from "esbuild";
import { measure, URL_SIGNING_BUDGET } from "../scripts/sizes.ts";
import { createChannel, createClient, setPushTsatc } from "../mod.ts";
import { createSimulator } from "../src/simulator/mod.ts";
import { parseLiveUrlRule, signLiveUrl } from "../src/url_signing/mod.ts";
import { alternateRuns, perSecond, type Row, row, throughput } from "./measure.ts";

/** Signatures per timed task: one await per batch, so that the loop measures signing. */
const BATCH = 200;

/** Runs the URL-signing section. */
export async function benchUrlSigning(): Promise<Row[]> {
  const simulator = createSimulator({ rateLimit: false, callbacks: false });
  const client = createClient({ ...simulator.credentials[0], fetch: simulator.fetch, retries: 0 });
  const { pullId } = await createChannel(client, {
    channelName: "bench-url-signing",
    channelType: "live",
    pushDomain: "push.example.com",
    pullRate: "0",
  });
  const rule = parseLiveUrlRule({
    secretKey: `bench-${crypto.randomUUID()}`,
    timeFormat: "hex",
    effectiveTimeMode: "abstime",
    ciphe_combination: "time+path+key",
  });
  const url = (await setPushTsatc(client, { pullId, effectiveHourLong: "3600" })).pushUrl
    .split("?")[0];
  let sink = 0;
  const signBatch = () => {
    for (let i = 0; i < BATCH; i++) sink += signLiveUrl(url, rule, { expiresIn: 3600 }).url.length;
    return Promise.resolve();
  };
  const apiCall = () => setPushTsatc(client, { pullId, effectiveHourLong: "3600" });
  const [signed, called] = await alternateRuns([
    async () => (await throughput(signBatch, 100)) * BATCH,
    () => throughput(apiCall, 1000),
  ], 5);
  if (!sink) throw new Error("nothing was signed");
  simulator.close();

  const size = await measure(
    "./url-signing",
    `export * from ${
      JSON.stringify(new URL("../src/url_signing/mod.ts", import.meta.url).pathname)
    };`,
    URL_SIGNING_BUDGET,
  ).finally(() => esbuild.stop());
  return [
    row(
      "url signing: push URLs signed vs setPushTsatc calls (in-process)",
      `${perSecond(signed)} signed`,
      `${perSecond(called)} setPushTsatc calls`,
      signed / called,
      { min: 10 },
    ),
    row(
      "size: ./url-signing (min+gzip, from sources), vs its budget",
      `${size.gzipped} B`,
      `budget ${URL_SIGNING_BUDGET} B`,
      size.gzipped / URL_SIGNING_BUDGET,
      { max: 1 },
    ),
  ];
}

if (import.meta.main) console.table(await benchUrlSigning());

// `deno task simulator` as a user runs it: the real task (deno.json's `simulator`, running
// src/simulator/cli.ts) on a free port given with --port=N. It prints its URL and demo
// credentials; a client using them is served; /_sim/state shows what the client did; and it
// stops on SIGTERM, freeing the port. Waits are on the printed lines and the process's exit,
// with deadlines that only bound a hang.
import assert from "node:assert/strict";
import * as sdk from "../../mod.ts";
import { freePort } from "../../scripts/wrangler.ts";
import { demoChannel } from "../helpers.ts";

const root = new URL("../../", import.meta.url).pathname;

/** Reads `stream` until `done(text)` holds or the stream ends; rejects after `ms` (a hang). */
async function readUntil(
  stream: ReadableStream<Uint8Array>,
  done: (text: string) => boolean,
  ms = 60_000,
) {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no complete banner within ${ms} ms: ${text}`)), ms);
  });
  try {
    while (!done(text)) {
      const { value, done: ended } = await Promise.race([reader.read(), hang]);
      if (ended) break;
      text += value;
    }
  } finally {
    clearTimeout(timer);
    reader.releaseLock();
  }
  return text;
}

Deno.test("deno task simulator --port=N: prints URL and credentials, serves them, stops on SIGTERM", async () => {
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["task", "simulator", `--port=${port}`],
    cwd: root,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  let stopped = false;
  try {
    const text = await readUntil(child.stdout, (text) => text.includes("Stop with Ctrl+C."));
    const url = /Wangsu API simulator on (\S+)/.exec(text)?.[1];
    if (!url) {
      // The output ended without a banner: the task exited; say why.
      await child.status;
      stopped = true;
      assert.fail(`no banner on stdout: ${text}\nstderr: ${await stderr}`);
    }
    assert.equal(url, `http://127.0.0.1:${port}`, text);
    const accessKey = /access key: (\S+)/.exec(text)?.[1] ?? "";
    const secretKey = /secret key: (\S+)/.exec(text)?.[1] ?? "";
    assert.match(accessKey, /^AK_DEMO_[0-9a-f]{8}$/);
    assert.match(secretKey, /^SK_DEMO_[0-9a-f]{32}$/);
    assert.ok(
      text.includes(
        `WANGSU_ENDPOINT=${url} WANGSU_ACCESS_KEY=${accessKey} WANGSU_SECRET_KEY=${secretKey}`,
      ),
      "the line to point a client at it",
    );

    const client = sdk.createClient({ accessKey, secretKey, endpoint: url });
    const pullId = await demoChannel(client, undefined, "From the task");
    const start = await fetch(`${url}/_sim/streams/${pullId}/start`, { method: "POST" });
    assert.equal(start.status, 200);
    await start.body?.cancel();
    assert.deepEqual(await sdk.getChannelLiveState(client, { pullId }), { channelState: "1" });
    const state = await (await fetch(`${url}/_sim/state`)).json();
    assert.deepEqual(state.channels, [
      { pullId, mode: "push", channelName: "From the task", liveState: 1 },
    ]);

    const wrong = sdk.createClient({ accessKey, secretKey: `${secretKey}x`, endpoint: url });
    await assert.rejects(
      sdk.getChannelList(wrong, {}),
      (error) => error instanceof sdk.WangsuApiError && error.status == 462,
      "another secret is refused",
    );

    child.kill("SIGTERM");
    stopped = true;
    const status = await child.status;
    assert.equal(status.success, false, "ended by the signal");
    await assert.rejects(
      Deno.connect({ hostname: "127.0.0.1", port }).then((connection) => connection.close()),
      Deno.errors.ConnectionRefused,
      "the port is free once the task stopped (the task passed the signal on)",
    );
  } finally {
    // SIGTERM even after a failed assertion: `deno task` passes it on to the simulator, where a
    // SIGKILL would orphan the simulator (and its hold on the pipes read here).
    if (!stopped) child.kill("SIGTERM");
    await child.status;
    await stderr;
  }
});

// `deno task start` with no credentials, as a newcomer runs it: the printed lines work when
// followed, and the printed event stream shows the demo channel going live.
import assert from "node:assert/strict";
import { freePort } from "../../scripts/wrangler.ts";
import { settles, sseReader } from "../helpers.ts";

Deno.test({
  name: "deno task start: the printed curl lines answer, and /events shows the channel going live",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const port = freePort();
    const env: Record<string, string> = { ...Deno.env.toObject(), PORT: String(port) };
    delete env.WANGSU_ACCESS_KEY; // the demo runs when no credentials are set
    const child = new Deno.Command(Deno.execPath(), {
      args: ["task", "start"],
      cwd: new URL("../../", import.meta.url).pathname,
      env,
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let printed = "";
    try {
      // The deadline only bounds a hang: a process that ends early ends the loop.
      await settles(
        (async () => {
          while (!printed.includes("Stop with Ctrl+C.")) {
            const { value, done } = await reader.read();
            if (done) break;
            printed += value;
          }
        })(),
        "the start-up lines",
        120_000,
      ).catch((error) => assert.fail(`${error.message}; printed:\n${printed}`));
      const token = printed.match(/Demo bearer token, read-only actions:\n\s+(\S+)/)?.[1];
      const events = printed.match(/curl -N (\S+\/events) -H 'Authorization: Bearer (\S+)'/);
      const start = printed.match(/curl -s -X POST (\S+\/_sim\/streams\/\w+\/start)/)?.[1];
      assert.ok(token && events && start, printed);
      assert.equal(events[2], token);

      const home = await fetch(events[1].replace(/\/events$/, "/"));
      assert.equal(home.status, 200);
      assert.match(await home.text(), /Live console/, "the page at / is on in the demo");

      const list = printed.match(/curl -s -X POST (\S+getChannelList)/)?.[1];
      const listed = await fetch(list!, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
        body: '{"pageSize":10}',
      });
      assert.equal((await listed.json()).code, 200);

      const stream = sseReader(
        await fetch(events[1], { headers: { authorization: `Bearer ${token}` } }),
      );
      try {
        const answer = await fetch(start!, { method: "POST" });
        assert.equal((await answer.json()).data.channelState, "1");
        // The deadline only bounds a hang; how fast events arrive is for `deno task bench`.
        const event = await stream.next(60_000);
        assert.equal(event?.event, "push.started");
        assert.equal(start, start!.replace(/streams\/\w+\//, `streams/${event?.data.pullId}/`));
      } finally {
        await stream.close();
      }
    } finally {
      child.kill("SIGTERM");
      await reader.cancel();
      await child.status;
    }
  },
});
